"""Fuzzing every socket event and every form through the real handlers: whatever arrives, the
answer is a refusal with a reason or a success, never a server error; afterwards budgets hold,
no row crosses from one atelier to another, and what the screens count is what is stored."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from fabrique.extensions import db
from fabrique.models import (Atelier, Engagement, EngagementPiste, EngagementSupport, ParadoxChoice, Participant, Piste,
                             Reve, Support, ValueVote, ValueWord)
from fabrique.payloads import EVENTS
from tests.factories import Console, Phone, new_atelier, op

def fuzz(examples: int):
    """Run a property `examples` times, the same way on every run (CI finds what a developer finds)."""
    return settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PARTICIPANT_EVENTS = sorted({"persona_choose", "paradox_toggle", "values_set", "value_word_add", "value_word_remove",
                             "reve_add", "reve_withdraw", "piste_add", "piste_edit", "piste_withdraw", "support_add",
                             "support_remove", "engagement_support"})
FACILITATOR_EVENTS = sorted(set(EVENTS) - set(PARTICIPANT_EVENTS))
UNLIMITED = {name: (10**9, 10**9) for name in ("connection_events",
    "participant_actions", "participant_syncs", "console_actions", "console_syncs", "ip_joins", "ip_rejoins",
    "atelier_rejoin_failures")}

TEMPLATE_WORDS = ["vivre-mieux", "vivre-ensemble", "art-de-vivre", "2024", "2040", "innovation", "solidarite",
                  "#mobilité", "points", "top_n", "choice", "balanced", "favorable", "reserve", "²", "٣", "1e3", "",
                  " ", "<script>alert(1)</script>", "x" * 600, "🚲" * 40, "\u202eRTL", "\x00", "null"]
EDGE_INTS = [0, 1, -1, 2, 3, 7, 2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -2**63 - 1, 10**30]


def values(ids):
    """Any JSON value, biased towards what the handlers look for (template ids, existing row ids, edge integers)."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.sampled_from(EDGE_INTS), st.sampled_from(ids), st.integers(),
        st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(TEMPLATE_WORDS), st.text(max_size=30))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=6), st.dictionaries(st.one_of(st.sampled_from(TEMPLATE_WORDS), st.text(max_size=8)), inner, max_size=4)),
        max_leaves=12)


def plausible(ids) -> dict:
    """For each field name, values a real client would send (so the fuzz gets past the first checks)."""
    texts = st.one_of(st.sampled_from(["Une piste pour demain", "Des navettes 🚲 le dimanche", "<b>gras</b> & co"]),
                      st.text(min_size=5, max_size=60))
    small = st.integers(min_value=0, max_value=12)
    return {
        "theme_id": st.sampled_from(["vivre-mieux", "vivre-ensemble", "art-de-vivre"]), "horizon": st.sampled_from(["2024", "2040"]),
        "value_id": st.sampled_from(["innovation", "solidarite"]), "paradox_id": st.text(max_size=12),
        "persona_id": st.text(max_size=12), "text": texts, "title": texts, "purpose": texts, "word": st.text(min_size=1, max_size=12),
        "hashtags": st.lists(st.sampled_from(["#mobilité", "mobilité", "#inconnu"]), max_size=3),
        "how": st.lists(texts, max_size=3), "points": st.dictionaries(st.sampled_from(["innovation", "solidarite"]), small, max_size=2),
        "chosen": st.booleans(), "hidden": st.booleans(), "locked": st.booleans(), "supported": st.booleans(),
        "override_quota": st.booleans(), "start_timer": st.booleans(), "to": st.integers(0, 9), "step": st.sampled_from([1, -1]),
        "seconds": st.integers(0, 5 * 3600), "position": small,
        "piste_ids": st.lists(st.sampled_from(ids), max_size=3),
        "settings": st.dictionaries(st.sampled_from(["dots", "value_budget", "max_participants", "value_method"]),
                                    st.one_of(small, st.sampled_from(["points", "top_n", "3"])), max_size=2),
        **{name: st.one_of(st.sampled_from(ids), st.sampled_from(EDGE_INTS))
           for name in ("piste_id", "into_id", "reve_id", "word_id", "engagement_id", "from_atelier_id")},
    }


