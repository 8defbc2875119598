"""Pilot phases, platform totals and recognitions counted from records (试点、志愿与荣誉统计)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import attrs

from wushe.models import Dataset, VolunteerHoursRow
from wushe.vocab import HonourKind, PilotPhase

__all__ = [
    "PilotStatus",
    "VolunteerTotals",
    "honour_counts",
    "pilot_status",
    "volunteer_platform_totals",
]


@attrs.frozen(kw_only=True)
class PilotStatus:
    """Stations in each phase of a pilot programme on one day (试点进展)."""

    on: date
    """The day counted (统计日期)."""
    by_phase: dict[PilotPhase, int]
    """Stations in each phase on the day; every phase is present (各阶段站点数)."""
    station_ids: dict[PilotPhase, tuple[str, ...]]
    """The stations in each phase, sorted (各阶段站点)."""

    @property
    def active(self) -> int:
        """Stations in the programme on the day, whatever their phase (在册站点数)."""
        return sum(self.by_phase.values())


def pilot_status(ds: Dataset, on: date, *, programme: str | None = None) -> PilotStatus:
    """Count the stations in each phase of a pilot programme on ``on`` (试点进展统计).

    ``programme`` picks one programme by name; ``None`` counts every record.
    """
    found: dict[PilotPhase, list[str]] = {phase: [] for phase in PilotPhase}
    for pilot in ds.pilots:
        if programme is not None and pilot.programme != programme:
            continue
        phase = pilot.phase_on(on)
        if phase is not None:
            found[phase].append(pilot.station_id)
    return PilotStatus(
        on=on,
        by_phase={phase: len(ids) for phase, ids in found.items()},
        station_ids={phase: tuple(sorted(ids)) for phase, ids in found.items()},
    )


@attrs.frozen(kw_only=True)
class VolunteerTotals:
    """Registered volunteers and service hours from the platform's export (志愿服务统计)."""

    on: date | None
    """Rows ending after this day are left out; ``None`` takes every row (截止日期)."""
    teams: int
    """Teams with at least one row (队伍数)."""
    registered: int
    """Sum over teams of each team's latest registered count (实名注册志愿者数)."""
    hours: Decimal
    """Sum of every row's hours (累计有效服务时长)."""


def volunteer_platform_totals(
    ds: Dataset, *, on: date | None = None, team_ids: frozenset[str] | None = None
) -> VolunteerTotals:
    """Total the platform's export rows: latest stock per team, summed flows (志愿服务汇总).

    ``registered`` is a stock at each period's end, so only each team's latest row counts;
    ``hours`` is a flow, so every row counts. A volunteer registered with two teams is
    counted twice, as the platform's team export also counts them.
    """
    latest: dict[str, VolunteerHoursRow] = {}
    hours = Decimal(0)
    for row in ds.volunteer_hours:
        if on is not None and row.period.end > on:
            continue
        if team_ids is not None and row.team_id not in team_ids:
            continue
        hours += row.hours
        held = latest.get(row.team_id)
        if held is None or held.period.end < row.period.end:
            latest[row.team_id] = row
    return VolunteerTotals(
        on=on,
        teams=len(latest),
        registered=sum(r.registered for r in latest.values()),
        hours=hours,
    )


def honour_counts(
    ds: Dataset, *, kind: HonourKind | None = None, year: int | None = None
) -> dict[str, int]:
    """Count honours by their category, e.g. ``{"论文": 21, ...}`` (荣誉分类统计)."""
    counts: Counter[str] = Counter(
        h.category
        for h in ds.honours
        if (kind is None or h.kind is kind) and (year is None or h.year == year)
    )
    return dict(sorted(counts.items()))
