"""Lexicographic priority holds on every solve path, windows and amounts included."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tests.matching.strategies import AS_OF, COMMUNITIES, DAY
from tests.strategies import full_consents, resident_id
from wushe.matching import (
    MatchPlan,
    MatchPolicy,
    ReasonCode,
    build_candidates,
    match,
)
from wushe.models import CharitableResource, Need, Recipient, SocialWorker, Volunteer
from wushe.vocab import ResourceKind

# Three tiers: none, vulnerable (living alone), safety net (低保).
GROUPS: tuple[list[str], ...] = ([], ["elder_living_alone"], ["dibao"])


def _elder(i: int, groups: list[str]) -> Recipient:
    return Recipient.model_validate(
        {
            "recipient_id": f"p{i}",
            "name": "张伟",
            "community_id": "c11",
            "target_groups": groups,
            "id_number": resident_id("420116", date(1940, 2, 2), i),
            "assessed_on": AS_OF,
            "consents": full_consents(guardian=False),
        }
    )


def _need(
    i: int,
    role: dict[str, Any],
    window: tuple[int, int] | None,
    urgency: str = "medium",
    waited: int = 0,
) -> Need:
    record: dict[str, Any] = {
        "need_id": f"n{i}",
        "recipient_id": f"p{i}",
        "category": "elderly_care",
        "roles": [role],
        "urgency": urgency,
        "raised_on": AS_OF - timedelta(days=waited),
    }
    if window is not None:
        start, hours = window
        record["window"] = {
            "start": DAY + timedelta(hours=start),
            "end": DAY + timedelta(hours=start + hours),
        }
    return Need.model_validate(record)


@st.composite
def contested(draw: st.DrawFn) -> dict[str, Any]:
    """One role problem where needs of mixed tiers compete for one or two actors.

    Built to attack priority: a higher-priority need that scores low (low urgency, no
    waiting) beside several lower-priority needs that score high (critical, long waiting)
    and fit inside its window or its amount together, plus needs drawn at random:
    overlapping windows of different lengths, capacities above one, unequal amounts.
    """
    kind = draw(st.sampled_from(["volunteers", "lead_social_worker", "funds"]))
    amounts = st.sampled_from(["30", "50", "100"])

    def role(amount: str) -> dict[str, Any]:
        if kind == "funds":
            return {"role": "resource", "resource_kind": "funds", "amount": amount}
        if kind == "volunteers":
            return {"role": "volunteers", "count": draw(st.integers(1, 2))}
        return {"role": "lead_social_worker"}

    def window(start: int, hours: int) -> tuple[int, int] | None:
        return None if kind == "funds" else (start, hours)

    high_start, high_hours = draw(st.integers(0, 2)), draw(st.integers(2, 3))
    specs = [
        (draw(st.integers(1, 2)), role("100"), window(high_start, high_hours), "low", 0)
    ]
    hours = range(high_start, high_start + high_hours)
    for start in draw(st.lists(st.sampled_from(hours), min_size=2, max_size=4)):
        small = draw(st.sampled_from(["30", "30", "50"]))
        specs.append((0, role(small), window(start, 1), "critical", 120))
    urgency = st.sampled_from(["low", "medium", "high", "critical"])
    for _ in range(draw(st.integers(0, 3))):
        spec_window = draw(st.none() | st.tuples(st.integers(0, 4), st.integers(1, 3)))
        specs.append(
            (
                draw(st.integers(0, 2)),
                role(draw(amounts)),
                None if spec_window is None else window(*spec_window),
                draw(urgency),
                draw(st.sampled_from([0, 30, 120])),
            )
        )
    specs = draw(st.permutations(specs))
    recipients = [_elder(i, GROUPS[spec[0]]) for i, spec in enumerate(specs)]
    needs = [_need(i, *spec[1:]) for i, spec in enumerate(specs)]
    actors: list[Any] = []
    for i in range(draw(st.integers(1, 2)) if kind == "volunteers" else 0):
        actors.append(
            Volunteer.model_validate(
                {
                    "volunteer_id": f"v{i}",
                    "name": "李娜",
                    "birth_date": date(1990, 5, 5),
                    "home_community_id": "c11",
                    "skills": ["elderly_care"],
                    "capacity": draw(st.integers(2, 3)),
                }
            )
        )
    for i in range(draw(st.integers(1, 2)) if kind == "lead_social_worker" else 0):
        actors.append(
            SocialWorker.model_validate(
                {
                    "worker_id": f"w{i}",
                    "name": "王芳",
                    "qualification": "intermediate",
                    "home_community_id": "c11",
                    "skills": ["elderly_care"],
                    "caseload": draw(st.integers(2, 3)),
                }
            )
        )
    for i in range(draw(st.integers(1, 2)) if kind == "funds" else 0):
        actors.append(
            CharitableResource(
                resource_id=f"f{i}",
                name="社区慈善基金",
                resource_kind=ResourceKind.FUNDS,
                total=Decimal(draw(st.sampled_from([100, 100, 150]))),
            )
        )
    return {
        "needs": needs,
        "actors": actors,
        "recipients": recipients,
        "communities": COMMUNITIES,
    }


def could_still_take(
    world: dict[str, Any], plan: MatchPlan, policy: MatchPolicy
) -> list[str]:
    """Open roles an actor could still fill if every lower-tier need gave up what it holds.

    For each open role and each candidate that passed the hard rules, keep only the
    actor's assignments to needs of the same tier or higher and ask whether the actor
    still has room: a place, enough balance, and no held need in an overlapping window.
    """
    graph = build_candidates(**world, as_of=AS_OF, policy=policy)
    found = []
    for u in plan.unmatched:
        cs = graph[u.role]
        i = cs.need_ids.index(u.need_id)
        tier = int(cs.left_tier[i])
        held: dict[str, list[int]] = {}
        for a in plan.assignments:
            if a.role is u.role:
                held.setdefault(a.actor_id, []).append(cs.need_ids.index(a.need_id))
        for j in cs.edge_right[cs.edge_left == i].tolist():
            actor = cs.actor_ids[j]
            mine = held.get(actor, [])
            if i in mine:
                continue
            kept = [k for k in mine if int(cs.left_tier[k]) >= tier]
            if cs.is_resource:
                used = sum(int(cs.left_amount[k]) for k in kept) + int(
                    cs.left_amount[i]
                )
                room = used <= int(cs.right_capacity[j])
            else:
                room = len(kept) < int(cs.right_capacity[j])
            s, e = (int(t) for t in cs.left_window[i])
            if room and s >= 0 and (not cs.is_resource or u.role.value == "venue"):
                room = not any(
                    int(cs.left_window[k, 0]) < e and s < int(cs.left_window[k, 1])
                    for k in kept
                    if int(cs.left_window[k, 0]) >= 0
                )
            if room:
                found.append(
                    f"{u.need_id}/{u.role.value} (tier {tier}) could take {actor}"
                )
    return found


@given(contested())
def test_no_open_role_has_a_candidate_that_only_lower_priority_needs_keep_busy(world):
    plan = match(**world, as_of=AS_OF)
    assert could_still_take(world, plan, MatchPolicy()) == []


@given(contested(), st.sampled_from(["greedy", "stable"]))
def test_greedy_and_stable_plans_keep_priority_too(world, strategy):
    policy = MatchPolicy(strategy=strategy)
    plan = match(**world, as_of=AS_OF, policy=policy)
    assert could_still_take(world, plan, policy) == []


def _one_high_many_low(
    actor: Any, roles: list[dict[str, Any]], windows: list[Any]
) -> MatchPlan:
    # The lower-priority needs score as high as they can, the higher one as low.
    n = len(roles)
    return match(
        [
            _need(0, roles[0], windows[0], "low", 0),
            *(_need(i, roles[i], windows[i], "critical", 120) for i in range(1, n)),
        ],
        [actor],
        recipients=[_elder(0, ["elder_living_alone"])]
        + [_elder(i, []) for i in range(1, n)],
        communities=COMMUNITIES,
        as_of=AS_OF,
    )


def test_a_high_priority_window_beats_two_lower_windows_it_overlaps():
    volunteer = Volunteer.model_validate(
        {
            "volunteer_id": "v1",
            "name": "李娜",
            "birth_date": date(1990, 5, 5),
            "home_community_id": "c11",
            "skills": ["elderly_care"],
            "capacity": 2,
        }
    )
    role = {"role": "volunteers", "count": 1}
    plan = _one_high_many_low(volunteer, [role] * 3, [(0, 2), (0, 1), (1, 1)])
    assert [a.need_id for a in plan.assignments] == ["n0"]
    assert {u.need_id: u.reasons for u in plan.unmatched} == {
        "n1": (ReasonCode.DOUBLE_BOOKING,),
        "n2": (ReasonCode.DOUBLE_BOOKING,),
    }


def test_a_high_priority_request_beats_three_smaller_lower_requests():
    fund = CharitableResource(
        resource_id="f1",
        name="社区慈善基金",
        resource_kind=ResourceKind.FUNDS,
        total=Decimal(100),
    )
    roles = [
        {"role": "resource", "resource_kind": "funds", "amount": amount}
        for amount in ("100", "30", "30", "40")
    ]
    plan = _one_high_many_low(fund, roles, [None] * 4)
    assert [a.need_id for a in plan.assignments] == ["n0"]
    assert {u.need_id: u.reasons for u in plan.unmatched} == dict.fromkeys(
        ("n1", "n2", "n3"), (ReasonCode.CAPACITY_EXHAUSTED_BY_HIGHER_PRIORITY,)
    )


def test_within_the_lowest_tier_the_program_still_maximises_the_score():
    # Tier by tier changes nothing when every need is in one tier: the total is maximal.
    fund = CharitableResource(
        resource_id="f1",
        name="社区慈善基金",
        resource_kind=ResourceKind.FUNDS,
        total=Decimal(100),
    )
    needs = [
        _need(i, {"role": "resource", "resource_kind": "funds", "amount": a}, None)
        for i, a in enumerate(("100", "50", "50"))
    ]
    plan = match(
        needs,
        [fund],
        recipients=[_elder(i, []) for i in range(3)],
        communities=COMMUNITIES,
        as_of=AS_OF,
    )
    assert sorted(a.need_id for a in plan.assignments) == ["n1", "n2"]
    assert np.isclose(plan.objective, sum(a.score.total for a in plan.assignments))
