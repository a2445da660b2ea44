"""The eventlet server against slow and greedy clients: headers dripped too slowly are cut off,
one address cannot hold more than its share of connections, and pages still answer meanwhile."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.e2e.conftest import ROOT, free_port

pytestmark = pytest.mark.skipif(os.environ.get("ASYNC_MODE", "threading") != "eventlet",
                                reason="the product's server (eventlet); threading mode runs Werkzeug's, for small rooms")


@pytest.fixture
def server(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "PUBLIC_URL": base, "FABRIQUE_INSTANCE": str(tmp_path),
           "ASYNC_MODE": "eventlet", "MAX_CONNECTIONS_PER_ADDRESS": "20", "HEADER_TIMEOUT": "1.5"}
    log = open(tmp_path / "server.log", "w")
    process = subprocess.Popen([sys.executable, str(ROOT / "serve.py")], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/socket.io/?EIO=4&transport=polling", timeout=1).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError((tmp_path / "server.log").read_text())
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=10)
    log.close()


def closed_by_server(sock, within: float) -> bytes | None:
    """Return what the server sent before closing `sock` within `within` seconds (None: still open)."""
    sock.settimeout(within)
    received = b""
    try:
        while chunk := sock.recv(4096):
            received += chunk
        return received
    except TimeoutError:
        return None


def test_slow_headers_time_out_and_one_address_gets_its_share(server):
    slow, idle = [], []
    try:
        _exercise(server, slow, idle)
    finally:
        for sock in slow + idle:
            sock.close()


def _exercise(server, slow, idle):
    for _ in range(15):  # each sends half a request, then nothing
        sock = socket.create_connection(("127.0.0.1", server))
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        slow.append(sock)
    idle.extend(socket.create_connection(("127.0.0.1", server)) for _ in range(5))  # not a byte sent
    with socket.create_connection(("127.0.0.1", server)) as extra:  # the 21st from this address
        assert b"503" in (closed_by_server(extra, 3) or b"")
    started = time.monotonic()
    for sock in slow + idle:
        assert closed_by_server(sock, 5) is not None  # cut off by the header deadline
    assert time.monotonic() - started < 5
    # Once they are gone, the same address is served again.
    assert urllib.request.urlopen(f"http://127.0.0.1:{server}/", timeout=5).status == 200
