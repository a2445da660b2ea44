"""How much one flooding phone slows another phone down, on this machine only (127.0.0.1).

    .venv/bin/python scripts/fairness.py [--mode gevent|eventlet|threading] [--syncs 5000] [--actions 40]

Starts the server in a subprocess, creates an atelier in its pistes phase, joins two phones. The
other phone writes `--actions` pistes at a brisk human pace, first alone, then while the flooding
phone sends `--syncs` snapshot requests and `--flood-actions` actions without waiting for answers
(about 1,200 messages a second by default, for the whole run), over five connections sharing its
cookie, from another process. Prints the other phone's ack p50/p95 in both runs and the
difference, and what the flood was answered (snapshots, refusals). Bounded: 120 s at most.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))
from simulate import Phone  # noqa: E402

from fabrique import local_server  # noqa: E402


def new_atelier(base: str) -> tuple[str, str]:
    """Create an atelier through the home form; return its join code and facilitator token."""
    import http.cookiejar

    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"name": "Atelier du banc d'essai", "template": "la-fabrique-amp-2017", "csrf_token": token})
    console = opener.open(f"{base}/ateliers", data=data.encode(), timeout=10)
    facilitate = console.url.rsplit("/facilitate/", 1)[1]
    code = re.search(r"/j/([A-Z0-9]+)", console.read().decode()).group(1)
    return code, facilitate


def facilitator(base: str, token: str) -> socketio.Client:
    client = socketio.Client(reconnection=False)
    client.connect(base, auth={"role": "facilitate", "token": token}, transports=["websocket"], wait_timeout=10)
    return client


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share + 0.5) - 1)]


def write_pistes(phone: Phone, count: int, pause: float = 0.0) -> tuple[list[float], int]:
    """Write `count` pistes, `pause` seconds apart; return the ack latencies (ms) and how many were refused."""
    latencies, refused = [], 0
    for i in range(count):
        time.sleep(pause)
        started = time.perf_counter()
        answer = phone.call("piste_add", {"op_id": str(uuid.uuid4()), "theme_id": "vivre-mieux", "horizon": "2040",
                                          "text": f"Piste {i} de {phone.pseudonym} {uuid.uuid4().hex[:6]}", "hashtags": []})
        latencies.append((time.perf_counter() - started) * 1000)
        refused += not answer.get("ok")
    return latencies, refused


class Flood:
    """One phone sending snapshot requests and actions without waiting, over several connections."""

    def __init__(self, base: str, code: str, cookie: str, connections: int = 5):
        self.clients = []
        for _ in range(connections):
            client = socketio.Client(reconnection=False)
            client.connect(base, headers={"Cookie": cookie}, auth={"role": "participant", "code": code},
                           transports=["websocket"], wait_timeout=10)
            self.clients.append(client)
        self.answers: dict[tuple[str, str], int] = {}
        self.sent = 0
        self.lock = threading.Lock()
        self.done = threading.Event()

    def _answer(self, event: str):
        def record(answer=None):
            key = (event, "ok" if isinstance(answer, dict) and answer.get("ok") else (answer or {}).get("code", "?"))
            with self.lock:
                self.answers[key] = self.answers.get(key, 0) + 1
                if sum(self.answers.values()) >= self.sent:
                    self.done.set()
        return record

    def send(self, syncs: int, actions: int, seconds: float) -> None:
        """Send them evenly over `seconds`, in bursts every 50 ms, spread over the connections."""
        self.sent = syncs + actions
        bursts = max(1, int(seconds / 0.05))
        for burst in range(bursts):
            for i in range(burst * syncs // bursts, (burst + 1) * syncs // bursts):
                self._emit(i, "sync", None)
            for i in range(burst * actions // bursts, (burst + 1) * actions // bursts):
                self._emit(i, "piste_add", {
                    "op_id": str(uuid.uuid4()), "theme_id": "vivre-ensemble", "horizon": "2024", "text": f"Inondation {i}",
                    "hashtags": []})
            time.sleep(0.05)

    def _emit(self, i: int, event: str, data) -> None:
        client = self.clients[i % len(self.clients)]
        if not client.connected:  # closed by the server for flooding
            self._answer(event)({"code": "closed"})
            return
        try:
            client.emit(event, data, callback=self._answer(event))
        except socketio.exceptions.SocketIOError:
            self._answer(event)({"code": "closed"})

    def close(self) -> None:
        for client in self.clients:
            client.disconnect()


def flood_in_another_process(base: str, code: str, cookie: str, syncs: int, actions: int, seconds: float, report) -> None:
    """Run the flood in its own process, so that its client work does not slow the other phone's client."""
    flood = Flood(base, code, cookie)
    started = time.monotonic()
    flood.send(syncs, actions, seconds)
    flood.done.wait(timeout=5)  # what a closed connection had in flight is never answered
    report.put((flood.answers, flood.sent, len(flood.clients), time.monotonic() - started))
    flood.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", default="eventlet", choices=["gevent", "eventlet", "threading"])
    parser.add_argument("--syncs", type=int, default=10000, help="snapshot requests the flooding phone sends")
    parser.add_argument("--flood-actions", type=int, default=2000, help="actions the flooding phone sends")
    parser.add_argument("--actions", type=int, default=40, help="pistes the other phone writes in each run")
    args = parser.parse_args()

    with local_server.start(Path(tempfile.mkdtemp(prefix="fabrique-fairness-")), mode=args.mode) as server:
        return measure(server.base, args)


