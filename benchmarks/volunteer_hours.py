"""Benchmark: total volunteer-service hours at 宜宾 scale (志愿服务时长统计基准).

Seed 003 (宜宾): 37.6万 registered volunteers and 378.2万 service hours. This totals hours for
400,000 volunteers x 10 records each (4,000,000 records) and prints seconds and peak memory
for each path:

* ``validated``: records validated as :class:`wushe.care.VolunteerServiceRecord` (every rule
  checked: positive hours, no self-attestation, span and hours agree), streamed in chunks
  into :func:`wushe.care.hours_totals`. This is the path users get.
* ``validated+check``: the same with ``check=True``: the cross-record rules of
  :func:`wushe.care.check_service_records` (duplicate ids, overlaps, days over 24 hours) in
  the same streaming pass, keeping ids, days and spans but not the records.
* ``sum only``: summing the same ``Decimal`` hours per volunteer in a plain dict, no
  validation: the floor any implementation pays, for the ratio column.

Run from the repository root::

    .venv/bin/python benchmarks/volunteer_hours.py [volunteers] [records_per_volunteer]

Each path runs in its own child process so peak RSS (``ru_maxrss``) is its own.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pydantic import TypeAdapter

from wushe.care import VolunteerServiceRecord, hours_totals

CHUNK = 50_000
START = date(2023, 1, 1)
HOURS = [Decimal(q) / 4 for q in range(2, 17)]  # 0.5 .. 4 hours in quarter hours


def raw_records(volunteers: int, per: int) -> Iterator[dict[str, Any]]:
    """Plain dicts as they come out of a JSON file, deterministic."""
    for v in range(volunteers):
        for k in range(per):
            yield {
                "record_id": f"r{v}-{k}",
                "volunteer_id": f"v{v}",
                "activity": "社区志愿服务",
                "organiser_id": f"org{v % 97}",
                "service_date": (START + timedelta(days=k * 7 + v % 7)).isoformat(),
                "hours": str(HOURS[(v * 7 + k) % len(HOURS)]),
                "attested_by": f"w{v % 997}",
            }


ADAPTER = TypeAdapter(list[VolunteerServiceRecord])


def validated(volunteers: int, per: int) -> Iterator[VolunteerServiceRecord]:
    source = raw_records(volunteers, per)
    while chunk := list(itertools.islice(source, CHUNK)):
        yield from ADAPTER.validate_python(chunk)


def run(path: str, volunteers: int, per: int, out: Any) -> None:
    started = time.perf_counter()
    if path == "validated":
        totals = hours_totals(validated(volunteers, per))
        total = sum((t.hours for t in totals), Decimal(0))
    elif path == "validated+check":
        totals = hours_totals(validated(volunteers, per), check=True)
        total = sum((t.hours for t in totals), Decimal(0))
    else:
        sums: dict[str, Decimal] = defaultdict(Decimal)
        for row in raw_records(volunteers, per):
            sums[row["volunteer_id"]] += Decimal(row["hours"])
        total = sum(sums.values(), Decimal(0))
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.send((seconds, peak_kib / 1024, total))


def measure(path: str, volunteers: int, per: int) -> tuple[float, float, Decimal]:
    parent, child = mp.get_context("spawn").Pipe()
    process = mp.get_context("spawn").Process(
        target=run, args=(path, volunteers, per, child)
    )
    process.start()
    result: tuple[float, float, Decimal] = parent.recv()
    process.join()
    return result


def main() -> None:
    volunteers = int(sys.argv[1]) if len(sys.argv) > 1 else 400_000
    per = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    print(
        f"volunteer hours: {volunteers:,} volunteers x {per} records "
        f"= {volunteers * per:,} records (seed 003 宜宾: 37.6万 volunteers, 378.2万 h)"
    )
    rows = [
        (path, *measure(path, volunteers, per))
        for path in ("sum only", "validated", "validated+check")
    ]
    floor = rows[0][1]
    print(
        f"{'path':<17}{'records':>11}{'seconds':>10}{'rec/s':>11}"
        f"{'peak MiB':>10}{'x sum-only':>12}{'total hours':>16}"
    )
    for path, seconds, peak, total in rows:
        print(
            f"{path:<17}{volunteers * per:>11,}{seconds:>10.2f}"
            f"{volunteers * per / seconds:>11,.0f}{peak:>10,.0f}"
            f"{seconds / floor:>12.1f}{total:>16,}"
        )
    assert len({row[3] for row in rows}) == 1, "paths disagree on the total"


if __name__ == "__main__":
    main()
