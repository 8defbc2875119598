"""Supervision coverage, training attendance and continuing education (督导覆盖与继续教育).

Computes what hub reports publish — 金牛区社工总站 "实地督导13次，覆盖13个街道、32个社区"
and "共计服务全区社工270余人次" — from :class:`~wushe.models.Supervision` and
:class:`~wushe.models.Training` records, and checks each worker's continuing-education
hours against a configurable requirement.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Annotated

import attrs
from pydantic import Field

from wushe.models import Dataset, Period, Supervision, Training, WusheModel
from wushe.vocab import Qualification, StationLevel, SupervisionMode, TrainingKind

__all__ = [
    "CpdRequirement",
    "CpdRow",
    "SupervisionSummary",
    "TrainingSummary",
    "cpd_status",
    "cpd_term_status",
    "supervision_summary",
    "training_summary",
]

_TOWNSHIP_CODE = 9


@attrs.frozen(kw_only=True)
class SupervisionSummary:
    """What a set of supervision sessions covered (督导覆盖情况)."""

    sessions: int
    """Sessions held (督导次数)."""
    hours: Decimal
    """Hours of supervision (督导时长)."""
    person_times: int
    """Attendances (督导人次)."""
    street_codes: frozenset[str]
    """Division codes of the streets or townships reached (覆盖街道)."""
    community_ids: frozenset[str]
    """Communities reached (覆盖社区)."""
    station_ids: frozenset[str]
    """Stations and rooms visited or covered (覆盖站点)."""
    worker_ids: frozenset[str]
    """Workers on record who were supervised (被督导社工)."""

    @property
    def streets(self) -> int:
        """How many streets or townships were reached (覆盖街道数)."""
        return len(self.street_codes)

    @property
    def communities(self) -> int:
        """How many communities were reached (覆盖社区数)."""
        return len(self.community_ids)


def _in(period: Period | None, record: Supervision | Training) -> bool:
    return period is None or period.includes(record.held_on)


def supervision_summary(
    ds: Dataset,
    *,
    period: Period | None = None,
    station_id: str | None = None,
    mode: SupervisionMode | None = None,
) -> SupervisionSummary:
    """Count supervision sessions and the streets and communities they reached (督导统计).

    A session reaches the communities it lists and those of the community rooms it
    covers; it reaches a street when it covers that street's station, one of its rooms or
    one of its communities. A county hub's own visit does not count as a street.

    Args:
        ds: The dataset.
        period: Only sessions held in it (统计期间).
        station_id: Only sessions run by this station, e.g. the hub (组织站点).
        mode: Only sessions of this mode, e.g. :attr:`~wushe.vocab.SupervisionMode.FIELD` (督导方式).

    >>> from wushe import examples
    >>> summary = supervision_summary(examples.load("qixinggang"))
    >>> summary.sessions, summary.streets
    (0, 0)
    """
    chosen = [
        s
        for s in ds.supervisions
        if _in(period, s)
        and (station_id is None or s.station_id == station_id)
        and (mode is None or s.mode is mode)
    ]
    stations = {s.station_id: s for s in ds.stations}
    code = {c.community_id: c.division_code for c in ds.communities}
    covered = frozenset(sid for s in chosen for sid in s.station_ids)
    communities = {c for s in chosen for c in s.community_ids}
    streets: set[str] = set()
    for sid in covered:
        station = stations[sid]
        if station.level is StationLevel.VILLAGE:
            communities.update(station.community_ids)
        if station.level in (StationLevel.TOWNSHIP, StationLevel.VILLAGE):
            streets.add(station.division_code[:_TOWNSHIP_CODE])
    streets.update(code[c][:_TOWNSHIP_CODE] for c in communities)
    return SupervisionSummary(
        sessions=len(chosen),
        hours=sum((s.hours for s in chosen), Decimal(0)),
        person_times=sum(s.attendances for s in chosen),
        street_codes=frozenset(streets),
        community_ids=frozenset(communities),
        station_ids=covered,
        worker_ids=frozenset(w for s in chosen for w in s.supervisee_ids),
    )


@attrs.frozen(kw_only=True)
class TrainingSummary:
    """Attendance of a set of training events (培训统计)."""

    events: int
    """Events held (培训场次)."""
    person_times: int
    """Attendances, including people not on record (参训人次)."""
    hours: Decimal
    """Hours of training offered, summed over events (培训学时)."""
    worker_ids: frozenset[str]
    """Workers on record who attended at least once (参训社工)."""


def training_summary(
    ds: Dataset,
    *,
    period: Period | None = None,
    station_id: str | None = None,
    kinds: Iterable[TrainingKind] | None = None,
) -> TrainingSummary:
    """Count training events and attendances (培训统计).

    Args:
        ds: The dataset.
        period: Only events held in it (统计期间).
        station_id: Only events the station organised (组织站点).
        kinds: Only these kinds, e.g. courses and study visits (培训类型).
    """
    wanted = None if kinds is None else frozenset(kinds)
    chosen = [
        t
        for t in ds.trainings
        if _in(period, t)
        and (station_id is None or t.station_id == station_id)
        and (wanted is None or t.kind in wanted)
    ]
    return TrainingSummary(
        events=len(chosen),
        person_times=sum(t.attendances for t in chosen),
        hours=sum((t.hours for t in chosen), Decimal(0)),
        worker_ids=frozenset(w for t in chosen for w in t.attendee_ids),
    )


_DEFAULT_TERM_HOURS = {
    Qualification.ASSISTANT: Decimal(72),
    Qualification.INTERMEDIATE: Decimal(90),
    Qualification.SENIOR: Decimal(90),
}
_DEFAULT_SOURCE = (
    "《社会工作者继续教育办法》: per three-year registration term, 助理社会工作师 at least "
    "72 hours, 社会工作师 and 高级社会工作师 at least 90 hours (民发〔2009〕44号 "
    "registration rules; wushe DOMAIN.md §5, source S19)"
)


class CpdRequirement(WusheModel):
    """How many continuing-education hours a worker needs (继续教育学时要求).

    The default is the national rule per three-year registration term; a year's
    requirement is the term's hours divided by ``term_years``. Local rules differ, so
    every figure is configuration, and ``source`` says where it comes from.
    """

    term_hours: dict[Qualification, Annotated[Decimal, Field(ge=0)]] = Field(
        default_factory=lambda: dict(_DEFAULT_TERM_HOURS)
    )
    """Hours per registration term by certificate level (每登记周期学时)."""
    term_years: Annotated[int, Field(ge=1, le=10)] = 3
    """Years in a registration term (登记周期年数)."""
    uncertified_hours: Annotated[Decimal, Field(ge=0)] | None = None
    """Yearly hours for uncertified workers; ``None`` sets no requirement (未持证要求)."""
    source: str = _DEFAULT_SOURCE
    """Where the figures come from (依据)."""

    def yearly_hours(self, qualification: Qualification | None) -> Decimal | None:
        """Hours required in one year at this level; ``None`` when none (年度学时要求)."""
        if qualification is None:
            return self.uncertified_hours
        term = self.term_hours.get(qualification)
        return None if term is None else term / self.term_years


@attrs.frozen(kw_only=True)
class CpdRow:
    """One worker's continuing-education hours in a year or term against the requirement (继续教育学时)."""

    worker_id: str
    """The worker (社工编号)."""
    qualification: Qualification | None
    """Certificate level (职业水平等级)."""
    hours: Decimal
    """Hours earned in the year from trainings that count (已完成学时)."""
    required: Decimal | None
    """Hours required in the year or term; ``None`` when none (应完成学时)."""
    period: Period | None = None
    """The registration term counted, for :func:`cpd_term_status`; ``None`` for a year (登记周期)."""

    @property
    def met(self) -> bool:
        """Whether the requirement is met; true when there is none (是否达标)."""
        return self.required is None or self.hours >= self.required

    @property
    def shortfall(self) -> Decimal:
        """Hours still missing, never negative (差额学时)."""
        if self.required is None:
            return Decimal(0)
        return max(self.required - self.hours, Decimal(0))


