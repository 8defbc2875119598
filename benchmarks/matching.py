"""Benchmark: matching needs to actors at district and city scale (匹配性能基准).

Seeded realistic generator (the one ``shared/PERF.md`` describes): communities on a grid,
grouped into streets of 3 x 3 communities; 8 service categories with skewed frequencies;
actors with 1–3 skills and capacity 1–5, of whom one in ten is a social organisation serving
its whole street; a candidate edge joins a need to an actor in the same or an adjacent
community (8-neighbourhood; organisations: the same street) that has the need's category.
Candidates are built from a (community, skill) index as integer arrays, never by checking
all N x M pairs. Scores are integers: skill fit + proximity + a seeded noise term.

Two paths are measured per size:

* **solver**: the generator's own edge arrays straight into ``solve_assignment`` (the
  numerical core alone);
* **api** (end to end): the same district expressed as wushe models (communities with
  12-digit codes and 8-neighbour adjacency, volunteers, recipients, needs asking one
  volunteer; "organisations" are volunteers whose service area is their street) through
  ``wushe.matching.build_candidates`` and ``wushe.matching.solve_candidates`` (solve + plan
  with explanations), timed apart; building the models is setup and not timed.

For each size and path the script prints the edges, candidate-generation seconds, solve
seconds, total seconds, peak memory (peak RSS of the process before the reference runs; use
``--isolate`` for one process per size and path), the objective as a percentage of the
exact reference optimum and the ratio of wushe's total time to the reference solver's
solve-only time on the same candidate graph, measured in the same run. The reference is OR-Tools' ``SimpleMinCostFlow`` (install
``wushe[bench]``); without it the exact reference is wushe's own exact solve and the ratio
column says so.

Measured (``--isolate --path api``, end to end against OR-Tools' solve alone on the same
graph in the same run; a shared 2-core machine under heavy load, so read the ratios; see
docs/explanation/how-matching-works.md for the full table)::

    install          size           edges    total s   OR-Tools s   ratio   peak MiB
    ortools extra    10k x 10k       1.72 M     2.59       5.06     0.51x      278
    ortools extra    100k x 100k    20.5 M     51.0      116.8      0.44x    1,904
    core (scipy)     10k x 10k       1.72 M     2.65       5.33     0.50x      278
    core (scipy)     100k x 100k    20.5 M     50.4       87.0      0.58x    1,903

Every row reached 100.0000% of the OR-Tools optimum.

Run from the repository root::

    python benchmarks/matching.py                  # 1k, 10k, 30k, 100k, 100k x 400k
    python benchmarks/matching.py --sizes 1k 10k   # a subset
    python benchmarks/matching.py --isolate        # one process per size (true peak memory)
    python benchmarks/matching.py --path api --sizes 10k --profile   # cProfile top lines
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import TypeAdapter

import wushe.matching._solver as solver_module
from wushe.matching import MatchRole, build_candidates, solve_candidates
from wushe.matching._solver import solve_assignment
from wushe.models import Community, Need, Recipient, Volunteer
from wushe.vocab import ServiceCategory, Urgency

SIZES: dict[str, tuple[int, int]] = {
    "1k": (1_000, 1_000),
    "10k": (10_000, 10_000),
    "30k": (30_000, 30_000),
    "100k": (100_000, 100_000),
    "100kx400k": (100_000, 400_000),
}
CATEGORY_WEIGHTS = np.array([0.30, 0.20, 0.14, 0.10, 0.09, 0.07, 0.06, 0.04])
"""Skewed frequencies of the 8 service categories (elderly care first, 服务类别)."""
STREET_SIDE = 3
ORG_SHARE = 0.1
TARGET_CANDIDATES = 260

Edges = tuple[NDArray[np.int32], NDArray[np.int32], NDArray[np.int64]]


class District:
    """A generated district: needs, actors and their placement (合成辖区)."""

    def __init__(self, n_needs: int, n_actors: int, seed: int = 7) -> None:
        rng = np.random.default_rng(seed)
        # Expected same-skill actors in a 3 x 3 neighbourhood ~ TARGET_CANDIDATES: size the
        # grid so the candidate density is the same at every scale.
        skills_per_actor = 2.0
        share = float(
            (
                CATEGORY_WEIGHTS * np.minimum(1, skills_per_actor * CATEGORY_WEIGHTS)
            ).sum()
        )
        per_comm = TARGET_CANDIDATES / (
            9 * share * (1 - ORG_SHARE) + 9 * share * ORG_SHARE
        )
        n_comm = max(9, round(n_actors / per_comm))
        self.side = side = max(3, int(np.ceil(np.sqrt(n_comm))))
        self.n_comm = side * side
        self.need_comm = rng.integers(0, self.n_comm, n_needs)
        self.need_cat = rng.choice(8, n_needs, p=CATEGORY_WEIGHTS)
        self.actor_comm = rng.integers(0, self.n_comm, n_actors)
        self.actor_is_org = rng.random(n_actors) < ORG_SHARE
        self.actor_capacity = rng.integers(1, 6, n_actors).astype(np.int32)
        n_skills = rng.integers(1, 4, n_actors)
        # Skill sets: draw three categories by frequency, keep the first n (deduplicated).
        draws = rng.choice(8, (n_actors, 3), p=CATEGORY_WEIGHTS)
        keep = np.arange(3)[None, :] < n_skills[:, None]
        actor_idx = np.repeat(np.arange(n_actors), 3)[keep.ravel()]
        skill = draws.ravel()[keep.ravel()]
        pairs = np.unique(actor_idx.astype(np.int64) * 8 + skill)
        self.skill_actor = (pairs // 8).astype(np.int64)
        self.skill_cat = (pairs % 8).astype(np.int64)
        self.n_needs = n_needs
        self.n_actors = n_actors
        self.seed = seed

    def street(self, comm: NDArray[np.int64]) -> NDArray[np.int64]:
        """The street (3 x 3 block of communities) each community belongs to."""
        row, col = comm // self.side, comm % self.side
        per_row = -(-self.side // STREET_SIDE)
        return (row // STREET_SIDE) * per_row + col // STREET_SIDE

    def candidates(self) -> Edges:
        """Candidate edges from a (place, skill) index: integer arrays, sorted by need."""
        org = self.actor_is_org[self.skill_actor]
        lefts: list[NDArray[np.int64]] = []
        rights: list[NDArray[np.int64]] = []
        # Community actors: index by (community, skill); look up the 3 x 3 neighbourhood.
        members = ~org
        place = self.actor_comm[self.skill_actor[members]]
        index = _Index(place * 8 + self.skill_cat[members], self.skill_actor[members])
        row, col = self.need_comm // self.side, self.need_comm % self.side
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                r, c = row + dr, col + dc
                ok = (r >= 0) & (r < self.side) & (c >= 0) & (c < self.side)
                needs = np.flatnonzero(ok)
                left, right = index.expand(
                    needs, (r[ok] * self.side + c[ok]) * 8 + self.need_cat[ok]
                )
                lefts.append(left)
                rights.append(right)
        # Organisations: index by (street, skill).
        place = self.street(self.actor_comm[self.skill_actor[org]])
        index = _Index(place * 8 + self.skill_cat[org], self.skill_actor[org])
        left, right = index.expand(
            np.arange(self.n_needs), self.street(self.need_comm) * 8 + self.need_cat
        )
        lefts.append(left)
        rights.append(right)
        # Canonical (need, actor) order: one in-place sort of a combined key.
        key = np.concatenate(lefts) * self.n_actors + np.concatenate(rights)
        del lefts, rights
        key.sort()
        left, right = np.divmod(key, self.n_actors)
        del key
        return left.astype(np.int32), right.astype(np.int32), self.score(left, right)

    def score(
        self, left: NDArray[np.int64], right: NDArray[np.int64]
    ) -> NDArray[np.int64]:
        """Integer scores: proximity (same community 300, adjacent 150, street 100) + noise."""
        same = self.need_comm[left] == self.actor_comm[right]
        org = self.actor_is_org[right]
        proximity = np.where(same, 300, np.where(org, 100, 150))
        noise = (left * 2_654_435_761 + right * 40_503 + self.seed) % 701
        scores: NDArray[np.int64] = (proximity + noise + 1).astype(np.int64)
        return scores


AS_OF = date(2024, 7, 1)
DISTRICT_CODE = "510106"
CATEGORIES = [
    ServiceCategory.ELDERLY_CARE,
    ServiceCategory.SOCIAL_ASSISTANCE,
    ServiceCategory.CHILD_WELFARE,
    ServiceCategory.DISABILITY_SUPPORT,
    ServiceCategory.PSYCHOSOCIAL,
    ServiceCategory.HEALTH,
    ServiceCategory.EDUCATION,
    ServiceCategory.LEGAL_AID,
]
"""The generator's 8 categories as wushe categories, most frequent first (服务类别)."""


