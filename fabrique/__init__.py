"""Fabrique: live participatory ateliers for territorial projects."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask, abort, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

from .catalog import Catalog, load_catalog
from .config import PROJECT_ROOT, from_environment
from .extensions import TextPacket, db, socketio

log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    """Create the app: settings from the environment, then `config` on top (tests)."""
    app = Flask(__name__, instance_path=os.environ.get("FABRIQUE_INSTANCE") or str(PROJECT_ROOT / "instance"))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(from_environment(Path(app.instance_path)))
    app.config.update(config or {})

    catalog = load_catalog(Path(app.config["SESSIONS_DIR"]), Path(app.config["PERSONAS_DIR"]))
    for error in catalog.errors:
        log.warning("%s", error)
    app.extensions["fabrique.catalog"] = catalog

    if app.config.get("PROXY_HOPS"):
        # Behind nginx every client would otherwise be 127.0.0.1: the per-address limits (joins,
        # rejoin codes) must count the phone's own address, which the proxy passes on.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_HOPS"], x_proto=app.config["PROXY_HOPS"])

    db.init_app(app)
    # The handlers must be declared before init_app: Flask-SocketIO keeps those declared earlier
    # and gives them to every server it creates, whereas later ones go to the current server only.
    from . import sockets  # noqa: F401  (declares the Socket.IO handlers on import)

    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["MESSAGE_QUEUE"],
        # Same-origin only (the default); "*" would allow cross-site WebSocket hijacking.
        cors_allowed_origins=None,
        max_http_buffer_size=64 * 1024,
        # WebSocket only behind a proxy spreading phones over several processes: a long-polling
        # session would need every request to reach the same process (sticky sessions).
        transports=app.config["SOCKET_TRANSPORTS"],
        serializer=TextPacket,
    )
    # Flask-SocketIO runs each event in a request context made from the connection's first
    # request, on the Socket.IO path. Without a route there, every event's URL match raised a
    # NotFound whose traceback held the context in a reference cycle: some 70 objects of cyclic
    # garbage per event for the collector to find. The Engine.IO middleware answers that path
    # before Flask does, so this route only ever serves as the events' match.
    from .security import SOCKETIO_PATH

    for websocket in (True, False):  # the WebSocket transport and long polling
        app.add_url_rule(SOCKETIO_PATH, endpoint="socketio_events", view_func=_not_a_page,
                         websocket=websocket, strict_slashes=False)
    from . import limits

    limits.gate.install(socketio.server, lambda sid: sockets.gate_refusal(app, sid))

    from . import cli, i18n, logs, security, views, vocabulary
    from .presence import presence

    presence.init_app(app)

    i18n.init_app(app)
    vocabulary.init_app(app)
    views.init_app(app)
    security.init_app(app)
    cli.init_app(app)
    logs.init_app(app)

    from . import schema

    with app.app_context():
        schema.upgrade(db.engine)
    return app


def _not_a_page():
    abort(404)


def catalog() -> Catalog:
    """Return the templates and personas loaded by the current app."""
    return current_app.extensions["fabrique.catalog"]
