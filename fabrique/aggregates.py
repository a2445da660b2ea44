"""What the projector and the console show, kept as keyed entries and sent as deltas.

Each atelier has one `Publisher` per app: it holds the state last sent to the projector room and
to the console room (a `View` per role), follows the atelier's read model, and at each refresh
recomputes only the entries the rows written since the last one touch — a piste whose own row,
dots, merges or authors changed, the engagements it stands behind, a participant, a rêve — then
the small aggregates those feed (totals, value points, paradox counts, words, each theme's top 5
and coverage). What differs from the published state goes out as one delta per role:

    {"seq": 8, "base": 7, "src": "…",
     "set": {"participation": {…}, "values": […]},                 # top-level values, replaced
     "lists": {"moderation": {"upsert": [entry…], "remove": [id…]}},  # keyed lists, by entry id
     "themes": {"vivre-mieux": {"set": {"top": […], "coverage": {…}},
                                "lists": {"pistes": {"upsert": […], "remove": […]}}}}}

A client whose `seq` is the delta's `base` applies it (live.js: `applyDelta`); any other asks for
a snapshot. A snapshot is the published state itself (`snapshot`), so a client that applies every
delta holds exactly what a fresh snapshot gives. Keyed lists keep one order, the snapshot's:
`LIST_ORDER`. `src` names the process that published: with several processes each keeps its own
published state, and a client follows the one it took its snapshot from.
"""

from __future__ import annotations

import gc
import heapq
import threading
import uuid
from collections import Counter, defaultdict

from flask import current_app

from . import catalog
from .extensions import socketio
from .phases import current_phase
from .readmodel.queries import demarche_tokens, earlier_ateliers, origin_label
from .state import stage, utc_ms

SCREEN, FACILITATE = "screen", "facilitate"
# How each keyed list is ordered in a snapshot (the client keeps the same order).
LIST_ORDER = {"engagements": "engagement", "participants": "id", "moderation": "id", "hidden_reves": "-id",
              "reviews": "id", "pistes": "id", "reves": "-id"}
_LISTS = {SCREEN: ("engagements",), FACILITATE: ("engagements", "participants", "moderation", "hidden_reves", "reviews")}
_THEME_LISTS = {SCREEN: ("pistes",), FACILITATE: ("pistes", "reves")}
_ACTED = {"paradoxes": "paradox_choice", "valeurs": "value_vote", "reves": "reve", "pistes": "piste", "vote": "support"}
_CHUNK = 400  # entries computed between two yields to the other greenlets (a full build of a big atelier)
_WHOLE = 300  # beyond this many pistes to recompute, one count of the whole atelier is cheaper than per tree
_BIG = 2000  # pistes and participants beyond which a full build keeps the garbage collector out (see _rebuild)
_SCREEN_REVES = 12  # the latest rêves of each theme on the projector
_MISSING = object()


def _sort_key(order: str):
    if order == "engagement":
        return lambda e: (e["theme_id"], e["position"], e["id"])
    if order == "-id":
        return lambda e: -e["id"]
    return lambda e: e["id"]


# --- the entries ------------------------------------------------------------------------------


def piste_view(piste: dict, supporters, authors, persona) -> dict:
    """Return a piste as the wall shows it: its dots and its authors' personas counted through merges."""
    return {"id": piste["id"], "text": piste["text"], "horizon": piste["horizon"], "hashtags": list(piste["hashtags"]),
            "persona_id": piste["persona_id"], "supports": len(supporters),
            "author_personas": sorted({persona(a) for a in authors} - {None}), "origin": piste["origin_label"]}


def moderation_entry(piste: dict, supporters) -> dict:
    """Return a piste as the console moderates it (hidden and merged ones too)."""
    return {"id": piste["id"], "theme_id": piste["theme_id"], "text": piste["text"], "horizon": piste["horizon"],
            "hashtags": list(piste["hashtags"]), "status": piste["status"], "merged_into": piste["merged_into_id"],
            "persona_id": piste["persona_id"], "supports": len(supporters) if piste["status"] == "visible" else None}


