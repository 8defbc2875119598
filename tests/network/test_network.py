from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from hypothesis import given

from tests.network.strategies import rich_datasets
from wushe import examples
from wushe.codes import division_contains
from wushe.exceptions import StationNetworkError
from wushe.io import load_dataset
from wushe.models import Dataset, Station
from wushe.network import StationNetwork
from wushe.vocab import StationLevel, StationStatus

QIXINGGANG = examples.path("qixinggang.json")


def street(*stations: dict[str, Any], communities: int = 2) -> Dataset:
    return Dataset.model_validate(
        {
            "name": "七星岗街道",
            "division_code": "500103",
            "divisions": [
                {"division_code": "500103", "name": "渝中区"},
                {"division_code": "500103001", "name": "七星岗街道"},
                {"division_code": "500103002", "name": "解放碑街道"},
            ],
            "communities": [
                {
                    "community_id": f"c{i}",
                    "name": f"社区{i}",
                    "division_code": f"500103001{i:03d}",
                }
                for i in range(1, communities + 1)
            ]
            + [
                {
                    "community_id": "x1",
                    "name": "外街社区",
                    "division_code": "500103002001",
                }
            ],
            "stations": list(stations),
        }
    )


HUB = {
    "station_id": "hub",
    "name": "总站",
    "level": "county",
    "division_code": "500103",
}
TS = {
    "station_id": "ts",
    "name": "街道社工站",
    "level": "township",
    "division_code": "500103001",
    "parent_ids": ["hub"],
}


def room(sid: str, n: int, *parents: str, **extra: Any) -> dict[str, Any]:
    return {
        "station_id": sid,
        "name": f"社工室{n}",
        "level": "village",
        "division_code": f"500103001{n:03d}",
        "parent_ids": list(parents),
        "community_ids": [f"c{n}"],
        **extra,
    }


def test_structure_of_the_qixinggang_street():
    net = StationNetwork.from_dataset(load_dataset(QIXINGGANG))
    assert net.roots == ("qxg-ts",)
    assert len(net.children("qxg-ts")) == 8
    assert net.parent("qxg-ts") is None
    assert net.path_to_root("qxg-r05") == ("qxg-r05", "qxg-ts")
    assert net.station_ids == tuple(sorted(net.station_ids))
    assert nx.is_frozen(net.graph)
    assert net.graph.nodes["qxg-ts"]["station"].name == "七星岗街道社工站"


def test_jurisdiction_of_a_street_station_is_its_communities():
    net = StationNetwork.from_dataset(street(HUB, TS, room("r1", 1, "ts")))
    assert net.jurisdiction("ts") == {"c1", "c2"}
    assert net.jurisdiction("hub") == {"c1", "c2", "x1"}
    assert net.jurisdiction("r1") == {"c1"}


def test_station_for_community_is_the_lowest_built_station():
    planned = room("r2", 2, "ts", status="planned", planned_year=2025)
    net = StationNetwork.from_dataset(street(HUB, TS, room("r1", 1, "ts"), planned))
    assert net.station_for_community("c1") == "r1"
    assert net.station_for_community("c2") == "ts"  # r2 is only planned
    assert net.station_for_community("x1") == "hub"
    with pytest.raises(StationNetworkError, match="nope"):
        net.station_for_community("nope")


def test_several_roots_are_allowed():
    other = {**TS, "station_id": "ts2", "division_code": "500103002", "parent_ids": []}
    net = StationNetwork.from_dataset(street({**TS, "parent_ids": []}, other))
    assert net.roots == ("ts", "ts2")


def test_rejects_a_cycle_naming_the_stations():
    a = {**TS, "station_id": "a", "parent_ids": ["b"]}
    b = {**TS, "station_id": "b", "parent_ids": ["a"]}
    with pytest.raises(StationNetworkError, match=r"cycle: (a → b → a|b → a → b)"):
        StationNetwork.from_dataset(street(a, b))


def test_rejects_a_room_above_a_room():
    with pytest.raises(StationNetworkError, match="r2 sits under village station r1"):
        StationNetwork.from_dataset(
            street(HUB, TS, room("r1", 1, "ts"), room("r2", 1, "r1"))
        )


def test_rejects_a_street_station_under_a_community_room():
    # Dataset's own area check would catch this; build without it to reach the network's.
    stations = (
        Station(
            station_id="r1",
            name="社工室",
            level=StationLevel.VILLAGE,
            division_code="500103001001",
        ),
        Station(
            station_id="ts",
            name="社工站",
            level=StationLevel.TOWNSHIP,
            division_code="500103001",
            parent_ids=("r1",),
        ),
    )
    ds = street().model_copy(update={"stations": stations})
    with pytest.raises(
        StationNetworkError, match="township station ts sits under village station r1"
    ):
        StationNetwork.from_dataset(ds)


def test_rejects_a_room_whose_community_lies_in_another_street():
    stations = (
        Station(
            station_id="ts",
            name="社工站",
            level=StationLevel.TOWNSHIP,
            division_code="500103001",
        ),
        Station(
            station_id="r1",
            name="社工室",
            level=StationLevel.VILLAGE,
            division_code="500103001001",
            parent_ids=("ts",),
            community_ids=("x1",),
        ),
    )
    ds = street().model_copy(update={"stations": stations})
    with pytest.raises(StationNetworkError, match=r"r1 .* serves community x1"):
        StationNetwork.from_dataset(ds)


