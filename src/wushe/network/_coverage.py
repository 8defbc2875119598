"""Coverage of areas by stations: 应建尽建 (站点覆盖)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, TypeVar

import attrs

from wushe._gc import paused_gc
from wushe.codes import DivisionLevel, division_contains, division_level
from wushe.exceptions import StationNetworkError
from wushe.vocab import StationLevel, StationStatus

if TYPE_CHECKING:  # pragma: no cover
    from wushe.network._network import StationNetwork

__all__ = ["Coverage", "CoverageRow", "CoverageSummary", "coverage"]

_T = TypeVar("_T", str, tuple[int, str])
_TIERS = (
    StationLevel.CITY,
    StationLevel.COUNTY,
    StationLevel.TOWNSHIP,
    StationLevel.VILLAGE,
)


def _union(first: list[_T] | None, second: list[_T] | None) -> tuple[_T, ...]:
    """Sorted union of two sorted lists, cheap when one is missing (the common case)."""
    if not second:
        return tuple(first or ())
    if not first:
        return tuple(second)
    return tuple(sorted(set(first) | set(second)))


def _prefix(code: str) -> str:
    """The string prefix every code inside ``code`` starts with."""
    level = division_level(code)
    if level is DivisionLevel.PROVINCE:
        return code[:2]
    if level is DivisionLevel.PREFECTURE:
        return code[:4]
    return code


@attrs.frozen(kw_only=True)
class CoverageRow:
    """Whether one area has the station its tier calls for (区域覆盖情况).

    A county needs a hub, a street or township a station, a community or village a room.
    """

    level: StationLevel
    """The tier of station the area needs (应建站点层级)."""
    area_id: str
    """Division code for a county or township, community id for a community (区域编号)."""
    division_code: str
    """The area's division code (区划代码)."""
    name: str
    """The area's name (区域名称)."""
    built: tuple[str, ...]
    """Built stations of that tier serving the area, sorted (已建站点)."""
    planned: tuple[str, ...]
    """Planned stations of that tier for the area, sorted (规划站点)."""
    planned_year: int | None
    """Earliest year a planned station is due, if any (计划建成年份)."""
    communities: int = 0
    """For a county or township: its communities in the dataset (下辖社区数)."""
    communities_with_room: int = 0
    """For a county or township: those with a built room (已建社工室社区数)."""

    @property
    def covered(self) -> bool:
        """Whether a built station serves the area (是否已覆盖)."""
        return bool(self.built)

    @property
    def is_gap(self) -> bool:
        """Whether the area has neither a built nor a planned station (空白点)."""
        return not self.built and not self.planned

    @property
    def room_rate(self) -> float | None:
        """Share of the area's communities with a built room, ``None`` without communities (社工室覆盖率)."""
        return (
            self.communities_with_room / self.communities if self.communities else None
        )


@attrs.frozen(kw_only=True)
class CoverageSummary:
    """Counts and rates of one tier (分层覆盖汇总)."""

    level: StationLevel
    """The tier (层级)."""
    areas: int
    """Areas that need a station of this tier (应建数)."""
    built: int
    """Areas with a built station (已建数)."""
    planned: int
    """Areas without a built station but with a planned one (规划数)."""
    planned_by_year: tuple[tuple[int, int], ...]
    """Those planned areas by the year they are due, sorted (分年度规划数)."""
    gaps: tuple[str, ...]
    """Area ids with neither built nor planned station (空白区域)."""

    @property
    def rate(self) -> float | None:
        """Built share of the areas, ``None`` when there are none (建成率)."""
        return self.built / self.areas if self.areas else None

    @property
    def planned_rate(self) -> float | None:
        """Share covered once every planned station is built (规划完成后覆盖率)."""
        return (self.built + self.planned) / self.areas if self.areas else None


@attrs.frozen(kw_only=True)
class Coverage:
    """The result of :func:`coverage` (覆盖结果)."""

    within: str
    """The division the figures are for (统计范围)."""
    rows: tuple[CoverageRow, ...]
    """One row per county, township and community, in that order, each sorted (覆盖明细)."""
    summaries: tuple[CoverageSummary, ...]
    """One summary per tier that has areas, county first (分层汇总)."""

    def __repr__(self) -> str:
        tiers = ", ".join(
            f"{s.level.value} {s.built}/{s.areas} built" for s in self.summaries
        )
        return f"<Coverage {self.within}: {tiers or 'no areas'}>"

    def summary(self, level: StationLevel) -> CoverageSummary:
        """The summary of one tier (某层汇总).

        Raises:
            KeyError: if no area of this tier lies in scope.
        """
        for s in self.summaries:
            if s.level is level:
                return s
        msg = f"no {level.value} areas within {self.within}"
        raise KeyError(msg)

    def of(self, level: StationLevel) -> tuple[CoverageRow, ...]:
        """The rows of one tier (某层明细)."""
        return tuple(r for r in self.rows if r.level is level)

    @property
    def gaps(self) -> tuple[CoverageRow, ...]:
        """Every area with neither a built nor a planned station (全部空白点)."""
        return tuple(r for r in self.rows if r.is_gap)