def district_models(d: District) -> dict[str, Any]:
    """The district as wushe models: the same candidate graph as ``District.candidates``.

    Community ``c`` gets code ``510106`` + street (3 digits) + its place in the 3 x 3 block;
    adjacency is the 8-neighbourhood, so a volunteer's default area (home + adjacent,
    ``reach_adjacent``) is the generator's neighbourhood; an "organisation" is a volunteer
    whose ``service_area`` is its street's 9-digit code.
    """
    side = d.side
    comm = np.arange(d.n_comm)
    row, col = comm // side, comm % side
    street = d.street(comm)
    pos = (row % STREET_SIDE) * STREET_SIDE + col % STREET_SIDE + 1
    codes = [
        f"{DISTRICT_CODE}{s + 1:03d}{p:03d}"
        for s, p in zip(street.tolist(), pos.tolist(), strict=True)
    ]
    communities = []
    for c in range(d.n_comm):
        r, k = divmod(c, side)
        adjacent = [
            f"c{(r + dr) * side + k + dc:05d}"
            for dr in (-1, 0, 1)
            for dc in (-1, 0, 1)
            if (dr or dc) and 0 <= r + dr < side and 0 <= k + dc < side
        ]
        communities.append(
            {
                "community_id": f"c{c:05d}",
                "name": f"社区{c}",
                "division_code": codes[c],
                "adjacent_ids": adjacent,
            }
        )
    skills: list[list[str]] = [[] for _ in range(d.n_actors)]
    for a, k in zip(d.skill_actor.tolist(), d.skill_cat.tolist(), strict=True):
        skills[a].append(CATEGORIES[k].value)
    volunteers = [
        {
            "volunteer_id": f"v{j:06d}",
            "name": "李娜",
            "home_community_id": f"c{c:05d}",
            "skills": skills[j],
            "capacity": cap,
            "service_area": [codes[c][:9]] if org else [],
        }
        for j, (c, cap, org) in enumerate(
            zip(
                d.actor_comm.tolist(),
                d.actor_capacity.tolist(),
                d.actor_is_org.tolist(),
                strict=True,
            )
        )
    ]
    urgencies = [u.value for u in Urgency]
    # Each recipient consented to sharing with volunteers, so the consent gate (#10) runs
    # on every need and lets it through: the benchmark measures the gate's cost too.
    consent = [{"purpose": "share_with_volunteers", "valid_from": AS_OF}]
    recipients = [
        {
            "recipient_id": f"p{i:06d}",
            "name": "张伟",
            "community_id": f"c{c:05d}",
            "consents": consent,
        }
        for i, c in enumerate(d.need_comm.tolist())
    ]
    needs = [
        {
            "need_id": f"n{i:06d}",
            "recipient_id": f"p{i:06d}",
            "category": CATEGORIES[k].value,
            "roles": [{"role": "volunteers"}],
            "urgency": urgencies[i % 4],
            "raised_on": AS_OF - timedelta(days=i % 120),
        }
        for i, k in enumerate(d.need_cat.tolist())
    ]
    return {
        "communities": TypeAdapter(list[Community]).validate_python(communities),
        "volunteers": TypeAdapter(list[Volunteer]).validate_python(volunteers),
        "recipients": TypeAdapter(list[Recipient]).validate_python(recipients),
        "needs": TypeAdapter(list[Need]).validate_python(needs),
    }


