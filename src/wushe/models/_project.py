"""Service projects and the activity ledger (服务项目与活动台账)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, model_validator

from wushe._types import (
    ActivityId,
    CommunityId,
    HouseholdId,
    OrganizationId,
    ProjectId,
    RecipientId,
    SortedFrozenSet,
    StationId,
    VolunteerId,
    WorkerId,
)
from wushe.codes import DivisionCode
from wushe.models._base import WusheModel
from wushe.models._common import Amount, Count, Measure, Period, Quantity
from wushe.vocab import ActivityType, FundingChannel, ProjectOrigin, ServiceCategory

__all__ = ["Activity", "IndicatorTarget", "ServiceProject"]


class IndicatorTarget(WusheModel):
    """A contracted target of a service project, e.g. 300 group sessions (项目指标).

    ``indicator`` names what is measured; for ledger counts use
    ``"<activity_type>.sessions"`` or ``"<activity_type>.person_times"``.
    """

    indicator: Annotated[str, Field(min_length=1)]
    """What is measured, e.g. ``"group_activity.sessions"`` (指标)."""
    target: Annotated[Measure, Field(ge=0)]
    """The contracted value, 0 to 10**12 with at most six decimals (目标值)."""
    unit: str = ""
    """Unit, e.g. ``"场"`` or ``"人次"`` (单位)."""
    baseline: Measure | None = None
    """Value before the project, if measured; at most 10**12 either side of zero (基线值)."""
    higher_is_better: bool = True
    """Direction: more is better, or less is better (指标方向)."""
    name: str = ""
    """Display name, e.g. ``"小组活动"`` (指标名称)."""
    period: Period | None = None
    """The target's own period, e.g. one year of a three-year contract; ``None`` means
    the contract's (指标期间). A mid-term round pro-rates the target over this period."""

    @model_validator(mode="after")
    def _baseline_below_target(self) -> IndicatorTarget:
        if self.baseline is None:
            return self
        ahead = (
            self.baseline >= self.target
            if self.higher_is_better
            else self.baseline <= self.target
        )
        if ahead and self.baseline != self.target:
            msg = "the baseline already meets the target; a target moves away from it"
            raise ValueError(msg)
        return self

    def expected(self, share: float) -> float:
        """The value due after ``share`` of the period: baseline plus that share of the change (应达值)."""
        start = float(self.baseline) if self.baseline is not None else 0.0
        return start + (float(self.target) - start) * share


class ServiceProject(WusheModel):
    """A social-work service project, usually bought by government (社会工作服务项目).

    The unit of purchase (政府购买服务) and of evaluation (绩效评估).
    """

    project_id: ProjectId
    """Identifier within the dataset (项目编号)."""
    name: Annotated[str, Field(min_length=1)]
    """Project name, e.g. ``"五社联动·益路童行"`` (项目名称)."""
    funder: Annotated[str, Field(min_length=1)]
    """Purchasing body, e.g. ``"金牛区民政局"`` (购买方)."""
    channel: FundingChannel = FundingChannel.GOVERNMENT_PURCHASE
    """How it is funded (资金渠道)."""
    operator_id: OrganizationId
    """Organisation delivering it (承接机构)."""
    budget: Amount
    """Contract value in CNY, 0 to 10**12 with at most two decimals (项目金额)."""
    period: Period
    """Contract period (项目周期)."""
    station_ids: tuple[StationId, ...] = ()
    """Stations delivering it (实施站点)."""
    community_ids: tuple[CommunityId, ...] = ()
    """Communities it covers (覆盖社区)."""
    categories: SortedFrozenSet[ServiceCategory] = frozenset()
    """Service fields (服务领域)."""
    targets: tuple[IndicatorTarget, ...] = ()
    """Contracted indicator targets (指标目标)."""
    origin: ProjectOrigin | None = None
    """Packaged locally, introduced from elsewhere or the locality's own (项目来源)."""
    launched_on: date | None = None
    """The day it landed and began serving, if it has (落地日期)."""
    funder_division_code: DivisionCode | None = None
    """Where the purchaser sits, when not in the locality, e.g. a 东西部协作 partner (购买方区划).

    A project paid for from another province — 广州市海珠区 for 瓮安县 (seed 000) — is a
    cross-region project; see :meth:`ServiceProject.is_cross_region`.
    """

    def is_cross_region(self, division_code: str) -> bool:
        """Whether the purchaser sits outside ``division_code``'s province (跨区域项目)."""
        funder = self.funder_division_code
        return funder is not None and funder[:2] != division_code[:2]


class Activity(WusheModel):
    """One entry of a station's activity ledger (活动台账记录).

    A row can stand for one session or for several of the same kind (``sessions``), as
    station ledgers often do. ``person_times`` (服务人次) counts attendances, not people; the
    distinct people served are ``recipient_ids``.
    """

    activity_id: ActivityId
    """Identifier within the dataset (记录编号)."""
    activity_type: ActivityType
    """个案, 小组, 社区活动, 巡访, 宣传, 培训, 督导 … (活动类型)."""
    held_on: date
    """Date of the activity, or of the last session for a multi-session row (日期)."""
    station_id: StationId
    """Station that ran it and records it (所属站点)."""
    project_id: ProjectId | None = None
    """Project it was delivered under, if any (所属项目)."""
    community_id: CommunityId | None = None
    """Community where it took place (活动社区)."""
    title: str = ""
    """Title, e.g. ``"社工知多少"线上知识问答`` (活动名称)."""
    sessions: Annotated[Count, Field(ge=1)] = 1
    """Number of sessions the row stands for, 1 to 10**9 (场次)."""
    person_times: Count = 0
    """Attendances served, 0 to 10**9 (服务人次)."""
    recipient_ids: SortedFrozenSet[RecipientId] = frozenset()
    """Registered recipients served, for distinct counts (服务对象)."""
    worker_ids: SortedFrozenSet[WorkerId] = frozenset()
    """Social workers who delivered it (参与社工)."""
    volunteer_ids: SortedFrozenSet[VolunteerId] = frozenset()
    """Volunteers who took part (参与志愿者)."""
    outputs: tuple[Quantity, ...] = ()
    """Other outputs, e.g. volunteers trained or books delivered (其他产出)."""
    household_ids: SortedFrozenSet[HouseholdId] = frozenset()
    """Households visited or served, for ledgers kept per household (服务家庭)."""
    organization_ids: SortedFrozenSet[OrganizationId] = frozenset()
    """Organisations that took part, e.g. 12 agencies at one event (参与机构)."""
