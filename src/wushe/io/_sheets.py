"""Raw spreadsheet cells in and out of CSV and XLSX files (表格文件读写).

This layer knows files, not wushe: it turns a CSV file or every sheet of a workbook into
rows of populated cells with their spreadsheet row and column numbers, and writes rows
back. Reading is bounded in time and memory whatever the file declares (see the limits
below and :ref:`io-limits`): only populated cells are kept, a workbook is checked as a zip
archive before openpyxl opens it, and a worksheet is streamed cell by cell. openpyxl is
imported only when an ``.xlsx`` file is touched.

Writing neutralises formula triggers (the OWASP CSV-injection convention): a text cell
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is written to CSV
with a leading ``'``, and to XLSX as a text cell marked "quote prefix", never as a
formula. Reading a CSV file removes the ``'`` again, so a written table reads back exactly.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, iterparse

import attrs

from wushe.exceptions import MissingDependencyError
from wushe.io._report import clip

CSV_SUFFIXES = frozenset({".csv", ".txt"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})

MAX_TABLE_BYTES = 64 * 2**20
"""Largest CSV or XLSX file read: 64 MiB (表格文件上限)."""
MAX_UNZIPPED_BYTES = 256 * 2**20
"""Largest total size of a workbook's parts once unzipped: 256 MiB (解压上限)."""
MAX_SHARED_STRINGS_BYTES = 64 * 2**20
"""Largest shared-strings part of a workbook: 64 MiB (共享字符串上限)."""
MAX_RATIO = 100
"""Highest compression ratio accepted for a workbook part over 1 MiB (压缩比上限)."""
MAX_ROWS = 200_000
"""Last spreadsheet row read; a sheet going further is reported (行数上限)."""
MAX_CELLS = 2_000_000
"""Most populated cells read from one file (单元格上限)."""
MAX_CELL_CHARS = 32_767
"""Longest cell text read, Excel's own limit (单元格长度上限)."""
_SAME_PROBLEM_SHOWN = 20
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_COORDINATE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_TRIGGER = re.compile(r"^'*(?:[=@\t\r]|[+-](?![\d.]+(?:[eE][+-]?\d+)?$))")

Cell = str | int | float | Decimal | bool | date | datetime | None
Row = tuple[int, tuple[tuple[int, Cell], ...]]
"""A spreadsheet row number and its populated cells as (0-based column, value) pairs."""


