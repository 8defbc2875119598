"""One county's monthly run, and how county results combine up the national tree (月度运行).

Everything here is plain computation on already-loaded records: :func:`monthly_facts` runs the
engines on one dataset and returns :class:`MonthlyFacts`, plain data keyed by ids;
:func:`combine` adds several counties' facts up into the result one process would have
computed for all of them at once, and :func:`combine_totals` does the same for their small
:class:`MonthlyTotals`. The Dask orchestration lives in :mod:`._run`, the facts files in
:mod:`._results`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from itertools import chain
from typing import Any

import attrs

from wushe._renamed import removed_attribute
from wushe.care import (
    IncidentReport,
    VisitRecord,
    monthly_periods,
    visit_rates,
    warnings,
)
from wushe.io._split import HOME_FIELDS as _HOME_FIELDS
from wushe.io._split import county_homes
from wushe.matching import match
from wushe.models import Dataset
from wushe.network import (
    Aggregation,
    Rollup,
    StationNetwork,
    compliance,
    coverage,
    ledger_metrics,
    rollup,
)

__all__ = [
    "MonthlyFacts",
    "MonthlyTotals",
    "combine",
    "combine_totals",
    "division_chain",
    "monthly_facts",
]

Cells = dict[str, dict[str, list[int]]]
"""station id → metric → [own, total]."""


@attrs.frozen(kw_only=True)
class MonthlyFacts:
    """What one month's run found, as plain data keyed by ids (月度运行结果).

    Every field adds up across counties: combining two counties' facts with :func:`combine`
    gives the facts of both run at once. Holds ids and counts only, never personal data.
    """

    month: str
    """The month run, ``YYYY-MM`` (月份)."""
    partitions: tuple[str, ...] = ()
    """The partitions these facts cover, sorted (覆盖分区)."""
    stations: Mapping[str, Mapping[str, Sequence[int]]] = attrs.field(factory=dict)
    """Ledger roll-up of the month: station id → metric → ``[own, total]`` (站点汇总)."""
    divisions: Mapping[str, Mapping[str, int]] = attrs.field(factory=dict)
    """Ledger totals per county, city, province and ``"national"`` (区划汇总)."""
    coverage: Mapping[str, Sequence[int]] = attrs.field(factory=dict)
    """Per station level: ``[areas, built, planned]`` (应建尽建)."""
    compliance: Mapping[str, Sequence[int]] = attrs.field(factory=dict)
    """Per station level: ``[assessed, compliant]`` (建设标准达标)."""
    warnings: tuple[tuple[str, str, str, str], ...] = ()
    """Early warnings: ``(recipient_id, code, station_id, since)`` (巡访预警)."""
    visit_rates: Mapping[str, Sequence[int]] = attrs.field(factory=dict)
    """Per station: ``[due, visited, person_times]`` for the month (巡访率)."""
    assignments: tuple[tuple[str, str, str], ...] = ()
    """Matched roles: ``(need_id, role, actor_id)`` (匹配结果)."""
    unmatched: tuple[tuple[str, str, int, str], ...] = ()
    """Open roles: ``(need_id, role, missing, reason codes joined by ',')`` (未匹配)."""
    objective: int = 0
    """Sum of the plans' objectives (目标值)."""

    def __repr__(self) -> str:
        return (
            f"<MonthlyFacts {self.month}: {len(self.partitions)} partitions, "
            f"{len(self.stations)} stations, {len(self.warnings)} warnings, "
            f"{len(self.assignments)} assignments, {len(self.unmatched)} open roles>"
        )

    def totals(self, shared: Collection[str] = ()) -> MonthlyTotals:
        """The sums of these facts, what adds up the national tree (汇总数).

        Args:
            shared: Ids of stations held by more than one partition (a city station and
                its copies in each county below it): only their roll-up cells and visit
                rates are kept, since only they add up across partitions. Every other
                station's figures are complete in one partition's facts.
        """
        keep = frozenset(shared)
        return MonthlyTotals(
            month=self.month,
            partitions=self.partitions,
            divisions=self.divisions,
            coverage=self.coverage,
            compliance=self.compliance,
            stations={k: v for k, v in self.stations.items() if k in keep},
            visit_rates={k: v for k, v in self.visit_rates.items() if k in keep},
            warnings=len(self.warnings),
            assignments=len(self.assignments),
            unmatched=len(self.unmatched),
            objective=self.objective,
        )

    def __getattr__(self, name: str) -> Any:
        # Serialisation left the engine result; say where it went.
        raise removed_attribute(name, _MOVED, owner="MonthlyFacts", since="")


