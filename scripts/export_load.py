"""Measure what building each synthesis format does to a live room, on this machine only (127.0.0.1).

    .venv/bin/python scripts/export_load.py [--participants 300] [--pistes 300] [--votes 2000] [--mode gevent|eventlet|threading]
                                            [--busy N] [--profile DIR]

Fills an atelier (participants with personas, pistes, dots, value votes), starts the server in a
subprocess on a free port, connects one phone (its real participant cookie and Socket.IO
connection), and measures the phone's `sync` ack latency: idle, then while each format of the
synthesis — the web page and one CSV table included — is downloaded for the first time (nothing
cached). The idle figure is measured again just before each download, so that a machine whose
load changes during the run compares each export with the moment before it. Prints, per format:
the download time and size, the phone's ack p95 and max during it, and the gap to the idle p95.
`--profile DIR` records the server with py-spy during each download (`pip install py-spy`);
`--busy N` keeps N other processes spinning for the whole run (idle figure included), as on a
machine that other work shares. Bounded: one phone, one download per format, a 300 s limit per download.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from fabrique import local_server  # noqa: E402

# What a reader downloads: the name printed, and the end of the synthesis link.
FORMATS = {"page": "", "json": ".json", "csv-table": ".csv?table=pistes", "csv": ".csv", "xlsx": ".xlsx", "docx": ".docx",
           "odt": ".odt", "pdf": ".pdf"}


def seed(database_url: str, participants: int, pistes: int, votes: int) -> dict:
    """Fill one atelier with rows (set-up only: the app's actions are measured elsewhere)."""
    from fabrique import catalog, create_app
    from fabrique.actions.ateliers import create_atelier
    from fabrique.extensions import db
    from fabrique.models import Participant, Piste, Support, ValueVote

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "export-load-not-secret", "TESTING": True})
    with app.app_context():
        atelier = create_atelier("la-fabrique-amp-2017", "Atelier chargé", audience="CODEV", held_on="2026-12-01")
        template = catalog().templates[atelier.template_id]
        personas = [p.id for p in catalog().personas_for(template)]
        rng = random.Random(7)
        people = [Participant(atelier_id=atelier.id, pseudonym=f"P{i}", pseudonym_key=f"p{i}", persona_id=personas[i % len(personas)],
                              college=rng.choice(template.colleges) if template.colleges else None, rejoin_code=f"R{i:05d}")
                  for i in range(participants)]
        db.session.add_all(people)
        db.session.flush()
        themes, horizons = [t.id for t in template.themes], [h.id for h in template.horizons]
        rows = [Piste(atelier_id=atelier.id, participant_id=p.id, persona_id=p.persona_id, theme_id=rng.choice(themes),
                      horizon=rng.choice(horizons), text=f"Piste {i} : " + "des navettes entre les gares et les villages " * rng.randint(1, 4),
                      hashtags=rng.sample(list(template.hashtags), k=min(2, len(template.hashtags))))
                for i, p in enumerate(rng.choices(people, k=pistes))]
        db.session.add_all(rows)
        db.session.flush()
        pairs = set()
        while len(pairs) < min(votes, participants * pistes):
            pairs.add((rng.randrange(participants), rng.randrange(pistes)))
        db.session.add_all(Support(atelier_id=atelier.id, participant_id=people[a].id, persona_id=people[a].persona_id,
                                   piste_id=rows[b].id) for a, b in pairs)
        values = [v.id for v in template.values]
        db.session.add_all(ValueVote(atelier_id=atelier.id, participant_id=p.id, persona_id=p.persona_id, value_id=v, points=2)
                           for p in people for v in rng.sample(values, k=2))
        db.session.commit()
        out = {"review_token": atelier.review_token, "join_code": atelier.join_code, "atelier_id": atelier.id,
               "phone_token": people[0].token}
        db.session.remove()
        db.engine.dispose()
    return out


def start_server(database_url: str, instance: Path, mode: str) -> local_server.LocalServer:
    """Start `serve.py` on a free port of 127.0.0.1 on this database; return it once it answers."""
    # The probe phone asks for a snapshot many times a second, far more than a phone may.
    return local_server.start(instance, {"DATABASE_URL": database_url,
                                         "FABRIQUE_RATE_LIMITS": "participant_syncs=100000:100000,connection_events=100000:100000"},
                              mode=mode)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values[0] if values else 0.0)


