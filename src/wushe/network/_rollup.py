"""Ledger statistics summed up the station hierarchy (统计汇总)."""

from __future__ import annotations

import logging
import time
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING

import attrs

from wushe._gc import paused_gc
from wushe.exceptions import StationNetworkError
from wushe.models import Activity, Period
from wushe.network._metrics import Aggregation, Metric, ledger_metrics
from wushe.vocab import StationLevel

if TYPE_CHECKING:  # pragma: no cover
    from wushe.network._network import StationNetwork

__all__ = ["Rollup", "RollupRow", "calendar_periods", "rollup"]

_log = logging.getLogger("wushe.network")

Value = int | Decimal | float | None


@attrs.frozen(kw_only=True)
class RollupRow:
    """One metric of one station in one period (汇总行).

    ``own`` counts the station's own ledger; ``total`` adds every station below it,
    each exactly once.
    """

    station_id: str
    """The station (站点编号)."""
    level: StationLevel
    """The station's level (层级)."""
    period: Period | None
    """The period, or ``None`` for the whole ledger (统计期间)."""
    metric: str
    """The metric's name (指标代号)."""
    zh: str
    """The metric's Chinese label (指标名称)."""
    own: Value
    """The station's own value; ``None`` for a ratio with a zero denominator (本站数值)."""
    total: Value
    """The value over the station and everything below it (汇总数值)."""


@attrs.frozen(kw_only=True, eq=False)
class Rollup:
    """The result of :func:`rollup`: every metric at every station and period (汇总结果).

    Values are held in columns, one per station, and read with :meth:`total`,
    :meth:`own` or :meth:`rows`, so a national roll-up does not create millions of
    objects.
    """

    network: StationNetwork
    """The network rolled up (社工站网络)."""
    metrics: tuple[Metric, ...]
    """The metrics, in the order asked for (指标)."""
    periods: tuple[Period | None, ...]
    """The periods, sorted; ``(None,)`` when the whole ledger was rolled up (统计期间)."""
    _own: tuple[dict[str, list[object]], ...]
    _total: tuple[dict[str, list[object]], ...]
    _columns: dict[str, int]

    def __repr__(self) -> str:
        return (
            f"<Rollup {len(self.network)} stations, {len(self.metrics)} metrics, "
            f"{len(self.periods)} periods>"
        )

    def _metric(self, metric: str | Metric) -> Metric:
        name = metric if isinstance(metric, str) else metric.name
        for m in self.metrics:
            if m.name == name:
                return m
        msg = (
            f"metric {name!r} was not rolled up; have {[m.name for m in self.metrics]}"
        )
        raise KeyError(msg)

    def _period_index(self, period: Period | None) -> int:
        if period is None and len(self.periods) == 1:
            return 0
        try:
            return self.periods.index(period)
        except ValueError:
            msg = f"period {period} was not rolled up"
            raise KeyError(msg) from None

    def _value(
        self, column_set: dict[str, list[object]], station_id: str, m: Metric
    ) -> Value:
        row = column_set.get(station_id)
        if m.aggregation is Aggregation.RATIO_OF_SUMS:
            assert m.numerator is not None
            assert m.denominator is not None
            top = self._value(column_set, station_id, m.numerator)
            bottom = self._value(column_set, station_id, m.denominator)
            return None if not bottom else float(top or 0) / float(bottom)
        if row is None:
            return 0
        cell = row[self._columns[m.name]]
        if m.aggregation is Aggregation.DISTINCT_COUNT:
            assert isinstance(cell, set)
            return len(cell)
        assert isinstance(cell, int | Decimal)
        return cell

    def total(
        self, station_id: str, metric: str | Metric, *, period: Period | None = None
    ) -> Value:
        """The metric over the station and everything below it (汇总值)."""
        self.network.station(station_id)
        totals = self._total[self._period_index(period)]
        return self._value(totals, station_id, self._metric(metric))

    def own(
        self, station_id: str, metric: str | Metric, *, period: Period | None = None
    ) -> Value:
        """The metric over the station's own ledger rows only (本站值)."""
        self.network.station(station_id)
        owns = self._own[self._period_index(period)]
        return self._value(owns, station_id, self._metric(metric))

    def grand_total(
        self, metric: str | Metric, *, period: Period | None = None
    ) -> Value:
        """The metric over the whole network, across every root (全网合计)."""
        m = self._metric(metric)
        owns = self._own[self._period_index(period)]
        combined: dict[str, list[object]] = {"*": self._empty()}
        for row in owns.values():
            _merge(combined["*"], row, self._kinds())
        return self._value(combined, "*", m)

    def _kinds(self) -> list[Aggregation]:
        return _column_kinds(self._columns, self.metrics)

    def _empty(self) -> list[object]:
        return _empty_row(self._kinds())

    def rows(self, station_id: str | None = None) -> Iterator[RollupRow]:
        """Yield one row per station, period and metric; stations in id order (汇总行)."""
        station_ids = self.network.station_ids if station_id is None else (station_id,)
        for sid in station_ids:
            level = self.network.station(sid).level
            for p_index, period in enumerate(self.periods):
                for m in self.metrics:
                    yield RollupRow(
                        station_id=sid,
                        level=level,
                        period=period,
                        metric=m.name,
                        zh=m.zh,
                        own=self._value(self._own[p_index], sid, m),
                        total=self._value(self._total[p_index], sid, m),
                    )


