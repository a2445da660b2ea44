"""Initial state + the events a client receives == a fresh snapshot, for each kind of event.

The reducer below is the one the browser applies (static/js/live.js): `stage` replaces the
stage, `delta` patches the projector/facilitator state (values replaced, keyed lists patched by
entry id in the snapshot's order; a delta whose `base` is not the client's `seq` is a gap: the
client asks for a snapshot), `me` replaces the parts of the phone's own contributions it
carries, `board` adds, replaces and removes entries of the board a phone acts on, and an
action's ack carries the parts of the phone's contributions it changed.
"""

import copy

import pytest

from fabrique import limits
from fabrique.aggregates import LIST_ORDER
from fabrique.events import broadcaster
from fabrique.extensions import socketio
from tests.factories import Console, Phone, merge_mine, new_atelier
from tests.test_fuzz import UNLIMITED


class Gap(Exception):
    """The client missed a delta: it would ask for a snapshot."""


ORDER = {"engagement": lambda e: (e["theme_id"], e["position"], e["id"]), "id": lambda e: e["id"], "-id": lambda e: -e["id"]}


def _patch(target: dict, part: dict) -> None:
    target.update(part.get("set", {}))
    for name, change in part.get("lists", {}).items():
        gone = set(change["remove"]) | {entry["id"] for entry in change["upsert"]}
        kept = [entry for entry in target.get(name, []) if entry["id"] not in gone]
        target[name] = sorted(kept + change["upsert"], key=ORDER[LIST_ORDER[name]])


def apply_delta(state: dict, delta: dict) -> dict:
    """Apply a delta as live.js's applyDelta does (raise Gap where it would ask for a snapshot)."""
    if delta["src"] != state["src"] or delta["seq"] <= state["seq"]:
        return state  # another process's stream, or already applied
    if delta["base"] != state["seq"]:
        raise Gap(f"delta {delta['base']}→{delta['seq']} on a state at {state['seq']}")
    stage = state["stage"]
    _patch(state, delta)
    for theme in state["themes"]:
        if theme["id"] in delta.get("themes", {}):
            _patch(theme, delta["themes"][theme["id"]])
    if state["stage"]["version"] < stage["version"]:
        state["stage"] = stage
    state["seq"] = delta["seq"]
    return state


def apply(state: dict, name: str, payload: dict) -> dict:
    """Apply one received event to a client's state, as live.js does."""
    state = copy.deepcopy(state)
    screen = "themes" in state
    if name == "stage":
        if payload["stage"]["version"] > state["stage"]["version"]:
            state["stage"] = payload["stage"]
            if not screen:
                state["seq"] = max(state["seq"], payload["seq"])
    elif name == "delta" and screen:
        state = apply_delta(state, payload)
    elif name == "board" and "board" in state:
        gone = set(payload["remove"]) | {item["id"] for item in payload["upsert"]}
        board = [item for item in state["board"] if item["id"] not in gone] + payload["upsert"]
        engagements = all("title" in item for item in board)
        state["board"] = sorted(board, key=(lambda e: (e["theme_id"], e["position"], e["id"])) if engagements else (lambda p: p["id"]))
        state["seq"] = max(state["seq"], payload["seq"])
    elif name in ("me", "ack"):
        state["mine"] = merge_mine(state["mine"], payload["mine"])
        state["seq"] = max(state["seq"], payload["seq"])
    return state


def received(client) -> list[tuple[str, dict]]:
    return [(message["name"], message["args"][0]) for message in client.sio.get_received()]


def comparable(state: dict, phone: bool = False) -> dict:
    """Drop what legitimately differs between two reads: the server clock, and a phone's seq
    (phones are not told about other people's actions)."""
    state = copy.deepcopy(state)
    state["stage"].pop("server_time")
    if phone:
        state.pop("seq")
    return state


@pytest.fixture
def room(app):
    atelier = new_atelier()
    console = Console(app, atelier)
    screen = Console(app, atelier, role="screen")
    phones = [Phone(app, atelier, name) for name in ("Ana", "Bob")]
    console.goto("pistes")
    piste_ids = [phones[i].act("piste_add", theme_id=theme, horizon="2024", text=f"Une piste sous {theme}", hashtags=[])["piste_id"]
                 for i, theme in enumerate(["vivre-mieux", "vivre-monde"])]
    console.goto("vote")
    for client in (console, screen):
        client.sync()  # as a browser does on connect: the projector's and console's states are published from now on
    broadcaster.flush()
    for client in (console, screen, *phones):
        client.sio.get_received()
    return {"app": app, "atelier": atelier, "console": console, "screen": screen, "phones": phones, "pistes": piste_ids}


