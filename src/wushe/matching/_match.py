"""Solve every role's candidate graph and assemble the plan (求解与方案组装).

Objective (exact strategy): maximise the sum, over all roles, of the weights of the chosen
edges, subject to every hard constraint, each need-role taking at most its places, each
actor at most its capacity, each resource at most its balance and no person or venue in two
overlapping windows. Role problems share no actor, so the sum is maximised by maximising
each role problem on its own. Under lexicographic priority a role problem solved by the
integer program or the fund knapsack is maximised tier by tier instead (see
``_solve_program`` and ``_knapsack.py``).
"""

from __future__ import annotations

import heapq
import logging
import time
from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wushe._gc import paused_gc
from wushe._types import Progress
from wushe.exceptions import MatchingError
from wushe.matching._assemble import assignments, plan_of, unmatched
from wushe.matching._candidates import CandidateGraph, CandidateSet, build_candidates
from wushe.matching._inputs import Actor
from wushe.matching._knapsack import solve_knapsack
from wushe.matching._linkage import held_unmatched, solve_teams
from wushe.matching._plan import Assignment, MatchPlan, Unmatched
from wushe.matching._policy import Decline, MatchPolicy
from wushe.matching._solver import solve_assignment
from wushe.matching._stable import Preferences, stable_two_sided
from wushe.matching._tiebreak import tie_broken
from wushe.models import Community, Dataset, Need, PersonLink, Recipient, Station
from wushe.network import StationNetwork

__all__ = ["match", "solve_candidates"]

I64 = NDArray[np.int64]
_FLOAT_EXACT = 2**53
_log = logging.getLogger("wushe.matching")


def match(
    needs: Iterable[Need],
    actors: Dataset | Iterable[Actor],
    *,
    recipients: Iterable[Recipient] = (),
    communities: Iterable[Community] = (),
    stations: Iterable[Station] = (),
    network: StationNetwork | None = None,
    policy: MatchPolicy | None = None,
    as_of: date | None = None,
    declines: Iterable[Decline] = (),
    history: Iterable[tuple[str, str]] = (),
    people: Iterable[PersonLink] = (),
    progress: Progress | None = None,
) -> MatchPlan:
    """Pair every need with the actors who can meet it (五社联动匹配).

    Objective: with the default ``"exact"`` strategy, the plan maximises the total score of
    its assignments (:attr:`MatchPlan.objective`) over all plans that break no hard rule; see
    :func:`build_candidates` for the rules and :class:`MatchPolicy` for the scores. Under
    lexicographic priority no open role has a candidate that could take it if every
    lower-priority need gave up what it holds; role problems solved by the integer
    program are solved tier by tier to keep this, highest tier first.

    Guarantees: never violates a hard constraint or capacity; deterministic and independent
    of input order; every unmatched role carries at least one :class:`ReasonCode`.

    Complexity: candidate generation O(N + M + E); the exact solve is polynomial per
    connected component (see ``solve_assignment``); resource roles with unequal amounts are
    an exact multiple knapsack per component (CP-SAT with the ``ortools`` extra, else
    HiGHS), and workers or volunteers with clashing service windows an exact integer
    program (HiGHS) on those components only.

    Args:
        needs: Needs to fill (服务需求).
        actors: Workers, volunteers, organisations, resources, or a
            :class:`~wushe.models.Dataset` that also supplies recipients, communities and
            stations (服务主体).
        recipients: The needs' recipients (服务对象).
        communities: Communities, for codes and neighbours (社区).
        stations: Stations, for workers' posting areas (社工站).
        network: The station network, for workers' areas (their station's
            ``jurisdiction``) and each need's stations in the plan (社工站网络).
        policy: Rules, weights and strategy (匹配策略).
        as_of: Evaluation date; the dataset's date or today (匹配日期).
        declines: Earlier refusals, honoured per the policy's decline rules (拒绝记录).
        history: ``(recipient_id, actor_id)`` pairs served before, for continuity (服务历史).
        people: Role records of one person; nobody serves themself. Defaults to the
            dataset's ``person_links`` (人员身份关联).
        progress: Told of stages ``"match.candidates"`` and ``"match.solve"`` (role sets
            solved); see :class:`~wushe.Progress` (进度回调).

    Returns:
        The plan: assignments, unmatched roles with reasons, objective and linkage.

    Raises:
        MatchingError: An input is inconsistent; the message names the record and field.

    Examples:
        >>> from wushe import examples
        >>> ds = examples.load("qixinggang")
        >>> plan = match(ds.needs, ds)
        >>> len(plan.assignments) > 0
        True
    """
    started = time.perf_counter()
    if progress is not None:
        progress("match.candidates", 0, None)
    graph = build_candidates(
        needs,
        actors,
        recipients=recipients,
        communities=communities,
        stations=stations,
        network=network,
        policy=policy,
        as_of=as_of,
        declines=declines,
        history=history,
        people=people,
    )
    if progress is not None:
        progress("match.candidates", len(graph.sets), len(graph.sets))
    _log.info(
        "candidate graph: %d needs, %d edges in %d role sets (%.2f s)",
        len(graph.needs),
        sum(cs.n_edges for cs in graph.sets),
        len(graph.sets),
        time.perf_counter() - started,
    )
    return solve_candidates(graph, progress=progress)


