"""Group commit: actions waiting together are written in one transaction, each answered only
after that commit; one refused action costs the others nothing; a retried op_id is applied once."""

from __future__ import annotations

import uuid

from sqlalchemy import event, func, select

from fabrique import actions, catalog, readmodel
from fabrique.actions import Refused, _Job, perform
from fabrique.actions.participation import join
from fabrique.extensions import db
from fabrique.actions.rows import insert_row
from fabrique.models import AppliedAction, Atelier, Piste, Support, ValueVote
from tests.factories import new_atelier


def _piste(atelier, change, participant_id, text):
    db.session.add(Piste(atelier_id=atelier.id, participant_id=participant_id, theme_id="vivre-mieux", text=text, horizon="2040"))
    change.content = True
    return {"ok": True}


def _refuse(atelier, change):
    db.session.add(Piste(atelier_id=atelier.id, theme_id="vivre-mieux", text="jamais", horizon="2040"))
    db.session.flush()
    raise Refused("non", "budget")


def test_waiting_actions_share_one_commit_and_a_refusal_costs_the_others_nothing(app):
    atelier = new_atelier()
    person = join(atelier.id, "Ana").id
    readmodel.model_for(atelier.id)
    commits = []

    def count(session):
        commits.append(1)

    event.listen(db.session, "after_commit", count)
    try:
        ops = [str(uuid.uuid4()) for _ in range(4)]
        waiting = [_Job(atelier.id, f"participant:{person}", ops[0], lambda a, c: _piste(a, c, person, "une"), "fr"),
                   _Job(atelier.id, "facilitator", str(uuid.uuid4()), _refuse, "fr"),
                   _Job(atelier.id, f"participant:{person}", ops[1], lambda a, c: _piste(a, c, person, "deux"), "fr"),
                   _Job(atelier.id, f"participant:{person}", ops[0], lambda a, c: _piste(a, c, person, "une encore"), "fr")]
        actions._queue.extend(waiting)
        answer = perform(atelier.id, f"participant:{person}", ops[2], lambda a, c: _piste(a, c, person, "trois"))
    finally:
        event.remove(db.session, "after_commit", count)
    assert answer["ok"] and all(job.done for job in waiting)
    assert len(commits) == 1  # five actions, one transaction
    assert isinstance(waiting[1].error, Refused) and waiting[1].error.code == "budget"
    assert waiting[3].result["replayed"] is True  # the same op_id, arriving in the same batch
    texts = sorted(db.session.scalars(select(Piste.text).where(Piste.atelier_id == atelier.id)))
    assert texts == ["deux", "trois", "une"]
    assert db.session.scalar(select(func.count()).select_from(AppliedAction)) == 3
    model = readmodel.model_for(atelier.id)
    assert sorted(p["text"] for p in model.rows("piste")) == texts and model.seq == readmodel.build(atelier.id).seq
    assert [len(job.change.rows) > 0 for job in (waiting[0], waiting[2])] == [True, True]


def test_an_action_id_recorded_elsewhere_while_the_batch_ran_is_answered_with_the_first_answer(app, monkeypatch):
    atelier = new_atelier()
    person = join(atelier.id, "Ana").id
    readmodel.model_for(atelier.id)
    ops = [str(uuid.uuid4()) for _ in range(2)]
    # Another process applies ops[0] first, after this batch read the recorded answers.
    with db.engine.begin() as other:
        other.execute(AppliedAction.__table__.insert().values(
            atelier_id=atelier.id, actor=f"participant:{person}", op_id=ops[0], result={"ok": True, "elsewhere": True}))
    reads = []
    real = actions._prior_answers
    monkeypatch.setattr(actions, "_prior_answers", lambda jobs: reads.append(1) or ({} if len(reads) == 1 else real(jobs)))
    first = _Job(atelier.id, f"participant:{person}", ops[0], lambda a, c: _piste(a, c, person, "une"), "fr")
    actions._queue.append(first)
    answer = perform(atelier.id, f"participant:{person}", ops[1], lambda a, c: _piste(a, c, person, "deux"))
    assert answer["ok"] and first.error is None
    assert first.result == {"ok": True, "elsewhere": True, "replayed": True}
    assert list(db.session.scalars(select(Piste.text).where(Piste.atelier_id == atelier.id))) == ["deux"]
    assert db.session.scalar(select(func.count()).select_from(AppliedAction)) == 2
    model = readmodel.model_for(atelier.id)
    assert [p["text"] for p in model.rows("piste")] == ["deux"] and model.seq == readmodel.build(atelier.id).seq


