"""Due visits as needs for the matching engine (巡访需求)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from wushe.care._schedule import DueReason, DueVisit
from wushe.models import LeadWorkerRole, Need, Period, Recipient, VolunteerRole
from wushe.vocab import ServiceCategory, TargetGroup, Urgency

__all__ = ["visit_needs"]

_CHILDREN = frozenset(
    {
        TargetGroup.ORPHAN,
        TargetGroup.DE_FACTO_UNSUPPORTED_CHILD,
        TargetGroup.CHILD_IN_DIFFICULTY,
        TargetGroup.LEFT_BEHIND_CHILD,
    }
)
_ELDERS = frozenset(
    {
        TargetGroup.LEFT_BEHIND_ELDER,
        TargetGroup.EMPTY_NEST_ELDER,
        TargetGroup.ELDER_LIVING_ALONE,
        TargetGroup.ADVANCED_AGE_ELDER,
        TargetGroup.DISABLED_ELDER,
        TargetGroup.FAMILY_PLANNING_SPECIAL,
    }
)


def need_id_of(due: DueVisit) -> str:
    """The id of the need a due visit becomes (巡访需求编号)."""
    return f"visit-{due.recipient_id}-{due.due_on:%Y%m%d}"


def _category(groups: frozenset[TargetGroup]) -> ServiceCategory:
    if groups & _CHILDREN:
        return ServiceCategory.CHILD_WELFARE
    if groups & _ELDERS:
        return ServiceCategory.ELDERLY_CARE
    if TargetGroup.DISABILITY in groups:
        return ServiceCategory.DISABILITY_SUPPORT
    return ServiceCategory.SOCIAL_ASSISTANCE


def _urgency(due: DueVisit, period: Period) -> Urgency:
    if due.reason is DueReason.INCIDENT_FOLLOW_UP or due.respond_by is not None:
        return Urgency.CRITICAL
    if due.due_on < period.start:
        return Urgency.HIGH
    if due.tier == "high_risk":
        return Urgency.MEDIUM
    return Urgency.LOW


def visit_needs(
    due_visits: Iterable[DueVisit],
    recipients: Iterable[Recipient],
    *,
    period: Period,
    role: Literal["volunteers", "lead_social_worker"] = "volunteers",
) -> tuple[Need, ...]:
    """Turn the visits due by the end of a period into needs (巡访转服务需求).

    Each :class:`DueVisit` due on or before ``period.end`` — overdue ones included — becomes
    one :class:`~wushe.models.Need` asking for one volunteer (or a lead social worker), so
    that the matching engine, not a second matcher, assigns visits within capacity:
    pass the result to ``wushe.matching.match``. The category follows the recipient's
    groups (children → 儿童关爱保护, elders → 养老服务, disability → 助残服务, else
    社会救助); urgency is critical for an incident follow-up, high when already overdue at
    the period's start, medium for the high-risk tier and low otherwise. ``raised_on`` is
    the due date, so older visits wait longer; the need takes place in the recipient's
    community. Need ids are ``"visit-<recipient_id>-<YYYYMMDD>"``.

    Raises:
        KeyError: When a due visit names a recipient not in ``recipients``.

    Examples:
        >>> from datetime import date
        >>> from wushe.care import schedule
        >>> from wushe.models import Period, Recipient
        >>> elder = Recipient.model_validate({
        ...     "recipient_id": "p1", "name": "钱桂芳", "community_id": "c1",
        ...     "target_groups": ["独居老人"], "birth_date": "1940-05-01",
        ...     "assessed_on": "2024-01-02"})
        >>> due = schedule([elder], [], as_of=date(2024, 3, 1))
        >>> [need] = visit_needs(due, [elder], period=Period(start=date(2024, 3, 1),
        ...                                                  end=date(2024, 3, 31)))
        >>> need.need_id, need.category.zh, need.urgency.zh, need.roles[0].role
        ('visit-p1-20240109', '养老服务', '紧急', 'volunteers')
    """
    people = {r.recipient_id: r for r in recipients}
    needs: list[Need] = []
    for due in sorted(due_visits, key=lambda d: (d.recipient_id, d.due_on)):
        if due.due_on > period.end:
            continue
        person = people[due.recipient_id]
        needs.append(
            Need(
                need_id=need_id_of(due),
                recipient_id=due.recipient_id,
                category=_category(person.target_groups),
                roles=(
                    (VolunteerRole(count=1),)
                    if role == "volunteers"
                    else (LeadWorkerRole(),)
                ),
                urgency=_urgency(due, period),
                raised_on=due.due_on,
                community_id=person.community_id,
            )
        )
    return tuple(needs)
