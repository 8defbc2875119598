"""A city tier above the county hubs: 成都's four-level network (四级网络, seed 002)."""

from __future__ import annotations

from datetime import date
from typing import Any

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from wushe.exceptions import DatasetError, StationNetworkError
from wushe.models import Dataset, Station
from wushe.network import PERSON_TIMES, StationNetwork, coverage, rollup
from wushe.vocab import StationLevel

CITY = "510100"
COUNTIES = ("510104", "510105", "510106", "510107", "510108")
# Another city of the same province, whose county hub is a root of its own.
ELSEWHERE = "510302"


@st.composite
def four_level_datasets(draw: st.DrawFn) -> Dataset:
    """A province-level dataset: 成都's city centre over 1–3 counties, and one county of
    another city without a city centre; activities anywhere, the city's own included."""
    counties = draw(
        st.lists(st.sampled_from(COUNTIES), min_size=1, max_size=3, unique=True)
    )
    divisions: list[dict[str, Any]] = [
        {"division_code": "510000", "name": "四川省"},
        {"division_code": CITY, "name": "成都市"},
        {"division_code": "510300", "name": "自贡市"},
    ]
    stations: list[dict[str, Any]] = [
        {"station_id": "city", "name": "成都市社会工作服务指导中心", "level": "city",
         "division_code": CITY},
    ]  # fmt: skip
    communities: list[dict[str, Any]] = []
    for county in (*counties, ELSEWHERE):
        hub = f"hub{county}"
        divisions.append({"division_code": county, "name": f"区{county}"})
        parents = ["city"] if county.startswith("5101") else []
        stations.append({"station_id": hub, "name": f"{county}社工总站", "level": "county",
                         "division_code": county, "parent_ids": parents})  # fmt: skip
        for s in range(1, draw(st.integers(1, 2)) + 1):
            street = f"{county}{s:03d}"
            divisions.append({"division_code": street, "name": f"街道{street}"})
            stations.append({"station_id": f"ts{street}", "name": f"街道{street}社工站",
                             "level": "township", "division_code": street,
                             "parent_ids": [hub]})  # fmt: skip
            for c in range(1, draw(st.integers(1, 2)) + 1):
                code = f"{street}{c:03d}"
                cid = f"c{code}"
                communities.append(
                    {"community_id": cid, "name": f"社区{code}", "division_code": code}
                )
                if draw(st.booleans()):
                    stations.append({"station_id": f"r{code}", "name": f"社区{code}社工室",
                                     "level": "village", "division_code": code,
                                     "parent_ids": [f"ts{street}"], "community_ids": [cid]})  # fmt: skip
    ids = [s["station_id"] for s in stations]
    activities = [
        {"activity_id": f"a{i}", "activity_type": "community_event", "held_on": date(2023, 5, 1),
         "station_id": draw(st.sampled_from(ids)), "person_times": draw(st.integers(0, 500))}
        for i in range(draw(st.integers(0, 12)))
    ]  # fmt: skip
    return Dataset.model_validate(
        {
            "name": "四川省（合成）",
            "division_code": "510000",
            "as_of": date(2023, 12, 31),
            "divisions": divisions,
            "communities": communities,
            "stations": stations,
            "activities": activities,
        }
    )


@given(four_level_datasets())
def test_a_city_county_street_community_network_builds_with_the_city_on_top(ds):
    net = StationNetwork.from_dataset(ds)
    assert net.roots == ("city", f"hub{ELSEWHERE}")
    assert nx.is_directed_acyclic_graph(net.graph)
    for s in net.stations:
        if s.level is StationLevel.COUNTY and s.division_code.startswith("5101"):
            assert net.parent(s.station_id) == "city"
        if s.level is StationLevel.VILLAGE:
            path = net.path_to_root(s.station_id)
            levels = [net.station(p).level for p in path]
            assert levels[-1] in (StationLevel.CITY, StationLevel.COUNTY)
            if levels[-1] is StationLevel.CITY:
                assert len(path) == 4  # room → street → county → city


def count(value: object) -> int:
    assert isinstance(value, int)
    return value


@given(four_level_datasets())
def test_the_city_rolls_up_exactly_the_sum_of_its_counties_and_its_own_rows(ds):
    net = StationNetwork.from_dataset(ds)
    result = rollup(net, metrics=(PERSON_TIMES,))
    own = {
        sid: sum(a.person_times for a in ds.activities if a.station_id == sid)
        for sid in net
    }
    counties = net.children("city")
    assert result.total("city", PERSON_TIMES) == own["city"] + sum(
        count(result.total(c, PERSON_TIMES)) for c in counties
    )
    assert result.total("city", PERSON_TIMES) == sum(
        own[s] for s in net.descendants("city") | {"city"}
    )
    assert result.grand_total(PERSON_TIMES) == sum(own.values())


