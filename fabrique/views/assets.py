"""Generated and data-backed assets: the join QR code, persona illustrations, the language switch."""

from __future__ import annotations

import io
import re

import qrcode
import qrcode.image.svg
from flask import Blueprint, Response, abort, current_app, redirect, request, send_file
from sqlalchemy import select

from .. import catalog
from ..extensions import db
from ..i18n import LANGUAGES, LANGUAGE_COOKIE
from ..actions.participation import set_language
from ..models import Atelier, Participant
from ..sockets import PARTICIPANT_COOKIE

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
    target = request.args.get("next", "/")
    if not target.startswith("/") or target.startswith("//"):
        target = "/"  # only local redirects
    _participants_follow(language)
    response = redirect(target)
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def _participants_follow(language: str) -> None:
    """Switch the participants this browser joined as, so that their refusals follow the new language."""
    tokens = [value for name, value in request.cookies.items() if re.fullmatch(PARTICIPANT_COOKIE.format(r"\d+"), name)]
    if not tokens:
        return
    for participant in db.session.scalars(select(Participant).where(Participant.token.in_(tokens[:50]))):
        if participant.language != language:
            set_language(participant.id, language)