def calendar_periods(year: int, *, every: str = "quarter") -> tuple[Period, ...]:
    """The months, quarters or whole year of a calendar year, as roll-up periods (自然期间).

    Calendar periods never overlap and leave no gap, so a roll-up over them loses no row
    of the year and counts none twice.

        >>> [f"{p.start:%m-%d}..{p.end:%m-%d}" for p in calendar_periods(2023)]
        ['01-01..03-31', '04-01..06-30', '07-01..09-30', '10-01..12-31']

    Args:
        year: The calendar year.
        every: ``"month"``, ``"quarter"`` or ``"year"``.

    Raises:
        ValueError: for another ``every``.
    """
    months = {"month": 1, "quarter": 3, "year": 12}.get(every)
    if months is None:
        msg = f"every must be 'month', 'quarter' or 'year', not {every!r}"
        raise ValueError(msg)
    periods = []
    for first in range(1, 13, months):
        after = (
            date(year + 1, 1, 1)
            if first + months > 12
            else date(year, first + months, 1)
        )
        periods.append(
            Period(
                start=date(year, first, 1), end=date.fromordinal(after.toordinal() - 1)
            )
        )
    return tuple(periods)


def _base_metrics(metrics: Sequence[Metric]) -> list[Metric]:
    base: dict[str, Metric] = {}
    for m in metrics:
        parts = (
            [m.numerator, m.denominator]
            if m.aggregation is Aggregation.RATIO_OF_SUMS
            else [m]
        )
        for part in parts:
            if part is None:  # pragma: no cover - excluded by Metric
                continue
            known = base.get(part.name)
            if known is not None and known is not part and known != part:
                msg = f"two different metrics are named {part.name!r}"
                raise StationNetworkError(msg)
            base.setdefault(part.name, part)
    return list(base.values())


def _column_kinds(
    columns: dict[str, int], metrics: Sequence[Metric]
) -> list[Aggregation]:
    kinds = [Aggregation.SUM] * len(columns)
    for m in _base_metrics(metrics):
        kinds[columns[m.name]] = m.aggregation
    return kinds


def _empty_row(kinds: Sequence[Aggregation]) -> list[object]:
    return [set() if k is Aggregation.DISTINCT_COUNT else 0 for k in kinds]


