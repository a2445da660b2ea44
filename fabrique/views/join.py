"""Creating an atelier, and joining one from a phone (QR code → pseudonym → persona)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import catalog
from ..actions import Refused
from ..actions.ateliers import create_atelier, demarche_named
from ..actions.participation import find_by_rejoin_code, join
from ..extensions import db
from ..models import Atelier, Demarche, Participant
from ..sockets import PARTICIPANT_COOKIE
from ..vocabulary import fill, words

bp = Blueprint("join", __name__)

COOKIE_AGE = 30 * 24 * 3600


def atelier_by_code(code: str) -> Atelier | None:
    return db.session.scalar(select(Atelier).where(Atelier.join_code == code.strip().upper()))


def current_participant(atelier: Atelier) -> Participant | None:
    """Return the participant this browser joined as, from the atelier's cookie."""
    token = request.cookies.get(PARTICIPANT_COOKIE.format(atelier.id))
    if not token:
        return None
    participant = db.session.scalar(select(Participant).where(Participant.token == token))
    return participant if participant is not None and participant.atelier_id == atelier.id else None


def _enter(atelier: Atelier, participant: Participant):
    response = redirect(url_for("live.participant", code=atelier.join_code))
    response.set_cookie(PARTICIPANT_COOKIE.format(atelier.id), participant.token, max_age=COOKIE_AGE, httponly=True,
                        samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.get("/")
def home():
    """Show the form that creates an atelier, and the box that joins one by code."""
    first = catalog().default_template(current_app.config.get("DEFAULT_TEMPLATE"))
    templates = sorted(catalog().templates.values(), key=lambda t: (t is not first, t.title))
    demarches = db.session.scalars(select(Demarche.name).order_by(Demarche.id.desc())).all()
    return render_template("home.html", templates=templates, demarches=demarches)


@bp.post("/ateliers")
def create():
    """Create an atelier from the form, then open its facilitator console."""
    form = request.form
    # Each template's settings have their own fields ("<template>:dots"): only the chosen one's count,
    # and only those the form showed (the others stay the template's own).
    prefix = form.get("template", "") + ":"
    settings = {name: form[prefix + name] for name in ("value_method", "value_budget", "value_top_n", "dots",
                                                       "persona_assignment", "paradox_choices") if form.get(prefix + name)}
    try:
        if form.get("template", "") not in catalog().templates:
            raise Refused(_("Modèle inconnu : « %(template)s ».", template=form.get("template", "")))
        demarche_id = demarche_named(form.get("demarche"), form["template"])
        atelier = create_atelier(form.get("template", ""), form.get("name", ""), format_id=form.get("format") or None,
                                 demarche_id=demarche_id,
                                 audience=form.get("audience") or None, held_on=form.get("held_on") or None,
                                 settings=settings)
    except Refused as refused:
        flash(fill(refused.reason, words(catalog().templates.get(form.get("template", "")))), "error")
        return redirect(url_for("join.home"))
    return redirect(url_for("live.facilitate", token=atelier.facilitator_token))


@bp.route("/j", methods=["GET", "POST"])
def enter_code():
    """Ask for an atelier's short code (for those who cannot scan the QR code)."""
    if request.method == "POST":
        atelier = atelier_by_code(request.form.get("code", ""))
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
    template = catalog().templates[atelier.template_id]
    personas = catalog().personas_for(template) if atelier.settings.get("persona_assignment") == "choice" else []
    return render_template("join.html", atelier=atelier, template=template, personas=personas, form={})


@bp.post("/j/<code>")
def join_submit(code: str):
    """Join under a pseudonym; on a problem, show the form again with what was typed."""
    atelier = atelier_by_code(code)
    if atelier is None:
        return redirect(url_for("join.enter_code"))
    existing = current_participant(atelier)
    if existing is not None:  # a double submit from the same phone
        return redirect(url_for("live.participant", code=atelier.join_code))
    form = request.form
    try:
        participant = join(atelier.id, form.get("pseudonym", ""), college=form.get("college") or None,
                           language=form.get("language") or request.cookies.get("fabrique_langue") or "fr",
                           persona_id=form.get("persona") or None)
    except Refused as refused:
        template = catalog().templates[atelier.template_id]
        personas = catalog().personas_for(template) if atelier.settings.get("persona_assignment") == "choice" else []
        return render_template("join.html", atelier=atelier, template=template, personas=personas, form=form,
                               error=refused.reason), 422
    return _enter(atelier, participant)


@bp.post("/j/<code>/retour")
def rejoin(code: str):
    """Take one's identity back on another device with the short rejoin code."""
    atelier = atelier_by_code(code)
    if atelier is None:
        return redirect(url_for("join.enter_code"))
    try:
        participant = find_by_rejoin_code(atelier, request.form.get("rejoin_code"))
    except Refused as refused:
        template = catalog().templates[atelier.template_id]
        return render_template("join.html", atelier=atelier, template=template, personas=[], form={},
                               rejoin_error=refused.reason), 422
    return _enter(atelier, participant)
