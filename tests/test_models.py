"""Constraints that make retried or duplicated actions harmless."""

import pytest
from sqlalchemy.exc import IntegrityError

from fabrique.actions.ateliers import create_atelier
from fabrique.extensions import db
from fabrique.models import (CODE_ALPHABET, AppliedAction, EngagementPiste, Engagement, ParadoxChoice, Participant,
                             Piste, Support, ValueVote)


@pytest.fixture
def atelier(app):
    return create_atelier("la-fabrique-amp-2017", "Atelier d'essai")


def add(*rows):
    db.session.add_all(rows)
    db.session.commit()


def refused(*rows):
    db.session.add_all(rows)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def participant(atelier, name="Léa"):
    p = Participant(atelier_id=atelier.id, pseudonym=name, pseudonym_key=name.casefold(), persona_id="etudiante")
    add(p)
    return p


def test_new_atelier_gets_readable_code_secret_links_and_template_settings(atelier):
    assert len(atelier.join_code) == 6 and set(atelier.join_code) <= set(CODE_ALPHABET)
    assert len({atelier.facilitator_token, atelier.screen_token, atelier.review_token}) == 3
    assert atelier.format_id == "atelier-complet" and atelier.phase_index == 0
    assert atelier.settings["dots"] == 5 and atelier.settings["value_budget"] == 10


def test_pseudonym_is_unique_per_atelier_but_not_across_ateliers(app, atelier):
    participant(atelier, "Léa")
    refused(Participant(atelier_id=atelier.id, pseudonym="LÉA", pseudonym_key="léa"))
    other = create_atelier("la-fabrique-amp-2017", "Autre atelier")
    participant(other, "Léa")


def test_a_value_is_voted_once_per_participant_with_positive_points(atelier):
    p = participant(atelier)
    add(ValueVote(atelier_id=atelier.id, participant_id=p.id, value_id="innovation", points=3))
    refused(ValueVote(atelier_id=atelier.id, participant_id=p.id, value_id="innovation", points=2))
    refused(ValueVote(atelier_id=atelier.id, participant_id=p.id, value_id="ouverture", points=0))


def test_a_paradox_is_chosen_once_per_participant(atelier):
    p = participant(atelier)
    add(ParadoxChoice(atelier_id=atelier.id, participant_id=p.id, paradox_id="x"))
    refused(ParadoxChoice(atelier_id=atelier.id, participant_id=p.id, paradox_id="x"))


def test_one_support_per_person_per_piste(atelier):
    p = participant(atelier)
    piste = Piste(atelier_id=atelier.id, participant_id=p.id, theme_id="vivre-mieux", text="Des navettes", horizon="2024")
    add(piste)
    add(Support(atelier_id=atelier.id, participant_id=p.id, piste_id=piste.id))
    refused(Support(atelier_id=atelier.id, participant_id=p.id, piste_id=piste.id))


def test_piste_status_and_merge_are_constrained(atelier):
    piste = Piste(atelier_id=atelier.id, theme_id="vivre-mieux", text="Des navettes", horizon="2024")
    add(piste)
    refused(Piste(atelier_id=atelier.id, theme_id="vivre-mieux", text="x", horizon="2024", status="deleted"))
    piste.merged_into_id = piste.id
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_piste_stands_behind_one_engagement_at_most(atelier):
    piste = Piste(atelier_id=atelier.id, theme_id="vivre-mieux", text="Des navettes", horizon="2024")
    first = Engagement(atelier_id=atelier.id, theme_id="vivre-mieux", title="A")
    second = Engagement(atelier_id=atelier.id, theme_id="vivre-mieux", title="B")
    add(piste, first, second)
    add(EngagementPiste(engagement_id=first.id, piste_id=piste.id))
    refused(EngagementPiste(engagement_id=second.id, piste_id=piste.id))


def test_a_client_action_id_is_applied_once_per_actor(atelier):
    add(AppliedAction(atelier_id=atelier.id, actor="participant:1", op_id="op-1", result={"ok": True}))
    add(AppliedAction(atelier_id=atelier.id, actor="participant:2", op_id="op-1", result={"ok": True}))
    refused(AppliedAction(atelier_id=atelier.id, actor="participant:1", op_id="op-1", result={"ok": True}))


def test_deleting_an_atelier_removes_its_rows(atelier):
    p = participant(atelier)
    add(ValueVote(atelier_id=atelier.id, participant_id=p.id, value_id="innovation", points=3))
    db.session.delete(db.session.get(Participant, p.id))
    db.session.commit()
    assert db.session.query(ValueVote).count() == 0
