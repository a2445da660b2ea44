"""The CODEV's review: through the read-only review link, a reviewer gives an opinion and a
comment on an engagement (or on the whole synthesis), under a name or pseudonym."""

from __future__ import annotations

from flask_babel import gettext as _

from ..extensions import db
from ..models import OPINIONS, Engagement, ReviewComment
from ..text import clean
from . import Refused, perform

OPINION_LABELS = {"favorable": "Favorable", "reserve": "Réservé", "a_amender": "À amender"}


def add_review(atelier_id: int, op_id: str, reviewer, engagement_id=None, opinion=None, text="") -> dict:
    """Record a reviewer's opinion and comment (a resubmitted form is recorded once)."""
    reviewer = clean(reviewer, "reviewer")
    opinion = opinion or None
    if opinion is not None and opinion not in OPINIONS:
        raise Refused(_("Choisissez un avis : favorable, réservé ou à amender."), "invalid")
    text = clean(text, "comment", multiline=True) if (text or "").strip() else ""
    if opinion is None and not text:
        raise Refused(_("Donnez un avis ou écrivez un commentaire."), "invalid")

    def action(atelier, change):
        target = None
        if engagement_id not in (None, ""):
            try:
                target = db.session.get(Engagement, int(engagement_id))
            except (TypeError, ValueError):
                target = None
            if target is None or target.atelier_id != atelier.id:
                raise Refused(_("{Engagement.sg} introuvable dans cet atelier."), "not_found")
        comment = ReviewComment(atelier_id=atelier.id, engagement_id=target.id if target else None, reviewer=reviewer,
                                opinion=opinion, text=text, op_id=op_id)
        db.session.add(comment)
        db.session.flush()
        change.content = True  # the facilitator sees it
        return {"ok": True, "comment_id": comment.id}

    return perform(atelier_id, "review", op_id, action)
