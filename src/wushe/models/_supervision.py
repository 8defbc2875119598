"""Supervision and training of social workers (督导与培训).

A county hub supervises its streets' stations and rooms (金牛区: 实地督导13次，覆盖13个
街道、32个社区) and trains the district's workers (服务全区社工270余人次). Both are
records here, so such figures are computed, and each worker's continuing-education hours
(继续教育) add up from the trainings they attended.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field, model_validator

from wushe._types import (
    CommunityId,
    SortedFrozenSet,
    StationId,
    SupervisionId,
    TrainingId,
    WorkerId,
)
from wushe.models._base import WusheModel
from wushe.models._common import Count
from wushe.vocab import SupervisionMode, TrainingKind

__all__ = ["Supervision", "Training"]


class Supervision(WusheModel):
    """One supervision session: who supervised whom, where, when, how long (督导记录).

    A session covers the workers supervised (``supervisee_ids``) and the stations and
    communities it reached; a field visit to a street station covers that street.
    ``person_times`` counts attendances when not every supervisee is on record.
    """

    supervision_id: SupervisionId
    """Identifier within the dataset (督导编号)."""
    held_on: date
    """Date of the session (督导日期)."""
    station_id: StationId
    """The station that ran it, usually the county hub (组织站点)."""
    hours: Annotated[Decimal, Field(gt=0, le=24)]
    """How long it lasted, in hours (督导时长)."""
    mode: SupervisionMode = SupervisionMode.FIELD
    """实地, 集中 or 线上 (督导方式)."""
    supervisor_id: WorkerId | None = None
    """The supervising worker, when on record (督导人)."""
    supervisor_role: str = ""
    """Who supervised when not on record, e.g. ``"高校督导"``; never a name (督导人身份)."""
    supervisee_ids: SortedFrozenSet[WorkerId] = frozenset()
    """Workers supervised (被督导社工)."""
    station_ids: SortedFrozenSet[StationId] = frozenset()
    """Stations and rooms covered (覆盖站点)."""
    community_ids: SortedFrozenSet[CommunityId] = frozenset()
    """Communities covered (覆盖社区)."""
    person_times: Count | None = None
    """Attendances, when more than the supervisees on record; at most 10**9 (服务人次)."""
    topic: str = ""
    """Subject, e.g. ``"伦理困境"`` (督导主题)."""

    @model_validator(mode="after")
    def _consistent(self) -> Supervision:
        if self.supervisor_id is not None and self.supervisor_id in self.supervisee_ids:
            msg = "supervisor_id is also among supervisee_ids"
            raise ValueError(msg)
        if self.person_times is not None and self.person_times < len(
            self.supervisee_ids
        ):
            msg = "person_times must not be smaller than the number of supervisee_ids"
            raise ValueError(msg)
        return self

    @property
    def attendances(self) -> int:
        """``person_times`` when given, else the number of supervisees (督导人次)."""
        return (
            self.person_times
            if self.person_times is not None
            else len(self.supervisee_ids)
        )


class Training(WusheModel):
    """A training event for social workers, with its hours and attendees (培训记录).

    ``attendee_ids`` are the workers on record; ``person_times`` counts every attendance,
    including people not on record. When ``counts_for_cpd`` is true the hours count
    toward each attendee's continuing education (继续教育学时).
    """

    training_id: TrainingId
    """Identifier within the dataset (培训编号)."""
    title: Annotated[str, Field(min_length=1)]
    """Title, e.g. ``"社会救助工作理论"`` (培训主题)."""
    held_on: date
    """Date, or the last day of a multi-day event (培训日期)."""
    station_id: StationId
    """The station that organised it (组织站点)."""
    hours: Annotated[Decimal, Field(gt=0, le=200)]
    """Training hours each attendee receives (培训学时)."""
    kind: TrainingKind = TrainingKind.COURSE
    """Course, study visit, continuing education or exchange (培训类型)."""
    provider: str = ""
    """Who taught it, e.g. ``"高校"`` or ``"成都市慈善总会"`` (授课单位)."""
    attendee_ids: SortedFrozenSet[WorkerId] = frozenset()
    """Workers on record who attended (参训社工)."""
    person_times: Count | None = None
    """All attendances, when more than the attendees on record; at most 10**9 (参训人次)."""
    counts_for_cpd: bool = True
    """Whether the hours count as continuing education (计入继续教育)."""

    @model_validator(mode="after")
    def _enough_person_times(self) -> Training:
        if self.person_times is not None and self.person_times < len(self.attendee_ids):
            msg = "person_times must not be smaller than the number of attendee_ids"
            raise ValueError(msg)
        return self

    @property
    def attendances(self) -> int:
        """``person_times`` when given, else the number of attendees (参训人次)."""
        return (
            self.person_times
            if self.person_times is not None
            else len(self.attendee_ids)
        )
