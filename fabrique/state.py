"""The full snapshot each screen needs: `participant_state`, `screen_state`, `facilitate_state`.

A client draws itself from its snapshot, then applies events; after a reconnect or a gap in
`stage_version` it asks for a fresh snapshot. Supports are counted through merges: a piste
merged into another counts under the kept one, and a person who supported both counts once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timezone

from sqlalchemy import select

from . import catalog
from .extensions import db
from .models import Atelier, Engagement, EngagementPiste, EngagementSupport, ParadoxChoice, Participant, Piste, Reve, ReviewComment, Support, ValueVote, ValueWord, utcnow
from .phases import allowed_actions, current_phase, phase_title
from .vocabulary import words


def _ms(moment: datetime) -> int:
    return int(moment.replace(tzinfo=timezone.utc).timestamp() * 1000)


def template_payload(template) -> dict:
    """Return what every screen needs to know of the template (static for an atelier)."""
    return {
        "id": template.id,
        "title": template.title,
        "territory": template.territory,
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


def stage(atelier: Atelier) -> dict:
    """Return where the atelier is: phase, lock, timer, what participants may do, settings."""
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
        "server_time": _ms(utcnow()),
        "allowed": sorted(allowed_actions(atelier, template)),
        "phases": [{"kind": p.kind, "title": phase_title(p, template)} for p in fmt.phases],
        "settings": dict(atelier.settings),
    }


# --- counting through merges ------------------------------------------------------------------


def merge_roots(pistes: list[Piste]) -> dict[int, int]:
    """Map every piste id to the id of the piste it finally counts under."""
    parent = {p.id: p.merged_into_id for p in pistes}
    roots = {}
    for piste_id in parent:
        seen, current = set(), piste_id
        while parent.get(current) is not None and current not in seen:
            seen.add(current)
            current = parent[current]
        roots[piste_id] = current
    return roots


def dots_placed(participant: Participant) -> set[int]:
    """Return the pistes a participant's dots stand on, through merges (two dots merged into one count once)."""
    supported = list(db.session.scalars(select(Support.piste_id).where(Support.participant_id == participant.id)))
    if not supported:
        return set()
    roots = merge_roots(list(db.session.scalars(select(Piste).where(Piste.atelier_id == participant.atelier_id))))
    return {roots.get(piste_id, piste_id) for piste_id in supported}


def piste_counts(atelier_id: int) -> tuple[list[Piste], dict[int, set[int]], dict[int, set[int]]]:
    """Return the atelier's pistes, and for each kept piste its supporters and authors (merges included)."""
    pistes = list(db.session.scalars(select(Piste).where(Piste.atelier_id == atelier_id).order_by(Piste.id)))
    roots = merge_roots(pistes)
    supporters: dict[int, set[int]] = defaultdict(set)
    for participant_id, piste_id in db.session.execute(
            select(Support.participant_id, Support.piste_id).where(Support.atelier_id == atelier_id)):
        supporters[roots.get(piste_id, piste_id)].add(participant_id)
    authors: dict[int, set[int]] = defaultdict(set)
    for piste in pistes:
        if piste.participant_id is not None and piste.status != "withdrawn":
            authors[roots[piste.id]].add(piste.participant_id)
    return pistes, supporters, authors


# --- the projector ----------------------------------------------------------------------------


