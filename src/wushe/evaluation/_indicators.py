"""Indicator actuals from the activity ledger and match outcomes, and their roll-up (指标实际值).

An indicator is named by a short dotted string (指标名):

``<activity_type>.sessions`` / ``<activity_type>.person_times``
    counted from the ledger, e.g. ``"group_activity.sessions"`` (小组活动场次);
``total.sessions`` / ``total.person_times``
    every ledger row of the subject, whatever its type;
``outputs.<name>``
    the sum of the ledger rows' :class:`~wushe.models.Quantity` outputs with that name;
``recipients.distinct`` / ``volunteers.distinct``
    distinct registered recipients served and volunteers involved;
``needs.<name>``
    outcomes of matching, e.g. ``"needs.met"``, supplied with :func:`outcome_actuals`;
``custom.<name>``
    anything else an evaluator measures, also supplied with :func:`outcome_actuals`.

Two short forms are accepted because contracts are often written that way: a bare
``sessions`` or ``person_times`` means ``total.sessions`` / ``total.person_times``, and a bare
lower-case name such as ``volunteers_cultivated`` means ``outputs.volunteers_cultivated``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from operator import attrgetter

import attrs

from wushe._renamed import renamed_keywords
from wushe.exceptions import EvaluationError
from wushe.models import Activity, Period, ServiceProject, Station
from wushe.network import StationNetwork
from wushe.network._param import network_param
from wushe.vocab import ActivityType, BilingualEnum

__all__ = [
    "Aggregation",
    "IndicatorActual",
    "indicator_actuals",
    "is_known_indicator",
    "outcome_actuals",
    "rollup_indicators",
]

_ACTIVITY_TYPES = "|".join(sorted(t.value for t in ActivityType))
_KNOWN = re.compile(
    rf"^(?:(?:{_ACTIVITY_TYPES}|total)\.(?:sessions|person_times)"
    r"|outputs\.[^\s]+"
    r"|(?:recipients|volunteers)\.distinct"
    r"|(?:needs|custom)\.[^\s]+"
    r"|[a-z][a-z0-9_]*)$"
)
_LEDGER_COUNT = re.compile(rf"^({_ACTIVITY_TYPES}|total)\.(sessions|person_times)$")


def _canonical(name: str) -> str:
    """The full form of a short indicator name."""
    if name in ("sessions", "person_times"):
        return f"total.{name}"
    if "." not in name:
        return f"outputs.{name}"
    return name


def _from_ledger(name: str) -> bool:
    full = _canonical(name)
    return full.split(".", 1)[0] not in ("needs", "custom")


def is_known_indicator(name: str) -> bool:
    """Whether ``name`` follows the indicator grammar (指标名是否有效).

    Examples:
        >>> is_known_indicator("group_activity.sessions")
        True
        >>> is_known_indicator("group.sessions")
        False
    """
    return _KNOWN.match(name) is not None


class Aggregation(BilingualEnum):
    """How an indicator's values combine when rolled up to a parent (汇总方式).

    ``sum`` adds values; ``ratio_of_sums`` adds numerators and denominators separately and
    divides once (never a mean of ratios); ``latest`` keeps the most recent observation;
    ``qualitative`` is never combined — each unit keeps only its own value.
    """

    SUM = "sum", "求和"
    RATIO_OF_SUMS = "ratio_of_sums", "比率（分子分母分别求和）", "比率"
    LATEST = "latest", "最新值"
    QUALITATIVE = "qualitative", "定性"


@attrs.frozen(kw_only=True)
class IndicatorActual:
    """The measured value of one indicator, with the evidence behind it (指标实际值)."""

    indicator: str
    """The indicator's name, e.g. ``"group_activity.sessions"`` (指标)."""
    value: float
    """The measured value; for a ratio, numerator ÷ denominator (实际值)."""
    source: str
    """Where it comes from: ``"ledger"``, ``"match"``, ``"rollup"`` or what the caller says (数据来源)."""
    period: Period | None = None
    """The period it covers, when known (统计期间)."""
    unit: str = ""
    """Unit, e.g. ``"场"`` or ``"人次"`` (单位)."""
    record_ids: tuple[str, ...] = ()
    """Ids of the ledger rows or other records it was computed from, sorted (证据记录)."""
    numerator: float | None = None
    """For ratio indicators: the numerator, so ratios can be rolled up exactly (分子)."""
    denominator: float | None = None
    """For ratio indicators: the denominator (分母)."""
    observed_on: date | None = None
    """For ``latest`` roll-ups: when it was observed (观测日期)."""
    unit_ids: tuple[str, ...] = ()
    """For rolled-up values: the projects or stations whose own values were combined (汇总单位)."""


