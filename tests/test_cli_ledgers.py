"""The command line reads ledgers as clerks keep them (#14)."""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.io.test_ledgers_as_clerks_keep_them import (
    LI,
    ZHANG_1,
    base,
    month_end,
    recipients_file,
    write_csv,
    wrong_check,
)
from wushe.cli import EXIT_INVALID_DATA, EXIT_OK, Console, main
from wushe.cli._output import _wrap
from wushe.io import load_dataset


def run(*argv: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in argv], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def street(tmp_path: Path) -> Path:
    path = tmp_path / "street.json"
    path.write_text(json.dumps(base(), ensure_ascii=False), encoding="utf-8")
    return path


def test_the_month_end_ledgers_validate_with_chinese_messages_naming_file_row_and_column(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("COLUMNS", "200")
    folder = month_end(tmp_path / "ledgers")
    code, out, _ = run("validate", folder, "--base", street(tmp_path), "--lang", "zh")
    assert code == EXIT_INVALID_DATA
    rows = [line.split() for line in out.splitlines()]
    assert [
        "服务对象.xlsx[服务对象]",
        "5",
        "t02",
        "recipients.id_number",
        "身份证号",
    ] in [r[:5] for r in rows]
    assert "身份证号校验位不对（最后一位），请核对号码（列“身份证号”）" in out
    assert "日期不存在：2 月没有 30 日（列“认定日期”）" in out
    assert "已被拒收（服务对象.xlsx[服务对象] 第 5 行）" in out
    assert "说明：" in out
    assert "Field required" not in out
    assert "李四" not in out
    assert LI not in out


def test_validate_json_lists_the_column_of_each_issue(tmp_path):
    folder = month_end(tmp_path / "ledgers")
    code, out, _ = run("validate", folder, "--base", street(tmp_path), "--json")
    assert code == EXIT_INVALID_DATA
    issues = json.loads(out)["issues"]
    assert [i["column"] for i in issues] == ["身份证号", "认定日期", "巡访对象"]


def test_import_writes_the_dataset_of_ledgers_and_a_base(tmp_path):
    ledgers = recipients_file(tmp_path)
    out = tmp_path / "dataset" / "street.json"
    code, text, _ = run("import", ledgers, "--base", street(tmp_path), "--out", out)
    assert code == EXIT_OK, text
    ds = load_dataset(out)
    assert [r.community_id for r in ds.recipients] == ["c01", "c02", "c02"]
    assert "personal data in clear" in text


def test_import_of_rejected_ledgers_writes_nothing_and_exits_1(tmp_path):
    ledgers = write_csv(
        tmp_path / "服务对象.csv",
        [
            ["编号", "姓名", "身份证号", "社区"],
            ["t01", "张三", wrong_check(ZHANG_1), "c01"],
        ],
    )
    out = tmp_path / "street-out.json"
    code, text, err = run("import", ledgers, "--base", street(tmp_path), "--out", out)
    assert code == EXIT_INVALID_DATA
    assert not out.exists()
    assert "身份证号" in text
    assert "1 issue(s)" in text + err


def test_match_care_and_report_read_ledgers_with_a_base(tmp_path):
    ledgers = tmp_path / "ledgers"
    ledgers.mkdir()
    recipients_file(ledgers)
    base_file = street(tmp_path)
    for argv in (
        ("match", ledgers, "--base", base_file),
        ("care", ledgers, "--base", base_file, "--as-of", "2024-03-31"),
        ("report", ledgers, "--base", base_file),
    ):
        code, out, err = run(*argv)
        assert code == EXIT_OK, (argv[0], err)
        assert out


def test_a_command_reading_ledgers_reports_their_issues_and_exits_1(tmp_path):
    folder = month_end(tmp_path / "ledgers")
    code, out, err = run("report", folder, "--base", street(tmp_path), "--lang", "zh")
    assert code == EXIT_INVALID_DATA
    assert "日期不存在" in out + err


def test_the_validate_table_fits_the_terminal(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "72")
    folder = month_end(tmp_path / "ledgers")
    _, out, _ = run("validate", folder, "--base", street(tmp_path), "--lang", "zh")
    table = out[out.index("文件") :]
    assert max(width(line) for line in table.splitlines()) <= 72
    assert "请核对号码" in table.replace("\n", "").replace(" ", "")


cell_text = st.text(
    st.characters(
        codec="utf-8", categories=["L", "N", "P", "Zs"], exclude_characters="\n"
    ),
    max_size=60,
)


@settings(max_examples=80, deadline=None)
@given(
    headers=st.lists(
        st.sampled_from(["file", "行", "记录", "字段", "说明"]), min_size=1, max_size=5
    ),
    data=st.data(),
    columns=st.integers(40, 160),
)
def test_a_table_is_never_wider_than_its_width(headers, data, columns):
    rows = data.draw(
        st.lists(
            st.lists(cell_text, min_size=len(headers), max_size=len(headers)),
            max_size=6,
        )
    )
    out = io.StringIO()
    Console(out=out, err=io.StringIO(), width=columns).table(headers, rows)
    assert all(width(line) <= columns for line in out.getvalue().splitlines())


@settings(max_examples=200, deadline=None)
@given(text=cell_text, size=st.integers(2, 30))
def test_wrapping_a_cell_keeps_every_character_in_order_within_the_width(text, size):
    lines = _wrap(text, size)
    assert "".join(lines) == text
    assert all(width(line) <= size for line in lines)


def test_output_to_a_file_or_pipe_is_not_wrapped(tmp_path, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    folder = month_end(tmp_path / "ledgers")
    _, out, _ = run("validate", folder, "--base", street(tmp_path), "--lang", "zh")
    assert "身份证号校验位不对（最后一位），请核对号码（列“身份证号”）" in out
    assert max(width(line) for line in out.splitlines()) > 80


def test_the_month_end_scenario_fails_match_with_the_same_chinese_report(tmp_path):
    # The same ledgers, the visited person named in two columns (姓名 + 身份证后四位),
    # read by a command that needs the data: the report goes to standard error.
    folder = month_end(tmp_path / "ledgers")
    write_csv(
        folder / "巡访台账.csv",
        [
            ["编号", "巡访日期", "站点", "社区", "巡访对象", "身份证后四位", "备注"],
            ["v01", "2024-03-05", "ts", "兴隆街社区", "张三", ZHANG_1[-4:], "电话回访"],
            ["v02", "2024-03-06", "ts", "华一坡社区", "李四", "", ""],
        ],
    )
    code, out, err = run("match", folder, "--base", street(tmp_path), "--lang", "zh")
    assert code == EXIT_INVALID_DATA
    assert out == ""
    assert "身份证号校验位不对（最后一位），请核对号码（列“身份证号”）" in err
    assert "日期不存在：2 月没有 30 日（列“认定日期”）" in err
    assert "已被拒收（服务对象.xlsx[服务对象] 第 5 行）" in err
    assert "巡访台账.csv" in err
    assert "wushe: 错误：" in err
    assert "身份证后四位" not in err  # the digits column is read, not reported
    for english in ("Field required", "Input should", "issue(s)", "row "):
        assert english not in err
    assert "李四" not in err
    assert ZHANG_1[-4:] not in err
