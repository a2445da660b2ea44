"""Creating an atelier, and joining one from a phone (QR code → pseudonym → persona)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import catalog, limits, payloads, readmodel
from ..actions import Refused
from ..actions.ateliers import create_atelier, demarche_by_secret, new_demarche
from ..actions.participation import find_by_rejoin_code, join
from ..lookups import atelier_of_code, participant_of_token
from ..models import Atelier, Participant
from ..security import signed_csrf_token
from ..sockets import PARTICIPANT_COOKIE
from ..vocabulary import fill, words
from .pages import phone_page
from .spliced import kept_pieces, spliced_page

bp = Blueprint("join", __name__)

COOKIE_AGE = 30 * 24 * 3600


def atelier_by_code(code: str):
    """Return the atelier of a join code, read like the ORM object (`atelier.settings`…) from its read model; None if none."""
    code = code.strip().upper()
    if len(code) > 12:  # the column's length: a longer code names no atelier
        return None
    # Every phone of a room loads three pages at once: two columns from the database, the rest
    # from memory, rebuilt when the database moved on without it (another process, `flask purge`).
    found = atelier_of_code(code)
    if found is None:
        return None
    model = readmodel.model_for(found.id)
    if model is not None and model.seq < found.seq:
        model = readmodel.check_seq(found.id)
    return model.atelier if model is not None else None


def current_participant(atelier: Atelier):
    """Return the participant this browser joined as, from the atelier's cookie: its `id`, `atelier_id` and `language`."""
    token = request.cookies.get(PARTICIPANT_COOKIE.format(atelier.id))
    if not token or len(token) > 64:
        return None
    # Columns, not an object: every phone of a room opens its page at once, and what the pages need is these three.
    participant = participant_of_token(token)
    return participant if participant is not None and participant.atelier_id == atelier.id else None


def _enter(atelier: Atelier, participant: Participant):
    """Send a participant who took their identity back to the phone app, this browser now theirs."""
    return _remember(redirect(url_for("live.participant", code=atelier.join_code)), atelier, participant)


def _joined(atelier, participant):
    """Answer a join with the phone app itself, this browser now the participant's.

    Not a redirect to it: a whole room joins at once over one venue network, and a redirect is
    one more round trip and one more request for every phone. The page names its own address
    (`rel=canonical`) and its script puts it in the history, so that reloading the app does not
    post the form again.
    """
    response = _remember(make_response(phone_page(atelier, participant)), atelier, participant)
    response.headers["Cache-Control"] = "no-store"  # as the app's own address (security.SECRET_ENDPOINTS)
    return response


