"""Social-work stations of the three-level network (社工站)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from wushe._types import CommunityId, OrganizationId, SortedFrozenSet, StationId
from wushe.codes import DivisionCode, DivisionLevel, division_level
from wushe.models._base import WusheModel
from wushe.vocab import BuildCriterion, StationLevel, StationStatus

__all__ = ["Station"]

_LEVEL_DIVISION = {
    StationLevel.CITY: DivisionLevel.PREFECTURE,
    StationLevel.COUNTY: DivisionLevel.COUNTY,
    StationLevel.TOWNSHIP: DivisionLevel.TOWNSHIP,
    StationLevel.VILLAGE: DivisionLevel.VILLAGE,
}


class Station(WusheModel):
    """A social-work station at any level of the network (社工站/社工室).

    Geographic stations sit at the division level matching their tier: a city guidance
    centre (市级社会工作服务指导中心, the fourth tier of 成都's 四级网络) on a prefecture code
    such as ``510100``, a county hub (区县社工总站) on a county code, a township or street station (乡镇（街道）社工站) on a
    9-digit code, a village or community room (村（社区）社工室) on a 12-digit code. School and
    elderly-institution stations hang beside the tiers under a parent station.
    """

    station_id: StationId
    """Identifier within the dataset (站点编号)."""
    name: Annotated[str, Field(min_length=1)]
    """Name, e.g. ``"七星岗街道社工站"`` (站点名称)."""
    level: StationLevel
    """City centre, county hub, township station, village room, school or elderly-institution station (层级)."""
    division_code: DivisionCode
    """Division the station sits in; must match a geographic tier's level (所在区划)."""
    parent_ids: tuple[StationId, ...] = ()
    """Station(s) it reports to; empty for the root of a dataset's network, e.g. a county hub without a city tier (上级站点)."""
    community_ids: tuple[CommunityId, ...] = ()
    """Communities it serves directly, e.g. a room's own community (服务社区)."""
    local_name: str = ""
    """Local title, e.g. ``"社会工作指导中心"`` for a county hub (本地名称)."""
    operator_id: OrganizationId | None = None
    """Organisation running it under a purchase contract (运营机构)."""
    status: StationStatus = StationStatus.BUILT
    """Built or planned (建设状态)."""
    planned_year: Annotated[int, Field(ge=2000, le=2100)] | None = None
    """Year a planned station is due, from the build plan (计划建成年份)."""
    opened_on: date | None = None
    """Date the station opened, if built (建成日期)."""
    criteria_met: SortedFrozenSet[BuildCriterion] = frozenset()
    """Build-standard items the station meets, e.g. the six-haves (达标条目)."""
    address: str = ""
    """Public street address of the station (地址)."""

    @model_validator(mode="after")
    def _consistent(self) -> Station:
        expected = _LEVEL_DIVISION.get(self.level)
        if expected is not None and division_level(self.division_code) is not expected:
            msg = f"a {self.level.zh} sits on a {expected.zh} division code"
            raise ValueError(msg)
        if self.level is StationLevel.CITY and self.parent_ids:
            msg = "a city guidance centre has no parent station"
            raise ValueError(msg)
        if not self.level.is_geographic and not self.parent_ids:
            msg = f"a {self.level.zh} hangs under a parent station; parent_ids is empty"
            raise ValueError(msg)
        if self.station_id in self.parent_ids:
            msg = "a station cannot be its own parent"
            raise ValueError(msg)
        if len(set(self.parent_ids)) != len(self.parent_ids):
            msg = "parent_ids lists a station twice"
            raise ValueError(msg)
        if self.status is StationStatus.PLANNED and self.planned_year is None:
            msg = "a planned station needs planned_year"
            raise ValueError(msg)
        if self.status is StationStatus.PLANNED and self.opened_on is not None:
            msg = "a planned station cannot have opened_on"
            raise ValueError(msg)
        return self
