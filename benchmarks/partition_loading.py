"""Benchmark: loading a store partition against raw pydantic validation of the same records.

DESIGN.md's target: the partitioned store's own format loads faster than raw pydantic JSON,
``TypeAdapter(list[PlainRecipient]).validate_json`` with the collector on, as a user runs it
(the reference of ``benchmarks/loading.py``), with every check of ``load_dataset`` applied.

Each measurement runs in a fresh subprocess so that peak memory is its own::

    python benchmarks/partition_loading.py                 # 100k and 1M recipients
    python benchmarks/partition_loading.py --sizes 20000   # quicker
    python benchmarks/partition_loading.py --stages --sizes 100000   # where the time goes

The records are the loading benchmark's (ID number with its check character, birth date,
phone, group 独居老人, assessment date), with names drawn from common surnames and given
names instead of one name for all, so that no column is unfairly cheap; one partition holds
them all. Rows:

* ``raw validate_json``: the records as one JSON array, validated into a plain model;
* ``wushe load_dataset``: the same records as a dataset file, through the general loader;
* ``store layout 1``: the same file as a layout-1 partition (``dataset.json``), which
  ``Store.load`` now loads with ``load_dataset``;
* ``store layout 2``: the partition file ``dataset.jsonl`` (recipients by column), read by
  ``Store.load``: checksum, repeated keys and depth of the rows, every field, every
  cross-field rule, integrity.

Ratios are raw pydantic's CPU (and wall) seconds over the row's, so above 100% is faster.
Each row's pydantic schemas are built before the clock starts: the raw row's adapter, the
partition reader's column and row adapters (``load_dataset`` builds its own on import).
The numbers are in the docstring of ``wushe.io._store`` and in the CHANGELOG (#16).

Where the time goes (``--stages``, best CPU of three in one process, 30 November 2026, load
average about 8; the whole load is faster here than in the table, which times one cold run)::

      100,000  recipient columns (field checks)           0.13 cpu s
      100,000  recipients (+ cross-field rules, models)   0.42 cpu s
      100,000  whole load (Store.load)                    0.36 cpu s
      100,000  Parquet read + to Python (no checks)       0.13 cpu s
    1,000,000  checksum                                   0.03 cpu s
    1,000,000  split lines                                0.04 cpu s
    1,000,000  recipient columns (field checks)           1.17 cpu s
    1,000,000  recipients (+ cross-field rules, models)   3.93 cpu s
    1,000,000  whole load (Store.load)                    3.96 cpu s
    1,000,000  Parquet read + to Python (no checks)       1.64 cpu s

So building a million frozen models from checked columns (dicts, wrappers, fields sets) and
the cross-field rules cost more than checking the columns; Parquet would only replace the
column stage, and its read alone, with no check, costs more than that stage with every check.

The default sizes after every #16 change had landed, on the idle machine (load average
about 1, 30 November 2026), one run::

      100,000  raw validate_json                 0.67   0.67      322      100%       100%
      100,000  wushe load_dataset                0.79   0.79      381       85%        85%
      100,000  store layout 1 (dataset.json)     0.85   0.85      402       79%        79%
      100,000  store layout 2 (dataset.jsonl)    0.45   0.45      296      148%       148%
    1,000,000  raw validate_json                 7.22   7.22     2366      100%       100%
    1,000,000  wushe load_dataset                8.57   8.57     2899       84%        84%
    1,000,000  store layout 1 (dataset.json)     9.38   9.32     3112       77%        77%
    1,000,000  store layout 2 (dataset.jsonl)    4.65   4.65     1966      155%       155%
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
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, TypeAdapter

from wushe._gc import paused_gc
from wushe.codes import id_check_character
from wushe.io import PartitionEntry, StoreManifest, load_dataset, open_store
from wushe.io._partition import PARTITION_FILE, encode_partition

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国玉兰红梅志明德福"


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


def make_dataset(n: int) -> dict[str, Any]:
    """A dataset document of ``n`` recipients in 100 communities of one street."""
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
        name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))
        records.append(
            {
                "recipient_id": f"p{i}",
                "name": name,
                "community_id": f"c{rng.randint(1, 100)}",
                "target_groups": ["独居老人"],
                "id_number": first17 + id_check_character(first17),
                "birth_date": born.isoformat(),
                "phone": f"138{rng.randint(0, 99999999):08d}",
                "assessed_on": "2023-01-05",
            }
        )
    return {
        "name": "基准区",
        "division_code": "510106",
        "divisions": [{"division_code": "510106001", "name": "街道"}],
        "communities": communities,
        "recipients": records,
    }


def write_files(n: int, folder: Path) -> None:
    """The dataset file, the raw records and both store layouts for ``n`` recipients."""
    document = make_dataset(n)
    text = json.dumps(document, ensure_ascii=False).encode()
    (folder / "dataset.json").write_bytes(text)
    (folder / "records.json").write_bytes(
        json.dumps(document["recipients"], ensure_ascii=False).encode()
    )
    header = {k: v for k, v in document.items() if not isinstance(v, list)}
    body = {k: v for k, v in document.items() if isinstance(v, list)}
    layouts = {
        1: ("dataset.json", text),
        2: (PARTITION_FILE, encode_partition(header, body)),
    }
    for version, (name, data) in layouts.items():
        root = folder / f"store{version}"
        (root / "partitions" / "510106").mkdir(parents=True)
        (root / "partitions" / "510106" / name).write_bytes(data)
        entry = PartitionEntry(
            key="510106",
            name="基准区",
            counts={k: len(v) for k, v in body.items()},
            files={name: _sha256(data)},
        )
        manifest = StoreManifest(
            schema_version=version, name="基准区", division_code="510106",
            partitions=(entry,),
        )  # fmt: skip
        (root / "manifest.json").write_text(
            manifest.model_dump_json(), encoding="utf-8"
        )


def _sha256(data: bytes) -> str:
    import hashlib  # noqa: PLC0415

    return hashlib.sha256(data).hexdigest()


MODES = {
    "raw": "raw validate_json",
    "wushe": "wushe load_dataset",
    "store1": "store layout 1 (dataset.json)",
    "store2": "store layout 2 (dataset.jsonl)",
}


def run_one(mode: str, folder: Path) -> None:
    if mode == "raw":
        records = (folder / "records.json").read_bytes()
        adapter = TypeAdapter(list[PlainRecipient])
        start, cpu = time.perf_counter(), time.process_time()
        count = len(adapter.validate_json(records))
    elif mode == "wushe":
        start, cpu = time.perf_counter(), time.process_time()
        count = len(load_dataset(folder / "dataset.json").recipients)
    else:
        store = open_store(folder / f"store{mode[-1]}")
        _build_schemas()
        start, cpu = time.perf_counter(), time.process_time()
        count = len(store.load("510106").recipients)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"count": count, "seconds": seconds, "cpu": cpu_seconds, "peak_mib": peak}
        )
    )


def _build_schemas() -> None:
    """Build the partition reader's schemas before timing, as the raw row builds its own.

    The dataset loader builds its schemas when it is imported.
    """
    from wushe.io import _partition  # noqa: PLC0415
    from wushe.models import COLLECTIONS  # noqa: PLC0415

    for field in _partition._FIELDS:
        for nullable in (False, True):
            _partition._field_adapter(field, nullable=nullable)
    for collection in COLLECTIONS:
        _partition._rows_adapter(collection)


def time_stages(n: int) -> None:
    """CPU seconds of each stage of a layout-2 load, and of Parquet's read (if installed)."""
    from wushe.io import _partition  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_files(n, folder)
        data = (
            folder / "store2" / "partitions" / "510106" / PARTITION_FILE
        ).read_bytes()
        lines = _partition._split(data)
        columns: dict[str, dict[str, bytes]] = {"column": {}, "table": {}, "codes": {}}
        for kind, name, body in lines[1:]:
            if kind in columns:
                columns[kind][name] = body

        def fields() -> object:  # each column through pydantic-core, checks included
            fresh = {k: dict(v) for k, v in columns.items()}
            return [_partition._column(fresh, f) for f in _partition._FIELDS]

        stages: dict[str, Callable[[], object]] = {
            "checksum": lambda: _sha256(data),
            "split lines": lambda: _partition._split(data),
            "recipient columns (field checks)": lambda: _paused(fields),
            "recipients (+ cross-field rules, models)": lambda: _paused(
                lambda: _partition._recipients({k: dict(v) for k, v in columns.items()})
            ),
            "whole load (Store.load)": lambda: open_store(folder / "store2").load(
                "510106"
            ),
        }
        for label, work in stages.items():
            print(f"{n:>9,}  {label:<40} {_best_cpu(work):>6.2f} cpu s (best of 3)")
        _time_parquet(n, folder)