def _merge(into: list[object], row: list[object], kinds: Sequence[Aggregation]) -> None:
    for i, kind in enumerate(kinds):
        if kind is Aggregation.DISTINCT_COUNT:
            target = into[i]
            assert isinstance(target, set)
            source = row[i]
            assert isinstance(source, set)
            target |= source
        else:
            into[i] = into[i] + row[i]  # type: ignore[operator]


def _check_periods(periods: Sequence[Period]) -> tuple[Period, ...]:
    ordered = tuple(sorted(periods, key=lambda p: (p.start, p.end)))
    for earlier, later in pairwise(ordered):
        if later.start <= earlier.end:
            msg = (
                f"periods {earlier.start}..{earlier.end} and {later.start}..{later.end} "
                "overlap: an activity would be counted in both"
            )
            raise StationNetworkError(msg)
    return ordered


def rollup(
    network: StationNetwork,
    activities: Iterable[Activity] | None = None,
    *,
    period: Period | Sequence[Period] | None = None,
    metrics: Sequence[Metric] | None = None,
) -> Rollup:
    """Sum ledger statistics from rooms to streets to the district (台账统计汇总).

    Objective: for every station *S*, period and metric, the value over the ledger rows of
    *S* (``own``) and over the rows of *S* and every station below it (``total``).

    Guarantees:

    * every station's rows count once at every station above it, even when a school or
      elderly-institution station reports to two parents (the union of its ancestors
      receives them, not each path);
    * sums add; distinct counts take the union of keys (a recipient served by two rooms
      counts once at their street); a ratio divides the summed numerator by the summed
      denominator, never averaging the stations' ratios;
    * periods must not overlap (else a row would count twice); a row belongs to the
      period containing its ``held_on`` date and rows outside every period are left out;
    * for sums, a station's total equals its own value plus its children's totals in a
      tree, and the roots' totals add up to the whole ledger.

    Complexity: O(A·M + S·D·M) for A ledger rows, M metrics, S stations and tree depth
    D ≤ 4, plus the size of the key sets for distinct counts.

    Args:
        network: The station network.
        activities: Ledger rows; defaults to the dataset's ``activities``.
        period: One period, several non-overlapping periods, or ``None`` for the whole
            ledger as one period.
        metrics: What to count; defaults to
            :func:`~wushe.network.ledger_metrics`.

    Raises:
        StationNetworkError: if a row names a station outside the network (the message
            lists the row ids) or periods overlap.

    >>> from wushe import examples
    >>> from wushe.network import StationNetwork, sessions
    >>> from wushe.vocab import ActivityType
    >>> net = StationNetwork.from_dataset(examples.load("qixinggang"))
    >>> result = rollup(net, metrics=[sessions(ActivityType.SOCIAL_WORK_PUBLICITY)])
    >>> result.own("qxg-ts", "social_work_publicity.sessions")
    6
    >>> result.total("qxg-ts", "social_work_publicity.sessions")
    13
    """
    started = time.perf_counter()
    with paused_gc():
        result = _rollup(network, activities, period=period, metrics=metrics)
    _log.info(
        "rolled up %d metrics over %d stations and %d periods (%.2f s)",
        len(result.metrics),
        len(network),
        len(result.periods),
        time.perf_counter() - started,
    )
    return result


def _rollup(
    network: StationNetwork,
    activities: Iterable[Activity] | None = None,
    *,
    period: Period | Sequence[Period] | None = None,
    metrics: Sequence[Metric] | None = None,
) -> Rollup:
    rows = network.dataset.activities if activities is None else tuple(activities)
    chosen = tuple(ledger_metrics() if metrics is None else metrics)
    if len({m.name for m in chosen}) != len(chosen):
        msg = "metrics lists a name twice"
        raise StationNetworkError(msg)
    base = _base_metrics(chosen)
    periods: tuple[Period | None, ...]
    if period is None:
        periods = (None,)
    elif isinstance(period, Period):
        periods = (period,)
    else:
        periods = _check_periods(period)
    unknown = [a.activity_id for a in rows if a.station_id not in network]
    if unknown:
        msg = f"ledger rows name stations outside the network: {', '.join(sorted(unknown)[:10])}"
        raise StationNetworkError(msg)
    owns = _own_rows(rows, base, periods)
    kinds = [m.aggregation for m in base]
    order = sorted(network.station_ids, key=network.depth, reverse=True)
    extra = _extra_ancestors(network)
    return Rollup(
        network=network,
        metrics=chosen,
        periods=periods,
        own=tuple(owns),
        total=tuple(_total_rows(network, own, kinds, order, extra) for own in owns),
        columns={m.name: i for i, m in enumerate(base)},
    )


