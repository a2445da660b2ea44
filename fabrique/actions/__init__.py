"""The only code that writes. Each action checks first, then writes, inside `perform`.

`perform` runs one action as one short transaction: it answers a retried client action id with
the first answer (nothing applied twice), lets the action refuse with `Refused` before anything
is written, commits, and only then hands what changed to `events` (ack after commit, events on
commit, as in Zulip's event system).
"""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from dataclasses import dataclass, field
from types import SimpleNamespace

from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from .. import collector
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
    merged: set[int] = field(default_factory=set)  # pistes merged or unmerged: their supporters' dots stand elsewhere

    def __bool__(self) -> bool:
        return self.stage or self.content

    def own_changes(self, model=None) -> dict[int, tuple[set[str], set[int]]]:
        """Return, for each participant whose own state changed, the parts of `mine` that did and
        the ids of their pistes written or removed.

        With the atelier's read model, a merge or an unmerge also changes the `supports` of every
        participant with a dot on that piste or on one merged into it (their dots count under
        another kept piste now), though none of their rows was written.
        """
        changed: dict[int, tuple[set[str], set[int]]] = {}
        for table, row, _deleted in self.rows:
            participant_id = row.get("participant_id")
            if table in MINE_PART and participant_id is not None:
                parts, pistes = changed.setdefault(participant_id, (set(), set()))
                parts.add(MINE_PART[table])
                if table == "piste":
                    pistes.add(row["id"])
        if model is not None and self.merged:
            for participant_id in model.supporters_under(self.merged):
                changed.setdefault(participant_id, (set(), set()))[0].add("supports")
        return changed

    def touched(self, *tables: str) -> set[tuple[str, int]]:
        """Return the (table, id) of the rows of `tables` this change wrote or removed."""
        return {(table, row["id"]) for table, row, _deleted in self.rows if table in tables}


# One writer at a time. Under eventlet a greenlet waiting on SQLite's C-level lock blocks the
# whole process, so writers queue here (a green lock once eventlet has patched threading) and
# hold the transaction only for the few statements they need; nothing inside yields to I/O.
_write_lock = threading.RLock()

# Group commit: actions arriving together wait in `_queue`; whoever takes the write lock runs all
# the waiting ones in one transaction — one commit, one fsync — and each caller is answered only
# once that commit succeeded. A bounded batch keeps every ack's wait short.
BATCH = 64
_queue: list[_Job] = []
_queue_lock = threading.Lock()


@dataclass
class _Job:
    atelier_id: int
    actor: str
    op_id: str | None
    run: object  # action(atelier, change) -> result
    locale: str  # refusals are worded in the caller's language, whoever runs the batch
    contained: bool = False  # the action writes only its participant's own rows (`contained`)
    done: bool = False
    result: dict | None = None
    change: Change | None = None
    error: BaseException | None = None


def perform(atelier_id: int, actor: str, op_id: str | None, action, *args, **kwargs) -> dict:
    """Apply `action(atelier, change, …)` once per (actor, op_id); return its result.

    A retry with the same op_id returns the stored result with `replayed: True` and changes
    nothing. A `Refused` raised by the action leaves the database as it was.
    """
    from . import _events_bridge

    if op_id is not None and (not isinstance(op_id, str) or not 1 <= len(op_id) <= 64):
        raise Refused(_("Identifiant d'action invalide."), "invalid")
    job = _Job(atelier_id, actor, op_id, lambda atelier, change: action(atelier, change, *args, **kwargs), str(get_locale() or "fr"),
               contained=getattr(action, "contained", False))
    collector.note_action()
    _release_reads()
    with _queue_lock:
        _queue.append(job)
    time.sleep(0)  # let actions that arrived at the same moment join the batch (yields under eventlet too)
    ran_here = False
    while not job.done:  # done by whoever took the lock first, or by us
        with _write_lock:
            if not job.done:
                with _queue_lock:
                    batch = _queue[:BATCH]
                    del _queue[:BATCH]
                _commit(batch)
                ran_here = True
    session = None if ran_here else _existing_session()
    if session is not None:
        session.expire_all()  # another caller's session wrote: drop what this one may hold stale
    if job.error is not None:
        if isinstance(job.error, Refused):
            from .. import logs

            logs.refusal(atelier_id, actor, job.error.code)
        raise job.error
    change, result = job.change, job.result
    if change is not None and (change or change.rows):
        _events_bridge.publish(change)
    if actor.startswith("participant:"):
        # What the ack shows of the phone's own state: only the parts this action changed (none
        # for an action that changed nothing), and of its pistes only those written. A retried
        # action (no change at all: its first answer may have been lost) gets the whole of it.
        if change is None:
            result = {**result, "changed_mine": None, "changed_pistes": None}
        else:
            parts, pistes = change.own_changes().get(int(actor.split(":")[1]), ((), ()))
            result = {**result, "changed_mine": sorted(parts), "changed_pistes": sorted(pistes)}
    return result


