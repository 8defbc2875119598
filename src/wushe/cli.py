"""The ``wushe`` command line (命令行工具).

Every subcommand is one small function registered with :func:`command`; it receives the
parsed arguments and a :class:`Console` that prints tables for people, JSON for machines
(``--json``) and messages in Chinese or English (``--lang zh|en``). :func:`main` runs a
command and turns failures into exit codes:

=====  =====================================================================
code   meaning
=====  =====================================================================
0      success (:data:`EXIT_OK`)
1      the data is invalid; the report says why (:data:`EXIT_INVALID_DATA`)
2      usage error, or an optional extra is missing (:data:`EXIT_USAGE`)
=====  =====================================================================
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence, Sized
from datetime import date
from pathlib import Path
from typing import Any, Literal, TextIO, TypeVar

import attrs

from wushe import models
from wushe.exceptions import MissingDependencyError, WusheError
from wushe.io import (
    LoadReport,
    export_hsds,
    export_ledgers,
    ledger_report,
    load_dataset,
    load_report,
)

__all__ = [
    "EXIT_INVALID_DATA",
    "EXIT_OK",
    "EXIT_USAGE",
    "Console",
    "command",
    "main",
    "progress",
    "status",
]

EXIT_OK = 0
"""Everything worked (成功)."""
EXIT_INVALID_DATA = 1
"""The data was invalid; the report says why (数据无效)."""
EXIT_USAGE = 2
"""The command was used wrongly, or an optional extra is missing (用法错误)."""

_DATA = Path(__file__).resolve().parents[2] / "examples" / "data"
_LEDGER_SUFFIXES = frozenset({".csv", ".txt", ".xlsx", ".xlsm"})

Lang = Literal["zh", "en"]
T = TypeVar("T")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


_NARROWEST = 4


def _terminal_columns(out: TextIO) -> int | None:
    """The terminal's width when ``out`` is a terminal or ``COLUMNS`` is set; else None."""
    if "COLUMNS" in os.environ or (hasattr(out, "isatty") and out.isatty()):
        return shutil.get_terminal_size().columns
    return None


