"""Benchmark: care-visit schedule, warnings and monthly rates at city scale (巡访统计基准).

金牛区 (seed 002) visited 2,090 people 25,075 times in a year. A city of ten such districts
with more recipients gives the shape this measures: 100,000 recipients in 1,000
communities (one room each, ten streets, one hub) and 1,000,000 visits over a year, about
ten per person. It times, in one process:

* ``group+sort``: bucketing the log by recipient and sorting each bucket by time, the
  floor any schedule pays (the ratio column divides by it);
* :func:`wushe.care.schedule` as of the year's last day;
* :func:`wushe.care.warnings` with the default rules;
* :func:`wushe.care.visit_rates` for the twelve months, rolled up to the hub.

Peak memory is the process's peak RSS so far (``ru_maxrss``), input included. Run from the
repository root::

    .venv/bin/python benchmarks/care_visits.py [recipients] [visits]
"""

from __future__ import annotations

import random
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter

from wushe.care import (
    VisitRecord,
    monthly_periods,
    schedule,
    visit_rates,
    warnings,
)
from wushe.models import Community, Dataset, Division, Recipient, Station
from wushe.network import StationNetwork
from wushe.vocab import StationLevel

GROUPS = (["独居老人"], ["失能老人"], ["低保对象"], ["特困人员"], ["空巢老人"])
COMMUNITIES = 1_000
START = datetime(2023, 1, 1)
AS_OF = date(2023, 12, 31)


def build(recipients: int, visits: int) -> tuple[list[Recipient], list[VisitRecord]]:
    rng = random.Random(25075)
    people = TypeAdapter(list[Recipient]).validate_python(
        [
            {
                "recipient_id": f"p{i}",
                "name": "钱桂芳",
                "community_id": f"c{i % COMMUNITIES}",
                "target_groups": rng.choice(GROUPS),
                "birth_date": date(1935 + rng.randrange(25), 1 + i % 12, 1),
                "assessed_on": "2023-01-05",
            }
            for i in range(recipients)
        ]
    )
    minutes = 365 * 24 * 60
    log = TypeAdapter(list[VisitRecord]).validate_python(
        [
            {
                "visit_id": f"v{k}",
                "recipient_id": f"p{rng.randrange(recipients)}",
                "visited_at": START + timedelta(minutes=rng.randrange(minutes)),
                "outcome": "not_reached" if rng.random() < 0.03 else "contacted",
            }
            for k in range(visits)
        ]
    )
    return people, log


def stations() -> list[Station]:
    result = [
        Station(
            station_id="hub",
            name="总站",
            level=StationLevel.COUNTY,
            division_code="510106",
        )
    ]
    for s in range(10):
        result.append(
            Station(
                station_id=f"ts{s}",
                name="街道站",
                level=StationLevel.TOWNSHIP,
                division_code=f"510106{s + 1:03d}",
                parent_ids=("hub",),
            )
        )
    for c in range(COMMUNITIES):
        result.append(
            Station(
                station_id=f"r{c}",
                name="社工室",
                level=StationLevel.VILLAGE,
                division_code=f"510106{c % 10 + 1:03d}{c // 10 + 1:03d}",
                parent_ids=(f"ts{c % 10}",),
                community_ids=(f"c{c}",),
            )
        )
    return result


def network() -> StationNetwork:
    """The city's station network: its communities, one room each, ten streets, a hub."""
    ds = Dataset(
        name="city",
        division_code="510106",
        divisions=(
            Division(division_code="510106", name="区"),
            *(
                Division(division_code=f"510106{s + 1:03d}", name=f"街道{s}")
                for s in range(10)
            ),
        ),
        communities=tuple(
            Community(
                community_id=f"c{c}",
                name=f"社区{c}",
                division_code=f"510106{c % 10 + 1:03d}{c // 10 + 1:03d}",
            )
            for c in range(COMMUNITIES)
        ),
        stations=tuple(stations()),
    )
    return StationNetwork.from_dataset(ds)


def group_and_sort(log: list[VisitRecord]) -> dict[str, list[VisitRecord]]:
    buckets: dict[str, list[VisitRecord]] = defaultdict(list)
    for visit in log:
        buckets[visit.recipient_id].append(visit)
    for bucket in buckets.values():
        bucket.sort(key=lambda v: v.visited_at)
    return buckets


def timed(step: Callable[[], Any]) -> tuple[float, int, float]:
    started = time.perf_counter()
    out = step()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return seconds, len(out), peak


def main() -> None:
    recipients = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    visits = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    started = time.perf_counter()
    people, log = build(recipients, visits)
    print(
        f"care visits: {recipients:,} recipients, {visits:,} visits "
        f"(built and validated in {time.perf_counter() - started:.1f} s)"
    )
    city = network()
    year = monthly_periods(date(2023, 1, 1), AS_OF)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("group+sort", lambda: group_and_sort(log)),
        (
            "schedule",
            lambda: schedule(people, log, as_of=AS_OF, network=city),
        ),
        (
            "warnings",
            lambda: warnings(people, log, as_of=AS_OF, network=city),
        ),
        (
            "visit_rates x12",
            lambda: visit_rates(people, log, periods=year, network=city),
        ),
    ]
    rows = [(name, *timed(step)) for name, step in steps]
    floor = rows[0][1]
    print(f"{'step':<17}{'seconds':>9}{'rows out':>10}{'peak MiB':>10}{'x floor':>9}")
    for name, seconds, count, peak in rows:
        print(
            f"{name:<17}{seconds:>9.2f}{count:>10,}{peak:>10,.0f}{seconds / floor:>9.1f}"
        )


if __name__ == "__main__":
    main()
