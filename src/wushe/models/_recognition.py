"""Honours, demonstration sites and service brands (荣誉、示范与服务品牌).

Seed 002 reports 金牛区's five 示范社会工作服务站 and four 示范社区社会工作服务室 of 成都's
"四级网络", thirteen 优秀社工, and the 一站一品 brands of four street stations; 前锋区's
brands 五微服务 and 苔花行动. Seed 001 reports 湖北's prize-winning 21 papers, 25 cases and
26 photographs. Each is one :class:`Honour` record, so these counts are computed.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from wushe._types import (
    Identifier,
    OrganizationId,
    ProjectId,
    StationId,
    TeamId,
    WorkerId,
)
from wushe.codes import DivisionCode
from wushe.models._base import WusheModel
from wushe.vocab import HonourKind

__all__ = ["Honour"]


class Honour(WusheModel):
    """One recognition: an honour, a demonstration site, a brand or a prize (荣誉记录).

    It names what it recognises by id — a station, organisation, worker, team or project —
    or, for a prize-winning paper or photograph whose authors are not on record, by
    ``title`` alone. A brand (一站一品) names the station or organisation it belongs to.
    """

    honour_id: Identifier
    """Identifier within the dataset (荣誉编号)."""
    kind: HonourKind
    """Honour, demonstration site, brand or prize (荣誉类型)."""
    title: Annotated[str, Field(min_length=1)]
    """What was recognised or the brand's name, e.g. ``"搭伙计划"`` (名称)."""
    category: str = ""
    """The award's own class, e.g. ``"论文"`` or ``"示范社会工作服务站"`` (类别)."""
    awarded_by: str = ""
    """Who awarded or named it, e.g. ``"湖北省社会工作联合会"`` (授予单位)."""
    year: Annotated[int, Field(ge=1980, le=2100)] | None = None
    """Year of the award or of the brand's launch (年度)."""
    station_id: StationId | None = None
    """The station recognised or carrying the brand (所属站点)."""
    organization_id: OrganizationId | None = None
    """The organisation recognised (所属组织)."""
    worker_id: WorkerId | None = None
    """The social worker recognised (获表彰社工)."""
    team_id: TeamId | None = None
    """The volunteer team recognised (获表彰队伍)."""
    project_id: ProjectId | None = None
    """The service project recognised (获表彰项目)."""
    division_code: DivisionCode | None = None
    """Where it counts when it names no record, e.g. a province's prizes (所属区划)."""
    synthetic: bool = False
    """Whether the record's detail is invented for an example (示例数据)."""

    @model_validator(mode="after")
    def _brand_has_owner(self) -> Honour:
        owners = (self.station_id, self.organization_id, self.project_id, self.team_id)
        if self.kind is HonourKind.BRAND and all(o is None for o in owners):
            msg = (
                "a brand names the station, organisation, team or project it belongs to"
            )
            raise ValueError(msg)
        if self.kind is HonourKind.DEMONSTRATION and self.station_id is None:
            msg = "a demonstration site names its station_id"
            raise ValueError(msg)
        return self
