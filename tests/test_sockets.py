"""Socket handlers: every participant and facilitator event is accepted in its phase, refused
elsewhere or over budget with a reason and no change, reserved to its role, and applied once
when retried with the same action id."""

import pytest
from sqlalchemy import func, select

from fabrique.events import broadcaster
from fabrique.extensions import db, socketio
from fabrique.models import AppliedAction, ParadoxChoice, Piste, Reve, Support, ValueVote, ValueWord
from tests.factories import HOSTILE, Console, Phone, merge_mine, new_atelier, op
from tests.test_fuzz import UNLIMITED


@pytest.fixture
def atelier(app):
    return new_atelier()


@pytest.fixture
def console(app, atelier):
    return Console(app, atelier)


@pytest.fixture
def phone(app, atelier):
    return Phone(app, atelier, "Léa")


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def a_piste(phone, console, theme="vivre-mieux", text="Des navettes entre les gares et les zones d'activités") -> int:
    console.goto("pistes")
    answer = phone.act("piste_add", theme_id=theme, horizon="2024", text=text, hashtags=["Mobilité"])
    assert answer["ok"], answer
    return answer["piste_id"]


# --- one row per participant event: its phase, a valid payload, what it stores ----------------

def paradox_payload(phone, console):
    return {"paradox_id": "diversite-inegalites", "chosen": True}


def values_payload(phone, console):
    return {"points": {"innovation": 6, "solidarite": 4}}


def word_payload(phone, console):
    return {"value_id": "innovation", "word": "audace"}


def reve_payload(phone, console):
    return {"theme_id": "vivre-ensemble", "text": "En 2040, chaque quartier a son jardin partagé."}


def piste_payload(phone, console):
    return {"theme_id": "vivre-monde", "horizon": "2040", "text": "Un festival des cultures méditerranéennes", "hashtags": ["Culture"]}


def support_payload(phone, console):
    piste_id = a_piste(phone, console)
    return {"piste_id": piste_id}


PARTICIPANT_EVENTS = [
    ("paradox_toggle", "paradoxes", paradox_payload, ParadoxChoice),
    ("values_set", "valeurs", values_payload, ValueVote),
    ("value_word_add", "valeurs", word_payload, ValueWord),
    ("reve_add", "reves", reve_payload, Reve),
    ("piste_add", "pistes", piste_payload, Piste),
    ("support_add", "vote", support_payload, Support),
]


@pytest.fixture
def paradox_ids(app):
    from fabrique import catalog

    return [p.id for p in catalog().templates["la-fabrique-amp-2017"].paradoxes]


def test_paradox_ids_used_here_exist(paradox_ids):
    assert "diversite-inegalites" in paradox_ids


@pytest.mark.parametrize("event,phase,payload,model", PARTICIPANT_EVENTS, ids=[e[0] for e in PARTICIPANT_EVENTS])
def test_participant_event_is_accepted_in_its_phase_and_stored(phone, console, event, phase, payload, model):
    data = payload(phone, console)
    before = count(model)
    console.goto(phase)
    mine_before = phone.sync()["mine"]
    answer = phone.act(event, **data)
    assert answer["ok"] is True, answer
    assert count(model) > before
    mine = phone.sync()["mine"]
    # The ack carries only what changed (of the pistes, the one written), and it is enough.
    assert answer["mine"] and set(answer["mine"]) < set(mine) | {"pistes_changed"}
    assert merge_mine(mine_before, answer["mine"]) == mine
    if "pistes_changed" in answer["mine"]:
        assert len(answer["mine"]["pistes_changed"]["upsert"]) == 1


@pytest.mark.parametrize("event,phase,payload,model", PARTICIPANT_EVENTS, ids=[e[0] for e in PARTICIPANT_EVENTS])
def test_participant_event_is_refused_in_another_phase_and_changes_nothing(phone, console, event, phase, payload, model):
    data = payload(phone, console)
    console.goto("cloture")
    before = count(model)
    answer = phone.act(event, **data)
    assert (answer["ok"], answer["code"]) == (False, "phase")
    assert answer["error"] == f"Ce n'est pas possible pendant la phase « {console.sync()['stage']['title']} »."
    assert count(model) == before


