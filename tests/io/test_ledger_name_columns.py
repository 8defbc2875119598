"""A person typed as two columns, 姓名 and 身份证后四位, not only 姓名/1234 in one cell (#14)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.io.test_ledgers_as_clerks_keep_them import (
    RECIPIENTS,
    ZHANG_2,
    base,
    every_message,
    recipients_file,
    resident_id,
    write_csv,
    write_xlsx,
)
from wushe.io import ledger_report, load_ledgers


def two_columns(tmp_path: Path, typed: list[tuple[str, str]]) -> Path:
    """A visit ledger naming each visited person and their ID digits in two columns."""
    return write_csv(
        tmp_path / "巡访台账.csv",
        [
            ["编号", "巡访日期", "站点", "社区", "巡访对象", "身份证后四位"],
            *[
                [f"v{n}", "2024-03-01", "ts", "兴隆街社区", who, digits]
                for n, (who, digits) in enumerate(typed, 1)
            ],
        ],
    )


def test_a_name_and_its_id_digits_in_two_columns_become_the_persons_id(tmp_path):
    files = [
        recipients_file(tmp_path),
        two_columns(tmp_path, [("张三", ZHANG_2[-4:]), ("李四", "")]),
    ]
    ds = load_ledgers(files, base=base())
    assert [sorted(a.recipient_ids) for a in ds.activities] == [["t02"], ["t03"]]


def test_an_id_in_the_name_column_stays_an_id_whatever_the_digits(tmp_path):
    files = [recipients_file(tmp_path), two_columns(tmp_path, [("t01", "0000")])]
    ds = load_ledgers(files, base=base())
    assert [sorted(a.recipient_ids) for a in ds.activities] == [["t01"]]


def _twins() -> tuple[str, str]:
    """Two valid ID numbers, different people, with the same last four characters."""
    by_tail: dict[str, str] = {}
    for day in range(1, 29):
        number = resident_id(f"500103194103{day:02d}022")
        if number[-4:] in by_tail:
            return by_tail[number[-4:]], number
        by_tail[number[-4:]] = number
    msg = "no two birthdays share a check digit"  # pragma: no cover
    raise AssertionError(msg)  # pragma: no cover


def test_digits_that_fit_two_people_of_that_name_are_ambiguous_and_never_echoed(
    tmp_path,
):
    one, two = _twins()
    people = [["t01", "张三", one, "兴隆街社区"], ["t02", "张三", two, "华一坡社区"]]
    register = write_csv(
        tmp_path / "服务对象.csv", [["编号", "姓名", "身份证号", "社区"], *people]
    )
    files = [register, two_columns(tmp_path, [("张三", one[-4:])])]
    report = ledger_report(files, base=base(), lang="zh")
    (issue,) = report.issues
    assert (issue.code, issue.row, issue.column) == ("ambiguous_name", 2, "巡访对象")
    text = every_message(report).replace("张三/1234", "")
    assert "张三" not in text
    assert one[-4:] not in text


def test_digits_that_are_not_digits_are_reported_without_the_name(tmp_path):
    files = [recipients_file(tmp_path), two_columns(tmp_path, [("张三", "12a4")])]
    for lang in ("en", "zh"):
        report = ledger_report(files, base=base(), lang=lang)
        (issue,) = report.issues
        assert issue.code == "bad_id_digits"
        assert "张三" not in every_message(report)
        assert "12a4" not in every_message(report)


def test_one_digits_column_for_a_cell_naming_several_people_is_an_error(tmp_path):
    files = [recipients_file(tmp_path), two_columns(tmp_path, [("张三、李四", "1234")])]
    (issue,) = ledger_report(files, base=base(), lang="zh").issues
    assert issue.code == "id_digits_for_many"
    assert "2 个人" in issue.message


def test_a_digits_column_with_no_person_column_is_reported_not_ignored(tmp_path):
    path = write_csv(
        tmp_path / "服务对象.csv",
        [["编号", "姓名", "身份证号", "社区", "身份证后四位"],
         *[[*r, r[2][-4:]] for r in RECIPIENTS]],
    )  # fmt: skip
    report = ledger_report(path, base=base(), lang="zh")
    (issue,) = report.issues
    assert issue.code == "id_digits_without_name"
    assert "身份证后四位" in issue.message


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    name=st.text(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        min_size=2,
        max_size=4,
    ),
    digits=st.from_regex(r"\A[0-9X]{4,6}\Z"),
)
def test_a_name_and_digits_in_two_columns_never_appear_in_a_message(
    tmp_path, name, digits
):
    files = [recipients_file(tmp_path), two_columns(tmp_path, [(name, digits)])]
    for lang in ("en", "zh"):
        report = ledger_report(files, base=base(), lang=lang)
        text = every_message(report)
        assert name not in text
        messages = "\n".join(i.message for i in report.issues)
        assert digits not in messages.replace("1234", "")


def _digits_beside_an_empty_name(tmp_path: Path, suffix: str) -> Path:
    rows: list[list[Any]] = [
        ["编号", "巡访日期", "站点", "社区", "巡访对象", "身份证后四位"],
        ["v1", "2024-03-01", "ts", "兴隆街社区", "李四", ""],
        ["v2", "2024-03-02", "ts", "兴隆街社区", "", ZHANG_2[-4:]],
    ]
    if suffix == ".csv":
        return write_csv(tmp_path / "巡访台账.csv", rows)
    return write_xlsx(tmp_path / "巡访台账.xlsx", rows, [])


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_id_digits_beside_an_empty_name_cell_are_an_error_not_ignored(
    tmp_path, suffix, lang
):
    files = [recipients_file(tmp_path), _digits_beside_an_empty_name(tmp_path, suffix)]
    report = ledger_report(files, base=base(), lang=lang)
    assert report.dataset is None
    (issue,) = report.issues
    sheet = "巡访台账.csv" if suffix == ".csv" else "巡访台账.xlsx[巡访台账]"
    assert Path(issue.file).name == sheet
    assert (issue.row, issue.record_id, issue.field, issue.column, issue.code) == (
        3,
        "v2",
        "recipient_ids",
        "身份证后四位",
        "id_digits_without_name_cell",
    )
    expected = (
        "列 '身份证后四位' 填了身份证号后几位，但这一行的 '巡访对象' 列是空的；"
        "请填上姓名，或删去这几位数字（列“身份证后四位”）"
        if lang == "zh"
        else "column '身份证后四位' holds ID digits, but the name column '巡访对象' is "
        "empty in this row; type the name, or delete the digits (column '身份证后四位')"
    )
    assert issue.message == expected
    assert ZHANG_2[-4:] not in every_message(report)
