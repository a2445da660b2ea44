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


class Refused(Exception):
    """An action that cannot be applied; `reason` is shown to the person who asked."""

    def __init__(self, reason: str, code: str = "refused"):
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass
class Change:
    """What an action changed, so that events go to exactly the screens that need them."""

    atelier_id: int
    stage: bool = False  # phase, lock, timer or settings: every screen and phone follows
    content: bool = False  # aggregates shown on the projector and the facilitator's console
    participants: set[int] = field(default_factory=set)  # phones whose own state changed (moderation)
    board: bool = False  # the pistes phones vote on changed (moderation during the vote)
    skip_sid: str | None = None  # the connection that acted: it has its answer as an ack, not as an event

    def __bool__(self) -> bool:
        return self.stage or self.content or self.board or bool(self.participants)


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
    from ..vocabulary import in_words_of
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
            try:
                result = action(atelier, change, *args, **kwargs) or {}
            except Refused as refused:
                refused.reason = in_words_of(atelier, refused.reason)  # "{piste.ce}" in the template's words
                refused.args = (refused.reason,)
                raise
            if change:
                atelier.seq += 1
            if change.stage:
                atelier.stage_version += 1
            if op_id is not None:
                db.session.add(AppliedAction(atelier_id=atelier_id, actor=actor, op_id=op_id, result=result))
            db.session.commit()
        except Refused as refused:
            db.session.rollback()
            from .. import logs

            logs.refusal(atelier_id, actor, refused.code)
            raise
        except IntegrityError:
            # Another process applied the same op_id (or an equivalent row) first.
            db.session.rollback()
            raise Refused(_("Cette action vient déjà d'être enregistrée."), "conflict") from None
        except BaseException:
            db.session.rollback()
            raise
    if change:
        _events_bridge.publish(change)
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