_UNITS = {"sessions": "场次", "person_times": "人次"}


def indicator_actuals(
    subject: ServiceProject | Station,
    activities: Iterable[Activity],
    *,
    period: Period | None = None,
    network: StationNetwork | None = None,
    as_of: date | None = None,
) -> dict[str, IndicatorActual]:
    """Count a project's or station's indicator actuals from the activity ledger (台账统计).

    Objective: turn the ledger into evidence so that targets are compared with recorded
    activities, not with numbers typed in twice. A project's rows are those with its
    ``project_id``; a station's are those with its ``station_id``. With a ``network``, a
    station's rows are those of the station and of every station below it in the network
    (its whole jurisdiction: a street station with its community rooms), and a project's
    rows only those recorded by one of the network's stations (a network built from one
    street's stations counts a district-wide project's work in that street). Only rows held
    inside ``period`` (default: the project's contract period; for a station, all rows)
    and on or before ``as_of`` (default: no limit) count.

    Every ledger-derived indicator that the project targets is present, under the name the
    target uses, even when no row matches: a ledger with no group sessions is evidence of
    zero, not missing evidence. Each actual carries the sorted ids of the rows it counted.

    Complexity: O(rows + outputs), one pass.

    Returns:
        Actuals by indicator name: per activity type present, ``total.*``,
        ``outputs.<name>`` per output name, ``recipients.distinct`` and
        ``volunteers.distinct``.

    Raises:
        EvaluationError: if one output name is recorded in two different units.
        StationNetworkError: if the subject is a station that is not in ``network``.
        TypeError: if ``network`` is not a :class:`~wushe.network.StationNetwork`.

    Examples:
        >>> from datetime import date
        >>> from wushe.models import Activity, Station
        >>> station = Station.model_validate({"station_id": "s1", "name": "社工站",
        ...     "level": "township", "division_code": "510106001"})
        >>> rows = [Activity(activity_id="a1", activity_type="group_activity",
        ...     held_on=date(2023, 3, 1), station_id="s1", sessions=4, person_times=48)]
        >>> actuals = indicator_actuals(station, rows)
        >>> actuals["group_activity.sessions"].value, actuals["total.person_times"].value
        (4.0, 48.0)
    """
    key, wanted, stations = _ledger_keys(subject, network)
    if isinstance(subject, ServiceProject):
        period = period or subject.period
    first = period.start if period is not None else date.min
    last = min(period.end if period is not None else date.max, as_of or date.max)

    tally = _Tally()
    # One pass with plain attribute reads: this loop is the cost of evaluating a big ledger.
    for row in activities:
        if key(row) not in wanted or not first <= row.held_on <= last:
            continue
        if stations is not None and row.station_id not in stations:
            continue
        tally.add(row)
    result = tally.actuals(period)
    targeted = subject.targets if isinstance(subject, ServiceProject) else ()
    for target in targeted:
        name = target.indicator
        if name in result or not is_known_indicator(name) or not _from_ledger(name):
            continue
        full = _canonical(name)
        if full in result:
            result[name] = attrs.evolve(result[full], indicator=name)
        else:  # the ledger was searched and holds none: a recorded zero
            match = _LEDGER_COUNT.match(full)
            unit = _UNITS[match.group(2)] if match else target.unit
            result[name] = _ledger_actual(name, 0, (), unit, period)
    return dict(sorted(result.items()))


