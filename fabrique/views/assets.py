"""Generated and data-backed assets: the join QR code, persona illustrations, the language switch."""

from __future__ import annotations

import io
from urllib.parse import unquote, urlsplit

import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, abort, current_app, redirect, request, send_file
from sqlalchemy import select

from .. import catalog
from ..extensions import db
from ..i18n import LANGUAGES, LANGUAGE_COOKIE
from ..models import Atelier

bp = Blueprint("assets", __name__)


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
    return send_file(persona.illustration_path, mimetype="image/svg+xml", max_age=3600)


@bp.get("/langue/<language>")
def switch_language(language: str):
    """Remember the interface language chosen by this browser, then go back."""
    if language not in LANGUAGES:
        abort(404)
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
