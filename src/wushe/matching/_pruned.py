"""Solve on each left node's best edges, then prove the rest unneeded (剪枝求解与最优性证明).

A realistic candidate graph offers each need 150-250 actors, but an optimal plan uses one of
its best few: the other edges only have to be shown useless. :func:`solve_pruned` solves
the problem restricted to a kept subset of edges (each left node's ``capacity + EXTRA``
heaviest, ties spread by a hash), derives dual prices from that solution, and checks every
edge against them. Of the edges that could still improve the plan, each left node's worst
are added to the kept set (every one of them after ``ALL_AFTER`` rounds) and the subset is
solved again, until no edge can. Then the subset's optimum *is* the full optimum.

Why (LP duality; the b-matching polytope is integral): the problem's dual is to minimise
``sum(c_i u_i) + sum(b_j v_j) + sum(z_e)`` subject to ``u_i + v_j + z_e >= w_e`` and
``u, v, z >= 0``. A chosen edge set ``x`` and prices ``(u, v)`` with

* ``u_i + v_j >= w_e`` on every edge not chosen,
* ``u_i + v_j <= w_e`` on every chosen edge (``z_e = w_e - u_i - v_j >= 0``),
* ``u, v >= 0``, ``u_i = 0`` where ``i`` has capacity left and ``v_j = 0`` likewise,

give a dual solution whose objective equals ``x``'s weight, so ``x`` is optimal. The
prices are found on the kept subset as shortest-path distances in its residual graph
(Bellman-Ford, vectorised), but nothing rests on that: all four conditions are checked
explicitly, in exact int64 arithmetic, over *every* edge before a result is returned. When
the prices cannot be found within a budget, :func:`solve_pruned` answers ``None`` and the
caller solves the whole graph, so the result is exact either way; only the time differs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

_Ix: TypeAlias = NDArray[np.integer[Any]]
SubSolve: TypeAlias = Callable[[NDArray[np.intp]], NDArray[np.bool_]]
"""Solves the problem restricted to the given edge positions; returns their chosen mask."""

EXTRA = 0
"""Edges kept per left node at first beyond its capacity (每个需求额外保留的候选数).

Measured on the benchmark's districts (one volunteer per need, 170-200 candidates each):
keeping each need's single best edge and adding the most violated edge per need and
round reached the optimum in 7 rounds at 30k needs, on a subset of 45k edges that falls
apart into components of at most ~200 needs, which LAPJV solves in near-linear time. Six
edges per need needed fewer rounds but joined 99% of the needs into one component."""
MAX_ROUNDS = 64
"""Subset solves before giving up on pruning and solving the whole graph (剪枝轮数上限)."""
ALL_AFTER = 16
"""Rounds after which every violated edge is added at once, not the worst per left node."""
MAX_SWEEPS = 1_000
"""Bellman-Ford sweeps allowed when pricing a subset's solution (定价迭代上限)."""
_FEW = 4
"""Up to this many kept edges per left node are picked by repeated segment maxima."""
_HASH = 2**20
"""Tie-break range of :func:`_spread`: weights below 2**40 times this stay below 2**62."""
_INF = 2**62
"""Larger than any price: weights are at most 2**62, and every price lies in 0 .. 2**62."""
_CHUNK = 1 << 22