def _ledger_actual(
    name: str,
    value: float,
    ids: tuple[str, ...] | list[str],
    unit: str,
    period: Period | None,
) -> IndicatorActual:
    return IndicatorActual(
        indicator=name,
        value=float(value),
        source="ledger",
        period=period,
        unit=unit,
        record_ids=ids if isinstance(ids, tuple) else tuple(sorted(ids)),
    )


class _Tally:
    """Running counts of the ledger rows :func:`indicator_actuals` takes, one row at a time."""

    def __init__(self) -> None:
        self.sessions: dict[ActivityType, int] = defaultdict(int)
        self.persons: dict[ActivityType, int] = defaultdict(int)
        self.rows_by_type: dict[ActivityType, list[str]] = defaultdict(list)
        self.amounts: dict[str, Decimal] = defaultdict(Decimal)
        self.rows_by_output: dict[str, list[str]] = defaultdict(list)
        self.output_units: dict[str, str] = {}
        self.recipients: set[str] = set()
        self.volunteers: set[str] = set()
        self.recipient_rows: list[str] = []
        self.volunteer_rows: list[str] = []

    def add(self, row: Activity) -> None:
        kind = row.activity_type
        self.rows_by_type[kind].append(row.activity_id)
        self.sessions[kind] += row.sessions
        self.persons[kind] += row.person_times
        for output in row.outputs:
            name = f"outputs.{output.name}"
            seen = self.output_units.setdefault(name, output.unit)
            if seen != output.unit:
                msg = (
                    f"activity {row.activity_id!r}: output {output.name!r} is recorded "
                    f"in {output.unit!r} here and in {seen!r} elsewhere"
                )
                raise EvaluationError(msg)
            self.amounts[name] += output.amount
            self.rows_by_output[name].append(row.activity_id)
        if row.recipient_ids:
            self.recipients.update(row.recipient_ids)
            self.recipient_rows.append(row.activity_id)
        if row.volunteer_ids:
            self.volunteers.update(row.volunteer_ids)
            self.volunteer_rows.append(row.activity_id)

    def actuals(self, period: Period | None) -> dict[str, IndicatorActual]:
        """The counted indicators, each with the sorted ids of the rows behind it."""
        # Sort each id list once and share the tuple: sorting is most of the cost at 10^6 rows.
        by_type = {kind: tuple(sorted(ids)) for kind, ids in self.rows_by_type.items()}
        all_rows = tuple(sorted(row_id for ids in by_type.values() for row_id in ids))
        result: dict[str, IndicatorActual] = {}

        def put(
            name: str, value: float, ids: tuple[str, ...] | list[str], unit: str
        ) -> None:
            result[name] = _ledger_actual(name, value, ids, unit, period)

        for kind, ids in by_type.items():
            put(f"{kind.value}.sessions", self.sessions[kind], ids, "场次")
            put(f"{kind.value}.person_times", self.persons[kind], ids, "人次")
        for name, amount in self.amounts.items():
            put(name, float(amount), self.rows_by_output[name], self.output_units[name])
        put("total.sessions", sum(self.sessions.values()), all_rows, "场次")
        put("total.person_times", sum(self.persons.values()), all_rows, "人次")
        put("recipients.distinct", len(self.recipients), self.recipient_rows, "人")
        put("volunteers.distinct", len(self.volunteers), self.volunteer_rows, "人")
        return result


def _ledger_keys(
    subject: ServiceProject | Station, network: StationNetwork | None
) -> tuple[
    Callable[[Activity], str | None], frozenset[str | None], frozenset[str] | None
]:
    """How to pick the subject's rows: a key, its wanted values, the stations allowed."""
    checked = network_param(network, caller="indicator_actuals")
    if isinstance(subject, ServiceProject):
        allowed = None if checked is None else frozenset(checked.station_ids)
        return attrgetter("project_id"), frozenset((subject.project_id,)), allowed
    wanted: frozenset[str | None] = frozenset((subject.station_id,))
    if checked is not None:
        wanted |= checked.descendants(subject.station_id)
    return attrgetter("station_id"), wanted, None