def solve_candidates(
    graph: CandidateGraph, *, progress: Progress | None = None
) -> MatchPlan:
    """Solve a candidate graph with its policy's strategy and build the plan (求解候选图).

    Use it with :func:`build_candidates` to time or inspect the two phases apart.
    ``progress`` is told the role sets solved (stage ``"match.solve"``).
    """
    started = time.perf_counter()
    with paused_gc():
        plan = _solve_candidates(graph, progress)
    _log.info(
        "%s plan: %d assignments, %d open roles, objective %d (%.2f s)",
        plan.strategy,
        len(plan.assignments),
        len(plan.unmatched),
        plan.objective,
        time.perf_counter() - started,
    )
    return plan


def _solve_candidates(graph: CandidateGraph, progress: Progress | None) -> MatchPlan:
    strategy = graph.policy.strategy
    done: list[Assignment] = []
    open_: list[Unmatched] = []
    objective = 0
    sets = len(graph.sets)
    known = graph.policy.linkage == "independent"  # otherwise rounds re-solve sets
    calls = 0

    def solve(cs: CandidateSet) -> I64:
        nonlocal calls
        if progress is not None:
            progress("match.solve", calls, sets if known else None)
        calls += 1
        return _solve_set(
            tie_broken(cs, graph),
            strategy,
            graph.policy.workers,
            graph.policy.preferences,
            graph.policy.stable_proposer,
            lexicographic=graph.policy.priority_mode == "lexicographic",
        )

    solved = solve_teams(graph, solve)
    for original, (cs, chosen, held) in zip(graph.sets, solved, strict=True):
        objective += int(cs.edge_weight[chosen].sum())
        done += assignments(cs, chosen)
        open_ += unmatched(cs, chosen, graph.policy.why_not_names)
        if held.any():
            team, own = held_unmatched(original, held)
            whole = unmatched(original, chosen, graph.policy.why_not_names)
            open_ += team + [u for u in whole if u.need_id in own]
        _log.debug(
            "role set %s: %d needs, %d edges, %d chosen",
            cs.role.value,
            len(cs.need_ids),
            cs.n_edges,
            len(chosen),
        )
    if progress is not None:
        progress("match.solve", calls, calls)
    return plan_of(graph, done, open_, objective)


# ---------------------------------------------------------------------------------------
# Solving one role


def _conflict_rows(cs: CandidateSet) -> list[NDArray[np.int64]]:
    """Groups of edges that share an actor and a moment: at most one may be chosen."""
    if cs.is_resource and cs.role.value != "venue":
        return []
    window = cs.left_window
    timed = np.flatnonzero(window[cs.edge_left, 0] >= 0)
    if timed.size < 2:
        return []
    rows: list[NDArray[np.int64]] = []
    order = timed[np.argsort(cs.edge_right[timed], kind="stable")]
    rights = cs.edge_right[order]
    cuts = np.flatnonzero(np.diff(rights)) + 1
    for group in np.split(order, cuts):
        if group.size < 2:
            continue
        starts = window[cs.edge_left[group], 0]
        ends = window[cs.edge_left[group], 1]
        for t in np.unique(starts):
            inside = group[(starts <= t) & (t < ends)]
            if inside.size >= 2:
                rows.append(np.sort(inside))
    # Drop rows contained in another row of the same actor (keeps the program small).
    unique = {tuple(r.tolist()) for r in rows}
    kept = [r for r in unique if not any(set(r) < set(o) for o in unique)]
    return [np.array(r, dtype=np.int64) for r in sorted(kept)]


