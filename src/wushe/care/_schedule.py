"""Next due visits for every covered recipient (巡访排期)."""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time, timedelta
from enum import StrEnum

import attrs

from wushe.care._policy import (
    VisitPolicy,
    VisitTier,
    _due_after_contact,
    _first_due,
    _TierResolver,
)
from wushe.care._visits import IncidentReport, VisitRecord
from wushe.care._vocab import VisitOutcome
from wushe.models import Dataset, Recipient
from wushe.network import StationNetwork
from wushe.network._param import network_param

__all__ = [
    "DueReason",
    "DueVisit",
    "RecipientCare",
    "care_records",
    "overdue",
    "responsible_stations",
    "schedule",
]


class DueReason(StrEnum):
    """Why the next visit falls due when it does (到期原因)."""

    FIRST_VISIT = "first_visit"
    """Never reached yet: due one interval after assessment, or now (首次巡访)."""
    REGULAR = "regular"
    """One tier interval after the last contact (定期巡访)."""
    INCIDENT_FOLLOW_UP = "incident_follow_up"
    """An incident or failed contact needs a contact within the tier's hours (应急响应)."""


@attrs.frozen(kw_only=True)
class DueVisit:
    """When a covered recipient must next be reached (应巡访).

    Holds ids only, never names.
    """

    recipient_id: str
    """Who is due (服务对象编号)."""
    community_id: str
    """Where the recipient lives (所在社区)."""
    station_id: str | None
    """Station responsible for the recipient's community, if any (责任站点)."""
    tier: str
    """Code of the recipient's tier (巡访等级)."""
    due_on: date
    """Last day on which the next contact is on time (应巡访日期)."""
    reason: DueReason
    """Why it falls due then (到期原因)."""
    last_contact_on: date | None
    """Day of the last contact, if any (上次联系日期)."""
    respond_by: datetime | None = None
    """Deadline of a pending incident follow-up, if any (应急响应时限)."""
    overdue_days: int = 0
    """Whole days past ``due_on`` as of the schedule date, at least 1 once ``respond_by`` has passed; 0 when on time (逾期天数)."""

    @property
    def is_overdue(self) -> bool:
        """Whether the visit is late as of the schedule date (是否逾期)."""
        return self.overdue_days > 0


@attrs.frozen(kw_only=True)
class RecipientCare:
    """Everything the warning rules need about one covered recipient (对象巡访情况).

    ``attempts`` and ``contacts`` hold visits up to the schedule date, oldest first;
    ``contacts`` only those that reached the person by a method the tier accepts.
    """

    recipient: Recipient
    """The recipient record (服务对象)."""
    tier: VisitTier
    """The recipient's tier (巡访等级)."""
    due: DueVisit
    """The next due visit (应巡访)."""
    attempts: tuple[VisitRecord, ...]
    """Every visit attempt up to the schedule date (巡访尝试)."""
    contacts: tuple[VisitRecord, ...]
    """Attempts that count as visits (有效巡访)."""
    incidents: tuple[IncidentReport, ...]
    """Incidents up to the schedule date (突发事件)."""
    pending_trigger: IncidentReport | VisitRecord | None
    """The oldest incident or failed contact not yet followed by a contact (待响应事件)."""
    regular_due_on: date
    """The due date from the tier interval alone, ignoring incidents (定期应巡访日期)."""


def _as_moment(as_of: date | datetime) -> datetime:
    # A bare date means "at the end of that day": everything dated that day has happened.
    if isinstance(as_of, datetime):
        return as_of
    return datetime.combine(as_of, time.max)


def _station_lookup(
    network: StationNetwork | None, caller: str
) -> Callable[[str], str | None]:
    """The responsible station of a community id, from the network (or none at all)."""
    checked = network_param(network, caller=caller)
    if checked is None:
        return lambda _community_id: None
    return checked.station_for_community


def responsible_stations(dataset: Dataset) -> dict[str, str]:
    """Map every community to the station responsible for it (社区责任站点).

    The answer of :meth:`wushe.network.StationNetwork.station_for_community` for every
    community of the dataset: its own built community room (村（社区）社工室) when it has
    one, else its street or township station, else the county hub. Communities no station
    covers are left out. The care functions take the network itself (``network=``) and
    find the same stations; this mapping is handy to keep, to export or to compare.

    Raises:
        StationNetworkError: When the dataset's stations do not form a valid network.
    """
    network = StationNetwork.from_dataset(dataset)
    result: dict[str, str] = {}
    for community in dataset.communities:
        station_id = network.station_for_community(community.community_id)
        if station_id is not None:
            result[community.community_id] = station_id
    return result


