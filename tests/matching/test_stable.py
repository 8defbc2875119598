"""Two-sided stable matching: no blocking pair under weak stability with ties (双边稳定匹配)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.matching.strategies import AS_OF, CATEGORIES, COMMUNITIES, worlds
from tests.matching.test_match import _recipient
from tests.matching.test_whynot import _crowd
from wushe.matching import MatchPolicy, Preferences, build_candidates, match
from wushe.matching._simulate import _actor_id
from wushe.matching._stable import declared_ranks
from wushe.models import Need, SocialOrganization


def _groups(draw: st.DrawFn, items: list[Any]) -> list[list[Any]]:
    chosen = draw(st.permutations(items))[: draw(st.integers(0, len(items)))]
    out: list[list[Any]] = []
    for x in chosen:
        tie: bool = draw(st.booleans())
        if out and tie:
            out[-1].append(x)  # a tie with the previous entry
        else:
            out.append([x])
    return out


@st.composite
def preferences(draw: st.DrawFn, world: dict[str, Any]) -> Preferences:
    actors = [_actor_id(a) for a in world["actors"]]
    yes = st.booleans()
    needs: dict[str, list[list[Any]]] = {}
    for n in world["needs"]:
        groups = _groups(draw, actors) if draw(yes) else []
        if groups:
            needs[n.need_id] = groups
    services: dict[str, list[list[Any]]] = {}
    for a in actors:
        groups = _groups(draw, list(CATEGORIES)) if draw(yes) else []
        if groups:
            services[a] = groups
    return Preferences.model_validate({"needs": needs, "actors": services})


def blocking_pairs(graph: Any, plan: Any, prefs: Preferences) -> list[tuple[str, str]]:
    """Pairs where both sides strictly prefer each other to what they hold (or have room)."""
    chosen_ids = {(a.need_id, a.actor_id) for a in plan.assignments}
    out = []
    for cs in graph.sets:
        need_rank, actor_rank, ok = declared_ranks(cs, prefs)
        pairs = list(zip(cs.edge_left.tolist(), cs.edge_right.tolist(), strict=True))
        chosen = np.array(
            [(cs.need_ids[i], cs.actor_ids[j]) in chosen_ids for i, j in pairs],
            dtype=bool,
        )
        assert ok[chosen].all(), "an assigned pair is unacceptable to one side"
        amount = cs.left_amount if cs.is_resource else np.ones(len(cs.need_ids), int)
        for e, (i, j) in enumerate(pairs):
            if chosen[e] or not ok[e]:
                continue
            mine = chosen & (cs.edge_left == i)
            theirs = chosen & (cs.edge_right == j)
            need_wants = mine.sum() < cs.left_capacity[i] or bool(
                (need_rank[e] < need_rank[mine]).any()
            )
            used = int(amount[cs.edge_left[theirs]].sum())
            actor_wants = used + int(amount[i]) <= cs.right_capacity[j] or bool(
                (actor_rank[e] < actor_rank[theirs]).any()
            )
            if need_wants and actor_wants:
                out.append((cs.need_ids[i], cs.actor_ids[j]))
    return out


@settings(max_examples=200)
@given(st.data())
def test_two_sided_stable_plan_has_no_blocking_pair(data):
    world = data.draw(worlds(max_needs=8, windows=False, resources=False))
    if data.draw(st.booleans()):
        world = _crowd(world)
    prefs = data.draw(preferences(world))
    proposer = data.draw(st.sampled_from(["needs", "actors"]))
    policy = MatchPolicy(strategy="stable", preferences=prefs, stable_proposer=proposer)
    kwargs = {
        "recipients": world["recipients"],
        "communities": world["communities"],
        "policy": policy,
        "as_of": AS_OF,
    }
    graph = build_candidates(world["needs"], world["actors"], **kwargs)
    plan = match(world["needs"], world["actors"], **kwargs)
    assert plan.strategy == f"stable:{proposer[:-1]}-proposing"
    assert blocking_pairs(graph, plan, prefs) == []


def _two_needs_two_orgs() -> tuple[list[Need], list[Any], list[Any]]:
    people = [
        _recipient("p0", "c11", date(1940, 1, 1), set()),
        _recipient("p1", "c11", date(1941, 1, 1), set()),
    ]
    needs = [
        Need.model_validate(
            {
                "need_id": f"n{i}",
                "recipient_id": f"p{i}",
                "category": cat,
                "roles": [{"role": "social_organization"}],
                "urgency": urgency,
                "raised_on": AS_OF,
            }
        )
        for i, (cat, urgency) in enumerate(
            [("elderly_care", "critical"), ("social_assistance", "low")]
        )
    ]
    orgs = [
        SocialOrganization(
            organization_id=oid,
            name=f"机构{oid}",
            services=frozenset(CATEGORIES),
            home_community_id=home,
            capacity=1,
        )
        for oid, home in (("o1", "c11"), ("o2", "c22"))
    ]
    return needs, orgs, people


def _pairs(
    prefs: Preferences | None, proposer: Literal["needs", "actors"] = "needs"
) -> list[tuple[str, str]]:
    needs, orgs, people = _two_needs_two_orgs()
    strategy: Literal["exact", "stable"] = "stable" if prefs is not None else "exact"
    plan = match(
        needs,
        orgs,
        recipients=people,
        communities=COMMUNITIES,
        as_of=AS_OF,
        policy=MatchPolicy(
            strategy=strategy, preferences=prefs, stable_proposer=proposer
        ),
    )
    return [(a.need_id, a.actor_id) for a in plan.assignments]


def test_each_side_s_stated_preference_beats_the_shared_score():
    # By score the critical elderly need n0 takes the nearby o1.
    assert ("n0", "o1") in _pairs(None)
    # o1 gives social assistance priority: n1 gets o1 although n0 scores higher.
    services = Preferences.model_validate(
        {"actors": {"o1": [["social_assistance"], ["elderly_care"]]}}
    )
    assert ("n1", "o1") in _pairs(services)
    # n0's recipient asks for o2 only: an incomplete list, o1 is unacceptable to n0.
    asked = Preferences(needs={"n0": (("o2",),)})
    assert _pairs(asked) == [("n0", "o2"), ("n1", "o1")]


def test_preferences_reject_repeats_and_empty_groups():
    with pytest.raises(ValidationError, match="twice"):
        Preferences(needs={"n0": (("o1",), ("o1",))})
    with pytest.raises(ValidationError, match="empty group"):
        Preferences(actors={"o1": ((),)})


def test_the_proposing_side_gets_its_first_choice_when_the_sides_disagree():
    """n0 wants o1, n1 wants o2; o1 serves social assistance (n1) first, o2 elderly care (n0)."""
    prefs = Preferences.model_validate(
        {
            "needs": {"n0": [["o1"], ["o2"]], "n1": [["o2"], ["o1"]]},
            "actors": {
                "o1": [["social_assistance"], ["elderly_care"]],
                "o2": [["elderly_care"], ["social_assistance"]],
            },
        }
    )
    assert _pairs(prefs, "needs") == [("n0", "o1"), ("n1", "o2")]
    assert _pairs(prefs, "actors") == [("n0", "o2"), ("n1", "o1")]