def engagement_entry(model, engagement: dict, counts, persona) -> dict:
    """Return an engagement with what stands behind it: its pistes, their dots, the personas of their
    authors and supporters (traceability), and the engagement's own supporters."""
    pistes = model.tables["piste"]
    links = sorted(model.children("engagement_piste", "engagement", engagement["id"]), key=lambda r: (r["position"], r["id"]))
    behind, people = [], set()
    for link in links:
        piste = pistes.get(link["piste_id"])
        if piste is None:
            continue
        supporters, authors = counts(piste["id"])
        people |= supporters | authors
        view = piste_view(piste, supporters, authors, persona)
        del view["persona_id"]
        behind.append({**view, "status": piste["status"]})
    backers = {r["participant_id"] for r in model.children("engagement_support", "engagement", engagement["id"])}
    return {"id": engagement["id"], "theme_id": engagement["theme_id"], "title": engagement["title"],
            "purpose": engagement["purpose"], "how": list(engagement["how"]), "position": engagement["position"],
            "pistes": behind, "supporters": len(backers),
            "personas": dict(Counter(persona(p) for p in people if persona(p)))}


def participant_entry(row: dict, online: bool, acted: bool) -> dict:
    return {"id": row["id"], "pseudonym": row["pseudonym"], "persona_id": row["persona_id"], "college": row["college"],
            "online": online, "acted": acted}


def review_entry(row: dict) -> dict:
    return {"id": row["id"], "engagement_id": row["engagement_id"], "reviewer": row["reviewer"], "opinion": row["opinion"],
            "text": row["text"], "created_at": row["created_at"].isoformat(timespec="minutes")}


# --- one role's published state ---------------------------------------------------------------


class View:
    """The state last sent to one role's room, keyed, and the delta being gathered since."""

    def __init__(self, role: str, theme_ids: list[str]):
        self.role = role
        self.theme_ids = theme_ids
        self.values: dict = {}
        self.lists: dict[str, dict[int, dict]] = {name: {} for name in _LISTS[role]}
        self.themes = {t: {"values": {}, "lists": {name: {} for name in _THEME_LISTS[role]}} for t in theme_ids}
        self._delta: dict = {}

    def set(self, name: str, value, theme: str | None = None) -> None:
        """Publish a value (top-level, or of one theme) if it differs from the one sent."""
        values = self.values if theme is None else self.themes[theme]["values"]
        if values.get(name, _MISSING) != value:
            values[name] = value
            self._part(theme)["set"][name] = value

    def put(self, name: str, entry_id: int, entry: dict | None, theme: str | None = None) -> bool:
        """Publish an entry of a keyed list (None removes it); return whether it changed."""
        lists = self.lists if theme is None else self.themes[theme]["lists"]
        if name not in lists:
            return False
        entries = lists[name]
        if entries.get(entry_id) == entry:
            return False
        change = self._part(theme)["lists"].setdefault(name, {"upsert": {}, "remove": set()})
        if entry is None:
            del entries[entry_id]
            change["upsert"].pop(entry_id, None)
            change["remove"].add(entry_id)
        else:
            entries[entry_id] = entry
            change["remove"].discard(entry_id)
            change["upsert"][entry_id] = entry
        return True

    def theme_entries(self, name: str, theme: str) -> dict[int, dict]:
        return self.themes[theme]["lists"].get(name, {})

    def _part(self, theme: str | None) -> dict:
        if theme is None:
            return self._delta.setdefault("top", {"set": {}, "lists": {}})
        return self._delta.setdefault("themes", {}).setdefault(theme, {"set": {}, "lists": {}})

    def take_delta(self, wire: bool = True) -> dict | None:
        """Return the changes gathered since the last call, in the wire format (None: nothing changed)."""
        delta, self._delta = self._delta, {}
        if not wire:
            return None
        out: dict = {}
        top = delta.get("top")
        if top and top["set"]:
            out["set"] = top["set"]
        if top and top["lists"]:
            out["lists"] = {name: _wire(name, c) for name, c in top["lists"].items()}
        themes = {}
        for theme, part in delta.get("themes", {}).items():
            wire = {}
            if part["set"]:
                wire["set"] = part["set"]
            if part["lists"]:
                wire["lists"] = {name: _wire(name, c) for name, c in part["lists"].items()}
            if wire:
                themes[theme] = wire
        if themes:
            out["themes"] = themes
        return out or None

    def state(self) -> dict:
        """Return the published state in the shape the screens read."""
        state = dict(self.values)
        for name, entries in self.lists.items():
            state[name] = sorted(entries.values(), key=_sort_key(LIST_ORDER[name]))
        state["themes"] = [{"id": t, **self.themes[t]["values"],
                            **{name: sorted(entries.values(), key=_sort_key(LIST_ORDER[name]))
                               for name, entries in self.themes[t]["lists"].items()}} for t in self.theme_ids]
        return state