_VISIT_ORDER = operator.attrgetter("visited_at", "visit_id")
_INCIDENT_ORDER = operator.attrgetter("occurred_at", "incident_id")


def _moment(record: VisitRecord | IncidentReport) -> datetime:
    return record.visited_at if isinstance(record, VisitRecord) else record.occurred_at


def care_records(
    recipients: Iterable[Recipient],
    visits: Iterable[VisitRecord],
    policy: VisitPolicy | None = None,
    *,
    as_of: date | datetime,
    incidents: Iterable[IncidentReport] = (),
    network: StationNetwork | None = None,
) -> Iterator[RecipientCare]:
    """Yield the visit situation of every recipient the policy covers (对象巡访情况).

    This is the engine under :func:`schedule` and :func:`wushe.care.warnings`; use it to
    write your own warning rules. Records dated after ``as_of`` are ignored. Recipients come
    out in input order. With a ``network``, each due visit names the station responsible for
    the recipient's community (:meth:`~wushe.network.StationNetwork.station_for_community`);
    without one, no station.

    Raises:
        TypeError: if ``network`` is not a :class:`~wushe.network.StationNetwork`.
        StationNetworkError: if a recipient's community is not in the network's dataset.

    Complexity: O(R + V log V + I log I) for R recipients, V visits and I incidents.
    """
    lookup = _station_lookup(
        network, "care_records"
    )  # checked now, not on first next()
    return _care_records(
        recipients,
        visits,
        policy if policy is not None else VisitPolicy(),
        _as_moment(as_of),
        incidents,
        lookup,
    )


def _care_records(
    recipients: Iterable[Recipient],
    visits: Iterable[VisitRecord],
    policy: VisitPolicy,
    moment: datetime,
    incidents: Iterable[IncidentReport],
    lookup: Callable[[str], str | None],
) -> Iterator[RecipientCare]:
    resolve = _TierResolver(policy)
    today = moment.date()
    visits_of: dict[str, list[VisitRecord]] = defaultdict(list)
    for visit in visits:
        if visit.visited_at <= moment:
            visits_of[visit.recipient_id].append(visit)
    incidents_of: dict[str, list[IncidentReport]] = defaultdict(list)
    for incident in incidents:
        if incident.occurred_at <= moment:
            incidents_of[incident.recipient_id].append(incident)
    for recipient in recipients:
        tier = resolve(recipient, today)
        if tier is None:
            continue
        rid = recipient.recipient_id
        attempts = sorted(visits_of.get(rid, ()), key=_VISIT_ORDER)
        allowed = tier.methods or policy.methods
        contacts = [
            v
            for v in attempts
            if v.outcome is not VisitOutcome.NOT_REACHED and v.method in allowed
        ]
        events = sorted(incidents_of.get(rid, ()), key=_INCIDENT_ORDER)
        due, pending, regular = _due(recipient, tier, attempts, contacts, events, today)
        station_id = lookup(recipient.community_id)
        overdue_days = max(0, (today - due[0]).days)
        if due[2] is not None and moment > due[2]:
            overdue_days = max(overdue_days, 1)
        yield RecipientCare(
            recipient=recipient,
            tier=tier,
            due=DueVisit(
                recipient_id=rid,
                community_id=recipient.community_id,
                station_id=station_id,
                tier=tier.code,
                due_on=due[0],
                reason=due[1],
                last_contact_on=contacts[-1].visited_at.date() if contacts else None,
                respond_by=due[2],
                overdue_days=overdue_days,
            ),
            attempts=tuple(attempts),
            contacts=tuple(contacts),
            incidents=tuple(events),
            pending_trigger=pending,
            regular_due_on=regular,
        )