def _release_reads() -> None:
    """End the caller's read-only transaction, giving its pooled connection back before it queues.

    A page or a handler that read (the atelier of a join code…) holds a connection until its
    transaction ends; a whole room joining at once would then hold every connection of the pool
    while waiting for the writer, and the others would time out. Nothing is lost: the caller's
    objects are expired and read again if used, as they are after another caller's batch.
    """
    session = _existing_session()
    if session is not None and session.in_transaction() and not (
            session.new or session.dirty or session.deleted or session.info.get("readmodel_pending")):
        session.rollback()


def _existing_session():
    """Return the caller's session if it has one, without making one.

    A phone's event runs in an app context of its own, and most read nothing from the database:
    the batch that writes their action is run by whichever caller took the lock first, in its own
    session. Making one only to find it empty was 3 to 4.5 % of the server's samples in a closed
    loop of 2,000 phones.
    """
    registry = db.session.registry
    return registry() if registry.has() else None


def _commit(batch: list[_Job]) -> None:
    """Run the jobs in order in one transaction and commit; a job that fails is dropped and the
    others run again without it (refusals are rare, so the common batch runs once)."""
    global _transaction
    pending = list(batch)
    one_by_one = False  # after the batch's action ids conflicted: record each with its action, to know whose
    try:
        while pending:
            failed = None
            ends = []
            _transaction = _Transaction(answers=_prior_answers(pending), one_by_one=one_by_one)
            for job in pending:
                try:
                    with _speaking(job.locale):
                        job.result, job.change = _run(job, _transaction)
                    if not _transaction.contained:
                        db.session.flush()  # one by one, so that a conflict names the job that caused it
                except IntegrityError:
                    # Another process applied the same op_id (or an equivalent row) first.
                    with force_locale(job.locale):
                        failed, job.error = job, Refused(_("Cette action vient déjà d'être enregistrée."), "conflict")
                except BaseException as error:  # noqa: BLE001 (handed to the caller, raised there)
                    failed, job.error = job, error
                if failed is not None:
                    break
                ends.append(len(db.session.info.get("readmodel_pending", [])))
            if failed is None and _transaction.records:
                try:
                    db.session.connection().execute(_applied_statements()[1], _transaction.records)
                except IntegrityError:  # another process applied one of these ids meanwhile
                    db.session.rollback()
                    one_by_one = True
                    continue
            if failed is not None:
                db.session.rollback()
                failed.done = True
                pending = [j for j in pending if j is not failed]
                continue
            _write_counters(_transaction)
            db.session.commit()
            rows = db.session.info.pop(COMMITTED_ROWS, [])
            start = 0
            for job, end in zip(pending, ends):
                if job.change is not None:
                    job.change.rows = rows[start:end]
                start = end
                job.done = True
            pending = []
    except BaseException as error:  # the commit itself failed: nobody is told "saved"
        db.session.rollback()
        for job in pending:
            job.error, job.done = error, True
    finally:
        _transaction = None
        for job in batch:
            job.done = True


_COUNTERS = ("seq", "changed_at", "stage_version")


def _write_counters(transaction: _Transaction) -> None:
    """Write the counters (seq, changed_at, stage_version) of the ateliers the batch moved on, with SQLAlchemy Core.

    Left to the ORM, they made its unit of work run for every batch, a fifth of the cost of a
    one-action batch (a burst's usual one, each phone acting alone) whose only other writes are
    Core rows. The read model receives the atelier's row as the ORM would have handed it.
    """
    from .. import readmodel
    from ..readmodel.rows import row_of

    for atelier_id in sorted(transaction.stepped):
        atelier = transaction.locked[atelier_id]
        values = {name: getattr(atelier, name) for name in _COUNTERS}
        db.session.connection().execute(_counters_statement(), {"atelier_id": atelier_id, **values})
        readmodel.written(db.session, "atelier", row_of(atelier, "atelier"))


