"""The only code that writes. Each action checks first, then writes, inside `perform`.

`perform` runs one action as one short transaction: it answers a retried client action id with
the first answer (nothing applied twice), lets the action refuse with `Refused` before anything
is written, commits, and only then hands what changed to `events` (ack after commit, events on
commit, as in Zulip's event system).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db

COMMITTED_ROWS = "committed_rows"  # session.info key: the rows the last commit wrote (see readmodel)


class Refused(Exception):
    """An action that cannot be applied; `reason` is shown to the person who asked."""

    def __init__(self, reason: str, code: str = "refused"):
        super().__init__(reason)
        self.reason = reason
        self.code = code


# Which part of a phone's own state (`mine`) each participant-owned table feeds.
MINE_PART = {"paradox_choice": "paradoxes", "value_vote": "values", "value_word": "words", "reve": "reves",
             "piste": "pistes", "support": "supports", "engagement_support": "engagement_supports"}


@dataclass
class Change:
    """What an action changed, so that events go to exactly the screens that need them.

    The action sets the flags; `rows` (table, row, deleted) is filled from the session after the
    commit, and says which participants' own state and which board entries changed.
    """

    atelier_id: int
    stage: bool = False  # phase, lock, timer or settings: every screen and phone follows
    content: bool = False  # aggregates shown on the projector and the facilitator's console
    rows: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.stage or self.content

    def mine_parts(self) -> dict[int, set[str]]:
        """Return, for each participant whose own state changed, the parts of `mine` that did."""
        parts: dict[int, set[str]] = {}
        for table, row, _deleted in self.rows:
            if table in MINE_PART and row.get("participant_id") is not None:
                parts.setdefault(row["participant_id"], set()).add(MINE_PART[table])
        return parts

    def touched(self, *tables: str) -> set[tuple[str, int]]:
        """Return the (table, id) of the rows of `tables` this change wrote or removed."""
        return {(table, row["id"]) for table, row, _deleted in self.rows if table in tables}


# One writer at a time. Under eventlet a greenlet waiting on SQLite's C-level lock blocks the
# whole process, so writers queue here (a green lock once eventlet has patched threading) and
# hold the transaction only for the few statements they need; nothing inside yields to I/O.
_write_lock = threading.RLock()


def perform(atelier_id: int, actor: str, op_id: str | None, action, *args, **kwargs) -> dict:
    """Apply `action(atelier, change, …)` once per (actor, op_id); return its result.

    A retry with the same op_id returns the stored result with `replayed: True` and changes
    nothing. A `Refused` raised by the action leaves the database as it was.
    """
    from ..models import AppliedAction, Atelier
    from . import _events_bridge

    if op_id is not None and (not isinstance(op_id, str) or not 1 <= len(op_id) <= 64):
        raise Refused(_("Identifiant d'action invalide."), "invalid")
    with _write_lock:
        try:
            if op_id is not None:
                prior = db.session.scalar(select(AppliedAction).where(
                    AppliedAction.atelier_id == atelier_id, AppliedAction.actor == actor, AppliedAction.op_id == op_id))
                if prior is not None:
                    db.session.rollback()
                    return {**prior.result, "replayed": True}
            atelier = db.session.get(Atelier, atelier_id, with_for_update=True)
            if atelier is None:
                raise Refused(_("Cet atelier n'existe plus."), "not_found")
            change = Change(atelier_id)
            result = action(atelier, change, *args, **kwargs) or {}
            if change:
                atelier.seq += 1
            if change.stage:
                atelier.stage_version += 1
            if op_id is not None:
                db.session.add(AppliedAction(atelier_id=atelier_id, actor=actor, op_id=op_id, result=result))
            db.session.commit()
            change.rows = db.session.info.pop(COMMITTED_ROWS, [])
        except IntegrityError:
            # Another process applied the same op_id (or an equivalent row) first.
            db.session.rollback()
            raise Refused(_("Cette action vient déjà d'être enregistrée."), "conflict") from None
        except BaseException:
            db.session.rollback()
            raise
    if change or change.rows:
        _events_bridge.publish(change)
    if actor.startswith("participant:"):
        # What the ack shows of the phone's own state: only the parts this action changed.
        result = {**result, "changed_mine": sorted(change.mine_parts().get(int(actor.split(":")[1]), ()))}
    return result


def write(fn):
    """Run `fn()` as one serialised write transaction (for writes outside an atelier: creation)."""
    with _write_lock:
        try:
            value = fn()
            db.session.commit()
            return value
        except BaseException:
            db.session.rollback()
            raise