def _due(
    recipient: Recipient,
    tier: VisitTier,
    attempts: list[VisitRecord],
    contacts: list[VisitRecord],
    incidents: list[IncidentReport],
    today: date,
) -> tuple[
    tuple[date, DueReason, datetime | None], IncidentReport | VisitRecord | None, date
]:
    if contacts:
        due_on = _due_after_contact(tier, contacts[-1].visited_at.date())
        reason = DueReason.REGULAR
    elif recipient.assessed_on is not None:
        due_on = _first_due(tier, recipient.assessed_on)
        reason = DueReason.FIRST_VISIT
    else:
        due_on, reason = today, DueReason.FIRST_VISIT
    if tier.incident_response_hours is None:
        return (due_on, reason, None), None, due_on
    last_contact = contacts[-1].visited_at if contacts else None
    failed = tier.follow_up_failed_contacts
    triggers: list[IncidentReport | VisitRecord] = [
        *incidents,
        *(v for v in attempts if failed and v.outcome is VisitOutcome.NOT_REACHED),
    ]
    pending = [t for t in triggers if last_contact is None or _moment(t) > last_contact]
    if not pending:
        return (due_on, reason, None), None, due_on
    first = min(pending, key=_moment)
    respond_by = _moment(first) + timedelta(hours=tier.incident_response_hours)
    if respond_by.date() <= due_on:
        return (
            (respond_by.date(), DueReason.INCIDENT_FOLLOW_UP, respond_by),
            first,
            due_on,
        )
    return (due_on, reason, respond_by), first, due_on


def schedule(
    recipients: Iterable[Recipient],
    visits: Iterable[VisitRecord],
    policy: VisitPolicy | None = None,
    *,
    as_of: date | datetime,
    incidents: Iterable[IncidentReport] = (),
    network: StationNetwork | None = None,
) -> tuple[DueVisit, ...]:
    """Give the next due visit for every recipient the policy covers (巡访排期).

    Objective: for each covered recipient, the last day a contact is still on time under
    their tier. The regular due date is the last contact plus the tier's interval (for a
    recipient never reached: the assessment date plus the interval, or ``as_of`` when the
    assessment date is unknown). For tiers with an incident response time, an incident or a
    failed contact after the last contact brings the due date forward to its deadline.

    Guarantees: exactly one :class:`DueVisit` per covered recipient, none for recipients
    the policy does not cover; deterministic; sorted by due date then recipient id. Only
    records up to ``as_of`` count (a bare date means the end of that day).

    Args:
        recipients: The recipients to schedule, e.g. ``dataset.recipients``.
        visits: The visit log.
        policy: Tiers and rules; default :class:`VisitPolicy` (the local example).
        as_of: The schedule date.
        incidents: Incident reports.
        network: The station network; each due visit then names the station
            responsible for the recipient's community. Pass a network built from one
            street's stations to see only that street's stations.

    Raises:
        TypeError: if ``network`` is not a :class:`~wushe.network.StationNetwork`.
        StationNetworkError: if a recipient's community is not in the network's dataset.

    Complexity: O(R + V log V + I log I).

    Examples:
        >>> from datetime import date
        >>> from wushe.models import Recipient
        >>> elder = Recipient.model_validate({
        ...     "recipient_id": "p1", "name": "钱桂芳", "community_id": "c1",
        ...     "target_groups": ["独居老人"], "birth_date": "1940-05-01",
        ...     "assessed_on": "2024-01-02"})
        >>> visit = VisitRecord.model_validate({
        ...     "visit_id": "v1", "recipient_id": "p1", "visited_at": "2024-03-01T10:00"})
        >>> [due] = schedule([elder], [visit], as_of=date(2024, 3, 12))
        >>> due.tier, due.due_on, due.overdue_days
        ('high_risk', datetime.date(2024, 3, 8), 4)
    """
    network_param(network, caller="schedule")
    rows = [
        care.due
        for care in care_records(
            recipients,
            visits,
            policy,
            as_of=as_of,
            incidents=incidents,
            network=network,
        )
    ]
    rows.sort(key=lambda d: (d.due_on, d.recipient_id))
    return tuple(rows)


def overdue(
    recipients: Iterable[Recipient],
    visits: Iterable[VisitRecord],
    policy: VisitPolicy | None = None,
    *,
    as_of: date | datetime,
    incidents: Iterable[IncidentReport] = (),
    network: StationNetwork | None = None,
) -> tuple[DueVisit, ...]:
    """Return the due visits that are late as of ``as_of``, most overdue first (逾期巡访).

    A regular visit is late once ``as_of`` is past its due date, so exactly when the gap
    since the last contact exceeds the tier's interval; an incident follow-up is late once
    ``as_of`` is past its deadline. ``network`` as in :func:`schedule`.
    """
    network_param(network, caller="overdue")
    rows = [
        due
        for due in schedule(
            recipients,
            visits,
            policy,
            as_of=as_of,
            incidents=incidents,
            network=network,
        )
        if due.is_overdue
    ]
    rows.sort(key=lambda d: (-d.overdue_days, d.recipient_id))
    return tuple(rows)
