"""Input and output paths checked before a command runs (路径检查)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Literal, NoReturn

from wushe.cli._errors import (
    EXIT_FILE,
    EXIT_INVALID_DATA,
    EXIT_USAGE,
    CommandError,
    _reading,
)
from wushe.cli._output import _short

PathKind = Literal["file", "folder", "either", "auto"]


def _fail(code: int, en: str, zh: str) -> NoReturn:
    raise CommandError(code, en, zh)


def _check_input(path: Path, kind: PathKind) -> None:
    """An input exists, is what the command expects, can be read and is not empty."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        _fail(
            EXIT_FILE, f"{path}: no such file or folder", f"{path}：文件或文件夹不存在"
        )
    except OSError as exc:
        _fail(
            EXIT_FILE,
            f"cannot read {path}: {exc.strerror}",
            f"无法读取 {path}：{exc.strerror}",
        )
    except ValueError:  # e.g. an embedded NUL character
        _fail(
            EXIT_USAGE,
            f"not a valid path: {_short(str(path))}",
            f"路径无效：{_short(str(path))}",
        )
    if stat.S_ISDIR(mode):
        if kind == "file":
            _fail(
                EXIT_FILE,
                f"{path} is a folder; a file is expected",
                f"{path} 是文件夹，应为文件",
            )
        with _reading(path):
            os.scandir(path).close()
        return
    if kind == "folder":
        _fail(
            EXIT_FILE,
            f"{path} is a file; a folder is expected",
            f"{path} 是文件，应为文件夹",
        )
    if not stat.S_ISREG(mode):
        _fail(EXIT_FILE, f"{path} is not a regular file", f"{path} 不是普通文件")
    with _reading(path), path.open("rb") as handle:
        empty = not handle.read(1)
    if empty:
        _fail(EXIT_INVALID_DATA, f"{path}: the file is empty", f"{path}：文件为空")


def _check_format(path: Path, *, writing: bool = False) -> None:
    """A file whose format needs a missing extra stops the command before any work.

    For an output whose suffix decides its format (``wushe import --out``, ``wushe
    export``): a workbook without ``openpyxl`` or a YAML file without ``pyyaml`` fails
    here with the line naming the extra, before the inputs are read or a folder is made.
    """
    from wushe.io._parse import YAML_SUFFIXES, yaml_module  # noqa: PLC0415 - on use
    from wushe.io._sheets import XLSX_SUFFIXES, _openpyxl  # noqa: PLC0415

    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        _openpyxl("Writing Excel ledgers" if writing else "Reading Excel ledgers")
    elif suffix in YAML_SUFFIXES:
        yaml_module()


def _check_output(path: Path, kind: PathKind) -> None:
    """An output can be written: no file where a folder is needed, or the other way."""
    if kind == "auto":
        kind = "file" if path.suffix else "folder"
    if path.is_dir() and kind == "file":
        _fail(
            EXIT_FILE,
            f"{path} is a folder; a file name is expected",
            f"{path} 是文件夹，应为文件名",
        )
    if path.exists() and not path.is_dir() and kind == "folder":
        _fail(
            EXIT_FILE,
            f"{path} is a file; a folder is expected",
            f"{path} 是文件，应为文件夹",
        )
    folder = path if kind == "folder" else path.parent
    existing = next((p for p in (folder, *folder.parents) if p.exists()), Path("."))
    if not existing.is_dir():
        _fail(EXIT_FILE, f"cannot write {path}: {existing} is a file, not a folder",
              f"无法写入 {path}：{existing} 是文件而不是文件夹")  # fmt: skip
    target = path if path.exists() else existing
    if not os.access(target, os.W_OK):
        _fail(
            EXIT_FILE,
            f"cannot write {path}: permission denied",
            f"无法写入 {path}：没有写权限",
        )
