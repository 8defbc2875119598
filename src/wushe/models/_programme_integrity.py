"""Integrity rules of honours, pilots, platform exports and gatherings (项目台账完整性).

Called once from :func:`wushe.models.check_integrity`, after ids are collected.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from itertools import pairwise
from typing import TYPE_CHECKING

from wushe.codes import division_contains
from wushe.exceptions import IntegrityIssue
from wushe.models._timebank import time_bank_balances

if TYPE_CHECKING:  # pragma: no cover
    from wushe.models._dataset import Dataset

__all__ = ["ProgrammeCode"]


class ProgrammeCode:
    """Stable reason codes for these records (项目台账完整性原因代码)."""

    SQUAD_CYCLE = "squad_cycle"
    """Volunteer teams are squads of each other in a loop (队伍层级成环)."""
    TWO_PILOT_RECORDS = "two_pilot_records"
    """A station has two records in one pilot programme (重复试点记录)."""
    OVERLAPPING_EXPORT = "overlapping_export"
    """Two export rows of one team cover overlapping periods (导出期间重叠)."""
    OVERDRAWN = "overdrawn"
    """A redemption takes more hours than are banked and unexpired (时间银行透支)."""
    OVER_ANNUAL_CAP = "over_annual_cap"
    """A volunteer redeems more in a year than the rules allow (超出年度兑换上限)."""
    UNDER_REDEEM_AGE = "under_redeem_age"
    """A volunteer redeems for themself before the rules' age (未到兑换年龄)."""
    NOT_TRANSFERABLE = "not_transferable"
    """Hours redeemed for someone else where the rules forbid it (不可转赠)."""


def _issue(
    collection: str, rid: str, field: str, code: str, msg: str
) -> IntegrityIssue:
    return IntegrityIssue(
        collection=collection, record_id=rid, field=field, code=code, message=msg
    )


def _unknown(
    ids: Mapping[str, set[str]],
    collection: str,
    rid: str,
    field: str,
    target: str,
    value: str | None,
) -> Iterator[IntegrityIssue]:
    if value is not None and value not in ids[target]:
        yield _issue(
            collection,
            rid,
            field,
            "unknown_reference",
            f"refers to {target} id {value!r}, which is not in the dataset",
        )


def check_programme_records(
    ds: Dataset, ids: Mapping[str, set[str]]
) -> Iterator[IntegrityIssue]:
    """Yield every integrity issue of these records (项目台账完整性检查)."""
    yield from _honours(ds, ids)
    yield from _pilots(ds, ids)
    yield from _teams_and_exports(ds, ids)
    yield from _convenings(ds)
    yield from _time_banks(ds, ids)
    for a in ds.activities:
        for org in sorted(a.organization_ids):
            yield from _unknown(
                ids,
                "activities",
                a.activity_id,
                "organization_ids",
                "organizations",
                org,
            )
    for r in ds.resources:
        if r.restriction is None:
            continue
        for wid in sorted(r.restriction.beneficiary_worker_ids):
            yield from _unknown(
                ids,
                "resources",
                r.resource_id,
                "restriction.beneficiary_worker_ids",
                "workers",
                wid,
            )


def _inside(
    ds: Dataset, collection: str, rid: str, field: str, code: str | None
) -> Iterator[IntegrityIssue]:
    if code is not None and not division_contains(ds.division_code, code):
        yield _issue(
            collection,
            rid,
            field,
            "outside_locality",
            f"division code {code} lies outside the dataset's {ds.division_code}",
        )


def _honours(ds: Dataset, ids: Mapping[str, set[str]]) -> Iterator[IntegrityIssue]:
    targets = (
        ("station_id", "stations"),
        ("organization_id", "organizations"),
        ("worker_id", "workers"),
        ("team_id", "teams"),
        ("project_id", "projects"),
    )
    for h in ds.honours:
        yield from _inside(ds, "honours", h.honour_id, "division_code", h.division_code)
        for field, target in targets:
            yield from _unknown(
                ids, "honours", h.honour_id, field, target, getattr(h, field)
            )


def _pilots(ds: Dataset, ids: Mapping[str, set[str]]) -> Iterator[IntegrityIssue]:
    seen: set[tuple[str, str]] = set()
    for p in ds.pilots:
        yield from _unknown(
            ids, "pilots", p.pilot_id, "station_id", "stations", p.station_id
        )
        key = (p.programme, p.station_id)
        if key in seen:
            yield _issue(
                "pilots",
                p.pilot_id,
                "station_id",
                ProgrammeCode.TWO_PILOT_RECORDS,
                f"station {p.station_id!r} already has a record in {p.programme!r}",
            )
        seen.add(key)


def _teams_and_exports(
    ds: Dataset, ids: Mapping[str, set[str]]
) -> Iterator[IntegrityIssue]:
    parent = {t.team_id: t.parent_team_id for t in ds.teams}
    for t in ds.teams:
        yield from _unknown(
            ids, "teams", t.team_id, "parent_team_id", "teams", t.parent_team_id
        )
        seen = {t.team_id}
        up = t.parent_team_id
        while up is not None and up in parent:
            if up in seen:
                yield _issue(
                    "teams",
                    t.team_id,
                    "parent_team_id",
                    ProgrammeCode.SQUAD_CYCLE,
                    f"its chain of parent teams returns to {up!r}",
                )
                break
            seen.add(up)
            up = parent[up]
    by_team: dict[str, list[tuple[date, date, str]]] = {}
    for row in ds.volunteer_hours:
        yield from _unknown(
            ids, "volunteer_hours", row.row_id, "team_id", "teams", row.team_id
        )
        by_team.setdefault(row.team_id, []).append(
            (row.period.start, row.period.end, row.row_id)
        )
    for team, spans in by_team.items():
        spans.sort()
        for (_, end, _), (start, _, rid) in pairwise(spans):
            if start <= end:
                yield _issue(
                    "volunteer_hours",
                    rid,
                    "period",
                    ProgrammeCode.OVERLAPPING_EXPORT,
                    f"overlaps an earlier row of team {team!r}; hours would count twice",
                )


def _convenings(ds: Dataset) -> Iterator[IntegrityIssue]:
    for c in ds.convenings:
        yield from _inside(
            ds, "convenings", c.convening_id, "division_code", c.division_code
        )
        for a in c.attendance:
            yield from _inside(
                ds,
                "convenings",
                c.convening_id,
                "attendance.division_code",
                a.division_code,
            )


def _time_banks(ds: Dataset, ids: Mapping[str, set[str]]) -> Iterator[IntegrityIssue]:
    for bank in ds.time_banks:
        yield from _inside(
            ds, "time_banks", bank.time_bank_id, "division_code", bank.division_code
        )
    targets = (
        ("time_bank_id", "time_banks"),
        ("volunteer_id", "volunteers"),
        ("activity_id", "activities"),
        ("for_recipient_id", "recipients"),
    )
    for e in ds.time_bank_entries:
        for field, target in targets:
            yield from _unknown(
                ids, "time_bank_entries", e.entry_id, field, target, getattr(e, field)
            )
    born = {v.volunteer_id: v.birth_date for v in ds.volunteers}
    for bank in ds.time_banks:
        _, problems = time_bank_balances(bank, ds.time_bank_entries, born)
        for p in problems:
            yield _issue("time_bank_entries", p.entry_id, p.field, p.code, p.message)