def _remember(response, atelier, participant):
    response.set_cookie(PARTICIPANT_COOKIE.format(atelier.id), participant.token, max_age=COOKIE_AGE, httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.get("/")
def home():
    """Show the form that creates an atelier (in a démarche when its secret is in the link), and the box that joins one by code."""
    first = catalog().default_template(current_app.config.get("DEFAULT_TEMPLATE"))
    templates = sorted(catalog().templates.values(), key=lambda t: (t is not first, t.title))
    try:
        demarche = demarche_by_secret(request.args.get("demarche", "")[:300])
    except Refused as refused:
        flash(refused.reason, "error")
        demarche = None
    if demarche is None:
        return render_template("home.html", templates=templates, demarche=None)
    templates = [t for t in templates if t.id == demarche.template_id]  # a démarche's ateliers share its template
    return secret_page(render_template("home.html", templates=templates, demarche=demarche))


def secret_page(body):
    """Return `body` as a response that neither caches nor leaks its address (it holds a secret)."""
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.post("/ateliers")
def create():
    """Create an atelier from the form (in a démarche: a new one by name, or an existing one by its secret)."""
    fields = request.form
    # Each template's settings have their own fields ("<template>:dots"): only the chosen one's count,
    # and only those the form showed (the others stay the template's own).
    prefix = fields.get("template", "") + ":"
    submitted = {name: fields.get(name) for name in fields.keys() if ":" not in name}
    submitted.update({name: fields[prefix + name] for name in payloads.TEMPLATE_SETTINGS if fields.get(prefix + name)})
    try:
        form = payloads.form(payloads.CreateAtelierForm, submitted)
        if form.template not in catalog().templates:
            raise Refused(_("Modèle inconnu : « %(template)s ».", template=form.template))
        existing = demarche_by_secret(form.demarche_link)
        if existing is not None and existing.template_id != form.template:
            raise Refused(_("Les ateliers d'une démarche suivent le même modèle : choisissez celui de la démarche."))
        demarche_id = existing.id if existing else new_demarche(form.demarche, form.template)
        atelier = create_atelier(form.template, form.name, format_id=form.format, demarche_id=demarche_id,
                                 audience=form.audience, held_on=form.held_on.isoformat() if form.held_on else None,
                                 settings=form.settings)
    except Refused as refused:
        flash(fill(refused.reason, words(catalog().templates.get(fields.get("template", "")))), "error")
        return redirect(url_for("join.home"))
    return redirect(url_for("live.facilitate", token=atelier.facilitator_token))


@bp.route("/j", methods=["GET", "POST"])
def enter_code():
    """Ask for an atelier's short code (for those who cannot scan the QR code)."""
    if request.method == "POST":
        atelier = atelier_by_code(str(request.form.get("code", ""))[:64])
        if atelier is not None:
            return redirect(url_for("join.join_form", code=atelier.join_code))
        flash(_("Aucun atelier ne porte ce code : vérifiez-le à l'écran."), "error")
    return render_template("enter_code.html")


@bp.get("/j/<code>")
def join_form(code: str):
    """Show the join form, or go straight to the atelier if this phone already joined."""
    atelier = atelier_by_code(code)
    if atelier is None:
        flash(_("Aucun atelier ne porte ce code : vérifiez-le à l'écran."), "error")
        return redirect(url_for("join.enter_code"))
    if current_participant(atelier) is not None:
        return redirect(url_for("live.participant", code=atelier.join_code))
    return _join_page(atelier)


# Where each page's CSRF token goes: the form is rendered once, the token filled in per phone.
_TOKEN_SLOT = "\x00csrf-token\x00"


def _join_page(atelier):
    """Return the empty join form, rendered once per atelier name, persona choice, language and address.

    A whole room opens it at once. What join.html and base.html show depends on these alone (and
    on the app's settings and catalog, fixed for the process), but for the CSRF token, the one
    part of the page written per phone, and a message flashed to this browser, never kept. For a
    browser that takes gzip, what surrounds the token is compressed once (`spliced`).
    """
    template, personas = _form_choices(atelier)
    if session.get("_flashes"):
        return render_template("join.html", atelier=atelier, template=template, personas=personas, form={})
    key = (atelier.id, atelier.name, template.id, bool(personas), str(get_locale()), request.full_path)
    pieces = kept_pieces("fabrique.join_pages", key, slot=_TOKEN_SLOT, render=lambda: render_template(
        "join.html", atelier=atelier, template=template, personas=personas, form={}, csrf_token=lambda: _TOKEN_SLOT))
    return spliced_page(pieces, (signed_csrf_token(),))


def _form_choices(atelier):
    """Return the atelier's template and the personas its join form offers (none unless participants choose)."""
    template = catalog().templates[atelier.template_id]
    return template, catalog().personas_for(template) if atelier.settings.get("persona_assignment") == "choice" else []


@bp.post("/j/<code>")
def join_submit(code: str):
    """Join under a pseudonym and open the phone app; on a problem, show the form again with what was typed."""
    atelier = atelier_by_code(code)
    if atelier is None:
        return redirect(url_for("join.enter_code"))
    existing = current_participant(atelier)
    if existing is not None:  # a double submit from the same phone
        return redirect(url_for("live.participant", code=atelier.join_code))
    try:
        if not limits.ip_joins.allow(limits.client_ip()):
            raise Refused(_("Trop d'inscriptions depuis ce réseau : réessayez dans un instant."), "rate")
        form = payloads.form(payloads.JoinForm, request.form)
        participant = join(atelier.id, form.pseudonym, college=form.college,
                           language=form.language or request.cookies.get("fabrique_langue") or "fr",
                           persona_id=form.persona)
    except Refused as refused:
        template, personas = _form_choices(atelier)
        return render_template("join.html", atelier=atelier, template=template, personas=personas, form=request.form,
                               error=refused.reason), 429 if refused.code == "rate" else 422
    return _joined(atelier, participant)


@bp.post("/j/<code>/retour")
def rejoin(code: str):
    """Take one's identity back on another device with the short rejoin code."""
    atelier = atelier_by_code(code)
    if atelier is None:
        return redirect(url_for("join.enter_code"))
    try:
        if not limits.ip_rejoins.allow(limits.client_ip()):
            raise Refused(_("Trop d'essais de code de retour : réessayez dans une minute."), "rate")
        form = payloads.form(payloads.RejoinForm, request.form)
        try:
            participant = find_by_rejoin_code(atelier, form.rejoin_code)
        except Refused:
            if not limits.atelier_rejoin_failures.allow(atelier.id):
                raise Refused(_("Trop d'essais de code de retour : réessayez dans une minute."), "rate") from None
            raise
    except Refused as refused:
        template = catalog().templates[atelier.template_id]
        return render_template("join.html", atelier=atelier, template=template, personas=[], form={},
                               rejoin_error=refused.reason), 429 if refused.code == "rate" else 422
    return _enter(atelier, participant)
