"""Exit codes, and every failure turned into one message (退出码与错误信息)."""

from __future__ import annotations

import contextlib
import csv
import json
import traceback
import zipfile
from collections.abc import Iterator
from pathlib import Path

from wushe.exceptions import LoadError, MissingDependencyError, WusheError

EXIT_OK = 0
"""Everything worked (成功)."""
EXIT_INVALID_DATA = 1
"""The data was invalid; the report says why (数据无效)."""
EXIT_USAGE = 2
"""The command was used wrongly, or an optional extra is missing (用法错误)."""
EXIT_FILE = 3
"""A file or folder could not be read or written: missing, a folder where a file is
expected, no permission (文件无法读写)."""
EXIT_INTERNAL = 70
"""wushe itself failed: a bug to report, not a problem with the data (内部错误)."""
EXIT_INTERRUPTED = 130
"""The command was interrupted with Ctrl-C (已中断)."""
EXIT_BROKEN_PIPE = 141
"""Standard output was closed early, e.g. by ``| head`` (输出管道已关闭)."""

_BUG_REPORTS = (
    "https://wushe.readthedocs.io/en/latest/reference/cli.html#reporting-a-bug"
)


class CommandError(Exception):
    r"""A command cannot go on; :func:`main` prints the message and exits (命令错误).

    Raise it from a command with the exit code and the message in both languages; the
    message's first line names the file or argument at fault.

    Examples:
        >>> from wushe.cli import command, main
        >>> from wushe.cli._app import _COMMANDS
        >>> @command("fail", help="always fails")
        ... def _fail(args, console):
        ...     raise CommandError(EXIT_USAGE, "no such thing", "没有这个东西")
        >>> import io
        >>> err = io.StringIO()
        >>> main(["fail"], err=err)
        2
        >>> err.getvalue()
        'wushe: error: no such thing\n'
        >>> _ = _COMMANDS.pop("fail")
    """

    def __init__(self, code: int, en: str, zh: str | None = None) -> None:
        super().__init__(en)
        self.code = code
        """The exit code (退出码)."""
        self.en = en
        """The message in English (英文信息)."""
        self.zh = zh if zh is not None else en
        """The message in Chinese (中文信息)."""


Description = tuple[int, str, str]


def _describe(exc: Exception, path: Path | None) -> Description:
    """The exit code and the message, in English and Chinese, for an exception."""
    if isinstance(exc, CommandError):
        return exc.code, exc.en, exc.zh
    if isinstance(exc, MissingDependencyError):
        zh = f"缺少可选依赖 {exc.package}：请运行  pip install 'wushe[{exc.extra}]'"
        return EXIT_USAGE, str(exc), zh
    if isinstance(exc, WusheError):
        text = str(exc)
        if path is not None and str(path) not in text:
            text = f"{path}: {text}"
        return EXIT_INVALID_DATA, text, f"数据无效：{text}"
    if isinstance(exc, OSError):
        where = exc.filename if exc.filename is not None else path
        # An OSError without a file (a scheduler out of reach, a timeout) says what
        # happened in its message.
        detail = (str(exc).splitlines() or [""])[0]
        reason = exc.strerror or f"{type(exc).__name__}: {detail}".rstrip(": ")
        return EXIT_FILE, f"{where}: {reason}", f"{where}：{reason}"
    return _internal(exc)


def _internal(exc: Exception) -> Description:
    """A bug: name the exception type and where it happened, never its message.

    The message of an unexpected exception may hold a value from the data, a name or an
    ID number, so it is shown only with ``--debug``.
    """
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "wushe" in Path(f.filename).parts] or frames
    where = f" in {Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else ""
    name = type(exc).__name__
    en = (
        f"internal error ({name}{where}): this is a bug in wushe, not a problem with "
        f"your data. Please report it with the command you ran ({_BUG_REPORTS}); "
        "--debug or WUSHE_DEBUG=1 shows the traceback."
    )
    zh = (
        f"内部错误（{name}{where}）：这是 wushe 的缺陷，不是数据的问题。请连同所运行的命令"
        f"一起报告（{_BUG_REPORTS}）；加 --debug 或设置 WUSHE_DEBUG=1 可显示调用栈。"
    )
    return EXIT_INTERNAL, en, zh


def _unreadable_reason(exc: Exception) -> str | None:
    """Why a loader could not read a file, for errors loaders should have wrapped.

    Returns ``None`` for an exception that is not about the file's content (a bug). The
    reason never repeats a value from the file.
    """
    mark = getattr(exc, "problem_mark", None)
    if type(exc).__module__.split(".")[0] == "yaml":
        line = f" at line {mark.line + 1}" if mark is not None else ""
        return f"not valid YAML{line}"
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 text (byte {exc.start})"
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
    if isinstance(exc, RecursionError):
        return "nested too deeply to read"
    if isinstance(exc, zipfile.BadZipFile):
        return "not a valid XLSX workbook (not a zip archive)"
    if hasattr(exc, "error_count") and hasattr(exc, "errors"):  # pydantic
        first = exc.errors(include_input=False, include_url=False)[0]
        field = ".".join(map(str, first["loc"])) or "(top level)"
        return f"{exc.error_count()} invalid value(s); first {field}: {first['msg']}"
    if isinstance(exc, (ValueError, OverflowError, csv.Error)):
        return f"cannot be read as data ({type(exc).__name__})"
    return None


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[None]:
    """Name ``path`` in any failure to read it; a last guard around every loader."""
    try:
        yield
    except (CommandError, MissingDependencyError, BrokenPipeError):
        raise
    except LoadError:
        raise
    except WusheError as exc:
        text = str(exc) if str(path) in str(exc) else f"{path}: {exc}"
        raise CommandError(EXIT_INVALID_DATA, text, f"数据无效：{text}") from exc
    except OSError as exc:
        where = exc.filename if exc.filename is not None else path
        reason = exc.strerror or type(exc).__name__
        en, zh = f"cannot read {where}: {reason}", f"无法读取 {where}：{reason}"
        raise CommandError(EXIT_FILE, en, zh) from exc
    except Exception as exc:
        why = _unreadable_reason(exc)
        if why is None:
            raise
        en, zh = f"{path}: {why}", f"{path}：无法读取数据（{why}）"
        raise CommandError(EXIT_INVALID_DATA, en, zh) from exc


@contextlib.contextmanager
def _blaming(*paths: Path | None) -> Iterator[None]:
    """Name the files an engine read from when it raises a data error."""
    try:
        yield
    except WusheError as exc:
        if isinstance(exc, MissingDependencyError):
            raise
        where = ", ".join(str(p) for p in paths if p is not None)
        en, zh = f"{where}: {exc}", f"数据无效：{where}：{exc}"
        raise CommandError(EXIT_INVALID_DATA, en, zh) from exc


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Name ``path`` when writing it fails."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        where = exc.filename if exc.filename is not None else path
        reason = exc.strerror or type(exc).__name__
        en, zh = f"cannot write {where}: {reason}", f"无法写入 {where}：{reason}"
        raise CommandError(EXIT_FILE, en, zh) from exc