def test_checks_in_one_batch_see_what_the_batch_wrote_before_them(app, monkeypatch):
    from fabrique.actions import contributions, facilitation
    from fabrique.actions.contributions import piste_add, support_add
    from fabrique.actions.facilitation import FACILITATOR_ACTIONS
    from tests.factories import PHASES

    atelier = new_atelier()
    ana, bob, cyd, dan = (join(atelier.id, name).id for name in ("Ana", "Bob", "Cyd", "Dan"))
    FACILITATOR_ACTIONS["settings_update"](atelier.id, str(uuid.uuid4()), {"settings": {"dots": 1}})
    FACILITATOR_ACTIONS["phase_goto"](atelier.id, str(uuid.uuid4()), {"to": PHASES["pistes"]})
    one, two = (piste_add(ana, str(uuid.uuid4()), {"theme_id": "vivre-mieux", "horizon": "2040", "text": text}, atelier.id)["piste_id"]
                for text in ("Des bancs", "Des arbres"))
    FACILITATOR_ACTIONS["phase_goto"](atelier.id, str(uuid.uuid4()), {"to": PHASES["vote"]})
    readmodel.model_for(atelier.id)
    queued = []

    def queue(atelier_id, actor, op_id, action, *args):
        queued.append(_Job(atelier_id, actor, op_id, lambda a, c: action(a, c, *args), "fr"))
        actions._queue.append(queued[-1])
        return {}

    monkeypatch.setattr(contributions, "perform", queue)
    monkeypatch.setattr(facilitation, "perform", queue)
    support_add(ana, str(uuid.uuid4()), {"piste_id": one}, atelier.id)  # from the read model
    support_add(ana, str(uuid.uuid4()), {"piste_id": two}, atelier.id)  # her dot is already placed, in this batch
    support_add(bob, str(uuid.uuid4()), {"piste_id": 99999}, atelier.id)  # no such piste
    FACILITATOR_ACTIONS["piste_hide"](atelier.id, str(uuid.uuid4()), {"piste_id": two, "hidden": True})
    support_add(cyd, str(uuid.uuid4()), {"piste_id": two}, atelier.id)  # hidden earlier in this batch
    monkeypatch.undo()
    assert support_add(dan, str(uuid.uuid4()), {"piste_id": one}, atelier.id)["ok"]
    outcomes = [job.error.code if job.error else "ok" for job in queued]
    assert outcomes == ["ok", "budget", "state", "ok", "state"]
    supports = sorted((s.participant_id, s.piste_id) for s in db.session.scalars(select(Support)))
    assert supports == sorted([(ana, one), (dan, one)])
    model, rebuilt = readmodel.model_for(atelier.id), readmodel.build(atelier.id)
    assert model.tables["support"] == rebuilt.tables["support"] and model.seq == rebuilt.seq


def test_recorded_answers_are_found_for_any_batch_size_with_a_handful_of_statements(app):
    atelier = new_atelier()
    ops = [str(uuid.uuid4()) for _ in range(40)]
    with db.engine.begin() as other:
        other.execute(AppliedAction.__table__.insert(), [
            {"atelier_id": atelier.id, "actor": "participant:1", "op_id": op, "result": {"n": n}} for n, op in enumerate(ops)])
    for size in (1, 3, 5, 6, 7, 9, 17, 33, 40):
        jobs = [_Job(atelier.id, "participant:1", op, None, "fr") for op in ops[:size]]
        assert actions._prior_answers(jobs) == {(atelier.id, "participant:1", op): {"n": n} for n, op in enumerate(ops[:size])}
    # Statements for 1, 2, 4… 64 ids (and the recording one), not one per batch size.
    assert actions._applied_statements.cache_info().currsize <= 8


