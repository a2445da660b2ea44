"""Start the Fabrique server (what `run.sh` and the Procfile run).

ASYNC_MODE picks the server: gevent's or eventlet's WSGI server (one process, thousands of
WebSockets), or Werkzeug's threads (small rooms, tests). gevent and eventlet must patch the
standard library before any other module imports it, so this entry point is the only place that
imports them: it patches, builds their listening socket and server, and hands them to
`fabrique.serving`, which knows nothing of either library.
"""

import os
import sys
import warnings

DEFAULT_MODE = "eventlet"  # chosen by scripts/bench.py (see README, « Mesures »); config.py agrees
MODE = os.environ.setdefault("ASYNC_MODE", DEFAULT_MODE)
# A whole room scanning the QR code at once: the kernel's queue of connections not yet accepted
# must hold them (eventlet's default is 50, gevent's 128). Linux caps it at net.core.somaxconn.
BACKLOG = 4096
MAX_CONNECTIONS = 10_000  # open connections at once (eventlet.wsgi accepts 1,024 by default)

if MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()
elif MODE == "eventlet":
    # eventlet announces its own deprecation on import; the choice is deliberate and documented
    # in the README, so the room's facilitator should not see that notice at every start.
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    # eventlet's own DNS resolver imports dnspython twice over (≈7 MiB per process) to resolve
    # names without blocking; the server resolves only its database's and Redis's hosts, once.
    os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
    import eventlet

    eventlet.monkey_patch()

# python-socketio imports the libraries it would use as a client (requests, websocket-client,
# aiohttp) whenever they are installed, as they are with the test and benchmark extras; redis
# is needed only for a MESSAGE_QUEUE. A server never acts as a client: keep them out of its
# memory (13–16 MiB), as on a machine where only the product's own dependencies are installed.
_NEVER_USED = ("requests", "websocket", "aiohttp") + (() if os.environ.get("MESSAGE_QUEUE", "").startswith("redis") else ("redis",))
for _name in _NEVER_USED:
    sys.modules.setdefault(_name, None)  # `import _name` then raises ImportError, as when it is absent

import socket  # noqa: E402  (patched above)

from fabrique import guard  # noqa: E402
from fabrique.serving import main  # noqa: E402


def run_gevent(app, host: str, port: int) -> None:
    """Serve `app` with gevent's WSGI server until the process is stopped."""
    import gevent
    from gevent.pool import Pool
    from gevent.pywsgi import WSGIHandler, WSGIServer

    handler = guard.gevent_handler(os.environ, WSGIHandler, gevent.Timeout)
    server = WSGIServer(_listener(host, port), app, spawn=Pool(MAX_CONNECTIONS), log=None, handler_class=handler)
    server.serve_forever()


def run_eventlet(app, host: str, port: int) -> None:
    """Serve `app` with eventlet's WSGI server until the process is stopped."""
    import eventlet.websocket
    import eventlet.wsgi

    from fabrique.websocket_mask import unmask

    # eventlet unmasks each frame a phone sends one byte at a time (see fabrique.websocket_mask).
    eventlet.websocket.RFC6455WebSocket._apply_mask = staticmethod(unmask)
    protocol = guard.eventlet_protocol(os.environ, eventlet.wsgi.HttpProtocol, eventlet.Timeout)
    eventlet.wsgi.server(_listener(host, port), app, log_output=False, max_size=MAX_CONNECTIONS, protocol=protocol,
                         # bounds every later read and write (a body sent too slowly, a client gone
                         # silent): longer than Engine.IO's 25 s ping interval, so a quiet WebSocket stays open.
                         socket_timeout=60)


def _listener(host: str, port: int) -> socket.socket:
    """Return a socket listening on host:port (patched by the chosen library) with a room-sized backlog."""
    family, kind, proto, _name, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(BACKLOG)
    return sock


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:], {"gevent": run_gevent, "eventlet": run_eventlet}.get(MODE)))
