"""What-if simulation equals re-running the match on the changed data (容量推演)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.matching.strategies import AS_OF, COMMUNITIES, worlds
from tests.matching.test_match import _recipient
from wushe import examples, load_dataset
from wushe.exceptions import MatchingError
from wushe.io import plan_to_dict
from wushe.matching import (
    AddActors,
    AmountChange,
    CapacityChange,
    CloneActor,
    MatchPolicy,
    Scenario,
    match,
    simulate,
)
from wushe.matching._simulate import _actor_id, _apply_change
from wushe.models import CharitableResource, Need
from wushe.vocab import ResourceKind


def _kwargs(world: dict[str, Any], policy: MatchPolicy) -> dict[str, Any]:
    return {
        "recipients": world["recipients"],
        "communities": world["communities"],
        "policy": policy,
        "as_of": AS_OF,
    }


@st.composite
def changes(draw: st.DrawFn, world: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    for actor in world["actors"]:
        aid = _actor_id(actor)
        if isinstance(actor, CharitableResource):
            if draw(st.booleans()):
                out.append(
                    AmountChange(resource_id=aid, add=Decimal(draw(st.integers(0, 4))))
                )
        elif draw(st.booleans()):
            out.append(CapacityChange(actor_id=aid, set_to=draw(st.integers(0, 3))))
        elif draw(st.booleans()):
            out.append(CloneActor(actor_id=aid, copies=draw(st.integers(1, 2))))
    return out


@given(st.data(), st.sampled_from(["exact", "greedy", "stable"]))
def test_simulation_equals_rerunning_match_on_the_changed_data(data, strategy):
    world = data.draw(worlds(max_needs=5))
    todo = data.draw(changes(world))
    policy = MatchPolicy(strategy=strategy)
    kwargs = _kwargs(world, policy)
    sim = simulate(
        world["needs"],
        world["actors"],
        [Scenario(name="s", changes=tuple(todo))],
        **kwargs,
    )
    pool = {_actor_id(a): a for a in world["actors"]}
    for c in todo:
        pool, _ = _apply_change(pool, c, "test")
    again = match(world["needs"], list(pool.values()), **kwargs)
    baseline = match(world["needs"], world["actors"], **kwargs)
    (out,) = sim.outcomes
    assert plan_to_dict(sim.baseline) == plan_to_dict(baseline)
    assert plan_to_dict(out.plan) == plan_to_dict(again)
    assert out.objective == again.objective - baseline.objective
    assert set(out.newly_met).isdisjoint(out.newly_unmet)


@given(worlds(max_needs=5, resources=False))
def test_capacity_only_scenarios_reuse_the_graph_and_still_equal_a_rerun(world):
    people = [
        a
        for a in world["actors"]
        if getattr(a, "caseload", None) or getattr(a, "capacity", 0)
    ]
    todo = [CapacityChange(actor_id=_actor_id(a), add=2) for a in people]
    kwargs = _kwargs(world, MatchPolicy())
    sim = simulate(
        world["needs"],
        world["actors"],
        [Scenario(name="s", changes=tuple(todo))],
        **kwargs,
    )
    pool = {_actor_id(a): a for a in world["actors"]}
    for c in todo:
        pool, _ = _apply_change(pool, c, "test")
    (out,) = sim.outcomes
    assert out.rebuilt is False
    assert plan_to_dict(out.plan) == plan_to_dict(
        match(world["needs"], list(pool.values()), **kwargs)
    )
    assert out.needs_met >= 0


def _four_elders_three_parcels() -> tuple[list[Need], list[Any], list[Any]]:
    elders = [
        _recipient(f"p{i}", "c21", date(1940, 1, 1 + i), {"elder_living_alone"})
        for i in range(4)
    ]
    needs = [
        Need.model_validate(
            {
                "need_id": f"n{i}",
                "recipient_id": f"p{i}",
                "category": "elderly_care",
                "roles": [
                    {"role": "resource", "resource_kind": "funds", "amount": "500"}
                ],
                "raised_on": AS_OF,
            }
        )
        for i in range(4)
    ]
    fund = CharitableResource(
        resource_id="f1",
        name="慈善资金",
        resource_kind=ResourceKind.FUNDS,
        total=Decimal(1500),
    )
    return needs, [fund], elders


def test_a_new_fund_or_a_top_up_meets_the_waiting_need_and_names_it():
    needs, actors, elders = _four_elders_three_parcels()
    arrival = CharitableResource(
        resource_id="f2",
        name="新到位慈善资金",
        resource_kind=ResourceKind.FUNDS,
        total=Decimal(50_000),
    )
    sim = simulate(
        needs,
        actors,
        [
            Scenario(name="fund", changes=(AddActors(actors=(arrival,)),)),
            Scenario(
                name="top-up",
                changes=(AmountChange(resource_id="f1", add=Decimal(500)),),
            ),
            Scenario(name="none", changes=()),
        ],
        recipients=elders,
        communities=COMMUNITIES,
        as_of=AS_OF,
    )
    (waiting,) = sim.baseline.unmatched
    fund_out, top_up, none_out = sim.outcomes
    # A new actor rebuilds the graph; a top-up that flips no balance rule reuses it.
    assert (fund_out.rebuilt, top_up.rebuilt) == (True, False)
    for out in (fund_out, top_up):
        assert (out.needs_met, out.roles_filled) == (1, 1)
        assert out.newly_met == (waiting.need_id,)
        assert out.per_community == (("c21", 1),)
    assert (none_out.needs_met, none_out.objective) == (0, 0)
    assert (none_out.newly_met, none_out.newly_unmet) == ((), ())


def test_unknown_actor_or_reused_id_is_a_clear_error():
    ds = load_dataset(examples.path("qixinggang.json"))
    bad = Scenario(name="bad", changes=(CapacityChange(actor_id="nobody", add=1),))
    with pytest.raises(
        MatchingError, match=r"scenario 'bad', change 1 \(capacity\).*'nobody'"
    ):
        simulate(ds.needs, ds, [bad])
    dup = Scenario(name="dup", changes=(AddActors(actors=(ds.workers[0],)),))
    with pytest.raises(MatchingError, match="already in use"):
        simulate(ds.needs, ds, [dup])
    with pytest.raises(ValueError, match="exactly one"):
        CapacityChange(actor_id="w1")


def test_per_station_and_per_community_counts_add_up_on_a_real_district():
    from wushe.network import StationNetwork  # noqa: PLC0415

    ds = load_dataset(examples.path("jinniu.json"))
    net = StationNetwork.from_dataset(ds)
    more = [
        CapacityChange(actor_id=w.worker_id, add=3) for w in ds.workers if w.caseload
    ]
    sim = simulate(
        ds.needs,
        ds,
        [Scenario(name="caseloads +3", changes=tuple(more))],
        network=net,
    )
    (out,) = sim.outcomes
    assert out.rebuilt is False
    assert plan_to_dict(out.plan) == plan_to_dict(
        match(
            ds.needs,
            [
                *(
                    w.model_copy(update={"caseload": w.caseload + 3})
                    if w.caseload
                    else w
                    for w in ds.workers
                ),
                *ds.volunteers,
                *ds.organizations,
                *ds.resources,
            ],
            recipients=ds.recipients,
            communities=ds.communities,
            stations=ds.stations,
            network=net,
            as_of=ds.as_of,
        )
    )
    assert out.needs_met > 0
    assert out.needs_met == len(out.newly_met) - len(out.newly_unmet)
    assert sum(v for _, v in out.per_community) == out.needs_met
    changed = {*out.newly_met, *out.newly_unmet}
    for station_id, delta in out.per_station:
        expected = sum(
            (1 if n in out.newly_met else -1)
            for n in changed
            if station_id in out.plan.linkage(n).station_ids
        )
        assert delta == expected
    assert out.per_station


def test_a_top_up_that_crosses_an_amount_asked_rebuilds_and_meets_the_need():
    needs, actors, elders = _four_elders_three_parcels()
    poor = actors[0].model_copy(update={"total": Decimal(300)})
    kw: dict[str, Any] = {
        "recipients": elders,
        "communities": COMMUNITIES,
        "as_of": AS_OF,
    }
    top_up = AmountChange(resource_id="f1", add=Decimal(300))
    sim = simulate(needs, [poor], [Scenario(name="top-up", changes=(top_up,))], **kw)
    (out,) = sim.outcomes
    assert sim.baseline.assignments == ()
    assert out.rebuilt is True
    assert out.needs_met == 1
    rich = poor.model_copy(update={"total": Decimal(600)})
    assert plan_to_dict(out.plan) == plan_to_dict(match(needs, [rich], **kw))
