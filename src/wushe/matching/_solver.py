"""Exact capacitated assignment on a candidate graph (精确指派求解).

This is the numerical core of matching: it knows nothing about needs or actors, only about a
bipartite graph held as columnar integer arrays. The matching API turns needs into *left*
nodes (one per need-role), actors into *right* nodes, feasible pairs into *edges* with integer
scores, and calls :func:`solve_assignment`.

Problem (capacitated maximum-weight bipartite b-matching, 带容量的最大权二部匹配):

maximise ``sum(w[e] for e in chosen)`` subject to: left node ``i`` in at most ``c[i]``
chosen edges, right node ``j`` in at most ``b[j]``, every edge chosen at most once.

Nothing has to be matched: a node may stay below its capacity, and since every weight is
positive the optimum leaves a node unmatched only when no augmenting exchange improves it.
"""

from __future__ import annotations

import importlib.util
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Literal, TypeAlias

import attrs
import networkx as nx
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from scipy.sparse import csgraph

from wushe.exceptions import MatchingError
from wushe.matching._pruned import solve_pruned

Method: TypeAlias = Literal["auto", "exact", "greedy"]
MAX_WEIGHT = 2**62
"""The largest accepted edge weight (权重上限); objectives are summed exactly as Python ints."""

_Ix: TypeAlias = NDArray[np.integer[Any]]
"""Node indexes: int32 as the matching API builds them, int64 when a caller passes those."""
_Component: TypeAlias = tuple[
    _Ix | None, _Ix, _Ix, NDArray[np.int64], NDArray[np.int64]
]
"""Edge positions (``None``: every edge, in order), component-local left and right indexes,
global left and right ids."""
_ComponentArgs: TypeAlias = tuple[
    _Ix, _Ix, NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]
]
"""One component's local left and right indexes, weights, left and right capacities."""
_METHODS = ("auto", "exact", "greedy")
_Pool: type[ProcessPoolExecutor] = ProcessPoolExecutor
"""The process pool class used for big components (tests swap in a counting one)."""
_POOL_MIN_EDGES = 1_000_000
"""Edges the second-largest component needs before components go to a process pool.

Measured (``benchmarks/matching_threads.py --districts``): a 1k-need district (0.12 M edges)
solves in ~0.06 s, less than pickling its arrays to a worker and back; a 10k one (1.7 M
edges) in 1-1.5 s, where two such districts ran 1.4-1.5x faster with a free second core."""
_ORTOOLS_MIN_SLOT_EDGES = 8_000_000
_ORTOOLS_MIN_ROWS = 25_000
"""Rows (the unit side's nodes, as LAPJV sees them) from which OR-Tools beats LAPJV.

Measured on the benchmark's pruned districts (6 edges per need): 30k needs, OR-Tools
3.3 s, LAPJV 4.2 s; 100k needs, OR-Tools 16 s, LAPJV 37 s; 10k needs, LAPJV ahead."""
_BATCH_ROWS = 500
"""Left nodes per batch of small components solved in one engine call (``_batch_labels``).

Measured on the pruned 30k district (~12k components, the largest ~200 needs): batches
of 100, 250, 500, 1,000 and 4,000 needs solved the whole problem in 3.7, 2.7, 2.0, 2.7
and 3.4 s."""
_PRUNE_MIN_EDGES = 200_000
"""Edges a graph needs before it is solved on each left node's best edges first (see
``_pruned``). Measured on the benchmark's generator, pruning is not slower even at 18k edges
(0.012 s against 0.015 s) and twice as fast at 0.1-0.3 M; the threshold stays high so that
small inputs keep the whole-graph solve's choice among equally good plans."""


@attrs.frozen(kw_only=True)
class AssignmentResult:
    """The edges chosen by :func:`solve_assignment` (指派结果)."""

    chosen: NDArray[np.int64] = attrs.field(eq=False)
    """Indices of the chosen edges into the caller's edge arrays, ascending (选中的边)."""
    objective: int
    """The total weight of the chosen edges, as an exact Python int (目标值)."""
    method: str
    """The engine that produced the result, e.g. ``"exact:networkx"`` or ``"greedy"`` (求解方法)."""