def _own_rows(
    rows: Iterable[Activity],
    base: Sequence[Metric],
    periods: tuple[Period | None, ...],
) -> list[dict[str, list[object]]]:
    """Per period, each station's own base-metric cells from its ledger rows."""
    kinds = [m.aggregation for m in base]
    owns: list[dict[str, list[object]]] = [{} for _ in periods]
    sum_parts = [
        (i, m.value) for i, m in enumerate(base) if m.aggregation is Aggregation.SUM
    ]
    key_parts = [
        (i, m.keys)
        for i, m in enumerate(base)
        if m.aggregation is Aggregation.DISTINCT_COUNT
    ]
    starts = [p.start for p in periods if p is not None]
    for a in rows:
        p_index = _which_period(periods, starts, a)
        if p_index is None:
            continue
        own = owns[p_index].get(a.station_id)
        if own is None:
            own = owns[p_index][a.station_id] = _empty_row(kinds)
        for i, value in sum_parts:
            own[i] = own[i] + value(a)  # type: ignore[operator]
        for i, keys in key_parts:
            cell = own[i]
            assert isinstance(cell, set)
            cell.update(keys(a))
    return owns


def _total_rows(
    network: StationNetwork,
    own_rows: dict[str, list[object]],
    kinds: list[Aggregation],
    order: list[str],
    extra: dict[str, frozenset[str]],
) -> dict[str, list[object]]:
    """One period's totals: each station's own cells plus everything below it, once.

    ``order`` lists stations deepest first; ``extra`` maps multi-parent stations to the
    ancestors their primary path misses.
    """
    total: dict[str, list[object]] = {}
    for sid, own_row in own_rows.items():
        total[sid] = _copy(own_row, kinds)
    for sid in order:
        current = total.get(sid)
        parent = network.parent(sid)
        if current is None or parent is None:
            continue
        into = total.get(parent)
        if into is None:
            into = total[parent] = _empty_row(kinds)
        _merge(into, current, kinds)
    for sid, ancestors in extra.items():
        row = own_rows.get(sid)
        if row is None:
            continue
        for ancestor in ancestors:
            into = total.get(ancestor)
            if into is None:
                into = total[ancestor] = _empty_row(kinds)
            _merge(into, row, kinds)
    return total


def _copy(row: list[object], kinds: Sequence[Aggregation]) -> list[object]:
    return [
        set(cell)
        if kind is Aggregation.DISTINCT_COUNT and isinstance(cell, set)
        else cell
        for cell, kind in zip(row, kinds, strict=True)
    ]


def _which_period(
    periods: tuple[Period | None, ...], starts: list[date], a: Activity
) -> int | None:
    if not starts:
        return 0
    i = bisect_right(starts, a.held_on) - 1
    if i < 0:
        return None
    p = periods[i]
    return i if p is not None and a.held_on <= p.end else None


def _extra_ancestors(network: StationNetwork) -> dict[str, frozenset[str]]:
    """Ancestors of multi-parent stations that the primary path does not reach."""
    extra: dict[str, frozenset[str]] = {}
    for s in network.stations:
        if len(s.parent_ids) > 1:
            on_path = set(network.path_to_root(s.station_id))
            more = network.ancestors(s.station_id) - on_path
            if more:
                extra[s.station_id] = frozenset(more)
    return extra
