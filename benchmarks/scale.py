"""Benchmark: the monthly run over a synthetic province, in one process and on Dask.

Builds a seeded synthetic province county by county (``tests/scale/province.py``) into a
partitioned store, then times, each in a fresh subprocess so that peak memory is its own:

* ``single``  — the whole province loaded as one dataset and run by
  :func:`wushe.scale.monthly_facts` in one process (skipped with ``--no-single``);
* ``1 worker`` / ``2 workers`` — :func:`wushe.scale.run_monthly` on a local cluster of one
  and of two worker processes, cache off; peak memory is the largest worker's.

It also times one partition's load in two formats (JSON through pydantic-core, and Parquet
turned back into Python objects then validated) — the measurement behind the store's
format — and extrapolates the measured per-partition cost to the national scale.

Target (issue 16): two workers at least 1.7 times one worker::

    python benchmarks/scale.py                                   # 20 counties, quick
    python benchmarks/scale.py --counties 200 --recipients 25000 --no-single  # 5 M
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scale.province import county_codes, make_county

from wushe.io import StoreWriter, open_store
from wushe.models import Dataset

AS_OF = "2024-06-30"
NATIONAL_COUNTIES = 2_800
NATIONAL_RECIPIENTS = 50_000_000


def _shape(recipients: int) -> dict[str, int]:
    """Streets and communities of a county holding about ``recipients`` people."""
    communities = max(1, recipients // 60)
    streets = max(1, communities // 10)
    return {
        "streets": streets,
        "communities": max(1, communities // streets),
        "recipients": 60,
    }


def build_store(store: Path, counties: int, recipients: int) -> dict[str, int]:
    """Write the store one county at a time, so memory holds one county."""
    from wushe.care import VisitRecord  # noqa: PLC0415

    shape = _shape(recipients)
    totals = {"recipients": 0, "needs": 0, "stations": 0, "visits": 0}
    with StoreWriter(store, name="合成省", division_code="510000") as writer:
        for code in county_codes(counties):
            data, log = make_county(code, **shape)
            ds = Dataset.model_validate(data)
            visits = [VisitRecord.model_validate(v) for v in log["visits"]]
            writer.add(ds, visits=visits)
            totals["recipients"] += len(ds.recipients)
            totals["needs"] += len(ds.needs)
            totals["stations"] += len(ds.stations)
            totals["visits"] += len(visits)
    return totals


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_single(store: str) -> dict[str, Any]:
    """Load every partition into one dataset and run the month in this process."""
    from wushe.scale import monthly_facts  # noqa: PLC0415

    opened = open_store(store)
    started = time.perf_counter()
    merged: dict[str, list[Any]] = {}
    visits: list[Any] = []
    for key in opened.keys:
        part = opened.load(key)
        for name in ("divisions", "communities", "organizations", "workers", "volunteers",
                     "recipients", "needs", "stations", "activities"):  # fmt: skip
            merged.setdefault(name, []).extend(getattr(part, name))
        visits += opened.load_visits(key)[0]
    merged["divisions"].append({"division_code": "510000", "name": "合成省"})
    whole = Dataset.model_validate(
        {"name": "合成省", "division_code": "510000", **merged}
    )
    facts = monthly_facts(whole, as_of=date.fromisoformat(AS_OF), visits=visits)
    return {"seconds": time.perf_counter() - started, "peak_mib": _peak_mib(),
            "objective": facts.objective}  # fmt: skip


def child_cluster(store: str, workers: int) -> dict[str, Any]:
    """Run the month on a local cluster of ``workers`` processes, cache off."""
    import distributed  # noqa: PLC0415

    local_cluster: Any = distributed.LocalCluster
    client_of: Any = distributed.Client

    from wushe.scale import run_monthly  # noqa: PLC0415

    with (
        local_cluster(n_workers=workers, threads_per_worker=1, processes=True,
                                 host="127.0.0.1", dashboard_address=":0",
                                 silence_logs=50) as cluster,
        client_of(cluster) as client,
    ):  # fmt: skip
        started = time.perf_counter()
        run = run_monthly(store, as_of=date.fromisoformat(AS_OF),
                          scheduler=cluster.scheduler_address, reuse=False)  # fmt: skip
        seconds = time.perf_counter() - started
        peaks = client.run(_peak_mib)
    assert run.ok, run.failed
    return {"seconds": seconds, "peak_mib": max(peaks.values()), "objective": run.facts.objective,
            "partitions": len(run.completed)}  # fmt: skip


def child_formats(store: str) -> dict[str, Any]:
    """One partition's recipients: JSON through pydantic-core vs Parquet then pydantic."""
    from pydantic import TypeAdapter  # noqa: PLC0415

    from wushe.models import Recipient  # noqa: PLC0415

    opened = open_store(store)
    raw = json.loads(opened.read(opened.keys[0]))
    people = raw["recipients"]
    adapter: TypeAdapter[list[Recipient]] = TypeAdapter(list[Recipient])
    blob = json.dumps(people, ensure_ascii=False).encode()
    started = time.perf_counter()
    adapter.validate_json(blob)
    json_s = time.perf_counter() - started
    out: dict[str, Any] = {"records": len(people), "json_s": json_s}
    try:
        import pyarrow as pa  # noqa: PLC0415
        import pyarrow.parquet as pq  # noqa: PLC0415
    except ImportError:
        return out
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.parquet"
        pq.write_table(pa.Table.from_pylist(people), path)
        started = time.perf_counter()
        adapter.validate_python(pq.read_table(path).to_pylist())
        out["parquet_s"] = time.perf_counter() - started
    return out