def _fit(natural: list[int], floor: list[int], room: int) -> list[int]:
    """Column widths within ``room``: the widest columns give way first, down to ``floor``."""
    widths = list(natural)
    excess = sum(widths) - room
    while excess > 0:
        slack = [w - f for w, f in zip(widths, floor, strict=True)]
        widest = max(range(len(widths)), key=lambda i: (slack[i], widths[i]))
        if slack[widest] <= 0:
            break  # every column is at its floor: the table is as narrow as it gets
        second = sorted(slack)[-2] if len(slack) > 1 else 0
        step = min(excess, slack[widest], max(1, slack[widest] - second))
        widths[widest] -= step
        excess -= step
    return widths


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` display columns, CJK counting two."""
    lines: list[str] = []
    line, used = "", 0
    for ch in text:
        size = _width(ch)
        if line and used + size > width:
            lines.append(line)
            line, used = "", 0
        line += ch
        used += size
    return [*lines, line]


def progress(
    items: Iterable[T],
    *,
    total: int | None = None,
    label: str = "",
    stream: TextIO | None = None,
    interval: float = 0.1,
) -> Iterator[T]:
    """Yield ``items`` while drawing a progress line on a terminal (进度提示).

    The line goes to ``stream`` (default: standard error) only when it is a TTY, so pipes,
    files and ``--json`` output stay clean; it is redrawn at most every ``interval``
    seconds and erased at the end. No dependency is needed.

    Examples:
        >>> list(progress(range(3), label="matching"))  # not a TTY: nothing is drawn
        [0, 1, 2]
    """
    stream = stream if stream is not None else sys.stderr
    if not stream.isatty():
        yield from items
        return
    if total is None and isinstance(items, Sized):
        total = len(items)
    last = 0.0
    done = 0
    for done, item in enumerate(items, start=1):
        now = time.monotonic()
        if now - last >= interval:
            last = now
            if total:
                filled = done * 20 // total
                bar = "█" * filled + "·" * (20 - filled)
                stream.write(f"\r{label} {bar} {done}/{total}")
            else:
                stream.write(f"\r{label} {done}")
            stream.flush()
        yield item
    stream.write("\r" + " " * (_width(label) + 50) + "\r")
    stream.flush()


@contextlib.contextmanager
def status(label: str, *, stream: TextIO | None = None) -> Iterator[None]:
    """Show ``label …`` while one long step runs, then how long it took (运行状态提示).

    Like :func:`progress`, it writes only when ``stream`` (default: standard error) is a
    terminal.
    """
    stream = stream if stream is not None else sys.stderr
    tty = stream.isatty()
    start = time.perf_counter()
    if tty:
        print(f"{label} …", end="", file=stream, flush=True)
    try:
        yield
    finally:
        if tty:
            print(f"\r{label} … {time.perf_counter() - start:.1f} s", file=stream)


@attrs.frozen(kw_only=True)
class Console:
    """Where a command writes: human tables or JSON, in Chinese or English (命令输出).

    Commands print through it rather than with ``print`` so that ``--json`` and ``--lang``
    work the same everywhere and tests can capture the output.
    """

    out: TextIO
    """Standard output: results (标准输出)."""
    err: TextIO
    """Standard error: messages and progress (错误输出)."""
    lang: Lang = "en"
    """Language of messages and labels (语言)."""
    json: bool = False
    """Whether results are printed as JSON for machines (机器可读输出)."""
    width: int | None = None
    """Columns a table may take; ``None``: the terminal's width (表格宽度)."""

    def text(self, en: str, zh: str) -> str:
        """Pick the message in the console's language (按语言选择文本)."""
        return zh if self.lang == "zh" else en

    def say(self, en: str, zh: str) -> None:
        """Print a line of human output; nothing under ``--json`` (输出一行)."""
        if not self.json:
            print(self.text(en, zh), file=self.out)

    def warn(self, en: str, zh: str) -> None:
        """Print a message on standard error, prefixed with ``wushe:`` (提示信息)."""
        print(f"wushe: {self.text(en, zh)}", file=self.err)

    def emit(self, payload: Any) -> None:
        """Print a JSON document on standard output (输出 JSON)."""
        print(
            json.dumps(payload, ensure_ascii=False, indent=2, default=str),
            file=self.out,
        )

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        """Print rows as an aligned table that fits the terminal (表格).

        Chinese characters count double width. When the table is wider than ``width``, or
        than the terminal (``shutil.get_terminal_size()``) when standard output is one
        or ``COLUMNS`` is set, the widest columns give way first and their cells wrap onto
        further lines; no column narrows below its header or four columns, and no text is
        cut. Output to a file or a pipe is not wrapped, so that it stays easy to search.
        """
        cells = [[("" if c is None else str(c)) for c in row] for row in rows]
        natural = [
            max([_width(h)] + [_width(r[i]) for r in cells])
            for i, h in enumerate(headers)
        ]
        floor = [
            min(n, max(_width(h), _NARROWEST))
            for n, h in zip(natural, headers, strict=True)
        ]
        room = self.width or _terminal_columns(self.out)
        widths = (
            _fit(natural, floor, room - 2 * (len(headers) - 1)) if room else natural
        )
        numeric = [
            bool(cells) and all(r[i].replace(".", "").isdigit() for r in cells if r[i])
            for i in range(len(headers))
        ]
        lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True))]
        lines.append("  ".join("─" * w for w in widths))
        for row in cells:
            pieces = [_wrap(c, w) for c, w in zip(row, widths, strict=True)]
            lines += [
                "  ".join(
                    _pad(p[k] if k < len(p) else "", w, right=n)
                    for p, w, n in zip(pieces, widths, numeric, strict=True)
                ).rstrip()
                for k in range(max(len(p) for p in pieces))
            ]
        print("\n".join(lines), file=self.out)


Handler = Callable[[argparse.Namespace, Console], int]
Configure = Callable[[argparse.ArgumentParser], None]


@attrs.frozen
class _Command:
    name: str
    help: str
    configure: Configure
    run: Handler


_COMMANDS: dict[str, _Command] = {}


def command(
    name: str, *, help: str, configure: Configure | None = None
) -> Callable[[Handler], Handler]:
    """Register a function as a ``wushe`` subcommand (注册子命令).

    The function takes the parsed arguments and a :class:`Console` and returns an exit
    code. ``configure`` adds the command's own arguments; ``--json`` and ``--lang`` are
    added to every command.

    Examples:
        >>> @command("hello", help="say hello")
        ... def _hello(args, console):
        ...     console.say("hello", "你好")
        ...     return EXIT_OK
        >>> main(["hello", "--lang", "zh"])
        你好
        0
        >>> _ = _COMMANDS.pop("hello")
    """

    def register(run: Handler) -> Handler:
        _COMMANDS[name] = _Command(name, help, configure or (lambda _: None), run)
        return run

    return register


def _collection_label(collection: str, console: Console) -> str:
    if console.lang == "en":
        return collection
    doc = models.Dataset.model_fields[collection].description or ""
    return doc.rsplit("(", 1)[-1].rstrip(").") if "(" in doc else collection


def _default_lang() -> Lang:
    for var in ("WUSHE_LANG", "LC_ALL", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--json", action="store_true", help="machine-readable JSON output"
    )
    common.add_argument(
        "--lang",
        choices=("zh", "en"),
        default=_default_lang(),
        help="language of messages (default: from WUSHE_LANG or LANG)",
    )
    parser = argparse.ArgumentParser(
        prog="wushe",
        description="五社联动 community social work: validate, convert and explore data. "
        "Exit codes: 0 ok, 1 invalid data, 2 usage or missing extra.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for cmd in _COMMANDS.values():
        cmd.configure(sub.add_parser(cmd.name, help=cmd.help, parents=[common]))
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Run the ``wushe`` command and return its exit code (命令行入口).

    Args:
        argv: Arguments without the program name; default ``sys.argv[1:]``.
        out: Where results go; default standard output.
        err: Where messages go; default standard error.
    """
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    console = Console(out=out, err=err, lang=args.lang, json=args.json)
    try:
        return _COMMANDS[args.command].run(args, console)
    except MissingDependencyError as exc:
        console.warn(
            str(exc),
            f"缺少可选依赖 {exc.package}：请运行  pip install 'wushe[{exc.extra}]'",
        )
        return EXIT_USAGE
    except WusheError as exc:
        console.warn(str(exc), f"数据无效：{exc}")
        return EXIT_INVALID_DATA


# --- commands ---------------------------------------------------------------------------

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
)
def _validate(args: argparse.Namespace, console: Console) -> int:
    report = _read_report(args.paths, console, args.base)
    _print_report(report, console)
    return EXIT_OK if report.ok else EXIT_INVALID_DATA


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
        console.warn(
            f"unknown model {args.model!r}; `wushe schema --list` shows them",
            f"没有模型 {args.model!r}；`wushe schema --list` 可列出全部模型",
        )
        return EXIT_USAGE
    console.emit(model.model_json_schema())
    return EXIT_OK


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
        choices=("zh", "en"),
        default="zh",
        help="header language of the ledgers (default zh: Chinese field terms)",
    )
    parser.add_argument(
        "--hsds",
        action="store_true",
        help="write the service directory as HSDS 3.0 JSON instead of ledgers",
    )
    parser.add_argument(
        "--reveal",
        action="store_true",
        help="write names, ID numbers and phones in clear: the file becomes as "
        "sensitive as the ledger",
    )


@command(
    "export",
    help="write ledgers (CSV/XLSX, Chinese headers, masked) or an HSDS directory",
    configure=_configure_export,
)
def _export(args: argparse.Namespace, console: Console) -> int:
    ds = load_dataset(args.path)
    if args.hsds:
        written = export_hsds(ds, args.out)
    else:
        try:
            written = export_ledgers(
                ds,
                args.out,
                kinds=args.kinds,
                reveal=args.reveal,
                purpose="wushe export --reveal",
                lang=args.headers,
            )
        except (KeyError, ValueError) as exc:
            console.warn(str(exc), str(exc))
            return EXIT_USAGE
    if console.json:
        console.emit({"written": [str(p) for p in written], "revealed": args.reveal})
        return EXIT_OK
    for path in written:
        console.say(f"wrote {path}", f"已写出 {path}")
    if args.reveal:
        console.warn(
            "the export holds personal data in clear; protect it like the ledger",
            "导出文件含明文个人信息，请按台账同等要求保管",
        )
    return EXIT_OK


def _load_or_report(
    path: Path, console: Console, base: Path | None = None
) -> models.Dataset | None:
    report = _read_report(path, console, base)
    if report.dataset is None:
        _print_report(report, console)
    return report.dataset


def _plan_counts(
    plan: Any, lang: Lang
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Assignments per role and open roles per reason code, as table rows."""
    by_role: dict[str, int] = {}
    for a in plan.assignments:
        label = a.role.zh if lang == "zh" else a.role.value
        by_role[label] = by_role.get(label, 0) + 1
    reasons: dict[str, int] = {}
    for u in plan.unmatched:
        for r in u.reasons:
            reasons[r.value] = reasons.get(r.value, 0) + 1
    ranked = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(k, str(v)) for k, v in sorted(by_role.items())], [
        (k, str(v)) for k, v in ranked
    ]


def _configure_match(parser: argparse.ArgumentParser) -> None:
    _add_source_arguments(parser)
    parser.add_argument(
        "--strategy",
        choices=("exact", "greedy", "stable"),
        default=None,
        help="matching strategy (default: the policy's, exact)",
    )
    parser.add_argument("--policy", type=Path, help="a MatchPolicy file (YAML or JSON)")
    parser.add_argument("--out", type=Path, help="write the plan as JSON to this file")
    parser.add_argument(
        "--explain", metavar="NEED_ID", action="append", default=[],
        help="print the explanation of one need (repeatable)",
    )  # fmt: skip
    parser.add_argument("--as-of", type=_date, help="date the rules are evaluated on")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        msg = f"not a date (YYYY-MM-DD): {text!r}"
        raise argparse.ArgumentTypeError(msg) from exc


@command(
    "match",
    help="pair needs with the actors who can meet them",
    configure=_configure_match,
)
def _match(args: argparse.Namespace, console: Console) -> int:
    from wushe.matching import MatchPolicy, match  # noqa: PLC0415 - heavy, load on use

    ds = _load_or_report(args.path, console, args.base)
    if ds is None:
        return EXIT_INVALID_DATA
    from wushe.io import load_policy  # noqa: PLC0415

    policy = load_policy(args.policy) if args.policy is not None else MatchPolicy()
    if args.strategy is not None:
        policy = MatchPolicy.model_validate(
            {**policy.model_dump(), "strategy": args.strategy}
        )
    with status(console.text("matching", "匹配中"), stream=console.err):
        plan = match(ds.needs, ds, policy=policy, as_of=args.as_of or ds.as_of)
    known = {n.need_id for n in ds.needs}
    for need_id in args.explain:
        if need_id not in known:
            console.warn(
                f"no need with id {need_id!r}", f"没有编号为 {need_id!r} 的需求"
            )
            return EXIT_USAGE
    if args.out is not None:
        args.out.write_text(
            json.dumps(plan.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
    if console.json:
        console.emit(
            plan.as_dict()
            if args.out is None
            else {"objective": plan.objective, "out": str(args.out)}
        )
        return EXIT_OK
    role_rows, reason_rows = _plan_counts(plan, console.lang)
    console.say(
        f"{ds.name}: {len(ds.needs)} needs, objective {plan.objective} ({plan.strategy})",
        f"{ds.name}：{len(ds.needs)} 项需求，目标值 {plan.objective}（{plan.strategy}）",
    )
    console.table(
        [console.text("role", "角色"), console.text("assignments", "匹配数")],
        role_rows,
    )
    console.say(
        f"\nopen roles: {len(plan.unmatched)}", f"\n未匹配角色：{len(plan.unmatched)}"
    )
    if reason_rows:
        console.table(
            [console.text("reason code", "原因代码"), console.text("roles", "角色数")],
            reason_rows,
        )
    for need_id in args.explain:
        console.say("", "")
        console.say(plan.explain(need_id, lang="en"), plan.explain(need_id, lang="zh"))
    if args.out is not None:
        console.say(f"\nplan written to {args.out}", f"\n方案已写入 {args.out}")
    return EXIT_OK


def _configure_evaluate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="dataset file (JSON or YAML)")
    parser.add_argument(
        "--project", required=True, help="id of the project to evaluate"
    )
    parser.add_argument(
        "--rubric",
        default="default_project",
        help="a built-in rubric name or a rubric file (default: default_project)",
    )
    parser.add_argument(
        "--scores", type=Path, help="evaluators' score sheets (JSON/YAML)"
    )
    parser.add_argument(
        "--phase",
        choices=("mid_term", "final", "spot_check", "annual"),
        default="final",
    )
    parser.add_argument(
        "--out", type=Path, help="write Markdown, HTML, JSON and chart here"
    )


@command(
    "evaluate",
    help="score a service project against a rubric from its ledger and score sheets",
    configure=_configure_evaluate,
)
def _evaluate(args: argparse.Namespace, console: Console) -> int:
    from wushe.evaluation import (  # noqa: PLC0415 - load the engine on use
        Evidence,
        builtin_rubric,
        builtin_rubric_names,
        evaluate,
        indicator_actuals,
    )
    from wushe.io import (  # noqa: PLC0415
        evaluation_to_dict,
        load_rubric,
        load_score_sheets,
        write_report,
    )
    from wushe.vocab import EvaluationPhase  # noqa: PLC0415

    ds = _load_or_report(args.path, console)
    if ds is None:
        return EXIT_INVALID_DATA
    project = next((p for p in ds.projects if p.project_id == args.project), None)
    if project is None:
        known = ", ".join(p.project_id for p in ds.projects) or "none"
        console.warn(
            f"no project {args.project!r}; the dataset has: {known}",
            f"没有编号为 {args.project!r} 的项目；数据集中有：{known}",
        )
        return EXIT_USAGE
    if args.rubric in builtin_rubric_names():
        rubric = builtin_rubric(args.rubric)
    elif Path(args.rubric).exists():
        rubric = load_rubric(args.rubric)
    else:
        console.warn(
            f"{args.rubric!r} is neither a built-in rubric ({', '.join(builtin_rubric_names())}) nor a file",
            f"{args.rubric!r} 既不是内置评估细则（{'、'.join(builtin_rubric_names())}）也不是文件",
        )
        return EXIT_USAGE
    sheets = load_score_sheets(args.scores) if args.scores else ()
    phase = EvaluationPhase(args.phase)
    evidence = Evidence(
        actuals=indicator_actuals(project, ds.activities),
        sheets=sheets,
        period=project.period,
    )
    report = evaluate(project, rubric, evidence, phase=phase)
    written: tuple[Path, ...] = ()
    if args.out is not None:
        try:
            written = write_report(report, args.out, chart=True, lang=console.lang)
        except MissingDependencyError as exc:
            console.warn(f"{exc}; writing the report without the chart",
                         f"缺少可选依赖 {exc.package}，报告不含雷达图")  # fmt: skip
            written = write_report(report, args.out, chart=False, lang=console.lang)
    if console.json:
        console.emit(evaluation_to_dict(report))
        return EXIT_OK
    console.say(f"{report.subject_name} — {phase.en} ({report.rubric_name})",
                f"{report.subject_name}——{phase.zh}（{report.rubric_name}）")  # fmt: skip
    console.table(
        [console.text("dimension", "维度"), console.text("score", "得分"), console.text("weight", "权重")],
        [(d.name, f"{d.score:.2f}", f"{d.weight:g}") for d in report.dimensions],
    )  # fmt: skip
    if report.grade is None:
        console.say(
            f"\ntotal {report.total:.2f} / {report.max_total:g}; no grade: evidence is missing for",
            f"\n总分 {report.total:.2f} / {report.max_total:g}；证据不全，不定级：",
        )
        for missing in report.missing:
            console.say(
                f"  - {missing.item_id}: {missing.message}",
                f"  - {missing.item_id}：{missing.message}",
            )
    else:
        console.say(
            f"\ntotal {report.total:.2f} / {report.max_total:g}, grade {report.grade.en}",
            f"\n总分 {report.total:.2f} / {report.max_total:g}，等级 {report.grade.zh}",
        )
    for item in report.rectifications:
        console.say(
            f"rectify: {item.name} — {item.reason}", f"整改：{item.name}——{item.reason}"
        )
    if written:
        console.say(
            f"\nwritten: {', '.join(map(str, written))}",
            f"\n已写出：{'、'.join(map(str, written))}",
        )
    return EXIT_OK


def _configure_report(parser: argparse.ArgumentParser) -> None:
    _add_source_arguments(parser)
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
)
def _report(args: argparse.Namespace, console: Console) -> int:
    from wushe.io import (  # noqa: PLC0415 - load the engine on use
        district_sections,
        sections_to_html,
        sections_to_markdown,
    )
    from wushe.network import StationNetwork  # noqa: PLC0415

    ds = _load_or_report(args.path, console, args.base)
    if ds is None:
        return EXIT_INVALID_DATA
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
        args.out.write_text(text, encoding="utf-8")
        console.say(f"report written to {args.out}", f"报告已写入 {args.out}")
    return EXIT_OK


@attrs.frozen(kw_only=True)
class _CareFacts:
    policy: Any
    late: tuple[Any, ...]
    warnings: tuple[Any, ...]
    rates: tuple[Any, ...]

    def warning_rows(self, lang: Lang) -> list[tuple[str, str]]:
        counts: dict[str, int] = {}
        for w in self.warnings:
            label = w.code.zh if lang == "zh" else w.code.value
            counts[label] = counts.get(label, 0) + 1
        return [(k, str(v)) for k, v in sorted(counts.items())]


def _care_facts(
    ds: models.Dataset,
    network: Any,
    visits: Any,
    incidents: Any,
    as_of: date,
    periods: Any,
) -> _CareFacts:
    """Overdue visits, warnings and visit rates under the default (local example) policy."""
    from wushe.care import VisitPolicy, overdue, visit_rates, warnings  # noqa: PLC0415

    policy = VisitPolicy()
    common = {"as_of": as_of, "incidents": incidents, "station_of": network}
    return _CareFacts(
        policy=policy,
        late=overdue(ds.recipients, visits, policy, **common),
        warnings=warnings(ds.recipients, visits, policy, **common),
        rates=visit_rates(ds.recipients, visits, policy, periods=periods, stations=network,
                          activities=ds.activities),
    )  # fmt: skip


def _configure_care(parser: argparse.ArgumentParser) -> None:
    _add_source_arguments(parser)
    parser.add_argument(
        "--as-of", type=_date, required=True, help="the day to check (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--visits", type=Path,
        help="visit log {visits, incidents} (default: <dataset>_visits.json beside the dataset)",
    )  # fmt: skip
    parser.add_argument(
        "--top", type=int, default=10, help="how many overdue recipients to list"
    )


@command(
    "care",
    help="overdue care visits, early warnings and this month's visit rates",
    configure=_configure_care,
)
def _care(args: argparse.Namespace, console: Console) -> int:
    from wushe.care import monthly_periods  # noqa: PLC0415 - load the engine on use
    from wushe.io import load_visit_log  # noqa: PLC0415
    from wushe.network import StationNetwork  # noqa: PLC0415

    ds = _load_or_report(args.path, console, args.base)
    if ds is None:
        return EXIT_INVALID_DATA
    log = args.visits or args.path.with_name(f"{args.path.stem}_visits.json")
    visits, incidents = load_visit_log(log) if log.exists() else ((), ())
    if not log.exists():
        console.warn(
            f"no visit log at {log}; everyone is due",
            f"未找到巡访记录 {log}，所有对象均视为待访",
        )
    network = StationNetwork.from_dataset(ds)
    as_of: date = args.as_of
    month = monthly_periods(as_of.replace(day=1), as_of)
    facts = _care_facts(ds, network, visits, incidents, as_of, month)
    streets = {s.station_id for s in network.stations if s.level.rank <= 1}
    shown = [r for r in facts.rates if r.station_id in streets]
    late, policy = facts.late, facts.policy
    if console.json:
        console.emit({
            "as_of": as_of.isoformat(),
            "policy": policy.name,
            "overdue": [attrs.asdict(d) for d in late],
            "warnings": [{"recipient_id": w.recipient_id, "code": w.code.value, "station_id": w.station_id,
                          "since": w.since, "message": w.message(console.lang)} for w in facts.warnings],
            "rates": [attrs.asdict(r) | {"rate": r.rate} for r in shown],
        })  # fmt: skip
        return EXIT_OK
    console.say(f"{ds.name}, {as_of}: policy {policy.name} ({policy.source})",
                f"{ds.name}，{as_of}：巡访政策 {policy.name}（{policy.source}）")  # fmt: skip
    console.say(f"\n{len(late)} recipient(s) overdue; the {min(args.top, len(late))} most overdue:",
                f"\n逾期未访 {len(late)} 人；逾期最久的 {min(args.top, len(late))} 人：")  # fmt: skip
    console.table(
        [console.text(h, z) for h, z in (("recipient", "服务对象"), ("tier", "等级"), ("due", "应访日期"),
                                         ("days late", "逾期天数"), ("station", "责任站点"))],
        [(d.recipient_id, d.tier, d.due_on, d.overdue_days, d.station_id or "—") for d in late[: args.top]],
    )  # fmt: skip
    console.say("\nearly warnings:", "\n预警：")
    console.table(
        [console.text("warning", "预警类型"), console.text("recipients", "人数")],
        facts.warning_rows(console.lang),
    )
    console.say(
        f"\nvisit rate, {month[0].start} – {month[0].end}:",
        f"\n{month[0].start} 至 {month[0].end} 巡访率：",
    )
    console.table(
        [console.text(h, z) for h, z in (("station", "站点"), ("due", "应访"), ("visited", "已访"),
                                         ("rate", "巡访率"), ("person-times", "人次"))],
        [(network.station(r.station_id).name if r.station_id else "—", r.due, r.visited,
          "—" if r.rate is None else f"{r.rate:.0%}", r.person_times) for r in shown],
    )  # fmt: skip
    return EXIT_OK


def _default_demo() -> Path:
    jinniu = _DATA / "jinniu.json"
    return jinniu if jinniu.exists() else _DATA / "qixinggang.json"


def _configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=None,
        help="dataset (default: the 金牛区 example)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("wushe-demo-report"),
        help="folder for the report (default: ./wushe-demo-report)",
    )  # fmt: skip


def _care_section(
    ds: models.Dataset, network: Any, visit_log: Path, as_of: date, console: Console
) -> Any:
    from wushe.care import monthly_periods  # noqa: PLC0415 - load the engine on use
    from wushe.io import Section, load_visit_log  # noqa: PLC0415

    visits, incidents = load_visit_log(visit_log)
    year = monthly_periods(as_of.replace(month=1, day=1), as_of)
    facts = _care_facts(ds, network, visits, incidents, as_of, year)
    roots = set(network.roots)
    person_times = sum(r.person_times for r in facts.rates if r.station_id in roots)
    streets = {s.station_id for s in network.stations if s.level.rank <= 1}
    last = year[-1]
    return Section(
        title=console.text("Care visits and early warning", "关爱巡访与预警"),
        lines=(
            console.text(
                f"{person_times:,} visit person-times recorded in {as_of.year}; "
                f"{len(facts.late):,} recipients overdue on {as_of} ({facts.policy.name}).",
                f"{as_of.year} 年巡访 {person_times:,} 人次；截至 {as_of} 逾期未访 {len(facts.late):,} 人（{facts.policy.name}）。",
            ),
        ),
        tables=(
            ((console.text("warning", "预警类型"), console.text("recipients", "人数")),
             tuple(facts.warning_rows(console.lang))),
            ((console.text("station", "站点"), console.text("due", "应访"), console.text("visited", "已访"),
              console.text(f"rate {last.start:%Y-%m}", f"{last.start:%Y-%m} 巡访率")),
             tuple((network.station(r.station_id).name, str(r.due), str(r.visited),
                    "—" if r.rate is None else f"{r.rate:.0%}")
                   for r in facts.rates if r.station_id in streets and r.start == last.start)),
        ),
    )  # fmt: skip


@command(
    "demo",
    help="run the district scenario end to end and write a report folder",
    configure=_configure_demo,
)
def _demo(args: argparse.Namespace, console: Console) -> int:
    from wushe.evaluation import (  # noqa: PLC0415 - engines load on use
        Evidence,
        builtin_rubric,
        evaluate,
        indicator_actuals,
    )
    from wushe.io import (  # noqa: PLC0415
        Section,
        district_sections,
        load_score_sheets,
        sections_to_html,
        sections_to_markdown,
        write_report,
    )
    from wushe.matching import match  # noqa: PLC0415
    from wushe.network import StationNetwork, draw_station_tree  # noqa: PLC0415

    path: Path = args.path or _default_demo()
    if not path.exists():
        console.warn(
            f"{path} not found: the example data ships with the source repository "
            "(examples/data/); pass a dataset file, e.g. wushe demo my-district.json",
            f"未找到 {path}：示例数据随源代码仓库提供（examples/data/）；"
            "请指定数据集文件，例如 wushe demo my-district.json",
        )
        return EXIT_USAGE
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    lang = console.lang
    started = time.perf_counter()
    ds = _load_or_report(path, console)
    if ds is None:
        return EXIT_INVALID_DATA
    written: list[Path] = []
    with status(
        console.text("1/4 station network", "1/4 社工站网络"), stream=console.err
    ):
        network = StationNetwork.from_dataset(ds)
        sections = list(district_sections(ds, network, lang=lang))
        try:
            written.append(draw_station_tree(network, out / "station-tree.png"))
        except MissingDependencyError as exc:
            console.warn(
                f"{exc}; no station tree picture", f"缺少 {exc.package}，未绘制站点树"
            )
    with status(console.text("2/4 matching", "2/4 需求匹配"), stream=console.err):
        plan = match(ds.needs, ds, network=network, as_of=ds.as_of)
        plan_file = out / "match-plan.json"
        plan_file.write_text(
            json.dumps(plan.as_dict(), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        written.append(plan_file)
        role_rows, reason_rows = _plan_counts(plan, lang)
        complete = sum(1 for n in ds.needs if not plan.for_need(n.need_id)[1])
        example = next(
            (n.need_id for n in ds.needs if plan.for_need(n.need_id)[1]), None
        )
        sections.append(
            Section(
                title=console.text("Matching needs with the five actors", "需求匹配（五社联动）"),
                lines=(
                    console.text(
                        f"{len(ds.needs)} needs; {complete} fully met; objective {plan.objective} ({plan.strategy}).",
                        f"共 {len(ds.needs)} 项需求，{complete} 项全部角色已匹配；目标值 {plan.objective}（{plan.strategy}）。",
                    ),
                    *(plan.explain(example, lang=lang).splitlines() if example else ()),
                ),
                tables=(
                    ((console.text("role", "角色"), console.text("assignments", "匹配数")),
                     tuple(role_rows)),
                    ((console.text("reason code", "原因代码"), console.text("open roles", "未匹配角色数")),
                     tuple(reason_rows)),
                ),
            )
        )  # fmt: skip
    project = next((p for p in ds.projects if p.targets), None)
    if project is not None:
        with status(console.text("3/4 evaluation", "3/4 项目评估"), stream=console.err):
            scores = path.with_name(f"{path.stem}_scores.json")
            sheets = load_score_sheets(scores) if scores.exists() else ()
            evidence = Evidence(
                actuals=indicator_actuals(project, ds.activities),
                sheets=sheets,
                period=project.period,
            )
            report = evaluate(project, builtin_rubric("default_project"), evidence)
            try:
                written += write_report(
                    report, out, stem="evaluation", chart=True, lang=lang
                )
            except MissingDependencyError:
                written += write_report(
                    report, out, stem="evaluation", chart=False, lang=lang
                )
            grade = (
                (report.grade.zh if lang == "zh" else report.grade.en)
                if report.grade
                else "—"
            )
            sections.append(
                Section(
                    title=console.text(f"Evaluation: {project.name}", f"项目评估：{project.name}"),
                    lines=(
                        console.text(
                            f"Total {report.total:.2f} / {report.max_total:g}, grade {grade}.",
                            f"总分 {report.total:.2f} / {report.max_total:g}，等级 {grade}。",
                        ),
                        *(f"- {item.name}: {item.reason}" for item in report.rectifications),
                    ),
                    tables=(
                        ((console.text("dimension", "维度"), console.text("score", "得分"), console.text("weight", "权重")),
                         tuple((d.name, f"{d.score:.2f}", f"{d.weight:g}") for d in report.dimensions)),
                    ),
                )
            )  # fmt: skip
    visit_log = path.with_name(f"{path.stem}_visits.json")
    if visit_log.exists() and ds.as_of is not None:
        with status(
            console.text("4/4 care visits", "4/4 关爱巡访"), stream=console.err
        ):
            sections.append(_care_section(ds, network, visit_log, ds.as_of, console))
    title = console.text(
        f"{ds.name}: five-society linkage report", f"{ds.name}五社联动工作报告"
    )
    markdown, page = out / "report.md", out / "report.html"
    markdown.write_text(sections_to_markdown(sections, title=title), encoding="utf-8")
    page.write_text(
        sections_to_html(sections, title=title, lang=lang), encoding="utf-8"
    )
    written = [markdown, page, *written]
    seconds = time.perf_counter() - started
    if console.json:
        console.emit({"dataset": ds.name, "out": str(out), "files": [str(p) for p in written],
                      "objective": plan.objective, "seconds": round(seconds, 2)})  # fmt: skip
        return EXIT_OK
    console.say(f"{ds.name} ({ds.division_code}) — {sum(len(ds.records(c)) for c in models.COLLECTIONS)} records",
                f"{ds.name}（{ds.division_code}）——共 {sum(len(ds.records(c)) for c in models.COLLECTIONS)} 条记录")  # fmt: skip
    for section in sections[1:]:
        console.say(f"  · {section.title}", f"  · {section.title}")
    console.say(
        f"\nreport written to {out}/ in {seconds:.1f} s:",
        f"\n报告已写入 {out}/，用时 {seconds:.1f} 秒：",
    )
    for file in written:
        console.say(f"  {file}", f"  {file}")
    console.say(
        f"open {page} in a browser to read it.", f"用浏览器打开 {page} 阅读报告。"
    )
    return EXIT_OK


# --- many counties: the partitioned store and the monthly run (#16) --------------------


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
)
def _store(args: argparse.Namespace, console: Console) -> int:
    from wushe.io import load_visit_log, write_store  # noqa: PLC0415

    ds = _load_or_report(args.path, console)
    if ds is None:
        return EXIT_INVALID_DATA
    visits, incidents = load_visit_log(args.visits) if args.visits else ((), ())
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
        "--workers", type=int, default=2, help="local cluster worker processes"
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


@command(
    "run",
    help="the monthly run over every partition of a store, on Dask",
    configure=_configure_run,
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
        workers=args.workers, reuse=not args.no_reuse, progress=report,
    )  # fmt: skip
    if console.err.isatty():
        console.err.write("\n")
    if console.json:
        console.emit({"completed": result.completed, "recomputed": result.recomputed,
                      "failed": [attrs.asdict(f) for f in result.failed],
                      "seconds": round(result.seconds, 2), "facts": result.facts.as_dict()})  # fmt: skip
        return EXIT_OK if result.ok else EXIT_INVALID_DATA
    facts = result.facts
    national = facts.divisions.get("national", {})
    console.say(
        f"{facts.month}: {len(result.completed)} partition(s) in the result "
        f"({len(result.recomputed)} computed, the rest unchanged), {result.seconds:.1f} s",
        f"{facts.month}：结果含 {len(result.completed)} 个分区"
        f"（本次计算 {len(result.recomputed)} 个，其余未变），用时 {result.seconds:.1f} 秒",
    )
    console.table(
        [console.text("figure", "指标"), console.text("value", "数值")],
        [(console.text("service person-times", "服务人次"), national.get("person_times", 0)),
         (console.text("early warnings", "预警"), len(facts.warnings)),
         (console.text("roles matched", "已匹配角色"), len(facts.assignments)),
         (console.text("roles open", "未匹配角色"), len(facts.unmatched))],
    )  # fmt: skip
    for f in result.failed:
        console.warn(
            f"partition {f.key} is not in the result ({f.kind}): {f.message}",
            f"分区 {f.key} 未计入结果（{f.kind}）：{f.message}",
        )
        for line in f.issues[:5]:
            console.warn(f"  {line}", f"  {line}")
    return EXIT_OK if result.ok else EXIT_INVALID_DATA


# ---------------------------------------------------------------------------------------
# wushe simulate (容量推演, #15): one self-contained block, to move with the cli re-cut.


def _configure_simulate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="dataset file (JSON or YAML)")
    parser.add_argument(
        "--scenario", type=Path, required=True,
        help="scenario file: a list of scenarios, or {'scenarios': [...]} (JSON or YAML)",
    )  # fmt: skip
    parser.add_argument("--policy", type=Path, help="a MatchPolicy file (YAML or JSON)")
    parser.add_argument("--as-of", type=_date, help="date the rules are evaluated on")


def _load_scenarios(path: Path) -> list[Any]:
    """Scenarios from a JSON or YAML file; a bad field is a LoadError naming it."""
    from pydantic import TypeAdapter, ValidationError  # noqa: PLC0415

    from wushe.exceptions import LoadError  # noqa: PLC0415
    from wushe.io import LoadIssue  # noqa: PLC0415
    from wushe.io._json import _YAML_SUFFIXES, _yaml  # noqa: PLC0415
    from wushe.matching import Scenario  # noqa: PLC0415

    name = str(path)

    def fail(code: str, message: str, field: str = "") -> LoadError:
        issue = LoadIssue(file=name, collection="scenarios", row=None, record_id="",
                          field=field, code=code, message=message)  # fmt: skip
        return LoadError(LoadReport(file=name, issues=(issue,)))

    try:
        text = path.read_text(encoding="utf-8")
        raw = (
            _yaml().safe_load(text)
            if path.suffix.lower() in _YAML_SUFFIXES
            else json.loads(text)
        )
    except (OSError, UnicodeDecodeError) as exc:
        code, why = "unreadable", f"cannot read: {exc.__class__.__name__}"
        raise fail(code, why) from exc
    except ValueError as exc:
        code, why = "invalid_syntax", f"not valid JSON/YAML: {exc}"
        raise fail(code, why) from exc
    if isinstance(raw, dict) and set(raw) == {"scenarios"}:
        raw = raw["scenarios"]
    try:
        return TypeAdapter(list[Scenario]).validate_python(raw)
    except ValidationError as exc:
        error = exc.errors(include_input=False)[0]
        field = ".".join(str(p) for p in error["loc"])
        raise fail(error["type"], error["msg"], field) from None


@command(
    "simulate",
    help="what-if: how many more needs are met under each scenario (容量推演)",
    configure=_configure_simulate,
)
def _simulate(args: argparse.Namespace, console: Console) -> int:
    from wushe.matching import MatchPolicy, simulate  # noqa: PLC0415 - heavy

    ds = _load_or_report(args.path, console)
    if ds is None:
        return EXIT_INVALID_DATA
    from wushe.io import load_policy  # noqa: PLC0415

    scenarios = _load_scenarios(args.scenario)
    policy = load_policy(args.policy) if args.policy is not None else MatchPolicy()
    with status(console.text("simulating", "推演中"), stream=console.err):
        sim = simulate(ds.needs, ds, scenarios, policy=policy, as_of=args.as_of)
    rows = [
        {"scenario": o.name, "needs_met": o.needs_met, "roles_filled": o.roles_filled,
         "objective": o.objective, "newly_met": list(o.newly_met),
         "newly_unmet": list(o.newly_unmet), "rebuilt": o.rebuilt,
         "per_community": dict(o.per_community), "per_station": dict(o.per_station)}
        for o in sim.outcomes
    ]  # fmt: skip
    if console.json:
        console.emit({"baseline_objective": sim.baseline.objective, "scenarios": rows})
        return EXIT_OK
    console.table(
        [console.text("scenario", "情景"), console.text("needs met", "满足需求"),
         console.text("roles filled", "落实角色"), console.text("objective", "目标值"),
         console.text("newly met", "新满足")],
        [(o.name, f"{o.needs_met:+d}", f"{o.roles_filled:+d}", f"{o.objective:+d}",
          " ".join(o.newly_met) or "-") for o in sim.outcomes],
    )  # fmt: skip
    return EXIT_OK


# --- ledgers as sources (#14) ------------------------------------------------------------


def _add_source_arguments(parser: argparse.ArgumentParser) -> None:
    """``PATH`` (a dataset file, or ledgers) and ``--base`` of a command reading data."""
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
    """The load report of a dataset file, or of ledgers merged into ``base``.

    One path that is a JSON or YAML file, without ``base``, is a dataset; anything else
    (CSV or XLSX files, folders, or a ``base``) is read as ledgers, with messages in the
    console's language.
    """
    many = paths if isinstance(paths, list) else [paths]
    if len(many) == 1 and not _is_ledger(many[0]) and base is None:
        return load_report(many[0])
    return ledger_report(
        many[0] if len(many) == 1 else many, base=base, lang=console.lang
    )


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
)
def _import(args: argparse.Namespace, console: Console) -> int:
    from wushe.io import dump_dataset  # noqa: PLC0415 - load on use

    report = _read_report(args.paths, console, args.base)
    _print_report(report, console)
    if report.dataset is None:
        return EXIT_INVALID_DATA
    args.out.parent.mkdir(parents=True, exist_ok=True)
    dump_dataset(report.dataset, args.out)
    console.say(
        f"dataset written to {args.out}; it holds personal data in clear",
        f"数据集已写入 {args.out}；其中个人信息未脱敏，请妥善保管",
    )
    return EXIT_OK
