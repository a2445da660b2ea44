"""The gevent and eventlet servers against slow and greedy clients: headers dripped too slowly are cut off,
one address cannot hold more than its share of connections, and pages still answer meanwhile."""

import os
import socket
import time
import urllib.request

import pytest

from fabrique import local_server

pytestmark = pytest.mark.skipif(os.environ.get("ASYNC_MODE", "threading") not in ("gevent", "eventlet"),
                                reason="the product's servers (gevent, eventlet); threading mode runs Werkzeug's, for small rooms")


@pytest.fixture
def server(tmp_path):
    with local_server.start(tmp_path, {"MAX_CONNECTIONS_PER_ADDRESS": "20", "HEADER_TIMEOUT": "1.5"}) as live:
        yield live.port


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
