"""Ledgers of the station's own records, with Chinese and English headers."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings

from tests.io.test_tables import QXG, header_of, write_csv
from tests.strategies import station_records
from wushe.io import export_ledgers, ledger_report, load_dataset, load_ledgers
from wushe.vocab import CasePhase, Department, HouseholdStatus, ReferralStatus


def test_chinese_case_session_and_referral_ledgers_load(tmp_path):
    write_csv(
        tmp_path / "个案台账.csv",
        [
            ["个案编号", "案主", "主责社工", "所属站点", "阶段记录", "结案原因"],
            [
                "k1",
                "qxg-p01",
                "qxg-w02",
                "qxg-r02",
                "接案 2022-03-01；预估 2022-03-08；计划 2022-03-15",
                "",
            ],
            [
                "k2",
                "qxg-p02",
                "qxg-w02",
                "qxg-ts",
                "接案 2022年3月2日；结案 2022年3月20日",
                "服务对象退出",
            ],
        ],
    )
    write_csv(
        tmp_path / "个案服务记录.csv",
        [
            ["编号", "所属个案", "服务日期", "时长（分钟）", "服务内容"],
            ["s1", "k1", "2022/3/9", "60", "入户访谈"],
            ["s2", "k1", "2022/3/16", "45", "制定计划"],
        ],
    )
    write_csv(
        tmp_path / "转介记录.csv",
        [
            ["转介编号", "服务对象", "转出站点", "转介部门", "转介日期", "转介状态"],
            ["r1", "qxg-p02", "qxg-ts", "残联", "2022-03-10", "已转介"],
        ],
    )
    ds = load_ledgers(tmp_path, base=load_dataset(QXG))
    cases = {c.case_id: c for c in ds.cases}
    assert cases["k1"].phase is CasePhase.PLANNING
    assert cases["k2"].closed_on == date(2022, 3, 20)
    assert [s.duration_minutes for s in ds.case_sessions] == [60, 45]
    (referral,) = ds.referrals
    assert referral.unit is Department.DISABLED_PERSONS_FEDERATION
    assert referral.status is ReferralStatus.SENT


def test_english_household_supervision_and_training_ledgers_load(tmp_path):
    write_csv(
        tmp_path / "households.csv",
        [
            ["household_id", "community_id", "member_ids", "head_id", "statuses"],
            ["h1", "qxg-c02", "qxg-p01", "qxg-p01", "dibao 2020-01-01~2021-12-31"],
        ],
    )
    write_csv(
        tmp_path / "supervisions.csv",
        [
            ["supervision_id", "held_on", "station_id", "hours", "mode", "station_ids"],
            ["sv1", "2022-03-01", "qxg-ts", "2", "field", "qxg-r01, qxg-r02"],
        ],
    )
    write_csv(
        tmp_path / "trainings.csv",
        [
            ["training_id", "title", "held_on", "station_id", "hours", "person_times"],
            ["t1", "Social assistance theory", "2022-03-05", "qxg-ts", "3", "90"],
        ],
    )
    ds = load_ledgers(tmp_path, base=load_dataset(QXG))
    (household,) = ds.households
    assert household.statuses_on(date(2021, 6, 1)) == {HouseholdStatus.DIBAO}
    assert ds.supervisions[0].station_ids == {"qxg-r01", "qxg-r02"}
    assert ds.trainings[0].attendances == 90


def test_bad_record_rows_are_reported_with_row_and_field_but_no_note(tmp_path):
    ledger = write_csv(
        tmp_path / "个案服务记录.csv",
        [
            ["编号", "所属个案", "服务日期", "时长（分钟）", "服务内容"],
            ["s1", "ghost", "2022-03-09", "60", "独居老人近期情绪低落"],
            ["s2", "ghost", "2022-03-09", "0", "独居老人近期情绪低落"],
        ],
    )
    report = ledger_report(ledger, base=load_dataset(QXG))
    assert not report.ok
    found = {(i.row, i.field, i.code) for i in report.issues}
    assert any(row == 3 and field == "duration_minutes" for row, field, _ in found)
    assert "独居老人" not in report.summary()


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ds=station_records())
def test_revealed_record_ledgers_round_trip(tmp_path_factory, ds):
    folder = tmp_path_factory.mktemp("records")
    export_ledgers(ds, folder, reveal=True)
    report = ledger_report(folder, base=header_of(ds))
    assert report.dataset == ds, report.summary()


@settings(max_examples=5, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ds=station_records())
def test_revealed_record_workbook_round_trips(tmp_path_factory, ds):
    book = tmp_path_factory.mktemp("records-xlsx") / "台账.xlsx"
    export_ledgers(ds, book, reveal=True)
    report = ledger_report(book, base=header_of(ds))
    assert report.dataset == ds, report.summary()