def screen_state(atelier: Atelier, public_url: str) -> dict:
    """Return everything the projector shows, aggregated (nothing personal)."""
    template = catalog().templates[atelier.template_id]
    participants = list(db.session.scalars(select(Participant).where(Participant.atelier_id == atelier.id)))
    persona_of = {p.id: p.persona_id for p in participants}

    paradox_counts = Counter(db.session.scalars(select(ParadoxChoice.paradox_id).where(ParadoxChoice.atelier_id == atelier.id)))
    value_points = Counter()
    value_voters = defaultdict(set)
    for value_id, points, participant_id in db.session.execute(
            select(ValueVote.value_id, ValueVote.points, ValueVote.participant_id).where(ValueVote.atelier_id == atelier.id)):
        value_points[value_id] += points
        value_voters[value_id].add(participant_id)
    words = Counter()
    shown_word = {}
    for word, word_key in db.session.execute(select(ValueWord.word, ValueWord.word_key).where(ValueWord.atelier_id == atelier.id)):
        words[word_key] += 1
        shown_word.setdefault(word_key, word)

    reves = defaultdict(list)
    for reve in db.session.scalars(select(Reve).where(Reve.atelier_id == atelier.id, Reve.hidden.is_(False)).order_by(Reve.id.desc())):
        reves[reve.theme_id].append({"id": reve.id, "text": reve.text, "persona_id": reve.persona_id})

    pistes, supporters, authors = piste_counts(atelier.id)
    wall = defaultdict(list)
    for piste in pistes:
        if piste.status != "visible":
            continue
        wall[piste.theme_id].append({
            "id": piste.id, "text": piste.text, "horizon": piste.horizon, "hashtags": list(piste.hashtags),
            "persona_id": piste.persona_id, "supports": len(supporters[piste.id]),
            "author_personas": sorted({persona_of.get(a) for a in authors[piste.id]} - {None}),
            "origin": piste.origin_label,
        })
    most = max((len(wall[t.id]) for t in template.themes), default=0)
    themes = []
    for theme in template.themes:
        column = wall[theme.id]
        themes.append({
            "id": theme.id,
            "pistes": column,
            "top": sorted(column, key=lambda p: (-p["supports"], p["id"]))[:5],
            "reves": reves[theme.id][:12],
            "coverage": {
                "pistes": len(column),
                "share": round(len(column) / most, 3) if most else 0,
                "personas": len({persona for p in column for persona in p["author_personas"]}),
                "thin": bool(most) and len(column) < max(1, most / 2),
            },
        })

    return {
        "seq": atelier.seq,
        "engagements": engagements_state(atelier, pistes, supporters, authors, persona_of),
        "quota": template.engagements_per_theme,
        "carried_values": (atelier.carried or {}).get("values", []),
        "atelier": {"id": atelier.id, "name": atelier.name, "join_code": atelier.join_code,
                    "join_url": f"{public_url}/j/{atelier.join_code}", "qr_url": f"/qr/{atelier.join_code}.svg"},
        "stage": stage(atelier),
        "participation": {
            "total": len(participants),
            "by_persona": dict(Counter(p.persona_id for p in participants if p.persona_id)),
            "by_college": dict(Counter(p.college for p in participants if p.college)),
        },
        "paradoxes": [{"id": p.id, "count": paradox_counts[p.id]}
                      for p in sorted(template.paradoxes, key=lambda p: -paradox_counts[p.id])],
        "values": [{"id": v.id, "points": value_points[v.id], "voters": len(value_voters[v.id])}
                   for v in sorted(template.values, key=lambda v: -value_points[v.id])],
        "words": [{"word": shown_word[k], "count": n} for k, n in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:60]],
        "themes": themes,
    }