def check_screens_converge(room, action) -> None:
    console, screen = room["console"], room["screen"]
    before = {"console": console.sync(), "screen": screen.sync()}
    action()
    broadcaster.flush()
    for name, client in (("console", console), ("screen", screen)):
        events = received(client)
        assert events, f"the {name} received nothing"
        state = before[name]
        for event_name, payload in events:
            state = apply(state, event_name, payload)
        assert comparable(state) == comparable(client.sync()), name


PARTICIPANT_ACTIONS = {
    "support_add": lambda r: r["phones"][0].act("support_add", piste_id=r["pistes"][1]),
    # Two steps, one delta each (in one interval they would cancel out: nothing to send).
    "support_remove": lambda r: (r["phones"][0].act("support_add", piste_id=r["pistes"][1]), broadcaster.flush(),
                                 r["phones"][0].act("support_remove", piste_id=r["pistes"][1])),
}
FACILITATOR_ACTIONS = {
    "phase_goto": lambda r: r["console"].act("phase_goto", step=1),
    "phase_lock": lambda r: r["console"].act("phase_lock", locked=True),
    "timer_start": lambda r: r["console"].act("timer_start", seconds=120),
    "timer_pause": lambda r: (r["console"].act("timer_start", seconds=120), r["console"].act("timer_pause")),
    "timer_stop": lambda r: (r["console"].act("timer_start", seconds=120), r["console"].act("timer_stop")),
    "settings_update": lambda r: r["console"].act("settings_update", settings={"dots": 3}),
    "piste_hide": lambda r: r["console"].act("piste_hide", piste_id=r["pistes"][0], hidden=True),
    "piste_update": lambda r: r["console"].act("piste_update", piste_id=r["pistes"][0], text="Texte modéré"),
    "piste_merge": lambda r: r["console"].act("piste_merge", piste_id=r["pistes"][1], into_id=r["pistes"][0]),
    "piste_unmerge": lambda r: (r["console"].act("piste_merge", piste_id=r["pistes"][1], into_id=r["pistes"][0]),
                                broadcaster.flush(), r["console"].act("piste_unmerge", piste_id=r["pistes"][1])),
}


@pytest.mark.parametrize("name", sorted({**PARTICIPANT_ACTIONS, **FACILITATOR_ACTIONS}))
def test_projector_and_facilitator_state_plus_events_equals_a_fresh_snapshot(room, name):
    check_screens_converge(room, lambda: {**PARTICIPANT_ACTIONS, **FACILITATOR_ACTIONS}[name](room))


@pytest.mark.parametrize("kind,action", [
    ("paradoxes", lambda p: p.act("paradox_toggle", paradox_id="diversite-inegalites", chosen=True)),
    ("valeurs", lambda p: p.act("values_set", points={"innovation": 4})),
    ("valeurs", lambda p: p.act("value_word_add", value_id="innovation", word="audace")),
    ("reves", lambda p: p.act("reve_add", theme_id="vivre-mieux", text="En 2040, la mer est propre.")),
    ("pistes", lambda p: p.act("piste_add", theme_id="art-de-vivre", horizon="2040", text="Des chemins de randonnée", hashtags=[])),
])
def test_writing_phases_converge_too(room, kind, action):
    room["console"].goto(kind)
    broadcaster.flush()
    for client in (room["console"], room["screen"]):
        client.sio.get_received()
    check_screens_converge(room, lambda: action(room["phones"][0]))


@pytest.mark.parametrize("name", ["phase_lock", "timer_start", "settings_update", "piste_hide", "piste_update", "piste_merge",
                                  "piste_unmerge"])
def test_phone_state_plus_events_equals_a_fresh_snapshot(room, name):
    phone = room["phones"][1]  # Bob wrote the piste that piste_merge merges away
    before = phone.sync()
    FACILITATOR_ACTIONS[name](room)
    broadcaster.flush()
    events = received(phone)
    assert events, "the phone received nothing"
    state = before
    for event_name, payload in events:
        state = apply(state, event_name, payload)
    assert comparable(state, phone=True) == comparable(phone.sync(), phone=True)


def test_a_phone_own_action_ack_carries_its_new_state(room):
    phone = room["phones"][0]
    before = phone.sync()
    answer = phone.act("support_add", piste_id=room["pistes"][1])
    assert set(answer["mine"]) == {"supports"}  # what changed, not the whole state
    state = apply(before, "ack", answer)
    assert comparable(state, phone=True) == comparable(phone.sync(), phone=True)


