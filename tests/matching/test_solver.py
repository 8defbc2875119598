"""Properties of the exact capacitated assignment solver (精确指派求解)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import combinations
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import wushe.matching._solver as solver_module
from wushe.exceptions import MatchingError
from wushe.matching._solver import MAX_WEIGHT, AssignmentResult, solve_assignment

Instance = dict[str, Any]


@st.composite
def instances(
    draw: st.DrawFn,
    *,
    max_left: int = 5,
    max_right: int = 5,
    max_edges: int = 12,
    max_weight: int = 20,
    max_capacity: int = 3,
) -> Instance:
    """Bipartite graphs with unique pairs, positive weights and capacities (含 0)."""
    n_left = draw(st.integers(0, max_left))
    n_right = draw(st.integers(0, max_right))
    pairs: list[tuple[int, int]] = []
    if n_left and n_right:
        pairs = draw(
            st.lists(
                st.tuples(st.integers(0, n_left - 1), st.integers(0, n_right - 1)),
                unique=True,
                max_size=max_edges,
            )
        )
    weights = draw(
        st.lists(st.integers(1, max_weight), min_size=len(pairs), max_size=len(pairs))
    )
    lcap = draw(
        st.lists(st.integers(0, max_capacity), min_size=n_left, max_size=n_left)
    )
    rcap = draw(
        st.lists(st.integers(0, max_capacity), min_size=n_right, max_size=n_right)
    )
    return {
        "n_left": n_left,
        "n_right": n_right,
        "edge_left": np.array([p[0] for p in pairs], dtype=np.int32),
        "edge_right": np.array([p[1] for p in pairs], dtype=np.int32),
        "edge_weight": np.array(weights, dtype=np.int64),
        "left_capacity": np.array(lcap, dtype=np.int32),
        "right_capacity": np.array(rcap, dtype=np.int32),
    }


def solve(instance: Instance, **kwargs: Any) -> AssignmentResult:
    return solve_assignment(
        instance["n_left"],
        instance["n_right"],
        instance["edge_left"],
        instance["edge_right"],
        instance["edge_weight"],
        instance["left_capacity"],
        instance["right_capacity"],
        **kwargs,
    )


def is_feasible(instance: Instance, chosen: NDArray[np.int64]) -> bool:
    left_load = np.bincount(instance["edge_left"][chosen], minlength=instance["n_left"])
    right_load = np.bincount(
        instance["edge_right"][chosen], minlength=instance["n_right"]
    )
    return bool(
        np.all(left_load <= instance["left_capacity"])
        and np.all(right_load <= instance["right_capacity"])
    )


def brute_force(instance: Instance) -> int:
    """The best objective over every subset of edges (枚举)."""
    weights = instance["edge_weight"].tolist()
    best = 0
    for size in range(len(weights) + 1):
        for subset in combinations(range(len(weights)), size):
            chosen = np.array(subset, dtype=np.int64)
            if is_feasible(instance, chosen):
                best = max(best, sum(weights[e] for e in subset))
    return best


@given(instances(max_edges=10))
def test_exact_objective_equals_brute_force_on_tiny_instances(instance):
    result = solve(instance, method="exact")
    assert result.objective == brute_force(instance)


ENGINES = ["lapjv", "ortools", "networkx"]


@contextmanager
def forced_engine(engine: str) -> Iterator[None]:
    """Route every component to one exact engine (each must be exact on its own)."""
    saved = (
        solver_module._has_ortools,
        solver_module._float_exact,
        solver_module._ORTOOLS_MIN_SLOT_EDGES,
    )
    if engine == "ortools":
        solver_module._ORTOOLS_MIN_SLOT_EDGES = 0
    else:
        solver_module._has_ortools = lambda: False
        if engine == "networkx":
            solver_module._float_exact = lambda weight, size: False
    try:
        yield
    finally:
        (
            solver_module._has_ortools,
            solver_module._float_exact,
            solver_module._ORTOOLS_MIN_SLOT_EDGES,
        ) = saved


@pytest.mark.parametrize("engine", ENGINES)
@given(instance=instances(max_edges=10))
def test_every_exact_engine_equals_brute_force(engine, instance):
    if engine == "ortools":
        pytest.importorskip("ortools")
    with forced_engine(engine):
        result = solve(instance, method="exact")
    assert result.objective == brute_force(instance)
    assert is_feasible(instance, result.chosen)
    used = set(result.method.removeprefix("exact").lstrip(":").split("+")) - {""}
    assert used <= {engine, "trivial"}


@given(
    instances(max_left=8, max_right=8, max_edges=30),
    st.sampled_from(["auto", "exact", "greedy"]),
)
def test_never_exceeds_a_capacity_and_reports_the_chosen_weight(instance, method):
    result = solve(instance, method=method)
    assert is_feasible(instance, result.chosen)
    assert np.all(np.diff(result.chosen) > 0)
    assert result.objective == int(instance["edge_weight"][result.chosen].sum())


@given(instances(max_left=8, max_right=8, max_edges=30))
def test_identical_input_gives_identical_chosen_edges(instance):
    first = solve(instance)
    second = solve(
        {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in instance.items()}
    )
    assert first.chosen.tolist() == second.chosen.tolist()
    assert first.objective == second.objective


@given(instances(max_left=8, max_right=8, max_edges=30))
def test_greedy_never_beats_exact(instance):
    assert (
        solve(instance, method="greedy").objective
        <= solve(instance, method="exact").objective
    )


@given(
    instances(max_left=6, max_right=6, max_edges=15),
    instances(max_left=6, max_right=6, max_edges=15),
)
def test_disjoint_components_solve_to_the_sum_of_their_optima(a, b):
    """Two instances side by side (disjoint components) solve to the sum of their optima."""
    joined = {
        "n_left": a["n_left"] + b["n_left"],
        "n_right": a["n_right"] + b["n_right"],
        "edge_left": np.r_[a["edge_left"], b["edge_left"] + a["n_left"]].astype(
            np.int32
        ),
        "edge_right": np.r_[a["edge_right"], b["edge_right"] + a["n_right"]].astype(
            np.int32
        ),
        "edge_weight": np.r_[a["edge_weight"], b["edge_weight"]].astype(np.int64),
        "left_capacity": np.r_[a["left_capacity"], b["left_capacity"]].astype(np.int32),
        "right_capacity": np.r_[a["right_capacity"], b["right_capacity"]].astype(
            np.int32
        ),
    }
    assert solve(joined).objective == solve(a).objective + solve(b).objective


def side_by_side(parts: list[Instance]) -> Instance:
    """Instances joined into one graph, each part's nodes numbered after the previous ones."""
    lefts = np.cumsum([0] + [p["n_left"] for p in parts])
    rights = np.cumsum([0] + [p["n_right"] for p in parts])
    return {
        "n_left": int(lefts[-1]),
        "n_right": int(rights[-1]),
        "edge_left": np.concatenate(
            [p["edge_left"] + o for p, o in zip(parts, lefts, strict=False)]
        ).astype(np.int32),
        "edge_right": np.concatenate(
            [p["edge_right"] + o for p, o in zip(parts, rights, strict=False)]
        ).astype(np.int32),
        "edge_weight": np.concatenate([p["edge_weight"] for p in parts]).astype(
            np.int64
        ),
        "left_capacity": np.concatenate([p["left_capacity"] for p in parts]).astype(
            np.int32
        ),
        "right_capacity": np.concatenate([p["right_capacity"] for p in parts]).astype(
            np.int32
        ),
    }


