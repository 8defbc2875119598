"""The parser, the command registry and :func:`main` (命令行入口)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from importlib import metadata
from pathlib import Path
from typing import NoReturn, TextIO

import attrs

from wushe.cli._errors import (
    EXIT_BROKEN_PIPE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    _describe,
)
from wushe.cli._lang import LANGS, argv_lang, default_lang
from wushe.cli._output import Console, _short
from wushe.cli._paths import PathKind, _check_input, _check_output

Handler = Callable[[argparse.Namespace, Console], int]


Configure = Callable[[argparse.ArgumentParser], None]


@attrs.frozen
class _Command:
    name: str
    help: str
    configure: Configure
    run: Handler
    inputs: Mapping[str, PathKind]
    outputs: Mapping[str, PathKind]


_COMMANDS: dict[str, _Command] = {}


def command(
    name: str,
    *,
    help: str,
    configure: Configure | None = None,
    inputs: Mapping[str, PathKind] | None = None,
    outputs: Mapping[str, PathKind] | None = None,
) -> Callable[[Handler], Handler]:
    """Register a function as a ``wushe`` subcommand (注册子命令).

    The function takes the parsed arguments and a :class:`Console` and returns an exit
    code. ``configure`` adds the command's own arguments; ``--json``, ``--lang`` and
    ``--debug`` are added to every command.

    ``inputs`` and ``outputs`` name the arguments that hold paths, with what each must be
    (``"file"``, ``"folder"``, ``"either"``, or ``"auto"``: a file when the name has a
    suffix, else a folder). Before the command runs, every input must exist, be readable
    and not be empty, and every output must be creatable; otherwise the command does not
    run and exits with :data:`EXIT_FILE` (an empty input: :data:`EXIT_INVALID_DATA`).

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
        _COMMANDS[name] = _Command(
            name, help, configure or (lambda _: None), run, inputs or {}, outputs or {}
        )
        return run

    return register


class _UsageError(Exception):
    """Raised instead of argparse's own exit, so :func:`main` prints one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        text = message if len(message) <= 300 else f"{message[:299]}…"
        msg = f"{text} (see `{self.prog} --help`)"
        raise _UsageError(msg)


def _parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--json", action="store_true", help="machine-readable JSON output"
    )
    common.add_argument(
        "--lang",
        choices=LANGS,
        default=default_lang(),
        help="language of messages (default: from WUSHE_LANG or LANG)",
    )
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the traceback of an error (also WUSHE_DEBUG=1)",
    )
    parser = _Parser(
        prog="wushe",
        description="五社联动 community social work: validate, convert and explore data. "
        "Exit codes: 0 ok, 1 invalid data, 2 usage or missing extra, 3 a file cannot be "
        "read or written.",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an error"
    )
    parser.add_argument(
        "--version", action="version", version=f"wushe {metadata.version('wushe')}"
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

    Never raises and never prints a traceback (unless ``--debug`` or ``WUSHE_DEBUG=1``):
    every failure becomes one ``wushe: error:`` line on ``err`` and an exit code, see the
    module's table.

    Args:
        argv: Arguments without the program name; default ``sys.argv[1:]``.
        out: Where results go; default standard output.
        err: Where messages go; default standard error.
    """
    out = out if out is not None else sys.stdout
    err = err if err is not None else sys.stderr
    args = list(sys.argv[1:] if argv is None else argv)
    console = Console(out=out, err=err, lang=argv_lang(args))
    try:
        code = _dispatch(args, console)
        out.flush()
    except BrokenPipeError:
        _silence(out)
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        with contextlib.suppress(OSError):
            console.error("interrupted", "已中断")
        return EXIT_INTERRUPTED
    return code


def _dispatch(argv: list[str], console: Console) -> int:
    debug = os.environ.get("WUSHE_DEBUG", "").lower() in ("1", "true", "yes", "on")
    try:
        with contextlib.redirect_stdout(console.out):
            args = _parser().parse_args(argv)
    except _UsageError as exc:
        console.error(str(exc), str(exc))
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return EXIT_USAGE if exc.code else EXIT_OK
    console = attrs.evolve(console, lang=args.lang, json=args.json)
    cmd = _COMMANDS[args.command]
    try:
        _check_paths(cmd, args)
        return cmd.run(args, console)
    except BrokenPipeError:
        raise
    except Exception as exc:  # noqa: BLE001 - the one place every failure is reported
        if debug or getattr(args, "debug", False):
            traceback.print_exception(exc, file=console.err)
        code, en, zh = _describe(exc, _first_input(cmd, args))
        console.error(en, zh)
        return code


def _silence(out: TextIO) -> None:
    """Point a closed standard output at /dev/null so Python's exit flush stays quiet."""
    try:
        fd = out.fileno()
    except (OSError, ValueError):  # not a real file, e.g. io.StringIO
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


def _paths(args: argparse.Namespace, name: str) -> list[Path]:
    value = getattr(args, name, None)
    if value is None:
        return []
    return [Path(v) for v in value] if isinstance(value, list) else [Path(value)]


def _first_input(cmd: _Command, args: argparse.Namespace) -> Path | None:
    found = [p for name in cmd.inputs for p in _paths(args, name)]
    return found[0] if found else None


def _check_paths(cmd: _Command, args: argparse.Namespace) -> None:
    """Check every input and output path before a command starts its work."""
    for name, kind in cmd.inputs.items():
        for path in _paths(args, name):
            _check_input(path, kind)
    inputs = {p.resolve() for name in cmd.inputs for p in _paths(args, name)}
    for name, kind in cmd.outputs.items():
        for path in _paths(args, name):
            _check_output(path, kind)
            if path.resolve() in inputs:
                raise CommandError(
                    EXIT_USAGE,
                    f"{path} is also an input; writing it would destroy the input",
                    f"{path} 同时是输入文件，写出将覆盖输入",
                )


def _count(text: str) -> int:
    """An argument that counts something (0, 1, 2 and so on)."""
    return _at_least(text, 0)


def _positive(text: str) -> int:
    """An argument that must be at least one, such as a number of workers."""
    return _at_least(text, 1)


def _at_least(text: str, minimum: int) -> int:
    try:
        value = int(text)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        first = ", ".join(str(n) for n in range(minimum, minimum + 3))
        msg = f"not a whole number {first} …: {_short(text)}"
        raise argparse.ArgumentTypeError(msg)
    return value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        msg = f"not a date (YYYY-MM-DD): {_short(text)}"
        raise argparse.ArgumentTypeError(msg) from exc
