"""Ledgers typed the way a street station's clerk types them (#14)."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wushe.exceptions import WusheError
from wushe.io import LoadIssue, export_ledgers, ledger_report, load_ledgers
from wushe.io._cell_text import (
    format_consents,
    format_roles,
    parse_consents,
    parse_roles,
)
from wushe.io._messages import MESSAGES, translate
from wushe.vocab import ConsentPurpose, LawfulBasis

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(first17: str) -> str:
    """A valid resident ID number with the given first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def wrong_check(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


ZHANG_1 = resident_id("50010319410315022")
ZHANG_2 = resident_id("50010319520611013")
LI = resident_id("50010319470101012")


def base() -> dict[str, Any]:
    """A street with two communities and one station, as a dataset mapping."""
    return {
        "name": "重庆市渝中区七星岗街道",
        "division_code": "500103001",
        "divisions": [
            {"division_code": "500103001", "name": "七星岗街道", "synthetic_code": True}
        ],
        "communities": [
            {
                "community_id": "c01",
                "name": "兴隆街社区",
                "division_code": "500103001001",
            },
            {
                "community_id": "c02",
                "name": "华一坡社区",
                "division_code": "500103001002",
            },
        ],
        "stations": [
            {
                "station_id": "ts",
                "name": "七星岗街道社工站",
                "level": "乡镇（街道）社工站",
                "division_code": "500103001",
            }
        ],
    }


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]], merges: list[str]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = path.stem
    for row in rows:
        sheet.append(row)
    for span in merges:
        sheet.merge_cells(span)
    book.save(path)
    return path


RECIPIENTS = [
    ["t01", "张三", ZHANG_1, "兴隆街社区"],
    ["t02", "张三", ZHANG_2, "华一坡社区"],
    ["t03", "李四", LI, "c02"],
]


def every_message(report: Any) -> str:
    return "\n".join([*(str(i) for i in report.issues), *report.notes])


# --- two-row headers ---------------------------------------------------------------------


def test_a_group_label_row_over_the_headers_is_read_as_one_header_in_csv(tmp_path):
    path = write_csv(
        tmp_path / "服务对象.csv",
        [
            ["序号", "基本信息", "", "", "社区", "备注"],
            ["", "编号", "姓名", "身份证号", "", ""],
            *[[str(n), *r, "独居"] for n, r in enumerate(RECIPIENTS, 1)],
        ],
    )
    report = ledger_report(path, base=base())
    assert report.ok, report.summary()
    assert report.loaded["recipients"] == 3
    assert any("two-row header on rows 1–2" in n for n in report.notes)


def test_merged_cells_over_the_headers_are_read_as_one_header_in_xlsx(tmp_path):
    rows: list[list[Any]] = [
        ["序号", "基本信息", None, None, "所属社区", "备注"],
        [None, "编号", "姓名", "身份证号", None, None],
        *[[n, *r, None] for n, r in enumerate(RECIPIENTS, 1)],
    ]
    path = write_xlsx(
        tmp_path / "服务对象.xlsx", rows, ["B1:D1", "A1:A2", "E1:E2", "F1:F2"]
    )
    report = ledger_report(path, base=base())
    assert report.ok, report.summary()
    assert report.loaded["recipients"] == 3


def test_a_header_merged_down_is_found_when_the_upper_row_is_mostly_group_labels(
    tmp_path,
):
    # The upper row: two group labels and one header merged down, so less than half of
    # it are headers and the lower row is found first.
    path = write_csv(
        tmp_path / "服务对象.csv",
        [
            ["基本信息", "", "证件信息", "所属社区"],
            ["编号", "姓名", "身份证号", ""],
            *RECIPIENTS,
        ],
    )
    report = ledger_report(path, base=base())
    assert report.ok, report.summary()


def test_a_title_row_above_a_one_row_header_is_not_taken_for_a_header_row(tmp_path):
    path = write_csv(
        tmp_path / "服务对象.csv",
        [
            ["2024年3月服务对象台账", "", "", ""],
            ["编号", "姓名", "身份证号", "社区"],
            *RECIPIENTS,
        ],
    )
    report = ledger_report(path, base=base())
    assert report.ok, report.summary()
    assert not any("two-row" in n for n in report.notes)
    assert any("header on row 2" in n for n in report.notes)


