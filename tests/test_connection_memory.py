"""A closed connection is freed at once, by reference counting, under both product servers; an open
one under eventlet holds a small read buffer and no parsed copy of its headers.

The live server freezes what survives each full collection (`fabrique.collector`): a closed
connection caught in a reference cycle would then stay in memory until the next walk of the whole
heap, minutes later. eventlet's server makes one cycle per connection (its protocol, the request's
environ, and a closure of the protocol kept in that environ); Werkzeug makes another (the request
and its environ). Here the collector is off, so anything still alive after the connections close
is held by a cycle.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import gc, socket, sys, time, runpy
sys.argv = ["serve.py"]
entry = runpy.run_path("serve.py", run_name="entry_point")
from fabrique import create_app
import urllib.request
app = create_app()
with socket.socket() as free:
    free.bind(("127.0.0.1", 0))
    port = free.getsockname()[1]
gc.collect()
gc.disable()
if entry["MODE"] == "eventlet":
    import eventlet as green
    green.spawn(entry["run_eventlet"], app, "127.0.0.1", port)
else:
    import gevent as green
    green.spawn(entry["run_gevent"], app, "127.0.0.1", port)
green.sleep(0.2)
for path in ["/", "/j/NOPE00", "/health"] * 5:
    urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10).read()
green.sleep(0.5)
alive = {}
for thing in gc.get_objects():
    name = f"{type(thing).__module__}.{type(thing).__qualname__}"
    if name.endswith(("GuardedProtocol", "GuardedHandler", "wsgi.Input", "pywsgi.Input", "wrappers.request.Request")):
        alive[name.rsplit(".", 1)[-1]] = alive.get(name.rsplit(".", 1)[-1], 0) + 1
print("alive:" + repr(alive))
if entry["MODE"] == "eventlet":
    # A connection still open after its request (a phone's WebSocket, a keep-alive) holds what of it?
    import http.client
    kept = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    kept.request("GET", "/health", headers={"X-Long": "x" * 2000})
    kept.getresponse().read()
    green.sleep(0.2)
    open_ones = [p for p in gc.get_objects() if type(p).__name__ == "GuardedProtocol"]
    print("open:" + repr([(type(p.headers).__name__, p.rbufsize) for p in open_ones]))
"""


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_closed_connections_leave_nothing_for_the_cyclic_collector(tmp_path, mode):
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "ASYNC_MODE": mode, "FABRIQUE_INSTANCE": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.strip().splitlines()
    assert "alive:{}" in lines, lines
    if mode == "eventlet":
        # Its read buffer is small, and the parsed headers (2 KB here) are let go: the environ has them.
        assert lines[-1] == "open:[('dict', 1024)]", lines
