"""Incubators, cohorts and organisations' stage transitions (社会组织孵化培育).

An incubator (孵化基地, 培育中心) takes in community organisations in cohorts (批次) and
follows each from 萌芽型 to 初创型 and on; it also visits registered organisations (回访).
Seed 003 reports 叙州区's centre: "已孵化萌芽型社会组织19家，初创型社会组织17家，回访已登记的
社会组织66家" — counts that :func:`wushe.network.incubation_summary` computes from these
records.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from wushe._types import (
    CommunityId,
    IncubationId,
    IncubatorId,
    OrganizationId,
    StationId,
)
from wushe.models._base import WusheModel
from wushe.models._history import split_history
from wushe.vocab import IncubationStage

__all__ = ["Incubation", "IncubationStageEntry", "Incubator"]


class Incubator(WusheModel):
    """A social-organisation incubator or cultivation centre (社会组织孵化基地)."""

    incubator_id: IncubatorId
    """Identifier within the dataset (孵化基地编号)."""
    name: Annotated[str, Field(min_length=1)]
    """Name, e.g. ``"叙州社会组织培育服务中心"`` (孵化基地名称)."""
    operator_id: OrganizationId | None = None
    """The organisation that runs it (运营机构)."""
    station_id: StationId | None = None
    """The station it works with or sits in (所属站点)."""
    community_id: CommunityId | None = None
    """Where it is (所在社区)."""
    opened_on: date | None = None
    """When it opened (启用日期)."""


class IncubationStageEntry(WusheModel):
    """The day an organisation reached a stage (孵化阶段记录)."""

    stage: IncubationStage
    """萌芽型, 初创型, 成长型 or 成熟型 (孵化阶段)."""
    entered_on: date
    """The day it was assessed at this stage (进入日期)."""


class Incubation(WusheModel):
    """One organisation's record with an incubator: cohort, stages, follow-ups (孵化记录).

    Stages only move forward, with dates in order; in a ledger they fit in one cell, e.g.
    ``萌芽型 2023-04-10；初创型 2023-09-01``. A record may hold only follow-up visits
    (``follow_ups``), as for registered organisations the centre visits.
    """

    incubation_id: IncubationId
    """Identifier within the dataset (孵化编号)."""
    organization_id: OrganizationId
    """The organisation (社会组织)."""
    incubator_id: IncubatorId
    """The incubator (孵化基地)."""
    cohort: str = ""
    """The intake it belongs to, e.g. ``"2023年第一批"`` (孵化批次)."""
    stages: tuple[IncubationStageEntry, ...] = ()
    """Stages reached, in order (孵化阶段)."""
    resident: bool = False
    """Whether it is housed in the incubator (是否入驻)."""
    graduated_on: date | None = None
    """When it left the incubator as ready (出壳日期)."""
    follow_ups: tuple[date, ...] = ()
    """Dates of follow-up visits (回访日期)."""

    @field_validator("stages", mode="before")
    @classmethod
    def _history_cell(cls, value: Any) -> Any:
        return split_history(value, label="stage", start="entered_on")

    @model_validator(mode="after")
    def _forward(self) -> Incubation:
        if not self.stages and not self.follow_ups:
            msg = "an incubation record names at least one stage or follow-up"
            raise ValueError(msg)
        order = list(IncubationStage)
        for before, after in pairwise(self.stages):
            if after.entered_on < before.entered_on:
                msg = f"stage {after.stage.zh} is dated before {before.stage.zh}"
                raise ValueError(msg)
            if order.index(after.stage) <= order.index(before.stage):
                msg = f"stages move forward only, not from {before.stage.zh} to {after.stage.zh}"
                raise ValueError(msg)
        first = self.stages[0].entered_on if self.stages else None
        if (
            self.graduated_on is not None
            and first is not None
            and self.graduated_on < first
        ):
            msg = "graduated_on is before the first stage"
            raise ValueError(msg)
        return self

    def stage_on(self, day: date) -> IncubationStage | None:
        """The stage on ``day``; ``None`` before the first (当日阶段)."""
        current = None
        for entry in self.stages:
            if entry.entered_on > day:
                break
            current = entry.stage
        return current