def solve_assignment(
    n_left: int,
    n_right: int,
    edge_left: NDArray[np.int32],
    edge_right: NDArray[np.int32],
    edge_weight: NDArray[np.int64],
    left_capacity: NDArray[np.int32],
    right_capacity: NDArray[np.int32],
    *,
    method: Method = "auto",
    workers: int | None = 1,
) -> AssignmentResult:
    """Choose edges of maximum total weight within both sides' capacities (精确指派).

    Objective: maximise ``sum(edge_weight[chosen])`` such that left node ``i`` has at most
    ``left_capacity[i]`` chosen edges, right node ``j`` at most ``right_capacity[j]``, and each
    (left, right) pair appears at most once. Matching is not required to be perfect.

    Guarantees:
        * ``"auto"`` and ``"exact"`` return an optimal solution, exactly, for every weight in
          ``1 .. MAX_WEIGHT`` (2**62): integer arithmetic throughout, no float rounding.
        * Deterministic: the same arrays give the same chosen edges. Among several optimal
          solutions the one returned is a fixed function of the arrays *including their
          order*; callers that want order-independent plans sort edges canonically first
          (e.g. by need id, then actor id). Lower edge indices win ties in the greedy.
        * A graph of ``_PRUNE_MIN_EDGES`` (200,000) edges or more is solved on each left
          node's best edges first and grown until integer dual prices prove that no
          dropped edge can improve it (see ``wushe.matching._pruned``); the objective
          equals the whole-graph optimum, and when the proof does not come within its
          budget the whole graph is solved.
        * Connected components of the graph are solved apart (small ones in batches),
          then merged; the objective equals a monolithic solve. When at least two
          components each have a million edges or more, the big ones are spread over
          up to ``workers`` cores (this process and a process pool); the chosen edges
          are identical to ``workers=1``, and a pool that cannot start falls back to
          that.
        * ``"greedy"`` takes edges by descending weight, ties by ascending index, whenever
          both ends have capacity left; it is *not* optimal (about 99.5% on realistic data)
          but never violates a capacity.

    Complexity: components take O(E + V); each exact engine is polynomial (network simplex,
    cost scaling or shortest augmenting paths); a pruning round is O(E) numpy plus the
    pruned solve; greedy is O(E log E).

    Args:
        n_left: Number of demand nodes, e.g. one per need-role (需求侧节点数).
        n_right: Number of supply nodes, e.g. one per actor (供给侧节点数).
        edge_left: Per candidate edge, its left node in ``0 .. n_left - 1``.
        edge_right: Per candidate edge, its right node in ``0 .. n_right - 1``.
        edge_weight: Per candidate edge, its integer score in ``1 .. MAX_WEIGHT``.
        left_capacity: Per left node, how many edges it may take (``>= 0``).
        right_capacity: Per right node, how many edges it may take (``>= 0``).
        method: ``"auto"`` (exact, fastest engine), ``"exact"`` or ``"greedy"``.
        workers: Processes for big independent components (并行进程数): ``1`` (the
            default) solves everything in this process, ``None`` uses
            ``min(2, os.cpu_count())``. A pool pays only with a free core; on
            platforms that start processes by *spawn* (Windows, macOS) the calling script
            needs an ``if __name__ == "__main__":`` guard, as for any process pool.

    Returns:
        The chosen edge indices (ascending), their total weight and the engine used.

    Raises:
        MatchingError: If arrays disagree in length, an index is out of range, a weight or
            capacity is out of range, or the same (left, right) pair appears twice; the
            message names the offending edge or node indices.

    Examples:
        >>> import numpy as np
        >>> result = solve_assignment(
        ...     2, 2,
        ...     np.array([0, 0, 1], dtype=np.int32),
        ...     np.array([0, 1, 0], dtype=np.int32),
        ...     np.array([5, 4, 3], dtype=np.int64),
        ...     np.array([1, 1], dtype=np.int32),
        ...     np.array([1, 1], dtype=np.int32),
        ... )
        >>> result.chosen.tolist(), result.objective
        ([1, 2], 7)
    """
    if method not in _METHODS:
        msg = f"solve_assignment: method must be one of {_METHODS}, got {method!r}"
        raise MatchingError(msg)
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    if type(workers) is not int or workers < 1:  # bool and float rejected too
        msg = f"solve_assignment: workers must be None or an int >= 1, got {workers!r}"
        raise MatchingError(msg)
    left, right, weight, lcap, rcap = _validate(
        n_left,
        n_right,
        edge_left,
        edge_right,
        edge_weight,
        left_capacity,
        right_capacity,
    )
    if method == "greedy":
        mask = _greedy(left, right, weight, lcap, rcap)
        name = "greedy"
    else:
        mask, name = _solve_exact(
            n_left, n_right, left, right, weight, lcap, rcap, workers
        )
    chosen = np.flatnonzero(mask).astype(np.int64)
    return AssignmentResult(
        chosen=chosen, objective=_exact_sum(weight[chosen]), method=name
    )


