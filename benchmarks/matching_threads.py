"""Benchmark: do the exact engines release the GIL, and does a process pool pay? (并行求解).

Two independent districts from the matching benchmark's generator are joined into one graph
with two connected components. Each engine solves it three ways:

* ``serial``: one component after the other on the calling thread;
* ``threads``: before issue 4's pool, ``solve_assignment`` solved big components on two
  threads; the row now calls it with its default ``workers`` (the process pool);
* ``processes``: the two components in a two-process pool (arrays pickled both ways).

CPU seconds (all threads of this process) over wall seconds above 1 mean the engine ran on
both cores at once; ``threads`` faster than ``serial`` means the GIL was released. The
machine is shared: compare the rows of one run, not absolute seconds.

With ``--districts N`` it instead measures what ``solve_assignment`` itself does: N
independent districts of ``--size`` each in one graph, solved with ``workers=1`` (one
component after the other) and with the default ``workers`` (big components in a
two-process pool, pool start-up included), checking that both choose the same edges.

Run from the repository root::

    python benchmarks/matching_threads.py --size 10k
    python benchmarks/matching_threads.py --size 10k --districts 2 4
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

import wushe.matching._solver as solver_module
from wushe.matching import solve_assignment

sys.path.insert(0, str(Path(__file__).parent))
from matching import SIZES, District

Part = tuple[
    int, int, NDArray[np.int32], NDArray[np.int32], NDArray[np.int64], Any, Any
]


@contextmanager
def engine(name: str) -> Iterator[None]:
    """Route components to one exact engine: ``lapjv`` (core) or ``ortools`` (extra)."""
    saved = solver_module._has_ortools, solver_module._ORTOOLS_MIN_SLOT_EDGES
    if name == "lapjv":
        solver_module._has_ortools = lambda: False
    else:
        solver_module._ORTOOLS_MIN_SLOT_EDGES = 0
    try:
        yield
    finally:
        solver_module._has_ortools, solver_module._ORTOOLS_MIN_SLOT_EDGES = saved


def part(size: str, seed: int) -> Part:
    n_needs, n_actors = SIZES[size]
    d = District(n_needs, n_actors, seed)
    left, right, weight = d.candidates()
    lcap = np.ones(n_needs, dtype=np.int32)
    return n_needs, n_actors, left, right, weight, lcap, d.actor_capacity


def solve_part(args: tuple[str, Part]) -> int:
    name, (n_l, n_r, left, right, weight, lcap, rcap) = args
    with engine(name):
        return solve_assignment(n_l, n_r, left, right, weight, lcap, rcap).objective


def joined(*parts: Part) -> Part:
    """Districts in one graph, each one's nodes numbered after the previous (components)."""
    lefts = np.cumsum([0] + [p[0] for p in parts])
    rights = np.cumsum([0] + [p[1] for p in parts])
    return (
        int(lefts[-1]),
        int(rights[-1]),
        np.concatenate([p[2] + o for p, o in zip(parts, lefts, strict=False)]).astype(
            np.int32
        ),
        np.concatenate([p[3] + o for p, o in zip(parts, rights, strict=False)]).astype(
            np.int32
        ),
        np.concatenate([p[4] for p in parts]),
        np.concatenate([p[5] for p in parts]),
        np.concatenate([p[6] for p in parts]),
    )


def pool_table(size: str, counts: list[int]) -> None:
    """Sequential (``workers=1``) against the default pool, N districts of ``size`` each."""
    print(f"districts of {size} each: solve_assignment, workers=1 vs default (pool)\n")
    print(
        "| districts | M edges | sequential s | pool s | speed-up | same edges "
        "| load avg (1 min) |"
    )
    print("|---|---|---|---|---|---|---|")
    for count in counts:
        n_l, n_r, left, right, weight, lcap, rcap = joined(
            *(part(size, 7 + k) for k in range(count))
        )
        times = {}
        chosen = {}
        for workers in (1, None):
            start = time.perf_counter()
            result = solve_assignment(
                n_l, n_r, left, right, weight, lcap, rcap, workers=workers
            )
            times[workers] = time.perf_counter() - start
            chosen[workers] = result.chosen
        same = bool(np.array_equal(chosen[1], chosen[None]))
        print(
            f"| {count} | {weight.size / 1e6:.2f} | {times[1]:.2f} | {times[None]:.2f} "
            f"| {times[1] / times[None]:.2f}x | {same} | {os.getloadavg()[0]:.2f} |"
        )


def timed(fn: Callable[..., int]) -> tuple[int, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GIL release of the exact engines")
    parser.add_argument("--size", choices=list(SIZES), default="10k")
    parser.add_argument("--districts", type=int, nargs="+", metavar="N")
    args = parser.parse_args(argv)
    if args.districts:
        pool_table(args.size, args.districts)
        return 0
    a, b = part(args.size, 7), part(args.size, 8)
    both = joined(a, b)
    print(f"two components of {args.size} each, {both[4].size / 1e6:.2f} M edges\n")
    print("| engine | way | wall s | CPU s (this process) | CPU / wall | objective |")
    print("|---|---|---|---|---|---|")
    for name in ("lapjv", "ortools"):
        with ProcessPoolExecutor(max_workers=2) as pool:
            pool.submit(int, 0).result()  # start the workers before timing
            rows = {
                "serial": lambda name=name: (
                    solve_part((name, a)) + solve_part((name, b))
                ),
                "threads": lambda name=name: solve_part((name, both)),
                "processes": lambda name=name: sum(
                    pool.map(solve_part, [(name, a), (name, b)])
                ),
            }
            for way, fn in rows.items():
                objective, wall, cpu = timed(fn)
                print(
                    f"| {name} | {way} | {wall:.2f} | {cpu:.2f} | {cpu / wall:.2f} "
                    f"| {objective} |"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