def outcome_actuals(
    values: Mapping[str, Decimal | float | int],
    *,
    source: str = "match",
    period: Period | None = None,
    record_ids: Iterable[str] = (),
) -> dict[str, IndicatorActual]:
    """Wrap outcome values, e.g. from a match plan, as indicator actuals (成效指标实际值).

    Use it for evidence that does not come from the ledger: needs met by matching
    (``"needs.met"``), a satisfaction survey (``"custom.satisfaction"``) and so on. The
    ``source`` and ``record_ids`` travel into the report as the evidence behind each score.

    Raises:
        EvaluationError: if a name does not follow the indicator grammar.

    Examples:
        >>> outcome_actuals({"needs.met": 118})["needs.met"].value
        118.0
    """
    ids = tuple(sorted(record_ids))
    result: dict[str, IndicatorActual] = {}
    for name, value in values.items():
        if not is_known_indicator(name):
            msg = f"outcome {name!r} is not a known indicator name (use 'needs.<name>' or 'custom.<name>')"
            raise EvaluationError(msg)
        result[name] = IndicatorActual(
            indicator=name,
            value=float(value),
            source=source,
            period=period,
            record_ids=ids,
        )
    return result


@renamed_keywords(max_positional=2, parents="network")
def rollup_indicators(
    values: Mapping[str, Mapping[str, IndicatorActual]],
    semantics: Mapping[str, Aggregation],
    *,
    network: StationNetwork,
) -> dict[str, dict[str, IndicatorActual]]:
    """Roll indicator values up the station network, from each station to those above (指标汇总).

    ``values`` holds each station's *own* values — what it did itself, not including the
    stations below it — keyed by station id. The result holds, for every station of
    ``network``, its own value combined with those of every station below it by the
    indicator's declared :class:`Aggregation`. To roll up one street only, pass
    :meth:`~wushe.network.StationNetwork.subnetwork`.

    Guarantees:

    * no double counting: every station contributes once to each station above it, even
      an attached station that reports to two parents, and a ledger row
      (``record_ids``) claimed by two stations for the same indicator is rejected;
    * aligned periods: all values of one indicator must cover the same period;
    * ``ratio_of_sums`` divides summed numerators by summed denominators;
    * ``qualitative`` values are never combined: a station keeps only its own.

    Complexity: O(stations * depth * indicators); station trees are about four levels deep.

    Raises:
        TypeError: if ``network`` is not a :class:`~wushe.network.StationNetwork` (a
            mapping of parents, for one: the hierarchy is passed one way everywhere).
        EvaluationError: for a unit that is not a station of ``network``, an indicator
            without declared semantics, misaligned periods, a ratio value without
            numerator and denominator, a ``latest`` value without ``observed_on``, or a
            record counted by two stations; the message names the station ids and the
            indicator.

    Examples:
        >>> from wushe import examples
        >>> net = StationNetwork.from_dataset(examples.load("qixinggang"))
        >>> vals = {
        ...     "qxg-r01": outcome_actuals({"custom.visits": 10}),
        ...     "qxg-r02": outcome_actuals({"custom.visits": 5}),
        ...     "qxg-ts": outcome_actuals({"custom.visits": 1}),
        ... }
        >>> up = rollup_indicators(vals, {"custom.visits": Aggregation.SUM}, network=net)
        >>> up["qxg-ts"]["custom.visits"].value
        16.0
    """
    checked = network_param(network, caller="rollup_indicators")
    if checked is None:
        msg = (
            "rollup_indicators(network=...) needs a wushe.network.StationNetwork to roll "
            "up; build one with StationNetwork.from_dataset(dataset)"
        )
        raise TypeError(msg)
    for unit in values:
        if unit not in checked:
            msg = f"unit {unit!r} has values but is not a station of the network"
            raise EvaluationError(msg)
    _check_declared(values, semantics)
    _check_alignment(values)
    _check_no_shared_records(values)

    contributions: dict[tuple[str, str], list[tuple[str, IndicatorActual]]] = (
        defaultdict(list)
    )
    for unit, own in sorted(values.items()):
        above = sorted(checked.ancestors(unit))
        for name, item in own.items():
            qualitative = semantics[name] is Aggregation.QUALITATIVE
            for holder in (unit,) if qualitative else (unit, *above):
                contributions[holder, name].append((unit, item))

    result: dict[str, dict[str, IndicatorActual]] = {
        unit: {} for unit in checked.station_ids
    }
    for (holder, name), parts in sorted(contributions.items()):
        result[holder][name] = _combine(holder, name, semantics[name], parts)
    return result


