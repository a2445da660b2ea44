"""Build the synthesis document: one plain, JSON-ready dict that every renderer draws from.

`build(atelier)` and `build_for_demarche(demarche)` read the database once (`_snapshot`), then
`_assemble` — a pure function of those snapshots, the template and the replays — shapes the
document whose every field is described in `docs/synthesis.schema.json`. Renderers take the
document only, so the web page, the PDF, the DOCX, the spreadsheets and the JSON cannot disagree.

Choices worth knowing:
- Pistes, supports and engagement supports are counted by `counts` (through merges and
  carry-over, one person once): the same rules for an atelier and a démarche.
- Hidden and withdrawn pistes are not published (moderation and the author's choice are kept):
  only their numbers appear. Merged pistes appear in the annex, pointing at the piste they joined.
- People are never named: rows carry a participant reference ("P12") and the persona, not the
  pseudonym. Reviewers are named, as they sign their opinion.
- `version` is 1 + the sum of the ateliers' `seq` (bumped by every committed change): two exports
  with the same version show the same data; any change gives a higher number.
- The document is in French, the language of the method; interface translations do not apply.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select

from .. import catalog
from ..extensions import db
from ..models import (Atelier, Engagement, EngagementPiste, EngagementSupport, ParadoxChoice, Participant, Piste, ReviewComment,
                      Reve, Support, ValueVote, ValueWord)
from ..vocabulary import words as method_words
from .counts import PisteRow, SupportRow, count_pistes, engagement_supporters, merge_roots

SCHEMA_VERSION = 1
OPINION_LABELS = {"favorable": "Favorable", "reserve": "Réservé", "a_amender": "À amender"}
STATUS_LABELS = {"visible": "proposée", "merged": "fusionnée", "hidden": "masquée", "withdrawn": "retirée"}


# --- reading the database ---------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """Everything one atelier holds that the synthesis shows, read in one go."""

    atelier: Atelier
    participants: list
    value_votes: list
    value_words: list
    paradox_choices: list
    reves: list
    pistes: list
    supports: list
    engagements: list
    links: list
    engagement_supports: list
    reviews: list


def _snapshot(atelier: Atelier) -> Snapshot:
    """Read an atelier's rows (the only function here that touches the database)."""
    aid = atelier.id

    def rows(model, *order):
        return list(db.session.scalars(select(model).where(model.atelier_id == aid).order_by(*(order or (model.id,)))))

    engagements = rows(Engagement, Engagement.position, Engagement.id)
    engagement_ids = [e.id for e in engagements]
    links = list(db.session.scalars(select(EngagementPiste).where(EngagementPiste.engagement_id.in_(engagement_ids))
                                    .order_by(EngagementPiste.position, EngagementPiste.id))) if engagement_ids else []
    engagement_supports = list(db.session.scalars(select(EngagementSupport).where(
        EngagementSupport.engagement_id.in_(engagement_ids)).order_by(EngagementSupport.id))) if engagement_ids else []
    return Snapshot(
        atelier=atelier, participants=rows(Participant), value_votes=rows(ValueVote), value_words=rows(ValueWord),
        paradox_choices=rows(ParadoxChoice), reves=[r for r in rows(Reve) if not r.hidden], pistes=rows(Piste),
        supports=rows(Support), engagements=engagements, links=links,
        engagement_supports=engagement_supports, reviews=rows(ReviewComment, ReviewComment.created_at, ReviewComment.id))


def build(atelier: Atelier, now: datetime | None = None) -> dict:
    """Return the synthesis document of one atelier."""
    template = catalog().templates[atelier.template_id]
    return _assemble("atelier", atelier.name, template, [_snapshot(atelier)], catalog(), now)


def build_for_demarche(demarche, now: datetime | None = None) -> dict:
    """Return one synthesis combining every atelier of a démarche (rows say which atelier they come from)."""
    template = catalog().templates[demarche.template_id]
    snapshots = [_snapshot(a) for a in demarche.ateliers]
    return _assemble("demarche", demarche.name, template, snapshots, catalog(), now)


# --- shaping the document (pure) ----------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=timezone.utc, microsecond=0).isoformat().replace("+00:00", "Z")