class CountingPool(ProcessPoolExecutor):
    """The solver's process pool, counting the components it is handed."""

    submitted = 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        CountingPool.submitted += 1
        return super().submit(fn, *args, **kwargs)


@contextmanager
def pool_for_every_component() -> Iterator[None]:
    """Send every component with an edge to the (counting) pool, however small, unbatched."""
    saved = (
        solver_module._POOL_MIN_EDGES,
        solver_module._Pool,
        solver_module._BATCH_ROWS,
    )
    solver_module._POOL_MIN_EDGES = 1
    solver_module._Pool = CountingPool
    solver_module._BATCH_ROWS = 1
    CountingPool.submitted = 0
    try:
        yield
    finally:
        (
            solver_module._POOL_MIN_EDGES,
            solver_module._Pool,
            solver_module._BATCH_ROWS,
        ) = saved


@settings(max_examples=12, deadline=None)
@given(
    st.lists(instances(max_left=6, max_right=6, max_edges=15), min_size=2, max_size=4),
    st.sampled_from(["auto", "exact"]),
)
def test_process_pool_chooses_the_same_edges_as_the_sequential_solve(parts, method):
    joined = side_by_side(parts)
    sequential = solve(joined, method=method, workers=1)
    with pool_for_every_component():
        pooled = solve(joined, method=method, workers=2)
    assert pooled.chosen.tolist() == sequential.chosen.tolist()
    assert pooled.objective == sequential.objective
    usable = [
        p
        for p in parts
        if np.any(
            (p["left_capacity"][p["edge_left"]] > 0)
            & (p["right_capacity"][p["edge_right"]] > 0)
        )
    ]
    if len(usable) >= 2 and method != "greedy":  # the pool really ran
        assert CountingPool.submitted >= 1