def test_a_first_data_row_is_never_read_as_a_second_header_row(tmp_path):
    path = write_csv(
        tmp_path / "服务对象.csv", [["编号", "姓名", "身份证号", "社区"], *RECIPIENTS]
    )
    report = ledger_report(path, base=base())
    assert report.loaded["recipients"] == 3
    assert report.ok, report.summary()


# --- references by what a clerk types ------------------------------------------------------


def visits(tmp_path: Path, typed: list[str]) -> Path:
    return write_csv(
        tmp_path / "巡访台账.csv",
        [
            ["编号", "巡访日期", "站点", "社区", "巡访对象"],
            *[
                [f"v{n}", "2024-03-01", "ts", "兴隆街社区", who]
                for n, who in enumerate(typed, 1)
            ],
        ],
    )


def recipients_file(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "服务对象.csv", [["编号", "姓名", "身份证号", "社区"], *RECIPIENTS]
    )


def test_a_community_typed_by_its_name_becomes_its_id(tmp_path):
    ds = load_ledgers(recipients_file(tmp_path), base=base())
    assert [r.community_id for r in ds.recipients] == ["c01", "c02", "c02"]


def test_a_recipient_typed_by_name_and_id_digits_becomes_its_id(tmp_path):
    files = [
        recipients_file(tmp_path),
        visits(tmp_path, ["李四", f"张三/{ZHANG_2[-4:]}"]),
    ]
    ds = load_ledgers(files, base=base())
    assert [sorted(a.recipient_ids) for a in ds.activities] == [["t03"], ["t02"]]


def test_a_name_shared_by_two_recipients_is_ambiguous_and_never_echoed(tmp_path):
    files = [recipients_file(tmp_path), visits(tmp_path, ["张三"])]
    report = ledger_report(files, base=base(), lang="zh")
    [issue] = report.issues
    assert (issue.code, issue.row, issue.column) == ("ambiguous_name", 2, "巡访对象")
    assert "张三/1234" in issue.message  # the example, not the typed name
    assert "张三" not in issue.message.replace("张三/1234", "")


def test_an_unknown_name_is_reported_without_echoing_it(tmp_path):
    files = [recipients_file(tmp_path), visits(tmp_path, ["王麻子", "张三/9999"])]
    report = ledger_report(files, base=base())
    assert [i.code for i in report.issues] == ["unknown_name", "unknown_name"]
    assert "王麻子" not in every_message(report)
    assert "9999" not in every_message(report)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    name=st.text(
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        min_size=2,
        max_size=4,
    ),
    digits=st.none() | st.from_regex(r"\A[0-9]{4}\Z"),
)
def test_a_name_typed_into_a_reference_column_never_appears_in_a_message(
    tmp_path, name, digits
):
    typed = name if digits is None else f"{name}/{digits}"
    files = [recipients_file(tmp_path), visits(tmp_path, [typed])]
    for lang in ("en", "zh"):
        report = ledger_report(files, base=base(), lang=lang)
        text = every_message(report)
        assert name not in text
        if digits is not None and report.issues:
            assert digits not in text


def test_a_row_number_column_without_an_id_column_gets_a_hint(tmp_path):
    path = write_csv(
        tmp_path / "服务对象.csv",
        [["序号", "姓名", "身份证号", "社区"], ["1", "张三", ZHANG_1, "c01"]],
    )
    report = ledger_report(path, base=base(), lang="zh")
    hint = next(i for i in report.issues if i.code == "row_number_only")
    assert "“'序号'”是行号" in hint.message or "序号" in hint.message
    assert "编号" in hint.message
    english = ledger_report(path, base=base())
    hint = next(i for i in english.issues if i.code == "row_number_only")
    assert "'序号' is a row number; the ledger needs 编号" in hint.message


# --- rows that refer to a rejected row -----------------------------------------------------


def test_a_reference_to_a_rejected_row_points_at_that_row(tmp_path):
    path = write_csv(
        tmp_path / "服务对象.csv",
        [
            ["编号", "姓名", "身份证号", "社区"],
            ["t01", "张三", wrong_check(ZHANG_1), "c01"],
        ],
    )
    files = [path, visits(tmp_path, ["t01"])]
    report = ledger_report(files, base=base())
    pointer = next(i for i in report.issues if i.collection == "activities")
    assert pointer.code == "rejected_reference"
    assert "refers to recipients 't01', which was rejected at 服务对象.csv row 2" in (
        pointer.message
    )
    assert "not in the dataset" not in every_message(report)


