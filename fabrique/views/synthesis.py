"""The synthesis behind an atelier's review link: `/synthese/<review_token>` (the web page) and
`/synthese/<review_token>.<format>` (pdf, docx, xlsx, csv, json downloads).

The review token is the secret: whoever holds the review link reads the synthesis, and nothing
else. Pages are neither cached by shared caches nor indexed, and send no referrer.

CSV: `.csv` downloads a zip of every table (one CSV file each); `.csv?table=pistes` downloads
that one table (names in `fabrique.synthesis.tables.TABLE_NAMES`).
"""

from __future__ import annotations

import base64
import uuid
from collections import OrderedDict
from threading import Lock

from flask import Blueprint, Response, abort, current_app, get_flashed_messages, request, url_for
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select

from .. import catalog
from ..extensions import db
from ..models import Atelier, ReviewComment
from ..synthesis import FORMATS, build, build_for_demarche, content_disposition, to_csv, to_docx, to_html, to_json, to_pdf, to_xlsx

bp = Blueprint("synthesis", __name__)

PRIVATE = {"Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer",
           "X-Content-Type-Options": "nosniff"}

# The page runs no script and loads only its own illustrations: a strict policy is a second line
# of defence behind autoescaping.
PAGE_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; "
               "form-action 'self'; frame-ancestors 'none'")

# A PDF takes seconds to lay out: keep the last few, keyed on what they show. `seq` changes with
# every committed change of the atelier; review comments are counted too in case they are written
# without bumping it.
_pdf_cache: OrderedDict[tuple, bytes] = OrderedDict()
_pdf_lock = Lock()
PDF_CACHE_SIZE = 8


def _atelier(token: str) -> Atelier:
    atelier = db.session.scalar(select(Atelier).where(Atelier.review_token == token))
    if atelier is None:
        abort(404)
    return atelier


def _illustrations(doc: dict) -> dict[str, str]:
    """Return the persona illustrations as data: URLs (the PDF fetches nothing from outside)."""
    out = {}
    for persona_id in {p["id"] for p in doc["personas"]} | {entry["persona_id"] for entry in doc["lens"]}:
        persona = catalog().personas.get(persona_id)
        if persona is not None and persona.illustration_path.is_file():
            out[persona_id] = "data:image/svg+xml;base64," + base64.b64encode(persona.illustration_path.read_bytes()).decode("ascii")
    return out


def _whole_demarche(atelier: Atelier) -> bool:
    """Tell whether the synthesis asked for is the démarche's (`?demarche=1`), all its ateliers combined."""
    return atelier.demarche_id is not None and request.args.get("demarche") == "1"


def _document(atelier: Atelier) -> dict:
    return build_for_demarche(atelier.demarche) if _whole_demarche(atelier) else build(atelier)


@bp.get("/synthese/<token>")
def page(token: str):
    """Show the synthesis as a web page, with its downloads (the démarche's with `?demarche=1`)."""
    atelier = _atelier(token)
    doc = _document(atelier)
    scope = {"demarche": "1"} if _whole_demarche(atelier) else {}
    downloads = [{"url": url_for("synthesis.download", token=token, fmt=fmt, **scope), "label": f.label} for fmt, f in FORMATS.items()]
    # Opinions are given on one atelier's engagements: the combined démarche view is read-only.
    review = None if scope else {"action": url_for("review.submit", token=token), "op_id": uuid.uuid4().hex,
                                 "csrf_token": generate_csrf(),
                                 "messages": get_flashed_messages(with_categories=True)}
    html = to_html.render(doc, downloads=downloads, review=review)
    return Response(html, mimetype="text/html", headers={**PRIVATE, "Content-Security-Policy": PAGE_POLICY})


@bp.get("/synthese/<token>.<any(pdf, docx, xlsx, csv, json):fmt>")
def download(token: str, fmt: str):
    """Download the synthesis in one format."""
    atelier = _atelier(token)
    doc = _document(atelier)
    spec = FORMATS[fmt]
    if fmt == "csv" and request.args.get("table"):
        body = to_csv.render_one(doc, request.args["table"])
        if body is None:
            abort(404)
        disposition = content_disposition(doc, "csv", suffix=request.args["table"])
        return Response(body, mimetype="text/csv; charset=utf-8", headers={**PRIVATE, "Content-Disposition": disposition})
    if fmt == "pdf":
        body = _pdf(atelier, doc)
    elif fmt == "docx":
        body = to_docx.render(doc)
    elif fmt == "xlsx":
        body = to_xlsx.render(doc)
    elif fmt == "csv":
        body = to_csv.render(doc)
    else:
        body = to_json.render(doc)
    mimetype = spec.mimetype + ("; charset=utf-8" if fmt == "json" else "")
    return Response(body, mimetype=mimetype, headers={**PRIVATE, "Content-Disposition": content_disposition(doc, spec.extension)})


def _pdf(atelier: Atelier, doc: dict) -> bytes:
    reviews = db.session.execute(select(func.count(), func.max(ReviewComment.id)).where(ReviewComment.atelier_id == atelier.id)).one()
    key = (atelier.review_token, _whole_demarche(atelier), doc["cover"]["version"], tuple(reviews))
    with _pdf_lock:
        if key in _pdf_cache:
            _pdf_cache.move_to_end(key)
            return _pdf_cache[key]
    try:
        body = to_pdf.render(doc, illustrations=_illustrations(doc))
    except to_pdf.PdfError as exc:
        current_app.logger.error("PDF de la synthèse de l'atelier %s : %s", atelier.id, exc)
        abort(Response("Le PDF n'a pas pu être produit (voir le journal du serveur) : les autres formats restent disponibles.",
                       status=503, mimetype="text/plain"))
    with _pdf_lock:
        _pdf_cache[key] = body
        while len(_pdf_cache) > PDF_CACHE_SIZE:
            _pdf_cache.popitem(last=False)
    return body
