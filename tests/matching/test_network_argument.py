"""Matching takes the hierarchy one way: ``network=`` a StationNetwork or nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.matching.test_same_person import volunteering_recipient, worker_world
from wushe import examples
from wushe.exceptions import MatchingError
from wushe.matching import (
    CloneActor,
    Scenario,
    apply_plan,
    build_candidates,
    match,
    simulate,
)
from wushe.network import StationNetwork


@pytest.mark.parametrize(
    "call",
    [
        lambda ds, net: match(ds.needs, ds, network=net),
        lambda ds, net: build_candidates(ds.needs, ds, network=net),
        lambda ds, net: simulate(ds.needs, ds, [], network=net),
        lambda ds, net: apply_plan(ds.needs, ds, match(ds.needs, ds), network=net),
    ],
    ids=["match", "build_candidates", "simulate", "apply_plan"],
)
@pytest.mark.parametrize("wrong", ["dataset", "graph", "station_ids"])
def test_refuses_a_network_that_is_not_a_station_network(call, wrong):
    ds = examples.load("qixinggang")
    net = StationNetwork.from_dataset(ds)
    given = {"dataset": ds, "graph": net.graph, "station_ids": net.station_ids}[wrong]
    with pytest.raises(MatchingError, match="StationNetwork"):
        call(ds, given)


def test_network_is_keyword_only():
    ds = examples.load("qixinggang")
    net = StationNetwork.from_dataset(ds)
    positional: Any = match
    with pytest.raises(TypeError):
        positional(ds.needs, ds, net)


def test_plans_list_each_needs_stations_only_with_a_network():
    ds = examples.load("qixinggang")
    net = StationNetwork.from_dataset(ds)
    with_net = match(ds.needs, ds, network=net)
    without = match(ds.needs, ds)
    need = ds.needs[0].need_id
    assert without.linkage(need).station_ids == ()
    stations = with_net.linkage(need).station_ids
    assert stations
    assert stations == net.path_to_root(stations[0])


def test_apply_opens_the_case_at_the_communitys_station_found_by_the_network():
    ds = worker_world()
    need = next(n for n in ds.needs if n.need_id == "n9")
    plan = match([need], ds)  # no network: the plan knows no station
    net = StationNetwork.from_dataset(ds)
    opened = date(2024, 3, 2)
    (case,) = apply_plan([need], ds, plan, network=net, as_of=opened).cases
    assert case.station_id == net.station_for_community(plan.linkage("n9").community_id)
    worker = ds.workers[0]
    without = apply_plan([need], ds, plan, as_of=opened)
    assert [c.station_id for c in without.cases] == (
        [worker.station_id] if worker.station_id else []
    )


def test_simulate_honours_a_datasets_person_links_as_match_does():
    ds = volunteering_recipient(linked=True)
    needs = [n for n in ds.needs if n.need_id == "n9"]
    other = ds.volunteers[0].volunteer_id
    sim = simulate(
        needs,
        ds,
        [Scenario(name="more", changes=(CloneActor(actor_id=other, copies=1),))],
    )
    assert sim.baseline == match(needs, ds)
    assert sim.baseline.assignments == ()
