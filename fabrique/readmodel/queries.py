"""Read helpers over the database that go with the read model: the démarche around an atelier,
and the counts through merges for readers that work from ORM rows (the synthesis), computed by
the same code as the live model."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Atelier, Demarche, Piste, Support
from .model import count_pistes
from .model import merge_roots as _roots


def origin_label(atelier) -> str:
    """Return how an earlier atelier is named on what it handed over: its name and audience."""
    return f"{atelier.name} ({atelier.audience})" if atelier.audience else atelier.name


def earlier_ateliers(atelier) -> list[Atelier]:
    """Return the other ateliers of the same démarche that this one may import from."""
    if atelier.demarche_id is None:
        return []
    return list(db.session.scalars(select(Atelier).where(
        Atelier.demarche_id == atelier.demarche_id, Atelier.id != atelier.id).order_by(Atelier.id)))


def demarche_tokens(demarche_id: int) -> tuple[str | None, str | None]:
    """Return a démarche's two secrets, to add an atelier and to review (the read model holds ateliers' rows, not their démarche's)."""
    row = db.session.execute(select(Demarche.token, Demarche.review_token).where(Demarche.id == demarche_id)).first()
    return (row[0], row[1]) if row else (None, None)


def merge_roots(pistes) -> dict[int, int]:
    """Map every piste id (of ORM pistes) to the id of the piste it finally counts under."""
    return _roots({p.id: p.merged_into_id for p in pistes})


def roots_of(piste_ids) -> dict[int, int]:
    """Map each of `piste_ids` to the kept piste it counts under, following merges in the
    database (the session's own pending writes included), reading only the pistes on the way."""
    parent: dict[int, int | None] = {}
    frontier = set(piste_ids)
    while frontier:
        rows = db.session.execute(select(Piste.id, Piste.merged_into_id).where(Piste.id.in_(frontier))).all()
        parent.update(rows)
        frontier = {into for _id, into in rows if into is not None and into not in parent}
    roots = _roots(parent)
    return {piste_id: roots.get(piste_id, piste_id) for piste_id in piste_ids}


def dots_placed(participant_id: int) -> set[int]:
    """Return the kept pistes a participant's dots stand on, as the database has them now (the
    check of an action: a batch's earlier writes count, the read model follows only after commit)."""
    return set(roots_of(set(db.session.scalars(select(Support.piste_id).where(Support.participant_id == participant_id)))).values())


def piste_counts(atelier_id: int) -> tuple[list[Piste], dict[int, set[int]], dict[int, set[int]]]:
    """Return the atelier's pistes, and for each kept piste its supporters and authors (merges included)."""
    from . import build

    pistes = list(db.session.scalars(select(Piste).where(Piste.atelier_id == atelier_id).order_by(Piste.id)))
    model = build(atelier_id)
    supporters, authors = model.counts() if model is not None else ({}, {})
    return pistes, supporters, authors