def _solve_set(
    cs: CandidateSet,
    strategy: str,
    workers: int = 1,
    preferences: Preferences | None = None,
    proposer: str = "needs",
    *,
    lexicographic: bool = False,
) -> NDArray[np.int64]:
    if cs.n_edges == 0:
        return np.zeros(0, dtype=np.int64)
    conflicts = _conflict_rows(cs)
    amounts = cs.left_amount[cs.edge_left]
    rcap = cs.right_capacity
    uniform = bool(np.all(amounts == amounts[0]))
    knapsack = cs.is_resource and not uniform
    if cs.is_resource and uniform:
        rcap = rcap // int(amounts[0])
    if knapsack and not conflicts and strategy == "exact":
        return solve_knapsack(cs, lexicographic=lexicographic)
    if conflicts or knapsack:
        if strategy == "exact":
            return _solve_program(cs, conflicts, lexicographic=lexicographic)
        return _greedy_general(cs, conflicts)
    lcap = cs.left_capacity.astype(np.int32)
    rcap32 = np.minimum(rcap, np.iinfo(np.int32).max).astype(np.int32)
    if strategy == "stable" and preferences is not None:
        return stable_two_sided(cs, preferences, lcap, rcap32, proposer)
    if strategy == "stable":
        return _stable(cs, lcap, rcap32)
    result = solve_assignment(
        len(cs.need_ids),
        len(cs.actor_ids),
        cs.edge_left,
        cs.edge_right,
        cs.edge_weight,
        lcap,
        rcap32,
        method="greedy" if strategy == "greedy" else "auto",
        workers=workers,
    )
    return np.asarray(result.chosen, dtype=np.int64)


def _solve_program(
    cs: CandidateSet,
    conflicts: list[NDArray[np.int64]],
    *,
    lexicographic: bool = False,
) -> NDArray[np.int64]:
    """Exact 0/1 program (HiGHS branch and bound, zero gap) for window rows.

    Windowless resource roles go to ``solve_knapsack`` instead; this program solves them
    too (the tests and ``benchmarks/funds.py`` use it as the reference it replaced).

    Under lexicographic priority the program is solved tier by tier, highest first: each
    stage maximises the weight of one tier's edges, with lower tiers' edges held at 0 and
    every higher tier's total kept at the optimum its own stage found. One need may
    displace several lower-priority ones (a long window, a large amount), so a single
    weighted solve cannot promise what a tier offset promises in a b-matching.
    """
    weight = cs.edge_weight
    if int(weight.sum()) >= _FLOAT_EXACT:
        msg = (
            f"role {cs.role.value}: total weight {int(weight.sum())} is too large for the "
            "exact integer program; lower the policy weights"
        )
        raise MatchingError(msg)
    matrix, upper = _program_rows(cs, conflicts)
    tier = cs.left_tier[cs.edge_left].astype(np.int64)
    levels = sorted(set(tier.tolist()), reverse=True) if lexicographic else [None]
    if len(levels) == 1:
        levels = [None]
    kept: list[tuple[NDArray[np.float64], int]] = []
    chosen = np.zeros(0, dtype=np.int64)
    for level in levels:
        active = np.ones(cs.n_edges, dtype=bool) if level is None else tier >= level
        chosen = _run_program(cs, matrix, upper, active, kept)
        if level is not None:
            own = np.where(tier == level, weight, 0)
            kept.append((own.astype(float), int(own[chosen].sum())))
    return chosen


def _program_rows(
    cs: CandidateSet, conflicts: list[NDArray[np.int64]]
) -> tuple[Any, NDArray[np.float64]]:
    """Places per need-role, capacity or balance per actor, one row per window clash."""
    from scipy.sparse import coo_matrix  # noqa: PLC0415

    n = cs.n_edges
    n_left, n_right = len(cs.need_ids), len(cs.actor_ids)
    edges = np.arange(n)
    amount = (
        cs.left_amount[cs.edge_left] if cs.is_resource else np.ones(n, dtype=np.int64)
    )
    rows = [cs.edge_left.astype(np.int64), n_left + cs.edge_right.astype(np.int64)]
    cols = [edges, edges]
    vals = [np.ones(n), amount.astype(float)]
    upper = [cs.left_capacity.astype(float), cs.right_capacity.astype(float)]
    base = n_left + n_right
    for k, group in enumerate(conflicts):
        rows.append(np.full(group.size, base + k, dtype=np.int64))
        cols.append(group)
        vals.append(np.ones(group.size))
    upper.append(np.ones(len(conflicts)))
    matrix = coo_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
        shape=(base + len(conflicts), n),
    ).tocsr()
    return matrix, np.concatenate(upper)