@pytest.mark.parametrize("event,phase,payload,model", PARTICIPANT_EVENTS, ids=[e[0] for e in PARTICIPANT_EVENTS])
def test_participant_event_is_refused_while_the_phase_is_locked(phone, console, event, phase, payload, model):
    data = payload(phone, console)
    console.goto(phase)
    assert console.act("phase_lock", locked=True)["ok"]
    before = count(model)
    answer = phone.act(event, **data)
    assert answer["ok"] is False and "verrouillée" in answer["error"]
    assert count(model) == before


@pytest.mark.parametrize("event,phase,payload,model", PARTICIPANT_EVENTS, ids=[e[0] for e in PARTICIPANT_EVENTS])
def test_an_identical_retry_is_applied_once(phone, console, event, phase, payload, model):
    data = payload(phone, console)
    console.goto(phase)
    op_id = op()
    first = phone.act(event, op_id=op_id, **data)
    stored = count(model)
    again = phone.act(event, op_id=op_id, **data)
    assert first["ok"] and again["ok"] and again.get("replayed") is True
    # The retry's answer may be the first one the phone gets: it carries the whole of its own state.
    assert again["mine"] == phone.sync()["mine"]
    assert count(model) == stored
    assert count(AppliedAction) == db.session.scalar(select(func.count()).select_from(AppliedAction))


def test_paradoxes_over_budget_are_refused(phone, console, paradox_ids):
    console.goto("paradoxes")
    for paradox_id in paradox_ids[:3]:
        assert phone.act("paradox_toggle", paradox_id=paradox_id, chosen=True)["ok"]
    answer = phone.act("paradox_toggle", paradox_id=paradox_ids[3], chosen=True)
    assert answer["ok"] is False and answer["code"] == "budget"
    assert "déjà marqué 3 paradoxes" in answer["error"]
    assert count(ParadoxChoice) == 3
    assert phone.act("paradox_toggle", paradox_id=paradox_ids[0], chosen=False)["ok"]
    assert phone.act("paradox_toggle", paradox_id=paradox_ids[3], chosen=True)["ok"]


def test_value_points_over_budget_are_refused_and_the_previous_vote_kept(phone, console):
    console.goto("valeurs")
    assert phone.act("values_set", points={"innovation": 10})["ok"]
    answer = phone.act("values_set", points={"innovation": 8, "ouverture": 3})
    assert answer == {"ok": False, "error": "Vous avez 10 points à répartir, pas 11.", "code": "budget"}
    assert phone.sync()["mine"]["values"] == {"innovation": 10}


def test_top_n_vote_accepts_n_values_and_no_more(app):
    atelier = new_atelier(value_method="top_n", value_top_n=2)
    phone, console = Phone(app, atelier, "Noé"), Console(app, atelier)
    console.goto("valeurs")
    assert phone.act("values_set", points={"innovation": 1, "solidarite": 1})["ok"]
    assert phone.act("values_set", points={"innovation": 1, "solidarite": 1, "ouverture": 1})["code"] == "budget"
    assert phone.act("values_set", points={"innovation": 2})["code"] == "invalid"


def test_words_over_budget_are_refused(phone, console):
    console.goto("valeurs")
    for word in ("audace", "élan", "partage"):
        assert phone.act("value_word_add", value_id="innovation", word=word)["ok"]
    answer = phone.act("value_word_add", value_id="ouverture", word="curiosité")
    assert answer["ok"] is False and answer["code"] == "budget"


def test_dots_cannot_exceed_the_budget_and_can_be_moved(app):
    atelier = new_atelier(dots=2)
    phone, console = Phone(app, atelier, "Inès"), Console(app, atelier)
    console.goto("pistes")
    ids = [phone.act("piste_add", theme_id="vivre-mieux", horizon="2024", text=f"Piste numéro {i}", hashtags=[])["piste_id"] for i in range(3)]
    console.goto("vote")
    assert phone.act("support_add", piste_id=ids[0])["ok"]
    assert phone.act("support_add", piste_id=ids[1])["ok"]
    refused = phone.act("support_add", piste_id=ids[2])
    assert refused["ok"] is False and refused["code"] == "budget" and "vos 2 gommettes" in refused["error"]
    assert phone.act("support_remove", piste_id=ids[0])["ok"]
    moved = phone.act("support_add", piste_id=ids[2])
    assert moved["ok"] and moved["mine"]["supports"] == [ids[1], ids[2]]


