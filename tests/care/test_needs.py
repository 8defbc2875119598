from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings

from tests.care.strategies import worlds
from tests.strategies import AS_OF
from wushe.care import schedule, visit_needs
from wushe.models import LeadWorkerRole, Period, Recipient, VolunteerRole
from wushe.vocab import ServiceCategory, TargetGroup, Urgency

MONTH = Period(start=AS_OF + timedelta(days=1), end=AS_OF + timedelta(days=31))


@settings(max_examples=25)
@given(worlds())
def test_every_visit_due_by_the_period_end_becomes_exactly_one_need(world):
    ds, visits = world
    due = schedule(ds.recipients, visits, as_of=AS_OF)
    needs = visit_needs(due, ds.recipients, period=MONTH)
    expected = sorted(d.recipient_id for d in due if d.due_on <= MONTH.end)
    assert sorted(n.recipient_id for n in needs) == expected
    assert len({n.need_id for n in needs}) == len(needs)
    people = {r.recipient_id: r for r in ds.recipients}
    for need in needs:
        assert need.community_id == people[need.recipient_id].community_id
        assert isinstance(need.roles[0], VolunteerRole)
        if people[need.recipient_id].target_groups & {
            TargetGroup.CHILD_IN_DIFFICULTY,
            TargetGroup.LEFT_BEHIND_CHILD,
        }:
            assert need.category is ServiceCategory.CHILD_WELFARE


@settings(max_examples=10)
@given(worlds())
def test_overdue_visits_are_at_least_high_urgency_and_roles_can_be_lead_workers(world):
    ds, visits = world
    due = schedule(ds.recipients, visits, as_of=AS_OF)
    needs = visit_needs(due, ds.recipients, period=MONTH, role="lead_social_worker")
    late = {d.recipient_id for d in due if d.due_on < MONTH.start}
    for need in needs:
        assert isinstance(need.roles[0], LeadWorkerRole)
        if need.recipient_id in late:
            assert need.urgency.rank >= Urgency.HIGH.rank


def test_visits_due_after_the_period_are_left_for_later():
    elder = Recipient.model_validate(
        {
            "recipient_id": "p1",
            "name": "钱桂芳",
            "community_id": "c1",
            "target_groups": ["失能老人"],
            "birth_date": "1950-05-01",
            "assessed_on": "2024-01-02",
        }
    )
    [due] = schedule([elder], [], as_of=date(2024, 1, 5))
    assert due.due_on == date(2024, 2, 1)
    january = Period(start=date(2024, 1, 1), end=date(2024, 1, 31))
    february = Period(start=date(2024, 2, 1), end=date(2024, 2, 29))
    assert visit_needs([due], [elder], period=january) == ()
    [need] = visit_needs([due], [elder], period=february)
    assert (need.category, need.urgency) == (ServiceCategory.ELDERLY_CARE, Urgency.LOW)
