from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings

from tests.care.strategies import worlds
from tests.strategies import AS_OF, full_consents, holds_personal_data
from wushe.care import VisitRecord, plan_visits, schedule, visit_handovers
from wushe.matching import ReasonCode
from wushe.models import Community, Dataset, Period, Recipient, SocialWorker
from wushe.vocab import ActorKind, ConsentPurpose

MONTH = Period(start=AS_OF + timedelta(days=1), end=AS_OF + timedelta(days=31))


@settings(max_examples=20)
@given(worlds())
def test_every_due_visit_is_assigned_or_left_open_and_no_volunteer_is_overbooked(world):
    ds, visits = world
    plan = plan_visits(ds.recipients, visits, ds, period=MONTH)
    due = schedule(ds.recipients, visits, as_of=AS_OF)
    expected = sorted(d.recipient_id for d in due if d.due_on <= MONTH.end)
    planned = [v.recipient_id for v in plan.visits] + [
        d.recipient_id for d in plan.unassigned
    ]
    assert sorted(planned) == expected
    capacity = {v.volunteer_id: v.capacity for v in ds.volunteers}
    capacity.update({w.worker_id: w.caseload for w in ds.workers})
    for actor, count in Counter(v.actor_id for v in plan.visits).items():
        assert count <= capacity[actor]
    assert {v.actor_kind for v in plan.visits} <= {
        ActorKind.VOLUNTEER,
        ActorKind.SOCIAL_WORKER,
    }
    volunteers_only = plan_visits(
        ds.recipients, visits, ds, period=MONTH, roles=["volunteers"]
    )
    assert all(v.actor_kind is ActorKind.VOLUNTEER for v in volunteers_only.visits)
    assert len(volunteers_only.match_plans) == 1


def _district() -> Dataset:
    return Dataset.model_validate(
        {
            "name": "合成区",
            "division_code": "510106",
            "divisions": [
                {"division_code": "510106", "name": "区"},
                {"division_code": "510106001", "name": "街道"},
            ],
            "communities": [
                Community(
                    community_id="c1", name="社区", division_code="510106001001"
                ).model_dump()
            ],
            "volunteers": [
                {
                    "volunteer_id": vid,
                    "name": "张晓华",
                    "home_community_id": "c1",
                    "skills": ["elderly_care"],
                    "capacity": 1,
                }
                for vid in ("v1", "v2")
            ],
            "recipients": [
                {
                    "recipient_id": "p1",
                    "name": "钱桂芳",
                    "community_id": "c1",
                    "target_groups": ["失能老人"],
                    "birth_date": "1950-05-01",
                    "assessed_on": "2024-01-02",
                    "consents": full_consents(guardian=False, on=date(2024, 1, 2)),
                }
            ],
        }
    )


def test_the_volunteer_who_visited_before_is_preferred():
    ds = _district()
    log = [
        VisitRecord(
            visit_id="x",
            recipient_id="p1",
            visited_at=datetime(2024, 1, 10, 10),
            volunteer_ids=frozenset({"v2"}),
        )
    ]
    february = Period(start=date(2024, 2, 1), end=date(2024, 2, 29))
    plan = plan_visits(ds.recipients, log, ds, period=february)
    assert [(v.recipient_id, v.actor_id, v.due_on) for v in plan.visits] == [
        ("p1", "v2", date(2024, 2, 9))
    ]
    assert plan.unassigned == ()


def test_workers_take_the_visits_volunteers_cannot():
    ds = _district()
    ds = ds.model_copy(
        update={
            "volunteers": (),
            "workers": (
                SocialWorker.model_validate(
                    {
                        "worker_id": "w1",
                        "name": "李敏",
                        "home_community_id": "c1",
                        "skills": ["elderly_care"],
                    }
                ),
            ),
        }
    )
    plan = plan_visits(
        ds.recipients,
        [],
        ds,
        period=Period(start=date(2024, 2, 1), end=date(2024, 2, 29)),
    )
    assert [(v.actor_kind, v.actor_id) for v in plan.visits] == [
        (ActorKind.SOCIAL_WORKER, "w1")
    ]
    assert len(plan.match_plans) == 2