def test_pistes_and_reves_have_a_maximum_per_participant(app):
    atelier = new_atelier(max_pistes_per_participant=1, max_reves_per_participant=1)
    phone, console = Phone(app, atelier, "Adam"), Console(app, atelier)
    console.goto("pistes")
    assert phone.act("piste_add", **piste_payload(phone, console))["ok"]
    assert phone.act("piste_add", **piste_payload(phone, console))["code"] == "budget"
    console.goto("reves")
    assert phone.act("reve_add", **reve_payload(phone, console))["ok"]
    assert phone.act("reve_add", **reve_payload(phone, console))["code"] == "budget"


def test_a_participant_edits_and_withdraws_only_their_own_piste(app, atelier, phone, console):
    other = Phone(app, atelier, "Karim")
    piste_id = a_piste(phone, console)
    edited = phone.act("piste_edit", piste_id=piste_id, theme_id="art-de-vivre", horizon="2040", text="Texte revu", hashtags=[])
    assert edited["ok"] and [p["text"] for p in edited["mine"]["pistes_changed"]["upsert"]] == ["Texte revu"]
    assert other.act("piste_edit", piste_id=piste_id, theme_id="art-de-vivre", horizon="2040", text="Volé", hashtags=[])["code"] == "ownership"
    assert other.act("piste_withdraw", piste_id=piste_id)["code"] == "ownership"
    withdrawn = phone.act("piste_withdraw", piste_id=piste_id)
    assert withdrawn["ok"] and withdrawn["mine"]["pistes_changed"] == {"upsert": [], "remove": [piste_id]}
    assert db.session.get(Piste, piste_id).status == "withdrawn"
    assert phone.act("piste_edit", piste_id=piste_id, theme_id="art-de-vivre", horizon="2040", text="Encore", hashtags=[])["code"] == "state"


def test_reve_and_word_removal_check_ownership(app, atelier, phone, console):
    other = Phone(app, atelier, "Zoé")
    console.goto("reves")
    reve_id = phone.act("reve_add", **reve_payload(phone, console))["reve_id"]
    assert other.act("reve_withdraw", reve_id=reve_id)["code"] == "ownership"
    assert phone.act("reve_withdraw", reve_id=reve_id)["ok"]
    console.goto("valeurs")
    word_id = phone.act("value_word_add", value_id="innovation", word="audace")["mine"]["words"][0]["id"]
    assert other.act("value_word_remove", word_id=word_id)["code"] == "ownership"
    assert phone.act("value_word_remove", word_id=word_id)["ok"]


@pytest.mark.parametrize("event,data,message", [
    ("piste_add", {"theme_id": "vivre-mieux", "horizon": "2024", "text": "x" * 5000, "hashtags": []}, "La piste de projet est trop longue : 5000 caractères pour 500 au plus."),
    ("piste_add", {"theme_id": "vivre-mieux", "horizon": "2024", "text": "   ", "hashtags": []}, "La piste de projet est trop courte (5 caractères au moins)."),
    ("piste_add", {"theme_id": "vivre-loin", "horizon": "2024", "text": "Une piste", "hashtags": []}, "Choisissez un Vivre de l'atelier."),
    ("piste_add", {"theme_id": "vivre-mieux", "horizon": "2099", "text": "Une piste", "hashtags": []}, "Choisissez un horizon proposé."),
    ("piste_add", {"theme_id": "vivre-mieux", "horizon": "2024", "text": "Une piste", "hashtags": ["Inventé"]}, "Choisissez les hashtags dans la liste proposée."),
    ("piste_add", {"theme_id": "vivre-mieux", "horizon": "2024", "text": 42, "hashtags": []}, "La piste de projet doit être un texte."),
    ("piste_add", {"theme_id": ["vivre-mieux"], "horizon": "2024", "text": "Une piste", "hashtags": []}, "Choisissez un Vivre de l'atelier."),
])
def test_bad_input_gets_a_clear_reason_and_changes_nothing(phone, console, event, data, message):
    console.goto("pistes")
    answer = phone.act(event, **data)
    assert answer["ok"] is False
    assert answer["error"] == message
    assert count(Piste) == 0


