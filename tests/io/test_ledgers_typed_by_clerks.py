"""Every ledger kind, typed the way a street station's clerk types it (#14).

Each test takes ledgers the library wrote itself (so the right values are known), retypes
them as a clerk would — full-width digits and spaces, headers with stray spaces and line
breaks, a 备注 column anywhere, blank rows in the middle, a 合计 row at the bottom, dates as
``2024.3.5`` or ``2024年3月5日`` or Excel serials, yes/no as ``√``/``✗``, numbers with
thousands separators and units, merged and hidden cells — and checks that the dataset read
back is the one written. What cannot be read that way is an error naming the file, sheet,
row and column, checked one by one below, never a value silently dropped or read as
another.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.io.test_ledgers_as_clerks_keep_them import (
    LI,
    ZHANG_1,
    base,
    every_message,
    write_csv,
    write_xlsx,
)
from tests.io.test_messages_zh import CJK, ENGLISH
from tests.io.test_tables import header_of
from tests.strategies import station_records
from wushe import examples
from wushe.io import (
    export_ledgers,
    ledger_report,
    ledger_spec,
    load_dataset,
    load_ledgers,
)
from wushe.io._messages import translate, unwrap_annotation
from wushe.io._tables import _converter
from wushe.models import COLLECTIONS, Dataset
from wushe.privacy import REVEAL
from wushe.vocab import ActivityType, Lang

Table = list[list[str]]
WIDE = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
UNITS = {"person_times": "人次", "hours": "小时", "budget": "元", "amount": "元"}
CODES = {"id_number", "phone"}


# --- the ledgers the library writes, and what each column holds ----------------------------


def kinds_of(ds: Dataset) -> list[str]:
    """Every ledger kind with records: care visits on a sheet of their own."""
    visits = any(a.activity_type is ActivityType.CARE_VISIT for a in ds.activities)
    return [*(["visits"] if visits else []), *(c for c in COLLECTIONS if ds.records(c))]


def exported(ds: Dataset, folder: Path) -> dict[str, Table]:
    """Each ledger kind of ``ds`` as the rows of its revealed CSV export."""
    kinds = kinds_of(ds)
    paths = export_ledgers(ds, folder, kinds=kinds, reveal=True).paths
    tables = {}
    for kind, path in zip(kinds, paths, strict=True):
        with path.open(encoding="utf-8-sig", newline="") as f:
            tables[kind] = list(csv.reader(f))
        path.unlink()
    return tables


def column_kind(kind: str, header: str) -> str:
    """``date``, ``bool``, ``number:<field>``, ``code`` or ``text`` for an exported header."""
    spec = ledger_spec(kind)
    field = {h: f for f, h in spec.headers("zh").items()}[header]
    annotation = unwrap_annotation(spec.model.model_fields[field].annotation)
    if field in CODES:
        return "code"
    if not isinstance(annotation, type) or issubclass(annotation, Enum):
        return "text"
    if issubclass(annotation, bool):
        return "bool"
    if issubclass(annotation, date) and not issubclass(annotation, datetime):
        return "date"
    if issubclass(annotation, int | Decimal):
        return f"number:{field}"
    return "text"


def columns_of(kind: str, table: Table) -> list[str]:
    return [column_kind(kind, h) for h in table[0]]


# --- what clerks do ---------------------------------------------------------------------------

Habit = Callable[[str, Table, st.DataObject], Table]


def retype(table: Table, kind: str, only: str, how: Callable[[str], str]) -> Table:
    """``how`` applied to every filled cell of the columns whose kind starts with ``only``."""
    chosen = [c.startswith(only) for c in columns_of(kind, table)]
    return [
        table[0],
        *[
            [how(v) if pick and v else v for v, pick in zip(row, chosen, strict=True)]
            for row in table[1:]
        ],
    ]


def header_noise(kind: str, table: Table, data: st.DataObject) -> Table:
    """Spaces, full-width spaces and an Alt+Enter line break in the headers."""
    noisy = [
        data.draw(st.sampled_from([f" {h} ", f"{h}\u3000", f"{h[:1]}\n{h[1:]}", h]))
        for h in table[0]
    ]
    return [noisy, *table[1:]]


def remarks_anywhere(kind: str, table: Table, data: st.DataObject) -> Table:
    at = data.draw(st.integers(0, len(table[0])), label="remarks column")
    notes = ["独居", "", "电话已变更，见纸质台账", "同上"]
    return [
        [*row[:at], "备注" if n == 0 else notes[n % len(notes)], *row[at:]]
        for n, row in enumerate(table)
    ]


def blank_rows(kind: str, table: Table, data: st.DataObject) -> Table:
    out = [table[0]]
    for row in table[1:]:
        if data.draw(st.booleans(), label="blank row before"):
            out.append(["\u3000" if i == 0 else "" for i in range(len(row))])
        out.append(row)
    return out


def total_row(kind: str, table: Table, data: st.DataObject) -> list[str]:
    """A 合计 row for the bottom: the label, then the sum of each number column."""
    label = data.draw(st.sampled_from(["合计", "合  计", "总计：", "Total"]))
    kinds = columns_of(kind, table)
    sums = [
        str(sum(Decimal(r[i]) for r in table[1:] if r[i]))
        if k.startswith("number")
        else ""
        for i, k in enumerate(kinds)
    ]
    return [label, *sums[1:]]


def title_rows(kind: str, table: Table, data: st.DataObject) -> Table:
    width = len(table[0])
    return [["2024年3月台账", *[""] * (width - 1)], [""] * width, *table]


def wide_digits(kind: str, table: Table, data: st.DataObject) -> Table:
    """Numbers, dates and ID numbers typed with the input method's full-width digits."""
    for only in ("number", "date", "code"):
        table = retype(table, kind, only, lambda v: v.translate(WIDE))
    return table