def _exact_sum(values: NDArray[np.int64]) -> int:
    """Sum int64 values without overflow: numpy when the bound fits, Python ints otherwise."""
    if values.size == 0:
        return 0
    if int(values.max()) * values.size < 2**63:
        return int(values.sum())
    return sum(values.tolist())


def _validate(
    n_left: int,
    n_right: int,
    edge_left: NDArray[np.int32],
    edge_right: NDArray[np.int32],
    edge_weight: NDArray[np.int64],
    left_capacity: NDArray[np.int32],
    right_capacity: NDArray[np.int32],
) -> tuple[_Ix, _Ix, NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    if n_left < 0 or n_right < 0:
        msg = f"solve_assignment: node counts must be >= 0, got n_left={n_left}, n_right={n_right}"
        raise MatchingError(msg)
    arrays = {
        "edge_left": edge_left,
        "edge_right": edge_right,
        "edge_weight": edge_weight,
        "left_capacity": left_capacity,
        "right_capacity": right_capacity,
    }
    for name, array in arrays.items():
        arr = np.asarray(array)
        if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.integer):
            msg = f"solve_assignment: {name} must be a 1-D integer array, got {arr.dtype} with shape {arr.shape}"
            raise MatchingError(msg)
    # Node indexes stay in the caller's integer type (int32 from the matching API): they are
    # range-checked first and only then narrowed, so no int64 copy of an edge array is made.
    left = np.asarray(edge_left)
    right = np.asarray(edge_right)
    weight = np.asarray(edge_weight)
    lcap = np.asarray(left_capacity, dtype=np.int64)
    rcap = np.asarray(right_capacity, dtype=np.int64)
    if not left.size == right.size == weight.size:
        msg = (
            "solve_assignment: edge_left, edge_right and edge_weight must have one entry per "
            f"edge, got lengths {left.size}, {right.size}, {weight.size}"
        )
        raise MatchingError(msg)
    for name, caps, count, side in (
        ("left_capacity", lcap, n_left, "n_left"),
        ("right_capacity", rcap, n_right, "n_right"),
    ):
        if caps.size != count:
            msg = f"solve_assignment: {name} has {caps.size} entries for {side}={count}"
            raise MatchingError(msg)
    _check_range("edge_left", left, 0, n_left - 1, "edge")
    _check_range("edge_right", right, 0, n_right - 1, "edge")
    _check_range("edge_weight", weight, 1, MAX_WEIGHT, "edge")
    _check_range("left_capacity", lcap, 0, 2**31 - 1, "left node")
    _check_range("right_capacity", rcap, 0, 2**31 - 1, "right node")
    index_type = np.int32 if n_left + n_right + 2 < 2**31 else np.int64
    left = left.astype(index_type, copy=False)
    right = right.astype(index_type, copy=False)
    weight = weight.astype(np.int64, copy=False)
    if left.size > 1:
        if _strictly_sorted(left, right):  # canonical (left, right) order: no sort
            return left, right, weight, lcap, rcap
        key = left.astype(np.int64) * max(n_right, 1) + right
        order = np.argsort(key, kind="stable")
        dup = np.flatnonzero(key[order[1:]] == key[order[:-1]])
        if dup.size:
            first, second = int(order[dup[0]]), int(order[dup[0] + 1])
            msg = (
                f"solve_assignment: edges {first} and {second} both join left node "
                f"{int(left[first])} to right node {int(right[first])} "
                f"({dup.size} duplicate pair(s) in total); each pair may appear once"
            )
            raise MatchingError(msg)
    return left, right, weight, lcap, rcap


def _strictly_sorted(left: NDArray[np.integer], right: NDArray[np.integer]) -> bool:
    """Whether edges are in strictly increasing (left, right) order, without a key array."""
    step = left[1:] >= left[:-1]
    if not bool(step.all()):
        return False
    np.equal(left[1:], left[:-1], out=step)
    step &= right[1:] <= right[:-1]
    return not bool(step.any())


