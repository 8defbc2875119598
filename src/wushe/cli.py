"""The ``wushe`` command line (命令行工具).

Exit codes: 0 success, 1 invalid data, 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from wushe import models
from wushe.io import load_report

__all__ = ["EXIT_INVALID_DATA", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
"""Everything worked (成功)."""
EXIT_INVALID_DATA = 1
"""The data was invalid; the report says why (数据无效)."""
EXIT_USAGE = 2
"""The command was used wrongly (用法错误)."""

_EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "data" / "qixinggang.json"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wushe",
        description="五社联动 community social work: validate and explore data.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser(
        "validate", help="check a dataset file and list every problem"
    )
    validate.add_argument("path", type=Path)
    validate.add_argument("--json", action="store_true", help="machine-readable output")
    schema = sub.add_parser("schema", help="print the JSON Schema of a model")
    schema.add_argument("model", nargs="?", default="Dataset")
    demo = sub.add_parser("demo", help="load the example locality and summarise it")
    demo.add_argument("path", nargs="?", type=Path, default=_EXAMPLE)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the ``wushe`` command and return its exit code (命令行入口)."""
    out = out or sys.stdout
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    if args.command == "schema":
        model = getattr(models, args.model, None)
        if not (isinstance(model, type) and issubclass(model, models.WusheModel)):
            print(f"wushe: unknown model {args.model!r}", file=sys.stderr)
            return EXIT_USAGE
        print(
            json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2),
            file=out,
        )
        return EXIT_OK
    report = load_report(args.path)
    if args.command == "validate" and args.json:
        payload = {
            "file": report.file,
            "ok": report.ok,
            "loaded": report.loaded,
            "issues": [
                {
                    k: getattr(i, k)
                    for k in (
                        "file",
                        "collection",
                        "row",
                        "record_id",
                        "field",
                        "code",
                        "message",
                    )
                }
                for i in report.issues
            ],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2), file=out)
        return EXIT_OK if report.ok else EXIT_INVALID_DATA
    print(report.summary(), file=out)
    if report.dataset is None:
        return EXIT_INVALID_DATA
    if args.command == "demo":
        ds = report.dataset
        print(f"\n{ds.name} ({ds.division_code})", file=out)
        for collection, count in report.loaded.items():
            if count:
                print(f"  {collection:<14}{count:>6}", file=out)
    return EXIT_OK
