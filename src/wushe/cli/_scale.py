"""``wushe store`` and ``wushe run``: many counties (分区存储与月度运行)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import attrs

from wushe.cli._app import _date, _positive, command
from wushe.cli._errors import (
    EXIT_INVALID_DATA,
    EXIT_OK,
    CommandError,
    _reading,
    _writing,
)
from wushe.cli._load import _load_or_report
from wushe.cli._output import Console


def _configure_store(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="dataset file (JSON or YAML)")
    parser.add_argument(
        "--out", type=Path, required=True, help="the store folder to write"
    )
    parser.add_argument("--visits", type=Path, help="the visit log to split with it")


@command(
    "store",
    help="split a dataset into county partitions with a manifest",
    configure=_configure_store,
    inputs={"path": "file", "visits": "file"},
    outputs={"out": "folder"},
)
def _store(args: argparse.Namespace, console: Console) -> int:
    from wushe.io import load_visit_log, write_store  # noqa: PLC0415

    ds = _load_or_report(args.path, console)
    visits: tuple[Any, ...] = ()
    incidents: tuple[Any, ...] = ()
    if args.visits:
        with _reading(args.visits):
            visits, incidents = load_visit_log(args.visits, dataset=ds)
    with _writing(args.out):
        manifest = write_store(args.out, ds, visits=visits, incidents=incidents)
    if console.json:
        console.emit(manifest.model_dump(mode="json"))
        return EXIT_OK
    console.table(
        [console.text("partition", "分区"), console.text("name", "名称"),
         console.text("recipients", "服务对象"), console.text("needs", "需求")],
        [(p.key, p.name, p.counts.get("recipients", 0), p.counts.get("needs", 0))
         for p in manifest.partitions],
    )  # fmt: skip
    console.say(
        f"\n{len(manifest.partitions)} partitions written to {args.out}; "
        f"{len(manifest.shared)} shared record(s), {len(manifest.cut)} cut reference(s) "
        "listed in manifest.json",
        f"\n已写入 {len(manifest.partitions)} 个分区至 {args.out}；"
        f"跨区共享记录 {len(manifest.shared)} 条、切断引用 {len(manifest.cut)} 处，见 manifest.json",
    )
    return EXIT_OK


def _configure_run(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "store", type=Path, help="a store folder written by `wushe store`"
    )
    parser.add_argument(
        "--as-of", type=_date, required=True, help="the day to run (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--scheduler",
        help="Dask scheduler address (default: $DASK_SCHEDULER_ADDRESS, else local)",
    )
    parser.add_argument(
        "--workers", type=_positive, default=2, help="local cluster worker processes"
    )
    parser.add_argument(
        "--partition", action="append", default=None, metavar="KEY",
        help="run only this partition (repeatable)",
    )  # fmt: skip
    parser.add_argument(
        "--no-reuse",
        action="store_true",
        help="recompute partitions that have not changed",
    )
    parser.add_argument(
        "--results", type=Path, metavar="FOLDER",
        help="where each partition's facts are written (default: STORE/runs)",
    )  # fmt: skip


@command(
    "run",
    help="the monthly run over every partition of a store, on Dask",
    configure=_configure_run,
    inputs={"store": "folder"},
    outputs={"results": "folder"},
)
def _run(args: argparse.Namespace, console: Console) -> int:
    from wushe.scale import run_monthly  # noqa: PLC0415 - needs the dask extra

    def report(key: str, done: int, total: int) -> None:
        if console.err.isatty():
            console.err.write(
                f"\r{console.text('partitions', '分区')} {done}/{total} ({key})"
            )
            console.err.flush()

    result = run_monthly(
        args.store, as_of=args.as_of, partitions=args.partition, scheduler=args.scheduler,
        workers=args.workers, reuse=not args.no_reuse, results=args.results,
        progress=report,
    )  # fmt: skip
    if console.err.isatty():
        console.err.write("\n")
    if console.json:
        console.emit({"completed": result.completed, "recomputed": result.recomputed,
                      "failed": [attrs.asdict(f) for f in result.failed],
                      "seconds": round(result.seconds, 2), "folder": str(result.folder),
                      "files": dict(result.files), "totals": attrs.asdict(result.totals)})  # fmt: skip
        _check_partitions(args.store, result)
        return EXIT_OK
    totals = result.totals
    national = totals.divisions.get("national", {})
    console.say(
        f"{totals.month}: {len(result.completed)} partition(s) in the result "
        f"({len(result.recomputed)} computed, the rest unchanged), {result.seconds:.1f} s",
        f"{totals.month}：结果含 {len(result.completed)} 个分区"
        f"（本次计算 {len(result.recomputed)} 个，其余未变），用时 {result.seconds:.1f} 秒",
    )
    console.table(
        [console.text("figure", "指标"), console.text("value", "数值")],
        [(console.text("service person-times", "服务人次"), national.get("person_times", 0)),
         (console.text("early warnings", "预警"), totals.warnings),
         (console.text("roles matched", "已匹配角色"), totals.assignments),
         (console.text("roles open", "未匹配角色"), totals.unmatched)],
    )  # fmt: skip
    console.say(
        f"each partition's facts (ids of warnings, assignments, open roles): {result.folder}",
        f"各分区明细（预警、匹配、未匹配的编号）：{result.folder}",
    )
    for f in result.failed:
        console.warn(
            f"partition {f.key} is not in the result ({f.kind}): {f.message}",
            f"分区 {f.key} 未计入结果（{f.kind}）：{f.message}",
        )
        for line in f.issues[:5]:
            console.warn(f"  {line}", f"  {line}")
    _check_partitions(args.store, result)
    return EXIT_OK


def _check_partitions(store: Path, result: Any) -> None:
    """Fail with one line when a partition is missing from a run's result."""
    if not result.ok:
        n = len(result.failed)
        raise CommandError(
            EXIT_INVALID_DATA,
            f"{store}: {n} partition(s) are not in the result; see the messages above",
            f"{store}：{n} 个分区未计入结果，见上方信息",
        )
