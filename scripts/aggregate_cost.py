"""Measure what one projector/console refresh costs, in this process (no server, no network).

    .venv/bin/python scripts/aggregate_cost.py [--sizes 250x500,2000x6000] [--rounds 20]

Fills an atelier per size (participants × pistes, three dots and two value votes each, a few
engagements), then for each action kind (a dot, a piste, a value vote, a moderation, an
engagement support) applies one real action and times the coalesced refresh that follows
(`broadcaster.flush()`: what is built and what is sent to the projector and console rooms),
and the full snapshot a newly connected console or projector asks for (the first one, and a next one). Prints the median and the worst time
and the bytes sent (JSON) per refresh. Bounded: `--rounds` actions per kind and size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def seed(database_url: str, participants: int, pistes: int) -> int:
    """Fill one atelier (the export benchmark's rows, three dots a person), plus a rêve a person and an
    engagement per theme with pistes behind it; return its id."""
    from export_load import seed as fill

    from fabrique import catalog
    from fabrique.extensions import db
    from fabrique.models import Atelier, Engagement, EngagementPiste, Participant, Piste, Reve
    from sqlalchemy import select

    atelier_id = fill(database_url, participants, pistes, votes=participants * 3)["atelier_id"]
    atelier = db.session.get(Atelier, atelier_id)
    themes = [t.id for t in catalog().templates[atelier.template_id].themes]
    people = list(db.session.scalars(select(Participant).where(Participant.atelier_id == atelier_id)))
    rows = list(db.session.scalars(select(Piste.id).where(Piste.atelier_id == atelier_id).order_by(Piste.id)))
    db.session.add_all(Reve(atelier_id=atelier_id, participant_id=p.id, persona_id=p.persona_id, theme_id=themes[i % len(themes)],
                            text="En 2040, la mer est propre et les bus sont à l'heure.") for i, p in enumerate(people))
    for t, theme in enumerate(themes):
        engagement = Engagement(atelier_id=atelier_id, theme_id=theme, title=f"Engagement {t}", position=0)
        db.session.add(engagement)
        db.session.flush()
        db.session.add_all(EngagementPiste(engagement_id=engagement.id, piste_id=rows[i], position=i)
                           for i in range(t, min(pistes, t + 40), len(themes)))
    db.session.commit()
    return atelier_id


class Segments:
    """Time the longest stretch a build runs without yielding to other greenlets (what an ack may wait)."""

    def __init__(self):
        self.last = time.perf_counter()
        self.longest = 0.0

    def start(self):
        self.last, self.longest = time.perf_counter(), 0.0

    def __call__(self, _seconds=0):
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def end(self) -> float:
        self()
        return self.longest * 1000


class Sent:
    """Count the JSON bytes of every event emitted, instead of sending them."""

    def __init__(self):
        self.bytes = 0

    def __call__(self, event, payload=None, **_kw):
        self.bytes += len(json.dumps(payload, ensure_ascii=False, default=str))


def measure(database_url: str, participants: int, pistes: int, rounds: int) -> list[tuple]:
    from fabrique import readmodel
    from fabrique.actions.contributions import PARTICIPANT_ACTIONS
    from fabrique.actions.convergence import engagement_support
    from fabrique.actions.facilitation import FACILITATOR_ACTIONS
    from fabrique.events import broadcaster
    from fabrique.extensions import db, socketio
    from fabrique.models import Engagement, Participant, Piste
    from fabrique.sockets import snapshot, Identity
    from sqlalchemy import select

    atelier_id = seed(database_url, participants, pistes)
    people = list(db.session.scalars(select(Participant.id).where(Participant.atelier_id == atelier_id)))
    piste_ids = list(db.session.scalars(select(Piste.id).where(Piste.atelier_id == atelier_id)))
    engagement_ids = list(db.session.scalars(select(Engagement.id).where(Engagement.atelier_id == atelier_id)))
    rng = random.Random(3)
    sent = Sent()
    socketio.emit = sent
    segments = Segments()
    socketio.sleep = segments

    def facilitator(name, **data):
        return FACILITATOR_ACTIONS[name](atelier_id, str(uuid.uuid4()), data)

    def phase(kind):
        from tests.factories import PHASES
        facilitator("phase_goto", to=PHASES[kind])

    def participant(name, **data):
        action = PARTICIPANT_ACTIONS.get(name) or engagement_support
        return action(rng.choice(people), str(uuid.uuid4()), data)

    kinds = [
        ("vote", "support_add", lambda: participant("support_add", piste_id=rng.choice(piste_ids))),
        ("pistes", "piste_add", lambda: participant("piste_add", theme_id="vivre-mieux", horizon="2040", text="Une piste de plus", hashtags=[])),
        ("valeurs", "values_set", lambda: participant("values_set", points={"innovation": 2})),
        ("vote", "piste_hide", lambda: facilitator("piste_hide", piste_id=rng.choice(piste_ids), hidden=True)),
        ("convergence", "engagement_support", lambda: participant("engagement_support", engagement_id=rng.choice(engagement_ids), supported=True)),
    ]
    out = []
    readmodel.model_for(atelier_id)
    for role in ("facilitate", "screen"):
        started = time.perf_counter()
        segments.start()
        state = snapshot(Identity(role, atelier_id))
        took, longest = (time.perf_counter() - started) * 1000, segments.end()
        out.append((participants, pistes, f"first {role} snapshot", [took], [len(json.dumps(state, ensure_ascii=False, default=str))]))
        out.append((participants, pistes, "  longest without yielding", [longest], [0]))
        started = time.perf_counter()
        json.dumps(state, ensure_ascii=False, default=str)
        out.append((participants, pistes, "  its JSON encoding", [(time.perf_counter() - started) * 1000], [0]))
    for kind, name, act in kinds:
        phase(kind)
        broadcaster.flush()
        times, sizes = [], []
        for _ in range(rounds):
            try:
                act()
            except Exception:  # a refusal (budget): the refresh is measured all the same
                db.session.rollback()
            sent.bytes = 0
            started = time.perf_counter()
            broadcaster.flush()
            times.append((time.perf_counter() - started) * 1000)
            sizes.append(sent.bytes)
        out.append((participants, pistes, name, times, sizes))
    times, sizes = [], []
    for _ in range(3):
        started = time.perf_counter()
        state = snapshot(Identity("facilitate", atelier_id))
        times.append((time.perf_counter() - started) * 1000)
        sizes.append(len(json.dumps(state, ensure_ascii=False, default=str)))
    out.append((participants, pistes, "next console snapshot", times, sizes))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="250x500,2000x6000", help="participants×pistes, comma-separated")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    from fabrique import create_app

    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores")
    print(f"{'atelier':>12} {'what':<26} {'median ms':>10} {'max ms':>9} {'bytes':>10}")
    for size in args.sizes.split(","):
        participants, pistes = (int(n) for n in size.split("x"))
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{Path(folder) / 'cost.sqlite3'}"
            app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "cost", "TESTING": True, "AGGREGATE_INTERVAL": None,
                              "PUBLIC_URL": "http://fabrique.test"})
            with app.app_context():
                for p, n, name, times, sizes in measure(url, participants, pistes, args.rounds):
                    print(f"{p:>5}/{n:<6} {name:<26} {statistics.median(times):>10.1f} {max(times):>9.1f} {int(statistics.median(sizes)):>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
