"""Benchmark: the monthly run over a synthetic province, in one process and on Dask.

Generates a seeded synthetic province county by county into a partitioned store
(``tests/scale/province.py``; memory holds one county, and the store is cached on disk by its
parameters, so generation is paid once and is never part of a timed run). Then, each in a
fresh subprocess so that its peak memory is its own:

* ``probe``  — a few partitions run one at a time, each in a new process: the clean cost of
  one partition (load, month, peak memory above an idle worker);
* ``single`` — the whole province loaded as one dataset and run by
  :func:`wushe.scale.monthly_facts` in one process, when the probes say it fits in this
  machine's memory (otherwise the row says why it was skipped);
* ``1 worker`` / ``2 workers`` — :func:`wushe.scale.run_monthly` on a local cluster of one and
  of two worker processes (one thread each), cache off, workers warmed up (wushe imported)
  before the clock starts; peak memory is each worker process's own.

The run's client (:func:`wushe.scale.run_monthly` itself) runs in a process of its own
against the cluster's scheduler, as on a real cluster, so its memory is its own.

Prints the measured table, the speed-up from one to two workers (target ≥ 1.7x, issue 16),
the client's peak memory, and a table extrapolating the measured per-partition costs to the
national scale. Speed-ups are only meaningful on a machine whose cores are otherwise idle;
the table's CPU column says how much of a core each worker actually got.

Time: ``--quick`` takes a few minutes. Generation runs one county per process on every core
(``--generate-workers``; the store is the same whatever the number): 4.4 CPU s per county of
25,000 recipients (generate, validate, split, write), so ``--full`` generates its 200
counties in about 8 minutes on two idle cores, once (about 7 GiB on disk; later runs reuse
the cached store). It then runs about 4 CPU seconds per county for each configuration: 13.4 minutes with
one worker and 6.4 with two, measured below (with the single-process row skipped: 5 M
recipients need about 60 GiB in one process)::

    python benchmarks/scale.py --quick   # 20 counties x 2,500 recipients (the default)
    python benchmarks/scale.py --full --single never   # 200 x 25,000: 5 M recipients,
                                                       # ~1 M needs, 30 k stations
    python benchmarks/scale.py --counties 40 --recipients-per-county 5000

Measured on an idle two-core machine, 40 counties x ~10,000 recipients (403,200 recipients,
80,446 needs, 6,040 stations, 1.7 M visits; ``--counties 40 --recipients-per-county 10000``):

    configuration      wall s   peak MiB per worker   speed-up
    single process       99.4                 4,848
    1 worker             73.5                   338      1.00x
    2 workers            38.1             334 / 334      1.93x

    per partition: 1.83 CPU s mean, 2.01 s p95 (85% loading), 154 MiB above an idle
    worker of 98 MiB, 422 KiB of facts; national extrapolation (2,800 counties, 50 M
    recipients): 76 min on 1 machine, 19 on 4, 4.8 on 16, 1.2 on 64.

The ``--full`` province, measured on the idle two-core machine after every #16 change had
landed (30 November 2026, load average 1.2 at start; ``--full --single never``, store
generated beforehand on one core in 997 s, 4.58 CPU s per county, 5.3 GB on disk): 200
counties, 5,012,000 recipients, 1,001,149 needs, 30,200 stations, 21,051,454 visits:

    configuration      wall s   peak MiB per worker   speed-up
    single process    skipped: needs about 61.5 GiB
    1 worker            806.0                   563      1.00x
    2 workers           382.1             536 / 536      2.11x

    per partition (25,060 recipients): 4.03 s mean, 4.69 s p95 (67% loading), 314 MiB
    above an idle worker of 100 MiB; the client peaked 5 MiB above its idle 118 MiB in
    both runs. National extrapolation (2,800 counties, 50 M recipients): 67 min on 1
    machine, 16.8 on 4, 4.2 on 16, 1.1 on 64; about 324 MiB per worker, a client of about
    191 MiB, 1.8 GiB of facts files.

The client's memory, before and after each partition's facts went to a file of their own
(November 2026, 40 counties x 2,520 recipients, 2 workers, ``--counties 40
--recipients-per-county 2500 --workers 2 --single never``; the client's growth is its peak
above its resident memory once wushe and distributed are imported, 119 MiB):

    client                       grew at 40 counties   per county   2,800 counties of 17,857
    holding every county's facts            35 MiB      893 KiB     ≈ 17 GiB (grows with
                                                                      counties and their size)
    holding the totals only                  2 MiB     ≤ 53 KiB     ≤ 0.26 GiB (grows with
                                                                      counties only)

    A county's facts are 166 KiB of JSON here and about 5.4 times that as Python objects;
    the facts files of the national register would hold about 2-3 GiB on disk.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.scale.province import cached_province

from wushe.io import open_store
from wushe.io._partition import partition_document

AS_OF = "2024-06-30"
NATIONAL_COUNTIES = 2_800
NATIONAL_RECIPIENTS = 50_000_000
MACHINES = (1, 4, 16, 64)
MODES = {
    "quick": {"counties": 20, "recipients": 2_500},
    "full": {"counties": 200, "recipients": 25_000},
}
MiB = 1024 * 1024


def _peak_mib() -> float:
    """Peak resident memory of this process so far.

    Linux's ``VmHWM`` belongs to this program alone; ``ru_maxrss`` survives ``exec``, so a
    child started by a big parent would report the parent's peak. Both are in KiB.
    """
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:  # not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = next(x for x in status.splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def _cpu_s() -> float:
    """CPU seconds this process has used so far, user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _warm() -> float:
    """Import everything a partition needs; return the process's memory afterwards."""
    import wushe.scale  # noqa: F401, PLC0415

    return _peak_mib()


