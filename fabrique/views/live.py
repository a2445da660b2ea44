"""The three live screens: `participant` (a phone), `screen` (the projector), `facilitate`."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, render_template, url_for
from sqlalchemy import select

from .. import catalog
from ..events import presence
from ..extensions import db
from ..models import Atelier
from ..state import facilitate_state, participant_state, screen_state, template_payload
from .join import atelier_by_code, current_participant

bp = Blueprint("live", __name__)


def _by_token(column, token: str) -> Atelier:
    atelier = db.session.scalar(select(Atelier).where(column == token))
    if atelier is None:
        abort(404)
    return atelier


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
    template = catalog().templates[atelier.template_id]
    return render_template("live.html", page="participant", atelier=atelier, boot={
        "role": "participant", "auth": {"role": "participant", "code": atelier.join_code},
        "template": template_payload(template), "state": participant_state(me)})


@bp.get("/screen/<token>")
def screen(token: str):
    """Show the projector view."""
    atelier = _by_token(Atelier.screen_token, token)
    template = catalog().templates[atelier.template_id]
    return render_template("live.html", page="screen", atelier=atelier, boot={
        "role": "screen", "auth": {"role": "screen", "token": token},
        "template": template_payload(template), "state": screen_state(atelier, current_app.config["PUBLIC_URL"])})


@bp.get("/facilitate/<token>")
def facilitate(token: str):
    """Show the facilitator's console."""
    atelier = _by_token(Atelier.facilitator_token, token)
    template = catalog().templates[atelier.template_id]
    return render_template("live.html", page="facilitate", atelier=atelier, boot={
        "role": "facilitate", "auth": {"role": "facilitate", "token": token},
        "template": template_payload(template),
        "state": facilitate_state(atelier, current_app.config["PUBLIC_URL"], presence.online(atelier.id))})