def _wire(name: str, change: dict) -> dict:
    return {"upsert": sorted(change["upsert"].values(), key=_sort_key(LIST_ORDER[name])), "remove": sorted(change["remove"])}


# --- following the model ----------------------------------------------------------------------


class Publisher:
    """One atelier's published projector and console states, refreshed from its read model."""

    def __init__(self, atelier_id: int, source: str):
        self.atelier_id = atelier_id
        self.source = source
        self.lock = threading.RLock()
        self.model = None
        self.seq = 0
        self.views: dict[str, View] = {}
        self.online: frozenset[int] = frozenset()
        self.kind = None
        self._piste_theme: dict[int, str] = {}
        self._reve_theme: dict[int, str] = {}
        self._personas: dict[str, set] = {}
        self._snapshots: dict[str, tuple[int, dict]] = {}

    def refresh(self, model, online, public_url: str) -> dict[str, dict]:
        """Bring both views up to date with `model`; return each changed role's delta (seq and base set)."""
        with self.lock:
            first = self.model is None
            if model is not self.model:
                self._rebuild(model, online, public_url)
            else:
                self._update(model, model.drain(), online, public_url)
            if first:  # nobody holds a state of this stream yet: they all take a snapshot
                for view in self.views.values():
                    view.take_delta(wire=False)
                self.seq += 1
                return {}
            deltas = {role: view.take_delta() for role, view in self.views.items()}
            deltas = {role: delta for role, delta in deltas.items() if delta}
            if deltas:
                base, self.seq = self.seq, self.seq + 1
                for delta in deltas.values():
                    delta.update(seq=self.seq, base=base, src=self.source)
            return deltas

    def snapshot(self, role: str) -> dict:
        """Return the published state of a role (a fresh `server_time`: clients set their clock by it)."""
        with self.lock:
            cached = self._snapshots.get(role)
            if cached is None or cached[0] != self.seq:
                _yield()  # after a refresh: sorting a big atelier's lists is one more stretch
                cached = (self.seq, self.views[role].state())
                self._snapshots[role] = cached
            state = dict(cached[1])
        state.update(seq=self.seq, src=self.source, stage={**state["stage"], "server_time": utc_ms()})
        return state

    # --- what to recompute ---------------------------------------------------------------------

    def _rebuild(self, model, online, public_url: str) -> None:
        """Recompute every entry (the model is new: first use, or rebuilt after a change made elsewhere)."""
        # The model and the views are long-lived: a big atelier's are ~10⁶ objects, which a full
        # collection of the cyclic garbage collector scans (~200 ms at 2,000 people, on the live
        # loop). In a big atelier, none runs during the build; then they are frozen, left out of later collections
        # (rows and entries have no cycles: reference counting frees them).
        big = len(model.tables["piste"]) + len(model.tables["participant"]) > _BIG
        collecting = gc.isenabled()
        if big:
            gc.disable()
        try:
            self._rebuild_all(model, online, public_url)
        finally:
            if big:
                gc.freeze()
            if collecting:
                gc.enable()

    def _rebuild_all(self, model, online, public_url: str) -> None:
        template = catalog().templates[model.atelier.template_id]
        themes = [t.id for t in template.themes]
        if not self.views or self.views[SCREEN].theme_ids != themes:
            self.views = {role: View(role, themes) for role in (SCREEN, FACILITATE)}
            self._piste_theme, self._reve_theme, self._personas = {}, {}, {}
        self.model = model
        model.drain()  # everything is recomputed below; what is written meanwhile is journaled anew
        facilitate = self.views[FACILITATE]
        with model.lock:
            pistes = set(model.tables["piste"]) | set(self._piste_theme) | set(facilitate.lists["moderation"])
            engagements = set(model.tables["engagement"]) | set(facilitate.lists["engagements"])
            participants = set(model.tables["participant"]) | set(facilitate.lists["participants"])
            reves = set(model.tables["reve"]) | set(self._reve_theme) | set(facilitate.lists["hidden_reves"])
            reviews = set(model.tables["review_comment"]) | set(facilitate.lists["reviews"])
        self._compute(model, online, public_url, pistes=pistes, engagements=engagements, participants=participants,
                      reves=reves, reviews=reviews, values=set(_VALUES), atelier=True, whole=True)

    def _update(self, model, journal: dict, online, public_url: str) -> None:
        """Recompute the entries the rows written since the last refresh touch."""
        pistes, engagements, participants, reves, reviews, values = set(), set(), set(), set(), set(), set()
        atelier = False
        with model.lock:
            root, tables = model.root, model.tables
            for (table, row_id), old in journal.items():
                new = tables[table].get(row_id)
                rows = [r for r in (old, new) if r is not None]
                values.update(name for name, source in _VALUES.items() if source == table)
                if table == "atelier":
                    # Every action bumps the atelier's seq: only its other columns are shown.
                    atelier = atelier or old is None or new is None or {**old, "seq": 0} != {**new, "seq": 0}
                elif table == "piste":
                    pistes.update((row_id, root(row_id)))
                    pistes.update(root(r["merged_into_id"]) for r in rows if r["merged_into_id"] is not None)
                elif table == "support":
                    pistes.update(root(r["piste_id"]) for r in rows)
                elif table in ("engagement_piste", "engagement_support"):
                    engagements.update(r["engagement_id"] for r in rows)
                elif table == "engagement":
                    engagements.add(row_id)
                elif table == "reve":
                    reves.add(row_id)
                elif table == "review_comment":
                    reviews.add(row_id)
                elif table == "participant":
                    participants.add(row_id)
                    if old is None or new is None or old["persona_id"] != new["persona_id"]:
                        # Their pistes' authors and the engagements they stand behind show personas.
                        pistes.update(root(r["id"]) for r in model.own("piste", row_id))
                        pistes.update(root(r["piste_id"]) for r in model.own("support", row_id))
                if table in _ACTED.values():
                    participants.update(r["participant_id"] for r in rows if r.get("participant_id") is not None)
            links = model._by_piste["engagement_piste"]
            for piste_id in pistes:
                engagements.update(tables["engagement_piste"][i]["engagement_id"] for i in links.get(piste_id, ()))
        self._compute(model, online, public_url, pistes=pistes, engagements=engagements, participants=participants,
                      reves=reves, reviews=reviews, values=values, atelier=atelier, whole=len(pistes) > _WHOLE)

    # --- recomputing ---------------------------------------------------------------------------

    def _compute(self, model, online, public_url, *, pistes, engagements, participants, reves, reviews, values,
                 atelier: bool, whole: bool) -> None:
        screen, facilitate = self.views[SCREEN], self.views[FACILITATE]
        both = (screen, facilitate)
        with model.lock:
            row = model.atelier
            template = catalog().templates[row.template_id]
            kind = current_phase(row, template).kind
            if kind != self.kind:
                self.kind = kind
                participants = participants | set(model.tables["participant"])
            online = frozenset(online)
            participants = participants | (online ^ self.online)
            self.online = online
            if whole:
                everything = model.counts()
                counts = lambda piste_id: (everything[0].get(piste_id, set()), everything[1].get(piste_id, set()))  # noqa: E731
            else:
                cache: dict = {}
                counts = lambda piste_id: cache.get(piste_id) or cache.setdefault(piste_id, model.piste_counts(piste_id))  # noqa: E731
        people = model.tables["participant"]

        def persona(participant_id):
            return people.get(participant_id, {}).get("persona_id")

        dirty_themes: set[str] = set()
        for chunk in _chunks(sorted(pistes)):
            with model.lock:
                for piste_id in chunk:
                    self._piste(model.tables["piste"].get(piste_id), piste_id, counts, persona, dirty_themes)
            _yield()
        for chunk in _chunks(sorted(engagements)):
            with model.lock:
                for engagement_id in chunk:
                    found = model.tables["engagement"].get(engagement_id)
                    entry = engagement_entry(model, found, counts, persona) if found else None
                    for view in both:
                        view.put("engagements", engagement_id, entry)
            _yield()
        acted_table = _ACTED.get(kind)
        for chunk in _chunks(sorted(participants)):
            with model.lock:
                for participant_id in chunk:
                    found = people.get(participant_id)
                    acted = bool(acted_table and model._own[acted_table].get(participant_id))
                    facilitate.put("participants", participant_id,
                                   participant_entry(found, participant_id in online, acted) if found else None)
            _yield()
        with model.lock:
            for reve_id in sorted(reves):
                self._reve(model.tables["reve"].get(reve_id), reve_id, dirty_themes)
            for review_id in reviews:
                found = model.tables["review_comment"].get(review_id)
                facilitate.put("reviews", review_id, review_entry(found) if found else None)
            for name in values:
                value = _VALUE_BUILDERS[name](model, template)
                for view in both:
                    view.set(name, value)
            if atelier:
                self._atelier(model, template, public_url)
            self._themes(dirty_themes, whole)
        if values or atelier or pistes or engagements or participants or reves or reviews:
            facilitate.set("carry_over", [{"id": a.id, "label": origin_label(a), "imported": a.id in (row.carried or {}).get("ateliers", [])}
                                          for a in earlier_ateliers(row)])

    def _piste(self, piste, piste_id: int, counts, persona, dirty_themes: set) -> None:
        screen, facilitate = self.views[SCREEN], self.views[FACILITATE]
        shown = piste is not None and piste["status"] == "visible"
        supporters, authors = counts(piste_id) if piste is not None else (set(), set())
        before, after = self._piste_theme.get(piste_id), piste["theme_id"] if shown else None
        entry = piste_view(piste, supporters, authors, persona) if shown else None
        if before is not None and before != after:
            for view in (screen, facilitate):
                view.put("pistes", piste_id, None, theme=before)
            dirty_themes.add(before)
            del self._piste_theme[piste_id]
        if after is not None:
            self._piste_theme[piste_id] = after
            for view in (screen, facilitate):
                if view.put("pistes", piste_id, entry, theme=after):
                    dirty_themes.add(after)
        moderated = piste is not None and piste["status"] != "withdrawn"
        facilitate.put("moderation", piste_id, moderation_entry(piste, supporters) if moderated else None)

    def _reve(self, reve, reve_id: int, dirty_themes: set) -> None:
        facilitate = self.views[FACILITATE]
        shown = reve is not None and not reve["hidden"]
        before, after = self._reve_theme.get(reve_id), reve["theme_id"] if shown else None
        if before is not None and before != after:
            facilitate.put("reves", reve_id, None, theme=before)
            dirty_themes.add(before)
            del self._reve_theme[reve_id]
        if after is not None:
            self._reve_theme[reve_id] = after
            if facilitate.put("reves", reve_id, {"id": reve_id, "text": reve["text"], "persona_id": reve["persona_id"]}, theme=after):
                dirty_themes.add(after)
        hidden = reve is not None and reve["hidden"]
        facilitate.put("hidden_reves", reve_id, {"id": reve_id, "theme_id": reve["theme_id"], "text": reve["text"],
                                                 "persona_id": reve["persona_id"]} if hidden else None)

    def _themes(self, dirty: set[str], everything: bool) -> None:
        """Recompute each changed theme's top 5 and rêves, then every theme's coverage (it is relative to the fullest)."""
        screen, facilitate = self.views[SCREEN], self.views[FACILITATE]
        for theme in screen.theme_ids if everything else sorted(dirty):
            pistes = facilitate.theme_entries("pistes", theme)
            top = heapq.nsmallest(5, pistes.values(), key=lambda p: (-p["supports"], p["id"]))
            latest = heapq.nsmallest(_SCREEN_REVES, facilitate.theme_entries("reves", theme).values(), key=lambda r: -r["id"])
            self._personas[theme] = {persona for p in pistes.values() for persona in p["author_personas"]}
            for view in (screen, facilitate):
                view.set("top", top, theme=theme)
            screen.set("reves", latest, theme=theme)
        sizes = {t: len(facilitate.theme_entries("pistes", t)) for t in screen.theme_ids}
        most = max(sizes.values(), default=0)
        for theme, size in sizes.items():
            coverage = {"pistes": size, "share": round(size / most, 3) if most else 0,
                        "personas": len(self._personas.get(theme, ())), "thin": bool(most) and size < max(1, most / 2)}
            for view in (screen, facilitate):
                view.set("coverage", coverage, theme=theme)

    def _atelier(self, model, template, public_url: str) -> None:
        row = model.atelier
        info = {"id": row.id, "name": row.name, "join_code": row.join_code, "join_url": f"{public_url}/j/{row.join_code}",
                "qr_url": f"/qr/{row.join_code}.svg"}
        current = stage(row)
        for view in self.views.values():
            view.set("atelier", info)
            view.set("quota", template.engagements_per_theme)
            view.set("carried_values", (row.carried or {}).get("values", []))
            view.set("after", row.after_text or "")  # "Et après": shown on the closing screen, edited in the console
            if _timeless(view.values.get("stage")) != _timeless(current):  # not for the clock alone
                view.set("stage", current)
        new_token, review_token = demarche_tokens(row.demarche_id) if row.demarche_id else (None, None)
        self.views[FACILITATE].set("links", {
            "join": f"{public_url}/j/{row.join_code}",
            "screen": f"/screen/{row.screen_token}",
            "review": f"/synthese/{row.review_token}",
            "demarche_synthesis": f"/synthese/{row.review_token}?demarche=1" if row.demarche_id else None,
            # The démarche's review link: opinions on every atelier's engagements from one page.
            "demarche_review": f"/synthese/{review_token}" if review_token else None,
            # The démarche's secret: whoever holds it may add an atelier to the démarche (and read it through carry-over).
            "demarche_new": f"/?demarche={new_token}" if new_token else None,
        })