def padded_cells(kind: str, table: Table, data: st.DataObject) -> Table:
    pads = ["\u3000", " ", "\u200b", "\ufeff", "\u00a0"]
    pad = data.draw(st.sampled_from(pads)) + data.draw(st.sampled_from(pads))
    return [table[0], *[[f"{pad}{v}{pad}" if v else v for v in r] for r in table[1:]]]


DATE_FORMS: list[Callable[[date], str]] = [
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}年{d.month}月{d.day}号",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}-{d.month}-{d.day}",
    lambda d: d.strftime("%Y%m%d"),
    lambda d: str((d - date(1899, 12, 30)).days),  # an Excel serial saved as text
    lambda d: d.strftime("%Y/%m/%d 00:00:00"),
]


def dates_typed(kind: str, table: Table, data: st.DataObject) -> Table:
    form = data.draw(st.sampled_from(DATE_FORMS), label="date form")
    return retype(table, kind, "date", lambda v: form(date.fromisoformat(v)))


def yes_no_typed(kind: str, table: Table, data: st.DataObject) -> Table:
    yes, no = data.draw(
        st.sampled_from(
            [("√", "\u00d7"), ("Y", "N"), ("有", "无"), ("✔", "✘"), ("1", "0")]
        )
    )
    return retype(table, kind, "bool", lambda v: yes if v == "是" else no)


def numbers_typed(kind: str, table: Table, data: st.DataObject) -> Table:
    """Thousands separators, and the unit a clerk writes after the number."""
    kinds = columns_of(kind, table)
    grouped = data.draw(st.sampled_from([",", "，"]))

    def typed(value: str, column: str) -> str:
        field = column.split(":")[1]
        whole, _, fraction = value.partition(".")
        text = f"{int(whole):,}".replace(",", grouped) + (
            f".{fraction}" if fraction else ""
        )
        return text + UNITS.get(field, "")

    return [
        table[0],
        *[
            [
                typed(v, k) if v and k.startswith("number") else v
                for v, k in zip(r, kinds, strict=True)
            ]
            for r in table[1:]
        ],
    ]