class _Index:
    """Sorted keys with CSR offsets: the rows of each key are one contiguous slice."""

    def __init__(self, keys: NDArray[np.int64], values: NDArray[np.int64]) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.values = values[order]

    def expand(
        self, queries: NDArray[np.int64], keys: NDArray[np.int64]
    ) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        start = np.searchsorted(self.keys, keys, side="left")
        stop = np.searchsorted(self.keys, keys, side="right")
        count = stop - start
        total = int(count.sum())
        left = np.repeat(queries, count)
        # Positions start[q] + 0 .. count[q] - 1 for each query, without a Python loop.
        offsets = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
        return left, self.values[np.repeat(start, count) + offsets]


def reference_ortools(
    n_left: int,
    n_right: int,
    edges: Edges,
    left_capacity: NDArray[np.int32],
    right_capacity: NDArray[np.int32],
) -> int | None:
    """Solve with OR-Tools min-cost flow (reference); ``None`` when it is not installed."""
    try:
        from ortools.graph.python import min_cost_flow  # noqa: PLC0415
    except ImportError:
        return None
    left, right, weight = edges
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = n_left + n_right, n_left + n_right + 1
    supply = int(left_capacity.sum())
    tails = np.concatenate(
        [np.full(n_left, source), left, n_left + np.arange(n_right), [source]]
    )
    heads = np.concatenate(
        [np.arange(n_left), n_left + right, np.full(n_right, sink), [sink]]
    )
    caps = np.concatenate([left_capacity, np.ones(left.size), right_capacity, [supply]])
    costs = np.concatenate([np.zeros(n_left), -weight, np.zeros(n_right), [0]])
    flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        caps.astype(np.int64),
        costs.astype(np.int64),
    )
    flow.set_node_supply(source, supply)
    flow.set_node_supply(sink, -supply)
    status = flow.solve()
    if status != flow.OPTIMAL:
        msg = f"OR-Tools min-cost flow failed with status {status}"
        raise RuntimeError(msg)
    chosen = flow.flows(np.arange(n_left, n_left + left.size)) > 0
    return int(weight[chosen].sum())


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def run(size: str, seed: int = 7) -> dict[str, Any]:
    n_needs, n_actors = SIZES[size]
    district, t_setup = timed(lambda: District(n_needs, n_actors, seed))
    edges, t_cand = timed(district.candidates)
    left, right, weight = edges
    lcap = np.ones(n_needs, dtype=np.int32)
    rcap = district.actor_capacity
    gc.collect()
    result, t_solve = timed(
        lambda: solve_assignment(n_needs, n_actors, left, right, weight, lcap, rcap)
    )
    peak_wushe = peak_mib()
    greedy, t_greedy = timed(
        lambda: solve_assignment(
            n_needs, n_actors, left, right, weight, lcap, rcap, method="greedy"
        )
    )
    ref, t_ref = timed(lambda: reference_ortools(n_needs, n_actors, edges, lcap, rcap))
    optimum = ref if ref is not None else result.objective
    return {
        "size": f"{n_needs:,} x {n_actors:,}",
        "edges": int(weight.size),
        "per_need": weight.size / n_needs,
        "setup_s": t_setup,
        "cand_s": t_cand,
        "solve_s": t_solve,
        "total_s": t_cand + t_solve,
        "peak_mib": peak_wushe,
        "method": result.method,
        "pct": 100 * result.objective / optimum,
        "greedy_s": t_greedy,
        "greedy_pct": 100 * greedy.objective / optimum,
        "ref_s": t_ref if ref is not None else None,
        "ratio": (t_cand + t_solve) / t_ref if ref is not None else None,
        "peak_all_mib": peak_mib(),
    }


