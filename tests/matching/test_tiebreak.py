"""Tie-breaks are a policy, not a solver accident (同分取舍)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.matching.strategies import AS_OF, COMMUNITIES, worlds
from tests.matching.test_match import _recipient
from tests.matching.test_whynot import _crowd
from wushe.exceptions import MatchingError
from wushe.matching import MatchPolicy, ScoreWeights, _tiebreak, match
from wushe.models import Need, Volunteer

SMALL = ScoreWeights(
    fit=0, proximity=3, priority=0, urgency=1, waiting=0, continuity=0, load=1
)
"""Scores a few points apart: near-ties everywhere, where a weak scaling would show."""


@settings(max_examples=200)
@given(
    worlds(max_needs=8),
    st.booleans(),
    st.sampled_from(["raised_first", "need_id"]),
    st.sampled_from(["exact", "greedy"]),
    st.sampled_from([{}, SMALL]),
)
def test_a_tie_break_never_changes_the_score_only_who_wins_a_tie(
    world, crowded, tie_break, strategy, weights
):
    world = _crowd(world) if crowded else world
    kwargs: dict[str, Any] = {
        "recipients": world["recipients"],
        "communities": world["communities"],
        "as_of": AS_OF,
    }
    plain = match(
        world["needs"],
        world["actors"],
        policy=MatchPolicy(strategy=strategy, weights=weights),
        **kwargs,
    )
    policy = MatchPolicy(strategy=strategy, weights=weights, tie_break=tie_break)
    broken = match(world["needs"], world["actors"], policy=policy, **kwargs)
    if strategy == "exact":
        assert broken.objective == plain.objective
    # Every assignment's score is the unscaled one.
    assert broken.objective == sum(a.score.total for a in broken.assignments)


def _twins(first: str) -> list[tuple[str, str]]:
    """Three identical needs but for their raise date contest one volunteer."""
    people = [_recipient(f"p{i}", "c11", date(1940, 1, 1), set()) for i in range(3)]
    days = {"n0": 0, "n1": 1, "n2": 2}  # n2 raised first
    needs = [
        Need.model_validate(
            {
                "need_id": nid,
                "recipient_id": f"p{nid[1]}",
                "category": "elderly_care",
                "roles": [{"role": "volunteers"}],
                "raised_on": AS_OF - timedelta(days=400 + 10 * d),
            }
        )
        for nid, d in days.items()
    ]
    helper = Volunteer.model_validate(
        {
            "volunteer_id": "v1",
            "name": "赵敏",
            "birth_date": "1970-01-01",
            "home_community_id": "c11",
            "skills": ["elderly_care"],
            "capacity": 1,
        }
    )
    policy = MatchPolicy.model_validate({"tie_break": first})
    plan = match(
        needs,
        [helper],
        recipients=people,
        communities=COMMUNITIES,
        policy=policy,
        as_of=AS_OF,
    )
    return [(a.need_id, a.actor_id) for a in plan.assignments]


def test_earlier_raised_or_lower_id_wins_an_exact_tie():
    # Waiting points cap at 90 days, so all three needs score the same.
    assert _twins("raised_first") == [("n2", "v1")]
    assert _twins("need_id") == [("n0", "v1")]


def test_a_problem_too_big_for_exact_scaled_weights_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(_tiebreak, "_SAFE", 100)  # as if the instance were huge
    with pytest.raises(MatchingError, match=r"volunteers: tie_break='need_id'"):
        _twins("need_id")
