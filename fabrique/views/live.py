"""The three live screens: `participant` (a phone), `screen` (the projector), `facilitate`."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, make_response, redirect, render_template, request, url_for
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from sqlalchemy import select

from .. import catalog
from ..events import facilitate_state, screen_state
from ..extensions import db
from ..models import Atelier
from ..state import participant_state, template_payload
from .join import atelier_by_code, current_participant
from .spliced import Piece, gzip_around

bp = Blueprint("live", __name__)


def _by_token(column, token: str) -> Atelier:
    atelier = db.session.scalar(select(Atelier).where(column == token))
    if atelier is None:
        abort(404)
    return atelier


def _live_page(page: str, atelier: Atelier, auth: dict, state: dict):
    """Render a live screen with what its script starts from: who to connect as, the template, a snapshot.

    Gzip-compressed around the template's data, which is compressed once (`spliced`), for a
    browser that takes gzip: every phone of a room loads this page at once.
    """
    template = catalog().templates[atelier.template_id]
    html = render_template("live.html", page=page, atelier=atelier, boot=boot_json(page, {"role": page, **auth}, template, state))
    body = gzip_around(html, _template_json(template)[1]) if request.accept_encodings.quality("gzip") else None
    if body is None:
        return html  # compressed as any page, if the browser takes it
    response = make_response(body)
    response.headers["Content-Encoding"] = "gzip"
    response.vary.add("Accept-Encoding")
    return response


def boot_json(page: str, auth: dict, template, state: dict) -> Markup:
    """Return what a live screen's script starts from as HTML-safe JSON, as `tojson` writes it (keys sorted).

    The template's part is most of it (personas, themes, paradoxes) and the same for every
    screen of the app's catalog: it is serialised once, not again for each phone that joins.
    """
    template_json = _template_json(template)[0]
    return Markup(f'{{"auth": {_json(auth)}, "role": {_json(page)}, "state": {_json(state)}, "template": {template_json}}}')


def _template_json(template) -> tuple[Markup, Piece]:
    """Return the template's part of the boot data, serialised and deflated once per template."""
    cache = current_app.extensions.setdefault("fabrique.template_json", {})
    found = cache.get(template.id)
    if found is None:
        text = _json(template_payload(template))
        found = cache[template.id] = (text, Piece(str(text)))
    return found


def _json(value) -> Markup:
    return htmlsafe_json_dumps(value, dumps=current_app.json.dumps)


@bp.get("/participant/<code>")
def participant(code: str):
    """Show the phone app of the participant this browser joined as."""
    atelier = atelier_by_code(code)
    if atelier is None:
        abort(404)
    me = current_participant(atelier)
    if me is None:
        return redirect(url_for("join.join_form", code=atelier.join_code))
    g.language = me.language
    return _live_page("participant", atelier, {"code": atelier.join_code}, participant_state(me))


@bp.get("/screen/<token>")
def screen(token: str):
    """Show the projector view."""
    atelier = _by_token(Atelier.screen_token, token)
    return _live_page("screen", atelier, {"token": token}, screen_state(atelier))


@bp.get("/facilitate/<token>")
def facilitate(token: str):
    """Show the facilitator's console."""
    atelier = _by_token(Atelier.facilitator_token, token)
    return _live_page("facilitate", atelier, {"token": token}, facilitate_state(atelier))