def test_a_reference_to_a_missing_row_still_says_not_in_the_dataset(tmp_path):
    files = [recipients_file(tmp_path), visits(tmp_path, ["t99"])]
    [issue] = ledger_report(files, base=base()).issues
    assert issue.code == "unknown_reference"
    assert "not in the dataset" in issue.message


# --- messages in Chinese, with the column ---------------------------------------------------


def zh_issues(tmp_path: Path, rows: list[list[str]]) -> list[LoadIssue]:
    path = write_csv(tmp_path / "服务对象.csv", rows)
    return list(ledger_report(path, base=base(), lang="zh").issues)


def test_an_impossible_date_is_reported_as_impossible_not_too_short(tmp_path):
    [issue] = zh_issues(
        tmp_path,
        [["编号", "姓名", "社区", "认定日期"], ["t01", "张三", "c01", "2023/2/30"]],
    )
    assert (issue.code, issue.field, issue.column) == (
        "impossible_date",
        "assessed_on",
        "认定日期",
    )
    assert issue.message == "日期不存在：2 月没有 30 日（列“认定日期”）"


def test_a_missing_required_cell_is_reported_in_chinese_with_its_column(tmp_path):
    [issue] = zh_issues(
        tmp_path, [["编号", "姓名", "社区"], ["t01", "", "c01"], ["t02", "李四", "c01"]]
    )
    assert issue.row == 2
    assert issue.code == "missing"
    assert "Field required" not in issue.message
    assert issue.message.startswith("必填")


def test_an_enum_error_lists_the_choices_by_their_chinese_labels(tmp_path):
    [issue] = zh_issues(
        tmp_path,
        [["编号", "姓名", "社区", "性别"], ["t01", "张三", "c01", "不详了"]],
    )
    assert issue.code == "enum"
    assert "可选：男、女" in issue.message
    assert "'male'" not in issue.message


def test_a_wrong_check_digit_is_reported_in_chinese_with_its_column(tmp_path):
    [issue] = zh_issues(
        tmp_path,
        [
            ["编号", "姓名", "社区", "身份证号"],
            ["t01", "张三", "c01", wrong_check(ZHANG_1)],
        ],
    )
    assert issue.column == "身份证号"
    assert issue.message == "身份证号校验位不对（最后一位），请核对号码（列“身份证号”）"


def test_a_record_level_rule_names_the_columns_of_the_fields_it_concerns(tmp_path):
    [issue] = zh_issues(
        tmp_path,
        [
            ["编号", "姓名", "社区", "身份证号", "出生日期"],
            ["t01", "张三", "c01", ZHANG_1, "1950-01-01"],
        ],
    )
    assert issue.field == ""
    assert issue.column == "身份证号、出生日期"
    assert "出生日期与身份证号" in issue.message


def test_every_table_entry_with_values_reads_them_from_its_english_message():
    samples = {
        "greater_than_equal": "Input should be greater than or equal to 0",
        "string_too_short": "String should have at least 1 character",
        "impossible_date": "not a real date: month 2 has no day 30",
        "unknown_reference": "refers to recipients id 'p1', which is not in the dataset",
        "duplicate_id": "recipient_id 'p1' is used by more than one record",
        "unknown_column": "column '电话2' does not map to any field of Recipient; add",
        "row_number_only": "'序号' is a row number; the ledger needs 编号",
    }
    for code, english in samples.items():
        text = translate(code, english, "zh")
        assert text != english, code
        assert "{" not in text, code
    assert set(samples) <= set(MESSAGES)


# --- exporting text an Excel workbook cannot hold ---------------------------------------------


