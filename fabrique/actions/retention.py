"""Retention: an atelier's personal data is deleted once the organiser no longer needs it.

Personal data here: pseudonyms, rejoin codes and participant tokens, reviewers' names, and, when
nothing is kept, everything participants wrote and chose. Two ways to purge an atelier:
- `keep_synthesis=True` keeps what the synthesis publishes (pistes, rêves, words, votes,
  engagements, counts by persona and college) with nobody's name on it: each participant becomes
  "Participant n" with a new, never-shown token and no rejoin code, each reviewer "Relecture n";
- otherwise the atelier goes, with every row that belongs to it (and its démarche once empty).

An atelier expires `RETENTION_DAYS` after its last session: the day it was held, or the last
time a phone was seen, whichever is later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select, update

from ..extensions import db
from ..models import AppliedAction, Atelier, Demarche, Participant, ReviewComment, secret_token, utcnow
from . import write

ANONYMOUS_PREFIX = "Participant"


@dataclass(frozen=True)
class Purgeable:
    """An atelier a purge would touch, and what it holds (for `--dry-run`)."""

    atelier_id: int
    name: str
    last_session: date
    participants: int


def last_session(atelier: Atelier) -> date:
    """Return the day of the atelier's last session (held_on, or the last phone seen, or its creation)."""
    seen = db.session.scalar(select(func.max(Participant.last_seen_at)).where(Participant.atelier_id == atelier.id))
    days = [atelier.created_at.date(), *([seen.date()] if seen else [])]
    try:
        days.append(date.fromisoformat(atelier.held_on)) if atelier.held_on else None
    except ValueError:
        pass  # a free-text date from an old form: the other dates decide
    return max(days)


def expired(retention_days: int, today: date | None = None) -> list[Atelier]:
    """Return the ateliers whose last session is more than `retention_days` old (the demo never expires)."""
    today = today or datetime.now().date()
    limit = today - timedelta(days=retention_days)
    ateliers = db.session.scalars(select(Atelier).where(Atelier.is_demo.is_(False)).order_by(Atelier.id))
    return [a for a in ateliers if last_session(a) < limit]


def describe(ateliers: list[Atelier]) -> list[Purgeable]:
    """Return what purging `ateliers` would touch."""
    return [Purgeable(a.id, a.name, last_session(a),
                      db.session.scalar(select(func.count()).where(Participant.atelier_id == a.id)))
            for a in ateliers]


def purge(atelier_ids: list[int], keep_synthesis: bool) -> int:
    """Delete (or anonymise, keeping the synthesis) the personal data of these ateliers; return how many."""

    def run() -> int:
        done = 0
        for atelier_id in atelier_ids:
            atelier = db.session.get(Atelier, atelier_id, with_for_update=True)
            if atelier is None:
                continue
            demarche_id = atelier.demarche_id
            if keep_synthesis:
                _anonymise(atelier)
                _changed(atelier)
            else:
                # The database cascades to every row of the atelier (the ORM would try to orphan them).
                db.session.execute(delete(AppliedAction).where(AppliedAction.atelier_id == atelier_id))
                db.session.execute(delete(Atelier).where(Atelier.id == atelier_id))
                if demarche_id is not None and db.session.scalar(
                        select(func.count()).where(Atelier.demarche_id == demarche_id)) == 0:
                    db.session.execute(delete(Demarche).where(Demarche.id == demarche_id))
            if demarche_id is not None:
                # The démarche's other ateliers changed too: their copies of its pistes lost their
                # origin, and the démarche's synthesis lost rows.
                others = select(Atelier).where(Atelier.demarche_id == demarche_id, Atelier.id != atelier_id)
                for other in db.session.scalars(others):
                    _changed(other)
            done += 1
        return done

    return write(run)


def _anonymise(atelier: Atelier) -> None:
    participants = db.session.scalars(select(Participant).where(Participant.atelier_id == atelier.id).order_by(Participant.id))
    for number, participant in enumerate(participants, start=1):
        participant.pseudonym = participant.pseudonym_key = f"{ANONYMOUS_PREFIX} {number}"
        participant.token = secret_token()  # the phone's cookie no longer opens anything
        participant.rejoin_code = f"-{number}"  # not a code anyone can type (codes have no '-')
    reviewers = db.session.scalars(select(ReviewComment.reviewer).where(ReviewComment.atelier_id == atelier.id)
                                   .group_by(ReviewComment.reviewer).order_by(func.min(ReviewComment.id))).all()
    for number, reviewer in enumerate(reviewers, start=1):
        db.session.execute(update(ReviewComment).where(ReviewComment.atelier_id == atelier.id, ReviewComment.reviewer == reviewer)
                           .values(reviewer=f"Relecture {number}"))
    db.session.execute(delete(AppliedAction).where(AppliedAction.atelier_id == atelier.id))


def _changed(atelier: Atelier) -> None:
    # A running server holds each atelier's rows in memory (readmodel) and rebuilds them once `seq`
    # moved without it (`check_seq`); cached exports are keyed by the same number. Without this,
    # its console and projector would go on showing purged names and texts.
    atelier.seq += 1
    atelier.changed_at = utcnow()
