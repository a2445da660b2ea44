"""Load a replay (`sessions/replays/*.yaml`: the published results of a past démarche) into a
demonstration atelier, so that its synthesis can be read, exported and compared.

The whole atelier is written in one transaction through `write`: either it is there complete, or
not at all. A replay holds results, not people, so the atelier has no participant: its
synthesis shows the engagements, pistes, rêves, the values ranking and the retained paradoxes of
the replay, and says that no participation was recorded. The replay's id is kept in the
atelier's settings (`settings["replay"]`), which is how the synthesis finds the ranking, the
paradoxes and the dated sessions that the tables cannot hold.
"""

from __future__ import annotations

from sqlalchemy import select

from .. import catalog
from ..extensions import db
from ..models import Atelier, Engagement, EngagementPiste, Piste, Reve
from . import Refused, write
from .ateliers import _unused_join_code, default_settings, hold_startup_lock

DEMO_REPLAY = "la-fabrique-amp-2017"
PREFERRED_FORMAT = "atelier-complet"


def _format_of(template):
    try:
        return template.format(PREFERRED_FORMAT)
    except KeyError:
        return template.format()


def load_replay(replay_id: str, name: str | None = None) -> Atelier:
    """Create a demonstration atelier holding a replay's engagements, pistes and rêves."""
    replay = catalog().replays.get(replay_id)
    if replay is None:
        raise Refused(f"Rejeu inconnu : « {replay_id} ».", "not_found")
    template = catalog().templates[replay.template]
    fmt = _format_of(template)
    sessions = list(replay.ateliers)
    last = sessions[-1] if sessions else None
    title = (name or replay.title).strip()[:200]

    def insert() -> Atelier:
        atelier = Atelier(
            name=title, template_id=template.id, format_id=fmt.id, is_demo=True,
            audience=last.audience[:200] if last else None, held_on=last.date[:10] if last else None,
            phase_index=len(fmt.phases) - 1, settings={**default_settings(template), "replay": replay.id},
            join_code=_unused_join_code())
        db.session.add(atelier)
        db.session.flush()
        for reve in replay.reves:
            db.session.add(Reve(atelier_id=atelier.id, theme_id=reve.theme, text=reve.text))
        positions: dict[str, int] = {}
        for item in replay.engagements:
            positions[item.theme] = positions.get(item.theme, 0) + 1
            engagement = Engagement(atelier_id=atelier.id, theme_id=item.theme, title=item.title, purpose=item.purpose,
                                    how=list(item.how), position=positions[item.theme])
            db.session.add(engagement)
            db.session.flush()
            for position, source in enumerate(item.pistes, start=1):
                piste = Piste(atelier_id=atelier.id, participant_id=None, persona_id=source.persona, theme_id=item.theme,
                              text=source.text, horizon=source.horizon, hashtags=list(source.hashtags),
                              origin_label=replay.title[:200])
                db.session.add(piste)
                db.session.flush()
                db.session.add(EngagementPiste(engagement_id=engagement.id, piste_id=piste.id, position=position))
        return atelier

    return write(insert)


def ensure_demo_atelier(replay_id: str = DEMO_REPLAY) -> Atelier | None:
    """Return the demonstration atelier, loading `replay_id` the first time (None if the replay is unavailable)."""

    def find_or_load() -> Atelier | None:
        hold_startup_lock()  # two processes starting together load it once
        atelier = db.session.scalar(select(Atelier).where(Atelier.is_demo.is_(True)).order_by(Atelier.id))
        if atelier is None and replay_id in catalog().replays:
            atelier = load_replay(replay_id)
        return atelier

    return write(find_or_load)
