"""The server's entry point carries none of the client libraries python-socketio would import."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What the server has once `serve.py` has set itself up and the app exists, as at a real start.
PROBE = """
import sys
sys.argv = ["serve.py"]
import runpy
runpy.run_path("serve.py", run_name="entry_point")
from fabrique import create_app
create_app()
print("loaded:" + ",".join(name for name in ("requests", "websocket", "aiohttp", "redis") if sys.modules.get(name) is not None))
"""


def probe(tmp_path, **environ) -> set[str]:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "ASYNC_MODE": "threading", "FABRIQUE_INSTANCE": str(tmp_path), **environ})
    assert done.returncode == 0, done.stderr[-2000:]
    return set(filter(None, done.stdout.strip().splitlines()[-1].removeprefix("loaded:").split(",")))


def test_the_server_leaves_out_the_client_libraries_the_test_machine_has_installed(tmp_path):
    import requests  # noqa: F401  (installed with the test extra: the server would otherwise import it)

    assert probe(tmp_path) == set()


def test_a_server_on_a_redis_message_queue_keeps_redis(tmp_path):
    # Only whether the library is there: the app is created without connecting to the queue.
    assert probe(tmp_path, MESSAGE_QUEUE="redis://127.0.0.1:1/0") == {"redis"}