def engagements_state(atelier: Atelier, pistes, supporters, authors, persona_of) -> list[dict]:
    """Return the engagements with what stands behind each: pistes, their supports, the personas
    of their authors and supporters (traceability), and the engagement's own supporters."""
    by_id = {p.id: p for p in pistes}
    links = defaultdict(list)
    for engagement_id, piste_id in db.session.execute(
            select(EngagementPiste.engagement_id, EngagementPiste.piste_id).join(Engagement)
            .where(Engagement.atelier_id == atelier.id).order_by(EngagementPiste.position, EngagementPiste.id)):
        links[engagement_id].append(piste_id)
    backers = defaultdict(set)
    for engagement_id, participant_id in db.session.execute(
            select(EngagementSupport.engagement_id, EngagementSupport.participant_id).join(Engagement)
            .where(Engagement.atelier_id == atelier.id)):
        backers[engagement_id].add(participant_id)
    out = []
    for engagement in db.session.scalars(select(Engagement).where(Engagement.atelier_id == atelier.id)
                                         .order_by(Engagement.theme_id, Engagement.position, Engagement.id)):
        behind = [by_id[i] for i in links[engagement.id] if i in by_id]
        people = set().union(*(supporters[p.id] | authors[p.id] for p in behind)) if behind else set()
        out.append({
            "id": engagement.id, "theme_id": engagement.theme_id, "title": engagement.title, "purpose": engagement.purpose,
            "how": list(engagement.how), "position": engagement.position,
            "pistes": [{"id": p.id, "text": p.text, "horizon": p.horizon, "hashtags": list(p.hashtags), "status": p.status,
                        "supports": len(supporters[p.id]), "origin": p.origin_label,
                        "author_personas": sorted({persona_of.get(a) for a in authors[p.id]} - {None})} for p in behind],
            "supporters": len(backers[engagement.id]),
            "personas": dict(Counter(persona_of[person] for person in people if persona_of.get(person))),
        })
    return out


# --- the facilitator --------------------------------------------------------------------------

_ACTED = {
    "paradoxes": ParadoxChoice,
    "valeurs": ValueVote,
    "reves": Reve,
    "pistes": Piste,
    "vote": Support,
}


def facilitate_state(atelier: Atelier, public_url: str, online: set[int] | frozenset = frozenset()) -> dict:
    """Return the projector's state plus who is there, every piste (hidden ones too) and the links."""
    template = catalog().templates[atelier.template_id]
    state = screen_state(atelier, public_url)
    kind = current_phase(atelier, template).kind
    acted = set()
    if kind in _ACTED:
        model = _ACTED[kind]
        acted = set(db.session.scalars(select(model.participant_id).where(model.atelier_id == atelier.id).distinct()))
    state["participants"] = [
        {"id": p.id, "pseudonym": p.pseudonym, "persona_id": p.persona_id, "college": p.college,
         "online": p.id in online, "acted": p.id in acted}
        for p in db.session.scalars(select(Participant).where(Participant.atelier_id == atelier.id).order_by(Participant.id))
    ]
    pistes, supporters, _authors = piste_counts(atelier.id)
    state["moderation"] = [
        {"id": p.id, "theme_id": p.theme_id, "text": p.text, "horizon": p.horizon, "hashtags": list(p.hashtags),
         "status": p.status, "merged_into": p.merged_into_id, "persona_id": p.persona_id,
         "supports": len(supporters[p.id]) if p.status == "visible" else None}
        for p in pistes if p.status != "withdrawn"
    ]
    # The projector shows the latest rêves; the facilitator moderates them all.
    visible = defaultdict(list)
    hidden = []
    for reve in db.session.scalars(select(Reve).where(Reve.atelier_id == atelier.id).order_by(Reve.id.desc())):
        entry = {"id": reve.id, "theme_id": reve.theme_id, "text": reve.text, "persona_id": reve.persona_id}
        if reve.hidden:
            hidden.append(entry)
        else:
            visible[reve.theme_id].append(entry)
    for theme in state["themes"]:
        theme["reves"] = [{k: v for k, v in r.items() if k != "theme_id"} for r in visible[theme["id"]]]
    state["hidden_reves"] = hidden
    from .actions.carry_over import earlier_ateliers, origin_label

    state["reviews"] = [
        {"id": c.id, "engagement_id": c.engagement_id, "reviewer": c.reviewer, "opinion": c.opinion, "text": c.text,
         "created_at": c.created_at.isoformat(timespec="minutes")}
        for c in db.session.scalars(select(ReviewComment).where(ReviewComment.atelier_id == atelier.id).order_by(ReviewComment.id))]

    imported = (atelier.carried or {}).get("ateliers", [])
    state["carry_over"] = [{"id": a.id, "label": origin_label(a), "imported": a.id in imported} for a in earlier_ateliers(atelier)]
    state["links"] = {
        "join": f"{public_url}/j/{atelier.join_code}",
        "screen": f"/screen/{atelier.screen_token}",
        "review": f"/synthese/{atelier.review_token}",
        "demarche_synthesis": f"/synthese/{atelier.review_token}?demarche=1" if atelier.demarche_id else None,
        # The démarche's secret: whoever holds it may add an atelier to the démarche (and read it through carry-over).
        "demarche_new": f"/?demarche={atelier.demarche.token}" if atelier.demarche_id else None,
    }
    return state


