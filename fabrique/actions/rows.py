"""Rows written with SQLAlchemy Core on the transaction's connection, each handed to the read model.

The participant actions that run most (values, pistes, dots, engagement supports) write through
here: one statement per write, no unit of work, and the row the database stored (read back with
RETURNING, defaults included) is what the read model receives once the commit succeeded.
"""

from __future__ import annotations

from sqlalchemy import bindparam, delete, insert

from .. import readmodel
from ..extensions import db
from ..readmodel.rows import plain

# Built once per table: building a statement costs more than running it.
_INSERTS: dict[str, object] = {}
_DELETES: dict[str, object] = {}


def insert_row(model, **values) -> dict:
    """Insert one row of `model`'s table and return it as stored."""
    return insert_rows(model, [values])[0]


def insert_rows(model, rows: list[dict]) -> list[dict]:
    """Insert rows of `model`'s table in one statement (a vote spread over several values) and return them as stored, in order."""
    if not rows:
        return []
    table = model.__table__
    statement = _INSERTS.get(table.name)
    if statement is None:
        statement = _INSERTS[table.name] = insert(table).returning(*table.c, sort_by_parameter_order=True)
    result = db.session.connection().execute(statement, rows[0] if len(rows) == 1 else rows)
    stored = [plain(table.name, found) for found in result.mappings()]
    for row in stored:
        readmodel.written(db.session, table.name, row)
    return stored


def delete_rows(model, rows: list[dict]) -> None:
    """Delete these rows of `model`'s table (as read by the action's checks)."""
    if not rows:
        return
    table = model.__table__
    statement = _DELETES.get(table.name)
    if statement is None:
        # One id per execution, not `id IN (…)`: an IN of a varying length is rendered again for each.
        statement = _DELETES[table.name] = delete(table).where(table.c.id == bindparam("row_id"))
    db.session.connection().execute(statement, [{"row_id": row["id"]} for row in rows])
    for row in rows:
        readmodel.written(db.session, table.name, row, deleted=True)