def solve_pruned(
    left: _Ix,
    right: _Ix,
    weight: NDArray[np.int64],
    lcap: NDArray[np.int64],
    rcap: NDArray[np.int64],
    solve: SubSolve,
) -> NDArray[np.bool_] | None:
    """An optimal chosen-edge mask found on a pruned subset, or ``None`` (剪枝求解).

    ``solve`` must return an optimal solution of the subproblem on the edges it is given.
    ``None`` means pruning would keep every edge or the proof did not come within the
    budgets; the caller then solves the whole graph.
    """
    n_left, n_right = lcap.size, rcap.size
    # A node never uses more slots than it has edges: the capacities the proof speaks of.
    lcap = np.minimum(lcap, np.bincount(left, minlength=n_left))
    rcap = np.minimum(rcap, np.bincount(right, minlength=n_right))
    keep = _heaviest_per_left(left, _spread(left, right, weight), lcap + EXTRA)
    if bool(keep.all()):
        return None
    for round_ in range(MAX_ROUNDS):
        kept = np.flatnonzero(keep)
        k_left, k_right, k_weight = left[kept], right[kept], weight[kept]
        sub = solve(kept)
        prices = _prices(k_left, k_right, k_weight, sub, lcap, rcap)
        if prices is None:
            return None
        u, v = prices
        # Both checks hold by construction of the prices; they keep the proof explicit.
        if not _certified(k_left, k_right, k_weight, sub, u, v, lcap, rcap):
            return None  # pragma: no cover
        chosen = np.zeros(left.size, dtype=np.bool_)
        chosen[kept[sub]] = True
        del k_left, k_right, k_weight, sub
        wanted = _violated(left, right, weight, chosen, u, v)
        if wanted.size == 0:
            return chosen
        if bool(keep[wanted].any()):
            return None  # pragma: no cover
        if round_ + 1 < ALL_AFTER:
            # Each left node takes its most violated edges only, as many as it kept at
            # first: every violated edge can be many (with one edge kept per need at 30k
            # needs, 1.7 M edges violated the first prices) and joins the components.
            excess = weight[wanted] - v[right[wanted]] - u[left[wanted]]
            wanted = wanted[_heaviest_per_left(left[wanted], excess, lcap + EXTRA)]
        keep[wanted] = True
    return None


def _spread(left: _Ix, right: _Ix, weight: NDArray[np.int64]) -> NDArray[np.int64]:
    """Weights with ties broken by a hash of the pair, for choosing the first kept edges.

    Scores take few distinct values (the matching API's stay below a few hundred), so a
    need often has a dozen equally good actors; breaking ties by edge index would send
    every need of a community to the same actor, leave most of them unplaced in the
    first round and make every one of their edges a violation. The hash spreads them.
    Order among equal weights only, never across weights; weights of 2**40 or more are
    returned as they are.
    """
    if int(weight.max()) >= 2**40:
        return weight
    key = left.astype(np.int64)
    key *= 2_654_435_761
    key += right.astype(np.int64) * 40_503
    key &= _HASH - 1
    key += weight * _HASH
    return key


