"""The one place that counts pistes: through merges and carry-over, each person once.

Every reader counts here: the live model of an atelier (the phone's dots, the vote board, the
projector, the console) and the synthesis of an atelier or of a démarche, which builds the same
rows from the database (`rows.load_rows`). An atelier's live counts are the one-atelier case of
the démarche count, so a phone, the projector and an export can never disagree.

Rows in, plain mappings out: a piste row has `id`, `atelier_id`, `status`, `merged_into_id`,
`origin_piste_id`, `participant_id` and `persona_id`; a support row `participant_id` and `piste_id`.

How pistes count (`count_pistes`):
- A piste *counts* when it is proposed ("visible") or merged, and the piste its merges end at is
  proposed. Hidden and withdrawn pistes count for nothing, and neither do their supports.
- Proposals are groups: a merged piste joins the piste it was merged into (in its atelier), and
  a carried copy joins its original (`origin_piste_id`), whichever atelier the merge was made in
  and whichever side was carried. Piste ids are unique across ateliers, so they name the nodes.
- Each group is shown once, by its *representative*: a proposed piste of the latest atelier (a
  carried copy stands for its original); there, the one most pistes were merged into, then the
  oldest. In one atelier, that is the piste its merges end at.
- A group's supporters are the people who placed a dot on any of its pistes, each person once;
  its authors the participants (and personas) who wrote one of its pistes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

COUNTING_STATUSES = ("visible", "merged")


def end_of_merges(piste_id: int, merged_into: Callable[[int], int | None]) -> int:
    """Return the id a piste finally counts under, following `merged_into(id)` (None: not merged)."""
    seen = set()
    while (into := merged_into(piste_id)) is not None and piste_id not in seen:
        seen.add(piste_id)
        piste_id = into
    return piste_id


def merge_roots(parent: Mapping[int, int | None]) -> dict[int, int]:
    """Map every piste id to the id it finally counts under, given each piste's `merged_into` id."""
    return {piste_id: end_of_merges(piste_id, parent.get) for piste_id in parent}


@dataclass
class PisteCounts:
    """The result of `count_pistes`: every mapping is keyed by a group's representative."""

    roots: dict[int, int] = field(default_factory=dict)  # every piste → the end of its merges
    counted_under: dict[int, int] = field(default_factory=dict)  # counting piste → its group's representative
    members: dict[int, list[int]] = field(default_factory=dict)  # representative → every counting piste of the group
    supporters: dict[int, frozenset[int]] = field(default_factory=dict)  # representative → participant ids
    authors: dict[int, frozenset[int]] = field(default_factory=dict)  # representative → participant ids
    author_personas: dict[int, frozenset[str]] = field(default_factory=dict)  # representative → persona ids

    def representative(self, piste_id: int) -> int | None:
        """Return the piste that stands for `piste_id`, or None when it counts for nothing."""
        return self.counted_under.get(piste_id)


def count_pistes(pistes: Iterable[Mapping], supports: Iterable[Mapping], atelier_order: Mapping[int, int]) -> PisteCounts:
    """Group the pistes into proposals and count each proposal's supporters and authors once
    (`atelier_order`: each atelier's rank in its démarche, the latest highest)."""
    by_id = {p["id"]: p for p in pistes}
    roots = merge_roots({i: p["merged_into_id"] for i, p in by_id.items()})
    counting = [p for p in by_id.values() if p["status"] in COUNTING_STATUSES
                and by_id.get(roots[p["id"]]) is not None and by_id[roots[p["id"]]]["status"] == "visible"]

    parent: dict[int, int] = {}

    def find(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    counting_ids = {p["id"] for p in counting}
    for p in counting:
        union(p["id"], roots[p["id"]])
        origin = p["origin_piste_id"]
        if origin is not None:
            # An original that is gone or no longer counts still ties its copies together.
            union(p["id"], roots[origin] if origin in counting_ids else origin)

    absorbed = defaultdict(int)  # how many pistes were merged into each piste, in its own atelier
    for p in counting:
        if roots[p["id"]] != p["id"]:
            absorbed[roots[p["id"]]] += 1
    groups: dict[int, list[Mapping]] = defaultdict(list)
    for p in counting:
        groups[find(p["id"])].append(p)

    result = PisteCounts(roots=roots)
    for group in groups.values():
        shown = [p for p in group if p["status"] == "visible"]
        rep = max(shown, key=lambda p: (atelier_order.get(p["atelier_id"], -1), absorbed[p["id"]], -p["id"]))["id"]
        ids = sorted(p["id"] for p in group)
        result.members[rep] = ids
        for piste_id in ids:
            result.counted_under[piste_id] = rep
        result.authors[rep] = frozenset(p["participant_id"] for p in group if p["participant_id"] is not None)
        result.author_personas[rep] = frozenset(p["persona_id"] for p in group if p["persona_id"])
    supporters: dict[int, set[int]] = defaultdict(set)
    for s in supports:
        rep = result.counted_under.get(s["piste_id"])
        if rep is not None:
            supporters[rep].add(s["participant_id"])
    result.supporters = {rep: frozenset(supporters.get(rep, ())) for rep in result.members}
    return result


def engagement_supporters(rows: Iterable[Mapping]) -> dict[int, frozenset[int]]:
    """Map each engagement id to the people who support it (each person once)."""
    out: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        out[row["engagement_id"]].add(row["participant_id"])
    return {k: frozenset(v) for k, v in out.items()}
