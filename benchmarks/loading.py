"""Benchmark: loading recipients from JSON against raw pydantic validation.

DESIGN.md's target: wushe's loader (privacy types, code validation, referential integrity)
keeps at least 70% of the throughput of raw ``TypeAdapter(list[Model]).validate_json`` on
the same recipient-like records (PERF.md: ~115k records/s on this machine kind).

Each measurement runs in a fresh subprocess so that peak memory is its own::

    python benchmarks/loading.py                 # 100k and 1M records
    python benchmarks/loading.py --sizes 20000   # quicker

The wushe row reads the file, scans it (duplicate keys, depth), validates every record and
checks integrity; the raw rows time ``validate_json`` alone on the records already in
memory. Ratios are against raw pydantic with the garbage collector on, as a user runs it;
the "GC paused" row shows raw pydantic with the collector off, as wushe's loader runs.

Measured 2026-11-30 on the shared 2-core machine, 21 MiB of JSON per 100k records; compare
CPU seconds (wall time mostly measures the other processes when the load is high).
Before #16 item 4 (CPU): 0.78 s raw, 3.52 s wushe, 22%; after the first round 45% at 1M and
49% at 100k, with the recipient's cross-field rules and the masking wrappers' checks still
run once per record.

Now those checks run over whole columns with numpy after parsing (records the columns do
not clear are checked alone by the same rule), and the loaded records go straight to the
collector's oldest generation. At 100k, best CPU of three runs (load average about 2)::

      records  loader                          wall s  cpu s  rec/s cpu peak MiB cpu ratio wall ratio
      100,000  raw validate_json                 0.69   0.68    146,490      324      100%       100%
      100,000  raw validate_json, GC paused      0.30   0.30    337,824      324      231%       228%
      100,000  wushe load_dataset                1.03   1.01     98,718      465       67%        67%

(the three runs gave 67%, 72% and 70% each against their own raw row). At 1M, one run::

    1,000,000  raw validate_json                 6.81   6.78    147,431     2382      100%       100%
    1,000,000  raw validate_json, GC paused      3.23   3.21    311,570     2382      211%       211%
    1,000,000  wushe load_dataset               11.96  11.81     84,691     3751       57%        57%

After the faster duplicate-key scan, on an idle machine (load 1.0; November 2026)::

      100,000  raw validate_json                 0.65   0.64    155,039      322      100%       100%
      100,000  wushe load_dataset                0.98   0.97    102,871      464       66%        66%
    1,000,000  raw validate_json                 6.95   6.95    143,964     2381      100%       100%
    1,000,000  wushe load_dataset               14.08  14.08     71,022     3748       49%        49%

(a second 100k run gave 73%). So 49-57% at 1M against the 70% target (DESIGN.md): at 1M
the loader's share falls, its peak memory is 1.6x raw pydantic's and the extra objects cost
the allocator and collector more; against raw pydantic with the collector
paused as well, about 30% at either size. The ratios are against raw pydantic with the
collector on, as a user runs it: wushe's loader pauses the collector while it validates
(nothing it builds forms a cycle), which alone is worth about 2x to raw pydantic too.
What remains at 1M (CPU seconds, timed per stage): the duplicate-key scan, a Python
``json`` parse with a hook per object, about 2.8 s; pydantic-core with one Python call per
masking wrapper and per recipient (to list it for the columns) about 6 s; the deferred
value checks 0.5 s and the recipient columns (reading fields back, setting the derived
birth date, gender and groups) 1.1 s. Reaching 70% needs the duplicate-key check without
a Python parse and the wrappers built without a Python call.

The duplicate-key scan then lost its Python hook per object: one parse in C keeps each
object's distinct keys (``object_hook=list.extend``) and a byte count finds the members
written; only a file where they differ, or that does not parse, is scanned again with the
hook to name the key. ``python benchmarks/loading.py --scan --sizes 100000`` times both
in one process, best CPU of three (load average about 1.7)::

      100,000  hook per object + depth          0.17 cpu s (best of 3)
      100,000  C parse + byte count             0.13 cpu s (best of 3)

That is the hook's share (0.03 s of the parse's 0.11 s); the C parse itself (0.075 s)
and the byte count (0.05 s) remain. The same run's table at 100k::

      100,000  raw validate_json                 0.68   0.68    146,646      324      100%       100%
      100,000  raw validate_json, GC paused      0.30   0.30    335,062      325      228%       227%
      100,000  wushe load_dataset                0.96   0.95    104,943      466       72%        71%
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, TypeAdapter

from wushe.codes import id_check_character
from wushe.io import _parse, load_dataset


class PlainRecipient(BaseModel):
    """The raw reference: recipient-like record without wushe's checks (参照模型)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    recipient_id: str
    name: str
    community_id: str
    target_groups: tuple[str, ...]
    id_number: str
    birth_date: date
    phone: str | None = None
    assessed_on: date
    population: int = 0


