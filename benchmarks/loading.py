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

Now (#16 item 4, third round), one run at 100k and 1M with the recipients' columns
finished inside pydantic-core's validation, load average 6-8 (raw pydantic's own ratio
with and without the collector is the 2.3x of an idle machine)::

      records  loader                          wall s  cpu s  rec/s cpu peak MiB cpu ratio wall ratio
      100,000  raw validate_json                 2.28   0.72    138,123      324      100%       100%
      100,000  raw validate_json, GC paused      0.65   0.31    323,788      324      234%       351%
      100,000  wushe load_dataset                1.74   0.79    127,135      425       92%       131%
    1,000,000  raw validate_json                19.32   7.79    128,378     2382      100%       100%
    1,000,000  raw validate_json, GC paused      8.89   3.38    295,708     2383      230%       217%
    1,000,000  wushe load_dataset               21.63   9.04    110,673     3240       86%        89%

Then with the columns finished after pydantic-core returns (it has let go of its parse,
so the peak is lower), as the loader is now, load average 6-7::

      100,000  raw validate_json                 1.62   0.72    139,552      324      100%       100%
      100,000  raw validate_json, GC paused      1.19   0.31    319,534      324      229%       136%
      100,000  wushe load_dataset                4.88   0.85    117,174      396       84%        33%
    1,000,000  raw validate_json                25.42   7.91    126,479     2383      100%       100%
    1,000,000  raw validate_json, GC paused     11.08   3.65    274,127     2382      217%       229%
    1,000,000  wushe load_dataset               23.22   8.22    121,594     3048       96%       109%

Two more runs at 100k of the final code (load average about 9) gave 92% and 95%, wushe
0.79 CPU s in both against raw 0.73 and 0.75 s; so the best of the four runs at 100k is
95% and the three of the final code 84-95%.

At 1M that is 86-96% of raw pydantic (was 49-57%; the target is 70%), and 100k to 1M
now costs the loader 11x, as it costs raw pydantic. What the round found and changed,
timed per stage in one process at 1M (CPU seconds; ``time.process_time`` and
``getrusage`` around each stage, under the same load):

* The loader kept the file as ``str``: about 440 MB for 224 MB of UTF-8 with Chinese in
  it, plus the UTF-8 copy pydantic-core makes of (and caches inside) a ``str``, both
  alive while pydantic validated; the byte count encoded the text once more. A third
  of the loader's CPU time was the kernel's (page faults: 1.16 M against raw
  pydantic's 0.52 M). Now the bytes are validated, the text lives only for the C parse
  of the scan, and the byte count reads the bytes: read and scan 2.0-2.7 s -> 1.0-1.4 s.
* The byte count's numpy arrays were the size of the file's structure (an int32 running
  depth of some 170 MB); counted in slices of 256 KiB that stay in cache: 0.8-1.5 s ->
  0.23 s.
* Each recipient cost four Python calls from pydantic-core: one per masking wrapper of
  name, phone and ID number and one to list the record for the columns. The loader now
  validates recipients with a copy of Recipient's core schema that leaves those three
  fields plain (stripped) strings and has no record validator
  (``wushe.models._dataset.validate_json_columns``); once pydantic-core returns, the
  columns are checked with numpy, the wrappers made and filled by loops in C
  (``wushe.privacy.wrap_column``), the ID numbers' columns shared by the ID check and the
  cross-field rules, and each record's fields read in one step and written in one (a
  million records do not fit in cache: each further pass over them costs a fetch from
  memory each). Validation 5.3 s + columns 2.0 s -> 3.9 s + 2.2 s under load 8.
* The scan's C parse (0.8 s) stays: ``jiter.from_json(..., catch_duplicate_keys=True)``
  builds the whole document as Python objects and took 1.6-2.1 s at 1M against 0.77 s
  for ``json.loads`` with ``object_hook=list.extend``, so jiter is not a dependency.
* Freeing the dataset at the end of the run (timed here, as for raw pydantic) costs
  about 0.8 s; peak memory is 1.2-1.4x raw pydantic's (was 1.6x).

Before #16 item 4 (CPU): 0.78 s raw, 3.52 s wushe, 22%; after the first round 45% at 1M and
49% at 100k, with the recipient's cross-field rules and the masking wrappers' checks still
run once per record.

In the second round those checks ran over whole columns with numpy after parsing (records
the columns do not clear are checked alone by the same rule), and the loaded records went
straight to the collector's oldest generation. At 100k, best CPU of three runs (load
average about 2)::

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

(a second 100k run gave 73%). The duplicate-key scan had then lost its Python hook per
object: one parse in C keeps each object's distinct keys (``object_hook=list.extend``)
and a byte count finds the members written; only a file where they differ, or that does
not parse, is scanned again with the hook to name the key.
``python benchmarks/loading.py --scan --sizes 100000`` times both in one process.

After every #16 change had landed, on the idle machine (load average about 1, 30 November
2026), one run of the default sizes::

      100,000  raw validate_json                 0.68   0.68    147,857      323      100%       100%
      100,000  raw validate_json, GC paused      0.29   0.29    342,549      323      232%       232%
      100,000  wushe load_dataset                0.76   0.76    132,440      395       90%        89%
    1,000,000  raw validate_json                 7.14   7.14    140,088     2381      100%       100%
    1,000,000  raw validate_json, GC paused      2.94   2.94    339,854     2381      243%       243%
    1,000,000  wushe load_dataset                8.12   8.11    123,232     3046       88%        88%
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