def payloads(event: str, ids, tame_only: bool = False):
    """A payload for `event`: its fields with plausible or any values, sometimes an unknown field, sometimes no action id."""
    fields = [name for name in EVENTS[event].model_fields if name != "op_id"]
    good = plausible(ids)
    if event == "settings_update":
        from fabrique.actions.ateliers import SETTING_RULES

        inner = st.dictionaries(st.sampled_from([*SETTING_RULES, "inconnu"]), values(ids), max_size=4)
        wild = st.fixed_dictionaries({}, optional={"settings": st.one_of(inner, values(ids))})
    else:
        wild = st.fixed_dictionaries({}, optional={name: values(ids) for name in [*fields, "extra"]})
    tame = st.fixed_dictionaries({name: good[name] for name in fields})
    op_ids = st.one_of(st.builds(op), st.builds(op), st.builds(op), st.none(), st.integers(), st.text(max_size=80))
    tame = st.builds(lambda data: {**data, "op_id": op()}, tame)
    if tame_only:
        return tame
    return st.one_of(
        st.builds(lambda data, op_id: {**data, "op_id": op_id}, wild, op_ids),
        values(ids))  # not even an object


@pytest.fixture
def room(app):
    app.config["RATE_LIMITS"] = UNLIMITED
    mine, theirs = new_atelier(), new_atelier()
    console, their_console = Console(app, mine), Console(app, theirs)
    phones = [Phone(app, mine, name) for name in ("Ana", "Bob")]
    stranger = Phone(app, theirs, "Zoé")
    # Rows in the other organiser's atelier, whose ids the fuzz offers to this one's handlers.
    their_console.goto("reves")
    stranger.act("reve_add", theme_id="vivre-mieux", text="Un rêve d'ailleurs")
    their_console.goto("pistes")
    for text in ("Piste d'ailleurs", "Autre piste d'ailleurs"):
        stranger.act("piste_add", theme_id="vivre-mieux", horizon="2040", text=text, hashtags=[])
    their_console.goto("convergence")
    their_console.act("engagement_create", theme_id="vivre-mieux", title="Engagement d'ailleurs")
    console.goto("pistes")
    phones[0].act("piste_add", theme_id="vivre-ensemble", horizon="2024", text="Piste d'ici", hashtags=[])
    ids = sorted({*db.session.scalars(select(Piste.id)), *db.session.scalars(select(Reve.id)),
                  *db.session.scalars(select(Engagement.id)), *db.session.scalars(select(ValueWord.id)), mine.id, theirs.id})
    return {"app": app, "mine": mine, "theirs": theirs, "console": console, "phones": phones, "ids": ids,
            "theirs_before": _rows_of(theirs.id), "most": {}}


def _rows_of(atelier_id: int) -> dict:
    """Return what an atelier holds, to check that nothing of another atelier changed it."""
    atelier = db.session.get(Atelier, atelier_id)
    counts = {model.__name__: db.session.scalar(select(func.count()).select_from(model).where(model.atelier_id == atelier_id))
              for model in (Participant, Piste, Reve, Support, ValueVote, ValueWord, ParadoxChoice, Engagement)}
    return {**counts, "seq": atelier.seq, "pistes": sorted(db.session.execute(select(Piste.id, Piste.status, Piste.text).where(
        Piste.atelier_id == atelier_id)).all())}


def _check_answer(answer) -> None:
    assert isinstance(answer, dict) and isinstance(answer.get("ok"), bool), answer
    if not answer["ok"]:
        assert isinstance(answer["error"], str) and answer["error"].strip(), answer
        assert "Traceback" not in answer["error"]


