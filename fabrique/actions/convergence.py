"""Convergence: the facilitator groups pistes into engagements under each theme; participants
support the engagements. A piste stands behind one engagement at most; moving it is one action."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from ..extensions import db
from ..i18n import N_
from ..models import Engagement, EngagementPiste, EngagementSupport, Piste
from ..text import clean
from . import Refused
from .contributions import _int_id, _one_of, participant_action
from .rows import delete_rows, insert_row
from .facilitation import facilitator_action


def _engagement(atelier, engagement_id) -> Engagement:
    engagement = db.session.get(Engagement, _int_id(engagement_id, N_("{Engagement.sg} invalide.")))
    if engagement is None or engagement.atelier_id != atelier.id:
        raise Refused(_("{Engagement.sg} introuvable dans cet atelier."), "not_found")
    return engagement


def _how(value) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > 12:
        raise Refused(_("Donnez au plus 12 points « Comment ? »."), "invalid")
    return [item for item in (clean(v, "engagement_text") for v in value) if item]


def _in_theme(atelier, theme_id) -> list[Engagement]:
    return list(db.session.scalars(select(Engagement).where(
        Engagement.atelier_id == atelier.id, Engagement.theme_id == theme_id).order_by(Engagement.position, Engagement.id)))


def _touched(change) -> None:
    change.content = True  # the projector and the console; phones' boards follow from the rows written


def _link(engagement: Engagement, piste: Piste, change) -> None:
    """Put a piste behind an engagement, taking it from any other engagement."""
    link = db.session.scalar(select(EngagementPiste).where(EngagementPiste.piste_id == piste.id))
    last = db.session.scalar(select(func.max(EngagementPiste.position)).where(EngagementPiste.engagement_id == engagement.id))
    if link is None:
        db.session.add(EngagementPiste(engagement_id=engagement.id, piste_id=piste.id, position=(last or 0) + 1))
    elif link.engagement_id != engagement.id:
        link.engagement_id = engagement.id
        link.position = (last or 0) + 1
    _touched(change)


def _linkable_piste(atelier, piste_id) -> Piste:
    piste = db.session.get(Piste, _int_id(piste_id, N_("{Piste.sg} invalide.")))
    if piste is None or piste.atelier_id != atelier.id:
        raise Refused(_("{Piste.sg} introuvable dans cet atelier."), "not_found")
    if piste.status in ("withdrawn", "merged"):
        raise Refused(_("{Piste.ce} a été {piste|retiré ou fusionné|retirée ou fusionnée} : rattachez plutôt {piste.le} qu'{piste|il|elle} a {piste|rejoint|rejointe}."), "state")
    return piste


@facilitator_action
def engagement_create(atelier, template, change, data):
    """Create an engagement under a theme, within the template's quota unless deliberately overridden."""
    theme_id = _one_of(data.get("theme_id"), {t.id for t in template.themes}, N_("Choisissez {theme.un} de l'atelier."))
    existing = _in_theme(atelier, theme_id)
    quota = template.engagements_per_theme
    if quota and len(existing) >= quota and data.get("override_quota") is not True:
        raise Refused(ngettext("Le cadre prévoit %(num)s {engagement.sg} par {theme.sg} : confirmez pour en ajouter {engagement|un autre|une autre}.",
                               "Le cadre prévoit %(num)s {engagement.pl} par {theme.sg} : confirmez pour en ajouter {engagement|un|une} de plus.", quota), "quota")
    engagement = Engagement(atelier_id=atelier.id, theme_id=theme_id, title=clean(data.get("title"), "engagement_title"),
                            purpose=clean(data.get("purpose") or "", "engagement_text", multiline=True),
                            how=_how(data.get("how")), position=len(existing) + 1)
    db.session.add(engagement)
    db.session.flush()
    for piste_id in data.get("piste_ids") or []:
        _link(engagement, _linkable_piste(atelier, piste_id), change)
    _touched(change)
    return {"ok": True, "engagement_id": engagement.id}


@facilitator_action
def engagement_update(atelier, template, change, data):
    """Change an engagement's title, purpose ("Pour …") or "Comment ?" items."""
    engagement = _engagement(atelier, data.get("engagement_id"))
    if "title" in data:
        engagement.title = clean(data["title"], "engagement_title")
    if "purpose" in data:
        engagement.purpose = clean(data["purpose"] or "", "engagement_text", multiline=True)
    if "how" in data:
        engagement.how = _how(data["how"])
    _touched(change)


@facilitator_action
def engagement_delete(atelier, template, change, data):
    """Delete an engagement; its pistes go back to the pool, nothing else is lost."""
    engagement = _engagement(atelier, data.get("engagement_id"))
    theme_id = engagement.theme_id
    db.session.delete(engagement)
    db.session.flush()
    for position, other in enumerate(_in_theme(atelier, theme_id), start=1):
        other.position = position
    _touched(change)


@facilitator_action
def engagement_move(atelier, template, change, data):
    """Put an engagement at another position (1 = first) among its theme's engagements."""
    engagement = _engagement(atelier, data.get("engagement_id"))
    ordered = [e for e in _in_theme(atelier, engagement.theme_id) if e.id != engagement.id]
    position = data.get("position")
    if not isinstance(position, int) or isinstance(position, bool) or not 1 <= position <= len(ordered) + 1:
        raise Refused(_("Position invalide."), "invalid")
    ordered.insert(position - 1, engagement)
    for index, item in enumerate(ordered, start=1):
        item.position = index
    _touched(change)


@facilitator_action
def engagement_link(atelier, template, change, data):
    """Put a piste behind an engagement (moving it from another engagement if need be)."""
    engagement = _engagement(atelier, data.get("engagement_id"))
    _link(engagement, _linkable_piste(atelier, data.get("piste_id")), change)


@facilitator_action
def engagement_unlink(atelier, template, change, data):
    """Take a piste back from its engagement."""
    link = db.session.scalar(select(EngagementPiste).join(Piste, Piste.id == EngagementPiste.piste_id).where(
        EngagementPiste.piste_id == _int_id(data.get("piste_id"), N_("{Piste.sg} invalide.")), Piste.atelier_id == atelier.id))
    if link is None:
        raise Refused(_("{Piste.ce} n'est {piste|rattaché|rattachée} à {engagement|aucun|aucune} {engagement.sg}."), "state")
    db.session.delete(link)
    _touched(change)


@participant_action("engagement_support", contained=True)
def engagement_support(atelier, template, participant, change, data, checks):
    """Support an engagement, or withdraw that support (one per person per engagement)."""
    engagement = checks.row("engagement", _int_id(data.get("engagement_id"), N_("{Engagement.sg} invalide.")))
    if engagement is None or engagement["atelier_id"] != atelier.id:
        raise Refused(_("{Engagement.sg} introuvable dans cet atelier."), "not_found")
    supported = data.get("supported")
    if not isinstance(supported, bool):
        raise Refused(_("Requête invalide."), "invalid")
    existing = [row for row in checks.own("engagement_support", participant["id"]) if row["engagement_id"] == engagement["id"]]
    if supported and not existing:
        insert_row(EngagementSupport, engagement_id=engagement["id"], participant_id=participant["id"], persona_id=participant["persona_id"])
        _touched(change)
    elif not supported and existing:
        delete_rows(EngagementSupport, existing)
        _touched(change)


CONVERGENCE_ACTIONS = {fn.action_name: fn for fn in (
    engagement_create, engagement_update, engagement_delete, engagement_move, engagement_link, engagement_unlink)}