def test_joins_in_one_batch_balance_personas_and_hold_the_cap_through_other_writes(app, monkeypatch):
    from fabrique.actions import participation
    from fabrique.models import Participant

    atelier = new_atelier(max_participants=5)
    personas = [p.id for p in catalog().personas_for(catalog().templates[atelier.template_id])]
    readmodel.model_for(atelier.id)
    queued = []

    def queue(atelier_id, actor, op_id, action, *args):
        queued.append(_Job(atelier_id, actor, op_id, lambda a, c: action(a, c, *args), "fr"))
        actions._queue.append(queued[-1])
        return {"participant": {}}

    def add_through_the_orm(atelier_, change):  # a write outside own rows: what the batch counted may have changed
        db.session.add(Participant(atelier_id=atelier_.id, pseudonym="Orm", pseudonym_key="orm", persona_id=personas[1]))
        change.content = True

    monkeypatch.setattr(participation, "perform", queue)
    join(atelier.id, "Ana")
    queued.append(_Job(atelier.id, "facilitator", None, add_through_the_orm, "fr"))
    actions._queue.append(queued[-1])
    join(atelier.id, "Bob")
    join(atelier.id, "ANA")  # taken in this batch: refused, and the batch runs again without it
    join(atelier.id, "Cyd")
    monkeypatch.undo()
    join(atelier.id, "Dan")  # the fifth: the cap
    try:
        join(atelier.id, "Eve")
    except Refused as refused:
        assert refused.code == "full"
    else:
        raise AssertionError("a sixth participant joined an atelier of five")
    assert [job.error.code if job.error else "ok" for job in queued] == ["ok", "ok", "ok", "taken", "ok"]
    held = dict(db.session.execute(select(Participant.pseudonym, Participant.persona_id).where(Participant.atelier_id == atelier.id)).all())
    assert held == {"Ana": personas[0], "Orm": personas[1], "Bob": personas[2], "Cyd": personas[3], "Dan": personas[4]}



def _next_phase(atelier, change):
    atelier.phase_index += 1
    change.stage = change.content = True
    return {"ok": True}


def _vote(atelier, change, participant_id, value_id):
    """A contained action: one Core row of the participant's own, as `values_set` writes them."""
    actions.own_rows_only(participant_id)
    insert_row(ValueVote, atelier_id=atelier.id, participant_id=participant_id, persona_id=None, value_id=value_id, points=1)
    change.content = True
    return {"ok": True}