def _run_program(
    cs: CandidateSet,
    matrix: Any,
    upper: NDArray[np.float64],
    active: NDArray[np.bool_],
    kept: list[tuple[NDArray[np.float64], int]],
) -> NDArray[np.int64]:
    """Maximise the active edges' weight, keeping each ``(row, total)`` at its total.

    Totals are integers and the program's values floats: a kept total may fall at most
    half a point short before the check below calls it lost.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp  # noqa: PLC0415

    constraints = [LinearConstraint(matrix, -np.inf, upper)]
    constraints += [
        LinearConstraint(row[np.newaxis, :], total - 0.5, np.inf) for row, total in kept
    ]
    weight = cs.edge_weight
    result = milp(
        c=-np.where(active, weight, 0).astype(float),
        constraints=constraints,
        integrality=np.ones(cs.n_edges),
        bounds=Bounds(0, active.astype(float)),
        options={"mip_rel_gap": 0.0, "presolve": True},
    )
    if result.x is None:  # pragma: no cover - the previous stage's answer is feasible
        msg = f"role {cs.role.value}: the integer program failed: {result.message}"
        raise MatchingError(msg)
    chosen = np.flatnonzero(result.x > 0.5).astype(np.int64)
    lost = [total for row, total in kept if int(row[chosen].sum()) < total]
    if lost:  # pragma: no cover - HiGHS keeps integer rows within its tolerance
        msg = (
            f"role {cs.role.value}: the integer program lost a tier's optimum {lost[0]}"
        )
        raise MatchingError(msg)
    return chosen


def _greedy_general(
    cs: CandidateSet, conflicts: list[NDArray[np.int64]]
) -> NDArray[np.int64]:
    """Highest weight first (ties by edge index) within places, balance and windows."""
    order = np.lexsort((np.arange(cs.n_edges), -cs.edge_weight))
    lcap = cs.left_capacity.astype(np.int64).copy()
    rcap = cs.right_capacity.astype(np.int64).copy()
    amount = cs.left_amount
    rows_of: dict[int, list[int]] = {}
    for k, group in enumerate(conflicts):
        for e in group.tolist():
            rows_of.setdefault(e, []).append(k)
    row_used = [False] * len(conflicts)
    chosen: list[int] = []
    for e in order.tolist():
        i, j = int(cs.edge_left[e]), int(cs.edge_right[e])
        need = int(amount[i]) if cs.is_resource else 1
        if lcap[i] < 1 or rcap[j] < need:
            continue
        rows = rows_of.get(e, [])
        if any(row_used[k] for k in rows):
            continue
        for k in rows:
            row_used[k] = True
        lcap[i] -= 1
        rcap[j] -= need
        chosen.append(e)
    return np.array(sorted(chosen), dtype=np.int64)


def _stable(
    cs: CandidateSet, lcap: NDArray[np.int32], rcap: NDArray[np.int32]
) -> NDArray[np.int64]:
    """Need-proposing deferred acceptance with capacities, ties by edge index (稳定匹配).

    Both sides rank a pair by its shared score; lists are incomplete (only candidates) and
    may tie. The result is stable: no need and actor both prefer each other to what they hold.
    """
    n_left = len(cs.need_ids)
    weight = cs.edge_weight
    order = np.lexsort((np.arange(cs.n_edges), -weight, cs.edge_left))
    lists: list[list[int]] = [[] for _ in range(n_left)]
    for e in order.tolist():
        lists[int(cs.edge_left[e])].append(e)
    nxt = [0] * n_left
    free = lcap.astype(np.int64).copy()
    held: list[list[tuple[int, int]]] = [[] for _ in range(len(cs.actor_ids))]
    queue = [i for i in range(n_left) if free[i] > 0 and lists[i]]
    while queue:
        i = queue.pop()
        while free[i] > 0 and nxt[i] < len(lists[i]):
            e = lists[i][nxt[i]]
            nxt[i] += 1
            j = int(cs.edge_right[e])
            if rcap[j] < 1:
                continue
            key = (int(weight[e]), -e)
            heap = held[j]
            if len(heap) < rcap[j]:
                heapq.heappush(heap, key)
                free[i] -= 1
            elif heap[0] < key:
                _, loser = heapq.heapreplace(heap, key)
                free[i] -= 1
                lost = int(cs.edge_left[-loser])
                free[lost] += 1
                queue.append(lost)
    return np.array(sorted(-e for heap in held for _, e in heap), dtype=np.int64)
