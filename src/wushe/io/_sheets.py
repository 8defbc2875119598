"""Raw spreadsheet cells in and out of CSV and XLSX files (表格文件读写).

This layer knows files, not wushe: it turns a CSV file or every sheet of a workbook into
rows of cell values with their spreadsheet row numbers, and writes rows back. openpyxl is
imported only when an ``.xlsx`` file is touched.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from wushe.exceptions import MissingDependencyError

CSV_SUFFIXES = frozenset({".csv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})

Cell = str | int | float | Decimal | bool | date | datetime | None


@attrs.frozen(kw_only=True)
class Sheet:
    """One table of a file: a CSV file or one worksheet (工作表)."""

    file: str
    """The file it was read from (文件)."""
    name: str
    """Worksheet title, or the file stem for CSV (表名)."""
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]
    """Spreadsheet row number (1-based) and the cells of every row (行)."""

    @property
    def label(self) -> str:
        """How issues name the sheet: ``file`` for CSV, ``file[sheet]`` for a workbook (位置)."""
        if Path(self.file).suffix.lower() in XLSX_SUFFIXES:
            return f"{self.file}[{self.name}]"
        return self.file


def _openpyxl(purpose: str) -> Any:
    try:
        import openpyxl  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("openpyxl", "xlsx", purpose) from exc  # noqa: EM101 - the error composes its message
    return openpyxl


def read_sheets(path: Path) -> tuple[Sheet, ...]:
    """Read a CSV file (one sheet) or every worksheet of an XLSX workbook (读取表格).

    CSV is read as UTF-8 (with or without the byte-order mark Excel writes) and falls back
    to GB 18030, the encoding Excel on a Chinese Windows uses for "CSV" saves.

    Raises:
        OSError: the file cannot be read.
        UnicodeDecodeError: a CSV file is in neither encoding.
        MissingDependencyError: a workbook without the ``xlsx`` extra.
    """
    if path.suffix.lower() in XLSX_SUFFIXES:
        openpyxl = _openpyxl("Reading Excel ledgers")
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            return tuple(
                Sheet(
                    file=str(path),
                    name=str(ws.title),
                    rows=tuple(
                        (number, tuple(row))
                        for number, row in enumerate(
                            ws.iter_rows(values_only=True), start=1
                        )
                    ),
                )
                for ws in workbook.worksheets
            )
        finally:
            workbook.close()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = tuple(
        (number, tuple[Cell, ...](row)) for number, row in enumerate(reader, start=1)
    )
    return (Sheet(file=str(path), name=path.stem, rows=rows),)


def write_sheets(
    path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]
) -> Path:
    """Write named tables to one workbook, or one table to a CSV file (写出表格).

    CSV files get a UTF-8 byte-order mark so that Excel opens Chinese text correctly. In a
    workbook every cell that holds an identifier or a number-like text stays text, so Excel
    does not turn an 18-digit ID number into a float.
    """
    if path.suffix.lower() in XLSX_SUFFIXES:
        openpyxl = _openpyxl("Writing Excel ledgers")
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets:
            ws = workbook.create_sheet(title=title[:31])
            for row in rows:
                ws.append(list(row))
            for column in ws.iter_cols(min_row=2):
                for cell in column:
                    if isinstance(cell.value, date | datetime):
                        cell.number_format = (
                            "yyyy-mm-dd"
                            if not isinstance(cell.value, datetime)
                            else "yyyy-mm-dd hh:mm"
                        )
                    elif isinstance(cell.value, str):
                        cell.number_format = "@"
            if rows:
                ws.freeze_panes = "A2"
        workbook.save(path)
        return path
    if len(sheets) != 1:
        msg = f"a CSV file holds one table, not {len(sheets)}: {path}"
        raise ValueError(msg)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in sheets[0][1]:
        writer.writerow(["" if cell is None else cell for cell in row])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    return path
