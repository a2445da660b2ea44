"""An acknowledged action survives a kill -9 of the server, and a retried one is applied once.

A real server (`serve.py`, in the run's ASYNC_MODE) takes pistes from several phones at once —
so that group commit batches them — and is killed with SIGKILL mid-stream. After a restart on the
same database, every piste whose ack reached its phone is there exactly once, and each phone
resending all it sent (acked or not, same action ids) creates nothing twice.
"""

from __future__ import annotations

import gc
import os
import re
import signal
import sqlite3
import sys
import threading
import uuid
from pathlib import Path

import pytest
import socketio

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from simulate import Phone  # noqa: E402

from fabrique import local_server  # noqa: E402

PHONES = 6


def reconnect(phone: Phone, base: str) -> None:
    phone.base = base
    phone.client = socketio.Client(reconnection=False)
    cookie = "; ".join(f"{c.name}={c.value}" for c in phone.jar)
    phone.client.connect(base, headers={"Cookie": cookie}, auth={"role": "participant", "code": phone.code},
                         transports=["websocket"], wait_timeout=10)


# A server killed mid-call leaves the clients' sockets to the garbage collector.
@pytest.mark.filterwarnings("ignore::ResourceWarning", "ignore::pytest.PytestUnraisableExceptionWarning")
def test_acked_pistes_survive_kill_9_and_retries_apply_once(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    live = local_server.start(instance, log_name="server-before-kill.log")
    server, base = live.process, live.base
    try:
        log = live.log()
        token = re.search(r"/facilitate/(\S+)", log).group(1)
        code = re.search(r"/j/(\w+)", log).group(1)
        console = socketio.Client(reconnection=False)
        console.connect(base, auth={"role": "facilitate", "token": token}, transports=["websocket"], wait_timeout=10)
        assert console.call("settings_update", {"op_id": str(uuid.uuid4()), "settings": {"max_pistes_per_participant": 200}})["ok"]
        assert console.call("phase_goto", {"op_id": str(uuid.uuid4()), "to": 5})["ok"]  # « pistes »
        phones = [Phone(base, code, f"Durable {i}") for i in range(PHONES)]
        for phone in phones:
            phone.join()

        sent: dict[int, list[dict]] = {i: [] for i in range(PHONES)}
        acked: list[str] = []
        lock = threading.Lock()
        enough = threading.Event()

        def write(i: int) -> None:
            n = 0
            while True:
                payload = {"op_id": str(uuid.uuid4()), "theme_id": "vivre-mieux", "horizon": "2040",
                           "text": f"piste {i}-{n}", "hashtags": []}
                sent[i].append(payload)
                n += 1
                try:
                    answer = phones[i].client.call("piste_add", payload, timeout=5)
                except Exception:
                    return  # the server is gone
                assert answer["ok"], answer
                with lock:
                    acked.append(payload["text"])
                    if len(acked) >= 60:
                        enough.set()

        threads = [threading.Thread(target=write, args=(i,), daemon=True) for i in range(PHONES)]
        for thread in threads:
            thread.start()
        assert enough.wait(60), "the server acknowledged too few pistes"
        os.kill(server.pid, signal.SIGKILL)
        server.wait(10)
        for thread in threads:
            thread.join(10)
        with lock:
            acknowledged = list(acked)
        for client in [console, *(p.client for p in phones)]:
            client.disconnect()
            if getattr(client.eio, "ws", None) is not None:
                client.eio.ws.shutdown()  # the dead server never closed it
    finally:
        if server.poll() is None:
            server.kill()

    live = local_server.start(instance, log_name="server-after-restart.log")
    base = live.base
    try:
        def stored() -> dict[str, int]:
            with sqlite3.connect(instance / "fabrique.sqlite3") as conn:
                return dict(conn.execute("SELECT text, count(*) FROM piste WHERE text LIKE 'piste %' GROUP BY text").fetchall())

        after_restart = stored()
        assert all(after_restart.get(text) == 1 for text in acknowledged), "an acknowledged piste was lost"
        assert all(n == 1 for n in after_restart.values())
        for i, phone in enumerate(phones):
            reconnect(phone, base)
            for payload in sent[i]:
                answer = phone.client.call("piste_add", payload, timeout=10)
                assert answer["ok"], answer
                if payload["text"] in after_restart:
                    assert answer.get("replayed") is True
            phone.client.disconnect()
        final = stored()
        assert set(final) == {p["text"] for i in sent for p in sent[i]}  # every piste sent is there…
        assert all(n == 1 for n in final.values())  # …once
    finally:
        live.stop()
        phones = console = None
        gc.collect()  # here, where the warnings about the killed server's sockets are expected
