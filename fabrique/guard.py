"""Slow and greedy clients at the door of the gevent and eventlet servers (the product's servers).

Both WSGI servers wait for a request's first line and headers as long as a client drips them, and
accept any number of connections from one address until their global cap. A few thousand slow
sockets from one laptop would then starve every phone. Here each connection gets one deadline
for its request line and headers, idle connections are dropped before their first byte, and
one address may hold at most `per_address` connections at a time.

The entry point (`serve.py`) passes in the library's handler class and its Timeout: it is the one
module that imports gevent or eventlet. Threading mode (small rooms, tests) runs Werkzeug's server.
"""

from __future__ import annotations

import threading
from collections import Counter

TOO_MANY = (b"HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Retry-After: 5\r\nContent-Length: 45\r\n\r\nTrop de connexions depuis cette adresse.\r\n")


class AddressCap:
    """How many connections each address holds; more than `per_address` are refused."""

    def __init__(self, per_address: int):
        self.per_address = per_address
        self._open: Counter = Counter()
        self._lock = threading.Lock()

    def enter(self, address: str) -> bool:
        """Count one more connection from `address`; False when it is one too many."""
        with self._lock:
            self._open[address] += 1
            return self._open[address] <= self.per_address

    def leave(self, address: str) -> None:
        with self._lock:
            self._open[address] -= 1
            if self._open[address] <= 0:
                del self._open[address]


def settings(environ) -> tuple[AddressCap, float]:
    """Return the cap per address and the header deadline in seconds.

    MAX_CONNECTIONS_PER_ADDRESS (default 2,000: a venue's Wi-Fi puts its phones behind one
    address) and HEADER_TIMEOUT (seconds for a request's first line and headers, default 10).
    """
    return AddressCap(int(environ.get("MAX_CONNECTIONS_PER_ADDRESS") or 2000)), float(environ.get("HEADER_TIMEOUT") or 10)


def _address(client_address) -> str:
    return client_address[0] if isinstance(client_address, tuple) else str(client_address)


def eventlet_protocol(environ, http_protocol, timeout):
    """Return eventlet.wsgi's `http_protocol` with a deadline on the headers and a cap per address."""
    cap, header_seconds = settings(environ)

    class GuardedProtocol(http_protocol):
        # Small buffers instead of eventlet's 8 KiB for reading and 16 KiB for writing: every open
        # connection holds both for its whole life (a phone's WebSocket: the whole atelier), though
        # a WebSocket reads and writes its socket directly. Reading, a request's line and headers
        # take a few more calls; writing, a response's headers still leave in one piece with its body.
        rbufsize = 1024
        wbufsize = 4096

        def setup(self):
            self.address = _address(self.client_address)
            self.refused = not cap.enter(self.address)
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
                with timeout(header_seconds):
                    return super()._read_request_line()
            except timeout:
                self.close_connection = 1
                return ""

        def parse_request(self):
            try:
                with timeout(header_seconds):
                    return super().parse_request()
            except timeout:
                self.close_connection = 1
                return False

        def get_environ(self):
            environ = super().get_environ()
            # The environ now has every header. The parsed copy would stay for the connection's
            # life (a phone's WebSocket: the whole atelier); eventlet reads only Connection from it.
            self.headers = {"Connection": self.headers.get("Connection", "")}
            return environ

        def finish(self):
            cap.leave(self.address)
            super().finish()
            # The request's environ holds a closure of this protocol (eventlet's `set_idle`): a cycle
            # that the live server's collector, which freezes long-lived objects, would keep for
            # minutes (`fabrique.collector`). Without the protocol's own reference, the connection
            # is freed as soon as it closes.
            self.__dict__.pop("environ", None)

    return GuardedProtocol


def gevent_handler(environ, wsgi_handler, timeout):
    """Return gevent.pywsgi's `wsgi_handler` with a deadline on the headers and a cap per address."""
    cap, header_seconds = settings(environ)

    class GuardedHandler(wsgi_handler):
        def handle(self):
            address = _address(self.client_address)
            try:
                if not cap.enter(address):
                    try:
                        self.socket.sendall(TOO_MANY)
                    except OSError:
                        pass
                    return
                super().handle()
            finally:
                cap.leave(address)

        def read_requestline(self):
            # The first line, however slowly it drips, within the deadline (idle keep-alive included).
            try:
                with timeout(header_seconds):
                    return super().read_requestline()
            except timeout:
                self.close_connection = True
                return None

        def read_request(self, raw_requestline):
            try:
                with timeout(header_seconds):
                    return super().read_request(raw_requestline)
            except timeout:
                self.close_connection = True
                return False

    return GuardedHandler