def cpd_status(
    ds: Dataset, year: int, *, requirement: CpdRequirement | None = None
) -> tuple[CpdRow, ...]:
    """Each worker's continuing-education hours in ``year`` against the requirement (继续教育达标情况).

    Hours come from trainings held in the year that count for continuing education and
    list the worker among ``attendee_ids``. Rows are in worker id order, one per worker.

    Args:
        ds: The dataset.
        year: The calendar year.
        requirement: The rule; defaults to :class:`CpdRequirement` (the national figures).
    """
    rule = requirement or CpdRequirement()
    earned: dict[str, Decimal] = {}
    for t in ds.trainings:
        if t.counts_for_cpd and t.held_on.year == year:
            for w in t.attendee_ids:
                earned[w] = earned.get(w, Decimal(0)) + t.hours
    return tuple(
        CpdRow(
            worker_id=w.worker_id,
            qualification=w.qualification,
            hours=earned.get(w.worker_id, Decimal(0)),
            required=rule.yearly_hours(w.qualification),
        )
        for w in sorted(ds.workers, key=lambda w: w.worker_id)
    )


def cpd_term_status(
    ds: Dataset,
    *,
    on: date | None = None,
    requirement: CpdRequirement | None = None,
) -> tuple[CpdRow, ...]:
    """Each worker's continuing-education hours in their registration term (登记周期继续教育达标情况).

    The national rule counts hours per registration term, not per year (DOMAIN.md §5).
    A worker's term is the ``requirement.term_years`` years ending on their
    ``registered_until``; hours come from trainings held in the term, up to ``on`` when
    given, that count for continuing education and list the worker. ``required`` is the
    term's hours for the worker's level, so a row read mid-term shows the hours still to
    earn. A worker without ``registered_until`` has no term on record: the row has no
    ``period``, no hours and no requirement. Rows are in worker id order.

    Args:
        ds: The dataset.
        on: Count only trainings held on or before this day, e.g. today (统计截止日).
        requirement: The rule; defaults to :class:`CpdRequirement` (the national figures).

    >>> from wushe import examples
    >>> from wushe.models import SocialWorker, Training
    >>> worker = SocialWorker.model_validate({"worker_id": "w1", "name": "李敏",
    ...     "qualification": "社会工作师", "registered_until": "2025-06-30"})
    >>> course = Training.model_validate({"training_id": "t1", "title": "伦理",
    ...     "held_on": "2023-05-01", "station_id": "qxg-ts", "hours": "12",
    ...     "attendee_ids": ["w1"]})
    >>> ds = examples.load("qixinggang").model_copy(
    ...     update={"workers": (worker,), "trainings": (course,)})
    >>> (row,) = cpd_term_status(ds)
    >>> row.period.start.isoformat(), row.hours, row.required, row.shortfall
    ('2022-07-01', Decimal('12'), Decimal('90'), Decimal('78'))
    """
    rule = requirement or CpdRequirement()
    rows: list[CpdRow] = []
    for w in sorted(ds.workers, key=lambda w: w.worker_id):
        end = w.registered_until
        if end is None:
            rows.append(CpdRow(worker_id=w.worker_id, qualification=w.qualification,
                               hours=Decimal(0), required=None))  # fmt: skip
            continue
        term = Period(start=_years_before(end, rule.term_years), end=end)
        last = end if on is None else min(end, on)
        hours = sum(
            (
                t.hours
                for t in ds.trainings
                if t.counts_for_cpd
                and w.worker_id in t.attendee_ids
                and term.start <= t.held_on <= last
            ),
            Decimal(0),
        )
        required = _term_hours(rule, w.qualification)
        rows.append(CpdRow(worker_id=w.worker_id, qualification=w.qualification,
                           hours=hours, required=required, period=term))  # fmt: skip
    return tuple(rows)


def _term_hours(rule: CpdRequirement, level: Qualification | None) -> Decimal | None:
    """Hours required over a whole term; the uncertified figure is yearly."""
    if level is not None:
        return rule.term_hours.get(level)
    if rule.uncertified_hours is None:
        return None
    return rule.uncertified_hours * rule.term_years


def _years_before(end: date, years: int) -> date:
    """The first day of the ``years``-year term ending on ``end``."""
    try:
        start = end.replace(year=end.year - years)
    except ValueError:  # 29 February in a year without one
        start = end.replace(year=end.year - years, day=28)
    return start + timedelta(days=1)
