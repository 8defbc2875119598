"""Exact multiple knapsack for resources with unequal amounts (多重背包精确求解).

A resource role whose needs ask different amounts is a 0/1 multiple knapsack with
need-and-fund dependent scores: choose at most ``places`` funds per need and never more
than a fund's balance in total, maximising the total score, or under lexicographic
priority the highest tier's total first, then the next tier's with the higher totals held,
and so on down (see ``_solve_program`` in ``_match.py``, which this replaces for windowless
resource roles and which keeps the same order).

Everything here is exact integer work; only the engine differs:

* the problem splits into connected components (funds linked by a need they could both
  serve), and the lexicographic optimum of the whole is the sum of the components' ones;
* a component where every fund could pay all its candidates together is not a knapsack at
  all: each need takes its best funds (ties by edge order), optimal in every tier at once;
* amounts and balances are divided by the amounts' greatest common divisor (balances
  rounded down), which leaves every feasible plan feasible and every infeasible one not;
* the rest goes to OR-Tools CP-SAT (extra ``wushe[ortools]``; integer arithmetic, one
  worker, a fixed seed, so the answer is a fixed function of the input), otherwise to HiGHS
  (``scipy.optimize.milp``, zero gap). Both get the same valid extra rows: all funds
  together pay no more than their total balance (the surrogate row), and a fund (or all
  funds together) takes no more needs than its smallest candidate amounts that fit. They
  cut off no integer plan and tighten the relaxation where a few large requests share a
  few funds, which is where the search spends its time. CP-SAT also fixes what a held
  tier's total forces (``_held_fixings``).

Every answer is checked in Python integers before it is returned: places, balances, and
each held tier total; a plan that fails raises :class:`~wushe.exceptions.MatchingError`.
"""

from __future__ import annotations

import importlib.util
import math
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from wushe.exceptions import MatchingError

__all__: list[str] = []  # internal: called by _match.py

I64 = NDArray[np.int64]
Mask = NDArray[np.bool_]
ENGINES = ("auto", "cpsat", "highs")
"""Engine choices: CP-SAT when OR-Tools is installed, else HiGHS; or one by name (求解引擎)."""
_FLOAT_EXACT = 2**53
"""HiGHS computes in floats: weight totals must stay below this to compare exactly."""
_MAX_REPAIRS = 1_000
"""HiGHS answers rejected for an overspent fund before giving up (浮点修正上限)."""
_SEED = 0
"""CP-SAT's random seed: fixed, with one worker, so the search and its answer repeat."""


@attrs.frozen(kw_only=True, eq=False)
class Part:
    """One connected component with local indexes; amounts and balances divided by their gcd."""

    edges: I64
    """Position of each local edge in the role set (边编号)."""
    item: I64
    """Local need-role of each edge (需求端)."""
    fund: I64
    """Local fund of each edge (资源端)."""
    weight: I64
    """Score of each edge (权重)."""
    tier: I64
    """Tier of each edge's need-role; all 0 without lexicographic priority (层级)."""
    amount: I64
    """Amount each edge draws from its fund (需求量)."""
    places: I64
    """Funds each need-role may take, per local need-role (名额)."""
    balance: I64
    """Balance per local fund (余额)."""


def solve_knapsack(
    cs: Any, *, lexicographic: bool = False, engine: str = "auto"
) -> I64:
    """Chosen edges of a windowless resource role set, exact and tier by tier (多重背包求解).

    ``cs`` is a :class:`~wushe.matching.CandidateSet`; the result lists edge positions in
    increasing order. ``engine`` is one of :data:`ENGINES`.
    """
    if engine not in ENGINES:
        msg = f"engine must be one of {', '.join(ENGINES)}, got {engine!r}"
        raise MatchingError(msg)
    use = engine
    if engine == "auto":
        use = "cpsat" if importlib.util.find_spec("ortools") is not None else "highs"
    if use == "highs" and int(cs.edge_weight.sum()) >= _FLOAT_EXACT:
        msg = (
            f"role {cs.role.value}: total weight {int(cs.edge_weight.sum())} is too large "
            "for HiGHS's floating-point arithmetic; lower the policy weights or install "
            "wushe[ortools]"
        )
        raise MatchingError(msg)
    tier = cs.left_tier[cs.edge_left].astype(np.int64)
    if not lexicographic:
        tier = np.zeros_like(tier)
    chosen = [
        part.edges[_solve_part(part, use, cs.role.value)] for part in _parts(cs, tier)
    ]
    if not chosen:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.concatenate(chosen)).astype(np.int64)


