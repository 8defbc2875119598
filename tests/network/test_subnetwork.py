"""A station's subnetwork holds that station and what is below it, and nothing else."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.network.strategies import rich_datasets
from tests.network.test_network import HUB, TS, street
from wushe import examples
from wushe.exceptions import StationNetworkError
from wushe.models import Dataset
from wushe.network import StationNetwork, calendar_periods


def _pick(draw: st.DrawFn, ds: Dataset) -> tuple[StationNetwork, str]:
    network = StationNetwork.from_dataset(ds)
    return network, draw(st.sampled_from(network.station_ids))


@given(rich_datasets(), st.data())
def test_rolling_up_a_subnetwork_equals_its_stations_rollup_in_the_whole(ds, data):
    network, top = _pick(data.draw, ds)
    part = network.subnetwork(top)
    for periods in (None, calendar_periods(2023)):
        whole = network.rollup(period=periods)
        mine = part.rollup(period=periods)
        expected = [r for sid in part.station_ids for r in whole.rows(sid)]
        assert list(mine.rows()) == expected


@given(rich_datasets(), st.data())
def test_walking_a_subnetwork_never_reaches_a_station_outside(ds, data):
    network, top = _pick(data.draw, ds)
    part = network.subnetwork(top)
    inside = network.descendants(top) | {top}
    assert set(part.station_ids) == inside
    assert part.roots == (top,)
    assert {s.station_id for s in part.dataset.stations} == inside
    assert {a.station_id for a in part.dataset.activities} <= inside
    assert set(part.graph.nodes) == inside
    assert all(u in inside and v in inside for u, v in part.graph.edges)
    for sid in part:
        reached = {
            *part.parents(sid),
            *part.children(sid),
            *part.ancestors(sid),
            *part.descendants(sid),
            *part.path_to_root(sid),
        }
        assert reached <= inside
        assert part.path_to_root(sid)[-1] == top or part.station(sid).parent_ids == ()
    for community_id in part.jurisdiction(top):
        found = part.station_for_community(community_id)
        assert found is None or found in inside


@given(rich_datasets(), st.data())
def test_a_geographic_station_covers_the_same_communities_in_its_subnetwork(ds, data):
    network, top = _pick(data.draw, ds)
    part = network.subnetwork(top)
    for sid in part:
        if part.station(sid).level.is_geographic:
            assert part.jurisdiction(sid) == network.jurisdiction(sid)
        else:  # an attached station keeps what lies in the parents it still has
            assert part.jurisdiction(sid) <= network.jurisdiction(sid)


@given(rich_datasets())
def test_the_subnetwork_of_a_lone_root_is_the_same_network(ds):
    network = StationNetwork.from_dataset(ds)
    if len(network.roots) != 1:
        return
    [root] = network.roots
    part = network.subnetwork(root)
    assert part.stations == network.stations
    assert sorted(part.graph.edges) == sorted(network.graph.edges)


def test_a_school_station_under_the_hub_too_keeps_the_parent_inside_and_its_area():
    school = {
        "station_id": "sch",
        "name": "学校社工站",
        "level": "school",
        "division_code": "500103001",
        "parent_ids": ["hub", "ts"],
        "community_ids": ["c1", "x1"],  # x1 lies in the hub's area, not the street's
    }
    network = StationNetwork.from_dataset(street(HUB, TS, school))
    part = network.subnetwork("ts")
    assert (part.parents("sch"), part.jurisdiction("sch")) == (
        ("ts",),
        frozenset({"c1"}),
    )
    assert part.parent("ts") is None
    assert network.parents("sch") == ("hub", "ts")  # the whole network is unchanged
    assert network.jurisdiction("sch") == {"c1", "x1"}
    assert part.standard == network.standard
    assert part.dataset.communities == network.dataset.communities  # not cut


def test_the_subnetwork_of_an_unknown_station_is_an_error_naming_it():
    network = StationNetwork.from_dataset(examples.load("qixinggang"))
    with pytest.raises(StationNetworkError, match="no station 'nowhere'"):
        network.subnetwork("nowhere")
