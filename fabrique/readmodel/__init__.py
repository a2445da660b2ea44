"""The one read model per atelier: its truth held in memory, updated from each committed change.

Every write goes through the session (`actions`): the rows a transaction inserted, changed or
deleted are taken from the ORM session as it flushes, or handed over by `written` for rows the
actions write with SQLAlchemy Core, and applied to the loaded models once the commit succeeded —
never before, so a refused or rolled-back action leaves no trace. A model is
built from the database (`rows.load_rows`) the first time an atelier is read, and again whenever
its `seq` shows a change this process did not see (another process, or a write outside the ORM).
Models live per app, so two apps (tests, several databases) never share one.
"""

from __future__ import annotations

import threading

from flask import current_app
from sqlalchemy import event

from ..extensions import db
from ..lookups import atelier_seq
from .model import OWNED, AtelierModel
from .rows import TABLES, load_rows, row_of

__all__ = ["AtelierModel", "OWNED", "model_for", "loaded", "build", "check_seq", "forget", "written", "stepped"]

_PENDING = "readmodel_pending"
_BULK = "readmodel_bulk"
_STEPS = "readmodel_steps"  # atelier id → how many times this transaction moved its seq on


class Registry:
    """The models loaded by one app, by atelier id."""

    def __init__(self):
        self.lock = threading.RLock()
        self.models: dict[int, AtelierModel] = {}


def _registry() -> Registry:
    return current_app.extensions.setdefault("fabrique_readmodel", Registry())


def build(atelier_id: int) -> AtelierModel | None:
    """Build an atelier's model from the database (None if the atelier does not exist)."""
    rows = load_rows(atelier_id)
    return AtelierModel(rows) if rows is not None else None


def model_for(atelier_id: int) -> AtelierModel | None:
    """Return the atelier's model, building it from the database on first use."""
    registry = _registry()
    with registry.lock:
        model = registry.models.get(atelier_id)
        if model is None:
            model = build(atelier_id)
            if model is not None:
                registry.models[atelier_id] = model
        return model


def loaded(atelier_id: int) -> AtelierModel | None:
    """Return the atelier's model if this app holds one already (never reads the database)."""
    return _registry().models.get(atelier_id)


def check_seq(atelier_id: int) -> AtelierModel | None:
    """Rebuild the atelier's model if the database moved on without it (one cheap query)."""
    registry = _registry()
    seq = atelier_seq(atelier_id)
    with registry.lock:
        model = registry.models.get(atelier_id)
        if seq is None:
            registry.models.pop(atelier_id, None)
            return None
        if model is not None and model.seq != seq:
            registry.models.pop(atelier_id)
    return model_for(atelier_id)


def forget(atelier_id: int | None = None) -> None:
    """Drop one loaded model (or all): the next read rebuilds it from the database."""
    registry = _registry()
    with registry.lock:
        if atelier_id is None:
            registry.models.clear()
        else:
            registry.models.pop(atelier_id, None)


# --- following the session ---------------------------------------------------------------------


def written(session, table: str, row: dict, deleted: bool = False) -> None:
    """Hand over a row the transaction wrote without the ORM (the whole row, or the deleted row's parents)."""
    entry = {"id": row["id"], **{key: row[key] for key in _PARENTS if key in row}} if deleted else row
    session.info.setdefault(_PENDING, []).append((table, entry, deleted))


def stepped(session, atelier_id: int) -> None:
    """Note that the transaction moved an atelier's seq on by one (checked against the row committed)."""
    steps = session.info.setdefault(_STEPS, {})
    steps[atelier_id] = steps.get(atelier_id, 0) + 1


@event.listens_for(db.session, "after_flush")
def _collect(session, _flush_context):
    pending = session.info.setdefault(_PENDING, [])
    for obj in session.new | session.dirty:
        if getattr(obj, "__tablename__", None) in TABLES:
            pending.append((obj.__tablename__, row_of(obj), False))
    for obj in session.deleted:
        if getattr(obj, "__tablename__", None) in TABLES:
            pending.append((obj.__tablename__, {"id": obj.id, **_parent_of(obj)}, True))


_PARENTS = ("atelier_id", "engagement_id", "participant_id")


def _parent_of(obj) -> dict:
    return {key: getattr(obj, key) for key in _PARENTS if hasattr(obj, key)}


@event.listens_for(db.session, "do_orm_execute")
def _bulk(orm_execute_state):
    # A statement that writes many rows at once (a purge, a migration) is not seen row by row:
    # once it is committed, every loaded model is rebuilt from the database on its next read.
    if orm_execute_state.is_insert or orm_execute_state.is_update or orm_execute_state.is_delete:
        orm_execute_state.session.info[_BULK] = True


@event.listens_for(db.session, "after_soft_rollback")
def _discard(session, _previous_transaction):
    session.info.pop(_PENDING, None)
    session.info.pop(_BULK, None)
    session.info.pop(_STEPS, None)


@event.listens_for(db.session, "after_commit")
def _apply(session):
    pending = session.info.pop(_PENDING, None)
    steps = session.info.pop(_STEPS, None) or {}
    session.info["committed_rows"] = pending or []  # for the events of the action that committed
    if session.info.pop(_BULK, False):
        try:
            _registry().models.clear()
        except RuntimeError:  # no app: nothing is loaded
            pass
        return
    if not pending:
        return
    try:
        registry = _registry()
    except RuntimeError:  # no app: nothing is loaded
        return
    with registry.lock:
        engagement_atelier = {eid: aid for aid, m in registry.models.items() for eid in m.tables["engagement"]}
        touched: dict[int, list] = {}
        for table, row, deleted in pending:
            if table == "engagement" and not deleted:
                engagement_atelier[row["id"]] = row["atelier_id"]
            atelier_id = (row["id"] if table == "atelier" else row.get("atelier_id")
                          or engagement_atelier.get(row.get("engagement_id")))
            if atelier_id in registry.models:
                touched.setdefault(atelier_id, []).append((table, row, deleted))
        for atelier_id, changes in touched.items():
            model = registry.models[atelier_id]
            # One commit may hold several actions (group commit), each moving seq on by one, and the
            # atelier's row may be flushed once for all of them: the last one written must be the
            # model's seq plus the steps this transaction made, or some change was made elsewhere.
            expected, last, gap = model.seq + steps.get(atelier_id, 0), None, False
            try:
                for table, row, deleted in changes:
                    if table == "atelier":
                        last = row["seq"]
                    if deleted:
                        model.drop(table, row["id"])
                    else:
                        model.put(table, row)
            except Exception:  # never fail a committed action: the next read rebuilds from the database
                current_app.logger.exception("read model update failed; rebuilding")
                gap = True
            if gap or (last is not None and last != expected):
                registry.models.pop(atelier_id, None)  # a change made elsewhere: rebuild on next read