def _in_child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--recipients", type=int, default=2_500, help="per county")
    parser.add_argument(
        "--no-single", action="store_true", help="skip the one-process run"
    )
    parser.add_argument("--store", type=Path, help="reuse or keep the store here")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, store, *rest = args.child
        result = {"single": lambda: child_single(store), "formats": lambda: child_formats(store),
                  "cluster": lambda: child_cluster(store, int(rest[0]))}[kind]()  # fmt: skip
        print(json.dumps(result))
        return
    store = args.store or Path(tempfile.mkdtemp(prefix="wushe-scale-"))
    started = time.perf_counter()
    if not (store / "manifest.json").exists():
        totals = build_store(store, args.counties, args.recipients)
        print(f"built {store} in {time.perf_counter() - started:.1f} s: {totals}")
    _report(str(store), args)


def _report(store: str, args: argparse.Namespace) -> None:
    rows: list[tuple[str, dict[str, Any]]] = []
    if not args.no_single:
        rows.append(("single process", _in_child("single", store)))
    for workers in (1, 2):
        rows.append((f"{workers} worker(s)", _in_child("cluster", store, str(workers))))
    print(f"\n{args.counties} counties x ~{args.recipients:,} recipients\n")
    print("| path | seconds | peak MiB (per worker) | objective |")
    print("|---|---|---|---|")
    for name, r in rows:
        print(
            f"| {name} | {r['seconds']:.1f} | {r['peak_mib']:.0f} | {r['objective']} |"
        )
    one, two = rows[-2][1]["seconds"], rows[-1][1]["seconds"]
    print(f"\nspeed-up 1 → 2 workers: {one / two:.2f}x (target ≥ 1.7x)")
    per_partition = one / args.counties
    per_recipient = one / (args.counties * args.recipients)
    print(
        "\nextrapolated to the national scale (2 workers per machine, same efficiency):\n"
    )
    print("| machines | by counties (s) | by recipients (s) |")
    print("|---|---|---|")
    eff = (one / two) / 2
    for machines in (1, 10, 50, 200):
        lanes = 2 * machines * eff
        print(f"| {machines} | {NATIONAL_COUNTIES * per_partition / lanes:,.0f} | "
              f"{NATIONAL_RECIPIENTS * per_recipient / lanes:,.0f} |")  # fmt: skip
    fmt = _in_child("formats", store)
    line = f"\none partition, {fmt['records']:,} recipients: JSON {fmt['json_s']:.3f} s"
    if "parquet_s" in fmt:
        line += f", Parquet → pydantic {fmt['parquet_s']:.3f} s"
    print(line)


if __name__ == "__main__":
    main()