def test_a_control_character_refuses_the_xlsx_export_naming_record_and_field(tmp_path):
    pytest.importorskip("openpyxl")
    ds = load_ledgers(recipients_file(tmp_path), base=base())
    communities = tuple(
        c.model_copy(update={"name": "兴隆\x00街社区"})
        if c.community_id == "c01"
        else c
        for c in ds.communities
    )
    ds = ds.model_copy(update={"communities": communities})
    pattern = r"record 'c01', field 'name' \(column '社区名称'\).*U\+0000"
    with pytest.raises(WusheError, match=pattern) as raised:
        export_ledgers(ds, tmp_path / "out.xlsx", kinds=["communities"])
    assert "兴隆" not in str(raised.value)
    assert not (tmp_path / "out.xlsx").exists()
    [written] = export_ledgers(ds, tmp_path / "out.csv", kinds=["communities"]).paths
    assert "\x00" in written.read_text(encoding="utf-8-sig")


# --- roles and consents as plain text --------------------------------------------------------


def needs_file(tmp_path: Path, roles: str, consents: str = "") -> list[Path]:
    people = write_csv(
        tmp_path / "服务对象.csv",
        [
            ["编号", "姓名", "身份证号", "社区", "知情同意"],
            ["t01", "张三", ZHANG_1, "c01", consents],
        ],
    )
    needs = write_csv(
        tmp_path / "服务需求.csv",
        [
            ["需求编号", "服务对象", "服务类别", "所需角色", "登记日期"],
            ["n01", "t01", "社会救助", roles, "2024-03-01"],
        ],
    )
    return [people, needs]


def test_roles_typed_as_plain_text_are_read(tmp_path):
    text = "主责社工（中级）、志愿者2名（已审查）、社会组织、资金500元"
    ds = load_ledgers(needs_file(tmp_path, text), base=base())
    roles = [r.model_dump(mode="json") for r in ds.needs[0].roles]
    assert roles == [
        {"role": "lead_social_worker", "min_qualification": "intermediate"},
        {"role": "volunteers", "count": 2, "vetted_only": True},
        {"role": "social_organization"},
        {"role": "resource", "resource_kind": "funds", "amount": "500", "unit": "元"},
    ]


def test_roles_typed_in_english_are_read_the_same(tmp_path):
    zh = load_ledgers(needs_file(tmp_path, "社工1名、志愿者2名"), base=base())
    en = load_ledgers(
        needs_file(tmp_path, "lead_social_worker, volunteers 2"), base=base()
    )
    assert zh.needs[0].roles == en.needs[0].roles


@pytest.mark.parametrize(
    "text", ["社工2名", "志愿者2名（随便）", "资金", "主责社工（博士）", "厨师3名"]
)
def test_a_role_that_breaks_the_grammar_names_its_item_in_chinese(tmp_path, text):
    report = ledger_report(
        needs_file(tmp_path, f"社会组织、{text}"), base=base(), lang="zh"
    )
    [issue] = report.issues
    assert (issue.code, issue.column) == ("bad_roles", "所需角色")
    assert issue.message.startswith("第 2 项角色看不懂")


def test_consents_typed_as_plain_text_are_read(tmp_path):
    text = (
        "同意 2024/3/1 用途 向志愿者提供 撤回 2024-06-01；"
        "法定职责 2023-01-02 用途 探访关爱 至 2025-01-01 编号 民政部门巡访制度"
    )
    ds = load_ledgers(needs_file(tmp_path, "社会组织", text), base=base())
    consents = [
        c.model_dump(mode="json", exclude_defaults=True)
        for c in ds.recipients[0].consents
    ]
    assert consents == [
        {
            "purpose": "share_with_volunteers",
            "valid_from": "2024-03-01",
            "withdrawn_on": "2024-06-01",
        },
        {
            "purpose": "care_visit",
            "basis": "statutory_duty",
            "valid_from": "2023-01-02",
            "expires_on": "2025-01-01",
            "reference": "民政部门巡访制度",
        },
    ]


def test_consents_typed_in_english_are_read_the_same(tmp_path):
    zh = "监护人同意 2024-03-01 用途 社工个案服务 由 监护人（祖母） 撤回 2024-06-01"
    en = "guardian_consent 2024-03-01 for casework by 监护人（祖母） withdrawn 2024-06-01"
    first = load_ledgers(needs_file(tmp_path, "社会组织", zh), base=base())
    second = load_ledgers(needs_file(tmp_path, "社会组织", en), base=base())
    assert first.recipients[0].consents == second.recipients[0].consents
    given_by = first.recipients[0].consents[0].given_by
    assert given_by is not None
    assert given_by.text(reveal=True) == "监护人（祖母）"


