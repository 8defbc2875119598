"""Visit rates per station and period, rolled up the station network (巡访率统计)."""

from __future__ import annotations

import bisect
import calendar
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import attrs

from wushe.care._policy import (
    VisitPolicy,
    _due_after_contact,
    _first_due,
    _TierResolver,
)
from wushe.care._schedule import _station_lookup
from wushe.care._visits import VisitRecord
from wushe.care._vocab import VisitMethod, VisitOutcome
from wushe.models import Activity, Period, Recipient
from wushe.network import StationNetwork
from wushe.vocab import ActivityType

__all__ = ["VisitRateRow", "monthly_periods", "visit_rates"]


@attrs.frozen(kw_only=True)
class VisitRateRow:
    """Visit statistics of one station and period, including every station below it (巡访率).

    Counts are sums over the station's subtree, so a rolled-up rate is a ratio of sums,
    never a mean of the children's rates.
    """

    station_id: str | None
    """The station; ``None`` collects recipients whose community has no station (站点编号)."""
    start: date
    """First day of the period (起始日)."""
    end: date
    """Last day of the period (截止日)."""
    due: int
    """Recipients due a visit in the period (应巡访人数)."""
    visited: int
    """Of those, recipients reached at least once in the period (已巡访人数)."""
    person_times: int
    """Visits that reached someone, counted from the visit log (巡访人次)."""
    ledger_person_times: int
    """Person-times of ``care_visit`` rows in the activity ledger (台账巡访人次)."""

    @property
    def rate(self) -> float | None:
        """``visited / due``; ``None`` when nobody was due (巡访率)."""
        return self.visited / self.due if self.due else None


