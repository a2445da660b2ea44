"""The look-ups every phone's requests start with: an atelier by its join code, a participant by
the secret token of its cookie. A whole room runs them at once when it joins, so they are plain
statements built once (building one costs more than running it) on the session's connection."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from .extensions import db
from .models import Atelier, Participant

_atelier, _participant = Atelier.__table__.c, Participant.__table__.c
_BY_CODE = select(_atelier.id, _atelier.seq).where(_atelier.join_code == bindparam("code"))
_BY_TOKEN = select(_participant.id, _participant.atelier_id, _participant.language).where(_participant.token == bindparam("token"))


def atelier_of_code(code: str):
    """Return the `id` and `seq` of the atelier with this join code (exactly as stored), or None."""
    return db.session.connection().execute(_BY_CODE, {"code": code}).first()


def participant_of_token(token: str):
    """Return the `id`, `atelier_id` and `language` of the participant holding this token, or None."""
    return db.session.connection().execute(_BY_TOKEN, {"token": token}).first()
