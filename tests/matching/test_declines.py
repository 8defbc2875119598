"""Declines are honoured by the next match and explained with a reason code."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.matching.strategies import AS_OF, COMMUNITIES
from tests.matching.test_match import _recipient
from wushe import examples
from wushe.io import explain_plan, plan_to_dict
from wushe.matching import (
    Decline,
    DeclineReason,
    MatchPlan,
    ReasonCode,
    match,
)
from wushe.models import Need, Recipient, Volunteer
from wushe.vocab import ActorKind

ELDER = _recipient("p1", "c11", date(1940, 1, 1), {"elder_living_alone"})
NEED = Need.model_validate(
    {
        "need_id": "n1",
        "recipient_id": "p1",
        "category": "elderly_care",
        "roles": [{"role": "volunteers", "count": 1}],
        "raised_on": AS_OF,
    }
)
ONLY_VOLUNTEER = Volunteer.model_validate(
    {
        "volunteer_id": "v1",
        "name": "陈静",
        "birth_date": "1985-01-01",
        "home_community_id": "c11",
        "skills": ["elderly_care"],
    }
)


def _declined(reason: DeclineReason, days_ago: int) -> Decline:
    return Decline(
        recipient_id="p1",
        actor_kind=ActorKind.VOLUNTEER,
        actor_id="v1",
        declined_by="recipient",
        reason=reason,
        declined_on=AS_OF - timedelta(days=days_ago),
    )


def _plan(decline: Decline, recipient: Recipient = ELDER) -> MatchPlan:
    return match(
        [NEED],
        [ONLY_VOLUNTEER],
        recipients=[recipient],
        communities=COMMUNITIES,
        as_of=AS_OF,
        declines=[decline],
    )


def test_pair_in_cool_down_is_not_proposed_and_the_decline_is_the_reason():
    plan = _plan(_declined(DeclineReason.SCHEDULE, days_ago=13))  # 14-day cool-down
    assert plan.assignments == ()
    (open_role,) = plan.unmatched
    assert open_role.reasons == (ReasonCode.DECLINED_PAIR,)
    assert open_role.counts == ((ReasonCode.DECLINED_PAIR, 1),)
    assert "declined pair" in explain_plan(plan, "n1", lang="en")


def test_pair_is_proposed_again_once_the_cool_down_is_over():
    plan = _plan(_declined(DeclineReason.SCHEDULE, days_ago=14))
    assert [a.actor_id for a in plan.assignments] == ["v1"]
    assert plan.unmatched == ()


@pytest.mark.parametrize(
    "reason",
    [
        DeclineReason.PREFERENCE,
        DeclineReason.CONFLICT_OF_INTEREST,
        DeclineReason.SAFETY,
    ],
)
def test_never_again_decline_excludes_the_pair_however_long_ago(reason):
    plan = _plan(_declined(reason, days_ago=3650))
    assert plan.assignments == ()
    assert plan.unmatched[0].reasons == (ReasonCode.DECLINED_PAIR,)


def test_reassess_decline_holds_the_recipient_until_reassessed():
    decline = _declined(DeclineReason.NEED_CHANGED, days_ago=10)
    assessed_before = ELDER.model_copy(update={"assessed_on": AS_OF - timedelta(30)})
    plan = _plan(decline, assessed_before)
    assert plan.assignments == ()
    assert plan.unmatched[0].reasons == (ReasonCode.AWAITING_REASSESSMENT,)
    assert "awaiting reassessment" in explain_plan(plan, "n1", lang="en")
    reassessed = ELDER.model_copy(update={"assessed_on": AS_OF - timedelta(5)})
    assert [a.actor_id for a in _plan(decline, reassessed).assignments] == ["v1"]


def test_decline_recorded_after_the_matching_date_is_not_yet_honoured():
    plan = _plan(_declined(DeclineReason.SAFETY, days_ago=-1))
    assert [a.actor_id for a in plan.assignments] == ["v1"]


def test_policy_workers_reach_the_solver_and_never_change_the_plan():

    from wushe.io import load_dataset  # noqa: PLC0415
    from wushe.matching import MatchPolicy, match  # noqa: PLC0415

    ds = load_dataset(examples.path("qixinggang.json"))
    one = match(ds.needs, ds, policy=MatchPolicy(workers=1), as_of=ds.as_of)
    two = match(ds.needs, ds, policy=MatchPolicy(workers=2), as_of=ds.as_of)
    assert plan_to_dict(one) == plan_to_dict(two)
