"""Benchmark: counting indicator actuals and evaluating, against loading the same ledger.

Evaluation should cost little beside getting the ledger into memory at all, so the
reference is raw pydantic validation of the same activity rows
(``TypeAdapter(list[Activity]).validate_python``), measured in the same process.
Reported per size: validation, :func:`wushe.evaluation.indicator_actuals`,
:func:`wushe.evaluation.evaluate` with the default rubric and three score sheets, and
:func:`wushe.evaluation.rollup_indicators` over a 金牛区-shaped station tree (1 hub,
13 streets, rooms sharing the rows) with 20 indicators.

Each size runs in a fresh subprocess so that its peak RSS is its own::

    python benchmarks/evaluation.py                   # 10k, 100k and 1M rows
    python benchmarks/evaluation.py --sizes 20000     # quicker
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from typing import Any

from pydantic import TypeAdapter

from wushe.evaluation import (
    Aggregation,
    EvaluatorRole,
    Evidence,
    IndicatorActual,
    ScoreSheet,
    builtin_rubric,
    evaluate,
    indicator_actuals,
    rollup_indicators,
)
from wushe.evaluation._evidence import Rating
from wushe.models import Activity, Dataset, Period, ServiceProject
from wushe.network import StationNetwork
from wushe.vocab import ActivityType

TYPES = [t.value for t in ActivityType]
YEAR = Period(start=date(2023, 1, 1), end=date(2023, 12, 31))


def make_rows(n: int) -> list[dict[str, Any]]:
    rng = random.Random(n)
    return [
        {
            "activity_id": f"a{i}",
            "activity_type": rng.choice(TYPES),
            "held_on": date(2023, 1, 1) + timedelta(days=rng.randrange(365)),
            "station_id": f"r{rng.randrange(90)}",
            "project_id": "p1" if rng.random() < 0.8 else "p2",
            "sessions": rng.randint(1, 4),
            "person_times": rng.randint(0, 200),
            "recipient_ids": [
                f"q{rng.randrange(50_000)}" for _ in range(rng.randint(0, 3))
            ],
        }
        for i in range(n)
    ]


def project() -> ServiceProject:
    return ServiceProject.model_validate(
        {
            "project_id": "p1",
            "name": "基准项目",
            "funder": "区民政局",
            "operator_id": "o1",
            "budget": 1_000_000,
            "period": YEAR,
            "targets": [
                {"indicator": f"{kind}.sessions", "target": 100} for kind in TYPES[:8]
            ]
            + [{"indicator": "person_times", "target": 1000}],
        }
    )


def sheets() -> tuple[ScoreSheet, ...]:
    graded: dict[str, Rating] = {
        "management.plan": "好",
        "management.records": "较好",
        "practice.methods": "较好",
        "outcomes.change": "好",
        "finance.budget": "一般",
        "satisfaction.recipients": "好",
        "satisfaction.stakeholders": "较好",
    }
    full: dict[str, Rating] = dict(
        graded,
        **{
            "management.staffing": {
                "certified": True,
                "supervision": True,
                "stable": True,
            },
            "practice.linkage": {
                "community": True,
                "organizations": True,
                "volunteers": False,
                "charity": True,
            },
            "practice.ethics": True,
            "finance.compliance": {"ledger": True, "vouchers": True, "no_misuse": True},
        },
    )
    return tuple(
        ScoreSheet(evaluator_id=f"e{k}", role=role, ratings=full if k == 0 else graded)
        for k, role in enumerate(
            (
                EvaluatorRole.THIRD_PARTY,
                EvaluatorRole.PURCHASER,
                EvaluatorRole.RECIPIENT,
            )
        )
    )


def district(rooms: int) -> StationNetwork:
    """A hub (510106), 13 street stations and ``rooms`` community rooms spread over them."""
    streets = [f"510106{s + 1:03d}" for s in range(13)]
    room_codes = [f"{streets[k % 13]}{k // 13 + 1:03d}" for k in range(rooms)]
    stations: list[dict[str, Any]] = [
        {
            "station_id": "hub",
            "name": "总站",
            "level": "county",
            "division_code": "510106",
        }
    ]
    stations += [
        {"station_id": f"ts{s}", "name": f"街道站{s}", "level": "township",
         "division_code": code, "parent_ids": ["hub"]}
        for s, code in enumerate(streets)
    ]  # fmt: skip
    stations += [
        {"station_id": f"r{k}", "name": f"社工室{k}", "level": "village",
         "division_code": code, "parent_ids": [f"ts{k % 13}"]}
        for k, code in enumerate(room_codes)
    ]  # fmt: skip
    ds = Dataset.model_validate(
        {
            "name": "金牛区",
            "division_code": "510106",
            "divisions": [{"division_code": "510106", "name": "区"}]
            + [{"division_code": c, "name": f"街道{c}"} for c in streets],
            "communities": [
                {"community_id": f"c{k}", "name": f"社区{k}", "division_code": code}
                for k, code in enumerate(room_codes)
            ],
            "stations": stations,
        }
    )
    return StationNetwork.from_dataset(ds)


def rollup_case(rooms: int) -> float:
    network = district(rooms)
    values = {
        unit: {
            f"custom.i{j}": IndicatorActual(
                indicator=f"custom.i{j}", value=float(j), source="bench", period=YEAR
            )
            for j in range(20)
        }
        for unit in network.station_ids
    }
    semantics = {f"custom.i{j}": Aggregation.SUM for j in range(20)}
    start = time.perf_counter()
    rollup_indicators(values, semantics, network=network)
    return time.perf_counter() - start


def run_one(n: int) -> None:
    raw = make_rows(n)
    start = time.perf_counter()
    rows = TypeAdapter(list[Activity]).validate_python(raw)
    validate = time.perf_counter() - start
    del raw
    proj = project()
    rubric, scored_by = builtin_rubric(), sheets()
    start = time.perf_counter()
    actuals = indicator_actuals(proj, rows)
    count = time.perf_counter() - start
    start = time.perf_counter()
    report = evaluate(proj, rubric, Evidence(actuals=actuals, sheets=scored_by))
    score = time.perf_counter() - start
    assert report.is_complete
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "validate": validate,
                "actuals": count,
                "evaluate": score,
                "rollup": rollup_case(max(90, n // 1000)),
                "rooms": max(90, n // 1000),
                "peak_mib": peak,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000]
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one)
        return
    print(f"{'rows':>9} {'validate s':>10} {'actuals s':>9} {'rows/s':>11} {'ratio':>6} "
          f"{'evaluate ms':>11} {'rollup units':>12} {'rollup ms':>9} {'peak MiB':>8}")  # fmt: skip
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        r = json.loads(out.stdout)
        print(
            f"{n:>9,} {r['validate']:>10.2f} {r['actuals']:>9.3f} {n / r['actuals']:>11,.0f} "
            f"{r['actuals'] / r['validate']:>6.1%} {1000 * r['evaluate']:>11.2f} "
            f"{r['rooms'] + 14:>12,} {1000 * r['rollup']:>9.1f} {r['peak_mib']:>8.0f}"
        )


if __name__ == "__main__":
    main()