@pytest.mark.parametrize(
    "text",
    [
        "单独同意 2024-03-01 用途 探访关爱",  # the old kinds are no basis
        "同意 2024-03-01",  # no purpose
        "同意 2024-03-01 用途 匹配",  # not a purpose
        "同意 2024-03-01 用途 探访关爱 撤回",  # a keyword with nothing after it
        "同意 2024-03-01 用途 探访关爱 由 张三 由 李四",  # a keyword twice
        "同意 三月一日 用途 探访关爱",
    ],
)
def test_a_consent_that_breaks_the_grammar_names_its_item_not_its_text(tmp_path, text):
    report = ledger_report(
        needs_file(tmp_path, "社会组织", f"同意 2024-01-01 用途 探访关爱；{text}"),
        base=base(),
    )
    issue = report.issues[0]
    assert issue.code == "bad_consents"
    assert "item 2" in issue.message
    assert "张三" not in str(report)
    assert "李四" not in str(report)


def test_a_consent_the_model_refuses_is_reported_on_its_column(tmp_path):
    report = ledger_report(
        needs_file(tmp_path, "社会组织", "紧急情况 2024-03-01 用途 探访关爱"),
        base=base(),
        lang="zh",
    )
    assert report.issues[0].column == "知情同意"


def test_a_consent_with_an_impossible_date_is_reported_as_such(tmp_path):
    report = ledger_report(
        needs_file(tmp_path, "社会组织", "同意 2024-02-30 用途 探访关爱"), base=base()
    )
    issue, pointer = report.issues
    assert issue.code == "bad_consents"
    assert "month 2 has no day 30" in issue.message
    assert pointer.code == "rejected_reference"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_roles_and_consents_export_in_the_grammar_and_read_back(tmp_path, lang):
    text = "监护人同意 2024-03-01 用途 社工服务 由 监护人；法定职责 2024-01-01 用途 转介 编号 救助条例"
    roles = "主责社工（高级）、志愿者3名、物资20箱"
    ds = load_ledgers(needs_file(tmp_path, roles, text), base=base())
    out = tmp_path / "out"
    export_ledgers(ds, out, kinds=["recipients", "needs"], reveal=True, lang=lang)
    written = "\n".join(p.read_text(encoding="utf-8-sig") for p in out.iterdir())
    assert ("志愿者3名" if lang == "zh" else "volunteers 3") in written
    assert "{" not in written
    again = load_ledgers(out, base=base())
    assert again.needs == ds.needs
    assert again.recipients == ds.recipients


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(1, 50),
    vetted=st.booleans(),
    amount=st.decimals(min_value="0.01", max_value="99999", places=2),
    unit=st.sampled_from(["", "元", "CNY", "小时", "box", "份1", "(箱)", "、"]),
    given_by=st.one_of(
        st.text(
            st.characters(categories=["Lo", "Ll", "Nd", "Zs", "Po"]),
            min_size=1,
            max_size=12,
        ),
        st.lists(
            st.sampled_from(["监护人", "（母亲）", "由", "by", "至", "Ref", "；", " "]),
            min_size=1,
            max_size=4,
        ).map("".join),
    ),
    basis=st.sampled_from(list(LawfulBasis)),
    purpose=st.sampled_from(list(ConsentPurpose)),
    lang=st.sampled_from(["zh", "en"]),
)
def test_what_the_grammar_writes_it_reads_back_or_it_writes_nothing(
    count, vetted, amount, unit, given_by, basis, purpose, lang
):
    roles = [
        {"role": "volunteers", "count": count, "vetted_only": vetted},
        {
            "role": "resource",
            "resource_kind": "goods",
            "amount": str(amount),
            "unit": unit,
        },
    ]
    text = format_roles(roles, lang)
    if text is not None:
        back = parse_roles(text)
        assert int(back[0]["count"]) == count
        assert back[0]["vetted_only"] == vetted
        assert Decimal(back[1]["amount"]) == amount
        assert back[1]["unit"] == unit
    consent = {
        "basis": basis.value,
        "purpose": purpose.value,
        "valid_from": "2024-03-01",
        "given_by": given_by,
        "reference": given_by,
    }
    written = format_consents([consent], lang)
    if written is not None:
        [read] = parse_consents(written)
        assert (read["basis"], read["purpose"]) == (basis.value, purpose.value)
        assert read["given_by"] == read["reference"] == given_by
    elif given_by.strip() and " ".join(given_by.split()) == given_by:
        keywords = (
            "用途",
            "for",
            "由",
            "by",
            "撤回",
            "withdrawn",
            "至",
            "until",
            "编号",
        )
        assert any(w.casefold() in (*keywords, "ref") for w in given_by.split()) or any(
            c in given_by for c in "；;\n"
        )


