from __future__ import annotations

import pytest
from hypothesis import given

from tests.network.strategies import rich_datasets
from wushe import examples
from wushe.codes import division_contains
from wushe.models import Dataset, Station
from wushe.network import StationNetwork


def expected_jurisdiction(ds: Dataset, station: Station) -> set[str]:
    if station.level.is_geographic:
        return {
            c.community_id
            for c in ds.communities
            if division_contains(station.division_code, c.division_code)
        }
    return set(station.community_ids)


@given(rich_datasets())
def test_scope_never_yields_a_record_outside_the_jurisdiction(ds):
    net = StationNetwork.from_dataset(ds)
    residents = {r.recipient_id: r.community_id for r in ds.recipients}
    for station in ds.stations:
        view = net.scope(station.station_id)
        area = expected_jurisdiction(ds, station)
        below = {station.station_id} | {
            s.station_id
            for s in ds.stations
            if station.station_id in net.ancestors(s.station_id)
        }
        assert view.community_ids == area
        assert view.station_ids == below
        assert all(c.community_id in area for c in view.communities)
        assert all(s.station_id in below for s in view.stations)
        assert all(r.community_id in area for r in view.recipients)
        assert all(residents[n.recipient_id] in area for n in view.needs)
        assert all(
            a.station_id in below or a.community_id in area for a in view.activities
        )
        assert all(w.station_id in below for w in view.workers)
        assert all(v.home_community_id in area for v in view.volunteers)
        assert all(t.community_id in area for t in view.teams)
        assert all(r.community_id in area for r in view.resources)
        operators = {s.operator_id for s in ds.stations if s.station_id in below}
        assert all(
            o.home_community_id in area or o.organization_id in operators
            for o in view.organizations
        )
        # ...and it misses nothing that belongs.
        assert len(view.recipients) == sum(
            r.community_id in area for r in ds.recipients
        )
        assert len(view.activities) == sum(
            a.station_id in below or a.community_id in area for a in ds.activities
        )
        assert len(view.workers) == sum(w.station_id in below for w in ds.workers)


def test_scope_is_read_only():
    from wushe.io import load_dataset  # noqa: PLC0415

    net = StationNetwork.from_dataset(load_dataset(examples.path("qixinggang.json")))
    view = net.scope("qxg-r01")
    with pytest.raises(AttributeError, match="read-only"):
        view.community_ids = frozenset({"qxg-c02"})
    assert "dataset" not in dir(view)
    assert [c.community_id for c in view.communities] == ["qxg-c01"]
    assert "qxg-r01" in repr(view)