@functools.cache
def _counters_statement():
    from ..models import Atelier

    table = Atelier.__table__
    return update(table).where(table.c.id == bindparam("atelier_id")).values(
        {name: bindparam(name) for name in _COUNTERS})


def _speaking(locale: str):
    """Word refusals in `locale` (switching only when the job's caller speaks another language)."""
    return contextlib.nullcontext() if str(get_locale() or "fr") == locale else force_locale(locale)


@dataclass
class _Transaction:
    """What the batch's transaction has done so far that the next action's checks depend on."""

    # Ateliers read FOR UPDATE already: the row stays locked until the commit, so the batch's
    # next actions on that atelier need not read it again.
    locked: dict = field(default_factory=dict)
    # Each locked atelier's read model, when its seq matched the database's as it was locked.
    models: dict = field(default_factory=dict)
    participants: set[int] = field(default_factory=set)  # whose own rows its contained actions wrote
    shared: bool = False  # some action wrote through the ORM: anything may have changed
    contained: bool = False  # the action running wrote only its participant's own rows, through `rows`
    # The first answer to each (atelier, actor, op_id) of the batch: as recorded before it, read in
    # one query, then as given by this transaction's actions, recorded together before the commit.
    answers: dict = field(default_factory=dict)
    records: list[dict] = field(default_factory=list)
    one_by_one: bool = False  # record each action id as its action runs (a conflict then names its job)
    # What actions of one kind computed for the batch's next ones (a join's persona counts): kept
    # while actions write only their participant's own rows, forgotten after any other write.
    memo: dict = field(default_factory=dict)
    stepped: set[int] = field(default_factory=set)  # the ateliers whose counters moved on (`_write_counters`)


_transaction: _Transaction | None = None  # the batch being written (one writer at a time: `_write_lock`)


def checks_for(atelier_id: int, participant_id: int):
    """Return where a contained action reads its checks: the read model when it is exactly what
    this transaction sees, else the database.

    A contained action writes only its participant's own rows, through `rows`. The read model is
    then exact for it when it matched the database as the atelier was locked, no earlier action
    of the batch wrote through the ORM, and none wrote this participant's rows; a row written by
    another participant in the batch (a new piste) is missing from it and read from the database.
    """
    from ..readmodel.checks import DatabaseChecks, ModelChecks

    transaction = _transaction
    model = transaction.models.get(atelier_id)
    exact = model is not None and not transaction.shared and participant_id not in transaction.participants
    own_rows_only(participant_id)
    return ModelChecks(model) if exact else DatabaseChecks()


def batch_memo(key, compute):
    """Return what `compute()` returned for `key` earlier in this batch's transaction, else compute it now.

    For what a kind of action checks and keeps up to date itself for the next ones of the batch
    (a join's persona counts); forgotten once an action writes more than its participant's own rows.
    """
    memo = _transaction.memo
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def contained(action):
    """Mark `action(atelier, change)` as one that writes only its participant's own rows (`own_rows_only`).

    Its batch may then lock the atelier with one Core statement and read it from the read model
    (`_lock`), where the ORM's load of the row was a quarter of a one-action batch.
    """
    action.contained = True
    return action


def own_rows_only(participant_id: int) -> None:
    """Note that the running action writes only this participant's own rows, through `rows`."""
    _transaction.contained = True
    _transaction.participants.add(participant_id)


