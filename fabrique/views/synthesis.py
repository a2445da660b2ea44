"""The synthesis behind an atelier's review link: `/synthese/<review_token>` (the web page) and
`/synthese/<review_token>.<format>` (pdf, docx, xlsx, csv, json downloads).

The review token is the secret: whoever holds the review link reads the synthesis, and nothing
else. Pages are neither cached by shared caches nor indexed, and send no referrer.

CSV: `.csv` downloads a zip of every table (one CSV file each); `.csv?table=pistes` downloads
that one table (names in `fabrique.synthesis.tables.TABLE_NAMES`).

Nothing here builds the document: the page and every file are made by a child process and kept
by version (`synthesis.exports`); the server only looks the atelier up, and writes into the page
what is made per request (the review forms' CSRF token and op_id, the flashed messages).
"""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, abort, current_app, get_flashed_messages, request, url_for
from sqlalchemy import select

from ..extensions import db
from ..models import Atelier, Demarche
from ..security import signed_csrf_token
from ..synthesis import FORMATS, exports
from ..synthesis.tables import TABLE_NAMES
from .review import review_target

bp = Blueprint("synthesis", __name__)

PRIVATE = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer",
           "X-Content-Type-Options": "nosniff"}

# The page runs one script of its own (the downloads' progress) and no inline script, and loads
# only its own illustrations: a strict policy is a second line of defence behind autoescaping.
PAGE_POLICY = ("default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data: blob:; "
               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _atelier(token: str) -> Atelier:
    target = review_target(token)
    if target is None:
        abort(404)
    return target.atelier


def _by_demarche_link(token: str) -> bool:
    """Tell whether `token` is a démarche's review link (its synthesis, every atelier's engagements open to opinions)."""
    return db.session.scalar(select(Demarche.id).where(Demarche.review_token == token)) is not None


def _whole_demarche(atelier: Atelier) -> bool:
    """Tell whether the synthesis asked for is the démarche's (its review link, or `?demarche=1`), all its ateliers combined."""
    return atelier.demarche_id is not None and (request.args.get("demarche") == "1" or _by_demarche_link(request.view_args["token"]))


def _made(atelier: Atelier, token: str, fmt: str, options: dict | None = None, table: str | None = None) -> tuple[str, bytes]:
    """Return (Content-Disposition, body) of the synthesis in `fmt`, made in a worker process and kept by version."""
    whole = _whole_demarche(atelier)
    ateliers = atelier.demarche.ateliers if whole else [atelier]
    key = (token, whole, 1 + sum(a.seq for a in ateliers), fmt, table)  # the document's version, without building it
    try:
        return exports.cached(key, lambda: exports.produce(current_app.config, atelier.id, whole, fmt, options))
    except exports.ExportError as exc:
        current_app.logger.error("%s de la synthèse de l'atelier %s : %s", fmt.upper(), atelier.id, exc)
        text = (f"Le fichier {FORMATS[fmt].label} n'a pas pu être produit (voir le journal du serveur) : "
                "les autres formats restent disponibles.") if fmt in FORMATS else \
            "La synthèse n'a pas pu être préparée (voir le journal du serveur) : réessayez dans un instant."
        abort(Response(text, status=503, mimetype="text/plain"))


@bp.get("/synthese/<token>")
def page(token: str):
    """Show the synthesis as a web page, with its downloads (the démarche's with `?demarche=1`)."""
    atelier = _atelier(token)
    by_demarche_link = _by_demarche_link(token)
    scope = {"demarche": "1"} if _whole_demarche(atelier) and not by_demarche_link else {}
    page_parts = {
        "downloads": [{"url": url_for("synthesis.download", token=token, fmt=fmt, **scope), "label": f.label} for fmt, f in FORMATS.items()],
        # An atelier's link takes opinions on its engagements, the démarche's link on every atelier's;
        # the combined view reached from an atelier's link (`?demarche=1`) is read-only.
        "review": None if scope else {"action": url_for("review.submit", token=token), "general": not by_demarche_link},
        "script": url_for("static", filename="js/synthesis.js"),
    }
    _disposition, body = _made(atelier, token, "html", {"page": page_parts})
    if not scope:
        body = exports.personalise(body, signed_csrf_token(), uuid.uuid4().hex, get_flashed_messages(with_categories=True))
    return Response(body, mimetype="text/html", headers={**PRIVATE, "Content-Security-Policy": PAGE_POLICY})


@bp.get("/synthese/<token>.<any(pdf, docx, odt, xlsx, csv, json):fmt>")
def download(token: str, fmt: str):
    """Download the synthesis in one format (made in a worker process, kept by version)."""
    atelier = _atelier(token)
    table = request.args.get("table") if fmt == "csv" else None
    if table is not None and table not in TABLE_NAMES:
        abort(404)
    disposition, body = _made(atelier, token, fmt, {"table": table} if table else None, table)
    mimetype = "text/csv; charset=utf-8" if table else FORMATS[fmt].mimetype + ("; charset=utf-8" if fmt == "json" else "")
    return Response(body, mimetype=mimetype, headers={**PRIVATE, "Content-Disposition": disposition})