def run_api(size: str, seed: int = 7, profile: bool = False) -> dict[str, Any]:
    """End to end through the public API on the generator's district as models."""
    n_needs, n_actors = SIZES[size]
    district = District(n_needs, n_actors, seed)
    start = time.perf_counter()
    models = district_models(district)
    t_setup = time.perf_counter() - start
    del district
    gc.collect()
    models_mib = peak_mib()
    profiler = cProfile.Profile() if profile else None
    if profiler is not None:
        profiler.enable()
    graph, t_cand = timed(
        lambda: build_candidates(
            models["needs"],
            models["volunteers"],
            recipients=models["recipients"],
            communities=models["communities"],
            as_of=AS_OF,
        )
    )
    plan, t_solve = timed(lambda: solve_candidates(graph))
    if profiler is not None:
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(25)
        print(out.getvalue(), file=sys.stderr)
    peak_wushe = peak_mib()
    cs = graph[MatchRole.VOLUNTEER]
    edges = (cs.edge_left, cs.edge_right, cs.edge_weight)
    ref, t_ref = timed(
        lambda: reference_ortools(
            len(cs.need_ids),
            len(cs.actor_ids),
            edges,
            cs.left_capacity,
            cs.right_capacity.astype(np.int32),
        )
    )
    optimum = ref if ref is not None else plan.objective
    return {
        "size": f"{n_needs:,} x {n_actors:,}",
        "edges": cs.n_edges,
        "per_need": cs.n_edges / n_needs,
        "setup_s": t_setup,
        "cand_s": t_cand,
        "solve_s": t_solve,
        "total_s": t_cand + t_solve,
        "peak_mib": peak_wushe,
        "models_mib": models_mib,
        "assigned": len(plan.assignments),
        "unmatched": len(plan.unmatched),
        "pct": 100 * plan.objective / optimum,
        "ref_s": t_ref if ref is not None else None,
        "ratio": (t_cand + t_solve) / t_ref if ref is not None else None,
    }