def test_phones_are_not_sent_other_peoples_actions(room):
    ana, bob = room["phones"]
    for piste_id in room["pistes"]:
        assert ana.act("support_add", piste_id=piste_id)["ok"]
    broadcaster.flush()
    assert received(bob) == []
    assert received(ana) == []  # her own answers come as acks, not as broadcasts


def test_many_actions_give_one_delta_per_screen_per_flush(room):
    ana, bob = room["phones"]
    for phone in (ana, bob):
        for piste_id in room["pistes"]:
            phone.act("support_add", piste_id=piste_id)
    broadcaster.flush()
    assert [name for name, _ in received(room["screen"])] == ["delta"]
    assert [name for name, _ in received(room["console"])] == ["delta"]


def test_stage_versions_let_a_client_see_a_gap(room):
    console, phone = room["console"], room["phones"][0]
    start = phone.sync()["stage"]["version"]
    console.act("phase_lock", locked=True)
    console.act("phase_lock", locked=False)
    versions = [payload["stage"]["version"] for name, payload in received(phone) if name == "stage"]
    assert versions == [start + 1, start + 2]


def second_device(phone: Phone, atelier) -> Phone:
    """Open the same participant on another device (same cookie, another connection)."""
    other = copy.copy(phone)
    other.sio = socketio.test_client(room_app(phone), flask_test_client=phone.http,
                                     auth={"role": "participant", "code": atelier.join_code})
    assert other.sio.is_connected()
    return other


def room_app(phone):
    return phone.http.application


PHONE_ACTIONS = [
    ("paradoxes", "paradox_toggle", {"paradox_id": "diversite-inegalites", "chosen": True}),
    ("valeurs", "values_set", {"points": {"innovation": 4}}),
    ("valeurs", "value_word_add", {"value_id": "innovation", "word": "audace"}),
    ("reves", "reve_add", {"theme_id": "vivre-mieux", "text": "En 2040, la mer est propre."}),
    ("pistes", "piste_add", {"theme_id": "art-de-vivre", "horizon": "2040", "text": "Des chemins", "hashtags": []}),
    ("vote", "support_add", {"piste_id": "second"}),
]


@pytest.mark.parametrize("kind,event,data", PHONE_ACTIONS, ids=[a[1] for a in PHONE_ACTIONS])
def test_a_participant_second_device_follows_the_first(room, kind, event, data):
    ana = room["phones"][0]
    other = second_device(ana, room["atelier"])
    if kind != "vote":
        room["console"].goto(kind)
    data = {k: room["pistes"][1] if v == "second" else v for k, v in data.items()}
    for device in (ana, other):
        device.sio.get_received()
    before = other.sync()
    answer = ana.act(event, **data)
    assert answer["ok"], answer
    assert received(ana) == []  # the acting device has it in its ack
    events = received(other)
    assert [name for name, _ in events] == ["me"]
    state = before
    for name, payload in events:
        state = apply(state, name, payload)
    assert comparable(state, phone=True) == comparable(other.sync(), phone=True)


def test_engagement_supports_and_their_board_converge(room):
    console, ana = room["console"], room["phones"][0]
    console.goto("convergence")
    created = console.act("engagement_create", theme_id="vivre-mieux", title="Un engagement", piste_ids=[room["pistes"][0]])
    second = console.act("engagement_create", theme_id="vivre-mieux", title="Un autre")
    broadcaster.flush()
    for client in (console, room["screen"], *room["phones"]):
        client.sio.get_received()
    before = ana.sync()
    console.act("engagement_move", engagement_id=second["engagement_id"], position=1)
    console.act("engagement_update", engagement_id=created["engagement_id"], title="Renommé")
    broadcaster.flush()
    state = before
    for name, payload in received(ana):
        state = apply(state, name, payload)
    assert comparable(state, phone=True) == comparable(ana.sync(), phone=True)
    check_screens_converge(room, lambda: ana.act("engagement_support", engagement_id=created["engagement_id"], supported=True))



def _replay(device, before: dict) -> tuple[dict, list[str]]:
    """Apply what a device received to its earlier state; check it equals a fresh snapshot."""
    events = received(device)
    state = before
    for name, payload in events:
        state = apply(state, name, payload)
    assert comparable(state, phone=True) == comparable(device.sync(), phone=True)
    return state, [name for name, _ in events]


