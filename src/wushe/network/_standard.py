"""Station build standards: the six-haves and local variants (建设标准)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from wushe._types import SortedFrozenSet
from wushe.models import WusheModel
from wushe.vocab import BuildCriterion, StationLevel

__all__ = ["FIVE_HAVES", "SIX_HAVES", "BuildStandard"]


class BuildStandard(WusheModel):
    """A checklist that a built station is measured against (站点建设标准).

    The six-haves (六有) is the common formula; some places use five-haves (五有) or their
    own list, so a standard is data: name it, list its items and say which station levels
    it applies to. Load one from JSON or YAML like any other model.
    """

    name: Annotated[str, Field(min_length=1)]
    """Short English name, e.g. ``"six_haves"`` (标准代号)."""
    zh: Annotated[str, Field(min_length=1)]
    """Chinese name, e.g. ``"六有"`` (标准名称)."""
    criteria: Annotated[tuple[BuildCriterion, ...], Field(min_length=1)]
    """Items a station must meet, in the order reports list them (标准条目)."""
    levels: SortedFrozenSet[StationLevel] = Field(
        default_factory=lambda: frozenset(StationLevel)
    )
    """Station levels the standard applies to; others are not assessed (适用层级)."""

    def __repr__(self) -> str:
        # Short, so signatures such as ``standard=SIX_HAVES`` stay readable in the docs.
        return f"BuildStandard(name={self.name!r}, zh={self.zh!r})"

    @model_validator(mode="after")
    def _distinct_items(self) -> BuildStandard:
        if len(set(self.criteria)) != len(self.criteria):
            msg = "criteria lists an item twice"
            raise ValueError(msg)
        if not self.levels:
            msg = "levels is empty: the standard would apply to no station"
            raise ValueError(msg)
        return self


SIX_HAVES = BuildStandard(
    name="six_haves",
    zh="六有",
    criteria=(
        BuildCriterion.SITE,
        BuildCriterion.EQUIPMENT,
        BuildCriterion.STAFF,
        BuildCriterion.SERVICE_FUNCTIONS,
        BuildCriterion.WORKFLOW,
        BuildCriterion.RULES,
    ),
)
"""有场地、有设备、有人员、有服务功能、有工作流程、有规章制度: the six-haves (六有)."""

FIVE_HAVES = BuildStandard(
    name="five_haves",
    zh="五有",
    criteria=(
        BuildCriterion.SITE,
        BuildCriterion.STAFF,
        BuildCriterion.SERVICE_FUNCTIONS,
        BuildCriterion.RULES,
        BuildCriterion.ACTIVITIES,
    ),
)
"""场地、人员、功能、制度、活动: the five-haves variant used in Shishou, Hubei (五有)."""