def test_the_counters_of_a_batch_are_stored_as_the_read_model_holds_them(app):
    """seq, changed_at and stage_version: one UPDATE per batch, alone or beside the ORM's own writes."""
    atelier = new_atelier()
    people = [join(atelier.id, name).id for name in ("Ana", "Bea", "Cem")]
    values = [v.id for v in catalog().templates[atelier.template_id].values]
    before = db.session.get(Atelier, atelier.id)
    seq, stage, phase = before.seq, before.stage_version, before.phase_index
    readmodel.model_for(atelier.id)
    updates = []

    def watch(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("UPDATE ATELIER"):
            updates.append(statement)

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        # Contained actions only (Core rows): the counters are the batch's one atelier UPDATE.
        actions._queue.extend(_Job(atelier.id, f"participant:{p}", str(uuid.uuid4()),
                                   lambda a, c, p=p: _vote(a, c, p, values[0]), "fr") for p in people[1:])
        perform(atelier.id, f"participant:{people[0]}", str(uuid.uuid4()), lambda a, c: _vote(a, c, people[0], values[0]))
        assert len(updates) == 1
        # A facilitator's ORM write in the same batch as a participant's: both reach the database.
        updates.clear()
        actions._queue.append(_Job(atelier.id, "facilitator", str(uuid.uuid4()), _next_phase, "fr"))
        perform(atelier.id, f"participant:{people[0]}", str(uuid.uuid4()), lambda a, c: _vote(a, c, people[0], values[1]))
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    assert len(updates) == 2  # the counters, then the phase through the ORM
    db.session.expire_all()
    stored = db.session.get(Atelier, atelier.id)
    assert (stored.seq, stored.stage_version, stored.phase_index) == (seq + 5, stage + 1, phase + 1)
    assert stored.changed_at is not None
    model = readmodel.model_for(atelier.id)
    assert readmodel.loaded(atelier.id) is model and model.seq == seq + 5  # followed, never rebuilt behind its back
    assert model.tables["atelier"] == readmodel.build(atelier.id).tables["atelier"]
    assert len(model.rows("value_vote")) == 4


def test_a_batch_read_from_the_read_model_hands_its_counters_on_to_a_later_orm_write(app):
    """Contained actions lock the atelier with one Core statement and read it from the read model;
    a facilitator's action later in the batch gets the mapped object with the counters moved so far."""
    atelier = new_atelier()
    people = [join(atelier.id, name).id for name in ("Ana", "Bea", "Cem")]
    values = [v.id for v in catalog().templates[atelier.template_id].values]
    before = db.session.get(Atelier, atelier.id)
    seq, stage, phase = before.seq, before.stage_version, before.phase_index
    atelier_id = atelier.id
    readmodel.model_for(atelier_id)
    reads = []

    def watch(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT") and "FROM atelier" in statement:
            reads.append(statement)

    def vote(person, value):
        return _Job(atelier_id, f"participant:{person}", str(uuid.uuid4()), lambda a, c: _vote(a, c, person, value), "fr",
                    contained=True)

    event.listen(db.engine, "before_cursor_execute", watch)
    try:
        actions._queue.append(vote(people[1], values[0]))
        perform(atelier_id, f"participant:{people[2]}", str(uuid.uuid4()),
                actions.contained(lambda a, c: _vote(a, c, people[2], values[0])))
        assert reads == []  # its one read of the atelier is the lock's, on the driver's cursor (`lookups`)
        actions._queue.extend([vote(people[0], values[0]), _Job(atelier_id, "facilitator", str(uuid.uuid4()), _next_phase, "fr"),
                               vote(people[1], values[1])])
        perform(atelier_id, f"participant:{people[2]}", str(uuid.uuid4()),
                actions.contained(lambda a, c: _vote(a, c, people[2], values[1])))
        assert len(reads) == 1  # the facilitator's action: the mapped object, loaded FOR UPDATE
    finally:
        event.remove(db.engine, "before_cursor_execute", watch)
    db.session.expire_all()
    stored = db.session.get(Atelier, atelier_id)
    assert (stored.seq, stored.stage_version, stored.phase_index) == (seq + 6, stage + 1, phase + 1)
    model = readmodel.model_for(atelier_id)
    assert readmodel.loaded(atelier_id) is model and model.seq == seq + 6
    rebuilt = readmodel.build(atelier_id)
    assert model.tables["atelier"] == rebuilt.tables["atelier"] and model.tables["value_vote"] == rebuilt.tables["value_vote"]
    assert len(model.rows("value_vote")) == 5


def test_a_contained_action_reads_the_database_when_it_moved_on_without_the_read_model(app):
    """Another process changed the atelier: its row and the checks come from the database, not the stale model."""
    atelier = new_atelier()
    person = join(atelier.id, "Ana").id
    values = [v.id for v in catalog().templates[atelier.template_id].values]
    stale = readmodel.model_for(atelier.id)
    phase = stale.atelier.phase_index
    db.session.execute(Atelier.__table__.update().where(Atelier.id == atelier.id).values(
        seq=Atelier.seq + 1, phase_index=Atelier.phase_index + 1))  # as another process would, unseen here
    db.session.commit()
    readmodel._registry().models[atelier.id] = stale  # noqa: SLF001 (the model this process still holds)
    seen = []
    perform(atelier.id, f"participant:{person}", str(uuid.uuid4()),
            actions.contained(lambda a, c: seen.append(a.phase_index) or _vote(a, c, person, values[0])))
    assert seen == [phase + 1]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ValueVote).where(ValueVote.participant_id == person)) == 1
    model, rebuilt = readmodel.check_seq(atelier.id), readmodel.build(atelier.id)
    assert model is not stale and model.tables["atelier"] == rebuilt.tables["atelier"]
    assert model.tables["value_vote"] == rebuilt.tables["value_vote"]


def test_queuing_gives_back_a_read_transaction_and_makes_no_session_where_there_was_none(app):
    atelier = new_atelier()
    with app.app_context():  # an event's own context: nothing read yet
        actions._release_reads()
        assert not db.session.registry.has()  # no session made only to be found empty
        db.session.scalar(select(Atelier.seq).where(Atelier.id == atelier.id))
        assert db.session().in_transaction()
        actions._release_reads()
        assert not db.session().in_transaction()  # its pooled connection is back before it waits
        db.session.add(Piste(atelier_id=atelier.id, theme_id="vivre-mieux", text="gardée", horizon="2040"))
        actions._release_reads()
        assert db.session.new  # pending writes are not thrown away
        db.session.rollback()
