"""Small value models shared by several records (通用值对象)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, model_validator

from wushe.models._base import WusheModel

__all__ = ["Period", "Quantity", "TimeWindow"]


class TimeWindow(WusheModel):
    """A half-open time interval ``[start, end)`` (时间段).

    Used for availability, need windows and venue bookings. Naive datetimes are local
    (Beijing) time; do not mix naive and aware values in one dataset.
    """

    start: datetime
    """When the window opens (开始时间)."""
    end: datetime
    """When the window closes, exclusive; later than ``start`` (结束时间)."""

    @model_validator(mode="after")
    def _end_after_start(self) -> TimeWindow:
        if self.end <= self.start:
            msg = "end must be later than start"
            raise ValueError(msg)
        return self

    def overlaps(self, other: TimeWindow) -> bool:
        """Whether two windows share any instant (是否重叠)."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: TimeWindow) -> bool:
        """Whether ``other`` lies wholly inside this window (是否包含)."""
        return self.start <= other.start and other.end <= self.end


class Period(WusheModel):
    """A reporting or contract period of whole days, both ends inclusive (期间)."""

    start: date
    """First day of the period (起始日)."""
    end: date
    """Last day of the period, on or after ``start`` (截止日)."""

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Period:
        if self.end < self.start:
            msg = "end must not be before start"
            raise ValueError(msg)
        return self

    def includes(self, day: date) -> bool:
        """Whether ``day`` falls inside the period (是否在期间内)."""
        return self.start <= day <= self.end


class Quantity(WusheModel):
    """A named amount with its unit, e.g. 2,400 books (数量)."""

    name: Annotated[str, Field(min_length=1)]
    """What is counted, e.g. ``"books"`` or ``"儿童绘本"`` (名称)."""
    amount: Annotated[Decimal, Field(ge=0)]
    """How many or how much; never negative (数量)."""
    unit: str = ""
    """The unit, e.g. ``"本"`` or ``"CNY"`` (单位)."""
