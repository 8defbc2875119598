"""Counts kept at the grain a department keeps them (按台账粒度的汇总记录).

A city's 37.6万 registered volunteers and 378.2万 service hours (seed 003) are not typed
person by person: the volunteer platform (志愿服务信息系统) exports one row per team and
period. A province's video conference of ~1,300 (seed 004) is counted from each venue's
sign-in sheet. These records keep that grain, so the totals are computed and no person
record is invented.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from wushe._types import Identifier, TeamId
from wushe.codes import DivisionCode
from wushe.models._base import WusheModel
from wushe.models._common import Amount, Count, Period
from wushe.vocab import ConveningKind

__all__ = ["AttendanceCount", "Convening", "VolunteerHoursRow"]


class VolunteerHoursRow(WusheModel):
    """One row of the volunteer platform's export: a team in a period (志愿服务时长导出行).

    ``registered`` is the team's real-name registered volunteers at the period's end
    (实名注册人数, a stock); ``hours`` the effective service hours logged in the period
    (有效服务时长, a flow). Totals therefore take each team's latest ``registered`` and the
    sum of all ``hours`` (:func:`wushe.network.volunteer_platform_totals`).
    """

    row_id: Identifier
    """Identifier within the dataset (导出行编号)."""
    team_id: TeamId
    """The team, one volunteer team record (志愿服务队伍)."""
    period: Period
    """The export period (统计期间)."""
    registered: Count
    """Registered volunteers at the period's end (实名注册人数)."""
    hours: Amount
    """Effective service hours logged in the period (有效服务时长)."""
    platform: str = ""
    """The platform exported from, e.g. ``"志愿四川"`` (平台)."""


class AttendanceCount(WusheModel):
    """Sign-ins at one venue or from one division (分会场签到人数)."""

    division_code: DivisionCode
    """The division whose people signed in (所属区划)."""
    count: Count
    """How many signed in (人数)."""


class Convening(WusheModel):
    """A meeting or training run by a civil-affairs department, not a station (会议培训).

    Attendance is kept per venue or division, as sign-in sheets are: the whole is their
    sum (:attr:`attendance_total`).
    """

    convening_id: Identifier
    """Identifier within the dataset (会议培训编号)."""
    kind: ConveningKind
    """Meeting or training (类型)."""
    title: Annotated[str, Field(min_length=1)]
    """Title, e.g. ``"试点工作总结暨扩面工作推进视频会"`` (名称)."""
    held_on: date
    """Date, or the first day (日期)."""
    organiser: Annotated[str, Field(min_length=1)]
    """The department that called it, e.g. ``"山西省民政厅"`` (主办单位)."""
    division_code: DivisionCode
    """The organiser's division, e.g. ``"140000"`` (主办区划)."""
    attendance: Annotated[tuple[AttendanceCount, ...], Field(min_length=1)]
    """Sign-ins per venue or division (分会场签到)."""

    @model_validator(mode="after")
    def _one_row_per_division(self) -> Convening:
        codes = [a.division_code for a in self.attendance]
        if len(set(codes)) != len(codes):
            msg = "attendance lists a division twice"
            raise ValueError(msg)
        return self

    @property
    def attendance_total(self) -> int:
        """All sign-ins (参会/参训人数)."""
        return sum(a.count for a in self.attendance)