VALUES: dict[str, Habit] = {
    "dates_typed": dates_typed,
    "yes_no_typed": yes_no_typed,
    "numbers_typed": numbers_typed,
    "wide_digits": wide_digits,
    "padded_cells": padded_cells,
}
"""Habits that retype values, in the order they are applied."""
AROUND: dict[str, Habit] = {
    "header_noise": header_noise,
    "remarks_anywhere": remarks_anywhere,
    "blank_rows": blank_rows,
}
"""Habits that add rows and columns around the values, applied after them."""
HABITS = [*VALUES, *AROUND, "total_row", "title_rows"]


def as_clerk(
    tables: dict[str, Table], habits: set[str], data: st.DataObject
) -> dict[str, Table]:
    """Each table retyped with ``habits``: values first, then what goes around them."""
    out = {}
    for kind, written in tables.items():
        total = total_row(kind, written, data) if "total_row" in habits else None
        table = written
        for name, habit in [*VALUES.items(), *AROUND.items()]:
            if name in habits:
                table = habit(kind, table, data)
        if total is not None:
            width = len(table[0]) - len(total)  # a remarks column may have come in
            table = [*table, [*total, *[""] * width]]
        if "title_rows" in habits:
            table = title_rows(kind, table, data)
        out[kind] = table
    return out


def differences(read: Dataset, written: Dataset) -> list[str]:
    """Each record read differently from how it was written, field by field; in any order."""
    lines = []
    for collection, (_, id_field) in COLLECTIONS.items():
        want = {getattr(r, id_field): r for r in written.records(collection)}
        got = {getattr(r, id_field): r for r in read.records(collection)}
        if want.keys() != got.keys():
            lines.append(f"{collection}: ids {sorted(got)} != {sorted(want)}")
        for key in want.keys() & got.keys():
            if got[key] != want[key]:
                fields = type(want[key]).model_fields
                lines += [
                    f"{collection} {key}.{f}: {getattr(got[key], f)!r} != "
                    f"{getattr(want[key], f)!r}"
                    for f in fields
                    if getattr(got[key], f) != getattr(want[key], f)
                ]
    return lines


def write_ledgers(folder: Path, tables: dict[str, Table]) -> Path:
    folder.mkdir(exist_ok=True)
    for kind, table in tables.items():
        title = ledger_spec(kind).titles[0]
        write_csv(folder / f"{title}.csv", table)
    return folder


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    ds=station_records(),
    habits=st.sets(st.sampled_from(HABITS), min_size=1),
    data=st.data(),
)
def test_every_ledger_typed_as_clerks_type_it_reads_back_the_same(
    tmp_path_factory, ds, habits, data
):
    folder = tmp_path_factory.mktemp("clerk")
    tables = exported(ds, folder)
    typed = as_clerk(tables, habits, data)
    report = ledger_report(write_ledgers(folder, typed), base=header_of(ds))
    assert report.dataset is not None, report.summary()
    assert differences(report.dataset, ds) == []
    if "total_row" in habits:
        assert sum("total row" in n for n in report.notes) == len(tables)


# --- the seed localities, for the ledger kinds the generated worlds leave empty --------------


def time_bank_world() -> Dataset:
    """七星岗 with a time bank and a volunteer's deposits and redemptions."""
    ds = load_dataset(examples.path("qixinggang.json"))
    volunteer = ds.volunteers[0].volunteer_id
    entries = [
        {"entry_id": f"e{n}", "time_bank_id": "tb", "volunteer_id": volunteer,
         "kind": kind, "on": on, "hours": hours}
        for n, (kind, on, hours) in enumerate(
            [("存入", "2023-01-10", "12.5"), ("存入", "2023-06-01", "1500"),
             ("兑换", "2024-02-01", "4")], 1)
    ]  # fmt: skip
    bank = {"time_bank_id": "tb", "name": "七星岗时间银行", "source": "示例",
            "division_code": ds.division_code, "valid_years": 3, "annual_cap": "2000",
            "family_redemption": True}  # fmt: skip
    data = ds.model_dump(mode="json", context=REVEAL)
    return Dataset.model_validate(
        {**data, "time_banks": [bank], "time_bank_entries": entries}
    )


