"""SQLite and PostgreSQL refuse the same inputs the same way: a clear reason, nothing stored."""

import pytest
from sqlalchemy import func, select

from fabrique.extensions import db
from fabrique.models import Atelier, Participant, ValueWord
from tests.factories import Console, Phone, new_atelier


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request, make_app, tmp_path):
    """The app on SQLite, then on PostgreSQL."""
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}" if request.param == "sqlite" else request.getfixturevalue("postgres_cluster")()
    app = make_app(url)
    with app.app_context():
        yield app


FORMS = [
    ({"audience": "é" * 201}, "Le public : 200 caractères au plus."),
    ({"held_on": "2026-12-01T10:00"}, "La date : 10 caractères au plus."),
    ({"name": "Atelier\x00nul"}, "Le nom : caractère non autorisé."),
]


@pytest.mark.parametrize("fields,reason", FORMS)
def test_the_creation_form_refuses_what_a_column_cannot_hold(any_app, fields, reason):
    client = any_app.test_client()
    form = {"template": "la-fabrique-amp-2017", "name": "Conseil de quartier", **fields}
    response = client.post("/ateliers", data=form, follow_redirects=True)
    assert response.status_code == 200
    assert 'class="flash flash-error"' in response.get_data(as_text=True)  # the form's schema may speak first
    assert db.session.scalar(select(func.count()).select_from(Atelier)) == 0


@pytest.mark.parametrize("fields,reason", FORMS)
def test_the_models_refuse_what_a_column_cannot_hold_with_the_field_named(any_app, fields, reason):
    from fabrique.actions import Refused
    from fabrique.actions.ateliers import create_atelier

    arguments = {"name": "Conseil de quartier", **fields}
    with pytest.raises(Refused) as refused:
        create_atelier("la-fabrique-amp-2017", **arguments)
    assert refused.value.reason == reason
    assert db.session.scalar(select(func.count()).select_from(Atelier)) == 0


def test_the_boundary_values_are_stored_whole_on_both_databases(any_app):
    client = any_app.test_client()
    form = {"template": "la-fabrique-amp-2017", "name": "n" * 200, "audience": "é" * 200, "held_on": "2026-12-01"}
    assert client.post("/ateliers", data=form).status_code == 302
    atelier = db.session.scalar(select(Atelier))
    assert (atelier.name, atelier.audience, atelier.held_on) == ("n" * 200, "é" * 200, "2026-12-01")


def test_a_phone_gets_the_same_refusal_and_nothing_is_stored(any_app):
    atelier = new_atelier()
    console = Console(any_app, atelier)
    phone = Phone(any_app, atelier, "Léa")
    console.goto("valeurs")
    assert not phone.act("value_word_add", value_id="innovation", word="m" * 41)["ok"]
    assert db.session.scalar(select(func.count()).select_from(ValueWord)) == 0
    assert phone.act("value_word_add", value_id="innovation", word="au\x00dace")["ok"]  # control characters become spaces
    assert db.session.scalars(select(ValueWord.word)).all() == ["au dace"]
    assert db.session.scalar(select(Participant.pseudonym)) == "Léa"


def test_the_most_frequent_actions_store_what_the_read_model_holds_on_both_databases(any_app):
    from fabrique import readmodel

    atelier = new_atelier()
    console = Console(any_app, atelier)
    lea, tom = Phone(any_app, atelier, "Léa"), Phone(any_app, atelier, "Tom")
    console.goto("valeurs")
    assert lea.act("values_set", points={"innovation": 3})["ok"]
    assert lea.act("values_set", points={"innovation": 1, "solidarite": 2})["mine"]["values"] == {"innovation": 1, "solidarite": 2}
    console.goto("pistes")
    answer = lea.act("piste_add", theme_id="vivre-mieux", horizon="2040", text="Des bancs", hashtags=[])
    assert answer["ok"] and [p["text"] for p in answer["mine"]["pistes_changed"]["upsert"]] == ["Des bancs"]
    console.goto("vote")
    assert tom.act("support_add", piste_id=answer["piste_id"])["mine"]["supports"] == [answer["piste_id"]]
    assert lea.act("support_add", piste_id=answer["piste_id"])["ok"]
    assert tom.act("support_remove", piste_id=answer["piste_id"])["mine"]["supports"] == []
    console.goto("convergence")
    engagement = console.act("engagement_create", theme_id="vivre-mieux", title="Des bancs partout")["engagement_id"]
    assert tom.act("engagement_support", engagement_id=engagement, supported=True)["mine"]["engagement_supports"] == [engagement]
    assert lea.act("engagement_support", engagement_id=engagement, supported=True)["ok"]
    assert lea.act("engagement_support", engagement_id=engagement, supported=False)["mine"]["engagement_supports"] == []
    model, rebuilt = readmodel.model_for(atelier.id), readmodel.build(atelier.id)
    assert model.seq == rebuilt.seq
    for table in ("value_vote", "piste", "support", "engagement_support", "participant"):
        assert model.tables[table] == rebuilt.tables[table], table


def test_the_lookups_every_phone_starts_with_answer_alike_on_both_databases(any_app):
    """A join code, a cookie's token and an atelier's seq, read on the driver's own connection."""
    from fabrique.lookups import atelier_of_code, atelier_seq, participant_of_token

    atelier = new_atelier()
    Phone(any_app, atelier, "Léa")
    participant = db.session.scalar(select(Participant))
    assert atelier_of_code(atelier.join_code) == (atelier.id, atelier.seq)
    assert atelier_of_code(atelier.join_code).seq == atelier.seq
    assert atelier_of_code(atelier.join_code.lower()) is None  # exactly as stored: the views upper-case it
    found = participant_of_token(participant.token)
    assert (found.id, found.atelier_id, found.language) == (participant.id, atelier.id, "fr")
    assert participant_of_token("x" * 64) is None
    assert atelier_seq(atelier.id) == db.session.scalar(select(Atelier.seq).where(Atelier.id == atelier.id))
    assert atelier_seq(atelier.id + 1000) is None