def _check_range(
    name: str, values: NDArray[np.integer], low: int, high: int, what: str
) -> None:
    if values.size == 0:
        return
    if int(values.min()) >= low and int(values.max()) <= high:
        return
    bad = np.flatnonzero((values < low) | (values > high))
    if bad.size:
        index = int(bad[0])
        msg = (
            f"solve_assignment: {name}[{index}] = {int(values[index])} is outside "
            f"{low}..{high} ({bad.size} bad {what}(s) in total)"
        )
        raise MatchingError(msg)


def _greedy(
    left: _Ix,
    right: _Ix,
    weight: NDArray[np.int64],
    lcap: NDArray[np.int64],
    rcap: NDArray[np.int64],
) -> NDArray[np.bool_]:
    order = np.lexsort((np.arange(weight.size), -weight))
    lrem = lcap.tolist()
    rrem = rcap.tolist()
    mask = np.zeros(weight.size, dtype=np.bool_)
    for e, i, j in zip(
        order.tolist(), left[order].tolist(), right[order].tolist(), strict=True
    ):
        if lrem[i] > 0 and rrem[j] > 0:
            lrem[i] -= 1
            rrem[j] -= 1
            mask[e] = True
    return mask


def _solve_exact(
    n_left: int,
    n_right: int,
    left: _Ix,
    right: _Ix,
    weight: NDArray[np.int64],
    lcap: NDArray[np.int64],
    rcap: NDArray[np.int64],
    workers: int,
) -> tuple[NDArray[np.bool_], str]:
    mask = np.zeros(weight.size, dtype=np.bool_)
    if weight.size == 0:
        return mask, "exact"
    ok = (lcap > 0)[left]
    ok &= (rcap > 0)[right]
    usable: NDArray[np.intp] | None = None
    if bool(ok.all()):  # the usual case: no copy of the edge arrays
        sub_left, sub_right, sub_weight = left, right, weight
    else:
        usable = np.flatnonzero(ok)
        if usable.size == 0:
            return mask, "exact"
        sub_left, sub_right, sub_weight = left[usable], right[usable], weight[usable]
    del ok
    engines: set[str] = set()
    local: NDArray[np.bool_] | None = None
    if sub_weight.size >= _PRUNE_MIN_EDGES:

        def subset(kept: NDArray[np.intp]) -> NDArray[np.bool_]:
            part_mask, names = _solve_parts(
                n_left,
                n_right,
                sub_left[kept],
                sub_right[kept],
                sub_weight[kept],
                lcap,
                rcap,
                workers,
            )
            engines.update(names)
            return part_mask

        local = solve_pruned(sub_left, sub_right, sub_weight, lcap, rcap, subset)
        if local is not None:
            engines.add("pruned")
    if local is None:
        engines.clear()
        local, names = _solve_parts(
            n_left, n_right, sub_left, sub_right, sub_weight, lcap, rcap, workers
        )
        engines.update(names)
    mask[np.flatnonzero(local) if usable is None else usable[local]] = True
    return mask, "exact:" + "+".join(sorted(engines))


