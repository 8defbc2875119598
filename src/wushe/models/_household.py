"""Households and their assistance status history (家庭/户与救助类别).

低保, 低保边缘, 特困供养, 计生特殊家庭 and 支出型困难 are granted to a household; the
members are recipients of the same community. A household's status history says which
status held when, so roll-ups can count households as well as people on any date.
"""

from __future__ import annotations

from datetime import date
from itertools import combinations
from typing import Annotated, Any

from pydantic import Field, field_validator, model_validator

from wushe._types import CommunityId, HouseholdId, RecipientId, SortedFrozenSet
from wushe.models._base import WusheModel
from wushe.models._common import Count
from wushe.models._history import check_span, in_span, split_history
from wushe.privacy import SPECIAL_CATEGORY, SensitiveAddress
from wushe.vocab import HouseholdStatus

__all__ = ["Household", "HouseholdMembership", "HouseholdStatusPeriod"]

_EXCLUSIVE = frozenset(
    {
        frozenset({HouseholdStatus.DIBAO, HouseholdStatus.NEAR_DIBAO}),
        frozenset(
            {
                HouseholdStatus.EXTREME_POVERTY_CENTRALISED,
                HouseholdStatus.EXTREME_POVERTY_DISPERSED,
            }
        ),
    }
)


class HouseholdStatusPeriod(WusheModel):
    """One assistance status of a household and when it held (家庭类别认定期间).

    ``until`` is the last day the status held; ``None`` means it still holds.
    """

    status: HouseholdStatus
    """低保, 低保边缘, 特困供养 (集中/分散), 计生特殊家庭 or 支出型困难 (家庭类别)."""
    since: date
    """First day the status held, e.g. the approval date (认定日期)."""
    until: date | None = None
    """Last day it held, e.g. the day before exit; ``None`` while it holds (终止日期)."""

    @model_validator(mode="after")
    def _until_not_before_since(self) -> HouseholdStatusPeriod:
        check_span(self.since, self.until)
        return self

    def holds_on(self, day: date) -> bool:
        """Whether the status held on ``day`` (当日是否有效)."""
        return in_span(self.since, self.until, day)

    def overlaps(self, other: HouseholdStatusPeriod) -> bool:
        """Whether the two periods share a day (期间是否重叠)."""
        return (other.until is None or self.since <= other.until) and (
            self.until is None or other.since <= self.until
        )


class HouseholdMembership(WusheModel):
    """When one member joined or left a household (成员入户与离户).

    ``until`` is the last day the person was a member; ``None`` means they still are.
    """

    recipient_id: RecipientId
    """The member, one of the household's ``member_ids`` (成员)."""
    since: date | None = None
    """First day as a member, e.g. the day they moved in; ``None`` if not recorded (入户日期)."""
    until: date | None = None
    """Last day as a member, e.g. the day before they moved out or died (离户日期)."""

    @model_validator(mode="after")
    def _until_not_before_since(self) -> HouseholdMembership:
        check_span(self.since, self.until)
        return self

    def holds_on(self, day: date) -> bool:
        """Whether the person was a member on ``day`` (当日是否在户)."""
        return in_span(self.since, self.until, day)


class Household(WusheModel):
    """A household (户) whose members are recipients of one community (家庭).

    ``statuses`` is the household's assistance history. The same status may not hold
    twice at once, and 低保 excludes 低保边缘 and 集中 excludes 分散供养 on the same
    day. In a ledger the history fits in one cell, e.g.
    ``低保 2021-01-01~2022-12-31；低保边缘 2023-01-01~``.

    ``memberships`` dates the members who joined or left; a member without one belongs
    throughout. In a ledger it fits in one cell too, e.g.
    ``p1 2020-01-01~2023-06-30；p2 2023-07-01~``. A member who left is not counted on
    later days (:meth:`members_on`).

    The dataset checks that members exist, live in the household's community while they
    are members, and belong to no other household at the same time.
    """

    household_id: HouseholdId
    """Identifier within the dataset, e.g. the household roster number (家庭编号)."""
    community_id: CommunityId
    """Community the household lives in (所在社区)."""
    member_ids: Annotated[SortedFrozenSet[RecipientId], Field(min_length=1)]
    """Recipients who are members of the household (家庭成员)."""
    head_id: RecipientId | None = None
    """The applicant or head of household, one of the members (户主)."""
    statuses: Annotated[tuple[HouseholdStatusPeriod, ...], SPECIAL_CATEGORY] = ()
    """Assistance statuses with their dates; withheld per household by default (家庭类别)."""
    size: Annotated[Count, Field(ge=1)] | None = None
    """Registered household size, counting members who are not recipients; at most 10**9 (家庭人口)."""
    address: SensitiveAddress | None = None
    """Home address; personal information, masked by default (家庭住址)."""
    memberships: tuple[HouseholdMembership, ...] = ()
    """When members joined or left, one entry per member at most (成员变动)."""

    @field_validator("statuses", mode="before")
    @classmethod
    def _history_cell(cls, value: Any) -> Any:
        return split_history(value, label="status", start="since", end="until")

    @field_validator("memberships", mode="before")
    @classmethod
    def _membership_cell(cls, value: Any) -> Any:
        return split_history(value, label="recipient_id", start="since", end="until")

    @model_validator(mode="after")
    def _consistent(self) -> Household:
        if self.head_id is not None and self.head_id not in self.member_ids:
            msg = "head_id must be one of member_ids"
            raise ValueError(msg)
        dated = [m.recipient_id for m in self.memberships]
        strangers = sorted(set(dated) - self.member_ids)
        if strangers:
            msg = f"memberships name {', '.join(strangers)}, not in member_ids"
            raise ValueError(msg)
        if len(set(dated)) != len(dated):
            msg = "memberships list a member twice"
            raise ValueError(msg)
        if self.size is not None and self.size < len(self.member_ids):
            msg = "size must not be smaller than the number of member_ids"
            raise ValueError(msg)
        for a, b in combinations(self.statuses, 2):
            clash = (
                a.status is b.status or frozenset({a.status, b.status}) in _EXCLUSIVE
            )
            if clash and a.overlaps(b):
                msg = (
                    f"statuses {a.status.zh} (from {a.since}) and {b.status.zh} "
                    f"(from {b.since}) overlap"
                )
                raise ValueError(msg)
        return self

    def statuses_on(self, day: date) -> frozenset[HouseholdStatus]:
        """The statuses that held on ``day`` (当日家庭类别)."""
        return frozenset(p.status for p in self.statuses if p.holds_on(day))

    def has_status(self, status: HouseholdStatus, day: date) -> bool:
        """Whether ``status`` held on ``day`` (当日是否属于该类别)."""
        return status in self.statuses_on(day)

    def members_on(self, day: date) -> frozenset[str]:
        """The members on ``day``: everyone but those who had not joined or had left (当日在户成员).

        >>> h = Household.model_validate({"household_id": "h", "community_id": "c",
        ...     "member_ids": ["p1", "p2"], "memberships": "p2 2020-01-01~2023-06-30"})
        >>> sorted(h.members_on(date(2023, 6, 30))), sorted(h.members_on(date(2023, 7, 1)))
        (['p1', 'p2'], ['p1'])
        """
        away = {m.recipient_id for m in self.memberships if not m.holds_on(day)}
        return self.member_ids - away

    def membership_of(self, recipient_id: str) -> HouseholdMembership:
        """The dates of one member; undated members belong throughout (成员在户期间)."""
        for m in self.memberships:
            if m.recipient_id == recipient_id:
                return m
        return HouseholdMembership(recipient_id=recipient_id)