class SheetError(Exception):
    """A file that cannot be read as a table at all: its code and a short message."""

    def __init__(self, message: str, *, code: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


@attrs.frozen(kw_only=True)
class SheetProblem:
    """Something read or left out of a sheet that the user must hear about (表格问题)."""

    row: int | None
    """Spreadsheet row, or ``None`` for the whole sheet (行号)."""
    code: str
    """Stable reason code, e.g. ``formula_without_value`` (原因代码)."""
    message: str
    """Human-readable reason; never holds a cell's value (说明)."""


@attrs.frozen(kw_only=True)
class Sheet:
    """One table of a file: a CSV file or one worksheet (工作表)."""

    file: str
    """The file it was read from (文件)."""
    name: str
    """Worksheet title, or the file stem for CSV (表名)."""
    rows: tuple[Row, ...]
    """Every row with a populated cell: its number (1-based) and its cells (行)."""
    problems: tuple[SheetProblem, ...] = ()
    """Cells that could not be read, and why (问题)."""
    last_row: int = 0
    """The last row the file has, filled or not (末行)."""
    merged: tuple[tuple[int, int, int, int], ...] = ()
    """Merged cell ranges as (first row, first column, last row, last column); a merged
    range keeps its value in its top-left cell only (合并单元格)."""
    hidden: bool = False
    """Whether the workbook hides the worksheet (隐藏工作表)."""

    @property
    def label(self) -> str:
        """How issues name the sheet: ``file`` for CSV, ``file[sheet]`` for a workbook (位置)."""
        if Path(self.file).suffix.lower() in XLSX_SUFFIXES:
            return f"{self.file}[{self.name}]"
        return self.file


def column_letter(index: int) -> str:
    """The spreadsheet letters of a 0-based column index: 0 → ``A``, 27 → ``AB``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@attrs.define
class _Collector:
    """Rows and problems of one sheet, with the per-file cell budget."""

    budget: list[int]
    rows: list[Row] = attrs.Factory(list)
    problems: list[SheetProblem] = attrs.Factory(list)
    seen: Counter[str] = attrs.Factory(Counter)
    last_row: int = 0
    merged: list[tuple[int, int, int, int]] = attrs.Factory(list)

    def problem(self, row: int | None, code: str, message: str) -> None:
        self.seen[code] += 1
        if self.seen[code] <= _SAME_PROBLEM_SHOWN:
            self.problems.append(SheetProblem(row=row, code=code, message=message))

    def cell(
        self, row: int, column: int, value: Cell, cells: list[tuple[int, Cell]]
    ) -> None:
        if value is None or value == "":
            return
        if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
            where = f"{column_letter(column)}{row}"
            self.problem(
                row,
                "cell_too_long",
                f"cell {where} holds {len(value):,} characters; at most "
                f"{MAX_CELL_CHARS:,} are read, so it was left out",
            )
            return
        self.budget[0] -= 1
        if self.budget[0] < 0:
            msg = f"the file has more than {MAX_CELLS:,} filled cells; split it"
            raise SheetError(msg, code="too_large")
        cells.append((column, value))

    def sheet(self, file: str, name: str, *, hidden: bool = False) -> Sheet:
        for code, count in sorted(self.seen.items()):
            if count > _SAME_PROBLEM_SHOWN:
                more = count - _SAME_PROBLEM_SHOWN
                self.problems.append(
                    SheetProblem(
                        row=None,
                        code=code,
                        message=f"… and {more:,} more cells like this",
                    )
                )
        return Sheet(
            file=file,
            name=name,
            rows=tuple(self.rows),
            problems=tuple(self.problems),
            last_row=self.last_row,
            merged=tuple(self.merged),
            hidden=hidden,
        )


def _too_many_rows(into: _Collector, row: int) -> None:
    into.problem(
        row,
        "too_many_rows",
        f"the sheet goes on past row {MAX_ROWS:,}; rows from {row:,} on were not read "
        "(delete empty rows at the end, or split the sheet)",
    )


def _openpyxl(purpose: str) -> Any:
    try:
        import openpyxl  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError("openpyxl", "xlsx", purpose) from exc  # noqa: EM101 - the error composes its message
    return openpyxl


def read_sheets(path: Path) -> tuple[Sheet, ...]:
    """Read a CSV file (one sheet) or every worksheet of an XLSX workbook (读取表格).

    CSV is read as UTF-8 (with or without the byte-order mark Excel writes), UTF-16
    (Excel's tab-separated "Unicode text") or GB 18030 (Excel's "CSV" on a Chinese
    Windows). Only filled cells are kept; what could not be read is in ``Sheet.problems``.

    Raises:
        SheetError: the file cannot be read, is not a workbook or is too large.
        MissingDependencyError: a workbook without the ``xlsx`` extra.
    """
    try:
        if path.is_dir():
            msg = "this is a folder, not a file"
            raise SheetError(msg, code="unreadable")
        size = path.stat().st_size
    except OSError as exc:
        msg = f"cannot read the file: {exc.strerror or exc.__class__.__name__}"
        raise SheetError(msg, code="unreadable") from None
    if size > MAX_TABLE_BYTES:
        msg = f"the file has {size:,} bytes; at most {MAX_TABLE_BYTES:,} are read"
        raise SheetError(msg, code="too_large")
    budget = [MAX_CELLS]
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _read_workbook(path, budget)
    return (_read_csv(path, budget),)


# --- CSV --------------------------------------------------------------------------------


def _read_csv(path: Path, budget: list[int]) -> Sheet:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        msg = f"cannot read the file: {exc.strerror or exc.__class__.__name__}"
        raise SheetError(msg, code="unreadable") from None
    text = _decode(raw)
    into = _Collector(budget=budget)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    number = 0
    while True:
        number += 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            into.problem(
                number,
                "unreadable_row",
                f"row {number:,} cannot be read ({clip(exc)}); rows from it on were "
                "not read",
            )
            break
        if number > MAX_ROWS:
            _too_many_rows(into, number)
            break
        into.last_row = number
        cells: list[tuple[int, Cell]] = []
        for column, value in enumerate(values):
            into.cell(number, column, _unneutralise(value), cells)
        if cells:
            into.rows.append((number, tuple(cells)))
    return into.sheet(str(path), path.stem)


def _decode(raw: bytes) -> str:
    """CSV text as Excel saves it: UTF-8 (with or without BOM), UTF-16 or GB 18030.

    Excel's "Unicode text" is UTF-16 with a byte-order mark; on a Chinese Windows its "CSV"
    is GB 18030.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        try:
            return raw.decode(
                "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-16-le"
            )
        except UnicodeDecodeError:
            pass
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError as exc:
        msg = f"the file is not UTF-8, UTF-16 or GB 18030 text (byte {exc.start:,})"
        raise SheetError(msg, code="not_text") from None


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 little-endian without a byte-order mark: every other byte of ASCII is NUL."""
    head = raw[:4096]
    odd, even = head[1::2].count(0), head[::2].count(0)
    return len(head) >= 4 and odd * 10 > len(head) * 3 // 2 and even * 10 < odd


def _delimiter(text: str) -> str:
    """A tab when the first filled line is separated by tabs (Excel's "text" saves)."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    return "\t" if line.count("\t") > line.count(",") else ","


def _unneutralise(text: str) -> str:
    return text[1:] if text.startswith("'") and _TRIGGER.match(text[1:]) else text


def neutralise(cell: Cell) -> Cell:
    """Prefix ``'`` to a text that a spreadsheet would run as a formula (防公式注入).

    Texts starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a
    leading ``'``, and so do texts that already start with ``'`` followed by one of
    those, so that removing one ``'`` on reading restores every text exactly. Plain
    numbers such as ``-12.5`` are left alone: a spreadsheet reads them as numbers.

    Examples:
        >>> print(neutralise("=HYPERLINK(A1)"), neutralise("-12.5"), neutralise("'x"))
        '=HYPERLINK(A1) -12.5 'x
    """
    if isinstance(cell, str) and _TRIGGER.match(cell):
        return "'" + cell
    return cell


# --- XLSX -------------------------------------------------------------------------------


def _check_archive(path: Path) -> None:
    """Refuse what is not a zip archive, or would unzip too large, before openpyxl opens it."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        msg = (
            "not an Excel workbook: an .xlsx file is a zip archive and this is not one"
        )
        raise SheetError(msg, code="not_a_workbook") from None
    total = sum(part.file_size for part in parts)
    if total > MAX_UNZIPPED_BYTES:
        msg = f"the workbook unzips to {total:,} bytes; at most {MAX_UNZIPPED_BYTES:,} are read"
        raise SheetError(msg, code="too_large")
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > 2**20 and ratio > MAX_RATIO:
            msg = (
                f"a part of the workbook is compressed {ratio:,.0f}:1 (at most "
                f"{MAX_RATIO}:1 is read): this is not a workbook Excel wrote"
            )
            raise SheetError(msg, code="too_large")
        if part.filename.lower().endswith("sharedstrings.xml") and (
            part.file_size > MAX_SHARED_STRINGS_BYTES
        ):
            msg = (
                f"the workbook's shared texts take {part.file_size:,} bytes; at most "
                f"{MAX_SHARED_STRINGS_BYTES:,} are read"
            )
            raise SheetError(msg, code="too_large")


def _read_workbook(path: Path, budget: list[int]) -> tuple[Sheet, ...]:
    _check_archive(path)
    _openpyxl("Reading Excel ledgers")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
        try:
            archive, book, sheets = _open_workbook(path)
        except Exception as exc:  # noqa: BLE001 - openpyxl's failures share no base class
            msg = f"not a readable Excel workbook ({exc.__class__.__name__})"
            raise SheetError(msg, code="not_a_workbook") from None
        if not sheets:
            archive.close()
            msg = "not a readable Excel workbook: it lists no worksheets"
            raise SheetError(msg, code="not_a_workbook")
        try:
            return tuple(
                _read_worksheet(path, archive, book, sheet, budget) for sheet in sheets
            )
        except SheetError:
            raise
        except Exception as exc:  # noqa: BLE001 - a corrupt part fails in many ways
            msg = f"a worksheet cannot be read ({exc.__class__.__name__})"
            raise SheetError(msg, code="unreadable") from None
        finally:
            archive.close()


@attrs.frozen(kw_only=True)
class _Book:
    shared: Sequence[str]
    dates: frozenset[int]
    epoch: datetime


def _open_workbook(
    path: Path,
) -> tuple[zipfile.ZipFile, _Book, list[tuple[str, str, bool]]]:
    """The archive, shared texts, date styles and (title, part, hidden) of every worksheet.

    openpyxl's own read-only loader scans every worksheet for its declared size when it
    opens the workbook, a full parse when the declaration is missing; these are the steps
    of that loader without the scan.
    """
    from openpyxl.reader.excel import ExcelReader  # noqa: PLC0415 - optional dependency
    from openpyxl.styles.stylesheet import apply_stylesheet  # noqa: PLC0415

    reader = ExcelReader(str(path), read_only=True, data_only=True)
    try:
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [
            (str(sheet.name), str(rel.target), sheet.state in {"hidden", "veryHidden"})
            for sheet, rel in reader.parser.find_sheets()
            if rel.target in reader.valid_files and "chartsheet" not in rel.Type
        ]
    except BaseException:
        reader.archive.close()
        raise
    workbook: Any = reader.wb
    book = _Book(
        shared=reader.shared_strings,
        dates=frozenset(workbook._date_formats)
        - frozenset(workbook._timedelta_formats),
        epoch=workbook.epoch,
    )
    return reader.archive, book, sheets


def _read_worksheet(
    path: Path,
    archive: zipfile.ZipFile,
    book: _Book,
    sheet: tuple[str, str, bool],
    budget: list[int],
) -> Sheet:
    title, part, hidden = sheet
    into = _Collector(budget=budget)
    with archive.open(part) as source:
        extent = _row_extent(source)
    if extent > MAX_ROWS:
        _too_many_rows(into, MAX_ROWS + 1)
        into.last_row = extent
        return into.sheet(str(path), title, hidden=hidden)
    with archive.open(part) as source:  # streamed, not loaded
        for number, cells in _stream_rows(source, book, into):
            if cells:
                into.rows.append((number, cells))
    return into.sheet(str(path), title, hidden=hidden)


def _row_extent(source: Any) -> int:
    """Roughly how far a sheet's XML reaches, by a fast scan that parses nothing.

    Counts row tags and looks for a row number past :data:`MAX_ROWS`; it stops early once
    the sheet is known to be too long.
    """
    digits = len(str(MAX_ROWS))
    far = re.compile(rb'<(?:[\w.-]+:)?row\b[^>]*?\sr="0*([1-9]\d{%d,})"' % (digits - 1))
    count = 0
    tail = b""
    while chunk := source.read(2**22):
        text: bytes = tail + chunk
        cut = max(text.rfind(b"<"), 0)
        body, tail = text[:cut], text[cut:]
        count += body.count(b"<row") + body.count(b":row")
        for match in far.finditer(body):
            number = int(match.group(1))
            if number > MAX_ROWS:
                return number
        if count > MAX_ROWS:
            return count
    return count + tail.count(b"<row") + tail.count(b":row")


def _stream_rows(source: Any, book: _Book, into: _Collector) -> Iterator[Row]:
    """Yield each row's populated cells, converting every cell as soon as it is parsed.

    Parsed elements are dropped from the tree at once, so memory stays flat however many
    rows, cells or declared dimensions the sheet has; reading stops at :data:`MAX_ROWS`.
    """
    number = 0
    column = -1
    parents: list[Element] = []
    kept: list[tuple[int, Cell]] = []
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            parents.append(element)
            if element.tag == _MAIN + "row":
                number = _row_number(element.get("r"), number)
                if number > MAX_ROWS:
                    _too_many_rows(into, number)
                    return
                column, kept = -1, []
            continue
        parents.pop()
        if element.tag == _MAIN + "c":
            column = _column_number(element.get("r"), column)
            value = _cell_value(element, book, number, column, into)
            into.cell(number, column, value, kept)
        elif element.tag == _MAIN + "row":
            into.last_row = max(into.last_row, number)
            yield number, tuple(kept)
        elif element.tag == _MAIN + "mergeCell":
            _merge_range(element.get("ref"), into)
        if parents and (
            element.tag in {_MAIN + "c", _MAIN + "row"} or len(parents) == 1
        ):
            parents[-1].remove(element)  # nothing parsed is kept


def _merge_range(reference: str | None, into: _Collector) -> None:
    """Record a merged range such as ``A2:A6``; anything else is not a range and is skipped."""
    first, _, last = (reference or "").partition(":")
    start, end = _COORDINATE.match(first), _COORDINATE.match(last or first)
    if start is None or end is None:
        return
    top, bottom = int(start.group(2)), int(end.group(2))
    left, right = _column_number(first, -1), _column_number(last or first, -1)
    if top <= bottom and left <= right and (top, left) != (bottom, right):
        into.budget[0] -= 1  # a range costs what a cell costs
        if into.budget[0] < 0:
            msg = (
                f"the file has more than {MAX_CELLS:,} filled or merged cells; split it"
            )
            raise SheetError(msg, code="too_large")
        into.merged.append((top, left, bottom, right))


def _row_number(text: str | None, previous: int) -> int:
    if text is not None and text.isdigit():
        return int(text)
    return previous + 1


def _column_number(reference: str | None, previous: int) -> int:
    match = _COORDINATE.match(reference or "")
    if match is None:
        return previous + 1
    index = 0
    for letter in match.group(1).upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


def _cell_value(
    element: Element, book: _Book, row: int, column: int, into: _Collector
) -> Cell:
    kind = element.get("t", "n")
    where = f"{column_letter(column)}{row}"
    if kind == "inlineStr":
        inline = element.find(_MAIN + "is")
        if inline is None:
            return None
        parts = [inline.findtext(_MAIN + "t") or ""]
        parts += [
            run.findtext(_MAIN + "t") or "" for run in inline.findall(_MAIN + "r")
        ]
        return "".join(parts)
    value = element.findtext(_MAIN + "v")
    if value is None:
        if element.find(_MAIN + "f") is not None:
            into.problem(
                row,
                "formula_without_value",
                f"cell {where} holds a formula whose result was never saved; open the "
                "workbook in Excel or WPS and save it, or type the value",
            )
        return None
    try:
        return _typed(kind, value, element, book)
    except (ValueError, IndexError, OverflowError, TypeError):
        into.problem(
            row,
            "unreadable_cell",
            f"cell {where} cannot be read as its type ({clip(kind, 12)}); it was left out",
        )
        return None
    except _ErrorValue:
        into.problem(
            row,
            "error_value",
            f"cell {where} holds an Excel error value ({clip(value, 12)}); it was left out",
        )
        return None


class _ErrorValue(Exception):
    pass


def _typed(kind: str, value: str, element: Element, book: _Book) -> Cell:
    if kind == "s":
        return book.shared[int(value)]
    if kind == "str":
        return value
    if kind == "b":
        return value.strip() in {"1", "true"}
    if kind == "e":
        raise _ErrorValue
    if kind == "d":
        return datetime.fromisoformat(value)
    number: int | float
    try:
        number = int(value)
    except ValueError:
        number = float(value)
    style = element.get("s", "0")
    if style.isdigit() and int(style) in book.dates:
        from openpyxl.utils.datetime import from_excel  # noqa: PLC0415 - optional dependency

        moment = from_excel(number, book.epoch)
        if not isinstance(moment, datetime | date):
            raise TypeError
        return moment
    return number


# --- writing ----------------------------------------------------------------------------


def write_sheets(
    path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]
) -> Path:
    """Write named tables to one workbook, or one table to a CSV file (写出表格).

    CSV files get a UTF-8 byte-order mark so that Excel opens Chinese text correctly. In a
    workbook every cell that holds an identifier or a number-like text stays text, so Excel
    does not turn an 18-digit ID number into a float. Formula triggers are neutralised
    (see :func:`neutralise`): no text is ever written as a live formula.
    """
    if path.suffix.lower() in XLSX_SUFFIXES:
        _write_workbook(path, sheets)
        return path
    if len(sheets) != 1:
        msg = f"a CSV file holds one table, not {len(sheets)}: {path}"
        raise ValueError(msg)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in sheets[0][1]:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    return path


def _write_workbook(
    path: Path, sheets: Sequence[tuple[str, Sequence[Sequence[Cell]]]]
) -> None:
    openpyxl = _openpyxl("Writing Excel ledgers")
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        ws = workbook.create_sheet(title=title[:31])
        for row in rows:
            ws.append(list(row))
        for line in ws.iter_rows():
            for cell in line:
                _format_cell(cell, header=cell.row == 1)
        if rows:
            ws.freeze_panes = "A2"
    workbook.save(path)


def _format_cell(cell: Any, *, header: bool) -> None:
    value = cell.value
    if isinstance(value, str):
        if cell.data_type == "f" or _TRIGGER.match(value):
            cell.data_type = "s"  # text, never a formula
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        if not header:
            cell.number_format = "@"
    elif isinstance(value, date | datetime) and not header:
        cell.number_format = (
            "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
        )
