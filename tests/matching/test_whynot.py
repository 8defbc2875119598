"""Why-not names names: every named candidate is feasible and really held (未匹配点名)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.matching.strategies import AS_OF, CATEGORIES, COMMUNITIES, worlds
from tests.matching.test_match import _recipient
from wushe.io import explain_plan, plan_to_dict
from wushe.matching import MatchPolicy, ReasonCode, build_candidates, match
from wushe.models import Need, SocialOrganization, SocialWorker, Volunteer
from wushe.vocab import Qualification


def _crowd(world: dict[str, Any]) -> dict[str, Any]:
    """Every person serves every category district-wide with one place: needs contest."""
    everything = {
        "skills": frozenset(CATEGORIES),
        "service_area": frozenset({"420116"}),
    }
    senior = {"caseload": 1, "qualification": Qualification.SENIOR}
    org = {"services": everything["skills"], "capacity": 1}
    actors: list[Any] = []
    for actor in world["actors"]:
        if isinstance(actor, SocialWorker):
            actors.append(actor.model_copy(update={**everything, **senior}))
        elif isinstance(actor, Volunteer):
            volunteer = {**everything, "capacity": 1, "vetted": True}
            actors.append(actor.model_copy(update=volunteer))
        elif isinstance(actor, SocialOrganization):
            actors.append(actor.model_copy(update=org))
        else:
            actors.append(actor)
    return {**world, "actors": actors}


def _graph_and_plan(world: dict[str, Any], policy: MatchPolicy) -> tuple[Any, Any]:
    kwargs = {
        "recipients": world["recipients"],
        "communities": world["communities"],
        "policy": policy,
        "as_of": AS_OF,
    }
    graph = build_candidates(world["needs"], world["actors"], **kwargs)
    return graph, match(world["needs"], world["actors"], **kwargs)


@given(
    worlds(max_needs=6),
    st.booleans(),
    st.sampled_from(["exact", "greedy", "stable"]),
    st.sampled_from(["lexicographic", "weighted"]),
)
def test_every_named_actor_is_feasible_and_held_by_the_named_needs(
    world, crowded, strategy, mode
):
    world = _crowd(world) if crowded else world
    policy = MatchPolicy(strategy=strategy, priority_mode=mode)
    graph, plan = _graph_and_plan(world, policy)
    held = {(a.need_id, a.role, a.actor_id) for a in plan.assignments}
    for u in plan.unmatched:
        cs = graph[u.role]
        feasible = {
            (cs.need_ids[i], cs.actor_ids[j])
            for i, j in zip(cs.edge_left.tolist(), cs.edge_right.tolist(), strict=True)
        }
        tier = dict(zip(cs.need_ids, cs.left_tier.tolist(), strict=True))
        assert len(u.taken) <= policy.why_not_names
        for t in u.taken:
            assert (u.need_id, t.actor_id) in feasible
            assert (u.need_id, u.role, t.actor_id) not in held
            assert t.need_ids
            assert t.reason in u.reasons
            for n in t.need_ids:
                assert (n, u.role, t.actor_id) in held
            holders = [tier[n] for n in t.need_ids]
            if t.reason is ReasonCode.CAPACITY_EXHAUSTED_BY_HIGHER_PRIORITY:
                assert min(holders) > tier[u.need_id]
            if t.reason is ReasonCode.CAPACITY_TAKEN_BY_LOWER_PRIORITY:
                assert min(holders) < tier[u.need_id]


def _contest(mode: str) -> Any:
    """A 低保 need far away and a lower-tier need next door contest one volunteer."""
    people = [
        _recipient("p0", "c11", AS_OF.replace(year=1950), {"低保"}),
        _recipient("p1", "c22", AS_OF.replace(year=1950), set()),
    ]
    needs = [
        Need.model_validate(
            {
                "need_id": f"n{i}",
                "recipient_id": f"p{i}",
                "category": "elderly_care",
                "roles": [{"role": "volunteers", "count": 1}],
                "raised_on": AS_OF,
            }
        )
        for i in range(2)
    ]
    helper = Volunteer.model_validate(
        {
            "volunteer_id": "v1",
            "name": "赵敏",
            "birth_date": "1970-01-01",
            "home_community_id": "c22",
            "service_area": ["420116"],
            "skills": ["elderly_care"],
            "capacity": 1,
        }
    )
    policy = MatchPolicy(
        priority_mode=mode,  # type: ignore[arg-type]
        weights={"priority": 1, "proximity": 300},  # type: ignore[arg-type]
    )
    return match(
        needs,
        [helper],
        recipients=people,
        communities=COMMUNITIES,
        policy=policy,
        as_of=AS_OF,
    )


def test_weighted_mode_never_calls_a_lower_tier_winner_higher_priority():
    plan = _contest("weighted")
    (held,) = plan.assignments
    assert held.need_id == "n1"  # the lower tier, next door, scored higher
    (u,) = plan.unmatched
    assert ReasonCode.CAPACITY_EXHAUSTED_BY_HIGHER_PRIORITY not in u.reasons
    assert u.reasons == (ReasonCode.CAPACITY_TAKEN_BY_LOWER_PRIORITY,)
    assert [(t.actor_id, t.need_ids) for t in u.taken] == [("v1", ("n1",))]
    assert "v1 is held by need(s) n1" in explain_plan(plan, "n0", lang="en")
    assert "v1 已由需求 n1 占用" in explain_plan(plan, "n0")


def test_lexicographic_mode_names_the_higher_priority_holder():
    plan = _contest("lexicographic")
    (u,) = plan.unmatched
    assert u.need_id == "n1"
    assert u.reasons == (ReasonCode.CAPACITY_EXHAUSTED_BY_HIGHER_PRIORITY,)
    assert u.taken[0].need_ids == ("n0",)
    assert plan_to_dict(plan)["unmatched"][0]["taken"] == [
        {
            "actor_id": "v1",
            "need_ids": ["n0"],
            "reason": "capacity_exhausted_by_higher_priority",
        }
    ]


def test_why_not_names_zero_names_nobody():
    world_plan = _contest("weighted")
    assert world_plan.unmatched[0].taken
    people = MatchPolicy(why_not_names=0)
    assert people.why_not_names == 0
