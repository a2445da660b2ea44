"""One atelier held in memory: its rows, indexed for what screens ask, and its counts.

Pistes are counted by `counting`, the code the synthesis counts with (this atelier alone is the
one-atelier case of a démarche): a piste merged into another counts under the kept one, and a
person who supported both counts once; a piste's authors count the same way. The counts
are derived lazily and kept until a piste or a support changes, so a burst of actions between
two projector refreshes costs one recount, and a phone's own state never needs one: its dots
are the kept pistes its supports count under, found by following each one's merges.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from types import SimpleNamespace

from .counting import PisteCounts, count_pistes, end_of_merges

# Tables whose rows belong to one participant: what `mine` is made of.
OWNED = ("paradox_choice", "value_vote", "value_word", "reve", "piste", "support", "engagement_support")
_RECOUNT = {"piste", "support", "participant"}
_ALL_PARTS = {"paradoxes", "values", "words", "reves", "pistes", "supports", "engagement_supports"}


class AtelierModel:
    """The rows of one atelier, updated from each committed change, and what is derived from them."""

    def __init__(self, rows: dict[str, dict[int, dict]]):
        self.lock = threading.RLock()
        self.tables: dict[str, dict[int, dict]] = defaultdict(dict)
        self._own: dict[str, dict[int, set[int]]] = {table: defaultdict(set) for table in OWNED}
        self._counts = None
        # Indexes for what a refresh recomputes: the pistes merged into each piste, the supports
        # and engagement links on each piste, an engagement's links and supports.
        self._children: dict[int, set[int]] = defaultdict(set)
        self._by_piste: dict[str, dict[int, set[int]]] = {"support": defaultdict(set), "engagement_piste": defaultdict(set)}
        self._by_engagement: dict[str, dict[int, set[int]]] = {"engagement_piste": defaultdict(set),
                                                               "engagement_support": defaultdict(set)}
        # Every row written since the last `drain`, with what it was then (None: a new row).
        self._journal: dict[tuple[str, int], dict | None] = {}
        for table, by_id in rows.items():
            for row in by_id.values():
                self.put(table, row)
        self._journal.clear()

    # --- keeping it up to date ------------------------------------------------------------------

    def put(self, table: str, row: dict) -> None:
        """Insert or replace one committed row."""
        with self.lock:
            old = self.tables[table].get(row["id"])
            self._journal.setdefault((table, row["id"]), old)
            if old is not None:
                self._unindex(table, old)
            self.tables[table][row["id"]] = row
            self._index(table, row)
            if table in _RECOUNT:
                self._counts = None

    def drop(self, table: str, row_id: int) -> None:
        """Remove one committed row, and what the database removed with it (an engagement's links and supports)."""
        with self.lock:
            old = self.tables[table].pop(row_id, None)
            if old is not None:
                self._journal.setdefault((table, row_id), old)
                self._unindex(table, old)
            if table == "engagement":
                for child in ("engagement_piste", "engagement_support"):
                    for child_id in list(self._by_engagement[child].get(row_id, ())):
                        self.drop(child, child_id)
            if table in _RECOUNT:
                self._counts = None

    def _buckets(self, table: str, row: dict):
        """Yield the index sets that hold `row`'s id (one list, so indexing and unindexing agree)."""
        if table in self._own and row.get("participant_id") is not None:
            yield self._own[table][row["participant_id"]]
        if table == "piste" and row["merged_into_id"] is not None:
            yield self._children[row["merged_into_id"]]
        if table in self._by_piste:
            yield self._by_piste[table][row["piste_id"]]
        if table in self._by_engagement:
            yield self._by_engagement[table][row["engagement_id"]]

    def _index(self, table: str, row: dict) -> None:
        for bucket in self._buckets(table, row):
            bucket.add(row["id"])

    def _unindex(self, table: str, row: dict) -> None:
        for bucket in self._buckets(table, row):
            bucket.discard(row["id"])

    def drain(self) -> dict[tuple[str, int], dict | None]:
        """Return every (table, id) written since the last drain, with the row as it was then, and start afresh."""
        with self.lock:
            journal, self._journal = self._journal, {}
            return journal

    # --- reading --------------------------------------------------------------------------------

    @property
    def atelier(self) -> SimpleNamespace:
        """Return the atelier's own row, read like the ORM object (`atelier.phase_index`…)."""
        (row,) = self.tables["atelier"].values()
        return SimpleNamespace(**row)

    @property
    def seq(self) -> int:
        (row,) = self.tables["atelier"].values()
        return row["seq"]

    def rows(self, table: str) -> list[dict]:
        """Return a table's rows in id order."""
        by_id = self.tables[table]
        return [by_id[i] for i in sorted(by_id)]

    def own(self, table: str, participant_id: int) -> list[dict]:
        """Return one participant's rows of an owned table, in id order."""
        by_id = self.tables[table]
        return [by_id[i] for i in sorted(self._own[table].get(participant_id, ()))]

    def counts(self) -> tuple[dict[int, frozenset[int]], dict[int, frozenset[int]]]:
        """Return each kept piste's supporters and authors (merges and one-person-once included)."""
        counted = self.counted()
        return counted.supporters, counted.authors

    def counted(self) -> PisteCounts:
        """Return the atelier's pistes counted as the synthesis counts them (`counting`: the one-atelier case)."""
        with self.lock:
            if self._counts is None:
                atelier_id = self.atelier.id
                self._counts = count_pistes(self.tables["piste"].values(), self.tables["support"].values(), {atelier_id: 0})
            return self._counts

    def piste_counts(self, piste_id: int) -> tuple[set[int], set[int]]:
        """Return one piste's supporters and authors through merges, counting only its own merge tree
        (what `counts()` gives for it, at the cost of that tree: empty for a piste merged away)."""
        with self.lock:
            pistes = self.tables["piste"]
            if piste_id not in pistes or pistes[piste_id]["merged_into_id"] is not None:
                return set(), set()
            tree, frontier = {piste_id}, [piste_id]
            while frontier:
                for child in self._children.get(frontier.pop(), ()):
                    if child not in tree:
                        tree.add(child)
                        frontier.append(child)
            supports = self.tables["support"]
            counted = count_pistes([pistes[p] for p in tree], [supports[s] for p in tree for s in self._by_piste["support"].get(p, ())],
                                   {self.atelier.id: 0})
            return set(counted.supporters.get(piste_id, ())), set(counted.authors.get(piste_id, ()))

    def children(self, table: str, parent: str, parent_id: int) -> list[dict]:
        """Return the rows of `table` (support, engagement_piste, engagement_support) under one piste or
        engagement (`parent` is "piste" or "engagement"), in id order."""
        index = (self._by_piste if parent == "piste" else self._by_engagement)[table]
        by_id = self.tables[table]
        return [by_id[i] for i in sorted(index.get(parent_id, ()))]

    def root(self, piste_id: int) -> int:
        """Return the id of the kept piste a piste counts under, following its merges."""
        pistes = self.tables["piste"]
        return end_of_merges(piste_id, lambda i: pistes[i]["merged_into_id"] if i in pistes else None)

    def dots(self, participant_id: int) -> set[int]:
        """Return the kept pistes a participant's dots stand on (two dots merged into one stand once)."""
        with self.lock:
            return {self.root(r["piste_id"]) for r in self.own("support", participant_id)}

    def supporters_under(self, piste_ids) -> set[int]:
        """Return the participants with a dot on one of `piste_ids` or on a piste merged into one of them."""
        wanted, pistes = set(piste_ids), self.tables["piste"]
        found = set()
        with self.lock:
            for support in self.tables["support"].values():
                piste_id, seen = support["piste_id"], set()
                while piste_id is not None and piste_id not in seen:
                    if piste_id in wanted:
                        found.add(support["participant_id"])
                        break
                    seen.add(piste_id)
                    piste_id = pistes[piste_id]["merged_into_id"] if piste_id in pistes else None
        return found

    def mine(self, participant_id: int, parts=None, pistes=None) -> dict:
        """Return a participant's own contributions, all of them or only the `parts` named.

        With `pistes` (ids of the participant's pistes that changed), the pistes part is only what
        changed, as the board's changes are (`pistes_changed`: entries added or replaced, ids
        removed): a phone holding 40 pistes is not sent all 40 for each one it adds.
        """
        with self.lock:
            wanted = _ALL_PARTS if parts is None else set(parts)
            out = {}
            if "paradoxes" in wanted:
                out["paradoxes"] = sorted(r["paradox_id"] for r in self.own("paradox_choice", participant_id))
            if "values" in wanted:
                out["values"] = {r["value_id"]: r["points"] for r in self.own("value_vote", participant_id)}
            if "words" in wanted:
                out["words"] = [{"id": r["id"], "value_id": r["value_id"], "word": r["word"]}
                                for r in self.own("value_word", participant_id)]
            if "reves" in wanted:
                out["reves"] = [{"id": r["id"], "theme_id": r["theme_id"], "text": r["text"], "hidden": r["hidden"]}
                                for r in self.own("reve", participant_id)]
            if "pistes" in wanted and pistes is not None:
                rows = [self.tables["piste"].get(piste_id) for piste_id in sorted(pistes)]
                shown = [p for p in rows if p is not None and p["status"] != "withdrawn"]
                out["pistes_changed"] = {"upsert": [_own_piste(p) for p in shown],
                                         "remove": sorted(set(pistes) - {p["id"] for p in shown})}
            elif "pistes" in wanted:
                out["pistes"] = [_own_piste(p) for p in self.own("piste", participant_id) if p["status"] != "withdrawn"]
            if "supports" in wanted:
                out["supports"] = sorted(self.dots(participant_id))
            if "engagement_supports" in wanted:
                out["engagement_supports"] = sorted(r["engagement_id"] for r in self.own("engagement_support", participant_id))
            return out


def _own_piste(p: dict) -> dict:
    """Return one of a participant's pistes as their phone lists it."""
    return {"id": p["id"], "theme_id": p["theme_id"], "text": p["text"], "horizon": p["horizon"],
            "hashtags": list(p["hashtags"]), "status": p["status"], "merged_into": p["merged_into_id"]}
