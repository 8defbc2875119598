"""match_actuals() with the station hierarchy as ``network=`` (#15)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import datasets
from wushe import examples
from wushe.evaluation import match_actuals
from wushe.matching import match
from wushe.network import StationNetwork


@settings(max_examples=20)
@given(datasets(max_recipients=6), st.data())
def test_a_scoped_network_counts_the_needs_its_stations_cover_as_by_hand(ds, data):
    network = StationNetwork.from_dataset(ds)
    top = data.draw(st.sampled_from(network.station_ids), label="scope")
    street = network.subnetwork(top)
    plan = match(ds.needs, ds)
    home = {r.recipient_id: r.community_id for r in ds.recipients}
    inside = network.descendants(top) | {top}
    by_hand = [
        n.need_id
        for n in ds.needs
        if network.station_for_community(n.community_id or home[n.recipient_id])
        in inside
    ]
    assert match_actuals(plan, network=street) == match_actuals(plan, need_ids=by_hand)


def test_the_whole_network_counts_every_need_of_a_covered_district():
    ds = examples.load("qixinggang")
    plan = match(ds.needs, ds)
    network = StationNetwork.from_dataset(ds)
    assert match_actuals(plan, network=network) == match_actuals(plan)


@pytest.mark.parametrize("wrong", [{"c1": "ts1"}, ["hub"], "hub"])
def test_anything_but_a_station_network_is_refused_naming_the_parameter(wrong):
    plan = match([], [])
    with pytest.raises(TypeError, match=r"^match_actuals\(network=\.\.\.\) takes"):
        match_actuals(plan, network=wrong)
