"""Loading a dataset for a command and printing its load report (加载与报告)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, NoReturn

import attrs

from wushe import models
from wushe.cli._errors import (
    EXIT_FILE,
    EXIT_INVALID_DATA,
    CommandError,
    _reading,
    _writing,
)
from wushe.cli._output import Console, progress_callback
from wushe.io import (
    LoadReport,
    ledger_report,
    load_report,
)

_DATASET_SUFFIXES = frozenset({".json", ".yaml", ".yml"})
_LEDGER_SUFFIXES = frozenset({".csv", ".txt", ".xlsx", ".xlsm"})


def _collection_label(collection: str, console: Console) -> str:
    if console.lang == "en":
        return collection
    doc = models.Dataset.model_fields[collection].description or ""
    return doc.rsplit("(", 1)[-1].rstrip(").") if "(" in doc else collection


_ISSUE_FIELDS = (
    "file",
    "collection",
    "row",
    "record_id",
    "field",
    "column",
    "code",
    "message",
)


def _report_payload(report: LoadReport) -> dict[str, Any]:
    return {
        "file": report.file,
        "ok": report.ok,
        "loaded": report.loaded,
        "notes": list(report.notes),
        "issues": [{k: getattr(i, k) for k in _ISSUE_FIELDS} for i in report.issues],
        "warnings": [
            {k: getattr(w, k) for k in _ISSUE_FIELDS} for w in report.warnings
        ],
    }


def _is_ledger(path: Path) -> bool:
    return path.is_dir() or path.suffix.lower() in _LEDGER_SUFFIXES


def _print_report(report: LoadReport, console: Console) -> None:
    if console.json:
        console.emit(_report_payload(report))
        return
    total = sum(report.loaded.values())
    if report.ok:
        console.say(
            f"{report.file}: {total} records loaded, no issues",
            f"{report.file}：已加载 {total} 条记录，未发现问题",
        )
    else:
        console.say(
            f"{report.file}: {len(report.issues)} issue(s); {total} records were valid",
            f"{report.file}：发现 {len(report.issues)} 个问题；{total} 条记录有效",
        )
    for note in report.notes:
        console.say(f"  note: {note}", f"  说明：{note}")
    for w in report.warnings:
        label = _collection_label(w.collection, console)
        console.say(
            f"  warning: {w.collection} row {w.row} [{w.record_id}]: {w.message} ({w.code})",
            f"  警告：{label} 第 {w.row} 行 [{w.record_id}]：{w.message}（{w.code}）",
        )
    counts = [
        (_collection_label(name, console), n) for name, n in report.loaded.items() if n
    ]
    if counts:
        console.say("", "")
        console.table(
            [console.text("collection", "数据集合"), console.text("records", "记录数")],
            counts,
        )
    if report.issues:
        console.say("", "")
        console.table(
            [
                console.text(h, zh)
                for h, zh in (
                    ("file", "文件"),
                    ("row", "行"),
                    ("record", "记录"),
                    ("field", "字段"),
                    ("column", "列"),
                    ("code", "原因代码"),
                    ("reason", "说明"),
                )
            ],
            [
                (
                    Path(i.file).name if i.file else "",
                    i.row,
                    i.record_id,
                    f"{i.collection}.{i.field}" if i.field else i.collection,
                    i.column,
                    i.code,
                    i.message,
                )
                for i in report.issues
            ],
        )


def _invalid(report: LoadReport) -> NoReturn:
    """Fail with one line after the report that lists the issues."""
    n = len(report.issues)
    files = sorted({i.file for i in report.issues if i.file} - {report.file})
    more = " …" if len(files) > 3 else ""
    where = f" (also in {', '.join(files[:3])}{more})" if files else ""
    where_zh = f"（另见 {'、'.join(files[:3])}{more}）" if files else ""
    raise CommandError(
        EXIT_INVALID_DATA,
        f"{report.file}: {n} issue(s) in the data{where}; the report above lists them",
        f"{report.file}：数据中有 {n} 个问题{where_zh}，见上方报告",
    )


def add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``PATH`` and ``--base`` arguments of a command that reads a dataset (数据来源参数).

    ``PATH`` is a dataset file, or ledgers: a CSV or XLSX file, or a folder of them;
    ``--base`` is the dataset file the ledger rows are merged into.
    """
    parser.add_argument(
        "path",
        type=Path,
        help="dataset file (JSON or YAML), or ledgers: a CSV/XLSX file or a folder",
    )
    parser.add_argument(
        "--base",
        type=Path,
        help="dataset file the ledger rows are merged into (communities, stations …)",
    )


def _read_report(
    paths: Path | list[Path], console: Console, base: Path | None = None
) -> LoadReport:
    """The load report of a dataset file, or of ledgers merged into ``base`` (读取报告).

    One path that is a JSON or YAML file, without ``base``, is a dataset; anything else
    (CSV or XLSX files, folders, or a ``base``) is read as ledgers, with messages in the
    console's language.
    """
    many = paths if isinstance(paths, list) else [paths]
    for path in many:
        if path.is_dir() and path.suffix.lower() in _DATASET_SUFFIXES:
            raise CommandError(
                EXIT_FILE,
                f"{path} is a folder; a dataset file is expected",
                f"{path} 是文件夹，应为数据集文件",
            )
    with _reading(many[0]):
        if len(many) == 1 and not _is_ledger(many[0]) and base is None:
            progress = progress_callback(console.err)
            return load_report(many[0], progress=progress, lang=console.lang)
        sources = many[0] if len(many) == 1 else many
        return ledger_report(sources, base=base, lang=console.lang)


def _load_or_report(
    path: Path, console: Console, base: Path | None = None
) -> models.Dataset:
    """Load a dataset or ledgers, or print the load report on standard error and fail.

    ``path`` is a dataset file, or ledgers (a CSV or XLSX file or a folder of them)
    merged into the dataset file ``base``.
    """
    report = _read_report(path, console, base)
    if report.dataset is None:
        # The report is a diagnosis, not the command's result: standard error.
        _print_report(report, attrs.evolve(console, out=console.err))
        _invalid(report)
    return report.dataset


def _write_text(path: Path, text: str) -> None:
    """Write a result file, creating its folder; a failure names the file."""
    with _writing(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
