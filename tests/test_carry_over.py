"""A démarche: a later atelier takes over the values ranking and pistes of an earlier one."""

import pytest
from sqlalchemy import func, select

from fabrique.actions.ateliers import create_atelier, new_demarche
from fabrique.extensions import db
from fabrique.models import Piste, Support
from tests.factories import Console, Phone


@pytest.fixture
def demarche(app):
    demarche_id = new_demarche("Projet métropolitain", "la-fabrique-amp-2017")
    first = create_atelier("la-fabrique-amp-2017", "Valeurs et pistes", demarche_id=demarche_id, audience="CODEV")
    later = create_atelier("la-fabrique-amp-2017", "Convergence", demarche_id=demarche_id, audience="Élus")
    console = Console(app, first)
    phones = [Phone(app, first, name) for name in ("Ana", "Bob")]
    console.goto("valeurs")
    phones[0].act("values_set", points={"innovation": 6, "solidarite": 4})
    phones[1].act("values_set", points={"solidarite": 10})
    console.goto("pistes")
    ids = [p.act("piste_add", theme_id="vivre-ensemble", horizon="2040", text=f"Piste de {n}", hashtags=[])["piste_id"]
           for p, n in zip(phones, ("Ana", "Bob"))]
    console.act("piste_hide", piste_id=ids[1], hidden=True)
    console.goto("vote")
    phones[1].act("support_add", piste_id=ids[0])
    return {"app": app, "first": first, "later": later, "ids": ids}


def test_a_later_atelier_imports_values_and_pistes_with_their_origin(demarche):
    console = Console(demarche["app"], demarche["later"])
    assert console.sync()["carry_over"] == [{"id": demarche["first"].id, "label": "Valeurs et pistes (CODEV)", "imported": False}]
    answer = console.act("carry_over", from_atelier_id=demarche["first"].id)
    assert answer == {"ok": True, "pistes": 1, "values": 2}
    state = console.sync()
    assert state["carried_values"][0]["ranking"] == [{"value_id": "solidarite", "points": 14}, {"value_id": "innovation", "points": 6}]
    (piste,) = [p for t in state["themes"] for p in t["pistes"]]
    assert (piste["text"], piste["origin"]) == ("Piste de Ana", "Valeurs et pistes (CODEV)")
    assert piste["supports"] == 0  # supports stay where they were given: nothing is counted twice
    copy = db.session.get(Piste, piste["id"])
    assert copy.origin_piste_id == demarche["ids"][0] and copy.origin_atelier_id == demarche["first"].id
    assert db.session.scalar(select(func.count()).select_from(Support)) == 1
    assert console.act("carry_over", from_atelier_id=demarche["first"].id)["code"] == "state"
    assert console.sync()["carry_over"][0]["imported"] is True


def test_carry_over_stays_inside_the_demarche(app, demarche):
    outsider = create_atelier("la-fabrique-amp-2017", "Hors démarche")
    console = Console(app, outsider)
    assert console.act("carry_over", from_atelier_id=demarche["first"].id)["code"] == "invalid"
    assert Console(app, demarche["later"]).act("carry_over", from_atelier_id=demarche["later"].id)["code"] == "invalid"
    assert Console(app, demarche["later"]).act("carry_over", from_atelier_id="1")["code"] == "invalid"


def test_the_demarche_synthesis_combines_its_ateliers(demarche, client):
    later = demarche["later"]
    Console(demarche["app"], later).act("carry_over", from_atelier_id=demarche["first"].id)
    whole = client.get(f"/synthese/{later.review_token}.json?demarche=1").get_json()
    single = client.get(f"/synthese/{later.review_token}.json").get_json()
    text = str(whole)
    assert "Valeurs et pistes" in text and "Convergence" in text
    assert whole != single
    page = client.get(f"/synthese/{later.review_token}?demarche=1").get_data(as_text=True)
    assert "Envoyer mon avis" not in page and "demarche=1" in page


def test_a_carried_piste_counts_once_in_the_demarche_synthesis(demarche, client):
    later = demarche["later"]
    Console(demarche["app"], later).act("carry_over", from_atelier_id=demarche["first"].id)
    whole = client.get(f"/synthese/{later.review_token}.json?demarche=1").get_json()
    rows = [p for p in whole["annexes"]["pistes"] if p["text"] == "Piste de Ana"]
    assert len(rows) == 1 and rows[0]["supports"] == 1  # Bob's dot, given in the first atelier, counted once


def test_a_proposal_is_carried_once_into_an_atelier(demarche):
    """Carried back, or carried again through another atelier, a proposal stays one piste there."""
    app, first, later = demarche["app"], demarche["first"], demarche["later"]
    third = create_atelier("la-fabrique-amp-2017", "Troisième", demarche_id=first.demarche_id, audience="Habitants")
    assert Console(app, later).act("carry_over", from_atelier_id=first.id)["pistes"] == 1
    assert Console(app, third).act("carry_over", from_atelier_id=later.id)["pistes"] == 1
    assert Console(app, third).act("carry_over", from_atelier_id=first.id)["pistes"] == 0  # already there, through `later`
    assert Console(app, first).act("carry_over", from_atelier_id=later.id)["pistes"] == 0  # its own piste, back
    for atelier in (first, later, third):
        texts = db.session.scalars(select(Piste.text).where(Piste.atelier_id == atelier.id, Piste.text == "Piste de Ana"))
        assert len(list(texts)) == 1, atelier.name
