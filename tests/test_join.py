"""Creating an atelier and joining it from a phone, over HTTP."""

import re

import pytest
from sqlalchemy import func, select

from fabrique.extensions import db
from fabrique.models import Atelier, Participant
from tests.factories import new_atelier


@pytest.fixture
def atelier(app):
    return new_atelier()


def join(client, atelier, pseudonym="Léa", **form):
    return client.post(f"/j/{atelier.join_code}", data={"pseudonym": pseudonym, **form})


def test_joining_takes_a_pseudonym_and_opens_the_phone_app(client, atelier):
    page = client.get(f"/j/{atelier.join_code.lower()}")
    assert page.status_code == 200 and "Pseudonyme" in page.get_data(as_text=True)
    response = join(client, atelier)
    # The answer is the phone app itself (no redirect: one round trip fewer for each phone of a room),
    # naming its own address for the history, and kept by no cache, as that address is.
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and '"role": "participant"' in body and "L\\u00e9a" in body
    assert f'<link rel="canonical" href="/participant/{atelier.join_code}">' in body
    assert response.headers["Cache-Control"] == "no-store"
    assert client.get(f"/participant/{atelier.join_code}").status_code == 200
    # Coming back to the QR code on the same phone goes straight to the atelier.
    assert client.get(f"/j/{atelier.join_code}").location.endswith(f"/participant/{atelier.join_code}")


def test_a_taken_pseudonym_is_refused_with_the_form_kept(app, client, atelier):
    join(client, atelier, "Léa")
    other = app.test_client()
    response = join(other, atelier, "  LEA ", college="Élus")
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "est déjà pris dans cet atelier" in text
    assert 'value="  LEA "' in text or 'value="LEA"' in text or "LEA" in text
    assert re.search(r"<option selected>Élus</option>", text)
    assert db.session.query(Participant).count() == 1


@pytest.mark.parametrize("pseudonym,message", [
    ("", "Le pseudonyme est trop court (2 caractères au moins)."),
    ("x" * 41, "Le pseudonyme est trop long : 41 caractères pour 40 au plus."),
])
def test_a_bad_pseudonym_gets_a_clear_message(client, atelier, pseudonym, message):
    response = join(client, atelier, pseudonym)
    assert response.status_code == 422 and message in response.get_data(as_text=True)


def test_a_college_must_come_from_the_template(client, atelier):
    response = join(client, atelier, college="Martiens")
    assert response.status_code == 422 and "Choisissez un collège dans la liste." in response.get_data(as_text=True)


def test_an_unknown_code_sends_back_to_the_code_form(client):
    response = client.get("/j/ZZZZZZ", follow_redirects=True)
    assert "Aucun atelier ne porte ce code" in response.get_data(as_text=True)
    assert client.post("/j", data={"code": "zzzzzz"}, follow_redirects=True).status_code == 200


def test_the_code_form_finds_an_atelier(client, atelier):
    assert client.post("/j", data={"code": f" {atelier.join_code.lower()} "}).location.endswith(f"/j/{atelier.join_code}")


def test_personas_are_balanced_across_the_room(app, atelier):
    personas = []
    for i in range(9):
        join(app.test_client(), atelier, f"Personne {i}")
    personas = [p.persona_id for p in db.session.scalars(select(Participant).order_by(Participant.id))]
    assert len(set(personas[:8])) == 8
    assert personas[8] == personas[0]


def test_participants_may_choose_when_the_facilitator_allows_it(app):
    atelier = new_atelier(persona_assignment="choice")
    client = app.test_client()
    page = client.get(f"/j/{atelier.join_code}").get_data(as_text=True)
    assert "Quel habitant fictif incarnerez-vous\u202f? (facultatif)" in page
    assert "checked" not in page  # nothing chosen for the participant
    join(client, atelier, persona="retraite")
    assert db.session.scalar(select(Participant.persona_id)) == "retraite"
    assert join(app.test_client(), atelier, "Autre", persona="astronaute").status_code == 422


def test_the_rejoin_code_restores_the_identity_on_another_device(app, client, atelier):
    join(client, atelier, "Léa")
    participant = db.session.scalar(select(Participant))
    other_device = app.test_client()
    wrong = other_device.post(f"/j/{atelier.join_code}/retour", data={"rejoin_code": "NOPE00"})
    assert wrong.status_code == 422 and "Code de retour inconnu" in wrong.get_data(as_text=True)
    right = other_device.post(f"/j/{atelier.join_code}/retour", data={"rejoin_code": participant.rejoin_code.lower()})
    assert right.location.endswith(f"/participant/{atelier.join_code}")
    page = other_device.get(f"/participant/{atelier.join_code}").get_data(as_text=True)
    assert '"pseudonym": "L\\u00e9a"' in page or "L\\u00e9a" in page
    assert db.session.query(Participant).count() == 1


def test_the_phone_app_needs_to_have_joined(client, atelier):
    assert client.get(f"/participant/{atelier.join_code}").location.endswith(f"/j/{atelier.join_code}")