SEEDS = ["hubei", "jiulong", "shanxi", "time bank"]


@pytest.fixture(scope="module")
def seeds() -> dict[str, Dataset]:
    worlds = {n: load_dataset(examples.path(f"{n}.json")) for n in SEEDS[:-1]}
    return {**worlds, "time bank": time_bank_world()}


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(SEEDS),
    habits=st.sets(st.sampled_from(HABITS), min_size=3),
    data=st.data(),
)
def test_the_seed_ledgers_typed_as_clerks_type_them_read_back_the_same(
    tmp_path_factory, seeds, name, habits, data
):
    ds = seeds[name]
    folder = tmp_path_factory.mktemp("seed")
    typed = as_clerk(exported(ds, folder), habits, data)
    report = ledger_report(write_ledgers(folder, typed), base=header_of(ds))
    assert report.dataset is not None, report.summary()
    assert differences(report.dataset, ds) == []


def test_the_generated_and_seed_worlds_reach_every_ledger_kind(seeds):
    reached = {k for ds in seeds.values() for k in kinds_of(ds)}
    generated = {"divisions", "communities", "organizations", "workers", "volunteers",
                 "recipients", "needs", "stations", "projects", "activities", "visits",
                 "households", "person_links", "cases", "case_sessions", "referrals",
                 "supervisions", "trainings", "contracts", "spendings", "incubators",
                 "incubations", "child_welfare_posts", "grids"}  # fmt: skip
    assert {*COLLECTIONS, "visits"} - reached - generated == set()


# --- workbooks: typed cells, merged and hidden cells, hidden sheets ----------------------------


def typed_cell(value: str, column: str, serial: bool) -> Any:
    """A CSV value as the cell Excel would hold: a date, a number, a yes/no or text."""
    if not value:
        return None
    if column == "date":
        day = date.fromisoformat(value)
        return (day - date(1899, 12, 30)).days if serial else day
    if column == "bool":
        return value == "是"
    if column.startswith("number"):
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    return value


def clerk_workbook(path: Path, tables: dict[str, Table], data: st.DataObject) -> Path:
    """One sheet per ledger, kept the way a clerk keeps a workbook.

    A group label merged over the first two headers with the other headers merged down
    both rows, runs of equal values merged down their column, one hidden column, dates as
    date cells or bare serials, numbers and yes/no as typed cells, and a hidden sheet
    holding the lists behind the drop-downs.
    """
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.remove(book.active)
    lists = book.create_sheet("下拉选项")
    lists.append(["是", "否"])
    lists.sheet_state = "hidden"
    for kind, table in tables.items():
        sheet = book.create_sheet(ledger_spec(kind).titles[0])
        kinds = columns_of(kind, table)
        serial = data.draw(st.booleans(), label="dates as serials")
        width = len(table[0])
        grouped = width > 2 and data.draw(st.booleans(), label="two-row header")
        if grouped:
            sheet.append(["基本信息", None, *table[0][2:]])
            sheet.append([*table[0][:2], *[None] * (width - 2)])
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=2)
            for column in range(3, width + 1):
                sheet.merge_cells(
                    start_row=1, start_column=column, end_row=2, end_column=column
                )
        else:
            sheet.append(table[0])
        first = sheet.max_row + 1
        for row in table[1:]:
            sheet.append(
                [typed_cell(v, k, serial) for v, k in zip(row, kinds, strict=True)]
            )
        _merge_runs(sheet, table, first, data.draw(st.integers(0, width - 1)))
        hidden = openpyxl.utils.get_column_letter(data.draw(st.integers(1, width)))
        sheet.column_dimensions[hidden].hidden = True
    book.save(path)
    return path


