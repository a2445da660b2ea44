"""A closed connection is freed at once, by reference counting, under both product servers.

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
"""


@pytest.mark.parametrize("mode", ["eventlet", "gevent"])
def test_closed_connections_leave_nothing_for_the_cyclic_collector(tmp_path, mode):
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "ASYNC_MODE": mode, "FABRIQUE_INSTANCE": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    line = done.stdout.strip().splitlines()[-1]
    assert line == "alive:{}", line