# The last one is sent as a binary event (its text is bytes): the server reads it, and answers in text.
@pytest.mark.parametrize("payload", [None, "texte", 42, [1, 2], {"theme_id": "vivre-mieux"},
                                     {"op_id": "b1", "theme_id": "vivre-mieux", "horizon": "2024", "text": b"\x00binaire"}])
def test_malformed_payloads_are_refused_without_crashing(phone, console, payload):
    console.goto("pistes")
    answer = phone.sio.emit("piste_add", payload, callback=True)
    assert answer["ok"] is False and answer["error"]
    assert phone.sio.is_connected()


def test_hostile_text_is_stored_as_typed_and_escaped_in_pages(app, atelier, console):
    hostile = Phone(app, atelier, "<b>Ève</b>")
    console.goto("pistes")
    assert hostile.act("piste_add", theme_id="vivre-mieux", horizon="2024", text=HOSTILE, hashtags=[])["ok"]
    assert db.session.scalar(select(Piste.text)) == HOSTILE
    page = hostile.http.get(f"/participant/{atelier.join_code}").get_data(as_text=True)
    assert "<script>alert" not in page and "<b>Ève</b>" not in page
    assert "\\u003cscript\\u003e" in page


@pytest.mark.parametrize("event", ["phase_goto", "phase_lock", "timer_start", "piste_hide", "piste_merge", "settings_update"])
def test_a_participant_cannot_call_facilitator_events(phone, console, atelier, event):
    phase_before = atelier.phase_index
    answer = phone.act(event, to=3, step=1, locked=True, seconds=60, piste_id=1, into_id=2, hidden=True, settings={"dots": 9})
    assert answer == {"ok": False, "error": "Cette action est réservée à l'animation.", "code": "forbidden"}
    db.session.expire_all()
    assert atelier.phase_index == phase_before and atelier.settings["dots"] == 5


def test_the_projector_cannot_act(app, atelier):
    screen = Console(app, atelier, role="screen")
    assert screen.act("phase_goto", step=1)["code"] == "forbidden"
    assert screen.act("piste_add", theme_id="vivre-mieux")["code"] == "forbidden"


def test_strangers_cannot_connect(app, atelier):
    assert not socketio.test_client(app, auth={"role": "facilitate", "token": "nope"}).is_connected()
    assert not socketio.test_client(app, auth={"role": "participant", "code": atelier.join_code}).is_connected()
    assert not socketio.test_client(app, auth=None).is_connected()
    assert not socketio.test_client(app, auth={"role": "admin"}).is_connected()


def test_every_action_needs_an_action_id(phone, console):
    console.goto("pistes")
    assert phone.sio.emit("piste_add", {**piste_payload(phone, console)}, callback=True)["error"] == "Identifiant d'action manquant."
    assert console.sio.emit("phase_goto", {"step": 1}, callback=True)["error"] == "Identifiant d'action manquant."


def test_a_burst_of_actions_is_rate_limited(phone, console):
    console.goto("valeurs")
    answers = [phone.act("values_set", points={"innovation": 1}) for _ in range(40)]
    refused = [a for a in answers if not a["ok"]]
    assert refused and all(a["code"] == "rate" for a in refused)
    assert count(ValueVote) == 1


# --- facilitator events ------------------------------------------------------------------------

def test_phase_navigation(console, atelier):
    assert console.act("phase_goto", step=1)["ok"]
    assert console.act("phase_goto", step=-1)["ok"]
    assert console.act("phase_goto", step=-1)["code"] == "invalid"
    assert console.act("phase_goto", to=99)["code"] == "invalid"
    assert console.act("phase_goto", to=5, start_timer=True)["ok"]
    state = console.sync()["stage"]
    assert state["kind"] == "pistes" and state["timer"]["ends_at"] is not None