# --- the month-end scenario ----------------------------------------------------------------


def month_end(folder: Path) -> Path:
    """A recipients workbook as a clerk keeps it, and a visits ledger naming people."""
    folder.mkdir()
    rows: list[list[Any]] = [
        ["2024年3月服务对象台账", None, None, None, None, None, None],
        ["序号", "基本信息", None, None, "所在社区", "认定日期", "备注"],
        [None, "编号", "姓名", "身份证号", None, None, None],
        [1, "t01", "张三", ZHANG_1, "兴隆街社区", "2024/2/29", "独居"],
        [2, "t02", "李四", wrong_check(LI), "华一坡社区", "2024-03-01", None],
        [3, "t03", "王五", ZHANG_2, "华一坡社区", "2023/2/30", "子女在外地"],
    ]
    merges = ["A1:G1", "B2:D2", "A2:A3", "E2:E3", "F2:F3", "G2:G3"]
    write_xlsx(folder / "服务对象.xlsx", rows, merges)
    write_csv(
        folder / "巡访台账.csv",
        [
            ["编号", "巡访日期", "站点", "社区", "巡访对象"],
            ["v01", "2024-03-05", "ts", "兴隆街社区", f"张三/{ZHANG_1[-4:]}"],
            ["v02", "2024-03-06", "ts", "华一坡社区", "李四"],
        ],
    )
    return folder


def test_the_month_end_ledgers_are_reported_in_chinese_by_file_row_and_column(tmp_path):
    report = ledger_report(month_end(tmp_path / "ledgers"), base=base(), lang="zh")
    found = [
        (Path(i.file).name, i.row, i.column, i.code, i.message) for i in report.issues
    ]
    assert found == [
        (
            "服务对象.xlsx[服务对象]",
            5,
            "身份证号",
            "value_error",
            "身份证号校验位不对（最后一位），请核对号码（列“身份证号”）",
        ),
        (
            "服务对象.xlsx[服务对象]",
            6,
            "认定日期",
            "impossible_date",
            "日期不存在：2 月没有 30 日（列“认定日期”）",
        ),
        (
            "巡访台账.csv",
            3,
            "巡访对象",
            "rejected_reference",
            (
                "引用的服务对象编号 't02' 已被拒收（服务对象.xlsx[服务对象] 第 5 行），"
                "请先改正那一行（列“巡访对象”）"
            ),
        ),
    ]
    text = every_message(report)
    for secret in ("李四", "王五", LI, wrong_check(LI), "独居"):
        assert secret not in text
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in n) for n in report.notes)
    assert not any(" row" in n or "skipped" in n for n in report.notes)


def test_every_message_of_a_messy_ledger_is_chinese_under_zh(tmp_path):
    messy = write_csv(
        tmp_path / "服务对象.csv",
        [
            [
                "序号",
                "姓名",
                "身份证号",
                "社区",
                "性别",
                "出生日期",
                "电话2",
                "",
                "认定日期",
            ],
            [
                "1",
                "",
                wrong_check(ZHANG_1),
                "c09",
                "不详了",
                "1950-13-01",
                "x",
                "",
                "2023/2/30",
            ],
            ["2", "李四", "123", "王麻子社区", "男", "昨天", "", "y", "2024-01-01"],
        ],
    )
    visits_file = visits(tmp_path, ["t01", "p99"])
    report = ledger_report([messy, visits_file], base=base(), lang="zh")
    assert len(report.issues) > 8
    for issue in report.issues:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in issue.message), issue
        for english in (" the ", "should", "Field", "Input", "Value error", "refers"):
            assert english not in issue.message, issue