def _check_invariants(room) -> None:
    db.session.expire_all()
    mine = db.session.get(Atelier, room["mine"].id)
    most = room["most"]
    for name, value in mine.settings.items():  # a limit lowered after use does not take back what was given
        if isinstance(value, int):
            most[name] = max(most.get(name, 0), value)
    for phone in room["phones"]:
        pid = phone.id
        count = lambda model, *where: db.session.scalar(select(func.count()).select_from(model).where(model.participant_id == pid, *where))  # noqa: E731
        assert count(Support) <= most["dots"]
        assert count(ParadoxChoice) <= most["paradox_choices"]
        assert count(Reve) <= most["max_reves_per_participant"]
        assert count(Piste, Piste.status != "withdrawn") <= most["max_pistes_per_participant"]
        assert count(ValueWord) <= most["value_max_words"]
        points = db.session.scalar(select(func.coalesce(func.sum(ValueVote.points), 0)).where(ValueVote.participant_id == pid))
        assert points <= max(most["value_budget"], most["value_top_n"])
        # What the phone is told it has is what is stored.
        answer = phone.sio.emit("sync", callback=True)
        assert answer["ok"], answer
        assert answer["state"]["mine"]["supports"] == sorted(db.session.scalars(select(Support.piste_id).where(Support.participant_id == pid)))
    # No row of this atelier points into another one.
    assert not db.session.execute(select(Support.id).join(Piste, Piste.id == Support.piste_id).where(Support.atelier_id != Piste.atelier_id)).first()
    assert not db.session.execute(select(Support.id).join(Participant, Participant.id == Support.participant_id).where(
        Support.atelier_id != Participant.atelier_id)).first()
    assert not db.session.execute(select(EngagementPiste.id).join(Engagement, Engagement.id == EngagementPiste.engagement_id).join(
        Piste, Piste.id == EngagementPiste.piste_id).where(Engagement.atelier_id != Piste.atelier_id)).first()
    assert not db.session.execute(select(EngagementSupport.id).join(Engagement, Engagement.id == EngagementSupport.engagement_id).join(
        Participant, Participant.id == EngagementSupport.participant_id).where(Engagement.atelier_id != Participant.atelier_id)).first()
    merged = db.session.execute(select(Piste.atelier_id, Piste.merged_into_id).where(Piste.merged_into_id.is_not(None))).all()
    assert all(db.session.get(Piste, into).atelier_id == atelier_id for atelier_id, into in merged)
    assert _rows_of(room["theirs"].id) == room["theirs_before"]  # the other organiser's atelier did not move
    # The console counts each piste's supporters as the database holds them (through merges).
    state = room["console"].sync()
    pistes = {p.id: p for p in db.session.scalars(select(Piste).where(Piste.atelier_id == mine.id))}

    def root(piste_id):
        while pistes[piste_id].merged_into_id is not None:
            piste_id = pistes[piste_id].merged_into_id
        return piste_id

    supporters = {}
    for participant_id, piste_id in db.session.execute(select(Support.participant_id, Support.piste_id).where(Support.atelier_id == mine.id)):
        supporters.setdefault(root(piste_id), set()).add(participant_id)
    for row in state["moderation"]:
        if row["status"] == "visible":
            assert row["supports"] == len(supporters.get(row["id"], ())), row
    assert len(state["participants"]) == db.session.scalar(select(func.count()).select_from(Participant).where(Participant.atelier_id == mine.id))


