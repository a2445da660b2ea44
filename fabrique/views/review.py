"""The CODEV's opinions, sent from a synthesis page reached by a review link.

Two review links: an atelier's (`Atelier.review_token`: its own synthesis, its own engagements)
and a démarche's (`Demarche.review_token`: the synthesis of every atelier of the démarche, with an
opinion form under every engagement of every atelier). Both are served by the same synthesis
pages (`views/synthesis.py`); an opinion given on the démarche's page is recorded on the atelier
whose engagement it is, so that atelier's console shows it as it shows its own link's.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from .. import limits, payloads
from ..actions import Refused
from ..actions.review import add_review
from ..extensions import db
from ..models import Atelier, Demarche, Engagement
from ..vocabulary import in_words_of

bp = Blueprint("review", __name__)


@dataclass(frozen=True)
class ReviewTarget:
    """What a review link opens: one atelier, or a whole démarche (then `atelier` is its first)."""

    atelier: Atelier
    demarche: Demarche | None = None

    @property
    def ateliers(self) -> list[Atelier]:
        return self.demarche.ateliers if self.demarche is not None else [self.atelier]


def review_target(token: str) -> ReviewTarget | None:
    """Return what the review link `token` opens (an atelier's or a démarche's secret), or None."""
    atelier = db.session.scalar(select(Atelier).where(Atelier.review_token == token))
    if atelier is not None:
        return ReviewTarget(atelier)
    demarche = db.session.scalar(select(Demarche).where(Demarche.review_token == token))
    if demarche is None or not demarche.ateliers:
        return None
    return ReviewTarget(demarche.ateliers[0], demarche)


def _engagement_atelier(target: ReviewTarget, engagement_id: int | None) -> int:
    """Return the atelier an opinion is recorded on: the engagement's, which must be one of the démarche's."""
    if target.demarche is None:
        return target.atelier.id
    if engagement_id is None:
        # The démarche's page asks for opinions on engagements only: a remark on the whole
        # belongs to one atelier's synthesis, where its own link collects it.
        raise Refused(in_words_of(target.atelier, _("Choisissez {engagement.le} sur {engagement|lequel|laquelle} donner votre avis.")), "invalid")
    atelier_id = db.session.scalar(select(Engagement.atelier_id).where(Engagement.id == engagement_id))
    if atelier_id not in {a.id for a in target.ateliers}:
        raise Refused(in_words_of(target.atelier, _("{Engagement.sg} introuvable dans cette démarche.")), "not_found")
    return atelier_id


@bp.post("/synthese/<token>/avis")
def submit(token: str):
    """Record an opinion on an engagement (or on the whole synthesis), then go back to it."""
    target = review_target(token)
    if target is None:
        abort(404)
    anchor = "avis"
    try:
        if not limits.ip_reviews.allow(limits.client_ip()):
            raise Refused(_("Trop d'avis envoyés d'un coup : patientez une minute."), "rate")
        form = payloads.form(payloads.ReviewForm, request.form)
        anchor = f"engagement-{form.engagement_id}" if form.engagement_id else "avis"
        atelier_id = _engagement_atelier(target, form.engagement_id)
        add_review(atelier_id, form.op_id, form.reviewer, engagement_id=form.engagement_id, opinion=form.opinion, text=form.text)
    except Refused as refused:
        flash(refused.reason, "error")
    else:
        flash(_("Merci : votre avis est enregistré."), "ok")
    return redirect(url_for("synthesis.page", token=token, _anchor=anchor))
