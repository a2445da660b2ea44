"""The floor the product is measured against: a bare python-socketio server (scripts/bench.py starts it).

    ASYNC_MODE=gevent|eventlet|threading HOST=127.0.0.1 PORT=… .venv/bin/python scripts/bench_floor.py

Same entry point machinery as the product (`serve.py`: its monkey-patching, listening socket,
backlog and WSGI server; Werkzeug's threads in threading mode), same join as a phone sees it (a
form with a CSRF token, a cookie and the page in answer, then the WebSocket with `auth` and a `sync`), but no
database and no Flask: every event is acked `{"ok": true, "seq": n}` at once, and every 0.2 s a
small aggregate `{"seq": n}` goes to the projector room. What the product costs above this is its own.
"""

from __future__ import annotations

import os
import secrets
import sys
import threading
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import serve  # noqa: E402  (patches the standard library first, as the product's entry point does)

import socketio  # noqa: E402

CODE, SCREEN, FACILITATE = "FLOOR", "floor-screen", "floor-facilitate"
INTERVAL = 0.2

sio = socketio.Server(async_mode=serve.MODE, cors_allowed_origins=None, max_http_buffer_size=64 * 1024)
_lock = threading.Lock()
_seq = 0
_participants: set[str] = set()
_csrf: set[str] = set()


@sio.event
def connect(sid, environ, auth):
    role = auth.get("role") if isinstance(auth, dict) else None
    if role == "participant":
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        if "floor_participant" not in cookie or cookie["floor_participant"].value not in _participants:
            raise socketio.exceptions.ConnectionRefusedError("unknown participant")
    elif role in ("screen", "facilitate"):
        sio.enter_room(sid, role)
    else:
        raise socketio.exceptions.ConnectionRefusedError("unknown role")


@sio.on("*")
def any_event(event, sid, data=None):
    global _seq
    with _lock:
        _seq += 1
        seq = _seq
    if event == "sync":
        return {"ok": True, "state": {"seq": seq, "board": []}}
    return {"ok": True, "seq": seq, "engagement_id": seq}


def aggregates():
    while True:
        sio.sleep(INTERVAL)
        sio.emit("aggregate", {"seq": _seq}, to="screen")


PAGE = b'<main id="app"></main><script type="application/json" id="boot">{}</script>'


def pages(environ, start_response):
    """The join form (with its CSRF token), the join itself (a cookie and the phone's page), the phone's page."""
    path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
    if path == f"/j/{CODE}" and method == "GET":
        token = secrets.token_urlsafe(16)
        with _lock:
            _csrf.add(token)
        body = f'<form method="post"><input name="csrf_token" value="{token}"><input name="pseudonym"></form>'.encode()
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
        return [body]
    if path == f"/j/{CODE}" and method == "POST":
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = parse_qs(environ["wsgi.input"].read(size).decode())
        with _lock:
            known = form.get("csrf_token", [""])[0] in _csrf
            _csrf.discard(form.get("csrf_token", [""])[0])
            participant = secrets.token_urlsafe(16)
            if known:
                _participants.add(participant)
        if not known:
            start_response("400 Bad Request", [("Content-Length", "0")])
            return [b""]
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PAGE))),
                                  ("Set-Cookie", f"floor_participant={participant}; Path=/; HttpOnly")])
        return [PAGE]  # the phone's page itself, as the product answers a join
    if path == f"/participant/{CODE}":
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(PAGE)))])
        return [PAGE]
    start_response("404 Not Found", [("Content-Length", "0")])
    return [b""]


def main() -> int:
    host, port = os.environ.get("HOST", "127.0.0.1"), int(os.environ.get("PORT", "5000"))
    base = f"http://{host}:{port}"
    # The lines the benchmark reads, shaped as the product prints its links.
    print(f"{base}/j/{CODE}\n{base}/facilitate/{FACILITATE}\n{base}/screen/{SCREEN}", flush=True)
    app = socketio.WSGIApp(sio, pages)
    sio.start_background_task(aggregates)
    run = {"gevent": serve.run_gevent, "eventlet": serve.run_eventlet}.get(serve.MODE)
    if run is not None:
        run(app, host, port)
    else:
        from werkzeug.serving import run_simple

        run_simple(host, port, app, threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
