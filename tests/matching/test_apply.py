"""Applying a plan consumes supply, and whole team or nothing holds incomplete teams (方案落实)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.matching.strategies import AS_OF, COMMUNITIES, worlds
from tests.matching.test_match import _recipient, violations
from tests.matching.test_simulate import _four_elders_three_parcels
from wushe import examples
from wushe.exceptions import MatchingError
from wushe.io import explain_plan
from wushe.matching import MatchPlan, MatchPolicy, ReasonCode, apply_plan, match
from wushe.matching._simulate import _actor_id
from wushe.models import CharitableResource, Need
from wushe.vocab import ResourceKind


def _match(world: dict[str, Any], needs: Any, actors: Any, **kw: Any) -> MatchPlan:
    return match(
        needs,
        actors,
        recipients=world["recipients"],
        communities=world["communities"],
        as_of=AS_OF,
        **kw,
    )


def _supply(actor: Any) -> Decimal:
    if isinstance(actor, CharitableResource):
        return actor.balance
    field = "caseload" if hasattr(actor, "caseload") else "capacity"
    return Decimal(int(getattr(actor, field)))


@given(worlds(max_needs=6), st.sampled_from(["exact", "greedy", "stable"]))
def test_rematching_after_apply_never_uses_more_than_the_original_supply(
    world, strategy
):
    policy = MatchPolicy(strategy=strategy)
    plan = _match(world, world["needs"], world["actors"], policy=policy)
    done = apply_plan(world["needs"], world["actors"], plan)
    again = _match(world, done.open_needs, done.actors, policy=policy)
    used: dict[str, Decimal] = {}
    for a in (*plan.assignments, *again.assignments):
        step = a.amount if a.amount is not None else Decimal(1)
        used[a.actor_id] = used.get(a.actor_id, Decimal(0)) + step
    original = {_actor_id(a): a for a in world["actors"]}
    for actor_id, n in used.items():
        assert n <= _supply(original[actor_id]), actor_id
    after = {_actor_id(a): a for a in done.actors}
    for actor_id, actor in original.items():
        drawn = sum(
            (a.amount if a.amount is not None else 1)
            for a in plan.assignments
            if a.actor_id == actor_id
        )
        assert _supply(after[actor_id]) == _supply(actor) - drawn


@given(worlds(max_needs=6, windows=False))
def test_exact_rematch_with_history_decides_nothing_new(world):
    plan = _match(world, world["needs"], world["actors"])
    done = apply_plan(world["needs"], world["actors"], plan)
    again = _match(world, done.open_needs, done.actors, history=done.history)
    decided = {(a.need_id, a.role, a.actor_id) for a in plan.assignments}
    for a in again.assignments:
        assert (a.need_id, a.role, a.actor_id) in decided


@given(worlds(max_needs=6), st.sampled_from(["resources", "all_roles"]))
def test_whole_team_or_nothing_draws_nothing_for_an_incomplete_team(world, linkage):
    policy = MatchPolicy(linkage=linkage)
    plan = _match(world, world["needs"], world["actors"], policy=policy)
    assert violations(plan, world) == []
    incomplete = {u.need_id for u in plan.unmatched}
    for a in plan.assignments:
        if a.need_id in incomplete:
            assert linkage == "resources"
            assert a.amount is None  # a person, never a resource
    for u in plan.unmatched:
        assert u.reasons


def test_an_incomplete_team_leaves_its_goods_to_a_complete_one():
    """n0 (低保, first in line) wants a visit and a parcel; no visitor serves it."""
    people = [
        _recipient("p0", "c21", date(1940, 1, 1), {"低保"}),
        _recipient("p1", "c21", date(1941, 1, 1), set()),
    ]
    parcel = {"role": "resource", "resource_kind": "goods", "amount": "1", "unit": "份"}
    needs = [
        Need.model_validate(
            {
                "need_id": "n0",
                "recipient_id": "p0",
                "category": "elderly_care",
                "roles": [{"role": "volunteers", "count": 1}, parcel],
                "raised_on": AS_OF,
            }
        ),
        Need.model_validate(
            {
                "need_id": "n1",
                "recipient_id": "p1",
                "category": "elderly_care",
                "roles": [parcel],
                "raised_on": AS_OF,
            }
        ),
    ]
    goods = CharitableResource(
        resource_id="g1",
        name="慰问物资",
        resource_kind=ResourceKind.GOODS,
        unit="份",
        total=Decimal(1),
    )
    kw: dict[str, Any] = {
        "recipients": people,
        "communities": COMMUNITIES,
        "as_of": AS_OF,
    }
    alone = match(needs, [goods], **kw)
    assert [(a.need_id, a.actor_id) for a in alone.assignments] == [("n0", "g1")]
    team = match(needs, [goods], policy=MatchPolicy(linkage="resources"), **kw)
    assert [(a.need_id, a.actor_id) for a in team.assignments] == [("n1", "g1")]
    held = [u for u in team.unmatched if u.need_id == "n0" and u.role.value == "goods"]
    assert held[0].reasons == (ReasonCode.TEAM_INCOMPLETE,)
    assert "全员到位" in explain_plan(team, "n0")
    assert team.linkage("n0").resources == ()


def test_apply_books_the_venue_lowers_balances_and_keeps_open_roles():
    needs, actors, elders = _four_elders_three_parcels()
    plan = match(needs, actors, recipients=elders, communities=COMMUNITIES, as_of=AS_OF)
    done = apply_plan(needs, actors, plan)
    (fund,) = done.actors
    assert isinstance(fund, CharitableResource)
    assert fund.balance == Decimal(0)
    assert actors[0].balance == Decimal(1500)  # the input is not changed
    assert [n.need_id for n in done.open_needs] == [plan.unmatched[0].need_id]
    assert len(done.history) == 3
    with pytest.raises(MatchingError, match="was not given"):
        apply_plan(needs[:1], actors, plan)


def test_a_booked_venue_cannot_be_booked_again_for_the_same_window():
    people = [_recipient(f"p{i}", "c21", date(1940, 1, 1), set()) for i in range(2)]
    window = {"start": "2024-07-02T09:00:00", "end": "2024-07-02T11:00:00"}
    hall = {"role": "resource", "resource_kind": "venue", "amount": "1", "unit": "场次"}
    needs = [
        Need.model_validate(
            {
                "need_id": f"n{i}",
                "recipient_id": f"p{i}",
                "category": "elderly_care",
                "roles": [hall],
                "raised_on": AS_OF,
                "window": window,
            }
        )
        for i in range(2)
    ]
    venue = CharitableResource(
        resource_id="hall",
        name="活动室",
        resource_kind=ResourceKind.VENUE,
        unit="场次",
        total=Decimal(10),
        community_id="c21",
    )
    kw: dict[str, Any] = {
        "recipients": people,
        "communities": COMMUNITIES,
        "as_of": AS_OF,
    }
    first = match(needs[:1], [venue], **kw)
    assert [a.actor_id for a in first.assignments] == ["hall"]
    done = apply_plan(needs[:1], [venue], first)
    (booked,) = done.actors
    assert isinstance(booked, CharitableResource)
    assert len(booked.bookings) == 1
    assert booked.balance == Decimal(9)
    second = match(needs[1:], done.actors, **kw)
    assert second.assignments == ()
    assert ReasonCode.VENUE_BOOKED in second.unmatched[0].reasons


def test_apply_opens_a_case_per_lead_worker_and_the_dataset_stays_valid():
    from wushe import load_dataset  # noqa: PLC0415
    from wushe.models import Dataset  # noqa: PLC0415
    from wushe.network import StationNetwork  # noqa: PLC0415

    ds = load_dataset(examples.path("qixinggang.json"))
    plan = match(ds.needs, ds, network=StationNetwork.from_dataset(ds))
    done = apply_plan(ds.needs, ds, plan, as_of=date(2022, 4, 1))
    leads = [a for a in plan.assignments if a.role.value == "lead_social_worker"]
    assert [(c.need_id, c.worker_id) for c in done.cases] == [
        (a.need_id, a.actor_id) for a in leads
    ]
    for case in done.cases:
        assert case.phase.zh == "接案"
        assert case.station_id == plan.linkage(case.need_id or "").station_ids[0]
    assert done.dataset is not None
    fields = {name: getattr(done.dataset, name) for name in Dataset.model_fields}
    again = Dataset(**fields)  # every cross-reference still holds
    assert len(again.cases) == len(ds.cases) + len(leads)
    with pytest.raises(MatchingError, match="already in the dataset"):
        apply_plan(ds.needs, done.dataset, plan, as_of=date(2022, 4, 1))
    # Without a network or a worker's station the case cannot be placed: it is listed.
    bare = match(ds.needs, ds)
    placed = apply_plan(ds.needs, ds, bare, as_of=date(2022, 4, 1))
    stationed = {w.worker_id for w in ds.workers if w.station_id}
    assert {c.worker_id for c in placed.cases} <= stationed
    bare_leads = [a for a in bare.assignments if a.role.value == "lead_social_worker"]
    assert len(placed.cases) + len(placed.cases_not_opened) == len(bare_leads)
