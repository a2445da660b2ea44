"""The tables. Every vote, choice and piste records the persona it was made under.

Uniqueness constraints make a retried action harmless: a second identical vote, support or
choice hits a constraint instead of counting twice, and `AppliedAction` remembers each client
action id so that a retry after a reconnect returns the first answer instead of acting again.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

from flask_babel import gettext as _
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .i18n import N_

# Short codes are read aloud and typed on phones: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

PISTE_STATUSES = ("visible", "hidden", "withdrawn", "merged")
OPINIONS = ("favorable", "reserve", "a_amender")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def short_code(length: int = 6) -> str:
    """Return a random code that is easy to read aloud and type."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def secret_token() -> str:
    """Return an unguessable token for a secret link."""
    return secrets.token_urlsafe(24)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """Use WAL (readers never wait for the writer) and enforce foreign keys on SQLite."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged action survives a power cut too
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


class Demarche(db.Model):
    """A process made of several ateliers whose results carry over."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    template_id: Mapped[str] = mapped_column(String(64))
    # The secret that adds an atelier to this démarche: only the organiser's consoles show it.
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True, default=secret_token)
    # The démarche's review link: reviewers give opinions on every atelier's engagements from one page.
    review_token: Mapped[str] = mapped_column(String(64), unique=True, index=True, default=secret_token)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    ateliers: Mapped[list[Atelier]] = relationship(back_populates="demarche", order_by="Atelier.id")


class Atelier(db.Model):
    """One live session: its template, where it is in its phases, and its secret links."""

    id: Mapped[int] = mapped_column(primary_key=True)
    demarche_id: Mapped[int | None] = mapped_column(ForeignKey("demarche.id"))
    name: Mapped[str] = mapped_column(String(200))
    template_id: Mapped[str] = mapped_column(String(64))
    format_id: Mapped[str] = mapped_column(String(64))
    audience: Mapped[str | None] = mapped_column(String(200))
    held_on: Mapped[str | None] = mapped_column(String(10))  # ISO date the atelier takes place
    phase_index: Mapped[int] = mapped_column(default=0)
    phase_locked: Mapped[bool] = mapped_column(default=False)
    timer_ends_at: Mapped[datetime | None]
    timer_remaining: Mapped[int | None]  # seconds left while a timer is paused
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    join_code: Mapped[str] = mapped_column(String(12), unique=True, default=short_code)
    facilitator_token: Mapped[str] = mapped_column(String(64), unique=True, default=secret_token)
    screen_token: Mapped[str] = mapped_column(String(64), unique=True, default=secret_token)
    review_token: Mapped[str] = mapped_column(String(64), unique=True, default=secret_token)
    seq: Mapped[int] = mapped_column(default=0)  # bumped by every committed change
    changed_at: Mapped[datetime | None]  # when `seq` was last bumped: the date of the synthesis' version
    stage_version: Mapped[int] = mapped_column(default=0)  # bumped by phase/lock/timer/settings changes
    is_demo: Mapped[bool] = mapped_column(default=False)
    # What earlier ateliers of the démarche handed over: {"ateliers": [ids], "values": [{atelier_id,
    # label, ranking: [{value_id, points}]}]}. Pistes are copied as rows (see Piste.origin_*).
    carried: Mapped[dict] = mapped_column(JSON, default=dict)
    # "Et après": what happens next, written by the facilitator at clôture (the carnet's last chapter).
    after_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    demarche: Mapped[Demarche | None] = relationship(back_populates="ateliers")
    participants: Mapped[list[Participant]] = relationship(back_populates="atelier", order_by="Participant.id")

    __table_args__ = (CheckConstraint("phase_index >= 0", name="phase_index_not_negative"),)


class Participant(db.Model):
    """Someone who joined from a phone, under a pseudonym and a persona."""

    id: Mapped[int] = mapped_column(primary_key=True)
    atelier_id: Mapped[int] = mapped_column(ForeignKey("atelier.id", ondelete="CASCADE"), index=True)
    pseudonym: Mapped[str] = mapped_column(String(40))
    pseudonym_key: Mapped[str] = mapped_column(String(40))  # case- and accent-insensitive form
    persona_id: Mapped[str | None] = mapped_column(String(64))
    college: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(5), default="fr")
    token: Mapped[str] = mapped_column(String(64), unique=True, default=secret_token)
    rejoin_code: Mapped[str] = mapped_column(String(12), default=short_code)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    atelier: Mapped[Atelier] = relationship(back_populates="participants")

    __table_args__ = (
        UniqueConstraint("atelier_id", "pseudonym_key", name="one_pseudonym_per_atelier"),
        UniqueConstraint("atelier_id", "rejoin_code", name="one_rejoin_code_per_atelier"),
    )


