"""Benchmark: loading recipients from JSON against raw pydantic validation.

DESIGN.md's target: wushe's loader (privacy types, code validation, referential integrity)
keeps at least 70% of the throughput of raw ``TypeAdapter(list[Model]).validate_json`` on
the same recipient-like records (PERF.md: ~115k records/s on this machine kind).

Each measurement runs in a fresh subprocess so that peak memory is its own::

    python benchmarks/loading.py                 # 100k and 1M records
    python benchmarks/loading.py --sizes 20000   # quicker

Measured 2026-11-30 on the shared 2-core machine (load average about 10, so compare CPU
seconds; wall time mostly measures the other processes), 100k records, 21 MiB of JSON:

==========================  =======  =========  =========  =========  =========
build                       raw cpu  wushe cpu  cpu ratio  wall ratio wushe MiB
==========================  =======  =========  =========  =========  =========
before #16 (main, 29ed1cb)  0.78 s   3.52 s     22%        15%        440
after #16 item 4, step 1    0.81 s   3.16 s     26%        18%        440
==========================  =======  =========  =========  =========  =========

Where the rest goes (CPU, 100k records, by removing one piece at a time): three masking
wrappers built by Python functions (~0.15 s each), the resident ID rules (~0.25 s), the
recipient's cross-field rules (~0.3 s), the label lookup (~0.1 s), the pre-parse scan for
duplicate keys and depth (~0.3 s) and the integrity pass (~0.3 s). The 70% target needs
the wrappers built without a Python call per value and the ID and cross-field rules run
over whole columns after parsing; not done yet.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, TypeAdapter

from wushe.codes import id_check_character
from wushe.io import load_dataset


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


def run_one(mode: str, path: Path) -> None:
    raw = path.read_bytes()
    start, cpu = time.perf_counter(), time.process_time()
    if mode == "raw":
        records = json.dumps(json.loads(raw)["recipients"]).encode()
        start, cpu = time.perf_counter(), time.process_time()
        count = len(TypeAdapter(list[PlainRecipient]).validate_json(records))
    else:
        count = len(load_dataset(path).recipients)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"count": count, "seconds": seconds, "cpu": cpu_seconds, "peak_mib": peak}
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument(
        "--one", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.one:
        run_one(args.one[0], Path(args.one[1]))
        return
    print(f"{'records':>9} {'JSON MiB':>9} {'raw s':>7} {'raw rec/s':>10} {'wushe s':>8} "
          f"{'wushe rec/s':>11} {'ratio':>6} {'raw cpu':>8} {'wushe cpu':>9} {'cpu ratio':>9} "
          f"{'raw MiB':>8} {'wushe MiB':>9}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        for n in args.sizes:
            path = make_file(n, Path(folder))
            results = {}
            for mode in ("raw", "wushe"):
                out = subprocess.run(
                    [sys.executable, __file__, "--one", mode, str(path)],
                    capture_output=True, text=True, check=True,
                )  # fmt: skip
                results[mode] = json.loads(out.stdout)
            raw, ours = results["raw"], results["wushe"]
            print(
                f"{n:>9,} {path.stat().st_size / 2**20:>9.0f} {raw['seconds']:>7.2f} "
                f"{n / raw['seconds']:>10,.0f} {ours['seconds']:>8.2f} {n / ours['seconds']:>11,.0f} "
                f"{raw['seconds'] / ours['seconds']:>6.0%} {raw['cpu']:>8.2f} {ours['cpu']:>9.2f} "
                f"{raw['cpu'] / ours['cpu']:>9.0%} {raw['peak_mib']:>8.0f} {ours['peak_mib']:>9.0f}"
            )


if __name__ == "__main__":
    main()
