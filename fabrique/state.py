"""The full snapshot each screen needs: `participant_state`, `screen_state`, `facilitate_state`.

A client draws itself from its snapshot, then applies events; after a reconnect or a gap in
`stage_version` it asks for a fresh snapshot. Every count comes from the atelier's read model
(`fabrique.readmodel`), held in memory: building a snapshot runs no query for the counts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timezone

from . import catalog, readmodel
from .models import utcnow
from .phases import allowed_actions, current_phase, phase_title
from .readmodel.queries import demarche_tokens, earlier_ateliers, merge_roots, origin_label, piste_counts  # noqa: F401 (the synthesis counts through these)
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


def stage(atelier) -> dict:
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


def _model(atelier_id: int) -> readmodel.AtelierModel:
    model = readmodel.model_for(atelier_id)
    if model is None:
        raise LookupError(f"no atelier {atelier_id}")
    return model


def _piste_view(piste: dict, supporters, authors, persona_of) -> dict:
    return {"id": piste["id"], "text": piste["text"], "horizon": piste["horizon"], "hashtags": list(piste["hashtags"]),
            "persona_id": piste["persona_id"], "supports": len(supporters.get(piste["id"], ())),
            "author_personas": sorted({persona_of.get(a) for a in authors.get(piste["id"], ())} - {None}),
            "origin": piste["origin_label"]}


# --- the projector ----------------------------------------------------------------------------


def screen_state(atelier, public_url: str) -> dict:
    """Return everything the projector shows, aggregated (nothing personal)."""
    model = _model(atelier.id)
    with model.lock:
        return _screen(model, public_url)


def _screen(model: readmodel.AtelierModel, public_url: str) -> dict:
    atelier = model.atelier
    template = catalog().templates[atelier.template_id]
    participants = model.rows("participant")
    persona_of = {p["id"]: p["persona_id"] for p in participants}

    paradox_counts = Counter(r["paradox_id"] for r in model.rows("paradox_choice"))
    value_points = Counter()
    value_voters = defaultdict(set)
    for vote in model.rows("value_vote"):
        value_points[vote["value_id"]] += vote["points"]
        value_voters[vote["value_id"]].add(vote["participant_id"])
    words = Counter()
    shown_word = {}
    for word in model.rows("value_word"):
        words[word["word_key"]] += 1
        shown_word.setdefault(word["word_key"], word["word"])

    reves = defaultdict(list)
    for reve in reversed(model.rows("reve")):
        if not reve["hidden"]:
            reves[reve["theme_id"]].append({"id": reve["id"], "text": reve["text"], "persona_id": reve["persona_id"]})

    supporters, authors = model.counts()
    wall = defaultdict(list)
    for piste in model.rows("piste"):
        if piste["status"] == "visible":
            wall[piste["theme_id"]].append(_piste_view(piste, supporters, authors, persona_of))
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
        "engagements": _engagements(model, supporters, authors, persona_of),
        "quota": template.engagements_per_theme,
        "carried_values": (atelier.carried or {}).get("values", []),
        "after": atelier.after_text or "",  # "Et après": shown on the closing screen, edited in the console
        "atelier": {"id": atelier.id, "name": atelier.name, "join_code": atelier.join_code,
                    "join_url": f"{public_url}/j/{atelier.join_code}", "qr_url": f"/qr/{atelier.join_code}.svg"},
        "stage": stage(atelier),
        "participation": {
            "total": len(participants),
            "by_persona": dict(Counter(p["persona_id"] for p in participants if p["persona_id"])),
            "by_college": dict(Counter(p["college"] for p in participants if p["college"])),
        },
        "paradoxes": [{"id": p.id, "count": paradox_counts[p.id]}
                      for p in sorted(template.paradoxes, key=lambda p: -paradox_counts[p.id])],
        "values": [{"id": v.id, "points": value_points[v.id], "voters": len(value_voters[v.id])}
                   for v in sorted(template.values, key=lambda v: -value_points[v.id])],
        "words": [{"word": shown_word[k], "count": n} for k, n in sorted(words.items(), key=lambda kv: (-kv[1], kv[0]))[:60]],
        "themes": themes,
    }


def _ordered_engagements(model) -> list[dict]:
    return sorted(model.rows("engagement"), key=lambda e: (e["theme_id"], e["position"], e["id"]))


def _engagements(model, supporters, authors, persona_of) -> list[dict]:
    """Return the engagements with what stands behind each: pistes, their supports, the personas
    of their authors and supporters (traceability), and the engagement's own supporters."""
    pistes = model.tables["piste"]
    links = defaultdict(list)
    for link in sorted(model.rows("engagement_piste"), key=lambda r: (r["position"], r["id"])):
        links[link["engagement_id"]].append(link["piste_id"])
    backers = defaultdict(set)
    for support in model.rows("engagement_support"):
        backers[support["engagement_id"]].add(support["participant_id"])
    out = []
    for engagement in _ordered_engagements(model):
        behind = [pistes[i] for i in links[engagement["id"]] if i in pistes]
        people = set().union(*(supporters.get(p["id"], set()) | authors.get(p["id"], set()) for p in behind)) if behind else set()
        out.append({
            "id": engagement["id"], "theme_id": engagement["theme_id"], "title": engagement["title"],
            "purpose": engagement["purpose"], "how": list(engagement["how"]), "position": engagement["position"],
            "pistes": [{**{k: v for k, v in _piste_view(p, supporters, authors, persona_of).items() if k != "persona_id"},
                        "status": p["status"]} for p in behind],
            "supporters": len(backers[engagement["id"]]),
            "personas": dict(Counter(persona_of[person] for person in people if persona_of.get(person))),
        })
    return out


