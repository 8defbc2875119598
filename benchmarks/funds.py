"""Benchmark: many unequal fund requests against a few funds, old and new exact solver (资金分配基准).

Seeded generator: ``n`` requests, each from one recipient in one of four communities, in
one of three priority tiers (none, living alone, 低保), of random urgency and waiting
time, asking a random amount in cents between 100 and 2,000 yuan (``--huge``: between
10**11 and 10**12 yuan, near the models' bound); ``m`` funds of random community and a
balance of 30–70% of the requests' total divided by ``m`` (``--identical``: all funds
alike, half the total between them). Every fund may pay every request, so the role
problem is one component of ``n x m`` edges and a real multiple knapsack: the top tier
fits, the next tier only partly, and proving that nothing better fits is the hard part.

Each (size, seed, solver) runs in its own process, so the peak memory is that run's peak
RSS (the interpreter, numpy, scipy and the solver; building the models is included in the
peak but not in the seconds). Solvers:

* ``old``: the integer program before this change (``_solve_program``: HiGHS on the edge
  program, tier by tier, no extra rows);
* ``new``: ``solve_knapsack`` with its default engine (CP-SAT when OR-Tools is installed);
* ``new-highs``: ``solve_knapsack`` on HiGHS, what the core install runs.

Every finished run prints its per-tier totals; the table checks that all solvers agree.
A run over ``--limit`` seconds is stopped and shown as ``>limit``.

Measured (one run per row, a shared 2-core machine under heavy load; read the ratios)::

        size seed  edges   old s   new s  new-highs s  old/new  old/new-highs
       100x5    1    500   18.77    9.93        11.93     1.9x           1.6x
       100x5    2    500   38.97    9.59        31.16     4.1x           1.3x
       100x5    3    500    5.96    0.89         6.79     6.7x           0.9x
      200x10    1   2000    >120    >120         >120
      300x20    1   6000    >120    >120         >120

Peak RSS 133-163 MiB per run; every finished run gave the same per-tier totals. With
``--identical`` (seed 1): 22.3 s, 5.4 s, 21.6 s; with ``--huge``: >120 s, 44.3 s, >120 s.

Run from the repository root::

    python benchmarks/funds.py                              # 100x5, 200x10, 300x20
    python benchmarks/funds.py --sizes 100x5 --seeds 1 2 3 --limit 120
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from wushe.matching import CandidateSet, build_candidates
from wushe.models import CharitableResource, Community, Need, Recipient
from wushe.vocab import ResourceKind

AS_OF = date(2024, 6, 30)
GROUPS: tuple[list[str], ...] = ([], ["elder_living_alone"], ["dibao"])
URGENCY = ("low", "medium", "high", "critical")
SOLVERS = ("old", "new", "new-highs")


def fund_world(
    n: int, m: int, seed: int, *, huge: bool = False, identical: bool = False
) -> dict[str, Any]:
    """The seeded requests, funds, recipients and communities (资金分配算例)."""
    rng = np.random.default_rng(seed)
    communities = [
        Community(
            community_id=f"c{k}", name=f"社区{k}", division_code=f"420116001{k:03d}"
        )
        for k in range(1, 5)
    ]
    low, high = (10**13, 10**14) if huge else (100_00, 2_000_00)
    cents = [int(c) for c in rng.integers(low, high, n)]
    consent = [{"purpose": "share_with_resource_providers", "valid_from": AS_OF}]
    recipients, needs = [], []
    for i, c in enumerate(cents):
        recipients.append(
            Recipient.model_validate(
                {
                    "recipient_id": f"p{i:04d}",
                    "name": "张伟",
                    "community_id": f"c{1 + i % 4}",
                    "target_groups": GROUPS[int(rng.integers(0, 3))],
                    "consents": consent,
                }
            )
        )
        role = {
            "role": "resource",
            "resource_kind": "funds",
            "amount": Decimal(c) / 100,
        }
        needs.append(
            Need.model_validate(
                {
                    "need_id": f"n{i:04d}",
                    "recipient_id": f"p{i:04d}",
                    "category": "social_assistance",
                    "urgency": URGENCY[int(rng.integers(0, 4))],
                    "raised_on": AS_OF - timedelta(days=int(rng.integers(0, 120))),
                    "roles": [role],
                }
            )
        )
    total = sum(cents)
    funds = []
    for j in range(m):
        share = 0.5 if identical else float(rng.uniform(0.3, 0.7))
        funds.append(
            CharitableResource(
                resource_id=f"f{j:02d}",
                name="社区慈善基金",
                resource_kind=ResourceKind.FUNDS,
                total=Decimal(min(int(total * share / m), 10**14)) / 100,
                community_id=None if identical else f"c{1 + j % 4}",
            )
        )
    return {
        "needs": needs,
        "actors": funds,
        "recipients": recipients,
        "communities": communities,
    }


def tier_totals(cs: CandidateSet, chosen: Any) -> list[int]:
    """Chosen weight per tier, highest tier first."""
    chosen = np.asarray(chosen, dtype=np.int64)
    tier = cs.left_tier[cs.edge_left[chosen]]
    levels = sorted(set(cs.left_tier[cs.edge_left].tolist()), reverse=True)
    return [int(cs.edge_weight[chosen][tier == t].sum()) for t in levels]


def one(size: str, seed: int, solver: str, huge: bool, identical: bool) -> None:
    """Solve one instance in this process and print a JSON line."""
    from wushe.matching._knapsack import solve_knapsack  # noqa: PLC0415
    from wushe.matching._match import _solve_program  # noqa: PLC0415

    n, m = (int(v) for v in size.split("x"))
    world = fund_world(n, m, seed, huge=huge, identical=identical)
    cs = build_candidates(**world, as_of=AS_OF).sets[0]
    start = time.perf_counter()
    if solver == "old":
        chosen = _solve_program(cs, [], lexicographic=True)
    else:
        engine = "highs" if solver == "new-highs" else "auto"
        chosen = solve_knapsack(cs, lexicographic=True, engine=engine)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {"seconds": seconds, "peak_mib": peak, "totals": tier_totals(cs, chosen)}
    print(json.dumps(out))


def measure(
    size: str, seed: int, solver: str, limit: float, huge: bool, identical: bool
) -> dict[str, Any]:
    """Run :func:`one` in a child process, stopped after ``limit`` seconds."""
    args = [sys.executable, __file__, "--one", size, str(seed), solver]
    args += ["--huge"] * huge + ["--identical"] * identical
    try:
        done = subprocess.run(
            args, capture_output=True, text=True, timeout=limit, check=True
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None, "peak_mib": None, "totals": None}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def print_table(rows: list[dict[str, Any]], limit: float) -> None:
    """One line per size and seed: seconds and peak per solver, ratio old / new."""

    def secs(r: dict[str, Any]) -> str:
        if r.get("skipped"):
            return ""
        return f">{limit:.0f}" if r["seconds"] is None else f"{r['seconds']:.2f}"

    def mib(r: dict[str, Any]) -> str:
        return "" if r["peak_mib"] is None else f"{r['peak_mib']:.0f}"

    head = f"{'size':>8} {'seed':>4} {'edges':>6} "
    head += " ".join(f"{s + ' s':>12} {'MiB':>5}" for s in SOLVERS)
    print(head + f" {'old/new':>8} {'old/new-highs':>14}  same")
    for row in rows:
        runs = [row[s] for s in SOLVERS]
        line = f"{row['size']:>8} {row['seed']:>4} {row['edges']:>6} "
        line += " ".join(f"{secs(r):>12} {mib(r):>5}" for r in runs)
        old = runs[0]["seconds"]
        for r in runs[1:]:
            if old is None or r["seconds"] is None:
                line += f" {'-':>8}" if r is runs[1] else f" {'-':>14}"
            else:
                ratio = f"{old / r['seconds']:.1f}x"
                line += f" {ratio:>8}" if r is runs[1] else f" {ratio:>14}"
        totals = [r["totals"] for r in runs if r["totals"] is not None]
        line += "  yes" if all(t == totals[0] for t in totals) else "  NO"
        print(line, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: the table, or one run with ``--one``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["100x5", "200x10", "300x20"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[1, 2, 3])
    parser.add_argument("--solvers", nargs="+", default=list(SOLVERS))
    parser.add_argument("--limit", type=float, default=300.0)
    parser.add_argument("--huge", action="store_true")
    parser.add_argument("--identical", action="store_true")
    parser.add_argument("--one", nargs=3, metavar=("SIZE", "SEED", "SOLVER"))
    args = parser.parse_args(argv)
    if args.one:
        size, seed, solver = args.one
        one(size, int(seed), solver, args.huge, args.identical)
        return 0
    rows = []
    for size in args.sizes:
        for seed in args.seeds:
            n, m = (int(v) for v in size.split("x"))
            row: dict[str, Any] = {"size": size, "seed": seed, "edges": n * m}
            for solver in SOLVERS:
                row[solver] = (
                    measure(size, seed, solver, args.limit, args.huge, args.identical)
                    if solver in args.solvers
                    else {
                        "seconds": None,
                        "peak_mib": None,
                        "totals": None,
                        "skipped": True,
                    }
                )
            rows.append(row)
    print_table(rows, args.limit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