def measure(base: str, args) -> int:
    """Run the other phone alone, then under the flood; print both and the difference."""
    code, token = new_atelier(base)
    console = facilitator(base, token)
    console.call("settings_update", {"op_id": str(uuid.uuid4()), "settings": {"max_pistes_per_participant": 200}})
    console.call("phase_goto", {"op_id": str(uuid.uuid4()), "to": 5})
    victim, flooder = Phone(base, code, "Patiente"), Phone(base, code, "Inondeur")
    victim.join()
    flooder.join()
    # Ninety pistes on the wall make each snapshot cost what it costs in a real room.
    for i in range(6):
        author = Phone(base, code, f"Autrice{i}")
        author.join()
        write_pistes(author, 15)
        author.client.disconnect()

    # The other phone acts at a brisk human pace (5 a second), within its own fair share.
    alone, _refused = write_pistes(victim, args.actions, pause=0.2)
    cookie = "; ".join(f"{c.name}={c.value}" for c in flooder.jar)
    flooder.client.disconnect()
    report = multiprocessing.get_context("spawn").Queue()
    flooding = multiprocessing.get_context("spawn").Process(
        target=flood_in_another_process, args=(base, code, cookie, args.syncs, args.flood_actions, args.actions * 0.2 + 2, report))
    flooding.start()
    time.sleep(1.0)  # its connections are open and its first messages on their way
    flooded, refused = write_pistes(victim, args.actions, pause=0.2)
    answers, sent, connections, drained = report.get(timeout=120)
    flooding.join(timeout=10)

    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}, ASYNC_MODE={args.mode}")
    print(f"other phone alone:        ack p50 {statistics.median(alone):.1f} ms, p95 {percentile(alone, 0.95):.1f} ms")
    print(f"other phone under flood:  ack p50 {statistics.median(flooded):.1f} ms, p95 {percentile(flooded, 0.95):.1f} ms"
          f" ({refused} refused)")
    print(f"p95 raised by the flood:  {percentile(flooded, 0.95) - percentile(alone, 0.95):+.1f} ms (target < 50 ms)")
    answered = sum(n for (_e, kind), n in answers.items() if kind != "closed")
    print(f"flood: {args.syncs} snapshot requests + {args.flood_actions} actions over {connections} connections, "
          f"{answered} answered, {sent - answered} dropped with their closed connection, in {drained:.1f} s: "
          + ", ".join(f"{e} {k} {n}" for (e, k), n in sorted(answers.items())))
    victim.client.disconnect()
    console.disconnect()
    return 0 if not refused else 1


if __name__ == "__main__":
    sys.exit(main())
