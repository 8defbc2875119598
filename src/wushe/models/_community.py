"""Administrative areas and communities (行政区划与社区)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from wushe._types import CommunityId
from wushe.codes import DivisionCode, DivisionLevel, division_level
from wushe.models._base import WusheModel
from wushe.models._common import Count
from wushe.vocab import CommitteeKind

__all__ = ["Community", "Division"]


class Division(WusheModel):
    """An administrative area above the community: district, street or township (行政区划).

    A dataset lists the areas it covers so that coverage can report a street with no station
    at all (应建尽建). Communities and villages are :class:`Community` records instead.
    """

    division_code: DivisionCode
    """GB/T 2260 code (county and above) or 9-digit township code (行政区划代码)."""
    name: Annotated[str, Field(min_length=1)]
    """Official name, e.g. ``"金牛区"`` or ``"七星岗街道"`` (名称)."""
    synthetic_code: bool = False
    """True when the code is made up for example data rather than the official one (编码为示例)."""

    @model_validator(mode="after")
    def _not_a_village(self) -> Division:
        if division_level(self.division_code) is DivisionLevel.VILLAGE:
            msg = "village-level codes belong to Community records, not Division"
            raise ValueError(msg)
        return self


class Community(WusheModel):
    """An urban community or rural village: the platform of the linkage (社区/村).

    Represented on the ground by the residents' or villagers' committee. Its 12-digit
    statistical code places it under its street or township.
    """

    kind: Literal["community"] = "community"
    """Discriminator for actor unions (类型标记)."""
    community_id: CommunityId
    """Identifier within the dataset (社区编号)."""
    name: Annotated[str, Field(min_length=1)]
    """Official name, e.g. ``"兴隆街社区"`` (社区名称)."""
    division_code: DivisionCode
    """12-digit statistical code of the residents' or villagers' committee (统计用区划代码)."""
    committee: CommitteeKind = CommitteeKind.RESIDENTS
    """Residents' (居委会) or villagers' (村委会) committee (自治组织类型)."""
    population: Count | None = None
    """Registered residents, when known; 0 to 10**9 (人口)."""
    adjacent_ids: tuple[CommunityId, ...] = ()
    """Neighbouring communities, for matching actors across a boundary (相邻社区)."""
    synthetic_code: bool = False
    """True when the code is made up for example data rather than the official one (编码为示例)."""

    @model_validator(mode="after")
    def _village_level(self) -> Community:
        if division_level(self.division_code) is not DivisionLevel.VILLAGE:
            msg = "a community needs a 12-digit village-level statistical code"
            raise ValueError(msg)
        if self.community_id in self.adjacent_ids:
            msg = "a community cannot be adjacent to itself"
            raise ValueError(msg)
        return self