def test_rejects_a_geographic_station_with_two_parents():
    with pytest.raises(StationNetworkError, match=r"r1 lists 2 parents \(ts, hub\)"):
        StationNetwork.from_dataset(street(HUB, TS, room("r1", 1, "ts", "hub")))


def test_rejects_a_child_under_a_school_station():
    school = {
        "station_id": "sch",
        "name": "学校社工站",
        "level": "school",
        "division_code": "500103001",
        "parent_ids": ["ts"],
    }
    with pytest.raises(
        StationNetworkError, match=r"school station sch .* child station r1"
    ):
        StationNetwork.from_dataset(street(HUB, TS, school, room("r1", 1, "sch")))


def test_rejects_an_attached_station_serving_outside_its_parents_area():
    elderly = {
        "station_id": "eld",
        "name": "养老机构社工站",
        "level": "elderly_institution",
        "division_code": "500103001",
        "parent_ids": ["ts"],
        "community_ids": ["x1"],
    }
    with pytest.raises(StationNetworkError, match="eld serves community x1"):
        StationNetwork.from_dataset(street(HUB, TS, elderly))


def test_an_attached_station_may_report_to_two_parents():
    school = {
        "station_id": "sch",
        "name": "学校社工站",
        "level": "school",
        "division_code": "500103001",
        "parent_ids": ["ts", "hub"],
        "community_ids": ["c1"],
    }
    net = StationNetwork.from_dataset(street(HUB, TS, school))
    assert net.parent("sch") == "ts"
    assert net.parents("sch") == ("ts", "hub")
    assert net.children("hub") == ("sch", "ts")
    assert net.jurisdiction("sch") == {"c1"}
    assert net.ancestors("sch") == {"ts", "hub"}


def test_unknown_station_is_an_error_naming_it():
    net = StationNetwork.from_dataset(street(HUB, TS))
    with pytest.raises(StationNetworkError, match="'zz'"):
        net.children("zz")


@given(rich_datasets())
def test_paths_follow_primary_parents_to_a_root(ds):
    net = StationNetwork.from_dataset(ds)
    for sid in net:
        path = net.path_to_root(sid)
        assert path[0] == sid
        assert path[-1] in net.roots
        assert len(path) == net.depth(sid) + 1
        assert set(path[1:]) <= net.ancestors(sid)
        assert net.descendants(sid) == nx.descendants(net.graph, sid)
        assert net.ancestors(sid) == nx.ancestors(net.graph, sid)


@given(rich_datasets())
def test_the_station_for_a_community_covers_it_and_nothing_lower_does(ds):
    net = StationNetwork.from_dataset(ds)
    for c in ds.communities:
        sid = net.station_for_community(c.community_id)
        if sid is None:
            continue
        station = net.station(sid)
        assert station.status is StationStatus.BUILT
        assert c.community_id in net.jurisdiction(sid)
        lower = [
            s
            for s in net.stations
            if s.level.is_geographic
            and s.level.rank > station.level.rank
            and s.status is StationStatus.BUILT
            and c.community_id in net.jurisdiction(s.station_id)
        ]
        assert lower == []


def test_building_leaves_the_garbage_collector_as_it_found_it():
    import gc  # noqa: PLC0415

    ds = street(HUB, TS, room("r1", 1, "ts"))
    assert gc.isenabled()
    StationNetwork.from_dataset(ds).coverage()
    assert gc.isenabled()
    gc.disable()
    try:
        StationNetwork.from_dataset(ds).rollup()
        assert not gc.isenabled()
    finally:
        gc.enable()


@given(rich_datasets())
def test_stations_containing_a_code_are_those_whose_area_holds_it_lowest_first(ds):
    net = StationNetwork.from_dataset(ds)
    codes = {c.division_code for c in ds.communities} | {
        s.division_code for s in ds.stations
    }
    for code in sorted(codes):
        found = net.stations_containing(code)
        expected = {
            s.station_id
            for s in ds.stations
            if s.level.is_geographic and division_contains(s.division_code, code)
        }
        assert set(found) == expected
        ranks = [net.station(sid).level.rank for sid in found]
        assert ranks == sorted(ranks, reverse=True)
    for s in net.stations:
        if s.level.is_geographic:
            for community in ds.communities:
                holds = s.station_id in net.stations_containing(community.division_code)
                assert holds == (
                    community.community_id in net.jurisdiction(s.station_id)
                )


def test_stations_containing_breaks_a_tie_by_the_smallest_id_and_skips_attached():
    school = {
        "station_id": "a-sch",
        "name": "学校社工站",
        "level": "school",
        "division_code": "500103001",
        "parent_ids": ["ts"],
    }
    twin = {**TS, "station_id": "a-ts", "parent_ids": ["hub"]}
    net = StationNetwork.from_dataset(street(HUB, TS, twin, school))
    assert net.stations_containing("500103001001") == ("a-ts", "ts", "hub")
    assert net.stations_containing("500103002001") == ("hub",)
    assert net.stations_containing("510106") == ()