_MOVED = {
    "as_dict": "attrs.asdict(facts)",
    "from_dict": "wushe.scale.read_facts(path) on a run's facts file",
}


@attrs.frozen(kw_only=True)
class MonthlyTotals:
    """The sums of a month's facts: what combining up the national tree needs (月度汇总).

    Small whatever the number of recipients: totals per division and per station level,
    the roll-up of the stations that several partitions share, and counts of the lists
    that :class:`MonthlyFacts` holds in full. A run keeps these in memory and each
    partition's full facts on disk.
    """

    month: str
    """The month run, ``YYYY-MM`` (月份)."""
    partitions: tuple[str, ...] = ()
    """The partitions these totals cover, sorted (覆盖分区)."""
    divisions: Mapping[str, Mapping[str, int]] = attrs.field(factory=dict)
    """Ledger totals per county, city, province and ``"national"`` (区划汇总)."""
    coverage: Mapping[str, Sequence[int]] = attrs.field(factory=dict)
    """Per station level: ``[areas, built, planned]`` (应建尽建)."""
    compliance: Mapping[str, Sequence[int]] = attrs.field(factory=dict)
    """Per station level: ``[assessed, compliant]`` (建设标准达标)."""
    stations: Mapping[str, Mapping[str, Sequence[int]]] = attrs.field(factory=dict)
    """Ledger roll-up of the stations shared by partitions: id → metric → ``[own, total]``
    (共享站点汇总)."""
    visit_rates: Mapping[str, Sequence[int]] = attrs.field(factory=dict)
    """Visit rates of the shared stations: ``[due, visited, person_times]`` (共享站点巡访率)."""
    warnings: int = 0
    """Early warnings raised (预警数)."""
    assignments: int = 0
    """Roles matched (已匹配角色数)."""
    unmatched: int = 0
    """Roles left open (未匹配角色数)."""
    objective: int = 0
    """Sum of the plans' objectives (目标值)."""

    def __repr__(self) -> str:
        return (
            f"<MonthlyTotals {self.month}: {len(self.partitions)} partitions, "
            f"{self.warnings} warnings, {self.assignments} assignments, "
            f"{self.unmatched} open roles>"
        )


def division_chain(code: str) -> tuple[str, ...]:
    """The county, city, province and nation a six-digit code rolls up to (区划层级).

    >>> division_chain("510106")
    ('510106', '510100', '510000', 'national')
    >>> division_chain("510100")
    ('510100', '510000', 'national')
    """
    county, city, province = code[:6], code[:4] + "00", code[:2] + "0000"
    return tuple(dict.fromkeys((county, city, province, "national")))


def _summable_metrics() -> tuple[Any, ...]:
    return tuple(
        m for m in ledger_metrics() if m.aggregation is not Aggregation.RATIO_OF_SUMS
    )


