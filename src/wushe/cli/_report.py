"""``wushe report`` (辖区报告)."""

from __future__ import annotations

import argparse
from pathlib import Path

import attrs

from wushe.cli._app import command
from wushe.cli._errors import EXIT_OK
from wushe.cli._load import _load_or_report, _write_text, add_source_arguments
from wushe.cli._output import Console


def _configure_report(parser: argparse.ArgumentParser) -> None:
    add_source_arguments(parser)
    parser.add_argument(
        "--format",
        choices=("md", "html"),
        default="md",
        help="output format (default md)",
    )
    parser.add_argument("--out", type=Path, help="write the report to this file")


@command(
    "report",
    help="network coverage, build-standard compliance and ledger roll-up tables",
    configure=_configure_report,
    inputs={"path": "either", "base": "file"},
    outputs={"out": "file"},
)
def _report(args: argparse.Namespace, console: Console) -> int:
    from wushe.io import (  # noqa: PLC0415 - load the engine on use
        district_sections,
        sections_to_html,
        sections_to_markdown,
    )
    from wushe.network import StationNetwork  # noqa: PLC0415

    ds = _load_or_report(args.path, console, args.base)
    network = StationNetwork.from_dataset(ds)
    sections = district_sections(ds, network, lang=console.lang)
    title = console.text(
        f"{ds.name}: social-work system report", f"{ds.name}社会工作服务体系报告"
    )
    if console.json:
        console.emit([attrs.asdict(section) for section in sections])
        return EXIT_OK
    text = (
        sections_to_html(sections, title=title, lang=console.lang)
        if args.format == "html"
        else sections_to_markdown(sections, title=title)
    )
    if args.out is None:
        print(text, file=console.out)
    else:
        _write_text(args.out, text)
        console.say(f"report written to {args.out}", f"报告已写入 {args.out}")
    return EXIT_OK
