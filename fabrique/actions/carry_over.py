"""Carry-over inside a démarche: a later atelier imports the values ranking and the pistes of an
earlier one, each marked with where it came from (atelier and audience)."""

from __future__ import annotations

from collections import Counter

from flask_babel import gettext as _
from sqlalchemy import select

from ..extensions import db
from ..i18n import N_
from ..models import Atelier, Piste, ValueVote
from ..readmodel.queries import origin_label
from . import Refused
from .contributions import _int_id
from .facilitation import facilitator_action


@facilitator_action
def carry_over(atelier, template, change, data):
    """Import an earlier atelier's values ranking and visible pistes (once; a second import is refused)."""
    source = db.session.get(Atelier, _int_id(data.get("from_atelier_id"), N_("Atelier invalide.")))
    if source is None or source.id == atelier.id or atelier.demarche_id is None or source.demarche_id != atelier.demarche_id:
        raise Refused(_("On ne reprend que les résultats d'un autre atelier de la même démarche."), "invalid")
    if source.template_id != atelier.template_id:
        raise Refused(_("Cet atelier suit un autre cadre : ses résultats ne se reprennent pas tels quels."), "invalid")
    carried = dict(atelier.carried or {})
    if source.id in carried.get("ateliers", []):
        raise Refused(_("Les résultats de cet atelier ont déjà été repris."), "state")
    label = origin_label(source)

    points = Counter()
    for value_id, amount in db.session.execute(select(ValueVote.value_id, ValueVote.points).where(ValueVote.atelier_id == source.id)):
        points[value_id] += amount
    ranking = [{"value_id": v, "points": n} for v, n in sorted(points.items(), key=lambda kv: (-kv[1], kv[0]))]

    copied = 0
    # A proposal already here (its original, or a copy carried through another atelier) is not
    # copied again: one piste per proposal in each atelier, so its merge tree holds its supports.
    present = {origin or piste_id for piste_id, origin in db.session.execute(
        select(Piste.id, Piste.origin_piste_id).where(Piste.atelier_id == atelier.id))}
    for piste in db.session.scalars(select(Piste).where(Piste.atelier_id == source.id, Piste.status == "visible").order_by(Piste.id)):
        if (piste.origin_piste_id or piste.id) in present:
            continue
        db.session.add(Piste(atelier_id=atelier.id, participant_id=None, persona_id=piste.persona_id, theme_id=piste.theme_id,
                             text=piste.text, horizon=piste.horizon, hashtags=list(piste.hashtags),
                             origin_atelier_id=piste.origin_atelier_id or source.id, origin_label=piste.origin_label or label,
                             origin_piste_id=piste.origin_piste_id or piste.id))
        copied += 1
    carried["ateliers"] = [*carried.get("ateliers", []), source.id]
    carried["values"] = [*carried.get("values", []), {"atelier_id": source.id, "label": label, "ranking": ranking}]
    atelier.carried = carried
    change.content = True
    return {"ok": True, "pistes": copied, "values": len(ranking)}
