"""`/health`: what a proxy or a supervisor asks to know whether this process can serve."""

from __future__ import annotations

import os

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..extensions import db
from ..presence import presence

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    """Answer 200 when the database answers, 503 otherwise; with this process's phone count."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:
        current_app.logger.exception("health: database unreachable")
        db.session.rollback()
        database = "unreachable"
    body = {"status": "ok" if database == "ok" else "error", "database": database,
            "process": os.getpid(), "connections": presence.connections()}
    response = jsonify(body)
    response.status_code = 200 if database == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response