def test_timer_start_pause_resume_stop(console):
    assert console.act("timer_start", seconds=300)["ok"]
    assert console.sync()["stage"]["timer"]["ends_at"]
    assert console.act("timer_pause")["ok"]
    paused = console.sync()["stage"]["timer"]
    assert paused["ends_at"] is None and 298 <= paused["remaining"] <= 300
    assert console.act("timer_start")["ok"]
    assert console.act("timer_stop")["ok"]
    assert console.sync()["stage"]["timer"] == {"ends_at": None, "remaining": None, "suggested_minutes": None}
    assert console.act("timer_pause")["code"] == "state"
    assert console.act("timer_start", seconds=0)["code"] == "invalid"


def test_settings_update_is_bounded(console, atelier):
    assert console.act("settings_update", settings={"dots": 7})["ok"]
    assert console.act("settings_update", settings={"dots": 0})["code"] == "invalid"
    assert console.act("settings_update", settings={"colour": "red"})["code"] == "invalid"
    db.session.expire_all()
    assert atelier.settings["dots"] == 7


def test_moderation_hide_edit_and_facilitator_hashtags(app, atelier, phone, console):
    piste_id = a_piste(phone, console)
    assert console.act("piste_hide", piste_id=piste_id, hidden=True)["ok"]
    assert console.sync()["themes"][0]["pistes"] == []
    assert phone.sync()["mine"]["pistes"][0]["status"] == "hidden"
    assert console.act("piste_hide", piste_id=piste_id, hidden=False)["ok"]
    assert console.act("piste_update", piste_id=piste_id, text="Navettes électriques", hashtags=["#Mobilité", "Nouveau tag"])["ok"]
    piste = db.session.get(Piste, piste_id)
    db.session.refresh(piste)
    assert piste.text == "Navettes électriques" and piste.hashtags == ["Mobilité", "Nouveautag"]
    assert console.act("piste_hide", piste_id=9999, hidden=True)["code"] == "not_found"


def test_merge_keeps_authors_and_counts_a_double_supporter_once(app, atelier, console):
    a, b, c = Phone(app, atelier, "Ana"), Phone(app, atelier, "Bob"), Phone(app, atelier, "Cléo")
    first = a_piste(a, console, text="Des navettes entre les gares")
    second = a_piste(b, console, text="Des bus entre les gares")
    console.goto("vote")
    for phone in (a, b, c):
        assert phone.act("support_add", piste_id=first)["ok"]
    assert c.act("support_add", piste_id=second)["ok"]
    assert console.act("piste_merge", piste_id=second, into_id=first)["ok"]
    broadcaster.flush()
    wall = console.sync()["themes"][0]
    assert [p["id"] for p in wall["pistes"]] == [first]
    kept = wall["pistes"][0]
    assert kept["supports"] == 3  # Ana, Bob, Cléo — Cléo supported both and counts once
    assert len(kept["author_personas"]) == 2
    assert b.sync()["mine"]["pistes"][0]["status"] == "merged"
    assert console.act("piste_merge", piste_id=first, into_id=first)["code"] == "invalid"
    assert console.act("piste_unmerge", piste_id=second)["ok"]
    supports = {p["id"]: p["supports"] for p in console.sync()["themes"][0]["pistes"]}
    assert supports == {first: 3, second: 1}
    assert count(Support) == 4


def test_reve_moderation(app, atelier, phone, console):
    console.goto("reves")
    reve_id = phone.act("reve_add", **reve_payload(phone, console))["reve_id"]
    assert console.act("reve_hide", reve_id=reve_id, hidden=True)["ok"]
    state = console.sync()
    assert all(not t["reves"] for t in state["themes"]) and state["hidden_reves"][0]["id"] == reve_id


