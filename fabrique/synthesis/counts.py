"""Who and what counts in a synthesis, from plain rows: the one place that counts pistes through
merges and carry-over, supports once per person, and engagement supports.

The interface is rows in, plain mappings out, so that a read model built from the database (or
kept in memory from committed changes) can serve it unchanged.

How a démarche counts (`count_pistes`):
- A piste *counts* when it is proposed ("visible") or merged, and the piste its merges end at is
  proposed. Hidden and withdrawn pistes count for nothing, and neither do their supports.
- Proposals are groups: a merged piste joins the piste it was merged into (in its atelier), and
  a carried copy joins its original (`origin_piste_id`), whichever atelier the merge was made in
  and whichever side was carried. Piste ids are unique across ateliers, so they name the nodes.
- Each group is shown once, by its *representative*: a proposed piste of the latest atelier (a
  carried copy stands for its original); there, the one most pistes were merged into, then the
  oldest.
- A group's supporters are the people who placed a dot on any of its pistes, each person once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..state import merge_roots  # the live screens' own: both count through merges alike

COUNTING_STATUSES = ("visible", "merged")


@dataclass(frozen=True)
class PisteRow:
    id: int
    atelier_id: int
    status: str
    merged_into_id: int | None = None
    origin_piste_id: int | None = None
    participant_id: int | None = None
    persona_id: str | None = None


@dataclass(frozen=True)
class SupportRow:
    participant_id: int
    piste_id: int


@dataclass
class PisteCounts:
    """The result of `count_pistes`."""

    counted_under: dict[int, int] = field(default_factory=dict)  # counting piste → its group's representative
    members: dict[int, list[int]] = field(default_factory=dict)  # representative → every counting piste of the group
    supporters: dict[int, frozenset[int]] = field(default_factory=dict)  # representative → participant ids
    author_personas: dict[int, frozenset[str]] = field(default_factory=dict)  # representative → persona ids

    def representative(self, piste_id: int) -> int | None:
        """Return the piste that stands for `piste_id`, or None when it counts for nothing."""
        return self.counted_under.get(piste_id)


def count_pistes(pistes: list[PisteRow], supports: list[SupportRow], atelier_order: dict[int, int]) -> PisteCounts:
    """Group the pistes into proposals and count each proposal's supporters and authors once."""
    by_id = {p.id: p for p in pistes}
    roots = merge_roots(pistes)
    counting = [p for p in pistes if p.status in COUNTING_STATUSES
                and by_id.get(roots[p.id]) is not None and by_id[roots[p.id]].status == "visible"]

    parent: dict[int, int] = {}

    def find(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    counting_ids = {p.id for p in counting}
    for p in counting:
        union(p.id, roots[p.id])
        if p.origin_piste_id is not None:
            # An original that is gone or no longer counts still ties its copies together.
            origin = p.origin_piste_id
            union(p.id, roots[origin] if origin in counting_ids else origin)

    absorbed = defaultdict(int)  # how many pistes were merged into each piste, in its own atelier
    for p in counting:
        if roots[p.id] != p.id:
            absorbed[roots[p.id]] += 1
    groups: dict[int, list[PisteRow]] = defaultdict(list)
    for p in counting:
        groups[find(p.id)].append(p)

    result = PisteCounts()
    for members in groups.values():
        shown = [p for p in members if p.status == "visible"]
        rep = max(shown, key=lambda p: (atelier_order.get(p.atelier_id, -1), absorbed[p.id], -p.id)).id
        ids = sorted(p.id for p in members)
        result.members[rep] = ids
        for piste_id in ids:
            result.counted_under[piste_id] = rep
        result.author_personas[rep] = frozenset(p.persona_id for p in members if p.persona_id)
    supporters: dict[int, set[int]] = defaultdict(set)
    for s in supports:
        rep = result.counted_under.get(s.piste_id)
        if rep is not None:
            supporters[rep].add(s.participant_id)
    result.supporters = {rep: frozenset(supporters.get(rep, ())) for rep in result.members}
    return result


def engagement_supporters(rows) -> dict[int, frozenset[int]]:
    """Map each engagement id to the people who support it (each person once)."""
    out: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        out[row.engagement_id].add(row.participant_id)
    return {k: frozenset(v) for k, v in out.items()}