@given(four_level_datasets())
def test_a_scope_at_the_city_sees_its_counties_only(ds):
    net = StationNetwork.from_dataset(ds)
    view = net.scope("city")
    mine = {
        c.community_id for c in ds.communities if c.division_code.startswith("5101")
    }
    assert view.community_ids == mine
    assert {c.community_id for c in view.communities} == mine
    assert all(s.division_code.startswith("5101") for s in view.stations)
    assert f"hub{ELSEWHERE}" not in view.station_ids
    counties = {
        s.division_code for s in view.stations if s.level is StationLevel.COUNTY
    }
    assert counties == {
        s.division_code for s in ds.stations if s.level is StationLevel.COUNTY
    } - {ELSEWHERE}
    below = view.station_ids
    assert all(a.station_id in below for a in view.activities)


@given(four_level_datasets())
def test_coverage_counts_the_city_tier_and_a_community_falls_to_the_city_last(ds):
    net = StationNetwork.from_dataset(ds)
    (city_row,) = [r for r in coverage(net).rows if r.level is StationLevel.CITY]
    assert city_row.built == ("city",)
    assert city_row.communities == sum(
        1 for c in ds.communities if c.division_code.startswith("5101")
    )
    for c in ds.communities:
        lowest = net.station_for_community(c.community_id)
        assert lowest is not None
        assert lowest != "city"


def city_station(**extra: Any) -> dict[str, Any]:
    return {"station_id": "city", "name": "成都市社会工作服务指导中心", "level": "city",
            "division_code": CITY} | extra  # fmt: skip


def test_a_city_centre_sits_on_a_prefecture_code_and_has_no_parent():
    assert Station.model_validate(city_station()).level is StationLevel.CITY
    with pytest.raises(ValidationError, match="地级"):
        Station.model_validate(city_station(division_code="510106"))
    with pytest.raises(ValidationError, match="no parent"):
        Station.model_validate(city_station(parent_ids=["province"]))


def test_the_city_tier_parses_its_chinese_names():
    assert StationLevel("市级社会工作服务指导中心") is StationLevel.CITY
    assert StationLevel("市社会工作服务指导中心") is StationLevel.CITY
    assert StationLevel.CITY.rank < StationLevel.COUNTY.rank


def _net(stations: list[dict[str, Any]]) -> StationNetwork:
    ds = Dataset.model_validate(
        {
            "name": "成都市（合成）",
            "division_code": CITY,
            "divisions": [
                {"division_code": CITY, "name": "成都市"},
                {"division_code": "510106", "name": "金牛区"},
                {"division_code": "510106001", "name": "街道"},
            ],
            "communities": [
                {"community_id": "c1", "name": "社区", "division_code": "510106001001"}
            ],
            "stations": stations,
        }
    )
    return StationNetwork.from_dataset(ds)


def test_a_county_hub_cannot_sit_above_the_city_centre():
    stations = [
        {"station_id": "hub", "name": "金牛区社工总站", "level": "county",
         "division_code": "510106"},
        city_station(parent_ids=[]),
    ]  # fmt: skip
    assert _net(stations).roots == ("city", "hub")  # two roots is fine
    with pytest.raises(ValidationError):
        Station.model_validate(city_station(parent_ids=["hub"]))


def test_a_county_hub_outside_the_city_cannot_hang_under_it():
    stations = [
        city_station(),
        {"station_id": "hub", "name": "金牛区社工总站", "level": "county",
         "division_code": "510106", "parent_ids": ["city"]},
        {"station_id": "far", "name": "外市社工总站", "level": "county",
         "division_code": "511504", "parent_ids": ["city"]},
    ]  # fmt: skip
    with pytest.raises(DatasetError, match="outside parent city's area 510100"):
        _net(stations)


def test_a_street_station_may_sit_directly_under_the_city_centre():
    stations = [
        city_station(),
        {"station_id": "ts", "name": "街道社工站", "level": "township",
         "division_code": "510106001", "parent_ids": ["city"]},
    ]  # fmt: skip
    net = _net(stations)  # a street directly under the city is allowed (a tier skipped)
    assert net.parent("ts") == "city"
    assert net.jurisdiction("city") == frozenset({"c1"})


def test_a_county_hub_may_hang_under_the_city_only_not_under_a_street():
    stations: list[dict[str, Any]] = [
        {"station_id": "ts", "name": "街道社工站", "level": "township",
         "division_code": "510106001"},
        {"station_id": "hub", "name": "金牛区社工总站", "level": "county",
         "division_code": "510106", "parent_ids": ["ts"]},
    ]  # fmt: skip
    with pytest.raises((StationNetworkError, DatasetError), match="outside parent ts"):
        _net(stations)
