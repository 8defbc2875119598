"""``wushe validate``, ``wushe schema`` and ``wushe export`` (数据检查与导出)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from wushe import models
from wushe.cli._app import _date, command
from wushe.cli._errors import EXIT_OK, EXIT_USAGE, CommandError, _writing
from wushe.cli._lang import LANGS
from wushe.cli._load import _invalid, _load_or_report, _print_report, _read_report
from wushe.cli._output import Console, _short
from wushe.cli._paths import _check_format
from wushe.exceptions import MissingDependencyError, WusheError
from wushe.io import (
    LedgerExport,
    export_hsds,
    export_ledgers,
)
from wushe.models import Dataset
from wushe.vocab import ConsentPurpose


def _configure_validate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="a dataset file (JSON/YAML), or ledgers: CSV/XLSX files or folders",
    )
    parser.add_argument(
        "--base",
        type=Path,
        help="dataset file the ledger rows are merged into (communities, stations …)",
    )


@command(
    "validate",
    help="check a dataset or ledgers and list every rejected record",
    configure=_configure_validate,
    inputs={"paths": "either", "base": "file"},
)
def _validate(args: argparse.Namespace, console: Console) -> int:
    report = _read_report(args.paths, console, args.base)
    _print_report(report, console)
    if not report.ok:
        _invalid(report)
    return EXIT_OK


def _configure_schema(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("model", nargs="?", default="Dataset", help="model name")
    parser.add_argument("--list", action="store_true", help="list the model names")


def _schema_models() -> dict[str, type[models.WusheModel]]:
    found = {
        name: obj
        for name in models.__all__
        if isinstance(obj := getattr(models, name), type)
        and issubclass(obj, models.WusheModel)
        and obj is not models.WusheModel
    }
    return dict(sorted(found.items()))


@command(
    "schema",
    help="print the JSON Schema of a model (default Dataset)",
    configure=_configure_schema,
)
def _schema(args: argparse.Namespace, console: Console) -> int:
    known = _schema_models()
    if args.list:
        if console.json:
            console.emit(list(known))
        else:
            console.table(
                [console.text("model", "模型"), console.text("description", "说明")],
                [(n, (m.__doc__ or "").splitlines()[0]) for n, m in known.items()],
            )
        return EXIT_OK
    by_lower = {name.lower(): model for name, model in known.items()}
    model = by_lower.get(args.model.lower())
    if model is None:
        raise CommandError(
            EXIT_USAGE,
            f"unknown model {_short(args.model)}; `wushe schema --list` shows them",
            f"没有模型 {_short(args.model)}；`wushe schema --list` 可列出全部模型",
        )
    console.emit(model.model_json_schema())
    return EXIT_OK


def _export_ledgers(args: argparse.Namespace, ds: Dataset) -> LedgerExport:
    purpose = SHARE_FOR[args.share_for] if args.share_for else None
    try:
        return export_ledgers(
            ds,
            args.out,
            kinds=args.kinds,
            purpose=purpose,
            as_of=args.as_of,
            reveal=args.reveal,
            reason="wushe export --reveal",
            lang=args.headers,
        )
    except MissingDependencyError:
        raise
    except (KeyError, ValueError, WusheError) as exc:
        text = f"{args.out}: {str(exc).strip(chr(39) + chr(34))}"
        raise CommandError(EXIT_USAGE, text, text) from exc


def _say_withheld(console: Console, result: LedgerExport) -> None:
    purpose, n = result.purpose, result.withheld
    if purpose is None or result.as_of is None:
        return
    day = result.as_of.isoformat()
    console.say(
        f"{n} recipient(s) left out: no lawful basis for {purpose.value} on {day}",
        f"{n} 名服务对象未导出：{day} 无“{purpose.zh}”的合法性基础",
    )


def _configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="dataset file (JSON/YAML)")
    parser.add_argument(
        "out",
        type=Path,
        help="a .xlsx workbook, a .csv file (one --kind) or a folder of CSV files",
    )
    parser.add_argument(
        "--kind",
        action="append",
        dest="kinds",
        help="ledger kind to export (repeatable), e.g. recipients, visits, activities",
    )
    parser.add_argument(
        "--headers",
        choices=LANGS,
        default="zh",
        help="header language of the ledgers (default zh: Chinese field terms)",
    )
    parser.add_argument(
        "--hsds",
        action="store_true",
        help="write the service directory as HSDS 3.0 JSON instead of ledgers",
    )
    parser.add_argument(
        "--for",
        dest="share_for",
        choices=list(SHARE_FOR),
        help="export only what one recipient of the data may have: the columns that "
        "purpose needs, the people with a lawful basis for it (e.g. volunteers)",
    )
    parser.add_argument(
        "--as-of",
        type=_date,
        help="with --for: the day each lawful basis must be in force (default: the "
        "dataset's date, else today)",
    )
    parser.add_argument(
        "--reveal",
        action="store_true",
        help="write names, ID numbers and phones in clear: the file becomes as "
        "sensitive as the ledger",
    )


SHARE_FOR = {
    "volunteers": ConsentPurpose.SHARE_WITH_VOLUNTEERS,
    "organizations": ConsentPurpose.SHARE_WITH_ORGANIZATIONS,
    "resource-providers": ConsentPurpose.SHARE_WITH_RESOURCE_PROVIDERS,
    "referral": ConsentPurpose.REFERRAL,
}
"""``wushe export --for`` choices and the consent purpose each names (导出对象)."""


@command(
    "export",
    help="write ledgers (CSV/XLSX, Chinese headers, masked) or an HSDS directory",
    configure=_configure_export,
    inputs={"path": "file"},
    outputs={"out": "auto"},
)
def _export(args: argparse.Namespace, console: Console) -> int:
    _check_export_usage(args)
    if not args.hsds:
        _check_format(args.out, writing=True)
    ds = _load_or_report(args.path, console)
    with _writing(args.out):
        if args.hsds:
            result = LedgerExport(paths=export_hsds(ds, args.out))
        else:
            result = _export_ledgers(args, ds)
    if console.json:
        payload: dict[str, Any] = {
            "written": [str(p) for p in result.paths],
            "revealed": args.reveal,
        }
        if args.share_for:
            payload |= {"for": args.share_for, "withheld": result.withheld}
        console.emit(payload)
        return EXIT_OK
    for path in result.paths:
        console.say(f"wrote {path}", f"已写出 {path}")
    _say_withheld(console, result)
    if args.reveal:
        console.warn(
            "the export holds personal data in clear; protect it like the ledger",
            "导出文件含明文个人信息，请按台账同等要求保管",
        )
    return EXIT_OK


def _check_export_usage(args: argparse.Namespace) -> None:
    if args.hsds and args.share_for:
        raise CommandError(
            EXIT_USAGE,
            "--for applies to ledgers; an HSDS directory holds no recipient's data",
            "--for 只用于台账导出；HSDS 服务目录不含服务对象信息",
        )
    if (
        args.out.suffix.lower() == ".csv"
        and not args.hsds
        and len(args.kinds or ()) != 1
    ):
        raise CommandError(
            EXIT_USAGE,
            f"{args.out}: a CSV file holds one ledger; choose it with one --kind "
            "(e.g. --kind recipients), or give a folder or an .xlsx file",
            f"{args.out}：一个 CSV 文件只能存放一种台账；请用一个 --kind 指定"
            "（例如 --kind recipients），或给出文件夹或 .xlsx 文件",
        )
