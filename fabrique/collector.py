"""How the live server runs CPython's cyclic garbage collector, so that it never stops a room.

A full collection walks every object the collector tracks. With 2,000 phones connected the
server holds 300,000–700,000 of them (sockets, green threads, the read model), and one full
collection took 200–650 ms on one core, with no ack leaving meanwhile: most of the slow acks
of a burst (README, « Mesures »). So the server (`install`, called by `serving.main`):

- freezes what exists once it is up (modules, catalog, app): never walked again;
- freezes the survivors of each full collection: the next one walks only what is newer, so a
  full collection costs what was allocated since the last one, not the size of the room;
- since frozen objects that later become cyclic garbage (a closed connection's cycles) are
  never freed, thaws and collects everything once every `THAW_EVERY` seconds, at a quiet moment
  (no action for `QUIET` seconds, or after waiting `QUIET_WAIT` at most), then freezes again.

Reference counting frees everything without cycles at once, whatever is frozen.

What is freed stays in the process, though: the C allocator keeps the pages of freed large
blocks (a green thread's saved stack, a socket's buffer, a long message) for reuse. Where the C
library is glibc, `malloc_trim` gives the free pages back to the system (about 1 ms; 4–6 MiB
after a phase of a 1,000-phone room): once actions pause for `CALM` seconds after arriving, and
every `RELEASE_EVERY` seconds whatever happens.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import time

# CPython's default young thresholds; a full collection after every 2nd (not 10th) middle one:
# with the old objects frozen it walks only what is newer, so more often means shorter pauses.
THRESHOLDS = (700, 10, 2)
THAW_EVERY = 600.0  # seconds between two walks of the whole heap
QUIET = 2.0  # seconds without an action that make a moment quiet
QUIET_WAIT = 300.0  # seconds to wait for a quiet moment before walking the heap anyway
RELEASE_EVERY = 30.0  # seconds between two returns of free memory to the system, at most
CALM = 0.5  # seconds without an action that end a rush (free memory then goes back at once)

_last_action = 0.0
_thawing = False


def note_action() -> None:
    """Record that an action arrived (a full walk of the heap then waits for a quiet moment)."""
    global _last_action
    _last_action = time.monotonic()


def install(start_background_task, sleep) -> None:
    """Freeze what exists, freeze each full collection's survivors, and thaw periodically.

    `start_background_task(fn, *args)` and `sleep(seconds)` are the server's own (green under
    gevent and eventlet, a thread under Werkzeug), so the periodic walk waits without blocking.
    """
    if _after_collection not in gc.callbacks:
        gc.callbacks.append(_after_collection)
    gc.set_threshold(*THRESHOLDS)
    gc.collect()
    gc.freeze()
    start_background_task(_thaw_periodically, sleep)
    if _malloc_trim() is not None:
        start_background_task(_release_periodically, sleep)


def collect_everything() -> int:
    """Thaw, collect every generation, freeze the survivors again; return the objects freed."""
    global _thawing
    _thawing = True
    try:
        gc.unfreeze()
        freed = gc.collect()
        gc.freeze()
    finally:
        _thawing = False
    return freed


def _after_collection(phase: str, info: dict) -> None:
    if phase == "stop" and info["generation"] == 2 and not _thawing:
        gc.freeze()


def _thaw_periodically(sleep) -> None:
    while True:
        sleep(THAW_EVERY)
        waited = 0.0
        while time.monotonic() - _last_action < QUIET and waited < QUIET_WAIT:
            sleep(0.5)
            waited += 0.5
        collect_everything()


@functools.cache
def _malloc_trim():
    """Return glibc's `malloc_trim`, or None where the C library is another (musl, macOS)."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (AttributeError, OSError):
        return None


def release_free_memory() -> None:
    """Give the C allocator's free pages back to the system (glibc only)."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _release_periodically(sleep) -> None:
    released = time.monotonic()
    while True:
        sleep(CALM)
        now = time.monotonic()
        # Right after a rush (a burst of a whole room, a phase's closed loop) most of the freed
        # memory is green threads' saved stacks and queued messages: given back at once, not up
        # to RELEASE_EVERY later.
        if (_last_action > released and now - _last_action >= CALM) or now - released >= RELEASE_EVERY:
            release_free_memory()
            released = time.monotonic()
