"""Property tests of the synthesis' counts: random sequences of what facilitators and participants
do across the ateliers of a démarche, through the real actions; after each sequence the synthesis
of every atelier and of the démarche builds, and every count equals a brute-force recount made
here from the database rows, by graph search (independently of `fabrique.readmodel.counting`).
The live read model of each atelier, kept up to date from the same changes, says the same as the
synthesis of that atelier: the projector's supports per piste and each phone's dots."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from fabrique import readmodel
from fabrique.actions import Refused
from fabrique.actions.ateliers import create_atelier, new_demarche
from fabrique.actions.carry_over import carry_over
from fabrique.actions.contributions import PARTICIPANT_ACTIONS
from fabrique.actions.convergence import CONVERGENCE_ACTIONS, engagement_support
from fabrique.actions.facilitation import FACILITATOR_ACTIONS
from fabrique.actions.participation import join
from fabrique.extensions import db
from fabrique.models import Atelier, Demarche, Engagement, EngagementPiste, EngagementSupport, Participant, Piste, Support
from fabrique.aggregates import SCREEN, Publisher
from fabrique.state import participant_state
from fabrique.synthesis import build, build_for_demarche
from tests.factories import PHASES, op
from tests.test_synthesis import validate

TEMPLATE = "la-fabrique-amp-2017"
THEMES = ("vivre-mieux", "vivre-monde", "vivre-ensemble", "art-de-vivre")
PEOPLE = 3
PHASE_OF = {"piste_add": "pistes", "piste_edit": "pistes", "piste_withdraw": "pistes", "support_add": "vote",
            "support_remove": "vote", "engagement_support": "convergence"}

pick = st.integers(min_value=0, max_value=40)  # an index into what exists when the step runs
ADD = st.tuples(st.just("add"), pick, pick, st.sampled_from(THEMES))
SUPPORT = st.tuples(st.just("support"), pick, pick)
STEPS = st.one_of(
    ADD, ADD, SUPPORT, SUPPORT,  # twice as likely: the other steps need pistes and dots to act on
    st.tuples(st.just("edit"), pick, st.sampled_from(THEMES)),
    st.tuples(st.just("withdraw"), pick),
    st.tuples(st.just("hide"), pick, st.booleans()),
    st.tuples(st.just("merge"), pick, pick),
    st.tuples(st.just("unmerge"), pick),
    st.tuples(st.just("move"), pick, st.sampled_from(THEMES)),
    st.tuples(st.just("attach"), pick, pick),
    st.tuples(st.just("carry"), pick, pick),
    st.tuples(st.just("unsupport"), pick, pick),
    st.tuples(st.just("engagement_support"), pick, pick, st.booleans()),
)


class Demarche3:
    """Two or three ateliers of one démarche, three people in each, driven through the actions."""

    def __init__(self, size: int):
        self.demarche_id = new_demarche(f"Démarche {op()[:8]}", TEMPLATE)
        self.ateliers = [create_atelier(TEMPLATE, f"Atelier {i}", demarche_id=self.demarche_id, audience=f"Public {i}")
                         for i in range(size)]
        self.people = {a.id: [join(a.id, f"P{j}").id for j in range(PEOPLE)] for a in self.ateliers}
        self.phase = {}
        for a in self.ateliers:
            readmodel.model_for(a.id)  # loaded now, so the live models follow every change one by one

    def _goto(self, atelier_id: int, kind: str) -> None:
        if self.phase.get(atelier_id) != kind:
            FACILITATOR_ACTIONS["phase_goto"](atelier_id, op(), {"to": PHASES[kind]})
            self.phase[atelier_id] = kind

    def participant(self, name: str, participant_id: int, **data):
        atelier_id = db.session.get(Participant, participant_id).atelier_id
        self._goto(atelier_id, PHASE_OF[name])
        fn = engagement_support if name == "engagement_support" else PARTICIPANT_ACTIONS[name]
        return fn(participant_id, op(), data)

    def facilitator(self, atelier_id: int, name: str, **data):
        fn = {**FACILITATOR_ACTIONS, **CONVERGENCE_ACTIONS, "carry_over": carry_over}[name]
        return fn(atelier_id, op(), data)

    def pistes(self) -> list[Piste]:
        ids = [a.id for a in self.ateliers]
        return list(db.session.scalars(select(Piste).where(Piste.atelier_id.in_(ids)).order_by(Piste.id)))

    def everyone(self) -> list[int]:
        return [pid for a in self.ateliers for pid in self.people[a.id]]

    def seed(self) -> None:
        """Give each atelier two pistes to start from, so that short sequences have something to act on."""
        for index in range(len(self.ateliers)):
            for person in range(2):
                self.run(("add", index, person, THEMES[person]))

    def run(self, step) -> None:
        kind, *args = step
        pistes = self.pistes()
        piste = pistes[args[0] % len(pistes)] if pistes and kind not in ("add", "carry") else None
        if kind not in ("add", "carry") and piste is None:
            return
        if kind == "add":
            atelier = self.ateliers[args[0] % len(self.ateliers)]
            person = self.people[atelier.id][args[1] % PEOPLE]
            self.participant("piste_add", person, theme_id=args[2], horizon="2040", text=f"Piste {op()[:6]}", hashtags=[])
        elif kind == "edit":
            if piste.participant_id:
                self.participant("piste_edit", piste.participant_id, piste_id=piste.id, theme_id=args[1], horizon="2024",
                                 text=piste.text + " (modifiée)", hashtags=[])
        elif kind == "withdraw":
            if piste.participant_id:
                self.participant("piste_withdraw", piste.participant_id, piste_id=piste.id)
        elif kind == "hide":
            self.facilitator(piste.atelier_id, "piste_hide", piste_id=piste.id, hidden=args[1])
        elif kind == "merge":
            same = [p for p in pistes if p.atelier_id == piste.atelier_id and p.id != piste.id]
            if same:
                self.facilitator(piste.atelier_id, "piste_merge", piste_id=piste.id, into_id=same[args[1] % len(same)].id)
        elif kind == "unmerge":
            self.facilitator(piste.atelier_id, "piste_unmerge", piste_id=piste.id)
        elif kind == "move":
            self.facilitator(piste.atelier_id, "piste_update", piste_id=piste.id, theme_id=args[1])
        elif kind == "attach":
            engagements = list(db.session.scalars(select(Engagement).where(Engagement.atelier_id == piste.atelier_id)
                                                  .order_by(Engagement.id)))
            if not engagements or args[1] % 3 == 0:  # sometimes a new engagement, past the quota if need be
                self.facilitator(piste.atelier_id, "engagement_create", theme_id=piste.theme_id, title=f"Engagement {op()[:6]}",
                                 piste_ids=[piste.id], override_quota=True)
            else:
                self.facilitator(piste.atelier_id, "engagement_link", engagement_id=engagements[args[1] % len(engagements)].id,
                                 piste_id=piste.id)
        elif kind == "carry":
            source = self.ateliers[args[0] % len(self.ateliers)]
            target = self.ateliers[args[1] % len(self.ateliers)]
            self.facilitator(target.id, "carry_over", from_atelier_id=source.id)
        elif kind in ("support", "unsupport"):
            person = self.people[piste.atelier_id][args[1] % PEOPLE]
            self.participant("support_add" if kind == "support" else "support_remove", person, piste_id=piste.id)
        elif kind == "engagement_support":
            person = self.everyone()[args[0] % len(self.everyone())]
            atelier_id = db.session.get(Participant, person).atelier_id
            engagements = list(db.session.scalars(select(Engagement.id).where(Engagement.atelier_id == atelier_id)))
            if engagements:
                self.participant("engagement_support", person, engagement_id=engagements[args[1] % len(engagements)],
                                 supported=args[2])


# --- the brute-force recount ---------------------------------------------------------------------


def recount(atelier_ids: list[int]) -> dict:
    """Count from the rows with a plain graph search: what the synthesis of these ateliers must say."""
    pistes = {p.id: p for p in db.session.scalars(select(Piste).where(Piste.atelier_id.in_(atelier_ids)))}

    def end_of_merges(p: Piste) -> Piste | None:
        seen = set()
        while p.merged_into_id is not None and p.id not in seen:
            seen.add(p.id)
            p = pistes.get(p.merged_into_id)
            if p is None:
                return None
        return p

    counting = {}
    for p in pistes.values():
        end = end_of_merges(p)
        if p.status in ("visible", "merged") and end is not None and end.status == "visible":
            counting[p.id] = end.id
    # A proposal: pistes tied by a merge or by a copy to its original (an original outside these
    # ateliers, or no longer counted, still ties its copies: it is the node "origin:<id>").
    graph = defaultdict(set)
    for piste_id, end in counting.items():
        graph[("piste", piste_id)].add(("piste", end))
        graph[("piste", end)].add(("piste", piste_id))
        origin = pistes[piste_id].origin_piste_id
        if origin is not None:
            node = ("piste", counting[origin]) if origin in counting else ("origin", origin)
            graph[("piste", piste_id)].add(node)
            graph[node].add(("piste", piste_id))
    proposal_of, proposals = {}, []
    for start in [("piste", i) for i in sorted(counting)]:
        if start in proposal_of:
            continue
        members, stack = set(), [start]
        while stack:
            node = stack.pop()
            if node in proposal_of:
                continue
            proposal_of[node] = len(proposals)
            if node[0] == "piste":
                members.add(node[1])
            stack.extend(graph[node])
        proposals.append(members)
    supports = list(db.session.scalars(select(Support).where(Support.atelier_id.in_(atelier_ids))))
    supporters = [set() for _ in proposals]
    for s in supports:
        if s.piste_id in counting:
            supporters[proposal_of[("piste", s.piste_id)]].add(s.participant_id)
    engagements = list(db.session.scalars(select(Engagement).where(Engagement.atelier_id.in_(atelier_ids))))
    links = defaultdict(set)
    for link in db.session.scalars(select(EngagementPiste)):
        if link.piste_id in counting:
            links[link.engagement_id].add(proposal_of[("piste", link.piste_id)])
    backers = defaultdict(set)
    for row in db.session.scalars(select(EngagementSupport)):
        backers[row.engagement_id].add(row.participant_id)
    return {
        "proposals": sorted(sorted(m) for m in proposals),
        "supports_by_proposal": sorted((sorted(m), len(s)) for m, s in zip(proposals, supporters)),
        "counted_supports": sorted(s.id for s in supports if s.piste_id in counting),
        "dots": len(supports),
        "engagements": {e.id: (len(links[e.id]), len(backers[e.id])) for e in engagements},
        "authors": len({p.participant_id for p in pistes.values() if p.participant_id and p.status != "withdrawn"}),
        "hidden": sum(p.status == "hidden" for p in pistes.values()),
        "withdrawn": sum(p.status == "withdrawn" for p in pistes.values()),
    }


def said(doc: dict) -> dict:
    """Read the same counts from the synthesis document."""
    rows = doc["annexes"]["pistes"]
    shown = [r for r in rows if r["status"] == "visible"]
    members = defaultdict(set)
    for r in shown:
        members[r["id"]].add(r["id"])
    for r in rows:
        if r["status"] == "merged" and r["merged_into"] in members:
            members[r["merged_into"]].add(r["id"])
    return {
        "shown": len(shown),
        "shown_ids": [r["id"] for r in shown],
        "supports": {r["id"]: r["supports"] for r in shown},
        "counted_supports": len([s for s in doc["annexes"]["supports"] if s["counted"]]),
        "dots": len(doc["annexes"]["supports"]),
        "engagements": {e["id"]: (e["piste_count"], e["supports"]) for t in doc["themes"] for e in t["engagements"]},
        "authors": doc["participation"]["contributors"]["pistes"],
        "excluded": doc["annexes"]["excluded"],
        "total_pistes": doc["participation"]["totals"]["pistes"],
        "engagement_pistes_shown": all(p["status"] == "visible" for t in doc["themes"] for e in t["engagements"] for p in e["pistes"]),
    }


def check(doc: dict, atelier_ids: list[int]) -> None:
    validate(doc)
    truth, seen = recount(atelier_ids), said(doc)
    assert seen["shown"] == seen["total_pistes"] == len(truth["proposals"])  # every proposal once
    assert len(set(seen["shown_ids"])) == seen["shown"]
    shown = set(seen["shown_ids"])
    for members in truth["proposals"]:
        assert len(shown & set(members)) == 1, members  # shown by exactly one of its pistes
    by_members = dict((tuple(m), n) for m, n in truth["supports_by_proposal"])
    for members, n in by_members.items():
        (rep,) = shown & set(members)
        assert seen["supports"][rep] == n, (members, n)
    assert seen["counted_supports"] == len(truth["counted_supports"]) and seen["dots"] == truth["dots"]
    assert seen["engagements"] == truth["engagements"]
    assert seen["authors"] == truth["authors"]
    assert seen["excluded"] == {"hidden": truth["hidden"], "withdrawn": truth["withdrawn"]}
    assert seen["engagement_pistes_shown"]


def check_live(doc: dict, atelier_id: int) -> None:
    """Assert the live model of an atelier counts what the synthesis of that atelier says."""
    rows = doc["annexes"]["pistes"]
    said_supports = {r["id"]: r["supports"] for r in rows if r["status"] == "visible"}
    live = readmodel.model_for(atelier_id)
    supporters, _authors = live.counts()
    assert {i: len(people) for i, people in supporters.items()} == said_supports
    projector = Publisher(atelier_id, "check")
    projector.refresh(live, set(), "http://fabrique.test")
    screen = projector.snapshot(SCREEN)
    assert {p["id"]: p["supports"] for t in screen["themes"] for p in t["pistes"]} == said_supports  # the projector
    dots = defaultdict(set)
    for s in doc["annexes"]["supports"]:
        dots[s["participant"]].add(s["counted_under"])
    for participant in db.session.scalars(select(Participant).where(Participant.atelier_id == atelier_id)):
        phone = participant_state(participant)
        assert set(phone["mine"]["supports"]) == dots[f"P{participant.id}"]  # the phone's dots


@settings(max_examples=int(__import__("os").environ.get("FABRIQUE_PROPERTY_EXAMPLES", "30")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(size=st.integers(min_value=2, max_value=3), steps=st.lists(STEPS, min_size=8, max_size=40))
def test_every_count_of_the_synthesis_equals_a_recount(app, size, steps):
    world = Demarche3(size)
    world.seed()
    for step in steps:
        try:
            world.run(step)
        except Refused:
            pass  # refused by the action's own checks: nothing was written
        db.session.expire_all()
    ids = [a.id for a in world.ateliers]
    for atelier_id in ids:
        doc = build(db.session.get(Atelier, atelier_id))
        check(doc, [atelier_id])
        check_live(doc, atelier_id)
    check(build_for_demarche(db.session.get(Demarche, world.demarche_id)), ids)


@pytest.mark.parametrize("carried_first", [True, False])
def test_a_piste_carried_then_merged_on_both_sides_counts_once(app, carried_first):
    """The shape hypothesis found hardest, kept as an example: copies merged where the originals are not."""
    world = Demarche3(3)
    first, second, third = world.ateliers
    steps = [("add", 0, 0, "vivre-mieux"), ("add", 0, 1, "vivre-mieux"), ("support", 0, 0), ("support", 1, 1),
             ("support", 0, 3), ("carry", 0, 1), ("merge", 2, 1), ("carry", 1, 2), ("carry", 0, 2)]
    if not carried_first:
        steps = steps[:5] + [("merge", 1, 0)] + steps[5:]
    for step in steps:
        try:
            world.run(step)
        except Refused:
            pass
        db.session.expire_all()
    check(build_for_demarche(db.session.get(Demarche, world.demarche_id)), [a.id for a in world.ateliers])
    for atelier in world.ateliers:
        doc = build(atelier)
        check(doc, [atelier.id])
        check_live(doc, atelier.id)