def test_creating_an_atelier_from_the_home_page(client):
    assert "Préparer un atelier" in client.get("/").get_data(as_text=True)
    response = client.post("/ateliers", data={"name": "Atelier CODEV", "template": "metz-socle-metropolitain", "metz-socle-metropolitain:dots": "4"})
    atelier = db.session.scalar(select(Atelier))
    assert response.location.endswith(f"/facilitate/{atelier.facilitator_token}")
    assert (atelier.template_id, atelier.format_id, atelier.settings["dots"]) == ("metz-socle-metropolitain", "atelier-socle", 4)
    assert client.get(response.location).status_code == 200


@pytest.mark.parametrize("form,message", [
    ({"name": "", "template": "la-fabrique-amp-2017"}, "Donnez un nom à l&#39;atelier."),
    ({"name": "A", "template": "inconnu"}, "Modèle inconnu"),
    ({"name": "A", "template": "la-fabrique-amp-2017", "la-fabrique-amp-2017:dots": "500"}, "donnez un nombre entre 1 et 50"),
    ({"name": "A", "template": "la-fabrique-amp-2017", "format": "absent"}, "n&#39;a pas de format"),
])
def test_a_bad_creation_form_is_explained_and_creates_nothing(client, form, message):
    page = client.post("/ateliers", data=form, follow_redirects=True).get_data(as_text=True)
    assert message in page
    assert db.session.query(Atelier).count() == 0


def test_secret_links_are_checked(client, atelier):
    assert client.get("/facilitate/nope").status_code == 404
    assert client.get("/screen/nope").status_code == 404
    assert client.get(f"/screen/{atelier.screen_token}").status_code == 200
    assert client.get(f"/facilitate/{atelier.facilitator_token}").status_code == 200


def test_join_qr_code_is_an_svg_of_the_join_link(client, atelier):
    response = client.get(f"/qr/{atelier.join_code}.svg")
    assert response.mimetype == "image/svg+xml" and b"<svg" in response.data
    assert client.get("/qr/NOPE00.svg").status_code == 404


def test_persona_illustrations_are_served(client):
    with client.get("/personas/etudiante.svg") as response:
        assert response.mimetype == "image/svg+xml" and b"<title>" in response.data
    assert client.get("/personas/inconnu.svg").status_code == 404


def test_the_language_switch_is_remembered_and_stays_on_site(client):
    response = client.get("/langue/en?next=/j")
    assert response.location.endswith("/j") and "fabrique_langue=en" in response.headers["Set-Cookie"]
    assert client.get("/langue/en?next=//evil.example").location.endswith("/")
    assert client.get("/langue/xx").status_code == 404
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_cli_creates_an_atelier_and_prints_its_links(runner):
    result = runner.invoke(args=["create-atelier", "--name", "Atelier élus", "--format", "valeurs"])
    assert result.exit_code == 0, result.output
    atelier = db.session.scalar(select(Atelier))
    assert f"http://fabrique.test/facilitate/{atelier.facilitator_token}" in result.output
    assert f"http://fabrique.test/j/{atelier.join_code}" in result.output
    assert atelier.format_id == "valeurs"
    bad = runner.invoke(args=["create-atelier", "--name", "X", "--template", "inconnu"])
    assert bad.exit_code == 1 and "Modèle inconnu" in bad.output
    listing = runner.invoke(args=["ateliers"])
    assert atelier.join_code in listing.output


def test_an_atelier_can_belong_to_a_demarche(client, runner):
    from fabrique.models import Demarche

    client.post("/ateliers", data={"name": "Valeurs élus", "template": "la-fabrique-amp-2017", "demarche": "Démarche Étang de Berre 2031"})
    (demarche,) = db.session.scalars(select(Demarche)).all()
    page = client.get(f"/?demarche={demarche.token}")  # the console's « Nouvel atelier dans cette démarche »
    assert "Démarche Étang de Berre 2031" in page.get_data(as_text=True) and page.headers["Cache-Control"] == "no-store"
    client.post("/ateliers", data={"name": "Valeurs CODEV", "template": "la-fabrique-amp-2017",
                                   "demarche_link": f"http://fabrique.test/?demarche={demarche.token}"})
    assert runner.invoke(args=["create-atelier", "--name", "Pistes", "--demarche-secret", demarche.token]).exit_code == 0
    # The same name without the secret makes another démarche: names are not shared between organisers.
    client.post("/ateliers", data={"name": "Ailleurs", "template": "la-fabrique-amp-2017", "demarche": "Démarche Étang de Berre 2031"})
    db.session.expire_all()
    assert [a.name for a in demarche.ateliers] == ["Valeurs élus", "Valeurs CODEV", "Pistes"]
    assert db.session.scalar(select(func.count()).select_from(Demarche)) == 2
    assert "Démarche Étang de Berre 2031" not in client.get("/").get_data(as_text=True)
