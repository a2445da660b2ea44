"""Two organisers on one server: neither can see, join or import the other's ateliers and
démarches, through any route or any event, even when both name their démarche the same."""

import json

import pytest
from sqlalchemy import select

from fabrique.actions.ateliers import create_atelier, new_demarche
from fabrique.extensions import db, socketio
from fabrique.models import Atelier, Demarche, Engagement, Piste, Reve, ValueWord
from fabrique.payloads import EVENTS
from tests.factories import Console, Phone

TEMPLATE = "la-fabrique-amp-2017"
SECRET = "Secret de l'organisatrice A"
NAME = "PLU 2030"


def _rows(atelier_id: int) -> list:
    """Return what an atelier holds, row by row, to see that nothing of it changed."""
    return [sorted(map(tuple, db.session.execute(select(*model.__table__.columns).where(model.atelier_id == atelier_id)).all()))
            for model in (Piste, Reve, ValueWord, Engagement)] + [db.session.get(Atelier, atelier_id).seq]


@pytest.fixture
def organisers(app, client):
    app.config["RATE_LIMITS"] = {name: (10**6, 10**6) for name in ("connection_events", "participant_actions", "console_actions")}
    a_demarche = new_demarche(NAME, TEMPLATE)
    a_first = create_atelier(TEMPLATE, "A — valeurs", demarche_id=a_demarche)
    a_later = create_atelier(TEMPLATE, "A — suite", demarche_id=a_demarche)
    console_a, phone_a = Console(app, a_first), Phone(app, a_first, "Ana")
    console_a.goto("valeurs")
    phone_a.act("value_word_add", value_id="innovation", word="audace")
    console_a.goto("reves")
    phone_a.act("reve_add", theme_id="vivre-mieux", text=f"Rêve : {SECRET}")
    console_a.goto("pistes")
    phone_a.act("piste_add", theme_id="vivre-mieux", horizon="2040", text=f"Piste : {SECRET}", hashtags=[])
    console_a.goto("convergence")
    console_a.act("engagement_create", theme_id="vivre-mieux", title=f"Engagement : {SECRET}")
    # Organiser B makes a démarche of the same name through the home form, as anyone can.
    response = client.post("/ateliers", data={"name": "B — atelier", "template": TEMPLATE, "demarche": NAME})
    b = db.session.scalar(select(Atelier).where(Atelier.name == "B — atelier"))
    assert response.status_code == 302 and b.demarche_id not in (None, a_demarche)
    return {"app": app, "client": client, "a": a_first, "a_later": a_later, "b": b, "console_b": Console(app, b),
            "phone_b": Phone(app, b, "Bob"), "phone_a": phone_a, "a_rows": _rows(a_first.id)}


def _a_ids(a: Atelier) -> dict:
    piste = db.session.scalar(select(Piste.id).where(Piste.atelier_id == a.id))
    return {"piste_id": piste, "into_id": piste, "piste_ids": [piste],
            "reve_id": db.session.scalar(select(Reve.id).where(Reve.atelier_id == a.id)),
            "word_id": db.session.scalar(select(ValueWord.id).where(ValueWord.atelier_id == a.id)),
            "engagement_id": db.session.scalar(select(Engagement.id).where(Engagement.atelier_id == a.id)),
            "from_atelier_id": a.id}


PLAUSIBLE = {"hidden": True, "supported": True, "position": 1, "text": "Texte modifié", "title": "Titre modifié",
             "theme_id": "vivre-mieux", "horizon": "2040", "hashtags": []}


def test_every_event_of_one_organiser_leaves_the_other_untouched(organisers):
    ids = _a_ids(organisers["a"])
    for kind in ("valeurs", "reves", "pistes", "vote", "convergence"):  # in every phase where the event is open
        organisers["console_b"].goto(kind)
        for event, schema in EVENTS.items():
            fields = {name: ids.get(name, PLAUSIBLE.get(name)) for name in schema.model_fields if name != "op_id"}
            if not any(name in ids for name in fields):
                continue
            for sender in (organisers["console_b"], organisers["phone_b"]):
                answer = sender.act(event, **{k: v for k, v in fields.items() if v is not None})
                # Taking back a dot one never placed is a no-op, answered as such; all else is refused.
                assert answer["ok"] is False or event == "support_remove", (kind, event, answer)
    assert _rows(organisers["a"].id) == organisers["a_rows"]


def test_no_page_of_one_organiser_shows_the_other(organisers):
    client, a, b = organisers["client"], organisers["a"], organisers["b"]
    home = client.get("/").get_data(as_text=True)
    assert NAME not in home and "<datalist" not in home
    b_console = organisers["console_b"].sync()
    assert b_console["carry_over"] == []  # A's ateliers are not offered for import
    assert SECRET not in json.dumps(b_console)
    for url in (f"/synthese/{b.review_token}", f"/synthese/{b.review_token}?demarche=1", f"/synthese/{b.review_token}.json",
                f"/synthese/{b.review_token}.json?demarche=1",
                f"/facilitate/{b.facilitator_token}", f"/screen/{b.screen_token}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.get_data(as_text=True), url
    # B's secrets open nothing of A's, and A's ids are not addresses.
    for url in (f"/facilitate/{b.screen_token}", f"/screen/{b.facilitator_token}", f"/facilitate/{a.id}",
                f"/synthese/{a.id}", f"/screen/{a.join_code}"):
        assert client.get(url).status_code == 404, url
    # B's phone is not a participant of A's atelier.
    browser = organisers["phone_b"].http
    assert browser.get(f"/participant/{a.join_code}").status_code == 302
    refused = socketio.test_client(organisers["app"], flask_test_client=browser, auth={"role": "participant", "code": a.join_code})
    assert not refused.is_connected()
    for role, token in (("facilitate", b.screen_token), ("screen", b.facilitator_token), ("facilitate", a.review_token)):
        assert not socketio.test_client(organisers["app"], auth={"role": role, "token": token}).is_connected()


def test_joining_a_demarche_takes_its_secret(organisers):
    client, a = organisers["client"], organisers["a"]
    demarche_a = db.session.get(Demarche, a.demarche_id)
    for link in (str(a.demarche_id), NAME, a.facilitator_token, demarche_a.token[:-1], "../" + demarche_a.token + "x"):
        response = client.post("/ateliers", data={"name": "Intrusion", "template": TEMPLATE, "demarche_link": link}, follow_redirects=True)
        assert "Lien de démarche inconnu" in response.get_data(as_text=True), link
    assert db.session.scalar(select(Atelier).where(Atelier.name == "Intrusion")) is None
    # The organiser's own link, from the console of one of the démarche's ateliers, works.
    link = Console(organisers["app"], a).sync()["links"]["demarche_new"]
    page = client.get(link)
    assert NAME in page.get_data(as_text=True) and page.headers["Referrer-Policy"] == "no-referrer"
    client.post("/ateliers", data={"name": "A — troisième", "template": TEMPLATE, "demarche_link": link})
    third = db.session.scalar(select(Atelier).where(Atelier.name == "A — troisième"))
    assert third.demarche_id == a.demarche_id
    console = Console(organisers["app"], third)
    assert {entry["id"] for entry in console.sync()["carry_over"]} == {a.id, organisers["a_later"].id}
    assert console.act("carry_over", from_atelier_id=a.id)["ok"]
