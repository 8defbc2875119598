from __future__ import annotations

import pytest
from hypothesis import given

from tests.network.strategies import rich_datasets
from tests.network.test_network import HUB, TS, room, street
from tests.pinning import digest
from wushe import examples
from wushe.exceptions import StationNetworkError
from wushe.network import StationNetwork, coverage
from wushe.vocab import StationLevel


def test_counts_built_planned_and_gaps_per_tier():
    planned_ts = {
        **TS,
        "station_id": "ts2",
        "division_code": "500103002",
        "status": "planned",
        "planned_year": 2025,
    }
    net = StationNetwork.from_dataset(street(HUB, TS, room("r1", 1, "ts"), planned_ts))
    cov = coverage(net)
    county = cov.summary(StationLevel.COUNTY)
    assert (county.areas, county.built, county.rate) == (1, 1, 1.0)
    towns = cov.summary(StationLevel.TOWNSHIP)
    assert (towns.areas, towns.built, towns.planned, towns.gaps) == (2, 1, 1, ())
    assert towns.planned_by_year == ((2025, 1),)
    assert towns.rate == 0.5
    assert towns.planned_rate == 1.0
    rooms = cov.summary(StationLevel.VILLAGE)
    assert (rooms.areas, rooms.built, rooms.gaps) == (3, 1, ("c2", "x1"))
    street_row = next(
        r for r in cov.of(StationLevel.TOWNSHIP) if r.area_id == "500103001"
    )
    assert (street_row.communities, street_row.communities_with_room) == (2, 1)
    assert street_row.room_rate == 0.5
    assert [r.area_id for r in cov.gaps] == ["c2", "x1"]


def test_a_street_level_dataset_is_not_reported_missing_its_hub():
    ds = street({**TS, "parent_ids": []}).model_copy(
        update={"division_code": "500103001"}
    )
    cov = coverage(StationNetwork.from_dataset(ds))
    with pytest.raises(KeyError):
        cov.summary(StationLevel.COUNTY)
    assert cov.summary(StationLevel.TOWNSHIP).areas == 1


def test_within_restricts_to_one_street_and_must_lie_inside():
    net = StationNetwork.from_dataset(street(HUB, TS, room("r1", 1, "ts")))
    cov = net.coverage(within="500103001")
    assert cov.summary(StationLevel.VILLAGE).areas == 2
    with pytest.raises(StationNetworkError, match="510106"):
        coverage(net, within="510106")


@given(rich_datasets())
def test_every_community_is_covered_exactly_when_a_built_room_serves_it(ds):
    net = StationNetwork.from_dataset(ds)
    cov = coverage(net)
    rows = {r.area_id: r for r in cov.of(StationLevel.VILLAGE)}
    assert set(rows) == {c.community_id for c in ds.communities}
    for c in ds.communities:
        served = any(
            s.level is StationLevel.VILLAGE
            and (
                s.division_code == c.division_code or c.community_id in s.community_ids
            )
            for s in ds.stations
        )
        assert rows[c.community_id].covered == served
    summary = cov.summary(StationLevel.VILLAGE)
    assert summary.built + summary.planned + len(summary.gaps) == summary.areas


@pytest.mark.parametrize(
    ("seed", "pinned"),
    [("jinniu", "4eca0f395f8be514"), ("qixinggang", "67f6b692948ce573")],
)
def test_seed_coverage_is_pinned(seed: str, pinned: str) -> None:
    net = StationNetwork.from_dataset(examples.load(seed))
    assert digest(coverage(net)) == pinned
