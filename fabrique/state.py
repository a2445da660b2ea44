"""What every screen is told of the atelier (`stage`, the template), and a phone's snapshot
(`participant_state`); the projector's and the console's are published by `fabrique.aggregates`.

A client draws itself from its snapshot, then applies events; after a reconnect or a gap in
`stage_version` it asks for a fresh snapshot. Every count comes from the atelier's read model
(`fabrique.readmodel`), held in memory: building a snapshot runs no query for the counts.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask import current_app
from flask_babel import get_locale

from . import catalog, readmodel
from .models import utcnow
from .phases import allowed_actions, current_phase, phase_title
from .vocabulary import words


def _ms(moment: datetime) -> int:
    return int(moment.replace(tzinfo=timezone.utc).timestamp() * 1000)


def utc_ms() -> int:
    """Return the server's clock in milliseconds (clients set their timers by it)."""
    return _ms(utcnow())


def template_payload(template) -> dict:
    """Return what every screen needs to know of the template (static for an atelier)."""
    return {
        "id": template.id,
        "title": template.title,
        "territory": template.territory,
        "language": template.language,
        "vocabulary": words(template),
        "values": [{"id": v.id, "label": v.label, "description": v.description, "ideas": list(v.ideas)} for v in template.values],
        "paradoxes": [{"id": p.id, "title": p.title, "atout": p.atout, "defi": p.defi, "figures": list(p.figures)} for p in template.paradoxes],
        "themes": [{"id": t.id, "title": t.title, "subtitle": t.subtitle, "defi": t.defi, "questions": list(t.questions),
                    "tags": list(t.tags), "objectives": [{"id": o.id, "title": o.title} for o in t.objectives],
                    "color": t.color or "#3b5b92"} for t in template.themes],
        "horizons": [{"id": h.id, "label": h.label, "description": h.description} for h in template.horizons],
        "hashtags": list(template.hashtags),
        "colleges": list(template.colleges),
        "value_methods": list(template.settings.value_vote.methods),
        "engagements_per_theme": template.engagements_per_theme,
        "personas": [persona_payload(p) for p in catalog().personas_for(template)],
    }


def persona_payload(persona) -> dict:
    """Return a persona card."""
    d = persona.data
    return {"id": persona.id, "name": d.name, "label": d.label, "age": d.age, "commune": d.commune, "occupation": d.occupation,
            "daily_life": d.daily_life, "mobility": d.mobility, "works": list(d.works), "does_not_work": list(d.does_not_work),
            "quote": d.quote, "color": d.color, "illustration": f"/personas/{persona.id}.svg"}


_STAGES_KEPT = 256  # stages kept per app: one per atelier and language while nothing changes


def stage(atelier) -> dict:
    """Return where the atelier is: phase, lock, timer, what participants may do, settings.

    Kept per app for what it is built from (a whole room's phones ask it at once when they join)
    and given out with a fresh `server_time`; its parts are shared, so callers copy, never change them.
    """
    settings = atelier.settings or {}
    key = (atelier.template_id, atelier.format_id, atelier.phase_index, atelier.phase_locked, atelier.timer_ends_at,
           atelier.timer_remaining, atelier.stage_version, str(get_locale()), tuple(sorted(settings.items())))
    try:
        kept = current_app.extensions.setdefault("fabrique.stages", {})
        built = kept.get(key)
    except TypeError:  # a setting that is a list or a dict: built each time
        kept, built = None, None
    if built is None:
        built = _stage(atelier)
        if kept is not None:
            if len(kept) >= _STAGES_KEPT:
                kept.clear()
            kept[key] = built
    return {**built, "server_time": utc_ms()}


def _stage(atelier) -> dict:
    template = catalog().templates[atelier.template_id]
    now = current_phase(atelier, template)
    fmt = template.format(atelier.format_id)
    return {
        "version": atelier.stage_version,
        "index": now.index,
        "count": now.count,
        "kind": now.kind,
        "title": now.title,
        "instructions": now.phase.instructions,
        "locked": atelier.phase_locked,
        "timer": {
            "ends_at": _ms(atelier.timer_ends_at) if atelier.timer_ends_at else None,
            "remaining": atelier.timer_remaining,
            "suggested_minutes": now.phase.timer_minutes,
        },
        "allowed": sorted(allowed_actions(atelier, template)),
        "phases": [{"kind": p.kind, "title": phase_title(p, template)} for p in fmt.phases],
        "settings": dict(atelier.settings or {}),
    }


def _model(atelier_id: int) -> readmodel.AtelierModel:
    model = readmodel.model_for(atelier_id)
    if model is None:
        raise LookupError(f"no atelier {atelier_id}")
    return model


# --- a phone ----------------------------------------------------------------------------------


def participant_state(participant) -> dict:
    """Return what a phone needs: where the atelier is, who I am, what I did, and what to vote on."""
    return phone_state(participant.atelier_id, participant.id)


def phone_state(atelier_id: int, participant_id: int) -> dict:
    """Return `participant_state` of a participant known by id (a connection's identity): no row is loaded."""
    model = _model(atelier_id)
    with model.lock:
        atelier = model.atelier
        me = model.tables["participant"][participant_id]
        return {
            "seq": atelier.seq,
            "atelier": {"id": atelier.id, "name": atelier.name, "join_code": atelier.join_code},
            "stage": stage(atelier),
            "me": {"id": me["id"], "pseudonym": me["pseudonym"], "college": me["college"],
                   "language": me["language"], "rejoin_code": me["rejoin_code"],
                   "persona_id": me["persona_id"]},  # its card is in the template's data the page holds
            "mine": model.mine(participant_id),
            "board": _board(model),
        }


def has_board(atelier) -> bool:
    """Tell whether phones show a shared board now: pistes to vote on, or engagements to support."""
    return current_phase(atelier, catalog().templates[atelier.template_id]).kind in ("vote", "convergence")


def phone_board(atelier) -> list[dict]:
    """Return what phones act on in this phase: the pistes of the dot vote, or the engagements of
    convergence (no counts, so that nobody is swayed by the crowd)."""
    model = _model(atelier.id)
    with model.lock:
        return _board(model)


def board_item(model, table: str, row: dict) -> dict:
    """Return one entry of the phones' board: a piste to vote on, or an engagement to support."""
    if table == "piste":
        return {"id": row["id"], "theme_id": row["theme_id"], "text": row["text"], "horizon": row["horizon"],
                "hashtags": list(row["hashtags"])}
    return {"id": row["id"], "theme_id": row["theme_id"], "title": row["title"], "purpose": row["purpose"], "how": list(row["how"]),
            "position": row["position"]}


def _ordered_engagements(model) -> list[dict]:
    return sorted(model.rows("engagement"), key=lambda e: (e["theme_id"], e["position"], e["id"]))


def board_table(atelier) -> str | None:
    """Return which table the phones' board shows in this phase (None: no board)."""
    kind = current_phase(atelier, catalog().templates[atelier.template_id]).kind
    return {"vote": "piste", "convergence": "engagement"}.get(kind)


def _board(model) -> list[dict]:
    table = board_table(model.atelier)
    if table == "piste":
        return [board_item(model, table, p) for p in model.rows("piste") if p["status"] == "visible"]
    if table == "engagement":
        return [board_item(model, table, e) for e in _ordered_engagements(model)]
    return []


def mine(participant, parts=None) -> dict:
    """Return the participant's own contributions (or only the `parts` named: what an action changed)."""
    return _model(participant.atelier_id).mine(participant.id, parts)