def test_dots_follow_a_merge_on_every_device_and_a_double_supporter_gets_one_back(room):
    room["app"].config["RATE_LIMITS"] = UNLIMITED  # each step is checked against a fresh snapshot: many syncs, not a flood
    limits.forget_all()  # buckets the room's set-up already filled take the new limits
    console, (ana, bob) = room["console"], room["phones"]
    kept, duplicate = room["pistes"]
    console.goto("pistes")
    third = bob.act("piste_add", theme_id="art-de-vivre", horizon="2040", text="Des chemins", hashtags=[])["piste_id"]
    console.goto("vote")
    assert console.act("settings_update", settings={"dots": 2})["ok"]
    other = second_device(ana, room["atelier"])
    for piste_id in (kept, duplicate):
        assert ana.act("support_add", piste_id=piste_id)["ok"]
    assert ana.act("support_add", piste_id=third)["code"] == "budget"
    assert bob.act("support_add", piste_id=duplicate)["ok"]
    broadcaster.flush()
    for device in (ana, other, bob):
        device.sio.get_received()
    before = {device: device.sync() for device in (ana, other, bob)}

    assert console.act("piste_merge", piste_id=duplicate, into_id=kept)["ok"]
    broadcaster.flush()
    for device in (ana, other, bob):  # both of Ana's devices, and Bob whose only dot was on the duplicate
        state, names = _replay(device, before[device])
        assert "me" in names
        assert state["mine"]["supports"] == [kept]
        assert [p["id"] for p in state["board"]] == [kept, third]

    # Ana's two dots now stand on one piste: the other is hers to place again.
    before = other.sync()
    assert ana.act("support_add", piste_id=third)["ok"]
    assert _replay(other, before)[0]["mine"]["supports"] == [kept, third]

    # Taking the dot back from the kept piste, on her second device, takes both rows back.
    before = ana.sync()
    answer = other.act("support_remove", piste_id=kept)
    assert answer["ok"] and answer["mine"]["supports"] == [third]
    assert received(other) == []  # the acting device has it in its ack
    assert _replay(ana, before)[0]["mine"]["supports"] == [third]

    before = {device: device.sync() for device in (ana, bob)}
    assert console.act("piste_unmerge", piste_id=duplicate)["ok"]
    broadcaster.flush()
    assert "me" not in _replay(ana, before[ana])[1]  # none of her dots stands on either piste now
    state, names = _replay(bob, before[bob])
    assert "me" in names and state["mine"]["supports"] == [duplicate]


def test_a_missed_delta_is_a_gap_and_a_snapshot_takes_up_the_stream(room):
    console, (ana, bob) = room["console"], room["phones"]
    before = console.sync()
    for phone, piste_id in ((ana, room["pistes"][0]), (bob, room["pistes"][1])):
        assert phone.act("support_add", piste_id=piste_id)["ok"]
        broadcaster.flush()
    deltas = [payload for name, payload in received(console) if name == "delta"]
    assert [d["base"] for d in deltas] == [before["seq"], before["seq"] + 1]
    with pytest.raises(Gap):
        apply(before, "delta", deltas[1])  # the first one was missed: the console asks for a snapshot
    state = console.sync()
    assert state["seq"] == deltas[1]["seq"]  # the snapshot is where the stream is: the next delta follows it
    assert ana.act("support_add", piste_id=room["pistes"][1])["ok"]
    broadcaster.flush()
    for name, payload in received(console):
        state = apply(state, name, payload)
    assert comparable(state) == comparable(console.sync())


def test_a_change_written_by_another_process_reaches_the_projector(room):
    from fabrique.extensions import db
    from fabrique.models import Atelier, Piste

    screen, atelier_id = room["screen"], room["atelier"].id
    before = screen.sync()
    db.session.execute(Piste.__table__.insert().values(atelier_id=atelier_id, theme_id="vivre-mieux", text="Écrite ailleurs",
                                                        horizon="2040", hashtags=[], status="visible"))
    db.session.execute(Atelier.__table__.update().where(Atelier.id == atelier_id).values(seq=Atelier.seq + 1))
    db.session.commit()
    broadcaster.flush()  # nothing was written through this process: the atelier's seq tells it
    state = before
    for name, payload in received(screen):
        state = apply(state, name, payload)
    assert "Écrite ailleurs" in [p["text"] for p in state["themes"][0]["pistes"]]
    assert comparable(state) == comparable(screen.sync())
