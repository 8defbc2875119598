"""#15: care takes the station hierarchy one way, as ``network=StationNetwork``.

A network built from one station's subtree (:meth:`StationNetwork.subnetwork`) gives what the
district's network gives, with the stations outside the subtree filtered out by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.care.strategies import worlds
from tests.strategies import AS_OF
from wushe.care import (
    VISIT_PURPOSES,
    care_records,
    overdue,
    plan_visits,
    schedule,
    visit_needs,
    visit_rates,
    warnings,
)
from wushe.matching import MatchPolicy, MatchRole, match
from wushe.models import Dataset, Period, Recipient
from wushe.network import StationNetwork

MONTH = Period(start=AS_OF + timedelta(days=1), end=AS_OF + timedelta(days=31))


def _cut(station_id: str | None, network: StationNetwork) -> str | None:
    """A station id as a network that holds only some stations reports it."""
    return station_id if station_id in network else None


def _by_hand(
    ds: Dataset, whole: StationNetwork, street: StationNetwork
) -> dict[str, str | None]:
    """Each recipient's responsible station, looked up in the district's network by hand
    and kept only when the scoped network holds it."""
    return {
        r.recipient_id: _cut(whole.station_for_community(r.community_id), street)
        for r in ds.recipients
    }


@st.composite
def scoped_worlds(draw: st.DrawFn) -> tuple[Any, ...]:
    ds, visits = draw(worlds())
    network = StationNetwork.from_dataset(ds)
    top = draw(st.sampled_from(network.station_ids), label="scope")
    return ds, visits, network, network.subnetwork(top)


@settings(max_examples=25)
@given(scoped_worlds())
def test_schedule_and_overdue_in_a_scoped_network_name_only_its_stations(world):
    ds, visits, network, street = world
    station = _by_hand(ds, network, street)
    for engine in (schedule, overdue):
        whole = engine(ds.recipients, visits, as_of=AS_OF)
        by_hand = [(d.recipient_id, station[d.recipient_id]) for d in whole]
        got = engine(ds.recipients, visits, as_of=AS_OF, network=street)
        assert [(d.recipient_id, d.station_id) for d in got] == by_hand


@settings(max_examples=25)
@given(scoped_worlds())
def test_care_records_in_a_scoped_network_name_only_its_stations(world):
    ds, visits, network, street = world
    station = _by_hand(ds, network, street)
    whole = care_records(ds.recipients, visits, as_of=AS_OF)
    got = care_records(ds.recipients, visits, as_of=AS_OF, network=street)
    for mine, theirs in zip(got, whole, strict=True):
        assert mine.due == attrs.evolve(
            theirs.due, station_id=station[theirs.recipient.recipient_id]
        )


@settings(max_examples=25)
@given(scoped_worlds())
def test_warnings_in_a_scoped_network_name_only_its_stations(world):
    ds, visits, network, street = world
    station = _by_hand(ds, network, street)
    whole = warnings(ds.recipients, visits, as_of=AS_OF)
    by_hand = sorted(
        (w.recipient_id, w.code.value, w.since, station[w.recipient_id]) for w in whole
    )
    got = warnings(ds.recipients, visits, as_of=AS_OF, network=street)
    assert (
        sorted((w.recipient_id, w.code.value, w.since, w.station_id) for w in got)
        == by_hand
    )


@settings(max_examples=15)
@given(scoped_worlds())
def test_plan_visits_in_a_scoped_network_matches_with_that_network(world):
    ds, visits, network, street = world
    plan = plan_visits(
        ds.recipients, visits, ds, period=MONTH, network=street, roles=["volunteers"]
    )
    # By hand: schedule with the network, turn due visits into needs, match with it.
    due = schedule(ds.recipients, visits, as_of=MONTH.start - timedelta(days=1),
                   network=street)  # fmt: skip
    policy = MatchPolicy()
    gated = policy.model_copy(
        update={"purposes": {**policy.purposes,
                             MatchRole.VOLUNTEER: VISIT_PURPOSES["volunteers"],
                             MatchRole.LEAD_SOCIAL_WORKER: VISIT_PURPOSES["lead_social_worker"]}}
    )  # fmt: skip
    by_hand = match(
        visit_needs(due, ds.recipients, period=MONTH),
        ds,
        recipients=ds.recipients,
        network=street,
        policy=gated,
        as_of=MONTH.start - timedelta(days=1),
        history=[],
    )
    assert plan.match_plans == (by_hand,)
    station = _by_hand(ds, network, street)
    [made] = plan.match_plans
    for visit in plan.visits:
        assert visit.station_id == station[visit.recipient_id]
        room = station[visit.recipient_id]
        path = () if room is None else street.path_to_root(room)
        assert made.linkage(visit.need_id).station_ids == path  # matched with it
    for left in plan.unassigned:
        assert left.station_id == station[left.recipient_id]


def _calls(recipients: list[Recipient]) -> dict[str, Callable[[Any], object]]:
    period = Period(start=AS_OF, end=AS_OF)
    return {
        "schedule": lambda n: schedule(recipients, [], as_of=AS_OF, network=n),
        "overdue": lambda n: overdue(recipients, [], as_of=AS_OF, network=n),
        "warnings": lambda n: warnings(recipients, [], as_of=AS_OF, network=n),
        "care_records": lambda n: care_records(recipients, [], as_of=AS_OF, network=n),
        "visit_rates": lambda n: visit_rates(recipients, [], periods=[period], network=n),
        "plan_visits": lambda n: plan_visits(recipients, [], [], period=period, network=n),
    }  # fmt: skip


@pytest.mark.parametrize(
    "wrong",
    [{"c1": "ts1"}, ["hub"], "hub", lambda _c: "ts1", Dataset(name="区", division_code="510106")],
    ids=["mapping", "list", "str", "function", "dataset"],
)  # fmt: skip
@pytest.mark.parametrize("engine", sorted(_calls([])))
def test_anything_but_a_station_network_is_refused_naming_the_parameter(engine, wrong):
    with pytest.raises(TypeError, match=rf"^{engine}\(network=\.\.\.\) takes a wushe"):
        _calls([])[engine](wrong)


@pytest.mark.parametrize("old", ["station_of", "stations"])
def test_the_old_keywords_are_gone(old):
    old_call: Callable[..., object] = schedule
    with pytest.raises(TypeError, match=old):
        old_call([], [], as_of=AS_OF, **{old: None})