# --- a phone ----------------------------------------------------------------------------------


def participant_state(participant: Participant) -> dict:
    """Return what a phone needs: where the atelier is, who I am, what I did, and what to vote on."""
    atelier = participant.atelier
    persona = catalog().personas.get(participant.persona_id)
    state = {
        "seq": atelier.seq,
        "atelier": {"id": atelier.id, "name": atelier.name, "join_code": atelier.join_code},
        "stage": stage(atelier),
        "me": {"id": participant.id, "pseudonym": participant.pseudonym, "college": participant.college,
               "language": participant.language, "rejoin_code": participant.rejoin_code,
               "persona": persona_payload(persona) if persona else None},
        "mine": mine(participant),
    }
    state["board"] = phone_board(atelier)
    return state


def has_board(atelier: Atelier) -> bool:
    """Tell whether phones show a shared board now: pistes to vote on, or engagements to support."""
    return current_phase(atelier, catalog().templates[atelier.template_id]).kind in ("vote", "convergence")


def phone_board(atelier: Atelier) -> list[dict]:
    """Return what phones act on in this phase: the pistes of the dot vote, or the engagements of
    convergence (no counts, so that nobody is swayed by the crowd)."""
    kind = current_phase(atelier, catalog().templates[atelier.template_id]).kind
    if kind == "vote":
        return [{"id": p.id, "theme_id": p.theme_id, "text": p.text, "horizon": p.horizon, "hashtags": list(p.hashtags)}
                for p in db.session.scalars(select(Piste).where(Piste.atelier_id == atelier.id, Piste.status == "visible").order_by(Piste.id))]
    if kind == "convergence":
        return [{"id": e.id, "theme_id": e.theme_id, "title": e.title, "purpose": e.purpose, "how": list(e.how)}
                for e in db.session.scalars(select(Engagement).where(Engagement.atelier_id == atelier.id)
                                            .order_by(Engagement.theme_id, Engagement.position, Engagement.id))]
    return []


def mine(participant: Participant) -> dict:
    """Return the participant's own contributions (what an ack sends back after each action)."""
    pid = participant.id
    pistes = list(db.session.scalars(select(Piste).where(Piste.participant_id == pid, Piste.status != "withdrawn").order_by(Piste.id)))
    return {
        "paradoxes": sorted(db.session.scalars(select(ParadoxChoice.paradox_id).where(ParadoxChoice.participant_id == pid))),
        "values": {v: n for v, n in db.session.execute(select(ValueVote.value_id, ValueVote.points).where(ValueVote.participant_id == pid))},
        "words": [{"id": w.id, "value_id": w.value_id, "word": w.word}
                  for w in db.session.scalars(select(ValueWord).where(ValueWord.participant_id == pid).order_by(ValueWord.id))],
        "reves": [{"id": r.id, "theme_id": r.theme_id, "text": r.text, "hidden": r.hidden}
                  for r in db.session.scalars(select(Reve).where(Reve.participant_id == pid).order_by(Reve.id))],
        "pistes": [{"id": p.id, "theme_id": p.theme_id, "text": p.text, "horizon": p.horizon, "hashtags": list(p.hashtags),
                    "status": p.status, "merged_into": p.merged_into_id} for p in pistes],
        "supports": sorted(dots_placed(participant)),
        "engagement_supports": sorted(db.session.scalars(
            select(EngagementSupport.engagement_id).where(EngagementSupport.participant_id == pid))),
    }
