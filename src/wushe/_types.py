"""Shared type aliases for identifiers and scores (类型别名)."""

from __future__ import annotations

from typing import Annotated, TypeAlias

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