def _timeless(stage: dict | None) -> dict | None:
    return None if stage is None else {k: v for k, v in stage.items() if k != "server_time"}


def _chunks(ids: list, size: int = _CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _yield() -> None:
    """Let the other greenlets run (acks, pings) between two chunks of a long build."""
    socketio.sleep(0)


# --- the small aggregates, recounted whole when their table changed ------------------------------


def _participation(model, _template) -> dict:
    people = model.tables["participant"].values()
    return {"total": len(people), "by_persona": dict(Counter(p["persona_id"] for p in people if p["persona_id"])),
            "by_college": dict(Counter(p["college"] for p in people if p["college"]))}


def _paradoxes(model, template) -> list[dict]:
    counts = Counter(r["paradox_id"] for r in model.tables["paradox_choice"].values())
    return [{"id": p.id, "count": counts[p.id]} for p in sorted(template.paradoxes, key=lambda p: -counts[p.id])]


def _values(model, template) -> list[dict]:
    points, voters = Counter(), defaultdict(set)
    for vote in model.tables["value_vote"].values():
        points[vote["value_id"]] += vote["points"]
        voters[vote["value_id"]].add(vote["participant_id"])
    return [{"id": v.id, "points": points[v.id], "voters": len(voters[v.id])}
            for v in sorted(template.values, key=lambda v: -points[v.id])]


def _words(model, _template) -> list[dict]:
    counts, shown = Counter(), {}
    for word_id in sorted(model.tables["value_word"]):
        word = model.tables["value_word"][word_id]
        counts[word["word_key"]] += 1
        shown.setdefault(word["word_key"], word["word"])
    return [{"word": shown[k], "count": n} for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:60]]


