"""Convergence: engagements formed from pistes, within the quota, traceable, supported once."""

import pytest
from sqlalchemy import func, select

from fabrique.events import broadcaster
from fabrique.extensions import db
from fabrique.models import EngagementPiste, EngagementSupport, Piste, Support
from tests.factories import Console, Phone, new_atelier
from tests.test_snapshots import apply, comparable, received


@pytest.fixture
def room(app):
    atelier = new_atelier()
    console = Console(app, atelier)
    ana, bob = Phone(app, atelier, "Ana"), Phone(app, atelier, "Bob")
    console.goto("pistes")
    pistes = [phone.act("piste_add", theme_id="vivre-mieux", horizon="2024", text=f"Piste {i} pour la mobilité", hashtags=[])["piste_id"]
              for i, phone in enumerate((ana, bob, ana))]
    console.goto("vote")
    for phone in (ana, bob):
        assert phone.act("support_add", piste_id=pistes[0])["ok"]
    assert bob.act("support_add", piste_id=pistes[1])["ok"]
    console.goto("convergence")
    return {"console": console, "ana": ana, "bob": bob, "pistes": pistes}


def create(console, title="Démultiplions les alternatives à la voiture en solo", **extra):
    return console.act("engagement_create", theme_id="vivre-mieux", title=title, purpose="Pour réduire les bouchons",
                       how=["Des parkings relais", "Des voies réservées"], **extra)


def test_an_engagement_gathers_pistes_and_shows_what_stands_behind_it(room):
    console, pistes = room["console"], room["pistes"]
    answer = create(console, piste_ids=pistes[:2])
    assert answer["ok"], answer
    (engagement,) = console.sync()["engagements"]
    assert engagement["title"] == "Démultiplions les alternatives à la voiture en solo"
    assert engagement["how"] == ["Des parkings relais", "Des voies réservées"]
    assert [p["id"] for p in engagement["pistes"]] == pistes[:2]
    assert [p["supports"] for p in engagement["pistes"]] == [2, 1]
    assert sum(engagement["personas"].values()) == 2  # Ana and Bob, each once, as authors and supporters


def test_the_quota_is_warned_and_can_be_overridden_deliberately(room):
    console = room["console"]
    for i in range(3):
        assert create(console, title=f"Engagement {i}")["ok"]
    refused = create(console, title="Un de trop")
    assert refused["ok"] is False and refused["code"] == "quota" and "3 engagements par Vivre" in refused["error"]
    assert len(console.sync()["engagements"]) == 3
    assert create(console, title="Un de trop, assumé", override_quota=True)["ok"]
    assert len(console.sync()["engagements"]) == 4


def test_moving_pistes_and_merging_keep_every_piste_and_count_supports_once(room):
    console, pistes = room["console"], room["pistes"]
    first = create(console, title="Premier", piste_ids=[pistes[0]])["engagement_id"]
    second = create(console, title="Second", piste_ids=[pistes[1], pistes[2]])["engagement_id"]
    assert console.act("engagement_link", engagement_id=first, piste_id=pistes[1])["ok"]  # moved, not copied
    assert db.session.scalar(select(func.count()).select_from(EngagementPiste)) == 3
    assert console.act("piste_merge", piste_id=pistes[1], into_id=pistes[0])["ok"]
    state = {e["id"]: e for e in console.sync()["engagements"]}
    # Bob supported both merged pistes: he counts once; the merged piste no longer stands alone.
    assert [(p["id"], p["supports"]) for p in state[first]["pistes"] if p["status"] == "visible"] == [(pistes[0], 2)]
    assert [p["id"] for p in state[second]["pistes"]] == [pistes[2]]
    assert db.session.scalar(select(func.count()).select_from(Piste)) == 3
    assert db.session.scalar(select(func.count()).select_from(Support)) == 3
    assert console.act("engagement_link", engagement_id=second, piste_id=pistes[1])["code"] == "state"


def test_deleting_an_engagement_returns_its_pistes(room):
    console, pistes = room["console"], room["pistes"]
    engagement = create(console, piste_ids=pistes)["engagement_id"]
    assert console.act("engagement_delete", engagement_id=engagement)["ok"]
    assert console.sync()["engagements"] == []
    assert db.session.scalar(select(func.count()).select_from(EngagementPiste)) == 0
    assert db.session.scalar(select(func.count()).select_from(Piste)) == 3


def test_engagements_are_edited_and_reordered(room):
    console = room["console"]
    ids = [create(console, title=f"Engagement {i}")["engagement_id"] for i in range(3)]
    assert console.act("engagement_update", engagement_id=ids[0], title="Titre revu", how=["Un", "Deux"])["ok"]
    assert console.act("engagement_move", engagement_id=ids[2], position=1)["ok"]
    state = console.sync()["engagements"]
    assert [e["id"] for e in state] == [ids[2], ids[0], ids[1]]
    assert (state[1]["title"], state[1]["how"]) == ("Titre revu", ["Un", "Deux"])
    assert console.act("engagement_move", engagement_id=ids[0], position=9)["code"] == "invalid"
    assert console.act("engagement_update", engagement_id=ids[0], title="")["ok"] is False
    assert console.act("engagement_update", engagement_id=999, title="X")["code"] == "not_found"


def test_participants_support_an_engagement_once_and_only_in_convergence(room):
    console, ana = room["console"], room["ana"]
    engagement = create(console)["engagement_id"]
    assert [e["id"] for e in ana.sync()["board"]] == [engagement]
    answer = ana.act("engagement_support", engagement_id=engagement, supported=True)
    assert answer["ok"] and answer["mine"] == {"engagement_supports": [engagement]}  # the ack carries what changed
    assert ana.act("engagement_support", engagement_id=engagement, supported=True) == {"ok": True, "seq": answer["seq"], "mine": {}}
    assert ana.sync()["mine"]["engagement_supports"] == [engagement]
    assert db.session.scalar(select(func.count()).select_from(EngagementSupport)) == 1
    assert console.sync()["engagements"][0]["supporters"] == 1
    assert ana.act("engagement_support", engagement_id=engagement, supported=False)["ok"]
    console.goto("cloture")
    assert ana.act("engagement_support", engagement_id=engagement, supported=True)["code"] == "phase"
    assert ana.act("engagement_create", theme_id="vivre-mieux", title="Pirate")["code"] == "forbidden"


@pytest.mark.parametrize("name", ["engagement_create", "engagement_update", "engagement_link", "engagement_delete"])
def test_state_plus_events_equals_a_fresh_snapshot(room, name):
    console, bob, pistes = room["console"], room["bob"], room["pistes"]
    engagement = create(console, piste_ids=[pistes[0]])["engagement_id"]
    broadcaster.flush()
    received(console), received(bob)
    before = {"console": console.sync(), "phone": bob.sync()}
    actions = {
        "engagement_create": lambda: create(console, title="Un autre"),
        "engagement_update": lambda: console.act("engagement_update", engagement_id=engagement, purpose="Pour respirer"),
        "engagement_link": lambda: console.act("engagement_link", engagement_id=engagement, piste_id=pistes[2]),
        "engagement_delete": lambda: console.act("engagement_delete", engagement_id=engagement),
    }
    assert actions[name]()["ok"]
    broadcaster.flush()
    for key, client, phone in (("console", console, False), ("phone", bob, True)):
        state = before[key]
        for event_name, payload in received(client):
            state = apply(state, event_name, payload)
        assert comparable(state, phone=phone) == comparable(client.sync(), phone=phone), key