def test_facilitator_retry_is_applied_once(console, atelier):
    op_id = op()
    assert console.act("phase_goto", op_id=op_id, step=1)["ok"]
    assert console.act("phase_goto", op_id=op_id, step=1)["replayed"] is True
    db.session.expire_all()
    assert atelier.phase_index == 1


def test_participation_is_visible_live_to_the_facilitator(app, atelier, console):
    Phone(app, atelier, "Ana", college="Élus")
    bob = Phone(app, atelier, "Bob")
    console.goto("paradoxes")
    bob.act("paradox_toggle", paradox_id="diversite-inegalites", chosen=True)
    state = console.sync()
    assert state["participation"]["total"] == 2
    assert state["participation"]["by_college"] == {"Élus": 1}
    assert sum(state["participation"]["by_persona"].values()) == 2
    assert [(p["pseudonym"], p["online"], p["acted"]) for p in state["participants"]] == [("Ana", True, False), ("Bob", True, True)]


# --- what one action costs as the room grows -----------------------------------------------------

# (phase, event, payload) for every participant action; "P" stands for a piste of the room, "MINE" for
# one of the acting phone's own pistes, "E" for an engagement, "W"/"R" for the phone's own word/rêve.
COUNTED_PARTICIPANT = [
    ("paradoxes", "paradox_toggle", {"paradox_id": "diversite-inegalites", "chosen": True}),
    ("valeurs", "values_set", {"points": {"innovation": 2}}),
    ("valeurs", "value_word_add", {"value_id": "innovation", "word": "audace"}),
    ("valeurs", "value_word_remove", {"word_id": "W"}),
    ("reves", "reve_add", {"theme_id": "vivre-mieux", "text": "En 2040"}),
    ("reves", "reve_withdraw", {"reve_id": "R"}),
    ("pistes", "piste_add", {"theme_id": "vivre-mieux", "horizon": "2040", "text": "Une autre", "hashtags": []}),
    ("pistes", "piste_edit", {"piste_id": "MINE", "theme_id": "vivre-mieux", "horizon": "2040", "text": "Revue", "hashtags": []}),
    ("pistes", "piste_withdraw", {"piste_id": "MINE"}),
    ("vote", "support_add", {"piste_id": "P"}),
    ("vote", "support_remove", {"piste_id": "P"}),
    ("convergence", "engagement_support", {"engagement_id": "E", "supported": True}),
    ("convergence", "engagement_support", {"engagement_id": "E", "supported": False}),
]
COUNTED_FACILITATOR = [
    ("vote", "piste_hide", {"piste_id": "P", "hidden": True}),
    ("vote", "piste_hide", {"piste_id": "P", "hidden": False}),
    ("vote", "piste_update", {"piste_id": "P", "text": "Modérée"}),
    ("vote", "piste_merge", {"piste_id": "P2", "into_id": "P"}),
    ("vote", "piste_unmerge", {"piste_id": "P2"}),
    ("reves", "reve_hide", {"reve_id": "R0", "hidden": True}),
    ("reves", "reve_hide", {"reve_id": "R0", "hidden": False}),
    ("convergence", "engagement_create", {"theme_id": "vivre-mieux", "title": "Un deuxième"}),
    ("convergence", "engagement_update", {"engagement_id": "E", "title": "Renommé"}),
    ("convergence", "engagement_move", {"engagement_id": "E", "position": 1}),
    ("convergence", "engagement_link", {"engagement_id": "E", "piste_id": "P2"}),
    ("convergence", "engagement_unlink", {"engagement_id": "E", "piste_id": "P2"}),
    ("convergence", "engagement_delete", {"engagement_id": "E"}),
]


BOARD_CHANGES = {"piste_hide", "piste_update", "piste_merge", "piste_unmerge", "engagement_create", "engagement_update",
                 "engagement_move", "engagement_delete"}