def _check_declared(
    values: Mapping[str, Mapping[str, IndicatorActual]],
    semantics: Mapping[str, Aggregation],
) -> None:
    for unit, own in values.items():
        for name, item in own.items():
            if name != item.indicator:
                msg = f"unit {unit!r}: value filed under {name!r} is for {item.indicator!r}"
                raise EvaluationError(msg)
            if name not in semantics:
                msg = f"indicator {name!r} (unit {unit!r}) has no declared aggregation"
                raise EvaluationError(msg)


def _check_alignment(values: Mapping[str, Mapping[str, IndicatorActual]]) -> None:
    seen: dict[str, tuple[str, Period | None]] = {}
    for unit, own in sorted(values.items()):
        for name, item in own.items():
            first = seen.setdefault(name, (unit, item.period))
            if first[1] != item.period:
                msg = (
                    f"indicator {name!r}: unit {first[0]!r} covers {_period(first[1])} "
                    f"but unit {unit!r} covers {_period(item.period)}; "
                    "roll up values of the same period only"
                )
                raise EvaluationError(msg)


def _check_no_shared_records(
    values: Mapping[str, Mapping[str, IndicatorActual]],
) -> None:
    owner: dict[tuple[str, str], str] = {}
    for unit, own in sorted(values.items()):
        for name, item in own.items():
            for record in item.record_ids:
                first = owner.setdefault((name, record), unit)
                if first != unit:
                    msg = (
                        f"indicator {name!r}: record {record!r} is counted by both "
                        f"{first!r} and {unit!r}; each record must belong to one unit"
                    )
                    raise EvaluationError(msg)


def _period(period: Period | None) -> str:
    return "no stated period" if period is None else f"{period.start}..{period.end}"


def _combine(
    holder: str,
    name: str,
    how: Aggregation,
    parts: list[tuple[str, IndicatorActual]],
) -> IndicatorActual:
    units = tuple(sorted(unit for unit, _ in parts))
    items = [item for _, item in parts]
    first = items[0]
    records = tuple(sorted({r for item in items for r in item.record_ids}))
    source = first.source if len(parts) == 1 else "rollup"

    def build(
        value: float,
        *,
        numerator: float | None = None,
        denominator: float | None = None,
        observed_on: date | None = None,
    ) -> IndicatorActual:
        return IndicatorActual(
            indicator=name,
            value=value,
            source=source,
            period=first.period,
            unit=first.unit,
            record_ids=records,
            unit_ids=units,
            numerator=numerator,
            denominator=denominator,
            observed_on=observed_on,
        )

    if how is Aggregation.RATIO_OF_SUMS:
        for unit, item in parts:
            if item.numerator is None or item.denominator is None:
                msg = f"indicator {name!r}, unit {unit!r}: a ratio needs numerator and denominator"
                raise EvaluationError(msg)
        num = sum(item.numerator or 0.0 for item in items)
        den = sum(item.denominator or 0.0 for item in items)
        value = num / den if den else 0.0
        return build(value, numerator=num, denominator=den)
    if how is Aggregation.LATEST:
        dated: list[tuple[date, str, IndicatorActual]] = []
        for unit, item in parts:
            if item.observed_on is None:
                msg = f"indicator {name!r}, unit {unit!r}: 'latest' needs observed_on"
                raise EvaluationError(msg)
            dated.append((item.observed_on, unit, item))
        newest = max(day for day, _, _ in dated)
        tied = {item.value for day, _, item in dated if day == newest}
        if len(tied) > 1:
            msg = (
                f"indicator {name!r} under {holder!r}: several units report different "
                f"values on {newest}; 'latest' is ambiguous"
            )
            raise EvaluationError(msg)
        return build(tied.pop(), observed_on=newest)
    if how is Aggregation.QUALITATIVE:
        return first
    return build(sum(item.value for item in items))
