"""Benchmark: the station network from one district up to national size.

China has about 2,800 county-level divisions, 38,000 townships and streets and 600,000
villages and communities. Each size builds a synthetic locality with a hub per county, a
station per township and a room per village (≈ 640k stations at national size) and a
ledger, then times, in a fresh subprocess so that peak memory is its own:

* ``dataset``  — validating the records into a :class:`wushe.models.Dataset` (pydantic,
  referential integrity); reported separately, it is not a network operation;
* ``build``    — :meth:`wushe.network.StationNetwork.from_dataset` with every structural check;
* ``coverage`` — :func:`wushe.network.coverage` at every tier;
* ``compliance`` — :func:`wushe.network.compliance` against the six-haves;
* ``rollup``   — :func:`wushe.network.rollup` of the whole ledger with the 11 default metrics;
* ``scope``    — the first :meth:`~wushe.network.StationNetwork.scope` (builds the indexes)
  with its activities, then 1,000 room scopes.

Target (issue 3): near-linear; national build + roll-up under 2 minutes and 8 GiB::

    python benchmarks/network.py                       # district, city, province
    python benchmarks/network.py --sizes national      # run the national size once
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from typing import Any

from wushe.models import Dataset
from wushe.network import StationNetwork, compliance, coverage, rollup

SIX = ["site", "equipment", "staff", "service_functions", "workflow", "rules"]
TYPES = [
    "case_service", "group_activity", "community_event", "care_visit",
    "policy_publicity", "volunteer_training", "volunteer_service",
]  # fmt: skip
# name: (counties, townships, villages, activities)
SIZES: dict[str, tuple[int, int, int, int]] = {
    "district": (1, 14, 220, 5_000),
    "city": (10, 136, 2_140, 40_000),
    "province": (140, 1_900, 30_000, 100_000),
    "national": (2_800, 38_000, 600_000, 1_000_000),
}
TARGET_SECONDS = 120.0


def make_records(
    counties: int, townships: int, villages: int, activities: int
) -> dict[str, Any]:
    """A synthetic province-coded locality: 70 counties per prefecture."""
    rng = random.Random(counties)
    county_codes = [f"51{1 + i // 70:02d}{1 + i % 70:02d}" for i in range(counties)]
    town_codes = [
        f"{county_codes[i % counties]}{1 + i // counties:03d}" for i in range(townships)
    ]
    village_codes = [
        f"{town_codes[i % townships]}{1 + i // townships:03d}" for i in range(villages)
    ]
    divisions = [{"division_code": c, "name": f"县{c}"} for c in county_codes]
    divisions += [{"division_code": c, "name": f"镇{c}"} for c in town_codes]
    communities = [
        {"community_id": f"c{c}", "name": f"村{c}", "division_code": c}
        for c in village_codes
    ]
    stations: list[dict[str, Any]] = [
        {"station_id": f"h{c}", "name": "社工总站", "level": "county", "division_code": c,
         "criteria_met": SIX}
        for c in county_codes
    ]  # fmt: skip
    stations += [
        {"station_id": f"t{c}", "name": "社工站", "level": "township", "division_code": c,
         "parent_ids": [f"h{c[:6]}"], "criteria_met": SIX[: rng.randint(3, 6)]}
        for c in town_codes
    ]  # fmt: skip
    stations += [
        {"station_id": f"r{c}", "name": "社工室", "level": "village", "division_code": c,
         "parent_ids": [f"t{c[:9]}"], "community_ids": [f"c{c}"]}
        for c in village_codes
    ]  # fmt: skip
    ids = [s["station_id"] for s in stations]
    ledger = []
    for i in range(activities):
        station = ids[rng.randrange(len(ids))]
        row: dict[str, Any] = {
            "activity_id": f"a{i}",
            "activity_type": TYPES[i % len(TYPES)],
            "held_on": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "station_id": station,
            "sessions": 1 + i % 3,
            "person_times": rng.randint(0, 60),
        }
        if station[0] == "r":
            row["community_id"] = "c" + station[1:]
        ledger.append(row)
    return {
        "name": "全国规模合成数据",
        "division_code": "510000",
        "divisions": divisions,
        "communities": communities,
        "stations": stations,
        "activities": ledger,
    }


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_one(size: str) -> dict[str, Any]:
    # A guard for a shared machine: fail rather than swap past 12 GiB of address space.
    limit = 12 * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    counties, townships, villages, activities = SIZES[size]
    raw = make_records(counties, townships, villages, activities)
    times: dict[str, float] = {}
    mib: dict[str, float] = {}

    def timed(stage: str, func: Any) -> Any:
        start = time.perf_counter()
        result = func()
        times[stage] = time.perf_counter() - start
        mib[stage] = peak_mib()
        return result

    pending = [raw]
    del raw  # let the dicts go once validated
    ds: Dataset = timed("dataset", lambda: Dataset.model_validate(pending.pop()))
    net: StationNetwork = timed("build", lambda: StationNetwork.from_dataset(ds))
    timed("coverage", lambda: coverage(net))
    timed("compliance", lambda: compliance(net))
    timed("rollup", lambda: rollup(net))
    rooms = [s for s in net.station_ids if s.startswith("r")]
    sample = random.Random(0).sample(rooms, min(1_000, len(rooms)))

    def scopes() -> int:
        first = net.scope(net.roots[0])
        n = len(first.activities)
        for sid in sample:
            n += len(net.scope(sid).activities)
        return n

    timed("scope", scopes)
    return {
        "size": size,
        "stations": len(net),
        "communities": len(ds.communities),
        "activities": len(ds.activities),
        "seconds": times,
        "peak_mib": mib,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        nargs="+",
        default=["district", "city", "province"],
        choices=list(SIZES),
    )
    parser.add_argument("--one", choices=list(SIZES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    stages = ["dataset", "build", "coverage", "compliance", "rollup", "scope"]
    header = f"| size | stations | activities | {' | '.join(stages)} | build+rollup | vs 2-min target | peak RSS after dataset / total |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for size in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", size],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        s = r["seconds"]
        network_time = s["build"] + s["rollup"]
        cells = " | ".join(f"{s[k]:.2f} s" for k in stages)
        print(
            f"| {size} | {r['stations']:,} | {r['activities']:,} | {cells} | {network_time:.1f} s"
            f" | {network_time / TARGET_SECONDS:.2f}x | {r['peak_mib']['dataset'] / 1024:.2f} / {max(r['peak_mib'].values()) / 1024:.2f} GiB |"
        )
        sys.stdout.flush()


if __name__ == "__main__":
    main()
