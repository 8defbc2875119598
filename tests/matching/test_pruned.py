"""Solving on each need's best edges with a proof of optimality (剪枝求解与最优性证明)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import wushe.matching._pruned as pruned_module
import wushe.matching._solver as solver_module
from tests.matching.strategies import AS_OF, COMMUNITIES
from tests.matching.test_match_priority import (
    GROUPS,
    _elder,
    _need,
    contested,
    could_still_take,
)
from tests.matching.test_solver import (
    brute_force,
    forced_engine,
    instances,
    is_feasible,
    solve,
)
from wushe.matching import MatchPolicy, match
from wushe.matching._pruned import solve_pruned
from wushe.matching._solver import MAX_WEIGHT
from wushe.models import Volunteer

Instance = dict[str, Any]


@contextmanager
def pruning(extra: int = 0) -> Iterator[None]:
    """Prune every graph, however small, keeping ``capacity + extra`` edges per left node."""
    saved = solver_module._PRUNE_MIN_EDGES, pruned_module.EXTRA
    solver_module._PRUNE_MIN_EDGES = 0
    pruned_module.EXTRA = extra
    try:
        yield
    finally:
        solver_module._PRUNE_MIN_EDGES, pruned_module.EXTRA = saved


@contextmanager
def no_pruning() -> Iterator[None]:
    saved = solver_module._PRUNE_MIN_EDGES
    solver_module._PRUNE_MIN_EDGES = 2**62
    try:
        yield
    finally:
        solver_module._PRUNE_MIN_EDGES = saved


dense = instances(max_left=6, max_right=5, max_edges=30, max_weight=40)


@given(
    dense,
    st.integers(0, 2),
    st.sampled_from(["lapjv", "ortools", "networkx"]),
)
def test_the_pruned_solve_reaches_the_whole_graph_optimum(instance, extra, engine):
    if engine == "ortools":
        pytest.importorskip("ortools")
    with forced_engine(engine), no_pruning():
        whole = solve(instance)
    with forced_engine(engine), pruning(extra):
        cut = solve(instance)
    assert cut.objective == whole.objective
    assert is_feasible(instance, cut.chosen)


@given(instances(max_left=4, max_right=4, max_edges=10, max_weight=30))
def test_the_pruned_solve_equals_brute_force(instance):
    with pruning(0):
        assert solve(instance).objective == brute_force(instance)


@given(dense, st.integers(0, 3))
def test_pruning_stays_exact_on_weights_near_the_supported_maximum(instance, shift):
    big = dict(instance)
    big["edge_weight"] = MAX_WEIGHT // 8 * (2**shift) - instance["edge_weight"]
    with no_pruning():
        whole = solve(big)
    with pruning(0):
        assert solve(big).objective == whole.objective


def _arrays(instance: Instance) -> tuple[Any, ...]:
    lcap = instance["left_capacity"].astype(np.int64)
    rcap = instance["right_capacity"].astype(np.int64)
    ok = (lcap[instance["edge_left"]] > 0) & (rcap[instance["edge_right"]] > 0)
    return (
        instance["edge_left"][ok],
        instance["edge_right"][ok],
        instance["edge_weight"][ok],
        lcap,
        rcap,
    )


@st.composite
def unit_dense(draw: st.DrawFn) -> Instance:
    """Needs of one place each with several candidates: pruning keeps only some."""
    instance = draw(instances(max_left=4, max_right=4, max_edges=16, max_weight=30))
    instance["left_capacity"] = np.ones(instance["n_left"], dtype=np.int32)
    return instance


@settings(max_examples=200)
@given(unit_dense(), st.data())
def test_the_proof_never_certifies_a_plan_below_the_optimum(instance, data):
    """Whatever the subset solver answers, a returned plan is optimal or none is returned."""
    left, right, weight, lcap, rcap = _arrays(instance)
    if weight.size == 0:
        return
    optimum = solve(instance).objective

    def careless(kept: NDArray[np.intp]) -> NDArray[np.bool_]:
        # Any feasible choice on the subset: greedy over a drawn order.
        order = data.draw(st.permutations(range(kept.size)))
        lrem, rrem = lcap.copy(), rcap.copy()
        mask = np.zeros(kept.size, dtype=np.bool_)
        for k in order:
            e = int(kept[k])
            if lrem[left[e]] > 0 and rrem[right[e]] > 0 and data.draw(st.booleans()):
                lrem[left[e]] -= 1
                rrem[right[e]] -= 1
                mask[k] = True
        return mask

    saved = pruned_module.EXTRA
    pruned_module.EXTRA = 0
    try:
        chosen = solve_pruned(left, right, weight, lcap, rcap, careless)
    finally:
        pruned_module.EXTRA = saved
    if chosen is not None:
        assert int(weight[chosen].sum()) == optimum


def test_a_dropped_edge_that_improves_the_plan_is_added_back():
    """Need 0's best actor is better left to need 1, so need 0 needs its second edge."""
    instance = {
        "n_left": 2,
        "n_right": 2,
        "edge_left": np.array([0, 0, 1], np.int32),
        "edge_right": np.array([0, 1, 0], np.int32),
        "edge_weight": np.array([10, 9, 8], np.int64),
        "left_capacity": np.array([1, 1], np.int32),
        "right_capacity": np.array([1, 1], np.int32),
    }
    rounds: list[int] = []
    left, right, weight, lcap, rcap = _arrays(instance)

    def exact(kept: NDArray[np.intp]) -> NDArray[np.bool_]:
        rounds.append(kept.size)
        return solver_module._solve_parts(
            2, 2, left[kept], right[kept], weight[kept], lcap, rcap, 1
        )[0]

    pruned_module_extra = pruned_module.EXTRA
    pruned_module.EXTRA = 0
    try:
        chosen = solve_pruned(left, right, weight, lcap, rcap, exact)
    finally:
        pruned_module.EXTRA = pruned_module_extra
    assert chosen is not None
    assert np.flatnonzero(chosen).tolist() == [1, 2]  # 9 + 8 beats 10 alone
    assert rounds == [2, 3]
    with pruning(0):
        result = solve(instance)
    assert result.objective == 17
    assert "pruned" in result.method


