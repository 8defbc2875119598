"""Loading a dataset for a command and printing its load report (加载与报告)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

import attrs

from wushe import models
from wushe.cli._errors import EXIT_INVALID_DATA, CommandError, _reading, _writing
from wushe.cli._output import Console, progress_callback
from wushe.io import (
    LoadReport,
    load_report,
)

_LEDGER_SUFFIXES = frozenset({".csv", ".txt", ".xlsx", ".xlsm"})


def _collection_label(collection: str, console: Console) -> str:
    if console.lang == "en":
        return collection
    doc = models.Dataset.model_fields[collection].description or ""
    return doc.rsplit("(", 1)[-1].rstrip(").") if "(" in doc else collection


_ISSUE_FIELDS = ("file", "collection", "row", "record_id", "field", "code", "message")


def _report_payload(report: LoadReport) -> dict[str, Any]:
    return {
        "file": report.file,
        "ok": report.ok,
        "loaded": report.loaded,
        "notes": list(report.notes),
        "issues": [{k: getattr(i, k) for k in _ISSUE_FIELDS} for i in report.issues],
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
    where = f" (also in {', '.join(files[:3])}{' …' if len(files) > 3 else ''})"
    where = where if files else ""
    raise CommandError(
        EXIT_INVALID_DATA,
        f"{report.file}: {n} issue(s) in the data{where}; the report above lists them",
        f"{report.file}：数据中有 {n} 个问题{where}，见上方报告",
    )


def _load_or_report(path: Path, console: Console) -> models.Dataset:
    """Load a dataset, or print its load report on standard error and fail (exit 1)."""
    with _reading(path):
        report = load_report(path, progress=progress_callback(console.err))
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
