"""Group commit: actions waiting together are written in one transaction, each answered only
after that commit; one refused action costs the others nothing; a retried op_id is applied once."""

from __future__ import annotations

import uuid

from sqlalchemy import event, func, select

from fabrique import actions, readmodel
from fabrique.actions import Refused, _Job, perform
from fabrique.actions.participation import join
from fabrique.extensions import db
from fabrique.models import AppliedAction, Piste
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