def _time_parquet(n: int, folder: Path) -> None:
    try:
        import pyarrow as pa  # noqa: PLC0415
        import pyarrow.parquet as pq  # noqa: PLC0415
    except ImportError:
        print("pyarrow is not installed: no Parquet row")
        return
    records = json.loads((folder / "records.json").read_bytes())
    path = folder / "recipients.parquet"
    pq.write_table(pa.Table.from_pylist(records), path)
    del records

    def read() -> object:
        return pq.read_table(
            path
        ).to_pydict()  # the columns as Python values, unchecked

    print(
        f"{n:>9,}  {'Parquet read + to Python (no checks)':<40} {_best_cpu(read):>6.2f} cpu s (best of 3)"
    )


def _paused(work: Callable[[], object]) -> object:
    with paused_gc():  # as Store.load runs it
        return work()


def _best_cpu(work: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(3):
        cpu = time.process_time()
        kept = work()
        best = min(best, time.process_time() - cpu)
        del kept  # freeing the result is not part of the stage
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument(
        "--one", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--stages", action="store_true", help="time the stages of one load"
    )
    args = parser.parse_args()
    if args.one:
        run_one(args.one[0], Path(args.one[1]))
        return
    if args.stages:
        for n in args.sizes:
            time_stages(n)
        return
    print(f"{'records':>9}  {'format':<30} {'wall s':>7} {'cpu s':>6} {'peak MiB':>8} "
          f"{'cpu ratio':>9} {'wall ratio':>10}")  # fmt: skip
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            write_files(n, Path(tmp))
            results = {}
            for mode in MODES:
                out = subprocess.run(
                    [sys.executable, __file__, "--one", mode, tmp],
                    capture_output=True, text=True, check=True,
                )  # fmt: skip
                results[mode] = json.loads(out.stdout)
        base = results["raw"]
        for mode, label in MODES.items():
            r = results[mode]
            print(
                f"{n:>9,}  {label:<30} {r['seconds']:>7.2f} {r['cpu']:>6.2f} "
                f"{r['peak_mib']:>8.0f} {base['cpu'] / r['cpu']:>9.0%} "
                f"{base['seconds'] / r['seconds']:>10.0%}",
                flush=True,
            )


if __name__ == "__main__":
    main()
