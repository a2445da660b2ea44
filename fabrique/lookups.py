"""The look-ups every phone's requests start with: an atelier by its join code, a participant by
the secret token of its cookie, an atelier's `seq`. A whole room runs them at once when it joins,
four or five per phone, so they skip SQLAlchemy's execution: each statement is compiled once per
database and run straight on a pooled connection of the driver (13 µs on SQLite, where the
session's connection and its transaction took 120)."""

from __future__ import annotations

from collections import namedtuple

from sqlalchemy import bindparam, select

from .extensions import db
from .models import Atelier, Participant


class Lookup:
    """A SELECT of plain columns (integers, text: no type conversion is applied) answering one row."""

    def __init__(self, statement):
        self.statement = statement
        self.row = namedtuple("Row", [column.key for column in statement.selected_columns])
        self._compiled: dict[tuple, tuple[str, tuple | None]] = {}  # by dialect and driver

    def first(self, connection=None, **params):
        """Return the first row (its columns by name) for these parameters, or None.

        On `connection` (a SQLAlchemy connection: a write transaction's, whose rows not yet
        committed it then sees), else on a pooled connection of its own.
        """
        engine = db.engine
        dialect = engine.dialect
        compiled = self._compiled.get((dialect.name, dialect.driver))
        if compiled is None:
            statement = self.statement.compile(dialect=dialect)
            compiled = self._compiled[(dialect.name, dialect.driver)] = (
                statement.string, tuple(statement.positiontup) if dialect.positional else None)
        sql, order = compiled
        arguments = tuple(params[name] for name in order) if order is not None else params
        if connection is not None:
            return self._run(connection.connection, sql, arguments)
        pooled = engine.raw_connection()  # back to the pool on close, its transaction rolled back
        try:
            return self._run(pooled, sql, arguments)
        finally:
            pooled.close()

    def _run(self, dbapi_connection, sql: str, arguments):
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(sql, arguments)
            found = cursor.fetchone()
        finally:
            cursor.close()
        return self.row._make(found) if found is not None else None


_atelier, _participant = Atelier.__table__.c, Participant.__table__.c
_BY_CODE = Lookup(select(_atelier.id, _atelier.seq).where(_atelier.join_code == bindparam("code")))
_BY_TOKEN = Lookup(select(_participant.id, _participant.atelier_id, _participant.language)
                   .where(_participant.token == bindparam("token")))
_SEQ = Lookup(select(_atelier.seq).where(_atelier.id == bindparam("id")))
_SEQ_FOR_UPDATE = Lookup(select(_atelier.seq).where(_atelier.id == bindparam("id")).with_for_update())


def atelier_of_code(code: str):
    """Return the `id` and `seq` of the atelier with this join code (exactly as stored), or None."""
    return _BY_CODE.first(code=code)


def participant_of_token(token: str):
    """Return the `id`, `atelier_id` and `language` of the participant holding this token, or None."""
    return _BY_TOKEN.first(token=token)


def atelier_seq(atelier_id: int) -> int | None:
    """Return the atelier's `seq` as committed, or None when there is no such atelier."""
    found = _SEQ.first(id=atelier_id)
    return found.seq if found is not None else None


def locked_atelier_seq(connection, atelier_id: int) -> int | None:
    """Lock the atelier's row in `connection`'s write transaction (FOR UPDATE where the database
    has it) and return its `seq`; None when there is no such atelier."""
    found = _SEQ_FOR_UPDATE.first(connection, id=atelier_id)
    return found.seq if found is not None else None