def _parts(cs: Any, tier: I64) -> list[Part]:
    """Connected components of the role set, each with local indexes and gcd-scaled amounts."""
    from scipy.sparse import coo_matrix, csgraph  # noqa: PLC0415

    n_left, n_right, n = len(cs.need_ids), len(cs.actor_ids), cs.n_edges
    left = cs.edge_left.astype(np.int64)
    right = cs.edge_right.astype(np.int64) + n_left
    graph = coo_matrix(
        (np.ones(n), (left, right)), shape=(n_left + n_right, n_left + n_right)
    )
    _, label = csgraph.connected_components(graph, directed=False)
    of_edge = label[left]
    order = np.argsort(of_edge, kind="stable")
    cuts = np.flatnonzero(np.diff(of_edge[order])) + 1
    parts = []
    for edges in np.split(order, cuts) if n else []:
        items, item = np.unique(cs.edge_left[edges], return_inverse=True)
        funds, fund = np.unique(cs.edge_right[edges], return_inverse=True)
        amounts = [int(a) for a in cs.left_amount[items]]
        g = math.gcd(*amounts) or 1
        parts.append(
            Part(
                edges=edges.astype(np.int64),
                item=item.astype(np.int64),
                fund=fund.astype(np.int64),
                weight=cs.edge_weight[edges].astype(np.int64),
                tier=tier[edges],
                amount=(cs.left_amount[items] // g)[item].astype(np.int64),
                places=cs.left_capacity[items].astype(np.int64),
                balance=(cs.right_capacity[funds] // g).astype(np.int64),
            )
        )
    return parts


def _solve_part(part: Part, engine: str, role: str) -> Mask:
    """The part's lexicographic optimum as a mask over its edges, checked exactly."""
    if _never_binds(part):
        return _best_each(part)
    levels = sorted(set(part.tier.tolist()), reverse=True)
    kept: list[tuple[Mask, int]] = []
    chosen = np.zeros(part.item.size, dtype=bool)
    for level in levels:
        active = part.tier >= level
        own = part.tier == level
        solve = _stage_cpsat if engine == "cpsat" else _stage_highs
        chosen = solve(part, active, own, kept, chosen)
        _check(part, chosen, active, kept, role)
        kept.append((own, int(part.weight[chosen & own].sum())))
    return chosen


def _never_binds(part: Part) -> bool:
    """Whether every fund could pay all its candidates at once (no knapsack left)."""
    asked = [0] * part.balance.size
    for j, a in zip(part.fund.tolist(), part.amount.tolist(), strict=True):
        asked[j] += a
    return all(a <= b for a, b in zip(asked, part.balance.tolist(), strict=True))


def _best_each(part: Part) -> Mask:
    """Each need-role's ``places`` heaviest edges, ties by edge order."""
    order = np.lexsort((np.arange(part.item.size), -part.weight, part.item))
    starts = np.searchsorted(part.item[order], part.item[order], side="left")
    rank = np.arange(order.size) - starts
    chosen = np.zeros(part.item.size, dtype=bool)
    chosen[order[rank < part.places[part.item[order]]]] = True
    return chosen


def fit_count(amounts: I64, capacity: int) -> int:
    """How many of ``amounts``, smallest first, fit in ``capacity`` together (可容纳件数)."""
    total, count = 0, 0
    for a in sorted(int(v) for v in amounts):
        total += a
        if total > capacity:
            break
        count += 1
    return count


def _fund_rows(part: Part, active: Mask) -> list[tuple[I64, I64, int]]:
    """Per fund, as ``(edges, coefficients, upper bound)``: balance and count rows.

    The count row says the fund pays at most as many need-roles as its smallest candidate
    amounts fit in its balance; it is added only where that is fewer than its candidates.
    """
    edges = np.flatnonzero(active)
    rows: list[tuple[I64, I64, int]] = []
    fund, amount = part.fund[edges], part.amount[edges]
    for j in np.unique(fund).tolist():
        at = fund == j
        cap = int(part.balance[j])
        rows.append((edges[at], amount[at], cap))
        count = fit_count(amount[at], cap)
        if count < int(at.sum()):
            rows.append((edges[at], np.ones(int(at.sum()), dtype=np.int64), count))
    return rows


def _total_rows(part: Part, active: Mask) -> tuple[I64, list[tuple[I64, int]]]:
    """The active need-roles, and rows over them as ``(coefficients, upper bound)``.

    The surrogate row: all the funds together pay at most their total balance. With one
    place per need-role, a count row: at most as many need-roles as their smallest
    amounts fit in that total. Both hold for every feasible plan.
    """
    items = np.unique(part.item[active])
    amount = np.zeros(items.size, dtype=np.int64)
    amount[np.searchsorted(items, part.item[active])] = part.amount[active]
    total = sum(int(b) for b in part.balance[np.unique(part.fund[active])])
    rows = [(amount, total)]
    count = fit_count(amount, total)
    if count < items.size and bool(np.all(part.places[items] <= 1)):
        rows.append((np.ones(items.size, dtype=np.int64), count))
    return items, rows


def _held_fixings(
    part: Part, active: Mask, kept: list[tuple[Mask, int]]
) -> tuple[Mask, I64]:
    """Edges that must stay unchosen and need-roles that must be paid, from held totals.

    A held tier can lose, against its best conceivable total (every need-role at its best
    fund), at most ``slack`` points. So no edge that loses more than that on its own (its
    need-role's best weight minus its weight) can be chosen, and every need-role whose best
    weight exceeds it must be paid. With more than one place per need-role nothing is fixed.
    """
    off = np.zeros(part.item.size, dtype=bool)
    must: list[I64] = []
    for mask, total in kept:
        edges = np.flatnonzero(mask & active)
        items = part.item[edges]
        if edges.size == 0 or bool(np.any(part.places[items] > 1)):
            continue
        best = np.zeros(part.places.size, dtype=np.int64)
        np.maximum.at(best, items, part.weight[edges])
        held = np.unique(items)
        slack = int(best[held].sum()) - total
        off[edges[best[items] - part.weight[edges] > slack]] = True
        must.append(held[best[held] > slack])
    return off, np.concatenate(must) if must else np.zeros(0, dtype=np.int64)


def _check(
    part: Part, chosen: Mask, active: Mask, kept: list[tuple[Mask, int]], role: str
) -> None:
    """Raise unless ``chosen`` keeps places, balances and every held tier total exactly."""
    places = np.bincount(part.item[chosen], minlength=part.places.size)
    paid = [0] * part.balance.size
    for j, a in zip(
        part.fund[chosen].tolist(), part.amount[chosen].tolist(), strict=True
    ):
        paid[j] += a
    broken = (
        bool(np.any(chosen & ~active))
        or bool(np.any(places > part.places))
        or any(p > int(b) for p, b in zip(paid, part.balance.tolist(), strict=True))
        or any(int(part.weight[chosen & own].sum()) != v for own, v in kept)
    )
    if broken:
        msg = (
            f"role {role}: the knapsack engine returned a plan that breaks a place, a "
            "balance or a higher tier's total"
        )
        raise MatchingError(msg)


def _stage_cpsat(
    part: Part, active: Mask, own: Mask, kept: list[tuple[Mask, int]], hint: Mask
) -> Mask:
    """One stage with CP-SAT: maximise ``own`` edges' weight, hold each kept total."""
    from ortools.sat.python import cp_model  # noqa: PLC0415

    model = cp_model.CpModel()
    edges = np.flatnonzero(active).tolist()
    x = {e: model.new_bool_var(f"x{e}") for e in edges}

    def expr(es: I64, coef: I64) -> Any:
        return cp_model.LinearExpr.weighted_sum(
            [x[e] for e in es.tolist()], coef.tolist()
        )

    items, totals = _total_rows(part, active)
    took = {
        i: model.new_int_var(0, int(part.places[i]), f"y{i}") for i in items.tolist()
    }
    by_item: dict[int, list[Any]] = {}
    for e in edges:
        by_item.setdefault(int(part.item[e]), []).append(x[e])
    for i, xs in by_item.items():
        model.add(sum(xs) == took[i])
    for es, coef, upper in _fund_rows(part, active):
        model.add(expr(es, coef) <= upper)
    ys = [took[i] for i in items.tolist()]
    for coef, upper in totals:
        model.add(cp_model.LinearExpr.weighted_sum(ys, coef.tolist()) <= upper)
    for mask, total in kept:
        es = np.flatnonzero(mask & active)
        model.add(expr(es, part.weight[es]) == total)
    off, must = _held_fixings(part, active, kept)
    for e in np.flatnonzero(off & active).tolist():
        model.add(x[e] == 0)
    for i in must.tolist():
        model.add(took[i] == 1)
    goal = np.flatnonzero(own & active)
    model.maximize(expr(goal, part.weight[goal]))
    for e in edges:
        model.add_hint(x[e], bool(hint[e]))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = _SEED
    status = solver.solve(model)
    if status != cp_model.OPTIMAL:  # pragma: no cover - no time limit is set
        msg = f"CP-SAT ended with status {solver.status_name(status)}"
        raise MatchingError(msg)
    chosen = np.zeros(part.item.size, dtype=bool)
    chosen[edges] = [solver.boolean_value(x[e]) for e in edges]
    return chosen


def _stage_highs(
    part: Part, active: Mask, own: Mask, kept: list[tuple[Mask, int]], hint: Mask
) -> Mask:
    """One stage with HiGHS (zero gap): the same rows, kept totals within half a point.

    HiGHS compares row activities in floating point with a tolerance, so near 10**14 it
    may let a fund pay a few hundredths too much. Each answer is therefore checked in
    integers; a fund it overspends gets a row forbidding that set of its requests (no
    feasible plan holds it) and the stage is solved again. Tolerances only ever admit
    more plans, never fewer, so the first answer that passes is optimal.
    """
    del hint  # scipy's milp takes no starting plan
    rows = _highs_rows(part, active)
    for _ in range(_MAX_REPAIRS):
        chosen = _run_highs(part, rows, active, own, kept)
        paid = [0] * part.balance.size
        for e in np.flatnonzero(chosen).tolist():
            paid[int(part.fund[e])] += int(part.amount[e])
        over = [j for j, p in enumerate(paid) if p > int(part.balance[j])]
        if not over:
            return chosen
        for j in over:
            held = np.flatnonzero(chosen & (part.fund == j))
            rows.append((held, np.ones(held.size, dtype=np.int64), held.size - 1))
    msg = f"HiGHS overspent a fund {_MAX_REPAIRS} times in a row"  # pragma: no cover
    raise MatchingError(msg)  # pragma: no cover


def _highs_rows(part: Part, active: Mask) -> list[tuple[I64, I64, int]]:
    """Places, fund and total rows over the edges, for a matrix solver."""
    edges = np.flatnonzero(active)
    items, totals = _total_rows(part, active)
    rows = []
    for i in items.tolist():
        at = edges[part.item[edges] == i]
        rows.append((at, np.ones(at.size, dtype=np.int64), int(part.places[i])))
    rows += _fund_rows(part, active)
    at_item = np.searchsorted(items, part.item[edges])
    rows += [(edges, coef[at_item], upper) for coef, upper in totals]
    return rows


def _run_highs(
    part: Part,
    rows: list[tuple[I64, I64, int]],
    active: Mask,
    own: Mask,
    kept: list[tuple[Mask, int]],
) -> Mask:
    from scipy.optimize import Bounds, LinearConstraint, milp  # noqa: PLC0415
    from scipy.sparse import coo_matrix  # noqa: PLC0415

    n = part.item.size
    values = np.concatenate([c.astype(float) for _, c, _ in rows])
    row_of = np.concatenate([np.full(e.size, k) for k, (e, _, _) in enumerate(rows)])
    col_of = np.concatenate([e for e, _, _ in rows])
    matrix = coo_matrix((values, (row_of, col_of)), shape=(len(rows), n)).tocsr()
    upper = np.array([float(u) for _, _, u in rows])
    constraints = [LinearConstraint(matrix, -np.inf, upper)]
    constraints += [
        LinearConstraint(np.where(mask, part.weight, 0)[np.newaxis, :], v - 0.5, np.inf)
        for mask, v in kept
    ]
    result = milp(
        c=-np.where(own & active, part.weight, 0).astype(float),
        constraints=constraints,
        integrality=np.ones(n),
        bounds=Bounds(0, active.astype(float)),
        options={"mip_rel_gap": 0.0, "presolve": True},
    )
    if result.x is None:  # pragma: no cover - the previous stage's plan is feasible
        msg = f"HiGHS failed: {result.message}"
        raise MatchingError(msg)
    return np.asarray(result.x > 0.5)
