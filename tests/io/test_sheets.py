"""Reading CSV and XLSX stays bounded and reports what it leaves out; writing never injects."""

from __future__ import annotations

import csv
import io
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wushe.io import _sheets
from wushe.io._sheets import SheetError, neutralise, read_sheets, write_sheets

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook_with(
    path: Path,
    rows: str = "",
    *,
    dimension: str | None = "A1:A1",
    parts: dict[str, bytes] | None = None,
) -> Path:
    """A real openpyxl workbook whose first sheet's XML is replaced by ``rows``."""
    book = openpyxl.Workbook()
    ws = book.worksheets[0]
    ws.title = "服务对象"
    ws["A1"] = "placeholder"
    book.save(path)
    sheet = (
        f'<worksheet xmlns="{MAIN}">'
        + (f'<dimension ref="{dimension}"/>' if dimension else "")
        + f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()
    replaced = {"xl/worksheets/sheet1.xml": sheet, **(parts or {})}
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members.update(replaced)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    return path


@contextmanager
def bounded(seconds: float, mebibytes: int) -> Iterator[None]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        yield
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    assert peak < mebibytes * 2**20, f"peak {peak / 2**20:.0f} MiB"


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def test_declared_full_width_dimension_reads_only_populated_cells(tmp_path):
    rows = "".join(
        f'<row r="{r}">{inline(f"A{r}", "x")}<c r="XFD{r}"><v>1</v></c></row>'
        for r in range(1, 5001)
    )
    path = workbook_with(tmp_path / "wide.xlsx", rows, dimension="A1:XFD5000")
    with bounded(seconds=15, mebibytes=40):
        (sheet,) = read_sheets(path)
    assert len(sheet.rows) == 5000
    assert sheet.rows[0][1] == ((0, "x"), (16383, 1))


def test_a_million_empty_rows_stop_at_the_row_limit_quickly(tmp_path):
    rows = "".join(f'<row r="{r}"/>' for r in range(1, 1_000_001))
    path = workbook_with(tmp_path / "empty.xlsx", rows, dimension=None)
    with bounded(seconds=6, mebibytes=40):
        (sheet,) = read_sheets(path)
    assert sheet.rows == ()
    assert [p.code for p in sheet.problems] == ["too_many_rows"]


def test_whitespace_zip_bomb_is_refused_before_parsing(tmp_path):
    bomb = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode() + b" " * (16 * 2**20)
    path = workbook_with(
        tmp_path / "bomb.xlsx", parts={"xl/worksheets/sheet1.xml": bomb}
    )
    with (
        bounded(seconds=5, mebibytes=20),
        pytest.raises(SheetError, match="compressed"),
    ):
        read_sheets(path)


def test_workbook_unzipping_past_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(_sheets, "MAX_UNZIPPED_BYTES", 10_000)
    path = workbook_with(tmp_path / "big.xlsx", inline("A1", "x" * 20_000))
    with pytest.raises(SheetError, match="unzips to") as info:
        read_sheets(path)
    assert info.value.code == "too_large"


def test_oversized_shared_strings_are_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(_sheets, "MAX_SHARED_STRINGS_BYTES", 1_000)
    strings = f'<sst xmlns="{MAIN}">' + "<si><t>x</t></si>" * 200 + "</sst>"
    path = workbook_with(
        tmp_path / "s.xlsx", parts={"xl/sharedStrings.xml": strings.encode()}
    )
    with pytest.raises(SheetError, match="shared texts"):
        read_sheets(path)


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 not really", b"name,phone\n"])
def test_xlsx_that_is_not_a_zip_is_a_sheet_error(tmp_path, content):
    path = tmp_path / "book.xlsx"
    path.write_bytes(content)
    with pytest.raises(SheetError) as info:
        read_sheets(path)
    assert info.value.code == "not_a_workbook"


def test_formula_without_saved_value_is_reported_not_read_as_blank(tmp_path):
    rows = f'<row r="1">{inline("A1", "姓名")}</row><row r="2"><c r="A2"><f>B2&amp;C2</f></c></row>'
    (sheet,) = read_sheets(workbook_with(tmp_path / "f.xlsx", rows))
    assert [(p.row, p.code) for p in sheet.problems] == [(2, "formula_without_value")]
    assert "A2" in sheet.problems[0].message


def test_formula_with_saved_value_reads_the_value(tmp_path):
    rows = '<row r="1"><c r="A1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>'
    (sheet,) = read_sheets(workbook_with(tmp_path / "f.xlsx", rows))
    assert sheet.rows == ((1, ((0, "ab"),)),)
    assert sheet.problems == ()


def test_date_cell_far_outside_the_calendar_is_reported(tmp_path):
    book = openpyxl.Workbook()
    ws = book.worksheets[0]
    ws["A1"] = "日期"
    ws["A2"] = 1e10
    ws["A2"].number_format = "yyyy-mm-dd"
    book.save(tmp_path / "d.xlsx")
    (sheet,) = read_sheets(tmp_path / "d.xlsx")
    assert [p.code for p in sheet.problems] == ["unreadable_cell"]


def test_error_values_are_reported(tmp_path):
    rows = '<row r="1"><c r="B1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>'
    (sheet,) = read_sheets(workbook_with(tmp_path / "e.xlsx", rows))
    assert [p.code for p in sheet.problems] == ["error_value"]


def test_same_problem_is_listed_twenty_times_then_counted(tmp_path):
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><f>X</f></c></row>' for r in range(1, 101)
    )
    (sheet,) = read_sheets(workbook_with(tmp_path / "f.xlsx", rows))
    assert len(sheet.problems) == 21
    assert "80 more" in sheet.problems[-1].message


