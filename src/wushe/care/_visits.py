"""The visit log and incident reports (巡访记录与突发事件)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from wushe._types import (
    HouseholdId,
    Identifier,
    RecipientId,
    SortedFrozenSet,
    StationId,
    VolunteerId,
    WorkerId,
)
from wushe.care._vocab import IncidentKind, VisitMethod, VisitOutcome
from wushe.exceptions import IntegrityIssue
from wushe.models import Activity, Dataset, LocalDateTime, WusheModel
from wushe.privacy import SensitiveText
from wushe.vocab import ActivityType

__all__ = [
    "IncidentReport",
    "VisitRecord",
    "check_visit_households",
    "visits_from_ledger",
]


class VisitRecord(WusheModel):
    """One entry of the care-visit log: one attempt to reach one recipient (巡访记录).

    A row with outcome ``contacted`` or ``incident`` is a visit (一人次); ``not_reached`` is a
    failed contact. Times are :data:`~wushe.models.LocalDateTime`: naive values are Beijing
    time, values with an offset are converted to it, so a log may mix both.
    """

    visit_id: Identifier
    """Identifier within the log (巡访编号)."""
    recipient_id: RecipientId
    """Who was visited (服务对象)."""
    visited_at: LocalDateTime
    """When the visit or call took place; Beijing time, 1900–2200, an offset converted (巡访时间)."""
    method: VisitMethod = VisitMethod.DOOR_VISIT
    """Door visit, phone, video, volunteer pairing … (巡访方式)."""
    outcome: VisitOutcome = VisitOutcome.CONTACTED
    """Contacted, not reached, or contacted and an incident found (巡访结果)."""
    worker_ids: SortedFrozenSet[WorkerId] = frozenset()
    """Social workers who made the visit (巡访社工)."""
    volunteer_ids: SortedFrozenSet[VolunteerId] = frozenset()
    """Volunteers who made the visit (巡访志愿者)."""
    station_id: StationId | None = None
    """Station that made and records the visit (记录站点)."""
    notes: SensitiveText | None = None
    """Observations, which may hold health details; masked by default (巡访情况)."""
    household_id: HouseholdId | None = None
    """The household visited, for logs kept per household; the recipient must be a member on the day (户编号)."""


class IncidentReport(WusheModel):
    """A major event in a recipient's life that calls for a prompt visit (突发事件报告).

    For tiers with an incident response time, a contact must follow within that many hours
    of ``occurred_at``.
    """

    incident_id: Identifier
    """Identifier within the log (事件编号)."""
    recipient_id: RecipientId
    """Whom it concerns (服务对象)."""
    kind: IncidentKind
    """Hospitalisation, bereavement, a fall … (事件类型)."""
    occurred_at: LocalDateTime
    """When it happened or became known; Beijing time, 1900–2200, an offset converted (发生时间)."""
    reported_by: Identifier | None = None
    """Id of the worker, volunteer or station that reported it (报告人)."""
    notes: SensitiveText | None = None
    """Details, which may hold health information; masked by default (事件情况)."""


def visits_from_ledger(activities: Iterable[Activity]) -> tuple[VisitRecord, ...]:
    """Turn care-visit ledger rows that name their recipients into visit records (台账转巡访记录).

    A spreadsheet 巡访台账 loaded with :func:`wushe.io.load_ledgers` becomes
    :class:`~wushe.models.Activity` rows of type ``care_visit``; each row naming
    ``recipient_ids`` becomes one contacted door visit per recipient, with the row's
    station and people. Ledger rows carry a date only, so the visit is placed at 00:00 of
    that day: a same-day incident then still asks for a follow-up, the cautious reading.
    Rows without recipients (aggregated counts) are left out; count them through
    ``activities=`` of :func:`wushe.care.visit_rates`. A row naming exactly one household
    (``户编号``) gives its visits that ``household_id``; with several, which recipient
    belongs to which is the dataset's to say, so none is set. Visit ids are
    ``"<activity_id>:<recipient_id>"``.

    Examples:
        >>> from wushe.models import Activity
        >>> row = Activity.model_validate({
        ...     "activity_id": "a1", "activity_type": "巡访", "held_on": "2023-05-06",
        ...     "station_id": "jn-r011", "recipient_ids": ["p2", "p1"]})
        >>> [(v.visit_id, v.visited_at.isoformat()) for v in visits_from_ledger([row])]
        [('a1:p1', '2023-05-06T00:00:00'), ('a1:p2', '2023-05-06T00:00:00')]
    """
    records: list[VisitRecord] = []
    for activity in activities:
        if activity.activity_type is not ActivityType.CARE_VISIT:
            continue
        one = len(activity.household_ids) == 1
        household = next(iter(activity.household_ids)) if one else None
        for recipient_id in sorted(activity.recipient_ids):
            records.append(
                VisitRecord(
                    visit_id=f"{activity.activity_id}:{recipient_id}",
                    recipient_id=recipient_id,
                    visited_at=datetime.combine(activity.held_on, time.min),
                    worker_ids=activity.worker_ids,
                    volunteer_ids=activity.volunteer_ids,
                    station_id=activity.station_id,
                    household_id=household,
                )
            )
    return tuple(records)


def check_visit_households(
    dataset: Dataset, visits: Iterable[VisitRecord]
) -> tuple[IntegrityIssue, ...]:
    """Check the households a visit log names against a dataset (核对巡访家庭).

    A visit's ``household_id`` must be a household of ``dataset`` and its recipient a
    member of it on the day of the visit: someone who had left, or not yet joined, was
    not visited as part of that household. Visits without a household are not checked.

    Returns:
        One issue per faulty visit, naming the visit and the field, in log order;
        empty when all is well.

    Examples:
        >>> from wushe.models import Dataset
        >>> ds = Dataset.model_validate({"name": "x", "division_code": "510106"})
        >>> visit = VisitRecord.model_validate({"visit_id": "v1", "recipient_id": "p1",
        ...     "visited_at": "2023-05-06T10:00", "household_id": "h9"})
        >>> [i.code for i in check_visit_households(ds, [visit])]
        ['unknown_reference']
    """
    households = {h.household_id: h for h in dataset.households}
    issues: list[IntegrityIssue] = []
    for v in visits:
        if v.household_id is None:
            continue
        h = households.get(v.household_id)
        if h is None:
            message = f"household {v.household_id} is not in the dataset"
            code = "unknown_reference"
        elif v.recipient_id not in h.members_on(v.visited_at.date()):
            message = (
                f"recipient {v.recipient_id} was not a member of household "
                f"{v.household_id} on {v.visited_at.date()}"
            )
            code = "not_household_member"
        else:
            continue
        issues.append(IntegrityIssue(collection="visits", record_id=v.visit_id,
                                     field="household_id", code=code, message=message))  # fmt: skip
    return tuple(issues)