def _heaviest_per_left(
    left: _Ix, weight: NDArray[np.int64], count: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Each left node's ``count`` heaviest edges (ties: lower edge index first)."""
    n_left = count.size
    if left.size == 0:
        return np.zeros(0, dtype=np.bool_)
    if int(count.max()) <= _FEW and bool((left[1:] >= left[:-1]).all()):
        return _heaviest_grouped(left, weight, count)
    top = int(weight.max()) + 1
    if top * (n_left + 1) < 2**62:  # one int64 sort key: by left, then heaviest first
        key = left.astype(np.int64) * top + (top - 1 - weight)
        order = np.argsort(key, kind="stable")
        del key
    else:
        order = np.lexsort((-weight, left))
    start = np.zeros(n_left + 1, dtype=np.int64)
    np.cumsum(np.bincount(left, minlength=n_left), out=start[1:])
    ordered_left = left[order]
    rank = np.arange(order.size, dtype=np.int64)
    rank -= start[ordered_left]
    keep = np.zeros(left.size, dtype=np.bool_)
    keep[order[rank < count[ordered_left]]] = True
    return keep


def _heaviest_grouped(
    left: _Ix, weight: NDArray[np.int64], count: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """:func:`_heaviest_per_left` for edges grouped by left node and a few per node.

    One segment maximum per pick instead of sorting every edge (a 20 M-edge sort costs
    ~1.6 s); the first edge holding its segment's maximum is taken, then masked out.
    """
    n_left = count.size
    degree = np.bincount(left, minlength=n_left)
    present = np.flatnonzero(degree)
    starts = np.cumsum(degree) - degree
    picks = int(count[present].max())
    work = weight.copy() if picks > 1 else weight
    keep = np.zeros(left.size, dtype=np.bool_)
    best = np.zeros(n_left, dtype=np.int64)
    for pick in range(picks):
        best[present] = np.maximum.reduceat(work, starts[present])
        hits: list[NDArray[np.intp]] = []
        for lo in range(0, left.size, _CHUNK):
            hi = min(lo + _CHUNK, left.size)
            hits.append(np.flatnonzero(work[lo:hi] == best[left[lo:hi]]) + lo)
        hit = np.concatenate(hits)
        first = hit[np.r_[True, left[hit[1:]] != left[hit[:-1]]]]
        take = first[(count[left[first]] > pick) & (work[first] > 0)]
        keep[take] = True
        if pick + 1 < picks:
            work[take] = 0  # weights are >= 1: a taken edge is never a maximum again
    return keep


def _prices(
    left: _Ix,
    right: _Ix,
    weight: NDArray[np.int64],
    chosen: NDArray[np.bool_],
    lcap: NDArray[np.int64],
    rcap: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64]] | None:
    """Dual prices ``(u, v)`` of an optimal solution on these edges, or ``None``.

    Difference constraints on ``p_i = u_i`` and ``q_j = -v_j`` (a residual graph with the
    source and sink merged into one root of distance 0): an unchosen edge is an arc
    ``i -> j`` of length ``-w``, a chosen one an arc ``j -> i`` of length ``w``; the root
    reaches every right node and every left node with capacity left at length 0. Shortest
    distances satisfy every constraint; an optimal solution has no negative cycle, so
    Bellman-Ford settles in as many sweeps as the longest shortest path has arcs.
    """
    n_left, n_right = lcap.size, rcap.size
    full_left = np.bincount(left[chosen], minlength=n_left) >= lcap
    p = np.where(full_left, _INF, 0).astype(np.int64)
    q = np.zeros(n_right, dtype=np.int64)
    free_l, free_r, free_w = left[~chosen], right[~chosen], weight[~chosen]
    took_l, took_r, took_w = left[chosen], right[chosen], weight[chosen]
    for _ in range(MAX_SWEEPS):
        new_q = q.copy()
        np.minimum.at(new_q, free_r, p[free_l] - free_w)
        new_p = p.copy()
        np.minimum.at(new_p, took_l, new_q[took_r] + took_w)
        if bool((new_p < 0).any()):  # a negative cycle: the solution is not optimal
            return None
        if np.array_equal(new_q, q) and np.array_equal(new_p, p):
            return p, -q
        p, q = new_p, new_q
    return None


def _certified(
    left: _Ix,
    right: _Ix,
    weight: NDArray[np.int64],
    chosen: NDArray[np.bool_],
    u: NDArray[np.int64],
    v: NDArray[np.int64],
    lcap: NDArray[np.int64],
    rcap: NDArray[np.int64],
) -> bool:
    """Whether ``(u, v)`` meets the sign and slackness conditions and fits the chosen edges."""
    if (u < 0).any() or (v < 0).any():
        return False
    full_l = np.bincount(left[chosen], minlength=lcap.size) >= lcap
    full_r = np.bincount(right[chosen], minlength=rcap.size) >= rcap
    if (u[~full_l] != 0).any() or (v[~full_r] != 0).any():
        return False
    took = np.flatnonzero(chosen)
    # u + v <= w on chosen edges, computed as u <= w - v (each term within +-2**62).
    return not bool((u[left[took]] > weight[took] - v[right[took]]).any())


def _violated(
    left: _Ix,
    right: _Ix,
    weight: NDArray[np.int64],
    chosen: NDArray[np.bool_],
    u: NDArray[np.int64],
    v: NDArray[np.int64],
) -> NDArray[np.intp]:
    """Unchosen edges whose weight exceeds ``u_i + v_j``, dropped and kept alike (chunked).

    Kept edges satisfy the bound by construction of the prices; checking them too costs
    little and makes the proof independent of how the prices were found. As ``v >= 0``,
    only edges heavier than ``u_i`` can exceed it: they are found first, cheaply.
    """
    found: list[NDArray[np.intp]] = []
    for lo in range(0, left.size, _CHUNK):
        hi = min(lo + _CHUNK, left.size)
        floor = u[left[lo:hi]]
        heavy = weight[lo:hi] > floor
        heavy &= ~chosen[lo:hi]
        at = np.flatnonzero(heavy)
        edges = at + lo
        # w - v > u, computed so that no term leaves +-2**62.
        found.append(edges[weight[edges] - v[right[edges]] > floor[at]])
    return np.concatenate(found) if found else np.zeros(0, dtype=np.intp)