class Phone:
    """One participant's Socket.IO connection, asking for its state again and again."""

    def __init__(self, base: str, seeded: dict):
        self.client = socketio.Client(reconnection=False)
        self.client.connect(base, auth={"role": "participant", "code": seeded["join_code"]}, transports=["websocket"],
                            headers={"Cookie": f"fabrique_{seeded['atelier_id']}={seeded['phone_token']}"}, wait_timeout=20)

    def ack_ms(self) -> float:
        start = time.perf_counter()
        answer = self.client.call("sync", timeout=30)
        assert answer and answer.get("ok"), answer
        return 1000 * (time.perf_counter() - start)

    def during(self, work) -> tuple[list[float], float]:
        """Measure acks (every 20 ms) while `work()` runs in a thread; return them and the work's seconds."""
        done, took = threading.Event(), []

        def run():
            start = time.perf_counter()
            work()
            took.append(time.perf_counter() - start)
            done.set()

        threading.Thread(target=run, daemon=True).start()
        latencies = []
        while not done.is_set():
            latencies.append(self.ack_ms())
            time.sleep(0.02)
        return latencies, took[0]


def _idle(phone: Phone, samples: int) -> list[float]:
    latencies = []
    for _ in range(samples):
        latencies.append(phone.ack_ms())
        time.sleep(0.02)
    return latencies


def measure(base: str, seeded: dict, formats=tuple(FORMATS), idle_samples: int = 40, server_pid: int | None = None,
            profile: Path | None = None) -> dict:
    """Return the idle ack p95 and, per format, the download time and size, the acks during it and the idle p95 just before."""
    phone = Phone(base, seeded)
    try:
        for _ in range(5):
            phone.ack_ms()  # warm up
        idle = _idle(phone, idle_samples)
        results = {"idle_p95": _p95(idle), "idle_max": max(idle), "formats": {}}
        for fmt in formats:
            url = f"{base}/synthese/{seeded['review_token']}{FORMATS[fmt]}"
            before = _p95(_idle(phone, max(10, idle_samples // 2)))
            size = []

            def download(url=url):
                with urllib.request.urlopen(url, timeout=300) as response:
                    assert response.status == 200
                    size.append(len(response.read()))

            spy = _spy(server_pid, profile / f"{fmt}.txt") if profile and server_pid else None
            try:
                latencies, seconds = phone.during(download)
            finally:
                if spy is not None:
                    spy.send_signal(signal.SIGINT)
                    spy.wait(timeout=60)
            results["formats"][fmt] = {"seconds": seconds, "bytes": size[0], "p95": _p95(latencies), "max": max(latencies),
                                       "samples": len(latencies), "idle_p95": before}
        return results
    finally:
        phone.client.disconnect()


def _spy(pid: int, out: Path) -> subprocess.Popen:
    """Start py-spy on the server (samples of every thread, idle ones left out), writing folded stacks to `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    spy = subprocess.Popen([str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(pid), "--format", "raw",
                            "--output", str(out), "--rate", "200"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # attached before the download starts
    return spy


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--pistes", type=int, default=300)
    parser.add_argument("--votes", type=int, default=2000)
    parser.add_argument("--mode", choices=("gevent", "eventlet", "threading"), default="eventlet")
    parser.add_argument("--profile", type=Path, help="record the server with py-spy during each download, into this folder")
    parser.add_argument("--busy", type=int, default=0, help="other processes spinning on the CPU during the run")
    args = parser.parse_args(argv)
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
    try:
        return _run(args)
    finally:
        for spinner in busy:
            spinner.kill()
            spinner.wait()


def _run(args) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        url = f"sqlite:///{instance / 'fabrique.sqlite3'}"
        started = time.perf_counter()
        seeded = seed(url, args.participants, args.pistes, args.votes)
        print(f"Atelier : {args.participants} participants, {args.pistes} pistes, {args.votes} gommettes "
              f"(rempli en {time.perf_counter() - started:.1f} s) ; serveur {args.mode} ; "
              f"{os.cpu_count()} cœurs, charge moyenne {os.getloadavg()[0]:.1f}, {args.busy} processus occupés à côté")
        with start_server(url, instance, args.mode) as server:
            results = measure(server.base, seeded, server_pid=server.pid, profile=args.profile)
    print(f"Accusé de réception d'un téléphone au repos : p95 {results['idle_p95']:.0f} ms, max {results['idle_max']:.0f} ms")
    print(f"{'format':<9} {'durée':>8} {'taille':>9} {'p95 avant':>10} {'p95 pendant':>12} {'max pendant':>12} {'écart p95':>10}")
    for fmt, r in results["formats"].items():
        print(f"{fmt:<9} {r['seconds']:>7.2f}s {r['bytes'] / 1e6:>7.2f}Mo {r['idle_p95']:>8.0f}ms {r['p95']:>10.0f}ms "
              f"{r['max']:>10.0f}ms {r['p95'] - r['idle_p95']:>+8.0f}ms")
    print(f"charge moyenne à la fin : {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