def pair_instance() -> Instance:
    one = {
        "n_left": 2,
        "n_right": 2,
        "edge_left": np.array([0, 0, 1], np.int32),
        "edge_right": np.array([0, 1, 0], np.int32),
        "edge_weight": np.array([5, 4, 3], np.int64),
        "left_capacity": np.array([1, 1], np.int32),
        "right_capacity": np.array([1, 1], np.int32),
    }
    return side_by_side([one, one, one])


def test_big_components_go_to_the_pool_unless_one_worker_is_asked():
    instance = pair_instance()
    with pool_for_every_component():
        pooled = solve(instance, workers=2)
        assert CountingPool.submitted == 1  # the other two stay in this process
        CountingPool.submitted = 0
        alone = solve(instance, workers=1)
        assert CountingPool.submitted == 0
    assert pooled.chosen.tolist() == alone.chosen.tolist() == [1, 2, 4, 5, 7, 8]


def test_a_pool_that_cannot_start_falls_back_to_the_sequential_solve():
    class NoPool(ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            msg = "no processes here"
            raise OSError(msg)

    instance = pair_instance()
    saved = (
        solver_module._POOL_MIN_EDGES,
        solver_module._Pool,
        solver_module._BATCH_ROWS,
    )
    solver_module._POOL_MIN_EDGES = 1
    solver_module._Pool = NoPool
    solver_module._BATCH_ROWS = 1
    try:
        result = solve(instance, workers=2)
    finally:
        (
            solver_module._POOL_MIN_EDGES,
            solver_module._Pool,
            solver_module._BATCH_ROWS,
        ) = saved
    assert result.chosen.tolist() == [1, 2, 4, 5, 7, 8]
    assert result.objective == 21


@pytest.mark.parametrize("workers", [0, -1, 1.5, True])
def test_rejects_workers_below_one_naming_the_field(workers):
    with pytest.raises(MatchingError, match="workers must be"):
        solve(pair_instance(), workers=workers)


@given(instances(max_edges=10), st.integers(0, 3))
def test_exact_on_weights_near_the_supported_maximum(instance, shift):
    """Lexicographic weights (big multipliers) stay exact: no float rounding."""
    big = dict(instance)
    big["edge_weight"] = MAX_WEIGHT // 64 * (2**shift) - instance["edge_weight"]
    assert solve(big).objective == brute_force(big)


def test_empty_graph_chooses_nothing():
    empty = np.array([], dtype=np.int32)
    result = solve_assignment(
        3,
        2,
        empty,
        empty,
        empty.astype(np.int64),
        np.ones(3, np.int32),
        np.ones(2, np.int32),
    )
    assert result.chosen.tolist() == []
    assert result.objective == 0


def test_zero_capacities_leave_nodes_unmatched():
    result = solve_assignment(
        2,
        2,
        np.array([0, 0, 1], dtype=np.int32),
        np.array([0, 1, 1], dtype=np.int32),
        np.array([9, 8, 7], dtype=np.int64),
        np.array([1, 0], dtype=np.int32),
        np.array([0, 5], dtype=np.int32),
    )
    assert result.chosen.tolist() == [1]
    assert result.objective == 8


def test_prefers_two_medium_edges_over_one_heavy_edge():
    """The greedy trap: 10 blocks 9 + 9; the exact solver takes the two 9s."""
    args = (
        2,
        2,
        np.array([0, 0, 1], dtype=np.int32),
        np.array([0, 1, 0], dtype=np.int32),
        np.array([10, 9, 9], dtype=np.int64),
        np.array([1, 1], dtype=np.int32),
        np.array([1, 1], dtype=np.int32),
    )
    assert solve_assignment(*args).objective == 18
    assert solve_assignment(*args, method="greedy").objective == 10


def test_objective_beyond_int64_is_exact():
    n = 4
    idx = np.arange(n, dtype=np.int32)
    result = solve_assignment(
        n,
        n,
        idx,
        idx,
        np.full(n, MAX_WEIGHT, np.int64),
        np.ones(n, np.int32),
        np.ones(n, np.int32),
    )
    assert result.objective == n * MAX_WEIGHT


def test_rejects_duplicate_pairs_naming_both_edges():
    with pytest.raises(
        MatchingError, match=r"edges 0 and 2 both join left node 1 to right node 0"
    ):
        solve_assignment(
            2,
            1,
            np.array([1, 0, 1], dtype=np.int32),
            np.array([0, 0, 0], dtype=np.int32),
            np.array([1, 2, 3], dtype=np.int64),
            np.ones(2, np.int32),
            np.ones(1, np.int32),
        )


@pytest.mark.parametrize(
    ("field", "value", "pattern"),
    [
        (
            "edge_weight",
            np.array([0], np.int64),
            r"edge_weight\[0\] = 0 is outside 1\.\.",
        ),
        ("edge_weight", np.array([-3], np.int64), r"edge_weight\[0\] = -3"),
        ("edge_left", np.array([2], np.int32), r"edge_left\[0\] = 2 is outside 0\.\.1"),
        ("edge_right", np.array([-1], np.int32), r"edge_right\[0\] = -1"),
        ("left_capacity", np.array([1, -1], np.int32), r"left_capacity\[1\] = -1"),
        ("right_capacity", np.array([1, 1], np.int32), r"right_capacity has 2 entries"),
        ("edge_weight", np.array([1, 2], np.int64), r"one entry per edge"),
        ("edge_weight", np.array([1.5]), r"edge_weight must be a 1-D integer array"),
    ],
)
def test_rejects_malformed_input_naming_the_field(field, value, pattern):
    instance = {
        "n_left": 2,
        "n_right": 1,
        "edge_left": np.array([0], np.int32),
        "edge_right": np.array([0], np.int32),
        "edge_weight": np.array([4], np.int64),
        "left_capacity": np.array([1, 1], np.int32),
        "right_capacity": np.array([1], np.int32),
    }
    instance[field] = value
    with pytest.raises(MatchingError, match=pattern):
        solve(instance)


def test_rejects_unknown_method():
    with pytest.raises(MatchingError, match="method must be one of"):
        solve_assignment(
            0,
            0,
            *(np.array([], np.int32),) * 2,
            np.array([], np.int64),
            np.array([], np.int32),
            np.array([], np.int32),
            method="fast",  # type: ignore[arg-type]
        )
