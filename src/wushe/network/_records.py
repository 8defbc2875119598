"""Roll-ups of the station's own records (业务记录汇总).

Cases, referrals, supervision, training, households and people. Each record becomes one dated row at the station that keeps it, and the same engine as
:func:`wushe.network.rollup` sums the rows up the hierarchy. So cases and sessions are
counted apart (个案 21 is 21 cases), a referral rate is referrals over needs summed per
station, and a household or a person counts once at every level.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import attrs

from wushe.models import Dataset, PersonIndex, referrals_without_basis
from wushe.network._metrics import Metric
from wushe.network._rollup import Rollup, rollup
from wushe.vocab import ActivityType, HouseholdStatus

if TYPE_CHECKING:  # pragma: no cover
    from wushe.models import Period
    from wushe.network._network import StationNetwork

__all__ = [
    "HOUSEHOLDS_SERVED",
    "HOUSEHOLDS_VISITED",
    "RecordRow",
    "distinct_people",
    "household_rollup",
    "record_metrics",
    "record_rollup",
    "record_rows",
]


@attrs.frozen(kw_only=True)
class RecordRow:
    """One dated fact of a station's records, the unit :func:`record_rollup` counts (业务记录行).

    ``kind`` says what happened: ``"case_opened"``, ``"case_closed"``, ``"case_session"``,
    ``"referral"``, ``"need"``, ``"supervision"``, ``"training"`` or ``"household"``.
    """

    activity_id: str
    """Row key, ``"<collection>:<record id>[:<event>]"`` (行编号)."""
    station_id: str
    """The station the row counts at (所属站点)."""
    held_on: date
    """The date that places the row in a period (日期)."""
    kind: str
    """What the row records (记录类别)."""
    record: Any = attrs.field(eq=False, repr=False)
    """The model the row comes from (来源记录)."""


def _value(kind: str, amount: Any = None) -> Any:
    def value(row: Any) -> int | Decimal:
        if row.kind != kind:
            return 0
        return 1 if amount is None else amount(row.record)

    return value


def _sum(name: str, zh: str, kind: str, unit: str, amount: Any = None) -> Metric:
    return Metric.sum(name, zh, _value(kind, amount), unit=unit)


_CASES_OPENED = _sum("cases.opened", "开案数", "case_opened", "个")
_CASES_CLOSED = _sum("cases.closed", "结案数", "case_closed", "个")
_SESSIONS = _sum("case_sessions", "个案服务次数", "case_session", "次")
_SESSION_HOURS = _sum(
    "case_sessions.hours",
    "个案服务时长",
    "case_session",
    "小时",
    lambda s: Decimal(s.duration_minutes) / 60,
)
_REFERRALS = _sum("referrals.sent", "转介数", "referral", "件")
_REFERRALS_CLOSED = _sum(
    "referrals.closed", "转介办结数", "referral", "件", lambda r: int(r.is_closed)
)
_REFERRALS_UNLAWFUL = _sum(
    "referrals.without_basis", "无依据转介数", "referral_without_basis", "件"
)
_NEEDS = _sum("needs.raised", "登记需求数", "need", "件")
_SUPERVISION = _sum("supervision.sessions", "督导次数", "supervision", "次")
_SUPERVISION_HOURS = _sum(
    "supervision.hours", "督导时长", "supervision", "小时", lambda s: s.hours
)
_SUPERVISION_TIMES = _sum(
    "supervision.person_times",
    "督导人次",
    "supervision",
    "人次",
    lambda s: s.attendances,
)
_TRAININGS = _sum("training.sessions", "培训场次", "training", "场")
_TRAINING_TIMES = _sum(
    "training.person_times", "培训人次", "training", "人次", lambda t: t.attendances
)
_RECORD_METRICS: tuple[Metric, ...] = (
    _CASES_OPENED,
    _CASES_CLOSED,
    _SESSIONS,
    _SESSION_HOURS,
    _NEEDS,
    _REFERRALS,
    _REFERRALS_CLOSED,
    _REFERRALS_UNLAWFUL,
    Metric.ratio_of_sums("referrals.rate", "转介率", _REFERRALS, _NEEDS),
    Metric.ratio_of_sums(
        "referrals.closure_rate", "转介办结率", _REFERRALS_CLOSED, _REFERRALS
    ),
    _SUPERVISION,
    _SUPERVISION_HOURS,
    _SUPERVISION_TIMES,
    _TRAININGS,
    _TRAINING_TIMES,
)


def record_metrics() -> tuple[Metric, ...]:
    """The default metrics of :func:`record_rollup` (业务记录统计指标).

    ``cases.opened`` and ``cases.closed`` count cases by intake and closing date;
    ``case_sessions`` and ``case_sessions.hours`` count sessions apart from cases;
    ``needs.raised`` counts needs at the station of their community; ``referrals.sent``
    counts referrals by date sent and ``referrals.closed`` those of them now closed;
    ``referrals.rate`` is referrals over needs and ``referrals.closure_rate`` closed over
    sent, both as ratios of sums; ``referrals.without_basis`` counts referrals sent on a
    day the recipient had no consent or statutory basis for referral
    (:func:`wushe.models.referrals_without_basis`), so they show at every level; then supervision sessions, hours and attendances, and
    training events and attendances (人次).
    """
    return _RECORD_METRICS


def _community_station(network: StationNetwork, community_id: str) -> str | None:
    return network.station_for_community(community_id)


def record_rows(
    network: StationNetwork, ds: Dataset | None = None
) -> Iterator[RecordRow]:
    """Yield one dated row per countable fact of the station's records (业务记录行).

    A case counts at its station on intake and again on closure; a session at its
    case's station; a referral at the referring station on the day sent; a need at the
    lowest built station of its community (needs of a community without one are left
    out); supervision and training at the station that ran them. A referral sent
    without a lawful basis also gives a ``referral_without_basis`` row.
    """
    ds = network.dataset if ds is None else ds
    yield from _case_rows(ds)
    yield from _unlawful_referral_rows(ds)
    home = {r.recipient_id: r.community_id for r in ds.recipients}
    for n in ds.needs:
        station = _community_station(network, n.community_id or home[n.recipient_id])
        if station is not None:
            yield RecordRow(
                activity_id=f"needs:{n.need_id}",
                station_id=station,
                held_on=n.raised_on,
                kind="need",
                record=n,
            )
    for kind, collection, id_field, date_field in _DATED:
        for record in getattr(ds, collection):
            yield RecordRow(
                activity_id=f"{collection}:{getattr(record, id_field)}",
                station_id=record.station_id,
                held_on=getattr(record, date_field),
                kind=kind,
                record=record,
            )


_DATED = (
    ("referral", "referrals", "referral_id", "sent_on"),
    ("supervision", "supervisions", "supervision_id", "held_on"),
    ("training", "trainings", "training_id", "held_on"),
)


def _unlawful_referral_rows(ds: Dataset) -> Iterator[RecordRow]:
    unlawful = set(referrals_without_basis(ds.referrals, ds.recipients))
    for r in ds.referrals:
        if r.referral_id in unlawful:
            yield RecordRow(
                activity_id=f"referrals:{r.referral_id}:without_basis",
                station_id=r.station_id,
                held_on=r.sent_on,
                kind="referral_without_basis",
                record=r,
            )


def _case_rows(ds: Dataset) -> Iterator[RecordRow]:
    cases = {c.case_id: c for c in ds.cases}
    for c in ds.cases:
        yield RecordRow(
            activity_id=f"cases:{c.case_id}:opened",
            station_id=c.station_id,
            held_on=c.opened_on,
            kind="case_opened",
            record=c,
        )
        if c.closed_on is not None:
            yield RecordRow(
                activity_id=f"cases:{c.case_id}:closed",
                station_id=c.station_id,
                held_on=c.closed_on,
                kind="case_closed",
                record=c,
            )
    for s in ds.case_sessions:
        yield RecordRow(
            activity_id=f"case_sessions:{s.session_id}",
            station_id=cases[s.case_id].station_id,
            held_on=s.held_on,
            kind="case_session",
            record=s,
        )


def record_rollup(
    network: StationNetwork,
    *,
    period: Period | Sequence[Period] | None = None,
    metrics: Sequence[Metric] | None = None,
) -> Rollup:
    """Sum cases, sessions, referrals, supervision and training up the hierarchy (业务记录汇总).

    The rows are :func:`record_rows` of the network's dataset and the engine is
    :func:`wushe.network.rollup`, with all its guarantees: each row counts once at every
    station above it, rates are ratios of sums, periods never overlap.

    Args:
        network: The station network; its dataset holds the records.
        period: One period, several non-overlapping periods, or ``None`` for all.
        metrics: What to count; defaults to :func:`record_metrics`.

    >>> from wushe import examples
    >>> from wushe.network import StationNetwork
    >>> net = StationNetwork.from_dataset(examples.load("qixinggang"))
    >>> record_rollup(net).total("qxg-ts", "cases.opened")
    0
    """
    rows = cast("Iterable[Any]", list(record_rows(network)))
    return rollup(
        network,
        rows,
        period=period,
        metrics=record_metrics() if metrics is None else metrics,
    )


def household_rollup(
    network: StationNetwork,
    *,
    on: date | None = None,
    status: HouseholdStatus | None = None,
) -> Rollup:
    """Count households and their members at every station (家庭户数汇总).

    A household counts at the lowest built station of its community and once at every
    station above. With ``status`` only households holding it on ``on`` count; ``on``
    defaults to the dataset's ``as_of``, else today. Metrics: ``households`` (户) and
    ``household_members`` (人), both distinct counts; members count only while they
    belong to the household on ``on`` (:meth:`~wushe.models.Household.members_on`).
    """
    ds = network.dataset
    day = on or ds.as_of or date.today()
    rows: list[RecordRow] = []
    for h in ds.households:
        if status is not None and not h.has_status(status, day):
            continue
        station = _community_station(network, h.community_id)
        if station is None:
            continue
        rows.append(
            RecordRow(
                activity_id=f"households:{h.household_id}",
                station_id=station,
                held_on=day,
                kind="household",
                record=h,
            )
        )
    metrics = [
        Metric.distinct_count("households", "家庭户数", _household_key, unit="户"),
        Metric.distinct_count(
            "household_members", "家庭成员人数", _member_keys, unit="人"
        ),
    ]
    return rollup(network, cast("Iterable[Any]", rows), metrics=metrics)


def _household_key(row: Any) -> Iterable[Hashable]:
    return (row.record.household_id,)


def _member_keys(row: Any) -> Iterable[Hashable]:
    # A member who left before the day (or joined after it) is not counted.
    return row.record.members_on(row.held_on)  # type: ignore[no-any-return]


HOUSEHOLDS_SERVED = Metric.distinct_count(
    "households_served",
    "服务家庭户数",
    lambda a: a.household_ids,
    unit="户",
)
"""Households named in the activity ledger, each counted once at every level (服务家庭户数).

