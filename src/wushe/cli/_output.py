"""How commands write: tables, JSON, messages and progress lines (命令输出)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence, Sized
from typing import Any, TextIO, TypeVar

import attrs

from wushe._types import Progress
from wushe.vocab import Lang, in_lang

_MAX_DETAIL_LINES = 20
T = TypeVar("T")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


_NARROWEST = 4
_NUMBER = re.compile(r"^[-+]?[\d,]*\.?\d+%?$|^—$")
"""A cell that is a count, amount or rate: right-aligned."""


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


def _clip(line: str, limit: int = 500) -> str:
    """A message line cut to ``limit`` characters: a value in it may be huge."""
    return line if len(line) <= limit else f"{line[: limit - 1]}…"


def _short(text: object, limit: int = 80) -> str:
    """``repr`` of a value a user typed, cut to ``limit`` characters."""
    shown = repr(text)
    return shown if len(shown) <= limit else f"{shown[: limit - 1]}…"


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


def progress_callback(
    stream: TextIO | None = None, *, interval: float = 0.1
) -> Progress | None:
    """Return a :class:`~wushe.Progress` callback that draws on a terminal (进度显示回调).

    The callback redraws one line on ``stream`` (default: standard error) at most every
    ``interval`` seconds and erases it when a stage ends. When ``stream`` is not a TTY
    there is nothing to draw and the result is ``None``, so library calls skip progress
    entirely and pipes, files and ``--json`` output stay clean.

    Examples:
        >>> import io
        >>> progress_callback(io.StringIO()) is None  # not a terminal
        True
    """
    out = stream if stream is not None else sys.stderr
    if not out.isatty():
        return None
    last = -interval

    def draw(stage: str, done: int, total: int | None) -> None:
        nonlocal last
        now = time.monotonic()
        if total is not None and done >= total:
            out.write("\r" + " " * 60 + "\r")
            out.flush()
            last = -interval
            return
        if now - last < interval:
            return
        last = now
        if total:
            filled = min(20, done * 20 // total)
            out.write(f"\r{stage} {'█' * filled}{'·' * (20 - filled)} {done}/{total}")
        else:
            out.write(f"\r{stage} {done} …")
        out.flush()

    return draw


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
        return in_lang(self.lang, zh, en)

    def say(self, en: str, zh: str) -> None:
        """Print a line of human output; nothing under ``--json`` (输出一行)."""
        if not self.json:
            print(self.text(en, zh), file=self.out)

    def warn(self, en: str, zh: str) -> None:
        """Print a message on standard error, prefixed with ``wushe:`` (提示信息)."""
        print(f"wushe: {self.text(en, zh)}", file=self.err)

    def error(self, en: str, zh: str) -> None:
        """Print an error: one ``wushe: error:`` line, then indented details (错误信息).

        The first line of the message says what failed and names the file; any further
        lines (a dataset's issues, for example) follow indented, at most twenty. Lines
        are cut at 500 characters, since a message may quote a huge value.
        """
        first, *rest = self.text(en, zh).splitlines() or [""]
        prefix = self.text("wushe: error: ", "wushe: 错误：")
        lines = [prefix + _clip(first)]
        lines += [f"  {_clip(line)}" for line in rest[:_MAX_DETAIL_LINES]]
        if len(rest) > _MAX_DETAIL_LINES:
            lines.append(f"  … {len(rest) - _MAX_DETAIL_LINES} more")
        print("\n".join(lines), file=self.err)

    def emit(self, payload: Any) -> None:
        """Print a JSON document on standard output (输出 JSON)."""
        print(
            json.dumps(payload, ensure_ascii=False, indent=2, default=str),
            file=self.out,
        )

    def section(self, section: Any) -> None:
        """Print a report section: its title, lines and tables; nothing under ``--json`` (章节).

        The same :class:`wushe.io.Section` values the report files are written from, so a
        command and ``wushe demo`` never summarise a result two ways. Charts are left out.
        """
        if self.json:
            return
        print(section.title, file=self.out)
        for line in section.lines:
            print(line, file=self.out)
        for headers, rows in section.tables:
            print(file=self.out)
            self.table(headers, rows)

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
        """Print rows as an aligned table that fits the terminal (表格).

        Chinese characters count double width. When the table is wider than the terminal
        (``shutil.get_terminal_size()``, which honours ``COLUMNS``), the widest columns
        give way first and their cells wrap onto further lines; no column narrows below
        its header or four columns, and no text is cut.
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
            bool(cells) and all(_NUMBER.match(r[i]) for r in cells if r[i])
            for i in range(len(headers))
        ]
        lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True))]
        lines.append("  ".join("─" * w for w in widths))
        for row in cells:
            pieces = [_wrap(c, w) for c, w in zip(row, widths, strict=True)]
            for k in range(max((len(p) for p in pieces), default=1)):
                lines.append(
                    "  ".join(
                        _pad(p[k] if k < len(p) else "", w, right=n)
                        for p, w, n in zip(pieces, widths, numeric, strict=True)
                    ).rstrip()
                )
        print("\n".join(lines), file=self.out)