def _recipients(entry_counts: dict[str, int]) -> int:
    return entry_counts.get("recipients", 0)


# --- children: each runs in its own process and prints one JSON line -------------------


def child_probe(store: str, key: str) -> dict[str, Any]:
    """One partition, alone in a fresh process: load time, month time, memory."""
    from wushe.scale import monthly_facts  # noqa: PLC0415

    idle = _warm()
    opened = open_store(store)
    started = time.perf_counter()
    ds = opened.load(key)
    visits, incidents = opened.load_visits(key)
    loaded = time.perf_counter()
    facts = monthly_facts(ds, as_of=date.fromisoformat(AS_OF), visits=visits,
                          incidents=incidents, copies=opened.copies_in(key), partition=key)  # fmt: skip
    done = time.perf_counter()
    return {"key": key, "recipients": len(ds.recipients), "load_s": loaded - started,
            "month_s": done - loaded, "idle_mib": idle, "peak_mib": _peak_mib(),
            "result_kib": len(json.dumps(attrs.asdict(facts))) / 1024}  # fmt: skip


def child_single(store: str) -> dict[str, Any]:
    """Load every partition into one dataset and run the month in this process."""
    from wushe.models import Dataset  # noqa: PLC0415
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
        del part
    merged["divisions"].append({"division_code": "510000", "name": "合成省"})
    whole = Dataset.model_validate(
        {"name": "合成省", "division_code": "510000", **merged}
    )
    facts = monthly_facts(whole, as_of=date.fromisoformat(AS_OF), visits=visits)
    return {"seconds": time.perf_counter() - started, "peak_mib": [_peak_mib()],
            "partitions": len(opened.keys), "objective": facts.objective}  # fmt: skip