def _solve_parts(
    n_left: int,
    n_right: int,
    sub_left: _Ix,
    sub_right: _Ix,
    sub_weight: NDArray[np.int64],
    lcap: NDArray[np.int64],
    rcap: NDArray[np.int64],
    workers: int,
) -> tuple[NDArray[np.bool_], set[str]]:
    """Solve each connected component of these edges; their chosen mask and engines."""
    parts = _components(n_left, n_right, sub_left, sub_right, batch_rows=_BATCH_ROWS)

    def args(part: _Component) -> _ComponentArgs:
        edges, local_l, local_r, nodes_l, nodes_r = part
        # A component holding every edge has them all, in order: no copy of the weights.
        part_weight = sub_weight if edges is None else sub_weight[edges]
        return local_l, local_r, part_weight, lcap[nodes_l], rcap[nodes_r]

    # Both exact engines hold the GIL (threads gained ~1.1x), so big independent components
    # go to worker processes; results are merged in component order, whatever finishes
    # first, so the chosen edges are those of the sequential solve.
    sizes = [part[1].size for part in parts]
    big = [k for k, size in enumerate(sizes) if size >= _POOL_MIN_EDGES]
    results: list[tuple[NDArray[np.bool_], str] | None] = [None] * len(parts)
    if workers > 1 and len(big) > 1:
        # Longest first onto the least-loaded core (LPT); core 0 is this process, which
        # also takes every small component, so its arrays are never pickled.
        big.sort(key=lambda k: -sizes[k])
        cores = min(workers, len(big))
        load = [0] * cores
        elsewhere = []
        for k in big:
            core = load.index(min(load))
            load[core] += sizes[k]
            if core:
                elsewhere.append(k)
        # Any failure to start or run the pool (no process support, a broken worker, an
        # unguarded __main__ under spawn) leaves entries unset: they are solved below, in
        # this process, so the outcome never depends on the pool.
        try:
            with _Pool(max_workers=cores - 1) as pool:
                futures = {
                    k: pool.submit(_solve_component, *args(parts[k])) for k in elsewhere
                }
                for k, part in enumerate(parts):
                    if k not in futures:
                        results[k] = _solve_component(*args(part))
                for k, future in futures.items():
                    results[k] = future.result()
        except (OSError, RuntimeError, NotImplementedError, ImportError, EOFError):
            pass
    for k, part in enumerate(parts):
        if results[k] is None:
            results[k] = _solve_component(*args(part))
    mask = np.zeros(sub_weight.size, dtype=np.bool_)
    engines = set()
    for (edges, *_), solved in zip(parts, results, strict=True):
        assert solved is not None
        local, engine = solved
        mask[np.flatnonzero(local) if edges is None else edges[local]] = True
        engines.add(engine)
    return mask, engines


def _solve_component(
    left: _Ix,
    right: _Ix,
    weight: NDArray[np.int64],
    lcap: NDArray[np.int64],
    rcap: NDArray[np.int64],
) -> tuple[NDArray[np.bool_], str]:
    """Pick the fastest exact engine for one connected component and run it."""
    if left.size == 1:
        return np.ones(1, dtype=np.bool_), "trivial"
    # A node never uses more slots than it has edges.
    lcap = np.minimum(lcap, np.bincount(left, minlength=lcap.size))
    rcap = np.minimum(rcap, np.bincount(right, minlength=rcap.size))
    unit_left, unit_right = int(lcap.max()) <= 1, int(rcap.max()) <= 1
    if unit_left:
        slot_edges, rows = int(rcap[right].sum()), lcap.size
    elif unit_right:
        slot_edges, rows = int(lcap[left].sum()), rcap.size
    else:
        slot_edges = int((lcap[left] + rcap[right] + 1).sum())
        rows = int(lcap.sum()) + left.size
    # LAPJV runs one shortest-path search over every column per row it cannot place at
    # once: time grows with the square of the rows, so big components go elsewhere.
    big = slot_edges >= _ORTOOLS_MIN_SLOT_EDGES or rows >= _ORTOOLS_MIN_ROWS
    if big and _has_ortools():
        mask = _engine_ortools(left, right, weight, lcap, rcap)
        if mask is not None:
            return mask, "ortools"
    if _float_exact(weight, slot_edges + lcap.size + rcap.size + left.size):
        if unit_left:
            return _lapjv_unit_rows(left, right, weight, rcap), "lapjv"
        if unit_right:
            return _lapjv_unit_rows(right, left, weight, lcap), "lapjv"
        return _lapjv_gadget(left, right, weight, lcap, rcap), "lapjv"
    if _has_ortools():
        mask = _engine_ortools(left, right, weight, lcap, rcap)
        if mask is not None:
            return mask, "ortools"
    return _engine_networkx(left, right, weight, lcap, rcap), "networkx"


def _float_exact(weight: NDArray[np.int64], size: int) -> bool:
    """Whether float64 arithmetic on these costs stays exact (integers below 2**53).

    LAPJV adds and subtracts costs along augmenting paths; its potentials stay within
    ``size * (max weight + 1)``. A factor 4 of headroom on top.
    """
    return (int(weight.max()) + 2) * (size + 1) * 4 < 2**53


