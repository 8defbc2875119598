"""Shared type aliases for identifiers and scores (类型别名)."""

from __future__ import annotations

from typing import Annotated, Protocol, TypeAlias

from pydantic import Field

__all__ = [
    "ActivityId",
    "CaseId",
    "CommunityId",
    "ContractId",
    "HouseholdId",
    "Identifier",
    "IncubationId",
    "IncubatorId",
    "NeedId",
    "OrganizationId",
    "PersonId",
    "Progress",
    "ProjectId",
    "RecipientId",
    "ReferralId",
    "ResourceId",
    "SessionId",
    "SpendingId",
    "StationId",
    "SupervisionId",
    "TeamId",
    "TrainingId",
    "VolunteerId",
    "WorkerId",
]

Identifier: TypeAlias = Annotated[
    str, Field(min_length=1, max_length=128, pattern=r"^[^\s/\\]+$")
]
"""A record identifier: 1–128 characters, no whitespace or slashes (记录编号)."""

StationId: TypeAlias = Identifier
CommunityId: TypeAlias = Identifier
OrganizationId: TypeAlias = Identifier
WorkerId: TypeAlias = Identifier
VolunteerId: TypeAlias = Identifier
TeamId: TypeAlias = Identifier
ResourceId: TypeAlias = Identifier
RecipientId: TypeAlias = Identifier
NeedId: TypeAlias = Identifier
ProjectId: TypeAlias = Identifier
ActivityId: TypeAlias = Identifier
HouseholdId: TypeAlias = Identifier
PersonId: TypeAlias = Identifier
CaseId: TypeAlias = Identifier
SessionId: TypeAlias = Identifier
ReferralId: TypeAlias = Identifier
SupervisionId: TypeAlias = Identifier
TrainingId: TypeAlias = Identifier
ContractId: TypeAlias = Identifier
SpendingId: TypeAlias = Identifier
IncubatorId: TypeAlias = Identifier
IncubationId: TypeAlias = Identifier


class Progress(Protocol):
    """A callback told how far a long operation has got (进度回调).

    Pass one as the keyword-only ``progress`` argument of :func:`~wushe.io.load_dataset`,
    :func:`~wushe.io.load_report`, :func:`~wushe.matching.match` or
    :func:`~wushe.care.warnings`. wushe calls it positionally as
    ``progress(stage, done, total)``:

    * ``stage`` is a stable name: ``"load"`` (records checked), ``"match.candidates"``
      (building the candidate graph), ``"match.solve"`` (role graphs solved; the total stays
      ``None`` when a team-linkage policy solves in rounds) or
      ``"care.warnings"`` (recipients checked);
    * ``done`` counts the units finished, from ``0`` when the stage starts;
    * ``total`` is the number of units, or ``None`` while it is not yet known.

    A stage that finishes ends with a call where ``done == total``; one that fails may stop
    earlier. Calls come from the thread that runs the operation, at most a few hundred
    times per stage, and never carry personal data. A callback should return quickly; an
    exception it raises aborts the operation.

    Examples:
        >>> seen = []
        >>> def record(stage: str, done: int, total: int | None) -> None:
        ...     seen.append((stage, done, total))
        >>> from wushe import examples
        >>> from wushe.io import load_report
        >>> report = load_report(examples.path("qixinggang"), progress=record)
        >>> seen[0][:2], seen[-1][0], seen[-1][1] == seen[-1][2]
        (('load', 0), 'load', True)
    """

    def __call__(self, stage: str, done: int, total: int | None, /) -> None:
        """Report that ``done`` of ``total`` units of ``stage`` are finished (报告进度)."""