def coverage(network: StationNetwork, *, within: str | None = None) -> Coverage:
    """Report which areas have their station, tier by tier (应建尽建).

    Objective: for each county, street or township and community inside ``within``
    (default: the dataset's own division), whether a built station of the matching tier
    serves it — a hub on the county's code, a station on the township's code, a room on
    the community's code or listing it in ``community_ids`` — and if not, whether one is
    planned and for which year.

    Areas are the dataset's :class:`wushe.models.Division` records at county and township
    level and its :class:`wushe.models.Community` records. A county row appears only when
    the county lies inside ``within``: a street-level dataset is not reported as missing
    its district hub.

    Complexity: O(S + C + D) for stations, communities and divisions.

    Raises:
        StationNetworkError: if ``within`` is not the dataset's division or inside it.

    >>> from wushe import examples
    >>> from wushe.network import StationNetwork
    >>> from wushe.vocab import StationLevel
    >>> net = StationNetwork.from_dataset(examples.load("qixinggang"))
    >>> cov = coverage(net)
    >>> cov.summary(StationLevel.VILLAGE).rate
    1.0
    """
    with paused_gc():
        return _coverage(network, within=within)


def _coverage(network: StationNetwork, *, within: str | None = None) -> Coverage:
    ds = network.dataset
    scope = ds.division_code if within is None else within
    if not (
        division_contains(ds.division_code, scope)
        or division_contains(scope, ds.division_code)
    ):
        msg = f"within={scope} is outside the dataset's division {ds.division_code}"
        raise StationNetworkError(msg)

    built: dict[tuple[StationLevel, str], list[str]] = {}
    planned: dict[tuple[StationLevel, str], list[tuple[int, str]]] = {}
    for s in network.stations:
        if not s.level.is_geographic:
            continue
        keys = [s.division_code]
        if s.level is StationLevel.VILLAGE:
            keys.extend(f"#{cid}" for cid in s.community_ids)
        for key in dict.fromkeys(keys):
            if s.status is StationStatus.BUILT:
                built.setdefault((s.level, key), []).append(s.station_id)
            else:
                year = s.planned_year if s.planned_year is not None else 0
                planned.setdefault((s.level, key), []).append((year, s.station_id))

    prefix = _prefix(scope)
    communities = [c for c in ds.communities if c.division_code.startswith(prefix)]
    room_ids: dict[str, tuple[str, ...]] = {}
    rows: list[CoverageRow] = []
    community_rows: list[CoverageRow] = []
    for c in sorted(communities, key=lambda c: (c.division_code, c.community_id)):
        village = StationLevel.VILLAGE
        listed = f"#{c.community_id}"
        b = _union(built.get((village, c.division_code)), built.get((village, listed)))
        p = _union(
            planned.get((village, c.division_code)), planned.get((village, listed))
        )
        room_ids[c.community_id] = b
        community_rows.append(
            CoverageRow(
                level=StationLevel.VILLAGE,
                area_id=c.community_id,
                division_code=c.division_code,
                name=c.name,
                built=b,
                planned=tuple(sid for _, sid in p),
                planned_year=min(y for y, _ in p) if p and not b else None,
            )
        )

    with_room: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for c in communities:
        for area in (
            c.division_code[:4] + "00",
            c.division_code[:6],
            c.division_code[:9],
        ):
            total[area] += 1
            if room_ids[c.community_id]:
                with_room[area] += 1

    for level, division_level_ in (
        (StationLevel.CITY, DivisionLevel.PREFECTURE),
        (StationLevel.COUNTY, DivisionLevel.COUNTY),
        (StationLevel.TOWNSHIP, DivisionLevel.TOWNSHIP),
    ):
        for d in sorted(ds.divisions, key=lambda d: d.division_code):
            code = d.division_code
            if division_level(code) is not division_level_ or not code.startswith(
                prefix
            ):
                continue
            if level is StationLevel.CITY and not (
                (level, code) in built or (level, code) in planned
            ):
                # The city tier is a local choice (成都's 四级网络), not 应建尽建:
                # a city without a centre is no gap.
                continue
            tb = tuple(sorted(built.get((level, code), [])))
            tp = tuple(sorted(planned.get((level, code), [])))
            rows.append(
                CoverageRow(
                    level=level,
                    area_id=code,
                    division_code=code,
                    name=d.name,
                    built=tb,
                    planned=tuple(sid for _, sid in tp),
                    planned_year=min(y for y, _ in tp) if tp and not tb else None,
                    communities=total[code],
                    communities_with_room=with_room[code],
                )
            )
    rows.extend(community_rows)

    summaries = []
    for level in _TIERS:
        tier = [r for r in rows if r.level is level]
        if not tier:
            continue
        by_year = Counter(
            r.planned_year for r in tier if not r.built and r.planned_year is not None
        )
        summaries.append(
            CoverageSummary(
                level=level,
                areas=len(tier),
                built=sum(1 for r in tier if r.built),
                planned=sum(1 for r in tier if not r.built and r.planned),
                planned_by_year=tuple(sorted(by_year.items())),
                gaps=tuple(r.area_id for r in tier if r.is_gap),
            )
        )
    return Coverage(within=scope, rows=tuple(rows), summaries=tuple(summaries))
