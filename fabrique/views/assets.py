"""Assets: static files under fingerprinted URLs cached for a year, compressed responses, the join
QR code, persona illustrations, the language switch."""

from __future__ import annotations

import hashlib
import io
from urllib.parse import unquote, urlsplit
import re
from functools import lru_cache
from pathlib import Path

import brotli
import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, abort, current_app, has_request_context, redirect, request, send_from_directory, url_for
from flask_compress import Compress
from sqlalchemy import select

from .. import catalog
from ..extensions import db
from ..i18n import LANGUAGES, LANGUAGE_COOKIE, get_locale
from ..actions.participation import set_language
from ..models import Atelier, Participant
from ..typography import french_datetime, typo
from ..sockets import PARTICIPANT_COOKIE

bp = Blueprint("assets", __name__)
compress = Compress()
YEAR = 365 * 24 * 3600


@bp.record_once
def _set_up(state) -> None:
    app = state.app
    app.config.setdefault("COMPRESS_MIMETYPES", ["text/html", "text/css", "text/javascript", "application/javascript",
                                                 "application/json", "image/svg+xml", "text/csv", "text/plain"])
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    # Pages are compressed as they are sent, a whole room's at once when it joins: brotli's
    # lightest level costs a fifth of its default for a tenth more bytes. Static files, the bulk
    # of a first visit, are compressed once per process (`fingerprinted`).
    app.config.setdefault("COMPRESS_BR_LEVEL", 1)
    compress.init_app(app)


# Denser than the default level, and still quick (the largest file: ~60 ms, once); the best
# level (11) would hold the event loop up to a second on the first request for a large file.
STATIC_BROTLI_LEVEL = 5


@lru_cache(maxsize=128)
def _brotli_once(body: bytes) -> bytes:
    return brotli.compress(body, quality=STATIC_BROTLI_LEVEL)


@lru_cache(maxsize=4)
def static_version(folder: str) -> str:
    """Return a fingerprint of every static file (names and contents): it changes when any file does.

    One fingerprint for the whole folder, as a path segment, so that the ES modules' relative
    imports carry it too and a new release is never mixed with a cached old module.
    """
    digest = hashlib.sha256()
    root = Path(folder)
    for path in sorted(root.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@bp.app_template_filter("typo")
def typo_filter(text):
    """Give a text its French no-break spaces (in French pages only)."""
    return typo(text) if str(get_locale()).startswith("fr") else text


@bp.app_template_filter("fr_datetime")
def datetime_filter(moment):
    """Show a moment as « 1er décembre 2026 à 10 h 42 », in the app's time zone."""
    return french_datetime(moment)


@bp.app_template_global()
def asset(filename: str) -> str:
    """Return the fingerprinted URL of a static file (cached by browsers for a year)."""
    # Built once per file and site prefix: every page names several, and a room loads its pages at once.
    urls = current_app.extensions.setdefault("fabrique.asset_urls", {})
    place = (request.script_root if has_request_context() else None, filename)
    url = urls.get(place)
    if url is None:
        url = urls[place] = url_for("assets.fingerprinted", version=static_version(current_app.static_folder), filename=filename)
    return url


@bp.get("/s/<version>/<path:filename>")
def fingerprinted(version: str, filename: str):
    """Serve a static file under its fingerprinted URL, cached for a year (the URL changes with it)."""
    response = send_from_directory(current_app.static_folder, filename, max_age=YEAR)
    # Read in full (the files are small) so that it is compressed like a page, with gzip too.
    response.direct_passthrough = False
    body = response.get_data()
    response.close()
    response.set_data(body)
    if (response.status_code == 200 and response.mimetype in current_app.config["COMPRESS_MIMETYPES"]
            and len(body) >= current_app.config["COMPRESS_MIN_SIZE"]
            and request.accept_encodings.best_match(current_app.config["COMPRESS_ALGORITHM"]) == "br"):
        # Compressed here once (flask-compress leaves an encoded response alone), tagged as it tags its own.
        response.set_data(_brotli_once(body))
        response.headers["Content-Encoding"] = "br"
        etag, weak = response.get_etag()
        if etag and not weak:
            response.set_etag(f"{etag}:br")
        response.make_conditional(request)
    if version == static_version(current_app.static_folder):
        response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
    else:
        response.headers["Cache-Control"] = "no-cache"  # an old page asking for a file that has changed since
    return response


@bp.get("/qr/<code>.svg")
def join_qr(code: str):
    """Return the QR code of an atelier's join link, as SVG (sharp on any projector)."""
    atelier = db.session.scalar(select(Atelier).where(Atelier.join_code == code.upper()))
    if atelier is None:
        abort(404)
    image = qrcode.make(f"{current_app.config['PUBLIC_URL']}/j/{atelier.join_code}",
                        image_factory=qrcode.image.svg.SvgPathImage, border=2, box_size=20)
    out = io.BytesIO()
    image.save(out)
    return Response(out.getvalue(), mimetype="image/svg+xml", headers={"Cache-Control": "public, max-age=3600"})


@bp.get("/personas/<persona_id>.svg")
def persona_illustration(persona_id: str):
    """Return a persona's illustration."""
    persona = catalog().personas.get(persona_id)
    if persona is None:
        abort(404)
    # Read in full (a few kilobytes): compressed like a page, and no file left open by a stream.
    return Response(Path(persona.illustration_path).read_bytes(), mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})


@bp.get("/langue/<language>")
def switch_language(language: str):
    """Remember the interface language chosen by this browser, then go back."""
    if language not in LANGUAGES:
        abort(404)
    _participants_follow(language)
    response = redirect(local_path(request.args.get("next", "/")))
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def local_path(target: str) -> str:
    """Return `target` if it is a path on this site, else "/".

    Browsers drop tabs and newlines from URLs and read a backslash as a slash, so "/\t/evil.test"
    and "/\\evil.test" would leave the site: anything of that kind is refused, not cleaned.
    """
    for form in (target, unquote(target)):  # and once decoded, should anything decode it again
        if (not form.startswith("/") or any(ch in form for ch in "\\\t\r\n") or not form.isprintable()
                or urlsplit(form).netloc or form[1:2] == "/"):
            return "/"
    return target


def _participants_follow(language: str) -> None:
    """Switch the participants this browser joined as, so that their refusals follow the new language."""
    tokens = [value for name, value in request.cookies.items() if re.fullmatch(PARTICIPANT_COOKIE.format(r"\d+"), name)]
    if not tokens:
        return
    for participant in db.session.scalars(select(Participant).where(Participant.token.in_(tokens[:50]))):
        if participant.language != language:
            set_language(participant.id, language)
