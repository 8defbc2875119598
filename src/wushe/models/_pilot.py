"""Pilot programmes and each station's status in them over time (试点).

Seed 004: on 15 March 2022 山西's 民政厅 held the "全省乡镇（街道）社会工作服务站建设试点
工作总结暨扩面工作推进视频会" — pilots summed up, the programme widened. A :class:`Pilot`
keeps one station's dated phases, so the stations in the pilot and in the expansion on any
day are computed (:func:`wushe.network.pilot_status`).
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from wushe._types import Identifier, StationId
from wushe.models._base import WusheModel
from wushe.models._history import split_history
from wushe.vocab import PilotPhase

__all__ = ["Pilot", "PilotPhaseEntry"]

_NEXT = {
    PilotPhase.PILOT: {PilotPhase.REGULAR},
    PilotPhase.EXPANSION: set(),
    PilotPhase.REGULAR: set(),
}


class PilotPhaseEntry(WusheModel):
    """The day a station entered a phase of a pilot programme (试点阶段记录)."""

    phase: PilotPhase
    """试点, 常态化 or 扩面 (试点阶段)."""
    entered_on: date
    """The day the phase began (起始日期)."""


class Pilot(WusheModel):
    """One station's place in a pilot programme, phase by phase (试点记录).

    A station starts either as a pilot (试点), which may later become regular (常态化),
    or as an expansion station (扩面). In a ledger the phases fit in one cell, e.g.
    ``试点 2021-06-01；常态化 2022-03-15``.
    """

    pilot_id: Identifier
    """Identifier within the dataset (试点记录编号)."""
    programme: Annotated[str, Field(min_length=1)]
    """The programme, e.g. ``"乡镇（街道）社会工作服务站建设试点"`` (试点项目)."""
    station_id: StationId
    """The station (站点)."""
    designated_by: str = ""
    """Who named it, e.g. ``"山西省民政厅"`` (确定单位)."""
    phases: Annotated[tuple[PilotPhaseEntry, ...], Field(min_length=1)]
    """Phases in date order (阶段)."""

    @field_validator("phases", mode="before")
    @classmethod
    def _history_cell(cls, value: Any) -> Any:
        return split_history(value, label="phase", start="entered_on")

    @model_validator(mode="after")
    def _ordered(self) -> Pilot:
        for before, after in pairwise(self.phases):
            if after.entered_on < before.entered_on:
                msg = f"phase {after.phase.zh} is dated before {before.phase.zh}"
                raise ValueError(msg)
            if after.phase not in _NEXT[before.phase]:
                msg = (
                    f"a station does not go from {before.phase.zh} to {after.phase.zh}"
                )
                raise ValueError(msg)
        return self

    def phase_on(self, day: date) -> PilotPhase | None:
        """The phase on ``day``; ``None`` before the first (当日阶段)."""
        current = None
        for entry in self.phases:
            if entry.entered_on > day:
                break
            current = entry.phase
        return current