def child_client(store: str, scheduler: str) -> dict[str, Any]:
    """The run's client alone in this process, against a running scheduler.

    As on a real cluster: the scheduler and the workers are other processes, so this
    process's memory is the client's own (what it holds of the partitions' results).
    """
    import distributed  # noqa: F401, PLC0415 - imported before the baseline is read

    from wushe.scale import run_monthly  # noqa: PLC0415

    gc.collect()
    idle = (
        _rss_mib()
    )  # below the high-water mark of importing: growth is an upper bound
    with tempfile.TemporaryDirectory() as results:
        extra: dict[str, Any] = {}
        if "results" in _parameters(run_monthly):  # not before the facts files
            extra["results"] = results
        started = time.perf_counter()
        run = run_monthly(store, as_of=date.fromisoformat(AS_OF), scheduler=scheduler,
                          reuse=False, **extra)  # fmt: skip
        seconds = time.perf_counter() - started
    # Before this change the run held every partition's facts (``run.facts``).
    result = getattr(run, "totals", None) or run.facts
    return {"seconds": seconds, "objective": result.objective, "idle_mib": idle,
            "peak_mib": _peak_mib(), "partitions": len(run.completed),
            "failed": len(run.failed)}  # fmt: skip


def _parameters(function: Callable[..., Any]) -> set[str]:
    import inspect  # noqa: PLC0415

    return set(inspect.signature(function).parameters)


def _rss_mib() -> float:
    """Resident memory of this process now (``VmRSS``); the peak where unknown."""
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:  # not Linux
        return _peak_mib()
    line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def child_cluster(store: str, workers: str) -> dict[str, Any]:
    """Run the month on a local cluster of ``workers`` processes, cache off.

    The cluster (scheduler and workers) lives in this process and its children; the run's
    client is one more process (:func:`child_client`), so its memory is measured alone.
    """
    import distributed  # noqa: PLC0415

    local_cluster: Any = distributed.LocalCluster
    client_of: Any = distributed.Client
    with (
        local_cluster(n_workers=int(workers), threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address=":0", silence_logs=50) as cluster,
        client_of(cluster) as client,
    ):  # fmt: skip
        client.run(_warm)
        client.get_task_stream()  # starts the scheduler's task-stream recording
        cpu = client.run(_cpu_s)
        since = time.time()
        run = _in_child("client", store, cluster.scheduler_address)
        cpu = {k: v - cpu[k] for k, v in client.run(_cpu_s).items()}
        peaks = client.run(_peak_mib)
        stream = client.get_task_stream(start=since)
    tasks = {
        t["key"]: sum(s["stop"] - s["start"] for s in t["startstops"] if s["action"] == "compute")
        for t in stream
        if str(t["key"]).startswith("wushe-partition-")
    }  # fmt: skip
    return {"seconds": run["seconds"], "peak_mib": sorted(peaks.values()),
            "objective": run["objective"], "partitions": run["partitions"],
            "failed": run["failed"], "client_mib": run["peak_mib"],
            "client_idle_mib": run["idle_mib"], "scheduler_mib": _peak_mib(),
            "task_s": sorted(tasks.values()), "cpu_s": sorted(cpu.values())}  # fmt: skip


def child_formats(store: str) -> dict[str, Any]:
    """One partition's recipients: JSON through pydantic-core vs Parquet then pydantic."""
    from pydantic import TypeAdapter  # noqa: PLC0415

    from wushe.models import Recipient  # noqa: PLC0415

    opened = open_store(store)
    people = partition_document(opened.read(opened.keys[0]))["recipients"]
    adapter: TypeAdapter[list[Recipient]] = TypeAdapter(list[Recipient])
    blob = json.dumps(people, ensure_ascii=False).encode()
    started = time.perf_counter()
    adapter.validate_json(blob)
    out: dict[str, Any] = {
        "records": len(people),
        "json_s": time.perf_counter() - started,
    }
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


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "probe": child_probe,
    "single": child_single,
    "cluster": child_cluster,
    "client": child_client,
    "formats": child_formats,
}