def _crowd(app, n: int):
    atelier = new_atelier()
    console, screen = Console(app, atelier), Console(app, atelier, role="screen")
    phones = [Phone(app, atelier, f"Personne {i}") for i in range(n)]
    actor = phones[0]
    console.goto("reves")
    refs = {"R0": phones[1].act("reve_add", theme_id="vivre-mieux", text="Le rêve d'un autre")["reve_id"]}
    console.goto("pistes")
    refs["P"] = phones[1].act("piste_add", theme_id="vivre-mieux", horizon="2040", text="Une piste", hashtags=[])["piste_id"]
    refs["P2"] = phones[2].act("piste_add", theme_id="vivre-mieux", horizon="2040", text="Doublon", hashtags=[])["piste_id"]
    for client in (console, screen):
        client.sync()  # as a browser does on connect: from now on their states are published as deltas
    return atelier, console, screen, phones, actor, refs


def _messages(clients) -> int:
    return sum(len(client.sio.get_received()) for client in clients)


def _cost_of_each_action(app, n: int) -> dict[str, int]:
    """Return, for each action kind, how many messages all connected clients received for one action."""
    atelier, console, screen, phones, actor, refs = _crowd(app, n)
    everyone = [console, screen, *phones]
    cost = {}
    for phase, event, payload in COUNTED_PARTICIPANT + COUNTED_FACILITATOR:
        console.goto(phase) if console.sync()["stage"]["kind"] != phase else None
        if phase == "convergence" and "E" not in refs:
            refs["E"] = console.act("engagement_create", theme_id="vivre-mieux", title="Un engagement")["engagement_id"]
        if event == "value_word_remove":
            refs["W"] = actor.sync()["mine"]["words"][0]["id"]
        if event == "reve_withdraw":
            refs["R"] = actor.sync()["mine"]["reves"][0]["id"]
        if event in ("piste_edit", "piste_withdraw"):
            refs["MINE"] = actor.sync()["mine"]["pistes"][0]["id"]
        broadcaster.flush()
        _messages(everyone)
        data = {k: refs.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
        by = actor if (phase, event, payload) in COUNTED_PARTICIPANT else console
        answer = by.act(event, **data)
        assert answer["ok"], (event, answer)
        broadcaster.flush()
        phones_reached = sum(1 for p in phones[1:] if p.sio.get_received())
        screens = [[m["name"] for m in client.sio.get_received()] for client in (console, screen)]
        assert all(names.count("delta") <= 1 for names in screens), (event, screens)  # one coalesced delta per room at most
        cost[f"{event} {payload}"] = (_messages([actor]) + sum(map(len, screens)), phones_reached)
    return cost


def test_one_action_costs_the_same_with_10_or_200_phones(app):
    app.config["RATE_LIMITS"] = UNLIMITED  # the console reads its state before each of ~40 actions: not a flood
    small, big = _cost_of_each_action(app, 10), _cost_of_each_action(app, 200)
    assert list(small) == list(big)
    for kind in small:
        assert small[kind][0] == big[kind][0], kind  # acks, the projector, the console: constant
    for (phase, event, _), kind in zip(COUNTED_PARTICIPANT, small):
        assert small[kind][1] == big[kind][1] == 0, kind  # nobody else's phone hears of a participant's action
    for (phase, event, _), kind in zip(COUNTED_FACILITATOR, list(small)[len(COUNTED_PARTICIPANT):]):
        if event in BOARD_CHANGES:  # what every phone acts on changed: one coalesced `board` each (see below)
            assert (small[kind][1], big[kind][1]) == (9, 199), kind
        else:  # a hidden rêve reaches its author's phone only; a link, none
            assert small[kind][1] == big[kind][1] <= 1, kind


def test_moderation_reaches_each_phone_once_per_interval_however_many_actions(app):
    atelier, console, screen, phones, actor, refs = _crowd(app, 30)
    console.goto("vote")
    broadcaster.flush()
    _messages([console, screen, *phones])
    for hidden in (True, False) * 5:
        assert console.act("piste_hide", piste_id=refs["P"], hidden=hidden)["ok"]
        assert console.act("piste_update", piste_id=refs["P2"], text=f"Modérée {hidden}")["ok"]
    broadcaster.flush()
    per_phone = [[m["name"] for m in p.sio.get_received()] for p in phones]
    assert all(names.count("board") == 1 for names in per_phone)
    assert [m["name"] for m in screen.sio.get_received()] == ["delta"]
