"""Measure a live atelier under load, on this machine only (127.0.0.1).

    .venv/bin/python scripts/bench.py [--phones 100] [--actions 5] [--mode eventlet|threading]

Starts the server in a subprocess on a free port, joins N simulated phones (real HTTP join and
Socket.IO connection each), connects a projector, then has every phone place its dots and
write pistes as fast as it gets answers. Prints: join time, action latency (ack after commit)
p50/p95/max, actions per second, how many aggregates the projector received (coalescing), and
the server's resident memory. Bounded: N phones × A actions, and a 120 s limit.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from simulate import Phone  # noqa: E402


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--actions", type=int, default=5, help="actions per phone")
    parser.add_argument("--mode", default="eventlet", choices=["eventlet", "threading"])
    args = parser.parse_args()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    instance = tempfile.mkdtemp(prefix="fabrique-bench-")
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "PUBLIC_URL": base, "FABRIQUE_INSTANCE": instance,
           "ASYNC_MODE": args.mode, "PYTHONUNBUFFERED": "1"}
    log_path = Path(instance) / "server.log"
    server = subprocess.Popen([sys.executable, str(ROOT / "serve.py")], cwd=ROOT, env=env,
                              stdout=log_path.open("w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/socket.io/?EIO=4&transport=polling", timeout=1).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print(log_path.read_text())
                    return 1
                time.sleep(0.2)
        log = log_path.read_text()
        code = re.search(r"/j/([A-Z0-9]+)", log).group(1)
        facilitate = re.search(r"/facilitate/(\S+)", log).group(1)
        screen_token = re.search(r"/screen/(\S+)", log).group(1)
        idle_rss = rss_mib(server.pid)

        aggregates = []
        screen = socketio.Client(reconnection=False)
        screen.on("aggregate", lambda data: aggregates.append(time.monotonic()))
        screen.connect(base, auth={"role": "screen", "token": screen_token}, transports=["websocket"])
        facilitator = socketio.Client(reconnection=False)
        facilitator.connect(base, auth={"role": "facilitate", "token": facilitate}, transports=["websocket"])
        facilitator.call("settings_update", {"op_id": str(uuid.uuid4()), "settings": {"dots": args.actions, "max_pistes_per_participant": 200}})
        facilitator.call("phase_goto", {"op_id": str(uuid.uuid4()), "to": 5})

        started = time.monotonic()
        phones = [Phone(base, code, f"Banc{i:04d}") for i in range(args.phones)]
        for phone in phones:
            phone.join()
        join_seconds = time.monotonic() - started
        connected_rss = rss_mib(server.pid)

        latencies: list[float] = []
        lock = threading.Lock()

        def write(phone: Phone, count: int) -> None:
            for i in range(count):
                t0 = time.perf_counter()
                answer = phone.act("piste_add", theme_id="vivre-mieux", horizon="2024", text=f"Piste {i} de {phone.pseudonym}", hashtags=[])
                with lock:
                    latencies.append((time.perf_counter() - t0) * 1000 if answer.get("ok") else float("nan"))

        aggregates.clear()
        t0 = time.monotonic()
        threads = [threading.Thread(target=write, args=(phone, args.actions)) for phone in phones]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(1.0, 120 - (time.monotonic() - t0)))
        elapsed = time.monotonic() - t0
        time.sleep(0.5)  # the last coalesced aggregate
        loaded_rss = rss_mib(server.pid)

        ok = [x for x in latencies if x == x]
        refused = len(latencies) - len(ok)
        ok.sort()
        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, ASYNC_MODE={args.mode}")
        print(f"phones: {args.phones}, actions: {len(latencies)} ({refused} refused), in {elapsed:.2f} s "
              f"= {len(ok) / elapsed:.0f} actions/s")
        print(f"join (HTTP + socket + snapshot), all phones one after another: {join_seconds:.2f} s "
              f"({join_seconds / args.phones * 1000:.1f} ms each)")
        if ok:
            print(f"ack latency (stored, then answered): p50 {statistics.median(ok):.1f} ms, "
                  f"p95 {ok[int(len(ok) * 0.95) - 1]:.1f} ms, max {ok[-1]:.1f} ms")
        print(f"projector aggregates during the burst: {len(aggregates)} for {len(ok)} actions "
              f"({len(aggregates) / max(elapsed, 0.001):.1f} per second)")
        print(f"server memory (RSS): idle {idle_rss:.0f} MiB, {args.phones} phones connected {connected_rss:.0f} MiB, "
              f"after the burst {loaded_rss:.0f} MiB")
        for phone in phones:
            phone.client.disconnect()
        screen.disconnect()
        facilitator.disconnect()
        return 0 if not refused else 1
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