Add it to :func:`wushe.network.rollup`'s metrics to count visits per household.
"""


HOUSEHOLDS_VISITED = Metric.distinct_count(
    "households_visited",
    "巡访家庭户数",
    lambda a: a.household_ids if a.activity_type is ActivityType.CARE_VISIT else (),
    unit="户",
)
"""Households named on care-visit rows (巡访台账 ``户编号``), each counted once at every level (巡访家庭户数).

Add it to :func:`wushe.network.rollup`'s metrics to count households visited beside the
visits' person-times.
"""


def distinct_people(index: PersonIndex) -> Metric:
    """The people taking part in the ledger, each counted once (参与人数（去重）).

    Recipients, volunteers and workers named on activity rows count as people through
    ``index``, so a recipient who volunteers is one person at every level.

        >>> from wushe.models import PersonLink
        >>> index = PersonIndex([PersonLink(person_id="x", recipient_ids={"p1"},
        ...                                 volunteer_ids={"v1"})])
        >>> distinct_people(index).name
        'distinct_people'
    """

    def keys(a: Any) -> Iterable[Hashable]:
        return index.people(
            recipient_ids=a.recipient_ids,
            volunteer_ids=a.volunteer_ids,
            worker_ids=a.worker_ids,
        )

    return Metric.distinct_count("distinct_people", "参与人数", keys, unit="人")
