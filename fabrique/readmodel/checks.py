"""What a participant's action checks before it writes, read from the atelier's read model or from
the database: two sources, the same answers, rows as plain dicts either way.

The read model answers only when it is exactly the database as the transaction sees it (the
writer decides: `actions.checks_for`); a row it does not hold — one written earlier in the same
transaction, or none at all — raises `NotLoaded`, and the action asks the database instead.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ..extensions import db
from .queries import dots_placed, roots_of
from .rows import TABLES, plain


class NotLoaded(LookupError):
    """The read model holds no such row: ask the database (which sees the transaction's own writes)."""


class ModelChecks:
    """Checks answered from an atelier's read model, no SQL."""

    def __init__(self, model):
        self.model = model

    def row(self, table: str, row_id: int) -> dict:
        row = self.model.tables[table].get(row_id)
        if row is None:
            raise NotLoaded(table, row_id)
        return row

    def own(self, table: str, participant_id: int) -> list[dict]:
        return self.model.own(table, participant_id)

    def live_pistes(self, participant_id: int) -> int:
        return sum(1 for piste in self.model.own("piste", participant_id) if piste["status"] != "withdrawn")

    def dots(self, participant_id: int) -> set[int]:
        return self.model.dots(participant_id)

    def roots(self, piste_ids) -> dict[int, int]:
        return {piste_id: self.model.root(piste_id) for piste_id in piste_ids}


class DatabaseChecks:
    """The same checks asked of the database, on the transaction's connection (its earlier writes seen)."""

    def row(self, table: str, row_id: int) -> dict | None:
        columns = TABLES[table].__table__.c
        found = db.session.connection().execute(select(*columns).where(columns.id == row_id)).mappings().first()
        return plain(table, found) if found is not None else None

    def own(self, table: str, participant_id: int) -> list[dict]:
        columns = TABLES[table].__table__.c
        return [plain(table, r) for r in db.session.connection().execute(
            select(*columns).where(columns.participant_id == participant_id).order_by(columns.id)).mappings()]

    def live_pistes(self, participant_id: int) -> int:
        columns = TABLES["piste"].__table__.c
        return db.session.connection().execute(select(func.count()).where(
            columns.participant_id == participant_id, columns.status != "withdrawn")).scalar_one()

    def dots(self, participant_id: int) -> set[int]:
        return dots_placed(participant_id)

    def roots(self, piste_ids) -> dict[int, int]:
        return roots_of(piste_ids)
