"""One log line per refused action and per error: what happened, in which atelier, never what
anyone typed (pseudonyms, texts) nor the secret tokens in links.

Lines are `key=value` pairs after the level, so that journald, grep or a log shipper can read
them: `2026-12-01 10:42:17 INFO fabrique refused atelier=12 action=piste_add actor=participant code=phase`.
"""

from __future__ import annotations

import logging
import sys
import traceback

from flask import has_request_context, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

log = logging.getLogger("fabrique")


def _pairs(**fields) -> str:
    return " ".join(f"{key}={value}" for key, value in fields.items() if value is not None)


def _where(exc: BaseException) -> str:
    """Return the innermost file:line of Fabrique's own code in the traceback (no message: it may quote data)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/fabrique/" in f.filename] or traceback.extract_tb(exc.__traceback__)
    return f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"


def _request_name() -> str | None:
    """Return the Socket.IO event or the page being served, if any."""
    if not has_request_context():
        return None
    event = getattr(request, "event", None)
    return event["message"] if isinstance(event, dict) else request.endpoint


def refusal(atelier_id: int, actor: str, code: str) -> None:
    """Log an action refused by its checks (the reason shown to the person is not logged: it may quote them)."""
    log.info("refused %s", _pairs(atelier=atelier_id, action=_request_name(), actor=actor.split(":", 1)[0], code=code))


def error(exc: BaseException, atelier_id: int | None = None, **fields) -> None:
    """Log an unexpected error on one line: its type and where, not its message."""
    log.error("error %s", _pairs(atelier=atelier_id, type=type(exc).__name__, where=_where(exc), **fields))


def _http_atelier_id() -> int | None:
    """Return the atelier a page request was about, from the code or secret token in its URL."""
    from sqlalchemy import or_, select

    from .extensions import db
    from .models import Atelier

    args = request.view_args or {}
    key = args.get("token") or args.get("code")
    if not isinstance(key, str):
        return None
    try:
        return db.session.scalar(select(Atelier.id).where(or_(
            Atelier.join_code == key, Atelier.facilitator_token == key, Atelier.screen_token == key, Atelier.review_token == key)))
    except Exception:
        return None


def _on_http_error(exc):
    if isinstance(exc, HTTPException):
        return exc
    from .extensions import db

    db.session.rollback()
    error(exc, _http_atelier_id() if has_request_context() else None, action=_request_name())
    return _("Erreur du serveur : réessayez dans un instant."), 500


def _on_socket_error(exc):
    from .extensions import db
    from .sockets import _identity

    db.session.rollback()
    identity = _identity()
    error(exc, identity.atelier_id if identity else None, action=_request_name())
    return {"ok": False, "error": _("Erreur du serveur : réessayez dans un instant."), "code": "error"}


def init_app(app) -> None:
    """Log errors on one line each; print INFO lines to stderr when nothing else configured logging."""
    from .extensions import socketio

    app.register_error_handler(Exception, _on_http_error)
    socketio.on_error_default(_on_socket_error)
    if not logging.getLogger().handlers and not app.testing:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s", "%Y-%m-%d %H:%M:%S"))
        log.addHandler(handler)
    if log.level == logging.NOTSET:
        log.setLevel(logging.INFO)
