"""``wushe import``: ledgers and a base dataset into one dataset file (导入台账)."""

from __future__ import annotations

import argparse
from pathlib import Path

from wushe.cli._app import command
from wushe.cli._errors import EXIT_OK, _writing
from wushe.cli._load import _invalid, _print_report, _read_report
from wushe.cli._output import Console
from wushe.cli._paths import _check_format


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar="LEDGER",
        help="ledgers: CSV/XLSX files or folders of them",
    )
    parser.add_argument(
        "--base",
        type=Path,
        required=True,
        help="dataset file the ledger rows are merged into (communities, stations …)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="dataset file to write (JSON or YAML); it holds personal data in clear",
    )


@command(
    "import",
    help="read ledgers into a base dataset and write the dataset file",
    configure=_configure_import,
    inputs={"paths": "either", "base": "file"},
    outputs={"out": "file"},
)
def _import(args: argparse.Namespace, console: Console) -> int:
    from wushe.io import dump_dataset  # noqa: PLC0415 - load on use

    _check_format(args.out, writing=True)
    report = _read_report(args.paths, console, args.base)
    if report.dataset is None:
        _print_report(report, console)
        _invalid(report)
    _print_report(report, console)
    with _writing(args.out):
        args.out.parent.mkdir(parents=True, exist_ok=True)
        dump_dataset(report.dataset, args.out)
    console.say(
        f"dataset written to {args.out}; it holds personal data in clear",
        f"数据集已写入 {args.out}；其中个人信息未脱敏，请妥善保管",
    )
    return EXIT_OK