def _merge_runs(sheet: Any, table: Table, first: int, column: int) -> None:
    """Merge each run of equal values down ``column``, as clerks merge a community."""
    values = [row[column] for row in table[1:]]
    start = 0
    for end in range(1, len(values) + 1):
        if end == len(values) or values[end] != values[start] or not values[start]:
            if end - start > 1 and values[start]:
                for row in range(first + start + 1, first + end):
                    sheet.cell(row=row, column=column + 1).value = None
                sheet.merge_cells(
                    start_row=first + start,
                    start_column=column + 1,
                    end_row=first + end - 1,
                    end_column=column + 1,
                )
            start = end


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ds=station_records(), data=st.data())
def test_every_ledger_kept_in_a_clerks_workbook_reads_back_the_same(
    tmp_path_factory, ds, data
):
    folder = tmp_path_factory.mktemp("book")
    book = clerk_workbook(folder / "台账.xlsx", exported(ds, folder), data)
    report = ledger_report(book, base=header_of(ds))
    assert report.dataset is not None, report.summary()
    assert differences(report.dataset, ds) == []
    assert any("hidden sheet" in n for n in report.notes)


# --- one cell at a time: read as meant, or an error naming where ------------------------------

VISIT_HEADER = ["编号", "巡访日期", "站点", "社区", "巡访对象", "人次"]


def one_visit(tmp_path: Path, **cells: Any) -> list[Path]:
    """A recipients register and a visits ledger of one row, some cells retyped."""
    row = {"编号": "v1", "巡访日期": "2024-03-05", "站点": "ts", "社区": "c01",
           "巡访对象": "t01", "人次": "1"} | cells  # fmt: skip
    register = write_csv(
        tmp_path / "服务对象.csv",
        [["编号", "姓名", "身份证号", "社区"], ["t01", "张三", ZHANG_1, "c01"]],
    )
    return [
        register,
        write_csv(tmp_path / "巡访台账.csv", [VISIT_HEADER, list(row.values())]),
    ]


@pytest.mark.parametrize(
    "typed",
    ["2024.3.5", "2024年3月5日", "2024年3月5号", "2024-3-5", "2024/3/5", "2024.03.05.",
     "2024/03/05 00:00:00", "2024-03-05 14:30", "20240305", "45356",
     "\uff12\uff10\uff12\uff14\uff0d\uff13\uff0d\uff15", "\u30002024-3-5\u200b"],
)  # fmt: skip
def test_a_date_typed_any_way_a_clerk_types_it_is_that_day(tmp_path, typed):
    report = ledger_report(one_visit(tmp_path, 巡访日期=typed), base=base())
    assert report.dataset is not None, report.summary()
    assert report.dataset.activities[0].held_on == date(2024, 3, 5)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1,234", 1234), ("1\uff0c234人次", 1234), ("\uff11\uff12\uff13", 123), ("15人", 15),
     ("15 人次", 15), ("12.0", 12)],
)  # fmt: skip
def test_a_count_typed_with_separators_units_or_full_width_digits_is_that_count(
    tmp_path, typed, expected
):
    report = ledger_report(one_visit(tmp_path, 人次=typed), base=base())
    assert report.dataset is not None, report.summary()
    assert report.dataset.activities[0].person_times == expected


def test_money_takes_a_currency_sign_grouped_thousands_wan_and_yuan():
    spec = ledger_spec("spendings")
    read = _converter(spec.model, "amount", spec.separators)
    typed = ["¥2,000.50", "\uffe52,000.50元", "2000.5元", "0.20005万元", "RMB 2,000.50"]
    assert [Decimal(read(t)) for t in typed] == [Decimal("2000.5")] * len(typed)
    assert read("2,000人次") == "2,000人次"  # not a unit of money: the model reports it


def reported(tmp_path: Path, lang: Lang = "zh", **cells: Any) -> Any:
    (issue,) = ledger_report(
        one_visit(tmp_path, **cells), base=base(), lang=lang
    ).issues
    return issue