def test_visits_no_one_can_take_stay_open_with_the_engines_reasons():
    ds = _district().model_copy(update={"volunteers": ()})
    plan = plan_visits(
        ds.recipients,
        [],
        ds,
        period=Period(start=date(2024, 2, 1), end=date(2024, 2, 29)),
    )
    [open_visit] = plan.unassigned
    assert (open_visit.recipient_id, open_visit.due_on) == ("p1", date(2024, 2, 1))
    assert plan.visits == ()
    [unmatched] = plan.match_plans[-1].unmatched
    assert unmatched.need_id == "visit-p1-20240201"
    assert ReasonCode.NO_ACTOR_WITH_SKILL in unmatched.reasons


def test_recipients_not_due_in_the_period_are_not_planned():
    ds = _district()
    recent = [
        VisitRecord(visit_id="x", recipient_id="p1", visited_at=datetime(2024, 1, 30))
    ]
    plan = plan_visits(
        ds.recipients,
        recent,
        ds,
        period=Period(start=date(2024, 2, 1), end=date(2024, 2, 15)),
    )
    assert plan.visits == ()
    assert plan.unassigned == ()


def test_a_plan_needs_at_least_one_role():
    with pytest.raises(ValueError, match="at least one role"):
        plan_visits([], [], [], period=MONTH, roles=[])


# ----------------------------------------------------------------------------------
# The consent gate (#10): visits pass it too


def _with_consents(ds: Dataset, consents: list[dict[str, object]]) -> Dataset:
    changed = Recipient.model_validate(
        {
            "recipient_id": "p1",
            "name": "钱桂芳",
            "community_id": "c1",
            "target_groups": ["失能老人"],
            "birth_date": "1950-05-01",
            "assessed_on": "2024-01-02",
            "consents": consents,
        }
    )
    worker = SocialWorker.model_validate(
        {
            "worker_id": "w1",
            "name": "李敏",
            "home_community_id": "c1",
            "skills": ["elderly_care"],
        }
    )
    return ds.model_copy(update={"recipients": (changed,), "workers": (worker,)})


FEBRUARY = Period(start=date(2024, 2, 1), end=date(2024, 2, 29))
STATUTORY = {
    "basis": "statutory_duty",
    "valid_from": "2024-01-02",
    "reference": "《社会救助暂行办法》",
}


def test_a_statutory_visit_goes_to_a_worker_never_to_a_volunteer():
    ds = _with_consents(_district(), [{**STATUTORY, "purpose": "care_visit"}])
    plan = plan_visits(ds.recipients, [], ds, period=FEBRUARY)
    assert [(v.actor_kind, v.actor_id) for v in plan.visits] == [
        (ActorKind.SOCIAL_WORKER, "w1")
    ]
    [first] = plan.match_plans[0].unmatched
    assert first.reasons == (ReasonCode.NO_LAWFUL_BASIS,)
    [handed] = visit_handovers(plan, ds.recipients)
    assert handed.purpose is ConsentPurpose.CARE_VISIT
    assert handed.name is not None
    assert handed.target_groups is None  # assistance status is not needed for a visit


def test_a_visit_with_no_basis_for_either_role_stays_open_and_says_so():
    ds = _with_consents(_district(), [{**STATUTORY, "purpose": "casework"}])
    plan = plan_visits(ds.recipients, [], ds, period=FEBRUARY)
    assert plan.visits == ()
    assert [d.recipient_id for d in plan.unassigned] == ["p1"]
    for tried in plan.match_plans:
        [u] = tried.unmatched
        assert u.reasons == (ReasonCode.NO_LAWFUL_BASIS,)
    purposes = [u.purpose for p in plan.match_plans for u in p.unmatched]
    assert purposes == [ConsentPurpose.SHARE_WITH_VOLUNTEERS, ConsentPurpose.CARE_VISIT]


def test_a_volunteer_visitor_is_handed_contact_details_only():
    ds = _district()
    plan = plan_visits(ds.recipients, [], ds, period=FEBRUARY)
    [handed] = visit_handovers(plan, ds.recipients)
    assert handed.actor_kind is ActorKind.VOLUNTEER
    assert handed.purpose is ConsentPurpose.SHARE_WITH_VOLUNTEERS
    assert (handed.age, handed.disability, handed.health_notes) == (None, None, None)


@settings(max_examples=15)
@given(worlds())
def test_a_visit_plan_holds_ids_never_personal_data(world):
    ds, visits = world
    plan = plan_visits(ds.recipients, visits, ds, period=MONTH)
    assert not holds_personal_data(plan, set())