def _in_child(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        msg = f"child {args[0]} failed (exit {done.returncode}):\n{tail}"
        raise SystemExit(msg)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# --- the parent: build, measure, report -------------------------------------------------


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def _probe_keys(sizes: dict[str, int], count: int) -> list[str]:
    """The largest partition and others spread evenly over the keys."""
    keys = sorted(sizes)
    largest = max(keys, key=lambda k: sizes[k])
    step = max(1, len(keys) // max(1, count))
    picked = dict.fromkeys([largest, *keys[::step]])
    return list(picked)[:count]


def _machine() -> dict[str, float]:
    import psutil  # type: ignore[import-untyped]  # noqa: PLC0415 - comes with dask

    memory = psutil.virtual_memory()
    return {"cores": os.cpu_count() or 1, "total_mib": memory.total / MiB,
            "available_mib": memory.available / MiB,
            "load": os.getloadavg()[0]}  # fmt: skip


def _single_fits(
    probes: list[dict[str, Any]], recipients: int, machine: dict[str, float]
) -> tuple[bool, str]:
    """Whether one process holding every partition fits in the memory free now."""
    per = max((p["peak_mib"] - p["idle_mib"]) / p["recipients"] for p in probes)
    idle = max(p["idle_mib"] for p in probes)
    # Every partition's peak above an idle process, added up: at 40 x 5,000 the one process
    # peaked at 2.7 GiB against 3.4 GiB estimated so, a little on the safe side.
    need = idle + per * recipients
    room = 0.7 * machine["available_mib"]
    why = f"needs ≈ {need / 1024:.1f} GiB, {room / 1024:.1f} GiB free to use"
    return need <= room, why


def _row(name: str, r: dict[str, Any], one: float | None) -> str:
    peaks = " / ".join(f"{p:,.0f}" for p in r["peak_mib"])
    speed = f"{one / r['seconds']:.2f}x" if one else ""
    busy = " | | "
    if r.get("task_s"):
        lanes = len(r["peak_mib"]) * r["seconds"]
        busy = (f"{sum(r['task_s']) / lanes:.0%} | {statistics.mean(r['task_s']):.2f} | "
                f"{sum(r['cpu_s']) / lanes:.0%}")  # fmt: skip
    return (
        f"| {name} | {r['seconds']:,.1f} | {peaks} | "
        f"{r['partitions']} of {r['total']} | {speed} | {busy} |"
    )


def _measure(
    store: str, totals: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    sizes = {
        p.key: _recipients(p.counts) for p in open_store(store).manifest.partitions
    }
    machine = _machine()
    probes = [_in_child("probe", store, k) for k in _probe_keys(sizes, args.probes)]
    fits, why = _single_fits(probes, totals["recipients"], machine)
    rows: dict[str, dict[str, Any]] = {}
    if args.single == "always" or (args.single == "auto" and fits):
        rows["single process"] = _in_child("single", store)
    for workers in args.workers:
        rows[f"{workers} worker{'s' if workers > 1 else ''}"] = _in_child(
            "cluster", store, str(workers)
        )
    for r in rows.values():
        r["total"] = len(sizes)
    return {"machine": machine, "probes": probes, "rows": rows, "sizes": sizes,
            "single_skipped": None if "single process" in rows else why}  # fmt: skip


def _idle_speedup(rows: dict[str, dict[str, Any]]) -> float:
    """The 1 → 2 speed-up had each worker had a core of its own while busy.

    The work is CPU-bound, so on idle cores a run lasts its CPU seconds over the workers
    and over how busy they were kept: wall = CPU / (workers x busy).
    """

    def ideal(r: dict[str, Any]) -> float:
        lanes = len(r["peak_mib"])
        busy = sum(r["task_s"]) / (lanes * r["seconds"])
        return float(sum(r["cpu_s"]) / (lanes * busy))

    return ideal(rows["1 worker"]) / ideal(rows["2 workers"])


def _print_measured(m: dict[str, Any], totals: dict[str, Any]) -> None:
    machine = m["machine"]
    print(f"\nprovince: {totals['counties']} counties, {totals['recipients']:,} recipients, "
          f"{totals['needs']:,} needs, {totals['stations']:,} stations, "
          f"{totals['visits']:,} visits")  # fmt: skip
    print(f"machine: {machine['cores']} cores, {machine['total_mib'] / 1024:.1f} GiB, "
          f"load average {machine['load']:.1f} at start\n")  # fmt: skip
    print(
        "| configuration | wall s | peak MiB per worker | partitions done "
        "| speed-up vs 1 worker | workers busy | s per partition | CPU per worker |"
    )
    print("|---|---|---|---|---|---|---|---|")  # fmt: skip
    rows = m["rows"]
    one = rows.get("1 worker", {}).get("seconds")
    if m["single_skipped"]:
        print(f"| single process | skipped: {m['single_skipped']} | | | | | | |")
    for name, r in rows.items():
        print(_row(name, r, one if name != "single process" else None))
    if "1 worker" in rows and "2 workers" in rows:
        speed = rows["1 worker"]["seconds"] / rows["2 workers"]["seconds"]
        verdict = "met" if speed >= 1.7 else "NOT met"
        print(f"\nspeed-up 1 → 2 workers: {speed:.2f}x (target ≥ 1.7x: {verdict})")
        print(f"projected for two idle cores: {_idle_speedup(rows):.2f}x (each worker a "
              "whole core while busy: 2 x CPU seconds of 1 worker / CPU seconds of 2, "
              "x the busy fractions; a projection, not a measurement)")  # fmt: skip
    print("(workers busy: time in partition tasks over workers x wall; s per partition: mean "
          "task time; CPU per worker: CPU seconds the workers got over workers x wall. On an "
          "idle machine CPU per worker stays near 100%; below it, other processes took the "
          "cores and the speed-up says more about them than about the run)")  # fmt: skip
    for name, r in rows.items():
        if "client_mib" in r:
            print(f"{name}: client process peak {r['client_mib']:,.0f} MiB, "
                  f"{r['client_mib'] - r['client_idle_mib']:,.0f} MiB above its "
                  f"{r['client_idle_mib']:,.0f} MiB with wushe and distributed imported "
                  f"(scheduler process: {r['scheduler_mib']:,.0f} MiB)")  # fmt: skip


def _per_partition(m: dict[str, Any]) -> dict[str, float]:
    """Measured cost of one partition, per recipient and as mean and p95."""
    tasks = m["rows"].get("1 worker", {}).get("task_s") or [
        p["load_s"] + p["month_s"] for p in m["probes"]
    ]
    recipients = statistics.mean(m["sizes"].values())
    above = [(p["peak_mib"] - p["idle_mib"]) / p["recipients"] for p in m["probes"]]
    one = m["rows"].get("1 worker")
    cpu = sum(one["cpu_s"]) / len(one["task_s"]) if one else statistics.mean(tasks)
    return {
        "recipients": recipients,
        "cpu_s": min(cpu, statistics.mean(tasks)),
        "mean_s": statistics.mean(tasks),
        "p95_s": _p95(tasks),
        "idle_mib": max(p["idle_mib"] for p in m["probes"]),
        "mean_mib": statistics.mean(above) * recipients,
        "p95_mib": _p95(above) * recipients,
        "load_share": statistics.mean(
            p["load_s"] / (p["load_s"] + p["month_s"]) for p in m["probes"]
        ),
        "result_kib": statistics.mean(p["result_kib"] / p["recipients"] for p in m["probes"])
        * recipients,
    }  # fmt: skip


def _print_costs(c: dict[str, float]) -> None:
    print(f"\nper partition ({c['recipients']:,.0f} recipients on average): "
          f"{c['mean_s']:.2f} s mean, {c['p95_s']:.2f} s p95, {c['cpu_s']:.2f} CPU s "
          f"({c['load_share']:.0%} of it loading); "
          f"{c['mean_mib']:,.0f} MiB mean, {c['p95_mib']:,.0f} MiB p95 above an idle worker "
          f"of {c['idle_mib']:,.0f} MiB; {c['result_kib']:,.0f} KiB of facts sent back")  # fmt: skip


def _efficiencies(rows: dict[str, dict[str, Any]]) -> tuple[float, float]:
    """Parallel efficiency from 1 to 2 workers: as measured, and projected for idle cores."""
    if "1 worker" not in rows or "2 workers" not in rows:
        return 1.0, 1.0
    measured = rows["1 worker"]["seconds"] / rows["2 workers"]["seconds"] / 2
    return min(1.0, measured), min(1.0, _idle_speedup(rows) / 2)


def _print_national(c: dict[str, float], m: dict[str, Any]) -> None:
    """Scale the measured per-partition costs to 2,800 counties and 50 M recipients."""
    machine, rows = m["machine"], m["rows"]
    county = NATIONAL_RECIPIENTS / NATIONAL_COUNTIES
    scale = county / c["recipients"]
    worker_mib = c["idle_mib"] + c["p95_mib"] * scale
    measured, idle = _efficiencies(rows)
    per_machine = max(
        1, min(int(machine["cores"]), int(0.8 * machine["total_mib"] // worker_mib))
    )
    print("\nextrapolated to the national scale — assumptions:")
    print(
        f"- {NATIONAL_COUNTIES:,} counties of {county:,.0f} recipients each on average "
        f"({NATIONAL_RECIPIENTS / 1e6:.0f} M); a partition's time and memory grow "
        f"linearly with its recipients (x{scale:.2f} of the measured partitions)"
    )
    print(
        f"- machines like this one: {per_machine} worker process(es) each, one thread "
        f"each (limited by {int(machine['cores'])} cores and by "
        f"{machine['total_mib'] / 1024:.0f} GiB at 80% use)"
    )
    print(
        f"- idle cores: a partition takes its CPU time ({c['cpu_s']:.2f} s measured, "
        f"{c['cpu_s'] * scale:.2f} s scaled), efficiency {idle:.0%} (projected above); "
        f"as measured here: its wall time ({c['mean_s']:.2f} s), efficiency {measured:.0%}"
    )
    print(
        "- wall ≈ total work / (workers x efficiency) + one p95 partition (the last to "
        "finish); the store on a shared file system fast enough not to be the bottleneck"
    )
    print(
        f"- one worker needs ≈ {worker_mib:,.0f} MiB for an average county, more for a "
        "large one (memory grows with recipients)\n"
    )
    client = _client_mib(rows, len(m["sizes"]))
    print(
        f"- the client: {client['idle']:,.0f} MiB idle; it grew at most "
        f"{client['per_partition']:,.1f} KiB per partition here, scaled to "
        f"{NATIONAL_COUNTIES:,} partitions: {client['national']:,.0f} MiB; the facts go "
        f"to files, {c['result_kib'] * scale * NATIONAL_COUNTIES / 1024:,.0f} MiB in all\n"
    )
    print(
        "| machines | workers | wall, idle cores (min) | wall, as measured here (min) "
        "| peak MiB per worker | client peak MiB | facts on disk (MiB) |"
    )
    print("|---|---|---|---|---|---|---|")
    facts_mib = c["result_kib"] * scale * NATIONAL_COUNTIES / 1024
    cpu_p95 = c["p95_s"] * c["cpu_s"] / c["mean_s"]
    for n in MACHINES:
        lanes = n * per_machine
        ideal = (NATIONAL_COUNTIES * c["cpu_s"] / (lanes * idle) + cpu_p95) * scale
        here = (
            NATIONAL_COUNTIES * c["mean_s"] / (lanes * measured) + c["p95_s"]
        ) * scale
        print(
            f"| {n} | {lanes} | {ideal / 60:,.1f} | {here / 60:,.1f} | {worker_mib:,.0f} "
            f"| {client['national']:,.0f} | {facts_mib:,.0f} |"
        )


def _client_mib(rows: dict[str, dict[str, Any]], partitions: int) -> dict[str, float]:
    """The client's memory: idle, growth per partition measured, and at national scale.

    The client keeps one totals record per partition, whose size does not depend on the
    partition's recipients, so its growth is scaled by the number of partitions alone.
    (Before the facts files, the client held every partition's facts, and its growth
    scaled with partitions and their size.)
    """
    runs = [r for r in rows.values() if "client_mib" in r]
    if not runs:
        return {"idle": 0.0, "per_partition": 0.0, "national": 0.0}
    idle = max(r["client_idle_mib"] for r in runs)
    grown = max(r["client_mib"] - r["client_idle_mib"] for r in runs)
    per = grown / partitions
    return {"idle": idle, "per_partition": per * 1024,
            "national": idle + per * NATIONAL_COUNTIES}  # fmt: skip


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(
        os.environ.get("WUSHE_BENCH_CACHE", Path(base) / "wushe" / "scale-bench")
    )


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--quick", action="store_true", help="20 counties x 2,500 (default)"
    )
    size.add_argument(
        "--full", action="store_true", help="200 counties x 25,000 recipients"
    )
    parser.add_argument("--counties", type=int, help="counties in the province")
    parser.add_argument("--recipients-per-county", type=int, dest="recipients")
    parser.add_argument("--stations-per-county", type=int, default=150, dest="stations")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2],
                        help="local cluster sizes to time (default 1 2)")  # fmt: skip
    parser.add_argument("--single", choices=("auto", "always", "never"), default="auto",
                        help="the one-process run: when it fits (default), always, never")  # fmt: skip
    parser.add_argument("--probes", type=int, default=4, help="partitions probed alone")
    parser.add_argument("--generate-workers", type=int, default=os.cpu_count() or 1,
                        help="processes generating counties (default: one per core); "
                        "the store is the same whatever the number")  # fmt: skip
    parser.add_argument("--formats", action="store_true",
                        help="also time one partition's recipients as JSON and as Parquet")  # fmt: skip
    parser.add_argument("--cache", type=Path, default=_cache_dir(),
                        help="where generated stores are kept (env WUSHE_BENCH_CACHE)")  # fmt: skip
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    mode = MODES["full" if args.full else "quick"]
    args.counties = args.counties or mode["counties"]
    args.recipients = args.recipients or mode["recipients"]
    return args


def _print_generation(totals: dict[str, Any]) -> None:
    """How long generating the store took, when the store says (stores since #16 do)."""
    if "county_cpu_s" not in totals:
        return
    n, seconds = totals["counties"], totals["seconds"]
    print(f"generated {n} counties in {seconds:,.0f} s on {totals['workers']} process(es): "
          f"{seconds / n:.2f} s per county, {totals['county_cpu_s']:.2f} CPU s per county "
          f"in its process (generate, validate, split and write)")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> None:
    args = _arguments(argv)
    if args.child:
        print(json.dumps(CHILDREN[args.child[0]](*args.child[1:])))
        return
    started = time.perf_counter()

    def generated(done: int, total: int) -> None:
        if done == total or done % 10 == 0:
            rate = (time.perf_counter() - started) / done
            print(
                f"  generated {done}/{total} counties ({rate:.1f} s per county)",
                flush=True,
            )

    store, totals = cached_province(args.cache, counties=args.counties,
                                    recipients=args.recipients, stations=args.stations,
                                    seed=args.seed, workers=args.generate_workers,
                                    progress=generated)  # fmt: skip
    print(f"store {store} ready in {time.perf_counter() - started:.0f} s", flush=True)
    _print_generation(totals)
    measured = _measure(str(store), totals, args)
    _print_measured(measured, totals)
    costs = _per_partition(measured)
    _print_costs(costs)
    _print_national(costs, measured)
    if args.formats:
        fmt = _in_child("formats", str(store))
        line = f"\none partition, {fmt['records']:,} recipients: JSON {fmt['json_s']:.3f} s"
        if "parquet_s" in fmt:
            line += f", Parquet → pydantic {fmt['parquet_s']:.3f} s"
        print(line)
    print(f"\nwhole benchmark: {time.perf_counter() - started:,.0f} s")


if __name__ == "__main__":
    main()