def monthly_facts(
    ds: Dataset,
    *,
    as_of: date,
    visits: Iterable[VisitRecord] = (),
    incidents: Iterable[IncidentReport] = (),
    copies: Mapping[str, frozenset[str]] | None = None,
    partition: str | None = None,
) -> MonthlyFacts:
    """Run one month of a locality's work and return the facts (单一辖区月度运行).

    The month is the calendar month holding ``as_of``. Steps: build the station network;
    coverage and build-standard compliance; the ledger roll-up of the month; early warnings
    and the month's visit rates; matching of the registered needs.

    Args:
        ds: The locality (a county partition, or a whole dataset in one process).
        as_of: The day the run describes.
        visits: The visit log.
        incidents: Incident reports.
        copies: Ids per collection held only as copies of another partition's records:
            they are not counted in coverage or compliance and their capacity is not
            matched here.
        partition: The partition key these facts describe, if any.
    """
    copies = copies or {}
    copied_stations = copies.get("stations", frozenset())
    network = StationNetwork.from_dataset(ds)
    month = monthly_periods(as_of, as_of)[0]
    visits, incidents = tuple(visits), tuple(incidents)
    ledger = rollup(network, period=month, metrics=_summable_metrics())
    return MonthlyFacts(
        month=f"{month.start:%Y-%m}",
        partitions=() if partition is None else (partition,),
        stations=_rollup_cells(ledger),
        divisions=_division_totals(network, ledger, copied_stations),
        coverage=_coverage(network, copied_stations),
        compliance=_compliance(network, copied_stations),
        warnings=tuple(
            sorted(
                (w.recipient_id, w.code.value, w.station_id or "", w.since.isoformat())
                for w in warnings(
                    ds.recipients,
                    visits,
                    as_of=as_of,
                    incidents=incidents,
                    network=network,
                )
            )
        ),
        visit_rates={
            r.station_id or "": [r.due, r.visited, r.person_times]
            for r in visit_rates(
                ds.recipients,
                visits,
                periods=(month,),
                network=network,
                activities=ds.activities,
            )
        },
        **_plan(ds, network, as_of, copies),
    )


def _count(value: object) -> int:
    """A summed or distinct-count roll-up value as an int (ratios are not rolled up here)."""
    return int(value) if isinstance(value, int | float | Decimal) else 0


def _rollup_cells(result: Rollup) -> Cells:
    cells: Cells = {}
    for row in result.rows():
        cells.setdefault(row.station_id, {})[row.metric] = [
            _count(row.own),
            _count(row.total),
        ]
    return cells


def _division_totals(
    network: StationNetwork, result: Rollup, copied: frozenset[str]
) -> dict[str, dict[str, int]]:
    """Ledger rows summed by the county of the station that recorded them, then upwards."""
    totals: dict[str, dict[str, int]] = {}
    for row in result.rows():
        if row.station_id in copied:
            continue
        code = network.station(row.station_id).division_code[:6]
        for division in division_chain(code):
            slot = totals.setdefault(division, {})
            slot[row.metric] = slot.get(row.metric, 0) + _count(row.own)
    return totals


def _coverage(network: StationNetwork, copied: frozenset[str]) -> dict[str, list[int]]:
    home = [s for s in network.stations if s.station_id not in copied]
    if copied and not home:
        return {}
    if home and all(
        s.division_code[4:6] == "00" and len(s.division_code) == 6 for s in home
    ):
        # A city or province partition: it reports the levels of its own stations, its
        # counties the levels below.
        levels = {s.level for s in home}
        return {
            s.level.value: [s.areas, s.built, s.planned]
            for s in coverage(network).summaries
            if s.level in levels
        }
    return {
        s.level.value: [s.areas, s.built, s.planned]
        for s in coverage(network).summaries
    }


def _compliance(
    network: StationNetwork, copied: frozenset[str]
) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for row in compliance(network).rows:
        if row.station_id in copied:
            continue
        slot = out.setdefault(row.level.value, [0, 0])
        slot[0] += 1
        slot[1] += not row.missing
    return out


def _plan(
    ds: Dataset,
    network: StationNetwork,
    as_of: date,
    copies: Mapping[str, frozenset[str]],
) -> dict[str, Any]:
    """Match each county's needs with that county's own actors, county by county.

    Matching is local to a county: an actor serves the county it belongs to (the same rule
    :func:`wushe.io.write_store` uses to place it), so one process holding a whole province
    makes exactly the plans its county partitions make.
    """
    skip = frozenset(chain.from_iterable(copies.values()))
    groups = _by_county(ds, skip)
    assignments: list[tuple[str, str, str]] = []
    unmatched: list[tuple[str, str, int, str]] = []
    objective = 0
    for needs, actors in groups.values():
        plan = match(needs, actors, recipients=ds.recipients, communities=ds.communities,
                     stations=ds.stations, network=network, as_of=as_of)  # fmt: skip
        objective += plan.objective
        assignments += [(a.need_id, a.role.value, a.actor_id) for a in plan.assignments]
        unmatched += [
            (u.need_id, u.role.value, u.missing, ",".join(r.value for r in u.reasons))
            for u in plan.unmatched
        ]
    return {
        "assignments": tuple(sorted(assignments)),
        "unmatched": tuple(sorted(unmatched)),
        "objective": objective,
    }