@st.composite
def crowded(draw: st.DrawFn) -> dict[str, Any]:
    """Needs of mixed tiers, one volunteer each, no windows: the b-matching path."""
    urgency = st.sampled_from(["low", "medium", "high", "critical"])
    n = draw(st.integers(3, 10))
    tiers = [draw(st.integers(0, 2)) for _ in range(n)]
    needs = [
        _need(
            i,
            {"role": "volunteers"},
            None,
            draw(urgency),
            draw(st.sampled_from([0, 30, 120])),
        )
        for i in range(n)
    ]
    actors = [
        Volunteer.model_validate(
            {
                "volunteer_id": f"v{j}",
                "name": "李娜",
                "home_community_id": "c11",
                "skills": ["elderly_care"],
                "capacity": draw(st.integers(1, 2)),
            }
        )
        for j in range(draw(st.integers(1, 5)))
    ]
    return {
        "needs": needs,
        "actors": actors,
        "recipients": [_elder(i, GROUPS[t]) for i, t in enumerate(tiers)],
        "communities": COMMUNITIES,
    }


@settings(max_examples=60, deadline=None)
@given(contested() | crowded())
def test_lexicographic_priority_holds_when_every_role_is_pruned(world):
    with pruning(0):
        plan = match(**world, as_of=AS_OF)
    assert could_still_take(world, plan, MatchPolicy()) == []
    with no_pruning():
        assert match(**world, as_of=AS_OF).objective == plan.objective


def test_prices_above_a_chosen_edge_weight_are_refused():
    """``u_i + v_j <= w`` on chosen edges; the Bellman-Ford fixed point implies it, this
    check makes the proof stand without that argument."""
    left = np.array([0], np.int32)
    right = np.array([0], np.int32)
    weight = np.array([5], np.int64)
    chosen = np.array([True])
    full = np.array([1], np.int64)
    ok = pruned_module._certified(
        left, right, weight, chosen, np.array([3]), np.array([2]), full, full
    )
    too_high = pruned_module._certified(
        left, right, weight, chosen, np.array([3]), np.array([3]), full, full
    )
    assert (ok, too_high) == (True, False)


@given(st.lists(dense, min_size=1, max_size=5), st.integers(1, 12))
def test_small_components_solved_in_batches_reach_the_same_optimum(parts, rows):
    from tests.matching.test_solver import side_by_side  # noqa: PLC0415

    joined = side_by_side(parts)
    saved = solver_module._BATCH_ROWS
    try:
        solver_module._BATCH_ROWS = 1  # every component alone
        alone = solve(joined)
        solver_module._BATCH_ROWS = rows
        batched = solve(joined)
    finally:
        solver_module._BATCH_ROWS = saved
    assert (
        batched.objective == alone.objective == sum(solve(p).objective for p in parts)
    )
    assert is_feasible(joined, batched.chosen)


@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(1, 9)), min_size=1, max_size=40
    ).map(lambda es: sorted(es, key=lambda e: e[0])),
    st.lists(st.integers(0, 4), min_size=7, max_size=7),
)
def test_the_few_best_edges_are_picked_as_a_full_sort_picks_them(edges, count):
    """The segment-maximum shortcut keeps exactly the edges the stable sort keeps."""
    left = np.array([e[0] for e in edges], dtype=np.int32)
    weight = np.array([e[1] for e in edges], dtype=np.int64)
    wanted = np.array(count, dtype=np.int64)
    fast = pruned_module._heaviest_grouped(left, weight, wanted)
    saved = pruned_module._FEW
    pruned_module._FEW = -1  # force the sort
    try:
        sorted_ = pruned_module._heaviest_per_left(left, weight, wanted)
    finally:
        pruned_module._FEW = saved
    assert fast.tolist() == sorted_.tolist()


@pytest.mark.parametrize("budget", ["MAX_SWEEPS", "MAX_ROUNDS"])
@given(instance=dense)
def test_a_proof_out_of_budget_falls_back_to_the_whole_graph(budget, instance):
    with no_pruning():
        whole = solve(instance)
    saved = getattr(pruned_module, budget)
    setattr(pruned_module, budget, 0)
    try:
        with pruning(0):
            cut = solve(instance)
    finally:
        setattr(pruned_module, budget, saved)
    assert cut.objective == whole.objective
    assert "pruned" not in cut.method
