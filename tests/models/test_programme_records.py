"""Honours, pilots, platform export rows, gatherings and the smaller additions (#12, #13)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.models.test_dataset import issues_of, minimal
from wushe.models import (
    Convening,
    Dataset,
    Honour,
    Pilot,
    Restriction,
    ServiceProject,
    VolunteerTeam,
)
from wushe.vocab import PilotPhase


def _honour(**extra: Any) -> dict[str, Any]:
    return {"honour_id": "h1", "kind": "brand", "title": "搭伙计划", **extra}


def test_a_brand_names_what_it_belongs_to():
    with pytest.raises(ValidationError, match="brand names"):
        Honour.model_validate(_honour())
    assert Honour.model_validate(_honour(station_id="ts")).station_id == "ts"


def test_a_demonstration_site_names_its_station():
    with pytest.raises(ValidationError, match="station_id"):
        Honour.model_validate(_honour(kind="示范站点", organization_id="o1"))


def test_an_honour_naming_an_unknown_station_is_reported_with_its_field():
    data = minimal(honours=[_honour(station_id="nowhere")])
    assert issues_of(data) == [("honours", "h1", "station_id", "unknown_reference")]


def test_prizes_parse_from_the_chinese_kind_and_need_no_owner():
    prize = Honour.model_validate(
        {"honour_id": "p", "kind": "获奖", "title": "论文一", "category": "论文"}
    )
    assert prize.kind.zh == "评选获奖"


# --- pilots -----------------------------------------------------------------------------


def _pilot(phases: Any, **extra: Any) -> dict[str, Any]:
    return {
        "pilot_id": "pl1",
        "programme": "乡镇（街道）社会工作服务站建设试点",
        "station_id": "ts",
        "phases": phases,
        **extra,
    }


def test_pilot_phases_read_from_one_ledger_cell():
    pilot = Pilot.model_validate(_pilot("试点 2021-06-01；常态化 2022-03-15"))
    assert pilot.phase_on(date(2021, 5, 31)) is None
    assert pilot.phase_on(date(2022, 3, 14)) is PilotPhase.PILOT
    assert pilot.phase_on(date(2022, 3, 15)) is PilotPhase.REGULAR


@pytest.mark.parametrize(
    "cell",
    [
        "常态化 2021-06-01；试点 2022-03-15",  # back to pilot
        "扩面 2021-06-01；常态化 2022-03-15",  # expansion stations were never pilots
        "试点 2022-06-01；常态化 2022-03-15",  # dates backwards
        "试点 2021-06-01；试点 2022-03-15",  # the same phase twice
    ],
)
def test_pilot_phases_move_only_from_pilot_to_regular_in_date_order(cell):
    with pytest.raises(ValidationError):
        Pilot.model_validate(_pilot(cell))


def test_a_pilot_needs_a_phase():
    with pytest.raises(ValidationError):
        Pilot.model_validate(_pilot([]))


def test_two_records_of_one_station_in_one_programme_are_reported():
    data = minimal(
        pilots=[
            _pilot("试点 2021-06-01"),
            _pilot("扩面 2022-04-01", pilot_id="pl2"),
        ]
    )
    assert issues_of(data) == [("pilots", "pl2", "station_id", "two_pilot_records")]


def test_a_pilot_of_an_unknown_station_is_reported():
    data = minimal(pilots=[_pilot("试点 2021-06-01", station_id="nowhere")])
    assert issues_of(data) == [("pilots", "pl1", "station_id", "unknown_reference")]


# --- teams, squads and the platform's export ---------------------------------------------


def _row(rid: str, start: str, end: str, team: str = "t1") -> dict[str, Any]:
    period = {"start": start, "end": end}
    return {
        "row_id": rid,
        "team_id": team,
        "period": period,
        "registered": 10,
        "hours": "5",
    }


def test_a_team_is_not_its_own_squad():
    with pytest.raises(ValidationError, match="squad of itself"):
        VolunteerTeam.model_validate(
            {"team_id": "t", "name": "队", "parent_team_id": "t"}
        )


def test_squads_in_a_loop_are_reported():
    teams = [
        {"team_id": "a", "name": "甲", "parent_team_id": "b"},
        {"team_id": "b", "name": "乙", "parent_team_id": "a"},
    ]
    found = issues_of(minimal(teams=teams))
    assert ("teams", "a", "parent_team_id", "squad_cycle") in found
    assert ("teams", "b", "parent_team_id", "squad_cycle") in found


def test_overlapping_export_rows_of_one_team_are_reported_so_hours_never_count_twice():
    rows = [
        _row("r1", "2020-01-01", "2020-12-31"),
        _row("r2", "2020-12-31", "2021-12-31"),
    ]
    data = minimal(teams=[{"team_id": "t1", "name": "队"}], volunteer_hours=rows)
    assert issues_of(data) == [
        ("volunteer_hours", "r2", "period", "overlapping_export")
    ]


def test_export_rows_of_different_teams_may_share_a_period():
    rows = [
        _row("r1", "2020-01-01", "2020-12-31"),
        _row("r2", "2020-01-01", "2020-12-31", team="t2"),
    ]
    teams = [{"team_id": "t1", "name": "队"}, {"team_id": "t2", "name": "队二"}]
    assert (
        len(
            Dataset.model_validate(
                minimal(teams=teams, volunteer_hours=rows)
            ).volunteer_hours
        )
        == 2
    )


# --- gatherings --------------------------------------------------------------------------


def _convening(*attendance: tuple[str, int]) -> dict[str, Any]:
    return {
        "convening_id": "m1",
        "kind": "视频会",
        "title": "推进视频会",
        "held_on": "2022-03-15",
        "organiser": "民政办",
        "division_code": "500103001",
        "attendance": [{"division_code": c, "count": n} for c, n in attendance],
    }


def test_a_gathering_counts_its_sign_ins_once_per_division():
    assert (
        Convening.model_validate(
            _convening(("500103001", 12), ("500103001001", 4))
        ).attendance_total
        == 16
    )
    with pytest.raises(ValidationError, match="twice"):
        Convening.model_validate(_convening(("500103001", 12), ("500103001", 4)))


def test_sign_ins_from_outside_the_locality_are_reported():
    data = minimal(convenings=[_convening(("500104001", 3))])
    assert issues_of(data) == [
        ("convenings", "m1", "attendance.division_code", "outside_locality")
    ]


# --- funds for social workers, activity organisations, cross-region projects -------------


def test_a_fund_for_social_workers_names_no_recipients():
    with pytest.raises(ValidationError, match="names no recipients"):
        Restriction.model_validate(
            {"for_social_workers": True, "target_groups": ["孤儿"]}
        )
    with pytest.raises(ValidationError, match="needs for_social_workers"):
        Restriction.model_validate({"beneficiary_worker_ids": ["w1"]})


def test_a_grant_to_an_unknown_worker_is_reported():
    fund = {
        "resource_id": "f1",
        "name": "社工关爱基金",
        "resource_kind": "funds",
        "total": "1000",
        "restriction": {"for_social_workers": True, "beneficiary_worker_ids": ["w9"]},
    }
    assert issues_of(minimal(resources=[fund])) == [
        ("resources", "f1", "restriction.beneficiary_worker_ids", "unknown_reference")
    ]


def test_an_activity_naming_an_unknown_organisation_is_reported():
    row = {
        "activity_id": "a1",
        "activity_type": "志愿服务",
        "held_on": "2022-03-19",
        "station_id": "ts",
        "organization_ids": ["o9"],
    }
    assert issues_of(minimal(activities=[row])) == [
        ("activities", "a1", "organization_ids", "unknown_reference")
    ]


def _project(funder_code: str | None) -> ServiceProject:
    return ServiceProject.model_validate(
        {
            "project_id": "p",
            "name": "帮扶项目",
            "funder": "海珠区乡村振兴局",
            "funder_division_code": funder_code,
            "operator_id": "o1",
            "budget": "0",
            "period": {"start": "2021-01-01", "end": "2022-12-31"},
            "origin": "引进",
        }
    )


def test_a_project_is_cross_region_only_when_its_purchaser_is_in_another_province():
    assert _project("440105").is_cross_region("522725")
    assert not _project("522701").is_cross_region("522725")
    assert not _project(None).is_cross_region("522725")


# --- round trip ---------------------------------------------------------------------------


HISTORIES = [
    [PilotPhase.PILOT],
    [PilotPhase.PILOT, PilotPhase.REGULAR],
    [PilotPhase.EXPANSION],
]


@given(
    st.sampled_from(HISTORIES),
    st.dates(date(2015, 1, 1), date(2030, 1, 1)),
    st.integers(0, 400),
)
def test_records_round_trip_through_json(phases, start, gap):
    entries = [
        {"phase": p, "entered_on": (start + timedelta(days=gap * k)).isoformat()}
        for k, p in enumerate(phases)
    ]
    pilot = Pilot.model_validate(_pilot(entries))
    data = minimal(
        pilots=[pilot.model_dump(mode="json")], honours=[_honour(station_id="ts")]
    )
    ds = Dataset.model_validate(data)
    assert Dataset.model_validate_json(ds.model_dump_json()) == ds
