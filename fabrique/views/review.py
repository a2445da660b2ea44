"""The CODEV's opinions, sent from the synthesis page reached by the review link."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import payloads
from ..actions import Refused
from ..actions.review import add_review
from ..extensions import db
from ..models import Atelier

bp = Blueprint("review", __name__)


@bp.post("/synthese/<token>/avis")
def submit(token: str):
    """Record an opinion on an engagement (or on the whole synthesis), then go back to it."""
    atelier = db.session.scalar(select(Atelier).where(Atelier.review_token == token))
    if atelier is None:
        abort(404)
    anchor = "avis"
    try:
        form = payloads.form(payloads.ReviewForm, request.form)
        anchor = f"engagement-{form.engagement_id}" if form.engagement_id else "avis"
        add_review(atelier.id, form.op_id, form.reviewer, engagement_id=form.engagement_id, opinion=form.opinion, text=form.text)
    except Refused as refused:
        flash(refused.reason, "error")
    else:
        flash(_("Merci : votre avis est enregistré."), "ok")
    return redirect(url_for("synthesis.page", token=token, _anchor=anchor))