def _lapjv_unit_rows(
    rows: _Ix,
    cols: _Ix,
    weight: NDArray[np.int64],
    col_cap: NDArray[np.int64],
) -> NDArray[np.bool_]:
    """Sparse LAPJV (scipy) for rows of capacity 1 against slot-duplicated columns.

    Every row must be matched, so each row also gets its own dummy column of cost
    ``W = max weight + 1`` ("stay unmatched"); a real edge costs ``W - w``. A full row
    matching of minimum cost then has maximum chosen weight.
    """
    n_rows, n_cols = int(rows.max()) + 1, col_cap.size
    key = rows.astype(np.int64) * n_cols + cols
    if bool(np.all(key[1:] > key[:-1])):
        order = np.arange(rows.size)
    else:
        order = np.argsort(key, kind="stable")
        key = key[order]
    r, c = rows[order], cols[order]
    big_w = float(weight.max()) + 1.0
    rep = col_cap[c]
    before = np.cumsum(rep) - rep
    n_slots, total = int(col_cap.sum()), int(rep.sum()) + n_rows
    index_type = np.int32 if total + n_slots < 2**31 else np.int64
    # Row i holds its dummy first, then the slots of each of its edges in edge order.
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(
        np.bincount(r, weights=rep, minlength=n_rows).astype(np.int64) + 1,
        out=indptr[1:],
    )
    edge_of_entry = np.repeat(np.arange(r.size, dtype=index_type), rep)
    entry = np.arange(edge_of_entry.size, dtype=index_type)
    slot_start = np.cumsum(col_cap) - col_cap
    indices = np.empty(total, dtype=index_type)
    data = np.empty(total, dtype=np.float64)
    # Entry k of edge e sits after the dummies of rows 0..r[e]; it is slot k - before[e].
    pos = entry + r[edge_of_entry] + 1
    indices[pos] = slot_start[c[edge_of_entry]] + (entry - before[edge_of_entry])
    data[pos] = big_w - weight[order[edge_of_entry]]
    del pos, entry, edge_of_entry
    indices[indptr[:-1]] = n_slots + np.arange(n_rows)
    data[indptr[:-1]] = big_w
    matrix = sp.csr_array(
        (data, indices, indptr.astype(index_type)), shape=(n_rows, n_slots + n_rows)
    )
    del data, indices
    row_ind, col_ind = csgraph.min_weight_full_bipartite_matching(matrix)
    del matrix
    real = col_ind < n_slots
    owner = np.searchsorted(slot_start, col_ind[real], side="right") - 1
    pick = np.searchsorted(key, row_ind[real].astype(np.int64) * n_cols + owner)
    mask = np.zeros(rows.size, dtype=np.bool_)
    mask[order[pick]] = True
    return mask


def _lapjv_gadget(
    left: _Ix,
    right: _Ix,
    weight: NDArray[np.int64],
    lcap: NDArray[np.int64],
    rcap: NDArray[np.int64],
) -> NDArray[np.bool_]:
    """Sparse LAPJV when both sides have capacities above 1, each pair used at most once.

    Slot duplication of both sides could use one pair twice, so each edge becomes a gadget.
    Rows: the left slots and one row ``b_e`` per edge. Columns: one column ``a_e`` per edge,
    the right slots, and a dummy per left slot. Left slot -> ``a_e`` means "this slot uses
    edge e" (cost ``W - w_e``); ``b_e`` -> ``a_e`` means "edge e unused"; ``b_e`` -> a slot
    of its right node means "edge e takes that slot". Edge e is chosen exactly when a left
    slot takes ``a_e``. All costs are shifted by +1 (the same for every full matching).
    """
    n_edges = left.size
    big_w = float(weight.max()) + 1.0
    lstart, rstart = np.cumsum(lcap) - lcap, np.cumsum(rcap) - rcap
    n_lslots, n_rslots = int(lcap.sum()), int(rcap.sum())
    edge_ids = np.arange(n_edges)
    rep = lcap[left]
    e1 = np.repeat(edge_ids, rep)
    s1 = lstart[left[e1]] + (np.arange(e1.size) - np.repeat(np.cumsum(rep) - rep, rep))
    rep = rcap[right]
    e2 = np.repeat(edge_ids, rep)
    t2 = rstart[right[e2]] + (np.arange(e2.size) - np.repeat(np.cumsum(rep) - rep, rep))
    rows = np.concatenate([s1, np.arange(n_lslots), n_lslots + edge_ids, n_lslots + e2])
    cols = np.concatenate(
        [e1, n_edges + n_rslots + np.arange(n_lslots), edge_ids, n_edges + t2]
    )
    data = np.concatenate(
        [
            big_w - weight[e1] + 1,
            np.full(n_lslots, big_w + 1),
            np.ones(n_edges + e2.size),
        ]
    )
    matrix = sp.csr_array(
        (data, (rows, cols)), shape=(n_lslots + n_edges, n_edges + n_rslots + n_lslots)
    )
    row_ind, col_ind = csgraph.min_weight_full_bipartite_matching(matrix)
    taken = (row_ind < n_lslots) & (col_ind < n_edges)
    mask = np.zeros(n_edges, dtype=np.bool_)
    mask[col_ind[taken]] = True
    return mask


