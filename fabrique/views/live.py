"""The three live screens: `participant` (a phone), `screen` (the projector), `facilitate`."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from sqlalchemy import select

from ..events import facilitate_state, screen_state
from ..extensions import db
from ..models import Atelier
from .join import atelier_by_code, current_participant
from .pages import live_page, phone_page

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
    return phone_page(atelier, me)


@bp.get("/screen/<token>")
def screen(token: str):
    """Show the projector view."""
    atelier = _by_token(Atelier.screen_token, token)
    return live_page("screen", atelier, {"token": token}, screen_state(atelier))


@bp.get("/facilitate/<token>")
def facilitate(token: str):
    """Show the facilitator's console."""
    atelier = _by_token(Atelier.facilitator_token, token)
    return live_page("facilitate", atelier, {"token": token}, facilitate_state(atelier))
