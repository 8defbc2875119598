"""Small value models shared by several records (通用值对象)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Annotated, TypeAlias

from pydantic import AfterValidator, Field, model_validator

from wushe.models._base import WusheModel

__all__ = [
    "Amount",
    "Capacity",
    "Count",
    "LocalDateTime",
    "Measure",
    "Period",
    "Quantity",
    "TimeWindow",
]

# -- bounds on the numbers and times records may hold (see docs/reference/limits.md) -----

MAX_CAPACITY = 1_000_000
"""Largest capacity, caseload or places a record may state (容量上限)."""
MAX_COUNT = 1_000_000_000
"""Largest count a record may state: sessions, person-times, population (计数上限)."""
MAX_AMOUNT = Decimal(10**12)
"""Largest amount a record may state, in its unit: one trillion, e.g. CNY (金额上限)."""
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")
"""China Standard Time, UTC+8 all year (北京时间); naive times are read in it."""
_EARLIEST = datetime(1900, 1, 1)
_LATEST = datetime(2200, 12, 31, 23, 59, 59)


def _local_time(moment: datetime) -> datetime:
    wall = moment.replace(tzinfo=None)
    if not _EARLIEST <= wall <= _LATEST:
        msg = f"must lie between 1900-01-01 and 2200-12-31, got {wall.isoformat()}"
        raise ValueError(msg)
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(BEIJING).replace(tzinfo=None)


Capacity: TypeAlias = Annotated[int, Field(ge=0, le=MAX_CAPACITY)]
"""A capacity, caseload or number of places, 0 to 1,000,000 (容量)."""
Count: TypeAlias = Annotated[int, Field(ge=0, le=MAX_COUNT)]
"""A count of sessions, attendances or people, 0 to 1,000,000,000 (计数)."""
Amount: TypeAlias = Annotated[
    Decimal, Field(ge=0, le=MAX_AMOUNT, decimal_places=2, allow_inf_nan=False)
]
"""An amount of money or of a resource, 0 to 10**12 in its unit with at most two decimals,
the engines' unit of 0.01 (金额/数量)."""
Measure: TypeAlias = Annotated[
    Decimal,
    Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT, decimal_places=6, allow_inf_nan=False),
]
"""An indicator value or a counted output, at most 10**12 either side of zero with at most
six decimals (度量值)."""
LocalDateTime: TypeAlias = Annotated[datetime, AfterValidator(_local_time)]
"""A moment in Beijing time between 1900 and 2200 (北京时间).

A naive value is Beijing wall-clock time; a value with a UTC offset is converted to Beijing
time and stored naive, so that naive and offset times can be mixed and compared anywhere.
The bounds are checked on the written wall-clock time, before any conversion."""


class TimeWindow(WusheModel):
    """A half-open time interval ``[start, end)`` (时间段).

    Used for availability, need windows and venue bookings. Times are
    :data:`LocalDateTime`: Beijing time between 1900 and 2200; a time written with a UTC
    offset (``2024-01-01T10:00+08:00``, ``…T02:00Z``) is converted to Beijing time and
    stored naive, so one window may mix both forms.
    """

    start: LocalDateTime
    """When the window opens, Beijing time, 1900–2200 (开始时间)."""
    end: LocalDateTime
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
    amount: Annotated[Measure, Field(ge=0)]
    """How many or how much; 0 to 10**12 with at most six decimals (数量)."""
    unit: str = ""
    """The unit, e.g. ``"本"`` or ``"CNY"`` (单位)."""
