"""The garbage collector never stops a live room: socket events leave no cyclic garbage, and the
server's policy freezes what survives a full collection and still frees frozen cycles when it thaws."""

import gc
import weakref

import pytest
from flask.ctx import RequestContext
from werkzeug.exceptions import HTTPException

from fabrique import collector
from tests.factories import Console, Phone, new_atelier


def cyclic_garbage_of(run) -> list:
    """Return the objects that only the cycle collector would free after `run()`."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        run()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.garbage.clear()
        gc.set_debug(0)
        gc.enable()


def test_socket_events_leave_no_cyclic_garbage(app):
    atelier = new_atelier()
    console, phone = Console(app, atelier), Phone(app, atelier, "Léa")
    console.goto("pistes")
    phone.act("piste_add", theme_id="vivre-mieux", horizon="2024", text="Des navettes vers les zones d'activités", hashtags=[])

    def eight_pistes():
        for n in range(8):
            answer = phone.act("piste_add", theme_id="vivre-mieux", horizon="2024", text=f"Une piste de plus, la {n + 1}ᵉ", hashtags=[])
            assert answer["ok"], answer

    # Before, each event's request context failed its URL match and was kept in a cycle with
    # the exception's traceback, some 70 objects each time (what other threads of the test
    # process leave meanwhile is not counted: only what belongs to an event's context).
    garbage = cyclic_garbage_of(eight_pistes)
    assert [o for o in garbage if isinstance(o, (RequestContext, HTTPException))] == []


@pytest.fixture
def policy():
    """Install the server's collector policy with a recorded background task; restore gc after."""
    thresholds, started = gc.get_threshold(), []
    collector.install(lambda fn, *args: started.append((fn, args)), lambda seconds: None)
    try:
        yield started
    finally:
        gc.callbacks.remove(collector._after_collection)
        gc.unfreeze()
        gc.set_threshold(*thresholds)


class Cycle:
    """Two objects that only the cycle collector can free; `alive()` says whether it has not."""

    def __init__(self):
        self.other = {"back": self}
        self.alive = weakref.ref(self)


def test_install_freezes_what_exists_and_the_survivors_of_each_full_collection(policy):
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == collector.THRESHOLDS
    kept = [Cycle() for _ in range(100)]
    frozen = gc.get_freeze_count()
    gc.collect()  # a full collection, as CPython runs them: its survivors are walked no more
    assert gc.get_freeze_count() >= frozen + 100
    assert policy and policy[0][0] is collector._thaw_periodically
    del kept


def test_a_frozen_cycle_is_freed_when_everything_is_collected(policy):
    cycle = Cycle()
    alive = cycle.alive
    gc.collect()  # frozen with the survivors
    del cycle
    gc.collect()
    assert alive() is not None  # frozen: no collection sees it…
    assert collector.collect_everything() > 0
    assert alive() is None  # …until the periodic thaw


def test_the_periodic_thaw_waits_for_a_quiet_moment(policy, monkeypatch):
    naps, walks = [], []
    monkeypatch.setattr(collector, "collect_everything", lambda: walks.append(len(naps)) or 0)

    def sleep(seconds):
        naps.append(seconds)
        if len(naps) < 4:
            collector.note_action()  # actions keep arriving for the first naps
        elif walks:
            raise StopIteration

    with pytest.raises(StopIteration):
        collector._thaw_periodically(sleep)
    # The interval, half-second naps while actions arrive, one walk of the heap, the next interval.
    assert naps[0] == naps[-1] == collector.THAW_EVERY and set(naps[1:-1]) == {0.5} and len(naps) >= 5
    assert walks == [len(naps) - 1]


def resident_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


@pytest.mark.skipif(collector._malloc_trim() is None, reason="glibc's malloc_trim (the C library here is another)")
def test_free_memory_goes_back_to_the_system(policy):
    assert any(fn is collector._release_periodically for fn, _args in policy)
    blocks = [bytearray(4096) for _ in range(20_000)]  # 80 MiB of blocks the C allocator serves from its heap
    for block in blocks:
        block[0] = 1  # touched: resident
    keep = bytearray(4096)  # allocated after them: the heap cannot simply shrink from its end
    before = resident_mib()
    del blocks
    freed = resident_mib()
    collector.release_free_memory()
    after = resident_mib()
    assert freed > before - 20  # freed, but still held by the process…
    assert after < freed - 60  # …until it is given back
    del keep


def test_free_memory_goes_back_when_a_rush_ends_and_at_least_every_interval(monkeypatch):
    clock, released = [1000.0], []
    monkeypatch.setattr(collector.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(collector, "release_free_memory", lambda: released.append(clock[0]))
    monkeypatch.setattr(collector, "_last_action", 0.0)
    script = {1010.0: "act", 1010.5: "act", 1011.0: "act"}  # a rush of actions around t = 1010 s

    def sleep(seconds):
        clock[0] += seconds
        if script.get(clock[0]) == "act":
            collector.note_action()
        if clock[0] >= 1075:
            raise StopIteration

    with pytest.raises(StopIteration):
        collector._release_periodically(sleep)
    # Half a second after the rush's last action, then only every interval while nothing happens.
    assert released == [1011.5, 1041.5, 1071.5]
