"""Two-sided stable matching with stated preferences, ties and incomplete lists (双边稳定匹配).

Needs (on behalf of their recipients) rank actors; actors rank needs by service category.
With ``strategy="stable"`` and :class:`Preferences` on the policy, each role is solved by
deferred acceptance with capacities (the hospital–resident algorithm). By default needs
propose (needs as residents): the result favours the needs' side, giving every need the
best actors it can have in any stable assignment once ties are broken; with
``stable_proposer="actors"`` actors propose and the result favours them.
"""

from __future__ import annotations

import heapq
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, model_validator

from wushe._types import Identifier, NeedId
from wushe.models import WusheModel
from wushe.vocab import ServiceCategory

__all__ = ["Preferences"]

_CATEGORIES = tuple(ServiceCategory)
Ranked = tuple[tuple[Any, ...], ...]


class Preferences(WusheModel):
    """What each side of a match prefers, best first, with ties (双边偏好).

    ``needs`` maps a need id to groups of actor ids, best group first: actors in one group
    tie, and an actor in no group is unacceptable to that need (an incomplete list).
    ``actors`` maps an actor id (worker, volunteer, organisation) to groups of service
    categories, its service priorities: needs of one group tie, needs of an unlisted
    category are unacceptable. A need or actor with no entry ranks its candidates by the
    pair score, as the ``"exact"`` strategy would.

    >>> p = Preferences(needs={"n1": [["o2"], ["o1", "o3"]]},
    ...                 actors={"o1": [["elderly_care"], ["child_welfare"]]})
    >>> p.needs["n1"][1]
    ('o1', 'o3')
    """

    needs: dict[NeedId, tuple[tuple[Identifier, ...], ...]] = Field(
        default_factory=dict
    )
    """Per need, acceptable actors in groups of equal preference, best first (需求方偏好)."""
    actors: dict[Identifier, tuple[tuple[ServiceCategory, ...], ...]] = Field(
        default_factory=dict
    )
    """Per actor, service categories in groups of equal priority, best first (服务方偏好)."""

    @model_validator(mode="after")
    def _once(self) -> Preferences:
        for side, table in (("needs", self.needs), ("actors", self.actors)):
            for key, groups in table.items():
                flat = [x for g in groups for x in g]
                if len(flat) != len(set(flat)):
                    msg = f"{side}[{key!r}] lists an entry twice"
                    raise ValueError(msg)
                if any(not g for g in groups):
                    msg = f"{side}[{key!r}] has an empty group"
                    raise ValueError(msg)
        return self


def declared_ranks(cs: Any, prefs: Preferences) -> tuple[NDArray[np.int64], ...]:
    """Per feasible edge: both sides' declared ranks and acceptability (声明的偏好名次).

    Ranks are lower-is-better; the third array says whether both sides accept the pair.
    A side with no entry ranks by score: the rank is ``-weight``.
    """
    n = cs.n_edges
    need_rank = -cs.edge_weight.astype(np.int64)
    actor_rank = -cs.edge_weight.astype(np.int64)
    ok = np.ones(n, dtype=bool)
    need_lists = {
        i: {a: g for g, group in enumerate(prefs.needs[nid]) for a in group}
        for i, nid in enumerate(cs.need_ids)
        if nid in prefs.needs
    }
    actor_lists = {
        j: {c: g for g, group in enumerate(prefs.actors[aid]) for c in group}
        for j, aid in enumerate(cs.actor_ids)
        if aid in prefs.actors
    }
    for e in range(n):
        i, j = int(cs.edge_left[e]), int(cs.edge_right[e])
        listed = need_lists.get(i)
        if listed is not None:
            rank = listed.get(cs.actor_ids[j])
            ok[e] &= rank is not None
            need_rank[e] = -1 if rank is None else rank
        priorities = actor_lists.get(j)
        if priorities is not None:
            rank = priorities.get(_CATEGORIES[int(cs.left_category[i])])
            ok[e] &= rank is not None
            actor_rank[e] = -1 if rank is None else rank
    return need_rank, actor_rank, ok


def stable_two_sided(
    cs: Any,
    prefs: Preferences,
    lcap: NDArray[np.int32],
    rcap: NDArray[np.int32],
    proposer: str = "needs",
) -> NDArray[np.int64]:
    """Deferred acceptance on declared preferences, with capacities (延迟接受).

    ``proposer="needs"`` (the default) is the hospital–resident algorithm with needs as
    residents and favours the needs; ``"actors"`` lets actors propose and favours them.
    Ties are broken by the pair score (higher first), then by edge index, which makes both
    sides' orders strict; a matching stable for strict orders is *weakly* stable for the
    declared ones: no need and actor both strictly prefer each other to what they hold.
    """
    need_rank, actor_rank, ok = declared_ranks(cs, prefs)
    if proposer == "needs":
        p_of, r_of, p_rank, r_rank = cs.edge_left, cs.edge_right, need_rank, actor_rank
        p_cap, r_cap = lcap, rcap
    else:
        p_of, r_of, p_rank, r_rank = cs.edge_right, cs.edge_left, actor_rank, need_rank
        p_cap, r_cap = rcap, lcap
    weight = cs.edge_weight
    edges = np.flatnonzero(ok)
    order = edges[np.lexsort((edges, -weight[edges], p_rank[edges], p_of[edges]))]
    lists: list[list[int]] = [[] for _ in range(len(p_cap))]
    for e in order.tolist():
        lists[int(p_of[e])].append(e)
    nxt = [0] * len(p_cap)
    free = p_cap.astype(np.int64).copy()
    held: list[list[tuple[int, int, int]]] = [[] for _ in range(len(r_cap))]
    queue = [i for i in range(len(p_cap)) if free[i] > 0 and lists[i]]
    while queue:
        i = queue.pop()
        while free[i] > 0 and nxt[i] < len(lists[i]):
            e = lists[i][nxt[i]]
            nxt[i] += 1
            j = int(r_of[e])
            if r_cap[j] < 1:
                continue
            # Min-heap of held proposals: the root is the receiver's worst.
            key = (-int(r_rank[e]), int(weight[e]), -e)
            heap = held[j]
            if len(heap) < r_cap[j]:
                heapq.heappush(heap, key)
                free[i] -= 1
            elif heap[0] < key:
                _, _, loser = heapq.heapreplace(heap, key)
                free[i] -= 1
                lost = int(p_of[-loser])
                free[lost] += 1
                queue.append(lost)
    return np.array(sorted(-e for heap in held for *_, e in heap), dtype=np.int64)