# --- the facilitator --------------------------------------------------------------------------

_ACTED = {
    "paradoxes": "paradox_choice",
    "valeurs": "value_vote",
    "reves": "reve",
    "pistes": "piste",
    "vote": "support",
}


def facilitate_state(atelier, public_url: str, online: set[int] | frozenset = frozenset()) -> dict:
    """Return the projector's state plus who is there, every piste (hidden ones too) and the links."""
    model = _model(atelier.id)
    with model.lock:
        return _facilitate(model, _screen(model, public_url), online, public_url)


def _facilitate(model, state: dict, online, public_url: str) -> dict:
    atelier = model.atelier
    template = catalog().templates[atelier.template_id]
    kind = current_phase(atelier, template).kind
    acted = {r["participant_id"] for r in model.tables[_ACTED[kind]].values()} if kind in _ACTED else set()
    state["participants"] = [
        {"id": p["id"], "pseudonym": p["pseudonym"], "persona_id": p["persona_id"], "college": p["college"],
         "online": p["id"] in online, "acted": p["id"] in acted}
        for p in model.rows("participant")
    ]
    supporters, _authors = model.counts()
    state["moderation"] = [
        {"id": p["id"], "theme_id": p["theme_id"], "text": p["text"], "horizon": p["horizon"], "hashtags": list(p["hashtags"]),
         "status": p["status"], "merged_into": p["merged_into_id"], "persona_id": p["persona_id"],
         "supports": len(supporters.get(p["id"], ())) if p["status"] == "visible" else None}
        for p in model.rows("piste") if p["status"] != "withdrawn"
    ]
    # The projector shows the latest rêves; the facilitator moderates them all.
    visible = defaultdict(list)
    hidden = []
    for reve in reversed(model.rows("reve")):
        entry = {"id": reve["id"], "theme_id": reve["theme_id"], "text": reve["text"], "persona_id": reve["persona_id"]}
        (hidden if reve["hidden"] else visible[reve["theme_id"]]).append(entry)
    for theme in state["themes"]:
        theme["reves"] = [{k: v for k, v in r.items() if k != "theme_id"} for r in visible[theme["id"]]]
    state["hidden_reves"] = hidden
    state["reviews"] = [
        {"id": c["id"], "engagement_id": c["engagement_id"], "reviewer": c["reviewer"], "opinion": c["opinion"],
         "text": c["text"], "created_at": c["created_at"].isoformat(timespec="minutes")}
        for c in model.rows("review_comment")]

    imported = (atelier.carried or {}).get("ateliers", [])
    state["carry_over"] = [{"id": a.id, "label": origin_label(a), "imported": a.id in imported} for a in earlier_ateliers(atelier)]
    new_token, review_token = demarche_tokens(atelier.demarche_id) if atelier.demarche_id else (None, None)
    state["links"] = {
        "join": f"{public_url}/j/{atelier.join_code}",
        "screen": f"/screen/{atelier.screen_token}",
        "review": f"/synthese/{atelier.review_token}",
        "demarche_synthesis": f"/synthese/{atelier.review_token}?demarche=1" if atelier.demarche_id else None,
        # The démarche's review link: opinions on every atelier's engagements from one page.
        "demarche_review": f"/synthese/{review_token}" if review_token else None,
        # The démarche's secret: whoever holds it may add an atelier to the démarche (and read it through carry-over).
        "demarche_new": f"/?demarche={new_token}" if new_token else None,
    }
    return state


# --- a phone ----------------------------------------------------------------------------------


def participant_state(participant) -> dict:
    """Return what a phone needs: where the atelier is, who I am, what I did, and what to vote on."""
    model = _model(participant.atelier_id)
    with model.lock:
        atelier = model.atelier
        me = model.tables["participant"][participant.id]
        persona = catalog().personas.get(me["persona_id"])
        return {
            "seq": atelier.seq,
            "atelier": {"id": atelier.id, "name": atelier.name, "join_code": atelier.join_code},
            "stage": stage(atelier),
            "me": {"id": me["id"], "pseudonym": me["pseudonym"], "college": me["college"],
                   "language": me["language"], "rejoin_code": me["rejoin_code"],
                   "persona": persona_payload(persona) if persona else None},
            "mine": model.mine(participant.id),
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