@pytest.mark.parametrize(
    ("column", "typed", "code"),
    [
        ("人次", "12,34", "bad_number"),  # grouped wrongly: 1234 or 12.34?
        ("人次", "1.234,5", "bad_number"),  # a European decimal comma
        ("人次", "3元", "int_parsing"),  # a unit that is not this column's
        ("人次", "5万", "int_parsing"),  # 万 only for money
        ("人次", "三", "int_parsing"),
        ("巡访日期", "24.3.5", "date_from_datetime_parsing"),
        ("巡访日期", "2024.2.30", "impossible_date"),
        ("巡访日期", "20240230", "impossible_date"),
        ("巡访日期", "0", "not_a_date"),  # never 1970-01-01, pydantic's reading
        ("巡访日期", "86400", "not_a_date"),
        ("巡访日期", "-5", "not_a_date"),
        ("巡访日期", "三月五日", "date_from_datetime_parsing"),
    ],
)
def test_a_cell_that_cannot_be_read_as_meant_is_an_error_at_its_row_and_column(
    tmp_path, column, typed, code
):
    for lang in ("zh", "en"):
        issue = reported(tmp_path, lang, **{column: typed})
        where = (Path(issue.file).name, issue.row, issue.column, issue.code)
        assert where == ("巡访台账.csv", 2, column, code)
        assert len(typed) < 3 or typed not in issue.message
        if lang == "zh":
            assert CJK.search(issue.message)
            assert not ENGLISH.search(issue.message), issue.message


def volunteers(tmp_path: Path, flags: list[str]) -> Path:
    return write_csv(
        tmp_path / "志愿者.csv",
        [
            ["编号", "姓名", "是否审查"],
            *[[f"v{n}", "王芳", f] for n, f in enumerate(flags)],
        ],
    )


def test_yes_and_no_are_read_from_every_mark_clerks_use(tmp_path):
    yes = ["是", "√", "✔", "☑", "Y", "yes", "有", "1", "\uff39", "是\u3000"]
    no = ["否", "\u00d7", "✘", "✗", "N", "no", "无", "0"]
    ds = load_ledgers(volunteers(tmp_path, yes + no), base=base())
    assert [v.vetted for v in ds.volunteers] == [True] * len(yes) + [False] * len(no)


@pytest.mark.parametrize("typed", ["2", "x", "已审查", "√\u00d7"])
def test_a_mark_that_is_neither_yes_nor_no_is_an_error_not_a_guess(tmp_path, typed):
    (issue,) = ledger_report(
        volunteers(tmp_path, [typed]), base=base(), lang="zh"
    ).issues
    assert (issue.row, issue.column, issue.code) == (2, "是否审查", "bool_parsing")
    assert issue.message == "应填“是”或“否”（列“是否审查”）"


def test_subtotal_rows_anywhere_are_skipped_with_a_note_naming_them(tmp_path):
    rows = [
        VISIT_HEADER,
        ["v1", "2024-03-05", "ts", "c01", "t01", "1"],
        ["小计", "", "", "", "", "1"],
        ["v2", "2024-03-06", "ts", "c01", "t01", "2"],
        ["合  计：", "", "", "", "共 2 次", "3"],
    ]
    register = one_visit(tmp_path)[0]
    ledger = write_csv(tmp_path / "巡访台账.csv", rows)
    report = ledger_report([register, ledger], base=base(), lang="zh")
    assert report.dataset is not None, report.summary()
    assert [a.activity_id for a in report.dataset.activities] == ["v1", "v2"]
    assert any(n.endswith("跳过 2 个合计行：3, 5") for n in report.notes), report.notes


def test_a_long_number_excel_cut_to_15_digits_is_reported_not_checked_as_an_id(
    tmp_path,
):
    csv_file = write_csv(
        tmp_path / "服务对象.csv",
        [["编号", "姓名", "身份证号", "社区"], ["t01", "张三", "5.00103E+17", "c01"]],
    )
    book = write_xlsx(
        tmp_path / "服务对象.xlsx",
        [["编号", "姓名", "身份证号", "社区"], ["t01", "张三", float(LI), "c01"]],
        [],
    )
    for path in (csv_file, book):
        (issue,) = ledger_report(path, base=base(), lang="zh").issues
        assert (issue.row, issue.column, issue.code) == (2, "身份证号", "long_number")
        assert "15 位" in issue.message
        assert LI[:6] not in every_message(ledger_report(path, base=base()))