_ACTORS = (
    ("workers", "worker_id"),
    ("volunteers", "volunteer_id"),
    ("organizations", "organization_id"),
    ("resources", "resource_id"),
)


def _by_county(
    ds: Dataset, skip: frozenset[str]
) -> dict[str, tuple[list[Any], list[Any]]]:
    """Needs and actors grouped by home county; one group when the dataset is one county."""
    actors = [
        a
        for name, key in _ACTORS
        for a in getattr(ds, name)
        if getattr(a, key) not in skip
    ]
    counties = {c.division_code[:6] for c in ds.communities}
    if len(counties) <= 1:
        return {"": (list(ds.needs), actors)}
    homes = county_homes(ds.model_dump(mode="json", include=_HOME_FIELDS))
    groups: dict[str, tuple[list[Any], list[Any]]] = {}
    for need in ds.needs:
        groups.setdefault(homes.of("needs", need.need_id) or "", ([], []))[0].append(
            need
        )
    for name, key in _ACTORS:
        for actor in getattr(ds, name):
            if getattr(actor, key) not in skip:
                home = homes.of(name, getattr(actor, key)) or ""
                groups.setdefault(home, ([], []))[1].append(actor)
    return dict(sorted(groups.items()))


def _add_cells(into: dict[str, Any], cells: Mapping[str, Any]) -> None:
    """Add nested counts of ``cells`` into ``into``: dicts recurse, lists add by position."""
    for key, value in cells.items():
        if isinstance(value, Mapping):
            _add_cells(into.setdefault(key, {}), value)
        elif isinstance(value, Sequence):
            slot = into.setdefault(key, [0] * len(value))
            for i, v in enumerate(value):
                slot[i] += v
        else:
            into[key] = into.get(key, 0) + value


_SUMMED = ("divisions", "coverage", "compliance", "stations", "visit_rates")


def _summed(
    items: Sequence[MonthlyFacts | MonthlyTotals],
) -> tuple[str, dict[str, Any]]:
    """The one month the items describe, and their summed cells per table of ``_SUMMED``."""
    months = {item.month for item in items}
    if len(months) > 1:
        msg = f"cannot combine different months: {sorted(months)}"
        raise ValueError(msg)
    sums: dict[str, Any] = {k: {} for k in _SUMMED}
    for item in items:
        for name, into in sums.items():
            _add_cells(into, getattr(item, name))
    return (months.pop() if months else ""), sums


def combine(facts: Iterable[MonthlyFacts]) -> MonthlyFacts:
    """Add county facts up into the facts of all of them together (汇总各区县结果).

    Sums add; station roll-ups add per station, which is exact because every ledger row,
    recipient and visit lives in exactly one partition, so the copies of a city station in
    two counties hold disjoint parts of its total. Lists are concatenated and sorted.

    Raises:
        ValueError: if the facts describe different months.
    """
    items = list(facts)
    month, sums = _summed(items)
    return MonthlyFacts(
        month=month,
        partitions=tuple(sorted(chain.from_iterable(f.partitions for f in items))),
        warnings=tuple(sorted(chain.from_iterable(f.warnings for f in items))),
        assignments=tuple(sorted(chain.from_iterable(f.assignments for f in items))),
        unmatched=tuple(sorted(chain.from_iterable(f.unmatched for f in items))),
        objective=sum(f.objective for f in items),
        **sums,
    )


def combine_totals(totals: Iterable[MonthlyTotals]) -> MonthlyTotals:
    """Add partitions' totals up into the totals of all of them (汇总各分区合计).

    The same sums as :func:`combine`, on what :meth:`MonthlyFacts.totals` keeps: combining
    totals equals the totals of the combined facts.

    Raises:
        ValueError: if the totals describe different months.
    """
    items = list(totals)
    month, sums = _summed(items)
    counts: dict[str, Any] = {
        name: sum(getattr(t, name) for t in items)
        for name in ("warnings", "assignments", "unmatched", "objective")
    }
    return MonthlyTotals(
        month=month,
        partitions=tuple(sorted(chain.from_iterable(t.partitions for t in items))),
        **sums,
        **counts,
    )
