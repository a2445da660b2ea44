"""Exports never freeze the room: a live server (in this run's ASYNC_MODE) answers a phone's
`sync` while each format of a big atelier's synthesis — the web page and one CSV table included —
is made for the first time.

What would fail it: a format built on the server's loop. The phone then waits the whole build
(before: 0.7–3.3 s for a DOCX, 0.3 s for the page and 0.2 s for one CSV table at 300 participants),
is answered once or twice while the file is made, and its p95 is the build time.

The bounds, and why they hold on a loaded machine: the live process only looks the atelier up,
waits for a lower-priority child without blocking and copies the finished file (py-spy: under
20 ms of its CPU per download), so what the phone may still see is CPU shared with that child and
with whatever else runs. Each format is therefore compared with the idle p95 measured just before
it, in this same test (what the machine's load does to an ack at that moment):
- the phone is answered while the file is made: at least 3 times, and at least half as often as
  its idle p95 allows (a build on the loop answers it once or twice, after);
- its p95 stays under twice the idle p95 plus 250 ms (the README's benchmark holds the +100 ms
  target at 300 participants; a shared test machine gets room for its load, not for a blocked loop);
- no ack waits 1.5 s.
PDF is left to the README's benchmark (tens of seconds on a loaded machine); it runs in the same worker.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import export_load  # noqa: E402


@pytest.fixture(scope="module")
def loaded_server(tmp_path_factory):
    instance = tmp_path_factory.mktemp("export-load")
    url = f"sqlite:///{instance / 'fabrique.sqlite3'}"
    seeded = export_load.seed(url, participants=100, pistes=120, votes=600)
    with export_load.start_server(url, instance, os.environ.get("ASYNC_MODE", "threading")) as server:
        yield server.base, seeded


def test_a_phone_is_answered_while_every_format_is_made(loaded_server):
    base, seeded = loaded_server
    results = export_load.measure(base, seeded, formats=("page", "csv-table", "json", "xlsx", "docx", "odt"), idle_samples=20)
    for fmt, r in results["formats"].items():
        idle_rate = 1 / (r["idle_p95"] / 1000 + 0.02)  # answers a second at the idle p95 (the probe waits 20 ms between)
        assert r["samples"] >= max(3, 0.5 * idle_rate * r["seconds"]), (fmt, r)
        assert r["p95"] <= 2 * r["idle_p95"] + 250, (fmt, r)
        assert r["max"] <= 1500, (fmt, r)
