"""Fair share on the live server: one phone's flood of snapshot requests and actions, over
several connections sharing its cookie, is refused or cut off, and another phone's actions
are all answered meanwhile; a participant's action budget covers all their connections."""

from __future__ import annotations

import sys
import threading
import time
import uuid

import socketio

from tests.e2e.conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from fairness import Flood, facilitator, new_atelier  # noqa: E402
from simulate import Phone  # noqa: E402


def _room(live_server):
    code, token = new_atelier(live_server)
    console = facilitator(live_server, token)
    console.call("settings_update", {"op_id": str(uuid.uuid4()), "settings": {"max_pistes_per_participant": 200}})
    console.call("phase_goto", {"op_id": str(uuid.uuid4()), "to": 5})
    return code, console


def _piste(i: int) -> dict:
    return {"op_id": str(uuid.uuid4()), "theme_id": "vivre-mieux", "horizon": "2040", "text": f"Piste numéro {i}", "hashtags": []}


def test_a_sync_flood_from_one_phone_does_not_stall_another(live_server):
    code, console = _room(live_server)
    victim, flooder = Phone(live_server, code, "Patiente"), Phone(live_server, code, "Inondeur")
    victim.join()
    flooder.join()
    cookie = "; ".join(f"{c.name}={c.value}" for c in flooder.jar)
    flood = Flood(live_server, code, cookie, connections=3)
    sender = threading.Thread(target=flood.send, args=(1500, 0, 1.5))
    sender.start()
    answers = []
    for i in range(10):  # the other phone, at a human pace, while the flood goes on
        answers.append(victim.call("piste_add", _piste(i)))
        time.sleep(0.1)
    sender.join(timeout=30)
    assert [a["ok"] for a in answers] == [True] * 10, answers
    flood.done.wait(timeout=5)
    with flood.lock:
        outcomes = dict(flood.answers)
    # The flood got a handful of snapshots; the rest was refused or went with its closed connections.
    assert outcomes.get(("sync", "ok"), 0) <= 10 + 0.5 * 15 + 3, outcomes
    assert sum(outcomes.values()) >= 1
    assert not any(client.connected for client in flood.clients) or outcomes.get(("sync", "rate"), 0) > 0, outcomes
    # The flooding phone may come back and work normally once it behaves.
    time.sleep(2.5)
    again = socketio.Client(reconnection=False)
    again.connect(live_server, headers={"Cookie": cookie}, auth={"role": "participant", "code": code}, transports=["websocket"])
    assert again.call("piste_add", _piste(99), timeout=10)["ok"]
    again.disconnect()
    flood.close()
    victim.client.disconnect()
    console.disconnect()


def test_the_action_budget_covers_all_of_a_participants_connections(live_server):
    code, console = _room(live_server)
    phone = Phone(live_server, code, "Multiple")
    phone.join()
    cookie = "; ".join(f"{c.name}={c.value}" for c in phone.jar)
    clients = [phone.client]
    for _ in range(4):
        client = socketio.Client(reconnection=False)
        client.connect(live_server, headers={"Cookie": cookie}, auth={"role": "participant", "code": code}, transports=["websocket"])
        clients.append(client)
    results, lock = [], threading.Lock()

    def burst(client):
        for i in range(12):
            answer = client.call("piste_add", _piste(i), timeout=10)
            with lock:
                results.append(answer.get("ok") or answer.get("code"))

    started = time.monotonic()
    threads = [threading.Thread(target=burst, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.monotonic() - started
    accepted = results.count(True)
    # 20 at once, then 8 a second, for the participant as a whole (not 20 per connection).
    assert len(results) == 60 and accepted <= 20 + 8 * elapsed + 1, (accepted, elapsed, results)
    assert results.count("rate") == 60 - accepted > 0
    for client in clients:
        client.disconnect()
    console.disconnect()