def test_id_numbers_and_phones_typed_with_full_width_digits_are_read(tmp_path):
    wide = ZHANG_1.translate(WIDE)
    path = write_csv(
        tmp_path / "服务对象.csv",
        [["编号", "姓名", "身份证号", "社区", "电话"],
         ["t01", "张三", wide, "c01", "13800138000".translate(WIDE)]],
    )  # fmt: skip
    ds = load_ledgers(path, base=base())
    person = ds.recipients[0]
    assert person.id_number is not None
    assert person.phone is not None
    assert (person.id_number.reveal(), person.phone.reveal()) == (
        ZHANG_1,
        "13800138000",
    )


def visits_book(tmp_path: Path, merges: list[str], hide: str = "") -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    rows: list[list[Any]] = [
        VISIT_HEADER,
        ["v1", date(2024, 3, 5), "ts", "c01", "t01", 1],
        ["v2", 45357, None, None, "t01", 2.0],
        ["v3", datetime(2024, 3, 7, 9, 30), None, None, "t01", 3],
    ]
    path = write_xlsx(tmp_path / "巡访台账.xlsx", rows, merges)
    if hide:
        book = openpyxl.load_workbook(path)
        book.active.column_dimensions[hide].hidden = True
        book.save(path)
    return path


def test_a_station_and_community_merged_down_their_columns_fill_every_row(tmp_path):
    files = [
        one_visit(tmp_path)[0],
        visits_book(tmp_path, ["C2:C4", "D2:D4"], hide="D"),
    ]
    report = ledger_report(files, base=base())
    assert report.dataset is not None, report.summary()
    visits = report.dataset.activities
    assert [(a.station_id, a.community_id) for a in visits] == [("ts", "c01")] * 3
    assert [a.held_on.day for a in visits] == [5, 6, 7]
    assert [a.person_times for a in visits] == [1, 2, 3]


def test_cells_merged_across_two_read_columns_are_an_error_naming_the_range(tmp_path):
    files = [one_visit(tmp_path)[0], visits_book(tmp_path, ["C2:D4"])]
    report = ledger_report(files, base=base(), lang="zh")
    merged = next(i for i in report.issues if i.code == "merged_cells")
    assert (Path(merged.file).name, merged.row) == ("巡访台账.xlsx[巡访台账]", 2)
    assert merged.message == (
        "单元格 C2:D4 跨列 '站点' 和 '社区' 合并，无法判断各列的值；请取消合并，逐格填写"
    )
    assert report.dataset is None