def test_csv_cell_over_the_csv_field_limit_is_reported(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("姓名\n" + "x" * 200_000 + "\n", encoding="utf-8")
    (sheet,) = read_sheets(path)
    assert [(p.row, p.code) for p in sheet.problems] == [(2, "unreadable_row")]


def test_cell_longer_than_excel_allows_is_left_out_and_reported(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("姓名,电话\n" + "x" * 40_000 + ",1\n", encoding="utf-8")
    (sheet,) = read_sheets(path)
    assert sheet.rows[1] == (2, ((1, "1"),))
    assert [(p.row, p.code) for p in sheet.problems] == [(2, "cell_too_long")]


def test_csv_past_the_row_limit_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(_sheets, "MAX_ROWS", 10)
    path = tmp_path / "rows.csv"
    path.write_text("a\n" * 20, encoding="utf-8")
    (sheet,) = read_sheets(path)
    assert len(sheet.rows) == 10
    assert [p.code for p in sheet.problems] == ["too_many_rows"]


def test_cell_budget_per_file_is_enforced(tmp_path, monkeypatch):
    monkeypatch.setattr(_sheets, "MAX_CELLS", 50)
    path = tmp_path / "cells.csv"
    path.write_text("a,b,c\n" * 20, encoding="utf-8")
    with pytest.raises(SheetError, match="50 filled cells"):
        read_sheets(path)


# --- formula injection ------------------------------------------------------------------

TRIGGERS = ["=", "+", "-", "@", "\t", "\r", "'"]
texts = st.lists(
    st.sampled_from([*TRIGGERS, "a", "1", ".", "e", " ", "中"]), max_size=6
).map("".join) | st.text(max_size=12)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=HYPERLINK(A1)", "'=HYPERLINK(A1)"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("'=x", "''=x"),
        ("'x", "'x"),
        ("-12.5", "-12.5"),
        ("+86", "+86"),
        ("1e5", "1e5"),
        ("张=三", "张=三"),
    ],
)
def test_formula_triggers_are_neutralised_with_a_quote(text, written):
    assert neutralise(text) == written


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(texts.filter(lambda t: "\x00" not in t), min_size=1, max_size=8))
@example(cells=["'=x", "=1+1", "''@a", "-1", "'quoted"])
def test_csv_round_trips_every_text_exactly_and_holds_no_live_formula(tmp_path, cells):
    path = write_sheets(tmp_path / "t.csv", [("t", [cells])])
    written = next(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline="")))
    live = re.compile(r"^(?:[=@\t\r]|[+-](?![\d.]+(?:[eE][+-]?\d+)?$))")
    assert not [cell for cell in written if live.match(cell)]
    (sheet,) = read_sheets(path)
    read = dict(sheet.rows[0][1]) if sheet.rows else {}
    assert [read.get(i, "") for i in range(len(cells))] == cells


XML_SAFE = st.characters(
    blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"
)
xlsx_texts = st.lists(
    st.sampled_from(["=", "+", "-", "@", "'", "a", "1", "中"]), min_size=1, max_size=6
).map("".join) | st.text(XML_SAFE, min_size=1, max_size=12)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=25)
@given(cells=st.lists(xlsx_texts.filter(str.strip), min_size=1, max_size=6))
def test_xlsx_round_trips_every_text_and_writes_no_formula(tmp_path, cells):
    path = write_sheets(tmp_path / "t.xlsx", [("t", [cells])])
    (sheet,) = read_sheets(path)
    assert [v for _, v in sheet.rows[0][1]] == cells
    formulas = [c.data_type for c in openpyxl.load_workbook(path)["t"][1]]
    assert "f" not in formulas


def test_xlsx_formula_text_is_written_as_quoted_text(tmp_path):
    path = write_sheets(tmp_path / "t.xlsx", [("t", [["=1+1", "x"]])])
    cell = openpyxl.load_workbook(path)["t"]["A1"]
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", "=1+1", True)


def run(reader: Callable[[Path], Any], path: Path) -> Any:
    return reader(path)


def test_merged_ranges_and_hidden_sheets_are_read_and_merges_count_against_the_cell_limit(
    tmp_path, monkeypatch
):
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.title = "台账"
    for row in (["a", "b"], ["c", None], [None, None]):
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B1:B2")
    hidden = book.create_sheet("下拉")
    hidden.append(["是"])
    hidden.sheet_state = "hidden"
    path = tmp_path / "book.xlsx"
    book.save(path)
    first, second = read_sheets(path)
    assert (sorted(first.merged), first.hidden) == ([(1, 1, 2, 1), (2, 0, 3, 0)], False)
    assert (second.merged, second.hidden) == ((), True)
    monkeypatch.setattr(_sheets, "MAX_CELLS", 4)  # three cells and one of the ranges
    with pytest.raises(SheetError, match="filled or merged cells"):
        read_sheets(path)
