"""Start the real server (`serve.py`) in a subprocess on a free port of 127.0.0.1 and wait until it answers.

For what needs the product as it runs in a room — the benchmarks in `scripts/` and the tests that
drive a live server (browser flows, kill -9, slow clients): one place that knows how the entry
point is started and when it is ready, so that none of them drifts. The app itself never uses it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRY_POINT = ROOT / "serve.py"


def free_port() -> int:
    """Return a TCP port of 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalServer:
    """A server subprocess listening on 127.0.0.1: its process, port, base URL and log."""

    def __init__(self, process: subprocess.Popen, port: int, log_path: Path):
        self.process, self.port, self.log_path = process, port, log_path
        self.base = f"http://127.0.0.1:{port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def log(self) -> str:
        """Return what the server printed so far (its links, its errors)."""
        return self.log_path.read_text(errors="replace")

    def stop(self, timeout: float = 10) -> None:
        """Ask the server to stop; kill it if it has not within `timeout` seconds."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def start(instance: Path, settings: dict | None = None, *, mode: str | None = None, port: int | None = None,
          script: Path = ENTRY_POINT, log_name: str = "server.log", cpus: set[int] | None = None,
          timeout: float = 60) -> LocalServer:
    """Start `script` with FABRIQUE_INSTANCE=`instance` and `settings` on top of this environment; return it once it answers.

    `mode` is its ASYNC_MODE (default: this process's ASYNC_MODE, else threading, as the tests
    run); `cpus` pins it to those cores (the benchmark keeps server and phones apart). Raises
    RuntimeError with the server's log when it exits or stays silent for `timeout` seconds.
    """
    port = port or free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "PUBLIC_URL": base, "FABRIQUE_INSTANCE": str(instance),
           "ASYNC_MODE": mode or os.environ.get("ASYNC_MODE", "threading"), "PYTHONUNBUFFERED": "1", **(settings or {})}
    log_path = Path(instance) / log_name
    pin = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    with open(log_path, "w") as log:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, preexec_fn=pin)
    server = LocalServer(process, port, log_path)
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(f"{base}/socket.io/?EIO=4&transport=polling", timeout=2).read()
            return server
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                server.stop(timeout=5)
                raise RuntimeError(f"the server did not start:\n{server.log()}") from None
            time.sleep(0.2)