def monthly_periods(first: date, last: date) -> tuple[Period, ...]:
    """Return the calendar months from the one holding ``first`` to the one holding ``last`` (按月分期).

    Examples:
        >>> [p.end.isoformat() for p in monthly_periods(date(2024, 1, 5), date(2024, 3, 1))]
        ['2024-01-31', '2024-02-29', '2024-03-31']
    """
    months: list[Period] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        days = calendar.monthrange(year, month)[1]
        months.append(Period(start=date(year, month, 1), end=date(year, month, days)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(months)


def visit_rates(
    recipients: Iterable[Recipient],
    visits: Iterable[VisitRecord],
    policy: VisitPolicy | None = None,
    *,
    periods: Sequence[Period],
    network: StationNetwork | None = None,
    as_of: date | None = None,
    activities: Iterable[Activity] = (),
) -> tuple[VisitRateRow, ...]:
    """Compute visit rates and person-times per station and period (巡访率统计).

    A covered recipient is *due* in a period when their tier asks for a contact at least
    once per period (interval no longer than the period) or when their rolling due date as
    of the period's first day falls inside it; *visited* when reached at least once in the
    period by a method the tier accepts. The monthly visit rate (月探访率) is visited / due.
    Recipients count at their community's responsible station in ``network``
    (:meth:`~wushe.network.StationNetwork.station_for_community`); a visit's person-time
    counts at the visit's ``station_id`` when set, else at the recipient's station. Ledger
    rows of type :attr:`wushe.vocab.ActivityType.CARE_VISIT` add ``ledger_person_times`` at
    their station, for localities that only keep an aggregated ledger. Visits and ledger
    rows dated after ``as_of`` are left out (default: none is).

    Guarantees: every station's row sums its own counts and those of every station below
    it (each descendant once, also in a network with several parents), so rates roll up as
    ratios of sums. Rows come sorted by period, then station id; a ``None`` station row
    appears only when some recipients or visits have no station in ``network`` (without a
    network, everything is in it). A network built from one street's stations gives that
    street's rows exactly as the district's network does.

    Raises:
        TypeError: if ``network`` is not a :class:`~wushe.network.StationNetwork`.

    Complexity: O(V log V + P x (R log V + L + S x D)) for P periods, R recipients, V
    visits, L ledger rows and S stations with D descendants each.
    """
    lookup = _station_lookup(network, "visit_rates")
    subtree = (
        {}
        if network is None
        else {sid: {sid, *network.descendants(sid)} for sid in network.station_ids}
    )
    policy = policy if policy is not None else VisitPolicy()
    resolve = _TierResolver(policy)
    last = date.max if as_of is None else as_of
    people = list(recipients)
    station_of_recipient = {p.recipient_id: lookup(p.community_id) for p in people}
    contacts: dict[str, list[VisitRecord]] = defaultdict(list)
    for visit in visits:
        if (
            visit.outcome is not VisitOutcome.NOT_REACHED
            and visit.visited_at.date() <= last
        ):
            contacts[visit.recipient_id].append(visit)
    # Every contact once, by day, with the station its person-time counts at.
    # Sorted on the day alone: stations may be None, which does not compare with str.
    timeline = sorted(
        (
            (v.visited_at.date(), v.station_id or station_of_recipient.get(rid))
            for rid, records in contacts.items()
            for v in records
        ),
        key=operator.itemgetter(0),
    )
    days_index = [day for day, _ in timeline]
    ledger = [
        a
        for a in activities
        if a.activity_type is ActivityType.CARE_VISIT and a.held_on <= last
    ]
    history = _History(contacts)
    rows: list[VisitRateRow] = []
    for period in periods:
        own: dict[str | None, Counter[str]] = defaultdict(Counter)
        _count_due(own, people, history, resolve, policy, period, station_of_recipient)
        low = bisect.bisect_left(days_index, period.start)
        high = bisect.bisect_right(days_index, period.end)
        for _, station in timeline[low:high]:
            own[station]["person_times"] += 1
        for activity in ledger:
            if period.includes(activity.held_on):
                own[activity.station_id]["ledger"] += activity.person_times
        for key in [k for k in own if k is not None and k not in subtree]:
            own[None].update(own.pop(key))
        for station in sorted(subtree):
            total = Counter[str]()
            for member in subtree[station]:
                total.update(own.get(member, {}))
            rows.append(_row(station, period, total))
        if None in own:
            rows.append(_row(None, period, own[None]))
    return tuple(rows)


class _History:
    """Each recipient's contact days, sorted once per set of accepted methods."""

    def __init__(self, contacts: Mapping[str, list[VisitRecord]]) -> None:
        self.contacts = contacts
        self.cache: dict[tuple[str, frozenset[VisitMethod]], list[date]] = {}

    def days(self, recipient_id: str, allowed: frozenset[VisitMethod]) -> list[date]:
        key = (recipient_id, allowed)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = sorted(
                v.visited_at.date()
                for v in self.contacts.get(recipient_id, ())
                if v.method in allowed
            )
        return found


def _row(
    station: str | None, period: Period, counts: Mapping[str, int]
) -> VisitRateRow:
    return VisitRateRow(
        station_id=station,
        start=period.start,
        end=period.end,
        due=counts.get("due", 0),
        visited=counts.get("visited", 0),
        person_times=counts.get("person_times", 0),
        ledger_person_times=counts.get("ledger", 0),
    )


def _count_due(
    own: dict[str | None, Counter[str]],
    people: list[Recipient],
    history: _History,
    resolve: _TierResolver,
    policy: VisitPolicy,
    period: Period,
    station_of_recipient: Mapping[str, str | None],
) -> None:
    start, end = period.start, period.end
    length = (end - start).days + 1
    due: Counter[str | None] = Counter()
    visited: Counter[str | None] = Counter()
    for person in people:
        assessed = person.assessed_on
        if assessed is not None and assessed > end:
            continue
        tier = resolve(person, end)
        if tier is None:
            continue
        days = history.days(person.recipient_id, tier.methods or policy.methods)
        before = bisect.bisect_left(days, start)
        # A tier asking for a contact at least once per period is due in every period;
        # otherwise (and always for calendar-month tiers, whose deadline is a month end)
        # only when its rolling due date as of the period's start falls inside it.
        if tier.calendar_month or tier.max_interval_days > length:
            if before:
                rolling = _due_after_contact(tier, days[before - 1])
            elif assessed is not None:
                rolling = _first_due(tier, assessed)
            else:
                rolling = start
            if rolling > end:
                continue
        station = station_of_recipient.get(person.recipient_id)
        due[station] += 1
        if before < len(days) and days[before] <= end:
            visited[station] += 1
    for station, count in due.items():
        own[station]["due"] += count
    for station, count in visited.items():
        own[station]["visited"] += count
