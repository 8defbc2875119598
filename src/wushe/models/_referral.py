"""Referrals to other departments and units (转介).

横向协同: a station refers a need it cannot meet to the department that serves it (教育,
卫健, 司法, 残联, 住建, 人社, 医保, 公安 …). A referral is a record with a status that
moves 已转介 → 已受理 → 已反馈 → 已办结, or is sent back (退回); the receiving unit's
feedback closes it.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from pydantic import model_validator

from wushe._types import (
    CaseId,
    HouseholdId,
    NeedId,
    OrganizationId,
    RecipientId,
    ReferralId,
    StationId,
)
from wushe.models._base import WusheModel
from wushe.privacy import SensitiveText
from wushe.vocab import Department, ReferralStatus

__all__ = ["Referral"]

_DATE_OF = {
    ReferralStatus.ACCEPTED: "accepted_on",
    ReferralStatus.FEEDBACK: "feedback_on",
    ReferralStatus.CLOSED: "closed_on",
}
_ORDER = ("sent_on", "accepted_on", "feedback_on", "closed_on")


class Referral(WusheModel):
    """A referral of a recipient's need to another unit (转介记录).

    The status must agree with the dates recorded: 已受理 needs ``accepted_on``, 已反馈
    ``feedback_on``, 已办结 ``feedback_on`` and ``closed_on`` (the feedback closes it), 退回
    ``returned_on``; a date of a later step than the status is an error, and dates keep
    the order sent ≤ accepted ≤ feedback ≤ closed.
    """

    referral_id: ReferralId
    """Identifier within the dataset (转介编号)."""
    recipient_id: RecipientId
    """Whose need is referred (服务对象)."""
    station_id: StationId
    """The station that referred it (转出站点)."""
    unit: Department
    """The kind of receiving unit: 教育, 卫健, 司法, 残联, 住建, 人社, 医保, 公安 … (接收部门)."""
    sent_on: date
    """When it was sent (转介日期)."""
    status: ReferralStatus = ReferralStatus.SENT
    """已转介, 已受理, 已反馈, 已办结 or 退回 (转介状态)."""
    unit_name: str = ""
    """The receiving unit's name, e.g. ``"金牛区教育局"`` (接收单位)."""
    organization_id: OrganizationId | None = None
    """The receiving organisation, when it is one of the dataset's (接收组织)."""
    need_id: NeedId | None = None
    """The need referred, if registered (对应需求)."""
    case_id: CaseId | None = None
    """The case it was referred from, if any (对应个案)."""
    household_id: HouseholdId | None = None
    """The household concerned, if any (所属家庭)."""
    accepted_on: date | None = None
    """When the unit accepted it (受理日期)."""
    feedback_on: date | None = None
    """When the unit reported back (反馈日期)."""
    closed_on: date | None = None
    """When it was settled (办结日期)."""
    returned_on: date | None = None
    """When the unit sent it back (退回日期)."""
    reason: SensitiveText | None = None
    """Why it was referred; may hold health details, masked by default (转介原因)."""
    feedback: SensitiveText | None = None
    """The unit's feedback; masked by default (反馈情况)."""

    @model_validator(mode="after")
    def _status_agrees_with_dates(self) -> Referral:
        dated = [(f, getattr(self, f)) for f in _ORDER if getattr(self, f) is not None]
        for (first, a), (second, b) in pairwise(dated):
            if b < a:
                msg = f"{second} ({b}) is before {first} ({a})"
                raise ValueError(msg)
        if self.returned_on is not None and self.returned_on < self.sent_on:
            msg = "returned_on is before sent_on"
            raise ValueError(msg)
        if self.closed_on is not None and self.feedback_on is None:
            msg = "closed_on needs feedback_on: the unit's feedback closes a referral"
            raise ValueError(msg)
        expected = self.implied_status()
        if self.status is not expected:
            msg = (
                f"status {self.status.zh} does not agree with the dates recorded, "
                f"which say {expected.zh}"
            )
            raise ValueError(msg)
        return self

    def implied_status(self) -> ReferralStatus:
        """The status the recorded dates imply (日期对应状态).

        退回 if ``returned_on`` is set (and nothing closed it), else the latest step
        dated.
        """
        if self.returned_on is not None and self.closed_on is None:
            return ReferralStatus.RETURNED
        latest = ReferralStatus.SENT
        for status, field in _DATE_OF.items():
            if getattr(self, field) is not None:
                latest = status
        return latest

    @property
    def is_closed(self) -> bool:
        """Whether the feedback closed it (是否已办结)."""
        return self.status is ReferralStatus.CLOSED

    def status_on(self, day: date) -> ReferralStatus | None:
        """The status on ``day``; ``None`` before it was sent (当日状态)."""
        if day < self.sent_on:
            return None
        returned = self.returned_on is not None and self.returned_on <= day
        if returned and (self.closed_on is None or day < self.closed_on):
            return ReferralStatus.RETURNED
        current = ReferralStatus.SENT
        for status, field in _DATE_OF.items():
            when = getattr(self, field)
            if when is not None and when <= day:
                current = status
        return current