def test_every_socket_event_answers_any_payload_without_a_server_error(room):
    def now_and_then(data, one_in: int) -> bool:
        # Not `integers(0, n) == 0`: hypothesis favours the bounds, so that would happen most of the time.
        return data.draw(st.sampled_from(range(one_in))) == one_in // 2

    @fuzz(800)
    @given(data=st.data())
    def run(data):
        if now_and_then(data, 8):  # another phase
            room["console"].act("phase_goto", to=data.draw(st.sampled_from(range(9))))
        event = data.draw(st.sampled_from([*PARTICIPANT_EVENTS, *FACILITATOR_EVENTS]))
        payload = data.draw(payloads(event, room["ids"], tame_only=data.draw(st.booleans())))
        sender = room["console"] if event in FACILITATOR_EVENTS else data.draw(st.sampled_from(room["phones"]))
        if now_and_then(data, 20):  # a role sending the other role's event
            sender = room["phones"][0] if sender is room["console"] else room["console"]
        answer = sender.sio.emit(event, payload, callback=True)
        outcomes[(event, answer.get("code") if isinstance(answer, dict) else None)] += 1
        _check_answer(answer)

    outcomes = Counter()
    run()
    _check_invariants(room)
    # The fuzz reached past the schemas: events were applied, and refused by the actions' own rules.
    assert sum(n for (_event, code), n in outcomes.items() if code is None) >= 20, outcomes
    assert {"phase", "not_found", "invalid"} <= {code for _event, code in outcomes}, outcomes
    _check_invariants(room)


FORM_FIELDS = {
    "/ateliers": ["template", "name", "format", "demarche", "demarche_link", "audience", "held_on", "value_method",
                  "value_budget", "value_top_n", "dots", "persona_assignment", "paradox_choices", "max_participants"],
    "/j": ["code"],
    "join": ["pseudonym", "college", "language", "persona"],
    "rejoin": ["rejoin_code"],
    "review": ["op_id", "reviewer", "engagement_id", "opinion", "text"],
}
FORM_WORDS = [*TEMPLATE_WORDS, "la-fabrique-amp-2017", "2026-02-30", "2026-10-01", "99999-01-01", "9" * 30, "-1", "0",
              "10", "100", "101", "a_amender", "en", "fr", "de"]


def form_values():
    return st.one_of(st.sampled_from(FORM_WORDS), st.text(max_size=40), st.integers().map(str),
                     st.sampled_from(EDGE_INTS).map(str), st.just("x" * 5000))


def test_every_form_answers_any_input_without_a_server_error(app, client):
    app.config["RATE_LIMITS"] = UNLIMITED
    atelier = new_atelier()
    urls = {"/ateliers": "/ateliers", "/j": "/j", "join": f"/j/{atelier.join_code}", "rejoin": f"/j/{atelier.join_code}/retour",
            "review": f"/synthese/{atelier.review_token}/avis"}
    ateliers_before = db.session.scalar(select(func.count()).select_from(Atelier))

    @fuzz(300)
    @given(data=st.data())
    def run(data):
        form = data.draw(st.sampled_from(sorted(FORM_FIELDS)))
        fields = data.draw(st.fixed_dictionaries({}, optional={name: form_values() for name in [*FORM_FIELDS[form], "extra"]}))
        browser = app.test_client()  # a new phone each time: joins are not short-circuited by a cookie
        response = browser.post(urls[form], data=fields)
        assert response.status_code < 500, (form, fields, response.status_code)
        if response.status_code == 302:
            assert response.location.startswith("/") or response.location.startswith("http://localhost/")

    run()
    # Every atelier the fuzz managed to create is a well-formed one.
    for created in db.session.scalars(select(Atelier).offset(ateliers_before)):
        assert 1 <= len(created.name) <= 200 and (created.held_on is None or re.fullmatch(r"\d{4}-\d{2}-\d{2}", created.held_on))


@fuzz(200)
@given(path=st.sampled_from(["/langue/en?next=", "/?demarche=", "/j/", "/participant/", "/screen/", "/facilitate/",
                             "/synthese/", "/synthese/x.json?demarche=", "/qr/"]), tail=st.one_of(form_values(), st.text(max_size=20)))
def test_every_page_answers_any_address_without_a_server_error(client, path, tail):
    from urllib.parse import quote

    response = client.get(path + quote(tail, safe=""))
    assert response.status_code < 500, (path, tail)