def _run(job: _Job, transaction: _Transaction) -> tuple[dict, Change | None]:
    """Check then write one action inside the batch's transaction (no commit)."""
    from .. import readmodel
    from ..models import Atelier, utcnow

    transaction.contained = False
    # The action ids are read (`_prior_answers`) and recorded with SQLAlchemy Core on the session's
    # connection, in the same transaction: the ORM's unit of work cost more than the action itself,
    # and the read model does not follow this table.
    key = (job.atelier_id, job.actor, job.op_id)
    if job.op_id is not None and key in transaction.answers:
        return {**transaction.answers[key], "replayed": True}, None
    atelier = transaction.locked.get(job.atelier_id)
    if atelier is None or not (job.contained or isinstance(atelier, Atelier)):
        atelier = _lock(job, transaction, atelier)
    if atelier is None:
        raise Refused(_("Cet atelier n'existe plus."), "not_found")
    change = Change(job.atelier_id)
    try:
        result = job.run(atelier, change) or {}
        if not transaction.contained:
            transaction.shared = True
            transaction.memo.clear()
    except Refused as refused:
        from ..vocabulary import in_words_of

        refused.reason = in_words_of(atelier, refused.reason)  # "{piste.ce}" in the template's words
        refused.args = (refused.reason,)
        raise
    # The counters move on the object without the ORM seeing a change: `_write_counters` writes them.
    if change:  # a stage change is a change
        _set_counter(atelier, "seq", atelier.seq + 1)
        readmodel.stepped(db.session, job.atelier_id)
        _set_counter(atelier, "changed_at", utcnow())  # the synthesis' version is dated from the last change
        transaction.stepped.add(job.atelier_id)
    if change.stage:
        _set_counter(atelier, "stage_version", atelier.stage_version + 1)
    if job.op_id is not None:
        transaction.answers[key] = result
        record = {"atelier_id": job.atelier_id, "actor": job.actor, "op_id": job.op_id, "result": result, "created_at": utcnow()}
        if transaction.one_by_one:
            db.session.connection().execute(_applied_statements()[1], record)
        else:
            transaction.records.append(record)
    return result, change


def _lock(job: _Job, transaction: _Transaction, held):
    """Lock the job's atelier for the rest of the batch and return it (None if it is gone).

    A contained action gets the atelier as its read model holds it, when that model's seq is the
    one the database has: one Core statement, no ORM load. Any other action gets the mapped
    object, loaded FOR UPDATE, carrying the counters the batch has moved on so far (`held`).
    """
    from .. import readmodel
    from ..lookups import locked_atelier_seq
    from ..models import Atelier

    atelier_id = job.atelier_id
    if held is None and job.contained:
        seq = locked_atelier_seq(db.session.connection(), atelier_id)
        if seq is None:
            return None
        model = readmodel.loaded(atelier_id)
        if model is not None and model.seq == seq:
            transaction.models[atelier_id] = model
            transaction.locked[atelier_id] = atelier = model.atelier
            return atelier
    atelier = db.session.get(Atelier, atelier_id, with_for_update=True, populate_existing=True)
    if atelier is None:
        return None
    if held is None:
        model = readmodel.loaded(atelier_id)
        transaction.models[atelier_id] = model if model is not None and model.seq == atelier.seq else None
    else:
        for name in _COUNTERS:
            set_committed_value(atelier, name, getattr(held, name))
    transaction.locked[atelier_id] = atelier
    return atelier


def _set_counter(atelier, name: str, value) -> None:
    """Move one of the atelier's counters on, unseen by the ORM (`_write_counters` writes them)."""
    if isinstance(atelier, SimpleNamespace):  # the read model's copy of the row (`_lock`)
        setattr(atelier, name, value)
    else:
        set_committed_value(atelier, name, value)


def _prior_answers(jobs: list[_Job]) -> dict:
    """Return the recorded answers to the jobs' action ids, read in one query."""
    keys = list({(job.atelier_id, job.actor, job.op_id) for job in jobs if job.op_id is not None})
    if not keys:
        return {}
    # Asked for a power of two of ids, the last one repeated: a handful of statement shapes, where
    # one per batch size (64 of them, each compiled and cached by SQLAlchemy) held some 19 MiB.
    count = 1 << (len(keys) - 1).bit_length()
    keys += keys[-1:] * (count - len(keys))
    params = {f"{name}{i}": value for i, key in enumerate(keys) for name, value in zip("aco", key)}
    rows = db.session.connection().execute(_applied_statements(count)[0], params)
    return {(row.atelier_id, row.actor, row.op_id): row.result for row in rows}


@functools.cache
def _applied_statements(count: int = 1):
    """Return the statements that read the answers to `count` action ids and record a new one."""
    from ..models import AppliedAction

    # One (atelier, actor, op_id) = … per id, joined by OR: every database answers it from the
    # unique index, where a row-value IN is a whole-table scan in SQLite. Built once per count.
    table = AppliedAction.__table__
    prior = select(table.c.atelier_id, table.c.actor, table.c.op_id, table.c.result).where(or_(*(and_(
        table.c.atelier_id == bindparam(f"a{i}"), table.c.actor == bindparam(f"c{i}"), table.c.op_id == bindparam(f"o{i}"))
        for i in range(count))))
    return prior, insert(table)


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