def print_api_table(rows: list[dict[str, Any]]) -> None:
    print(
        "| size (needs x actors) | edges | models s (setup) | build_candidates s "
        "| solve_candidates s (solve + plan) | total s | peak MiB (of which models) "
        "| assigned, unmatched "
        "| objective % of optimum | OR-Tools solve s (same graph) | total / OR-Tools |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ref = f"{r['ref_s']:.2f}" if r["ref_s"] is not None else "not installed"
        ratio = f"{r['ratio']:.2f}x" if r["ratio"] is not None else "n/a (no reference)"
        print(
            f"| {r['size']} | {r['edges'] / 1e6:.2f} M | {r['setup_s']:.1f} | {r['cand_s']:.2f} "
            f"| {r['solve_s']:.2f} | {r['total_s']:.2f} "
            f"| {r['peak_mib']:.0f} ({r['models_mib']:.0f}) | {r['assigned']:,}, {r['unmatched']:,} | {r['pct']:.4f} | {ref} | {ratio} |"
        )


def print_table(rows: list[dict[str, Any]]) -> None:
    print(
        "| size (needs x actors) | edges | cand/need | candidates s | solve s | total s "
        "| peak MiB (wushe) | engine | objective % of optimum | greedy s, % "
        "| OR-Tools solve s | total / OR-Tools |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ref = f"{r['ref_s']:.2f}" if r["ref_s"] is not None else "not installed"
        ratio = f"{r['ratio']:.2f}x" if r["ratio"] is not None else "n/a (no reference)"
        print(
            f"| {r['size']} | {r['edges'] / 1e6:.2f} M | {r['per_need']:.0f} | {r['cand_s']:.2f} "
            f"| {r['solve_s']:.2f} | {r['total_s']:.2f} | {r['peak_mib']:.0f} | {r['method']} "
            f"| {r['pct']:.4f} | {r['greedy_s']:.2f}, {r['greedy_pct']:.2f} | {ref} | {ratio} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=list(SIZES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--engine",
        choices=["auto", "scipy"],
        default="auto",
        help="scipy: measure wushe as installed without the ortools extra",
    )
    parser.add_argument(
        "--path",
        choices=["solver", "api", "both"],
        default="both",
        help="solver: generator arrays into solve_assignment; api: end to end via models",
    )
    parser.add_argument(
        "--isolate", action="store_true", help="one process per size and path"
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the api path (stderr)"
    )
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.engine == "scipy":  # wushe without the optional OR-Tools engine
        solver_module._has_ortools = lambda: False
    paths = ["solver", "api"] if args.path == "both" else [args.path]
    tables: dict[str, list[dict[str, Any]]] = {p: [] for p in paths}
    for size in args.sizes:
        for path in paths:
            if args.isolate:
                command = [
                    sys.executable,
                    __file__,
                    "--json",
                    "--engine",
                    args.engine,
                    "--seed",
                    str(args.seed),
                    "--path",
                    path,
                    "--sizes",
                    size,
                ]
                if args.profile:
                    command.append("--profile")
                out = subprocess.run(
                    command, check=True, stdout=subprocess.PIPE, text=True
                )
                tables[path].append(json.loads(out.stdout))
                continue
            row = (
                run(size, args.seed)
                if path == "solver"
                else run_api(size, args.seed, args.profile)
            )
            if args.json:
                print(json.dumps(row))
                return 0
            tables[path].append(row)
    if "solver" in tables:
        print("Solver only (generator arrays -> solve_assignment):\n")
        print_table(tables["solver"])
    if "api" in tables:
        print("\nEnd to end (models -> build_candidates -> solve_candidates):\n")
        print_api_table(tables["api"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