_VALUES = {"participation": "participant", "paradoxes": "paradox_choice", "values": "value_vote", "words": "value_word"}
_VALUE_BUILDERS = {"participation": _participation, "paradoxes": _paradoxes, "values": _values, "words": _words}


# --- the publishers of an app -------------------------------------------------------------------


class Publishers:
    """The publishers of one app, by atelier id, and the name of this process's stream."""

    def __init__(self):
        self.lock = threading.Lock()
        self.by_atelier: dict[int, Publisher] = {}
        self.source = uuid.uuid4().hex[:12]


def publishers() -> Publishers:
    return current_app.extensions.setdefault("fabrique_aggregates", Publishers())


def publisher_for(atelier_id: int) -> Publisher:
    """Return the atelier's publisher, made on first use."""
    registry = publishers()
    with registry.lock:
        found = registry.by_atelier.get(atelier_id)
        if found is None:
            found = registry.by_atelier[atelier_id] = Publisher(atelier_id, registry.source)
        return found


def published() -> list[int]:
    """Return the ateliers whose projector or console state this process publishes."""
    registry = publishers()
    with registry.lock:
        return sorted(registry.by_atelier)


def forget(atelier_id: int) -> None:
    registry = publishers()
    with registry.lock:
        registry.by_atelier.pop(atelier_id, None)
