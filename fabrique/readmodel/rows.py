"""The database side of the read model: the tables it holds, an atelier's rows read in one go
(the builder every reader shares, the synthesis included), and a committed row as a plain dict.

Rows are plain dicts keyed by column name, so that the model never touches a session and a row
taken from the ORM after a flush equals the same row read back from the database.
"""

from __future__ import annotations

import sys

from sqlalchemy import inspect, select

from ..extensions import db
from ..models import (Atelier, Engagement, EngagementPiste, EngagementSupport, ParadoxChoice, Participant, Piste, Reve,
                      ReviewComment, Support, ValueVote, ValueWord)

# Tables whose rows carry their atelier's id, and the two that reach it through an engagement.
BY_ATELIER = (Participant, ParadoxChoice, ValueVote, ValueWord, Reve, Piste, Support, Engagement, ReviewComment)
BY_ENGAGEMENT = (EngagementPiste, EngagementSupport)
TABLES = {model.__tablename__: model for model in (Atelier, *BY_ATELIER, *BY_ENGAGEMENT)}
_COLUMNS = {name: tuple(c.key for c in inspect(model).column_attrs) for name, model in TABLES.items()}
# Columns that take a few values (ids from the template, a status): each row read from the
# database would carry its own copy of the same text; one shared copy saves some 200 bytes a
# piste, and a room of 2,000 makes thousands.
_FEW_VALUES = frozenset({"persona_id", "theme_id", "horizon", "status", "value_id", "paradox_id", "language", "college",
                         "origin_label"})


def _shared(name: str, value):
    return sys.intern(value) if name in _FEW_VALUES and type(value) is str else value


def row_of(obj, table: str | None = None) -> dict:
    """Return a mapped object's columns as a plain dict (JSON values copied, so later edits do not leak).

    `table` names the table of an object that is not mapped (a read model's copy of a row).
    """
    row = {}
    for name in _COLUMNS[table or obj.__tablename__]:
        value = getattr(obj, name)
        row[name] = list(value) if isinstance(value, list) else dict(value) if isinstance(value, dict) else _shared(name, value)
    return row


def load_rows(atelier_id: int) -> dict[str, dict[int, dict]] | None:
    """Read every row of one atelier (None if it does not exist): table name → id → row."""
    atelier = db.session.execute(select(*TABLES["atelier"].__table__.c).where(Atelier.id == atelier_id)).mappings().first()
    if atelier is None:
        return None
    rows: dict[str, dict[int, dict]] = {"atelier": {atelier_id: plain("atelier", atelier)}}
    for model in BY_ATELIER:
        rows[model.__tablename__] = _read(model, model.atelier_id == atelier_id)
    engagement_ids = select(Engagement.id).where(Engagement.atelier_id == atelier_id).scalar_subquery()
    for model in BY_ENGAGEMENT:
        rows[model.__tablename__] = _read(model, model.engagement_id.in_(engagement_ids))
    return rows


def _read(model, where) -> dict[int, dict]:
    table = model.__tablename__
    return {r["id"]: plain(table, r) for r in db.session.execute(select(*model.__table__.c).where(where)).mappings()}


def plain(table: str, mapping) -> dict:
    """Return a row read from the database as a plain dict."""
    return {name: _shared(name, mapping[name]) for name in _COLUMNS[table]}