def test_a_hidden_sheet_that_is_no_ledger_is_skipped_with_a_note(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = visits_book(tmp_path, ["C2:C4", "D2:D4"])
    book = openpyxl.load_workbook(path)
    for title, state in (("下拉选项", "hidden"), ("说明", "visible")):
        sheet = book.create_sheet(title)
        sheet.append(["是", "否"])
        sheet.sheet_state = state
    book.save(path)
    report = ledger_report([one_visit(tmp_path)[0], path], base=base(), lang="zh")
    assert any(
        n.endswith("[下拉选项]：隐藏的工作表，不是台账，已跳过") for n in report.notes
    )
    (issue,) = report.issues  # a visible sheet that is no ledger is still an error
    assert (Path(issue.file).name, issue.code) == (
        "巡访台账.xlsx[说明]",
        "unknown_ledger",
    )


@pytest.mark.parametrize(
    "header",
    [
        " 巡访日期 ",
        "巡访日期\u3000",
        "巡访\n日期",
        "巡访\r\n日期",
        "*巡访日期",
        "巡访日期\u200b",
    ],
)
def test_a_header_with_spaces_line_breaks_or_a_star_is_still_its_column(
    tmp_path, header
):
    files = one_visit(tmp_path)
    rows = list(csv.reader(files[1].read_text(encoding="utf-8-sig").splitlines()))
    rows[0][1] = header
    write_csv(files[1], rows)
    report = ledger_report(files, base=base())
    assert report.dataset is not None, report.summary()


NEW_CODES = {
    "bad_number": "commas in a number group its thousands, as in 1,234 or 10,000.5",
    "not_a_date": "a number in a date column is read as Excel's count of days",
    "long_number": "Excel stored this as a number and kept only its first 15 digits",
    "merged_cells": "cells C2:D4 are merged across the columns '站点' and '社区'; "
    "unmerge them and type each value in its own cell",
    "id_digits_without_name_cell": "column '身份证后四位' holds ID digits, but the name "
    "column '巡访对象' is empty in this row; type the name, or delete the digits",
}


@pytest.mark.parametrize("code", sorted(NEW_CODES))
def test_each_new_ledger_message_has_its_chinese_text(code):
    text = translate(code, NEW_CODES[code], "zh")
    assert CJK.search(text)
    assert not ENGLISH.search(text), text
    assert "{" not in text


def test_a_number_in_a_workbooks_yes_no_column_is_yes_or_no_only_for_1_and_0(tmp_path):
    header = ["编号", "姓名", "是否审查"]
    rows = [[f"v{n}", "王芳", flag] for n, flag in enumerate([True, 1, 0, 1.0, False])]
    book = write_xlsx(tmp_path / "志愿者.xlsx", [header, *rows], [])
    ds = load_ledgers(book, base=base())
    assert [v.vetted for v in ds.volunteers] == [True, True, False, True, False]
    wrong = write_xlsx(tmp_path / "志愿者.xlsx", [header, ["v1", "王芳", 2]], [])
    (issue,) = ledger_report(wrong, base=base()).issues
    assert (issue.row, issue.column, issue.code) == (2, "是否审查", "bool_parsing")


def test_two_months_pasted_together_skip_the_repeated_header_with_a_note(tmp_path):
    register = one_visit(tmp_path)[0]
    march = ["v1", "2024-03-05", "ts", "c01", "t01", "1"]
    april = ["v2", "2024-04-05", "ts", "c01", "t01", "2"]
    ledger = write_csv(
        tmp_path / "巡访台账.csv",
        [VISIT_HEADER, march, ["2024年4月", "", "", "", "", ""], VISIT_HEADER, april],
    )
    report = ledger_report([register, ledger], base=base(), lang="zh")
    assert [i.code for i in report.issues] == [
        "missing",
        "missing",
    ]  # the month's title
    assert any(n.endswith("跳过 1 个重复的表头行：4") for n in report.notes)
    pasted = write_csv(
        tmp_path / "巡访台账.csv", [VISIT_HEADER, march, VISIT_HEADER, april]
    )
    ds = load_ledgers([register, pasted], base=base())
    assert [a.activity_id for a in ds.activities] == ["v1", "v2"]


def test_a_name_padded_with_a_full_width_space_finds_its_person(tmp_path):
    ds = load_ledgers(one_visit(tmp_path, 巡访对象="张\u3000三"), base=base())
    assert ds.activities[0].recipient_ids == frozenset({"t01"})


@pytest.mark.parametrize(
    "header", ["备注", "备注（2023年）", "备注1", "说明：联系人", "Remarks"]
)
def test_a_remarks_column_named_any_way_is_skipped_with_a_note(tmp_path, header):
    files = one_visit(tmp_path)
    rows = list(csv.reader(files[1].read_text(encoding="utf-8-sig").splitlines()))
    write_csv(files[1], [[header, *rows[0]], ["独居", *rows[1]]])
    report = ledger_report(files, base=base())
    assert report.dataset is not None, report.summary()
    assert any("holds remarks" in n for n in report.notes)