def make_file(n: int, folder: Path) -> Path:
    rng = random.Random(n)
    communities = [
        {
            "community_id": f"c{k}",
            "name": f"社区{k}",
            "division_code": f"510106001{k:03d}",
        }
        for k in range(1, 101)
    ]
    records = []
    for i in range(n):
        born = date(rng.randint(1930, 1962), rng.randint(1, 12), rng.randint(1, 28))
        first17 = f"510106{born:%Y%m%d}{i % 1000:03d}"
        records.append(
            {
                "recipient_id": f"p{i}",
                "name": "张晓华",
                "community_id": f"c{rng.randint(1, 100)}",
                "target_groups": ["独居老人"],
                "id_number": first17 + id_check_character(first17),
                "birth_date": born.isoformat(),
                "phone": f"138{rng.randint(0, 99999999):08d}",
                "assessed_on": "2023-01-05",
            }
        )
    dataset = {
        "name": "基准区",
        "division_code": "510106",
        "divisions": [{"division_code": "510106001", "name": "街道"}],
        "communities": communities,
        "recipients": records,
    }
    path = folder / f"recipients_{n}.json"
    path.write_text(json.dumps(dataset, ensure_ascii=False), encoding="utf-8")
    return path


MODES = {
    "raw": "raw validate_json",
    "raw-nogc": "raw validate_json, GC paused",
    "wushe": "wushe load_dataset",
}


def run_one(mode: str, path: Path) -> None:
    raw = path.read_bytes()
    if mode.startswith("raw"):
        records = json.dumps(json.loads(raw)["recipients"]).encode()
        del raw
        adapter = TypeAdapter(list[PlainRecipient])
        if mode == "raw-nogc":
            gc.disable()
        start, cpu = time.perf_counter(), time.process_time()
        count = len(adapter.validate_json(records))
    else:
        start, cpu = time.perf_counter(), time.process_time()
        count = len(load_dataset(path).recipients)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"count": count, "seconds": seconds, "cpu": cpu_seconds, "peak_mib": peak}
    print(json.dumps(result))


def time_scan(n: int) -> None:
    """CPU seconds of the duplicate-key scan on ``n`` records: a hook per object, then now."""
    with tempfile.TemporaryDirectory() as folder:
        data = make_file(n, Path(folder)).read_bytes()
    text = data.decode()

    def before() -> None:  # the scan before this round: a Python hook per object
        _parse._scan_exactly(text)
        _parse.json_depth(text)

    def after() -> None:
        _parse.scan_json(text, data)

    scans = {"hook per object + depth": before, "C parse + byte count": after}
    for label, scan in scans.items():
        best = min(_cpu(scan) for _ in range(3))
        print(f"{n:>9,}  {label:<30} {best:>6.2f} cpu s (best of 3)")


def _cpu(work: Callable[[], object]) -> float:
    cpu = time.process_time()
    work()
    return time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument(
        "--one", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--scan", action="store_true", help="time only the duplicate-key scan"
    )
    args = parser.parse_args()
    if args.scan:
        for n in args.sizes:
            time_scan(n)
        return
    if args.one:
        run_one(args.one[0], Path(args.one[1]))
        return
    print(f"{'records':>9}  {'loader':<30} {'wall s':>7} {'cpu s':>6} {'rec/s cpu':>10} "
          f"{'peak MiB':>8} {'cpu ratio':>9} {'wall ratio':>10}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            path = make_file(n, Path(folder))
            results = {}
            for mode in MODES:
                out = subprocess.run(
                    [sys.executable, __file__, "--one", mode, str(path)],
                    capture_output=True, text=True, check=True,
                )  # fmt: skip
                results[mode] = json.loads(out.stdout)
            base = results["raw"]
            for mode, label in MODES.items():
                r = results[mode]
                print(
                    f"{n:>9,}  {label:<30} {r['seconds']:>7.2f} {r['cpu']:>6.2f} "
                    f"{n / r['cpu']:>10,.0f} {r['peak_mib']:>8.0f} "
                    f"{base['cpu'] / r['cpu']:>9.0%} {base['seconds'] / r['seconds']:>10.0%}"
                )


if __name__ == "__main__":
    main()
