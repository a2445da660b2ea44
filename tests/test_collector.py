"""The garbage collector never stops a live room: socket events leave no cyclic garbage, and the
server's policy freezes what survives a full collection and still frees frozen cycles when it thaws."""

import gc
import weakref

import pytest

from fabrique import collector
from tests.factories import Console, Phone, new_atelier


def cyclic_garbage_of(run) -> int:
    """Return how many objects only the cycle collector would free after `run()`."""
    gc.collect()
    gc.disable()
    try:
        run()
        return gc.collect()
    finally:
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

    # Before, each event's request context failed its URL match and kept ~70 objects in a cycle
    # (560 for 8 events); what is left is the test client's and the session's own bookkeeping.
    assert cyclic_garbage_of(eight_pistes) < 200


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
