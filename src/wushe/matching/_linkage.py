"""Whole team or nothing (全员到位): hold back roles of needs whose team stays incomplete.

With :attr:`MatchPolicy.linkage` ``"resources"``, no resource is drawn for a need with any
other role open; with ``"all_roles"``, such a need gets nobody at all. The held supply goes
back to the pool, so other needs may take it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from wushe.matching._plan import Unmatched
from wushe.matching._reasons import ReasonCode, referral_for
from wushe.vocab import ServiceCategory

_CATEGORIES = tuple(ServiceCategory)
Solved = tuple[Any, NDArray[np.int64], NDArray[np.bool_]]
"""A role's candidate set (with held lefts emptied), its chosen edges and the held mask."""


def _open_needs(cs: Any, chosen: NDArray[np.int64]) -> dict[str, int]:
    """Open needs of one role with their priority tier."""
    filled = np.bincount(cs.edge_left[chosen], minlength=len(cs.need_ids))
    asked = np.where(cs.left_blocked, 1, cs.left_capacity)
    return {
        cs.need_ids[i]: int(cs.left_tier[i])
        for i in np.flatnonzero(filled < asked).tolist()
    }


def _hopeless(cs: Any) -> set[str]:
    """Needs whose role here has no feasible candidate at all: never completable."""
    has_edge = np.zeros(len(cs.need_ids), dtype=bool)
    has_edge[cs.edge_left] = True
    asked = np.where(cs.left_blocked, 1, cs.left_capacity) > 0
    return {cs.need_ids[i] for i in np.flatnonzero(asked & ~has_edge).tolist()}


def solve_teams(graph: Any, solve: Callable[[Any], NDArray[np.int64]]) -> list[Solved]:
    """Solve every role, holding back incomplete teams until nothing changes (全员到位求解).

    Rounds: solve; needs that surely stay incomplete (a role that holding cannot help, or
    one with no feasible candidate) are held all at once; otherwise the one incomplete need
    of lowest priority tier (ties: the last need id) is held; solve again with the held
    needs' roles emptied. Ends when every need outside the held set is complete, after at
    most one round per need.
    """
    mode = graph.policy.linkage
    if mode == "independent":
        return [
            (cs, solve(cs), np.zeros(len(cs.need_ids), dtype=bool)) for cs in graph.sets
        ]
    holdable = [
        mode == "all_roles" or (mode == "resources" and cs.is_resource)
        for cs in graph.sets
    ]
    hopeless: set[str] = set()
    for cs in graph.sets:
        hopeless |= _hopeless(cs)
    held: set[str] = set()
    cache: dict[int, tuple[bytes, Solved]] = {}
    while True:
        results: list[Solved] = []
        open_now: dict[str, int] = {}
        sure: set[str] = set()
        for k, cs in enumerate(graph.sets):
            mask = np.array(
                [holdable[k] and n in held for n in cs.need_ids], dtype=bool
            ).reshape(len(cs.need_ids))
            key = mask.tobytes()
            if k in cache and cache[k][0] == key:
                result = cache[k][1]
            else:
                part = cs
                if mask.any():
                    cap = np.where(mask, 0, cs.left_capacity).astype(np.int32)
                    part = attrs.evolve(cs, left_capacity=cap)
                result = (part, solve(part), mask)
                cache[k] = (key, result)
            results.append(result)
            found = _open_needs(result[0], result[1])
            open_now.update(found)
            if not holdable[k]:
                sure |= set(found)
        fresh = set(open_now) - held
        if not fresh:
            return results
        certain = fresh & (sure | hopeless)
        if certain:
            held |= certain
        else:
            held.add(min(fresh, key=lambda n: (open_now[n], _desc(n))))


def _desc(text: str) -> tuple[int, ...]:
    """A key that sorts strings in descending order."""
    return (*(-ord(c) for c in text), 1)


def held_unmatched(
    original: Any, mask: NDArray[np.bool_]
) -> tuple[list[Unmatched], set[str]]:
    """Entries for held roles, and the needs whose held role keeps its reasons (团队未到位).

    A held role with a feasible candidate gets ``team_incomplete``; one without any keeps
    the reasons it would have anyway, so its needs are returned for the caller to explain.
    """
    out = []
    has_edge = np.zeros(len(original.need_ids), dtype=bool)
    has_edge[original.edge_left] = True
    own = {original.need_ids[i] for i in np.flatnonzero(mask & ~has_edge).tolist()}
    for i in np.flatnonzero(mask & has_edge).tolist():
        if original.left_blocked[i] or original.left_capacity[i] == 0:
            continue
        department = referral_for(_CATEGORIES[int(original.left_category[i])])
        may_refer = bool(original.left_referable[i])  # the consent gate (#10)
        out.append(
            Unmatched(
                need_id=original.need_ids[i],
                role=original.role,
                missing=int(original.left_capacity[i]),
                reasons=(ReasonCode.TEAM_INCOMPLETE,),
                referral=department if may_refer else None,
                referral_withheld=None if may_refer else department,
            )
        )
    return out, own