def _has_ortools() -> bool:
    return importlib.util.find_spec("ortools") is not None


def _engine_ortools(
    left: _Ix,
    right: _Ix,
    weight: NDArray[np.int64],
    lcap: NDArray[np.int64],
    rcap: NDArray[np.int64],
) -> NDArray[np.bool_] | None:
    """OR-Tools min-cost flow (extra ``wushe[ortools]``); ``None`` if its costs overflow."""
    from ortools.graph.python import min_cost_flow  # noqa: PLC0415

    n_l, n_r, n_e = lcap.size, rcap.size, left.size
    source, sink = n_l + n_r, n_l + n_r + 1
    supply = int(lcap.sum())
    # Arc arrays are filled in place in the types OR-Tools takes (int32 nodes, int64
    # capacities and costs): no int64 concatenation of the edge arrays first.
    total = n_e + n_l + n_r + 1
    tails = np.empty(total, dtype=np.int32)
    heads = np.empty(total, dtype=np.int32)
    tails[:n_e] = left
    heads[:n_e] = right
    heads[:n_e] += n_l
    tails[n_e : n_e + n_l] = source
    heads[n_e : n_e + n_l] = np.arange(n_l, dtype=np.int32)
    tails[n_e + n_l : -1] = np.arange(n_l, n_l + n_r, dtype=np.int32)
    heads[n_e + n_l : -1] = sink
    tails[-1], heads[-1] = source, sink
    caps = np.ones(total, dtype=np.int64)
    caps[n_e : n_e + n_l] = lcap
    caps[n_e + n_l : -1] = rcap
    caps[-1] = supply
    costs = np.zeros(total, dtype=np.int64)
    np.negative(weight, out=costs[:n_e])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    del tails, heads, caps, costs
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    if flow.solve() != flow.OPTIMAL:
        return None
    # Read flows back in chunks: a full int64 flow array would sit beside the solver's own.
    mask = np.empty(n_e, dtype=np.bool_)
    for lo in range(0, n_e, 1 << 22):
        hi = min(lo + (1 << 22), n_e)
        mask[lo:hi] = flow.flows(np.arange(lo, hi, dtype=np.int32)) > 0
    return mask


def _components(
    n_left: int, n_right: int, left: _Ix, right: _Ix, *, batch_rows: int = 0
) -> list[_Component]:
    """Split edges into connected components, in the order scipy labels them.

    Returns, per component: its edge positions (ascending), the edges' component-local left
    and right node indices, and the global ids of its left and right nodes. With
    ``batch_rows``, consecutive components of fewer left nodes are packed into batches of
    about that many (see ``_batch_labels``); a batch is a disjoint union, so solving it
    solves each member.
    """
    n = n_left + n_right
    ones = np.ones(left.size, dtype=np.int8)
    if bool((left[1:] >= left[:-1]).all()):  # grouped by left: the CSR rows directly
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(left, minlength=n_left), out=indptr[1 : n_left + 1])
        indptr[n_left + 1 :] = left.size
        graph = sp.csr_array((ones, right + n_left, indptr), shape=(n, n))
    else:
        graph = sp.csr_array((ones, (left, right + n_left)), shape=(n, n))
    del ones
    count, label = csgraph.connected_components(graph, directed=False)
    del graph
    if batch_rows:
        count, label = _batch_labels(count, label, n_left, left, batch_rows)
    label_l, label_r = label[:n_left], label[n_left:]
    rank_l, members_l, start_l = _rank_within(label_l, count)
    rank_r, members_r, start_r = _rank_within(label_r, count)
    edge_label = label_l[left]
    groups: list[tuple[int, _Ix]]
    if int(edge_label.min()) == int(edge_label.max()):  # one component: no reordering
        c = int(edge_label[0])
        del edge_label
        # Every edge, in order; a side whose nodes all have edges keeps its indexes as is.
        local_l: _Ix = (
            left if members_l.size == start_l[c + 1] - start_l[c] else rank_l[left]
        )
        local_r: _Ix = (
            right if members_r.size == start_r[c + 1] - start_r[c] else rank_r[right]
        )
        return [
            (
                None,
                local_l,
                local_r,
                members_l[start_l[c] : start_l[c + 1]],
                members_r[start_r[c] : start_r[c + 1]],
            )
        ]
    order = np.argsort(edge_label, kind="stable")
    sorted_label = edge_label[order]
    starts = np.flatnonzero(np.r_[True, sorted_label[1:] != sorted_label[:-1]])
    ends = np.r_[starts[1:], order.size]
    groups = [
        (int(sorted_label[a]), order[a:b])
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
    ]
    return [
        (
            edges,
            rank_l[left[edges]],
            rank_r[right[edges]],
            members_l[start_l[c] : start_l[c + 1]],
            members_r[start_r[c] : start_r[c + 1]],
        )
        for c, edges in groups
    ]


