"""Joining an atelier, finding one's identity again, and taking a persona."""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import bindparam, func, select

from .. import catalog
from ..extensions import db
from ..lookups import Lookup
from ..models import Atelier, Participant, short_code
from ..text import clean, key
from . import Refused, batch_memo, contained, own_rows_only, perform
from .rows import insert_row

LANGUAGES = ("fr", "en")
# 31 symbols ** 10 ≈ 8.2e14 codes: guessing one of 2,000 at 10 tries a second takes ~1,300 years (README).
REJOIN_CODE_LENGTH = 10

# A join's checks, built once: a whole room joins at once, and building a statement costs more than running it.
_p = Participant.__table__.c
_in_atelier = _p.atelier_id == bindparam("atelier_id")
_PERSONA_COUNTS = select(_p.persona_id, func.count()).where(_in_atelier).group_by(_p.persona_id)
# Asked once per join, on the write transaction's own driver connection (`Lookup`).
_PSEUDONYM_TAKEN = Lookup(select(_p.id).where(_in_atelier, _p.pseudonym_key == bindparam("key")))
_REJOIN_CODE_TAKEN = Lookup(select(_p.id).where(_in_atelier, _p.rejoin_code == bindparam("code")))


def least_represented_persona(atelier: Atelier, counts: Counter) -> str | None:
    """Return the template persona fewest participants hold in `counts` (the template's order breaks ties)."""
    template = catalog().templates[atelier.template_id]
    persona_ids = [p.id for p in catalog().personas_for(template)]
    if not persona_ids:
        return None
    return min(persona_ids, key=lambda pid: (counts[pid], persona_ids.index(pid)))


def _persona_counts(atelier_id: int) -> Counter:
    """Return how many participants of the atelier hold each persona (None: none yet)."""
    return Counter(dict(_read().execute(_PERSONA_COUNTS, {"atelier_id": atelier_id}).all()))


def _read():
    """Return the write transaction's connection, for the checks of a join (a whole room joins at once).

    Plain statements on it skip the ORM's per-query cost; what the batch has not flushed yet is
    flushed first (as the ORM's autoflush would), so they see every row of the batch so far.
    """
    session = db.session
    # Only rows of participants matter to a join's checks: the atelier's new seq need not be flushed for them.
    if session.new or session.deleted or any(not isinstance(obj, Atelier) for obj in session.dirty):
        session.flush()
    return session.connection()


def join(atelier_id: int, pseudonym, college=None, language="fr", persona_id=None) -> SimpleNamespace:
    """Add a participant under a pseudonym and give them a persona (balanced unless they may choose).

    Return the participant as stored (`id`, `token`, `persona_id`…). A whole room joins at once:
    the row is written with SQLAlchemy Core and read back with RETURNING, not through the ORM.
    """
    pseudonym = clean(pseudonym, "pseudonym")
    college = clean(college, "college") if college not in (None, "") else None
    language = language if language in LANGUAGES else "fr"

    @contained
    def action(atelier, change):
        template = catalog().templates[atelier.template_id]
        # Counted once per batch, then kept up to date by its joins: a whole room joins at once,
        # and counting an atelier's participants costs what it has of them.
        counts = batch_memo(("personas", atelier_id), lambda: _persona_counts(atelier_id))
        cap = atelier.settings.get("max_participants") or 0
        if cap and sum(counts.values()) >= cap:
            raise Refused(_("Cet atelier est complet (%(cap)s participants) : adressez-vous à l'animation.", cap=cap), "full")
        if college is not None and template.colleges and college not in template.colleges:
            raise Refused(_("Choisissez un collège dans la liste."), "invalid")
        if _PSEUDONYM_TAKEN.first(_read(), atelier_id=atelier_id, key=key(pseudonym)) is not None:
            raise Refused(_("Le pseudonyme « %(pseudonym)s » est déjà pris dans cet atelier : choisissez-en un autre.",
                             pseudonym=pseudonym), "taken")
        chosen = persona_id if atelier.settings.get("persona_assignment") == "choice" and persona_id else None
        if chosen is not None and chosen not in {p.id for p in catalog().personas_for(template)}:
            raise Refused(_("Cet habitant fictif n'existe pas dans cet atelier."), "invalid")
        row = insert_row(Participant, atelier_id=atelier_id, pseudonym=pseudonym, pseudonym_key=key(pseudonym),
                         college=college, language=language, persona_id=chosen or least_represented_persona(atelier, counts),
                         rejoin_code=_unused_rejoin_code(atelier_id))
        counts[row["persona_id"]] += 1
        own_rows_only(row["id"])  # a new participant's row: no other participant's checks depend on it
        change.content = True
        return {"participant": row}

    return SimpleNamespace(**perform(atelier_id, "join", None, action)["participant"])


def _unused_rejoin_code(atelier_id: int) -> str:
    while True:
        code = short_code(REJOIN_CODE_LENGTH)
        if _REJOIN_CODE_TAKEN.first(_read(), atelier_id=atelier_id, code=code) is None:
            return code


def find_by_rejoin_code(atelier: Atelier, code) -> Participant:
    """Return the participant holding this rejoin code in this atelier."""
    if not isinstance(code, str) or not code.strip():
        raise Refused(_("Saisissez votre code de retour."), "invalid")
    participant = db.session.scalar(select(Participant).where(
        Participant.atelier_id == atelier.id, Participant.rejoin_code == code.upper().replace(" ", "").replace("-", "")))
    if participant is None:
        raise Refused(_("Code de retour inconnu dans cet atelier : vérifiez-le sur votre premier appareil."), "not_found")
    return participant


def _atelier_of(participant_id: int) -> int:
    atelier_id = db.session.scalar(select(Participant.atelier_id).where(Participant.id == participant_id))
    if atelier_id is None:
        raise Refused(_("Participant inconnu : rejoignez l'atelier à nouveau."), "not_found")
    return atelier_id


def _participant(atelier: Atelier, participant_id: int) -> Participant:
    participant = db.session.get(Participant, participant_id, with_for_update=True)
    if participant is None or participant.atelier_id != atelier.id:
        raise Refused(_("Participant inconnu : rejoignez l'atelier à nouveau."), "not_found")
    return participant


def set_language(participant_id: int, language: str) -> None:
    """Record the interface language a participant switched to (their server messages follow it)."""
    if language not in LANGUAGES:
        raise Refused(_("Langue inconnue."), "invalid")

    def action(atelier, change):
        participant = _participant(atelier, participant_id)
        participant.language = language

    perform(_atelier_of(participant_id), f"participant:{participant_id}", None, action)
