"""The seed localities' example data says only what its seed says (#13)."""

from __future__ import annotations

import pytest

from wushe import examples
from wushe.models import Dataset
from wushe.vocab import ActivityType, OrganizationType, RegistrationMode, StationLevel

LOCALITIES = ("jinniu", "qianfeng", "jiulong", "wengan", "qixinggang")
# GB/T 10114-2003 township blocks of the NBS code (DOMAIN.md §12.3).
BLOCKS = {"街道": range(1, 100), "镇": range(100, 200), "乡": range(200, 400)}


def dataset(name: str) -> Dataset:
    return examples.load(name)


@pytest.mark.parametrize("name", LOCALITIES)
def test_synthetic_township_codes_sit_in_the_block_of_their_kind(name):
    ds = dataset(name)
    townships = [d for d in ds.divisions if len(d.division_code) == 9]
    assert townships
    for division in townships:
        kind = next(k for k in ("街道", "镇", "乡") if division.name.endswith(k))
        assert int(division.division_code[6:]) in BLOCKS[kind], division.name


def test_qianfeng_school_rows_are_neither_care_visits_nor_group_work():
    ds = dataset("qianfeng")
    schools = {s.station_id for s in ds.stations if s.level is StationLevel.SCHOOL}
    rows = {a.title: a.activity_type for a in ds.activities if a.station_id in schools}
    assert rows["知识讲座"] is ActivityType.LECTURE
    assert rows["日常探访"] is ActivityType.NEEDS_ASSESSMENT


def test_qianfeng_school_stations_report_to_one_street_station_only():
    ds = dataset("qianfeng")
    for station in ds.stations:
        if station.level is StationLevel.SCHOOL:
            assert len(station.parent_ids) == 1


@pytest.mark.parametrize(
    ("name", "station_id"),
    [("qixinggang", "qxg-ts"), ("jiulong", "jl-ts"), ("jinniu", "jn-hub")],
)
def test_stations_whose_seed_says_nothing_of_six_haves_declare_nothing(
    name, station_id
):
    station = next(s for s in dataset(name).stations if s.station_id == station_id)
    assert not station.criteria_met


def test_qixinggang_publicity_week_is_social_work_theme_publicity():
    ds = dataset("qixinggang")
    types = {
        a.activity_type for a in ds.activities if "宣传" in a.title or "问答" in a.title
    }
    assert ActivityType.POLICY_PUBLICITY not in types
    assert ActivityType.SOCIAL_WORK_PUBLICITY in types


def test_jiulong_community_groups_are_filed_without_legal_personality():
    groups = [
        o
        for o in dataset("jiulong").organizations
        if o.org_type is OrganizationType.COMMUNITY_GROUP
    ]
    assert len(groups) == 138
    assert {o.registration for o in groups} == {RegistrationMode.FILED}
