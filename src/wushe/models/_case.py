"""Casework: cases, their phases and sessions (个案工作).

A case (个案) follows 接案 → 预估 → 计划 → 介入 → 评估 → 结案 (MZ/T 094-2017). Its sessions
(个案服务记录) are records of their own, so "个案 21" counts 21 cases however many session
rows the ledger holds.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from wushe._types import (
    CaseId,
    HouseholdId,
    NeedId,
    RecipientId,
    SessionId,
    StationId,
    WorkerId,
)
from wushe.models._base import WusheModel
from wushe.models._history import split_history
from wushe.privacy import SensitiveText
from wushe.vocab import CaseClosingReason, CasePhase, ServiceCategory

__all__ = ["CASE_TRANSITIONS", "Case", "CasePhaseEntry", "CaseSession"]

CASE_TRANSITIONS: dict[CasePhase, frozenset[CasePhase]] = {
    CasePhase.INTAKE: frozenset({CasePhase.ASSESSMENT, CasePhase.CLOSURE}),
    CasePhase.ASSESSMENT: frozenset({CasePhase.PLANNING, CasePhase.CLOSURE}),
    CasePhase.PLANNING: frozenset({CasePhase.INTERVENTION, CasePhase.CLOSURE}),
    CasePhase.INTERVENTION: frozenset({CasePhase.EVALUATION, CasePhase.CLOSURE}),
    CasePhase.EVALUATION: frozenset(
        {CasePhase.PLANNING, CasePhase.INTERVENTION, CasePhase.CLOSURE}
    ),
    CasePhase.CLOSURE: frozenset(),
}
"""The phase changes a case may make (个案阶段转换规则).

Each phase moves to the next; evaluation may send the case back to planning or
intervention when goals are not met; any open phase may close the case early (the
recipient withdraws, moves away or is referred on).
"""


class CasePhaseEntry(WusheModel):
    """The day a case entered a phase (个案阶段记录)."""

    phase: CasePhase
    """接案, 预估, 计划, 介入, 评估 or 结案 (阶段)."""
    entered_on: date
    """The day the case entered the phase (进入日期)."""


class Case(WusheModel):
    """A case (个案): one recipient, one lead worker, a phase history (个案).

    ``phases`` starts with 接案, keeps dates in order and moves only as
    :data:`CASE_TRANSITIONS` allows; a case is closed when its last phase is 结案, and
    then ``closing_reason`` is required. In a ledger the history fits in one cell, e.g.
    ``接案 2023-03-01；预估 2023-03-08；结案 2023-06-30``.
    """

    case_id: CaseId
    """Identifier within the dataset, e.g. the case file number (个案编号)."""
    recipient_id: RecipientId
    """Whose case it is (服务对象)."""
    worker_id: WorkerId
    """The lead social worker (主责社工)."""
    station_id: StationId
    """The station whose ledger holds the case (所属站点)."""
    phases: Annotated[tuple[CasePhaseEntry, ...], Field(min_length=1)]
    """The phases entered, in order, starting with 接案 (个案阶段)."""
    category: ServiceCategory | None = None
    """Service field of the case (服务类别)."""
    need_id: NeedId | None = None
    """The registered need the case serves, if any (对应需求)."""
    household_id: HouseholdId | None = None
    """The recipient's household, for household casework (所属家庭)."""
    closing_reason: CaseClosingReason | None = None
    """Why the case closed; required once closed (结案原因)."""
    summary: SensitiveText | None = None
    """Case summary; may hold health or family details, masked by default (个案摘要)."""

    @field_validator("phases", mode="before")
    @classmethod
    def _history_cell(cls, value: Any) -> Any:
        return split_history(value, label="phase", start="entered_on")

    @model_validator(mode="after")
    def _valid_history(self) -> Case:
        first = self.phases[0].phase
        if first is not CasePhase.INTAKE:
            msg = f"phases must start with 接案 (intake), not {first.zh}"
            raise ValueError(msg)
        for before, after in pairwise(self.phases):
            if after.entered_on < before.entered_on:
                msg = (
                    f"phase {after.phase.zh} is dated {after.entered_on}, before "
                    f"{before.phase.zh} ({before.entered_on})"
                )
                raise ValueError(msg)
            if after.phase not in CASE_TRANSITIONS[before.phase]:
                msg = f"a case cannot move from {before.phase.zh} to {after.phase.zh}"
                raise ValueError(msg)
        if self.is_closed != (self.closing_reason is not None):
            msg = (
                "closing_reason is required once the case is closed (结案)"
                if self.is_closed
                else "closing_reason is set but the case is not closed (结案)"
            )
            raise ValueError(msg)
        return self

    @property
    def phase(self) -> CasePhase:
        """The current phase (当前阶段)."""
        return self.phases[-1].phase

    @property
    def opened_on(self) -> date:
        """The intake date (接案日期)."""
        return self.phases[0].entered_on

    @property
    def is_closed(self) -> bool:
        """Whether the case is closed (是否已结案)."""
        return self.phase is CasePhase.CLOSURE

    @property
    def closed_on(self) -> date | None:
        """The closing date, or ``None`` while open (结案日期)."""
        return self.phases[-1].entered_on if self.is_closed else None

    def phase_on(self, day: date) -> CasePhase | None:
        """The phase the case was in on ``day``; ``None`` before intake (当日阶段)."""
        current = None
        for entry in self.phases:
            if entry.entered_on > day:
                break
            current = entry.phase
        return current


class CaseSession(WusheModel):
    """One session of a case (个案服务记录).

    Sessions are counted apart from cases: a case of 8 sessions is one case and eight
    sessions.
    """

    session_id: SessionId
    """Identifier within the dataset (服务记录编号)."""
    case_id: CaseId
    """The case the session belongs to (所属个案)."""
    held_on: date
    """Date of the session, within the case's open period (服务日期)."""
    duration_minutes: Annotated[int, Field(ge=1, le=1440)]
    """How long it lasted, in minutes (服务时长)."""
    worker_id: WorkerId | None = None
    """Who held it, when not the case's lead worker (服务社工)."""
    phase: CasePhase | None = None
    """The phase the session served, if recorded (所处阶段)."""
    notes: SensitiveText | None = None
    """Session notes; sensitive, masked by default (服务记录)."""
