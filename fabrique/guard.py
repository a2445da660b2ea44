"""Slow and greedy clients at the door of the eventlet server (the product's server).

eventlet.wsgi waits for a request's first line and headers as long as a client drips them, and
accepts any number of connections from one address until its global cap. A few thousand slow
sockets from one laptop would then starve every phone. Here each connection gets one deadline
for its request line and headers, idle connections are dropped before their first byte, and
one address may hold at most `per_address` connections at a time.

Only the server start (`serving.py`, eventlet mode) calls this: it is the one place besides the
entry point that imports eventlet. Threading mode (small rooms, tests) runs Werkzeug's server.
"""

from __future__ import annotations

import threading
from collections import Counter

TOO_MANY = (b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Retry-After: 5\r\nContent-Length: 45\r\n\r\nTrop de connexions depuis cette adresse.\r\n")


def server_options(environ) -> dict:
    """Return the eventlet.wsgi.server options that bound what one client may hold.

    MAX_CONNECTIONS_PER_ADDRESS (default 2,000: a venue's Wi-Fi puts its phones behind one
    address) and HEADER_TIMEOUT (seconds for a request's first line and headers, default 10).
    """
    per_address = int(environ.get("MAX_CONNECTIONS_PER_ADDRESS") or 2000)
    header_seconds = float(environ.get("HEADER_TIMEOUT") or 10)
    import eventlet
    import eventlet.wsgi

    open_connections: Counter = Counter()
    lock = threading.Lock()

    class GuardedProtocol(eventlet.wsgi.HttpProtocol):
        """eventlet's HTTP protocol with a deadline on the headers and a cap per address."""

        def setup(self):
            self.address = self.client_address[0] if isinstance(self.client_address, tuple) else str(self.client_address)
            with lock:
                open_connections[self.address] += 1
                self.refused = open_connections[self.address] > per_address
            super().setup()

        def handle(self):
            if self.refused:
                try:
                    self.wfile.write(TOO_MANY)
                    self.wfile.flush()
                except OSError:
                    pass
                return
            super().handle()

        def _read_request_line(self):
            # The first line, however slowly it drips, within the deadline (idle keep-alive included).
            try:
                with eventlet.Timeout(header_seconds):
                    return super()._read_request_line()
            except eventlet.Timeout:
                self.close_connection = 1
                return ""

        def parse_request(self):
            try:
                with eventlet.Timeout(header_seconds):
                    return super().parse_request()
            except eventlet.Timeout:
                self.close_connection = 1
                return False

        def finish(self):
            with lock:
                open_connections[self.address] -= 1
                if open_connections[self.address] <= 0:
                    del open_connections[self.address]
            super().finish()

    # socket_timeout bounds every later read and write (a body sent too slowly, a client gone
    # silent): longer than Engine.IO's 25 s ping interval, so a quiet WebSocket stays open.
    return {"protocol": GuardedProtocol, "socket_timeout": 60}
