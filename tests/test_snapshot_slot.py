"""A connection's snapshot requests: builds shared, none older than its request, nothing kept."""

import threading
import time

from fabrique.limits import SnapshotSlot


def test_requests_during_a_build_share_the_next_one_and_the_slot_keeps_nothing_after():
    slot, builds, answers = SnapshotSlot(), [], []
    first_started = threading.Event()

    def build():
        builds.append(len(builds) + 1)
        first_started.set()
        time.sleep(0.2)
        return {"build": len(builds)}

    first = threading.Thread(target=lambda: answers.append(slot.get(build)))
    first.start()
    assert first_started.wait(5)
    waiting = [threading.Thread(target=lambda: answers.append(slot.get(build))) for _ in range(5)]
    for thread in waiting:
        thread.start()
    for thread in [first, *waiting]:
        thread.join(10)
    # The first request got build 1; the five that arrived during it share build 2, made once.
    assert builds == [1, 2]
    assert sorted(a["build"] for a in answers) == [1, 2, 2, 2, 2, 2]
    assert slot._latest is None  # a room holds one slot per phone: no snapshot stays in it


def test_too_many_waiting_are_refused_and_a_failed_build_is_not_served():
    slot, release = SnapshotSlot(), threading.Event()
    started = threading.Event()

    def slow():
        started.set()
        release.wait(5)
        return {"ok": True}

    builder = threading.Thread(target=lambda: slot.get(slow))
    builder.start()
    assert started.wait(5)
    results = []
    waiters = [threading.Thread(target=lambda: results.append(slot.get(lambda: {"ok": True})))
               for _ in range(SnapshotSlot.MAX_WAITING + 3)]
    for thread in waiters:
        thread.start()
    deadline = time.monotonic() + 5
    while results.count(None) < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert results.count(None) == 3  # beyond MAX_WAITING: refused at once ("Trop de demandes…")
    release.set()
    for thread in [builder, *waiters]:
        thread.join(10)
    assert [r for r in results if r is not None] == [{"ok": True}] * SnapshotSlot.MAX_WAITING

    def broken():
        raise RuntimeError("database gone")

    try:
        slot.get(broken)
    except RuntimeError:
        pass
    assert slot.get(lambda: {"fresh": True}) == {"fresh": True}