def _text_color(background: str) -> str:
    """Return black or white, whichever reads better on `background` (WCAG relative luminance)."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(background[i:i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#ffffff" if (1.05 / (luminance + 0.05)) >= ((luminance + 0.05) / 0.05) else "#000000"


def _ref(participant_id: int | None) -> str | None:
    return f"P{participant_id}" if participant_id is not None else None


def _assemble(kind: str, name: str, template, snapshots: list[Snapshot], cat, now: datetime | None) -> dict:
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    themes_by_id = {t.id: t for t in template.themes}
    theme_index = {t.id: i for i, t in enumerate(template.themes)}
    horizon_labels = {h.id: h.label for h in template.horizons}
    values_by_id = {v.id: v for v in template.values}
    paradoxes_by_id = {p.id: p for p in template.paradoxes}
    template_personas = cat.personas_for(template)

    def persona_label(persona_id: str | None) -> str | None:
        if persona_id is None:
            return None
        persona = cat.personas.get(persona_id)
        return persona.data.label if persona else persona_id

    ateliers = [s.atelier for s in snapshots]
    audience_of = {a.id: a.audience for a in ateliers}
    replays = []
    for atelier in ateliers:
        replay = cat.replays.get((atelier.settings or {}).get("replay"))
        if replay is not None:
            replays.append((atelier, replay))

    # --- cover -----------------------------------------------------------------------------
    # The démarche's timeline: each atelier with its date, audience, format and participants (the
    # sessions a replay publishes, whose participants Fabrique never counted, stand for their atelier).
    timeline = []
    for atelier, snapshot in zip(ateliers, snapshots):
        replay = next((r for a, r in replays if a.id == atelier.id), None)
        if replay is not None and replay.ateliers:
            timeline += [{"atelier_id": atelier.id, "title": s.title, "date": s.date, "audience": s.audience, "format": None,
                          "participants": None} for s in replay.ateliers]
        else:
            timeline.append({"atelier_id": atelier.id, "title": atelier.name,
                             "date": atelier.held_on or atelier.created_at.date().isoformat(), "audience": atelier.audience,
                             "format": _format_title(template, atelier.format_id), "participants": len(snapshot.participants)})
    timeline.sort(key=lambda entry: entry["date"] or "9999")
    sessions = [{key: entry[key] for key in ("atelier_id", "title", "date", "audience")} for entry in timeline]
    version = 1 + sum(a.seq for a in ateliers)
    version_at = _iso(max(a.changed_at or a.created_at for a in ateliers))
    cover = {
        "title": "Synthèse des ateliers" if len(sessions) > 1 else "Synthèse de l'atelier",
        "method": template.title,
        "territory": template.territory,
        "organisation": template.organisation,
        "name": name,
        "demarche": ateliers[0].demarche.name if ateliers and ateliers[0].demarche is not None else None,
        "sessions": sessions,
        "dates": sorted({s["date"] for s in sessions if s["date"]}),
        "audiences": list(dict.fromkeys(s["audience"] for s in sessions if s["audience"])),
        "generated_at": _iso(now),
        "version": version,
        "version_at": version_at,
    }

    # --- participation ---------------------------------------------------------------------
    participants = [p for s in snapshots for p in s.participants]
    persona_counts = Counter(p.persona_id for p in participants)
    known_personas = [p.id for p in template_personas]
    by_persona = [{"persona_id": pid, "label": persona_label(pid), "count": persona_counts.get(pid, 0)} for pid in known_personas]
    by_persona += [{"persona_id": pid, "label": persona_label(pid), "count": n}
                   for pid, n in sorted(persona_counts.items(), key=lambda kv: str(kv[0])) if pid is not None and pid not in known_personas]
    college_counts = Counter(p.college for p in participants if p.college)
    colleges = list(template.colleges) + sorted(c for c in college_counts if c not in template.colleges)
    participation = {
        "total": len(participants),
        "by_persona": by_persona,
        "without_persona": persona_counts.get(None, 0),
        "by_college": [{"college": c, "count": college_counts.get(c, 0)} for c in colleges],
        "without_college": sum(1 for p in participants if not p.college),
        "by_atelier": [{"atelier_id": s.atelier.id, "name": s.atelier.name, "audience": s.atelier.audience,
                        "count": len(s.participants)} for s in snapshots],
        "contributors": {
            "paradoxes": len({(s.atelier.id, c.participant_id) for s in snapshots for c in s.paradox_choices}),
            "values": len({(s.atelier.id, v.participant_id) for s in snapshots for v in s.value_votes}),
            "reves": len({(s.atelier.id, r.participant_id) for s in snapshots for r in s.reves if r.participant_id}),
            "pistes": len({(s.atelier.id, p.participant_id) for s in snapshots for p in s.pistes
                           if p.participant_id and p.status != "withdrawn"}),
            "supports": len({(s.atelier.id, v.participant_id) for s in snapshots for v in s.supports}),
        },
        "totals": {
            "pistes": None,  # set once the pistes are counted below
            "reves": sum(len(s.reves) for s in snapshots),
            "engagements": sum(len(s.engagements) for s in snapshots),
            "value_points": sum(v.points for s in snapshots for v in s.value_votes),
            "paradox_choices": sum(len(s.paradox_choices) for s in snapshots),
            "supports": sum(len(s.supports) for s in snapshots),
        },
    }

    # --- values ----------------------------------------------------------------------------
    points, voters, words, shown = Counter(), defaultdict(set), defaultdict(Counter), {}
    for s in snapshots:
        for vote in s.value_votes:
            points[vote.value_id] += vote.points
            voters[vote.value_id].add((s.atelier.id, vote.participant_id))
        for word in s.value_words:
            words[word.value_id][word.word_key] += 1
            shown.setdefault((word.value_id, word.word_key), word.word)
    order = [v.id for v in template.values]
    # Rankings carried over from ateliers outside this document; an atelier of the démarche counts
    # by its own votes here, so what it handed over is not added a second time.
    in_document = {a.id for a in ateliers}
    imported = [{"atelier_id": c["atelier_id"], "label": c["label"],
                 "ranking": [{"value_id": r["value_id"], "label": values_by_id[r["value_id"]].label
                              if r["value_id"] in values_by_id else r["value_id"], "points": r["points"]} for r in c["ranking"]]}
                for a in ateliers for c in (a.carried or {}).get("values", []) if c["atelier_id"] not in in_document]
    replay_ranking = next((list(r.values_ranking) for _a, r in replays if r.values_ranking), [])
    basis = "votes"
    if not sum(points.values()) and any(c["ranking"] for c in imported):
        basis = "imported"
        for c in imported:
            for r in c["ranking"]:
                points[r["value_id"]] += r["points"]
    if sum(points.values()):
        ranked = sorted(order, key=lambda v: (-points[v], order.index(v)))
        rank = {}
        for value_id in ranked:  # equal points share a rank
            rank[value_id] = next((rank[o] for o in rank if points[o] == points[value_id]), len(rank) + 1)
    elif replay_ranking:
        basis = "replay"
        ranked = [v for v in replay_ranking if v in values_by_id] + [v for v in order if v not in replay_ranking]
        rank = {v: i + 1 for i, v in enumerate(replay_ranking) if v in values_by_id}
    else:
        basis, ranked, rank = "none", order, {}
    total_points = sum(points.values())
    values = {
        "basis": basis,
        "total_points": total_points,
        "voters": len({voter for vs in voters.values() for voter in vs}),
        "imported": imported,
        "items": [{
            "id": v, "rank": rank.get(v), "label": values_by_id[v].label, "description": values_by_id[v].description,
            "ideas": list(values_by_id[v].ideas), "points": points[v], "voters": len(voters[v]),
            "share": round(points[v] / total_points, 4) if total_points else 0,
            "words": [{"word": shown[(v, k)], "count": n} for k, n in sorted(words[v].items(), key=lambda kv: (-kv[1], kv[0]))],
        } for v in ranked],
    }

    # --- paradoxes -------------------------------------------------------------------------
    choices = Counter(c.paradox_id for s in snapshots for c in s.paradox_choices)
    porder = [p.id for p in template.paradoxes]
    replay_paradoxes = next((list(r.retained_paradoxes) for _a, r in replays if r.retained_paradoxes), [])
    if sum(choices.values()):
        pbasis = "choices"
        pranked = sorted(porder, key=lambda p: (-choices[p], porder.index(p)))
        retained = {p for p in porder if choices[p]}
    elif replay_paradoxes:
        pbasis = "replay"
        pranked = [p for p in replay_paradoxes if p in paradoxes_by_id] + [p for p in porder if p not in replay_paradoxes]
        retained = set(replay_paradoxes)
    else:
        pbasis, pranked, retained = "none", porder, set()
    prank = {p: i + 1 for i, p in enumerate([p for p in pranked if p in retained])}
    paradoxes = {
        "basis": pbasis,
        "choosers": participation["contributors"]["paradoxes"],
        "items": [{
            "id": p, "rank": prank.get(p), "retained": p in retained, "title": paradoxes_by_id[p].title,
            "atout": paradoxes_by_id[p].atout, "defi": paradoxes_by_id[p].defi, "figures": list(paradoxes_by_id[p].figures),
            "choices": choices[p],
        } for p in pranked],
    }

    # --- pistes, counted once per proposal (merges and carry-over: see counts.py) ---------
    counts = count_pistes(
        [PisteRow(p.id, s.atelier.id, p.status, p.merged_into_id, p.origin_piste_id, p.participant_id, p.persona_id)
         for s in snapshots for p in s.pistes],
        [SupportRow(x.participant_id, x.piste_id) for s in snapshots for x in s.supports],
        {s.atelier.id: i for i, s in enumerate(snapshots)})
    participation["totals"]["pistes"] = len(counts.members)
    piste_rows: dict[int, dict] = {}
    excluded = Counter()
    for s in snapshots:
        roots = merge_roots(s.pistes)
        for p in s.pistes:
            if p.status in ("hidden", "withdrawn"):
                excluded[p.status] += 1
                continue
            standing = counts.representative(p.id)
            if p.status == "visible" and standing != p.id:
                continue  # another piste stands for it (a carried copy for its original)
            piste_rows[p.id] = {
                "id": p.id, "atelier_id": s.atelier.id, "audience": s.atelier.audience,
                "theme_id": p.theme_id, "theme": themes_by_id[p.theme_id].title if p.theme_id in themes_by_id else p.theme_id,
                "text": p.text, "horizon": p.horizon, "horizon_label": horizon_labels.get(p.horizon, p.horizon),
                "hashtags": list(p.hashtags or []),
                "supports": len(counts.supporters[p.id]) if p.status == "visible" else 0,
                "persona_id": p.persona_id, "persona": persona_label(p.persona_id),
                "author_personas": [{"persona_id": pid, "label": persona_label(pid)} for pid in sorted(counts.author_personas[p.id])]
                if p.status == "visible" else [],
                "status": p.status, "status_label": STATUS_LABELS[p.status],
                # the piste it finally counts under (its merges' end when that counts for nothing)
                "merged_into": (standing or roots[p.id]) if p.status == "merged" else None,
                "engagement_id": None, "origin": p.origin_label, "created_at": _iso(p.created_at),
            }

    # --- engagements -----------------------------------------------------------------------
    reviews_by_engagement = defaultdict(list)
    for s in snapshots:
        for c in s.reviews:
            reviews_by_engagement[c.engagement_id].append(c)
    supporters_of = engagement_supporters([e for s in snapshots for e in s.engagement_supports])
    persona_of = {p.id: p.persona_id for s in snapshots for p in s.participants}
    persona_of.update({e.participant_id: e.persona_id for s in snapshots for e in s.engagement_supports})

    engagements_by_theme = defaultdict(list)
    all_engagements = []
    for s in snapshots:
        linked = defaultdict(list)
        for link in s.links:
            linked[link.engagement_id].append(link.piste_id)
        for e in sorted(s.engagements, key=lambda e: (theme_index.get(e.theme_id, len(theme_index)), e.position, e.id)):
            pistes = []
            for piste_id in linked[e.id]:
                row = piste_rows.get(counts.representative(piste_id))
                if row is not None and row not in pistes:
                    row["engagement_id"] = e.id  # a later atelier's engagement takes over an earlier one's piste
                    pistes.append(row)
            supporters = supporters_of.get(e.id, frozenset())
            personas = Counter(persona_of[pid] for pid in supporters if persona_of.get(pid))
            opinions = Counter(c.opinion for c in reviews_by_engagement[e.id] if c.opinion)
            item = {
                "id": e.id, "atelier_id": s.atelier.id, "theme_id": e.theme_id, "number": None, "position": e.position,
                "title": e.title, "purpose": e.purpose or "", "how": list(e.how or []),
                "piste_count": len(pistes), "pistes": pistes,
                "supports": len(supporters),
                "supporters_by_persona": [{"persona_id": pid, "label": persona_label(pid), "count": n}
                                          for pid, n in sorted(personas.items(), key=lambda kv: (-kv[1], kv[0]))],
                "reviews": {k: opinions.get(k, 0) for k in OPINION_LABELS} | {"comments": len(reviews_by_engagement[e.id])},
            }
            engagements_by_theme[e.theme_id].append(item)
            all_engagements.append(item)
    # Pistes merged into a piste that stands behind an engagement point at it too.
    for row in piste_rows.values():
        if row["status"] == "merged" and row["merged_into"] is not None:
            kept = piste_rows.get(row["merged_into"])
            row["engagement_id"] = kept["engagement_id"] if kept else None

    reves_by_theme = defaultdict(list)
    for s in snapshots:
        for r in s.reves:
            reves_by_theme[r.theme_id].append({"id": r.id, "atelier_id": s.atelier.id, "text": r.text,
                                               "persona_id": r.persona_id, "persona": persona_label(r.persona_id)})

    themes = []
    for i, theme in enumerate(template.themes, start=1):
        items = engagements_by_theme[theme.id]
        for j, item in enumerate(items, start=1):
            item["number"] = f"{i}.{j}"
        in_theme = [r for r in piste_rows.values() if r["theme_id"] == theme.id and r["status"] == "visible"]
        color = theme.color or "#3b5b92"
        themes.append({
            "id": theme.id, "number": i, "title": theme.title, "subtitle": theme.subtitle, "defi": theme.defi,
            "description": theme.description, "questions": list(theme.questions), "tags": list(theme.tags),
            "objectives": [{"id": o.id, "title": o.title, "description": o.description} for o in theme.objectives],
            "color": color, "text_color": _text_color(color),
            "reves": reves_by_theme[theme.id],
            "piste_count": len(in_theme),
            "unlinked_piste_count": sum(1 for r in in_theme if r["engagement_id"] is None),
            "engagements": items,
        })

    # --- through each persona's eyes -------------------------------------------------------
    lens = []
    persona_points = defaultdict(Counter)
    for s in snapshots:
        for vote in s.value_votes:
            if vote.persona_id:
                persona_points[vote.persona_id][vote.value_id] += vote.points
    persona_choices = defaultdict(Counter)
    for s in snapshots:
        for c in s.paradox_choices:
            if c.persona_id:
                persona_choices[c.persona_id][c.paradox_id] += 1
    persona_supports = Counter(sup.persona_id for s in snapshots for sup in s.supports if sup.persona_id)
    persona_reves = Counter(r["persona_id"] for rs in reves_by_theme.values() for r in rs if r["persona_id"])
    lens_ids = known_personas + sorted({pid for pid in list(persona_counts) + [r["persona_id"] for r in piste_rows.values()]
                                        if pid and pid not in known_personas})
    for pid in lens_ids:
        persona = cat.personas.get(pid)
        own = [r for r in piste_rows.values() if r["persona_id"] == pid and r["status"] == "visible"]
        entry = {
            "persona_id": pid, "label": persona_label(pid),
            "name": persona.data.name if persona else None,
            "color": persona.data.color if persona else "#3b5b92",
            "quote": persona.data.quote if persona else None,
            "illustration": f"/personas/{pid}.svg" if persona else None,
            "participants": persona_counts.get(pid, 0),
            "values": [{"value_id": v, "label": values_by_id[v].label if v in values_by_id else v, "points": n}
                       for v, n in sorted(persona_points[pid].items(), key=lambda kv: (-kv[1], order.index(kv[0]) if kv[0] in order else 99))],
            "paradoxes": [{"paradox_id": p, "title": paradoxes_by_id[p].title if p in paradoxes_by_id else p, "choices": n}
                          for p, n in sorted(persona_choices[pid].items(), key=lambda kv: (-kv[1], porder.index(kv[0]) if kv[0] in porder else 99))],
            "pistes": [{"id": r["id"], "atelier_id": r["atelier_id"], "theme_id": r["theme_id"], "theme": r["theme"], "text": r["text"],
                        "horizon": r["horizon"], "supports": r["supports"]}
                       for r in sorted(own, key=lambda r: (theme_index.get(r["theme_id"], 99), -r["supports"], r["id"]))],
            "reves": persona_reves.get(pid, 0),
            "supports_given": persona_supports.get(pid, 0),
        }
        if entry["participants"] or entry["values"] or entry["paradoxes"] or entry["pistes"] or entry["reves"]:
            lens.append(entry)

    # --- annexes ---------------------------------------------------------------------------
    annex_pistes = sorted(piste_rows.values(), key=lambda r: (
        theme_index.get(r["theme_id"], len(theme_index)), r["status"] != "visible", -r["supports"], r["atelier_id"], r["id"]))
    titles = {e["id"]: e for e in all_engagements}
    review_groups = []
    for engagement_id in [None] + [e["id"] for e in all_engagements]:
        comments = reviews_by_engagement.get(engagement_id)
        if not comments:
            continue
        e = titles.get(engagement_id)
        review_groups.append({
            "engagement_id": engagement_id, "engagement_number": e["number"] if e else None,
            "engagement_title": e["title"] if e else None,
            "counts": {k: sum(1 for c in comments if c.opinion == k) for k in OPINION_LABELS},
            "comments": [{"id": c.id, "atelier_id": c.atelier_id, "reviewer": c.reviewer, "opinion": c.opinion,
                          "opinion_label": OPINION_LABELS.get(c.opinion) if c.opinion else None, "text": c.text,
                          "created_at": _iso(c.created_at)} for c in comments],
        })

    def mark(s, row, **fields):
        return {"atelier_id": s.atelier.id, "audience": audience_of[s.atelier.id], "participant": _ref(row.participant_id),
                "persona_id": row.persona_id, "persona": persona_label(row.persona_id), **fields, "created_at": _iso(row.created_at)}

    annexes = {
        "pistes": annex_pistes,
        "excluded": {"hidden": excluded["hidden"], "withdrawn": excluded["withdrawn"]},
        "value_votes": [mark(s, v, value_id=v.value_id, value=values_by_id[v.value_id].label if v.value_id in values_by_id else v.value_id,
                             points=v.points) for s in snapshots for v in s.value_votes],
        "value_words": [mark(s, w, value_id=w.value_id, value=values_by_id[w.value_id].label if w.value_id in values_by_id else w.value_id,
                             word=w.word) for s in snapshots for w in s.value_words],
        "paradox_choices": [mark(s, c, paradox_id=c.paradox_id, paradox=paradoxes_by_id[c.paradox_id].title
                                 if c.paradox_id in paradoxes_by_id else c.paradox_id) for s in snapshots for c in s.paradox_choices],
        "supports": [],
        "engagement_supports": [mark(s, e, engagement_id=e.engagement_id) for s in snapshots for e in s.engagement_supports],
        "reviews": review_groups,
    }
    for s in snapshots:
        roots = merge_roots(s.pistes)
        for sup in s.supports:
            standing = counts.representative(sup.piste_id)
            annexes["supports"].append(mark(s, sup, piste_id=sup.piste_id, counted_under=standing or roots.get(sup.piste_id, sup.piste_id),
                                            counted=standing is not None))

    return {
        "schema_version": SCHEMA_VERSION,
        "kind": kind,
        "language": "fr",
        "generated_at": _iso(now),
        "version": version,
        "version_at": version_at,
        "template": {
            "id": template.id, "title": template.title, "territory": template.territory,
            "organisation": template.organisation, "year": template.year, "summary": template.summary,
            "source": template.source, "vocabulary": method_words(template),
            "engagements_per_theme": template.engagements_per_theme,
        },
        "cover": cover,
        "timeline": timeline,
        "replays": [{"atelier_id": a.id, "id": r.id, "title": r.title, "summary": r.summary} for a, r in replays],
        "ateliers": [{"id": a.id, "name": a.name, "audience": a.audience, "held_on": a.held_on,
                      "format_id": a.format_id, "format": _format_title(template, a.format_id),
                      "is_demo": bool(a.is_demo), "participants": len(s.participants)} for a, s in zip(ateliers, snapshots)],
        "personas": [{"id": p.id, "name": p.data.name, "label": p.data.label, "color": p.data.color, "age": p.data.age,
                      "commune": p.data.commune, "occupation": p.data.occupation, "quote": p.data.quote,
                      "illustration": f"/personas/{p.id}.svg"} for p in template_personas],
        "horizons": [{"id": h.id, "label": h.label, "description": h.description} for h in template.horizons],
        "participation": participation,
        "values": values,
        "paradoxes": paradoxes,
        "themes": themes,
        "lens": lens,
        "after": _after(ateliers),
        "annexes": annexes,
    }


def _after(ateliers: list) -> list[dict]:
    """Return each atelier's "Et après" in the démarche's timeline order (ateliers that wrote none are left out)."""
    dated = sorted(ateliers, key=lambda a: (a.held_on or a.created_at.date().isoformat(), a.id))
    return [{"atelier_id": a.id, "title": a.name, "audience": a.audience, "date": a.held_on or a.created_at.date().isoformat(),
             "text": a.after_text} for a in dated if (a.after_text or "").strip()]


def _format_title(template, format_id: str) -> str | None:
    try:
        return template.format(format_id).title
    except KeyError:
        return None