class ValueVote(db.Model):
    """Points (or a top-N pick, worth one point) a participant gives one value."""

    id: Mapped[int] = mapped_column(primary_key=True)
    atelier_id: Mapped[int] = mapped_column(ForeignKey("atelier.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    persona_id: Mapped[str | None] = mapped_column(String(64))
    value_id: Mapped[str] = mapped_column(String(64))
    points: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        UniqueConstraint("participant_id", "value_id", name="one_vote_per_value"),
        CheckConstraint("points > 0", name="points_positive"),
    )


class ValueWord(db.Model):
    """A free word a participant associates with a value (feeds the word cloud)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    atelier_id: Mapped[int] = mapped_column(ForeignKey("atelier.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    persona_id: Mapped[str | None] = mapped_column(String(64))
    value_id: Mapped[str] = mapped_column(String(64))
    word: Mapped[str] = mapped_column(String(40))
    word_key: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("participant_id", "value_id", "word_key", name="one_word_once"),)


class ParadoxChoice(db.Model):
    """A paradox a participant marked as mattering most to their persona."""

    id: Mapped[int] = mapped_column(primary_key=True)
    atelier_id: Mapped[int] = mapped_column(ForeignKey("atelier.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    persona_id: Mapped[str | None] = mapped_column(String(64))
    paradox_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("participant_id", "paradox_id", name="one_choice_per_paradox"),)


class Reve(db.Model):
    """A short "En 2040…" text written under one theme."""

    id: Mapped[int] = mapped_column(primary_key=True)
    atelier_id: Mapped[int] = mapped_column(ForeignKey("atelier.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    persona_id: Mapped[str | None] = mapped_column(String(64))
    theme_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Piste(db.Model):
    """A project lead proposed under one theme.

    Merging a duplicate sets its status to "merged" and points `merged_into_id` at the kept
    piste; nothing else is rewritten, so authors and supports stay where they were made and are
    counted through the merge (one person counts once), and a merge can be undone.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    atelier_id: Mapped[int] = mapped_column(ForeignKey("atelier.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id", ondelete="SET NULL"))
    persona_id: Mapped[str | None] = mapped_column(String(64))
    theme_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    horizon: Mapped[str] = mapped_column(String(16))
    hashtags: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="visible")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("piste.id", ondelete="SET NULL"))
    # Carry-over: where a piste imported from an earlier atelier of the démarche came from.
    origin_atelier_id: Mapped[int | None] = mapped_column(ForeignKey("atelier.id", ondelete="SET NULL"))
    origin_label: Mapped[str | None] = mapped_column(String(200))
    # The piste it was copied from, so that a démarche's synthesis counts each proposal once.
    origin_piste_id: Mapped[int | None] = mapped_column(ForeignKey("piste.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (
        CheckConstraint(f"status IN {PISTE_STATUSES}", name="known_piste_status"),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id != id", name="not_merged_into_itself"),
        Index("ix_piste_atelier_theme", "atelier_id", "theme_id"),
    )


class Support(db.Model):
    """One dot a participant placed on a piste (at most one per person per piste)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    atelier_id: Mapped[int] = mapped_column(ForeignKey("atelier.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    persona_id: Mapped[str | None] = mapped_column(String(64))
    piste_id: Mapped[int] = mapped_column(ForeignKey("piste.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("participant_id", "piste_id", name="one_support_per_piste"),)


class Engagement(db.Model):
    """What convergence produces under a theme: a title, a purpose, "Comment ?" items, pistes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    atelier_id: Mapped[int] = mapped_column(ForeignKey("atelier.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str] = mapped_column(Text, default="")
    how: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    links: Mapped[list[EngagementPiste]] = relationship(
        back_populates="engagement", order_by="EngagementPiste.position", cascade="all, delete-orphan"
    )


class EngagementPiste(db.Model):
    """A piste behind an engagement; a piste stands behind one engagement at most."""

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id", ondelete="CASCADE"))
    piste_id: Mapped[int] = mapped_column(ForeignKey("piste.id", ondelete="CASCADE"), unique=True)
    position: Mapped[int] = mapped_column(default=0)

    engagement: Mapped[Engagement] = relationship(back_populates="links")


class EngagementSupport(db.Model):
    """A participant's support for an engagement (one per person per engagement)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    engagement_id: Mapped[int] = mapped_column(ForeignKey("engagement.id", ondelete="CASCADE"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    persona_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("engagement_id", "participant_id", name="one_support_per_engagement"),)


class ReviewComment(db.Model):
    """A CODEV reviewer's opinion and comment on one engagement (or on the whole synthesis)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    atelier_id: Mapped[int] = mapped_column(ForeignKey("atelier.id", ondelete="CASCADE"), index=True)
    engagement_id: Mapped[int | None] = mapped_column(ForeignKey("engagement.id", ondelete="SET NULL"))
    reviewer: Mapped[str] = mapped_column(String(80))
    opinion: Mapped[str | None] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text, default="")
    op_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        CheckConstraint(f"opinion IS NULL OR opinion IN {OPINIONS}", name="known_opinion"),
        UniqueConstraint("atelier_id", "op_id", name="one_comment_per_submission"),
    )


class AppliedAction(db.Model):
    """A client action id already applied, with the answer it got, so a retry is answered the same."""

    id: Mapped[int] = mapped_column(primary_key=True)
    atelier_id: Mapped[int] = mapped_column(ForeignKey("atelier.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(32))  # "participant:<id>" or "facilitator"
    op_id: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (UniqueConstraint("atelier_id", "actor", "op_id", name="one_application_per_action"),)


# --- the same refusals on SQLite and PostgreSQL ---------------------------------------------
# SQLite stores a 5,000-character "audience" in a String(200) column and a NUL byte in any text;
# PostgreSQL refuses both with a DataError (a 500 if it reaches the commit). Every value is
# checked when it is set on a model, so both databases refuse the same inputs with the same
# clear reason, before anything is written.

# What the person who typed the value calls it (the columns people fill in).
FIELD_LABELS = {
    "name": N_("Le nom"),
    "audience": N_("Le public"),
    "held_on": N_("La date"),
    "pseudonym": N_("Le pseudonyme"),
    "college": N_("Le collège"),
    "word": N_("Le mot"),
    "title": N_("Le titre"),
    "reviewer": N_("Le nom du relecteur"),
    "origin_label": N_("L'origine"),
}
INT4 = 2**31  # PostgreSQL's INTEGER is 4 bytes; SQLite's is 8


def max_length(attribute) -> int | None:
    """Return the length limit of a model's string column (`max_length(Atelier.audience)`)."""
    return getattr(attribute.property.columns[0].type, "length", None)


def _refuse(column, message: str, **values):
    """Refuse with `message` naming the field (translated only now: gettext caches the locale)."""
    from .actions import Refused

    field = _(FIELD_LABELS[column.name]) if column.name in FIELD_LABELS else column.name
    raise Refused(_(message, field=field, **values), "invalid")


def _guard(column):
    """Return a listener refusing a value `column` cannot hold on every supported database."""
    length = column.type.length if isinstance(column.type, String) else None

    def check(_target, value, _old, _initiator):
        if isinstance(value, str):
            if "\x00" in value:
                _refuse(column, N_("%(field)s : caractère non autorisé."))
            if length is not None and len(value) > length:
                _refuse(column, N_("%(field)s : %(max)s caractères au plus."), max=length)
        elif isinstance(value, int) and not isinstance(value, bool) and isinstance(column.type, Integer):
            if not -INT4 <= value < INT4:
                _refuse(column, N_("%(field)s : nombre hors limites."))

    return check


# Last in the file, so that every model above is guarded (a model added below this loop would not be).
for _mapper in db.Model.registry.mappers:
    for _attribute in _mapper.column_attrs:
        _column = _attribute.columns[0]
        if isinstance(_column.type, (String, Integer)):  # Text is a String without a length
            event.listen(getattr(_mapper.class_, _attribute.key), "set", _guard(_column))