def _batch_labels(
    count: int,
    label: NDArray[np.int32],
    n_left: int,
    left: _Ix,
    batch_rows: int,
) -> tuple[int, NDArray[np.int64]]:
    """Component labels mapped to batch labels: small components packed in label order.

    One engine call per batch instead of one per component (a pruned 100k district has
    tens of thousands of components of a few nodes each), while LAPJV's per-row cost,
    which grows with the columns of its call, stays bounded. Components of at least
    ``batch_rows`` left nodes keep a batch of their own; components without edges
    (isolated nodes) go to one last batch that no edge names.
    """
    rows = np.bincount(label[:n_left], minlength=count)
    has_edges = np.bincount(label[left], minlength=count) > 0
    small = has_edges & (rows < batch_rows)
    before = np.cumsum(np.where(small, rows, 0)) - np.where(small, rows, 0)
    n_small = int(before[small].max()) // batch_rows + 1 if small.any() else 0
    big = has_edges & ~small
    batch = np.full(count, n_small + int(big.sum()), dtype=np.int64)
    batch[small] = before[small] // batch_rows
    batch[big] = n_small + np.arange(int(big.sum()))
    # Labels renumbered in order of first use, so batches keep the components' order.
    used, first = np.unique(batch, return_inverse=True)
    return used.size, first[label]


def _rank_within(
    label: NDArray[np.int64], count: int
) -> tuple[_Ix, NDArray[np.int64], NDArray[np.int64]]:
    """Each node's index inside its component, the nodes grouped by component, and offsets."""
    members: NDArray[np.int64] = np.argsort(label, kind="stable")
    start = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(label, minlength=count), out=start[1:])
    rank: _Ix = np.empty(label.size, dtype=np.int32 if label.size < 2**31 else np.int64)
    rank[members] = np.arange(label.size) - start[label[members]]
    return rank, members, start


def _engine_networkx(
    left: _Ix,
    right: _Ix,
    weight: NDArray[np.int64],
    lcap: NDArray[np.int64],
    rcap: NDArray[np.int64],
) -> NDArray[np.bool_]:
    """Network simplex on Python ints: exact for any weight, slow; the reference engine."""
    graph: nx.DiGraph[object] = nx.DiGraph()
    supply = int(lcap.sum())
    graph.add_node("s", demand=-supply)
    graph.add_node("t", demand=supply)
    graph.add_edge("s", "t", capacity=supply, weight=0)
    for i, c in enumerate(lcap.tolist()):
        graph.add_edge("s", ("l", i), capacity=c, weight=0)
    for j, b in enumerate(rcap.tolist()):
        graph.add_edge(("r", j), "t", capacity=b, weight=0)
    for i, j, w in zip(left.tolist(), right.tolist(), weight.tolist(), strict=True):
        graph.add_edge(("l", i), ("r", j), capacity=1, weight=-w)
    _, flow = nx.network_simplex(graph)
    return np.array(
        [
            flow[("l", i)][("r", j)] > 0
            for i, j in zip(left.tolist(), right.tolist(), strict=True)
        ],
        dtype=np.bool_,
    )
