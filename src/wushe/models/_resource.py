"""Social charitable resources: the supplement of the linkage (社会慈善资源)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from wushe._types import (
    CommunityId,
    OrganizationId,
    RecipientId,
    ResourceId,
    SortedFrozenSet,
    WorkerId,
)
from wushe.codes import DivisionCode
from wushe.models._base import WusheModel
from wushe.models._common import Amount, Period, TimeWindow
from wushe.vocab import FundingChannel, ResourceKind, ServiceCategory, TargetGroup

__all__ = ["CharitableResource", "Restriction"]


class Restriction(WusheModel):
    """The restricted purpose of a donation (定向捐赠/指定用途).

    A restricted resource may only serve needs that satisfy every non-empty constraint
    here; the Charity Law requires use per the donation agreement and forbids benefiting the
    donor's interested parties.
    """

    purposes: SortedFrozenSet[ServiceCategory] = frozenset()
    """Service categories it may fund; empty means any (指定用途)."""
    target_groups: SortedFrozenSet[TargetGroup] = frozenset()
    """Recipient groups it may serve, any one suffices; empty means any (指定对象类别)."""
    service_area: SortedFrozenSet[DivisionCode] = frozenset()
    """Division codes it may be spent in; empty means anywhere (指定区域)."""
    beneficiary_ids: SortedFrozenSet[RecipientId] = frozenset()
    """Named beneficiaries; empty means not limited to named people (指定受益人)."""
    excluded_recipient_ids: SortedFrozenSet[RecipientId] = frozenset()
    """The donor's interested parties, who may never benefit (利害关系人)."""
    note: str = ""
    """The agreement's wording or reference (协议说明)."""
    for_social_workers: bool = False
    """Whether its beneficiaries are social workers, not service recipients (社工关爱).

    Such a fund, e.g. 武汉社工关爱基金 (seed 001), is never matched to a recipient's need;
    its grants are to workers and named by ``beneficiary_worker_ids``.
    """
    beneficiary_worker_ids: SortedFrozenSet[WorkerId] = frozenset()
    """Social workers granted help from it, for a fund for social workers (受助社工)."""

    @model_validator(mode="after")
    def _no_overlap(self) -> Restriction:
        if self.beneficiary_worker_ids and not self.for_social_workers:
            msg = "beneficiary_worker_ids needs for_social_workers"
            raise ValueError(msg)
        if self.for_social_workers and (self.beneficiary_ids or self.target_groups):
            msg = "a fund for social workers names no recipients or recipient groups"
            raise ValueError(msg)
        if self.beneficiary_ids & self.excluded_recipient_ids:
            msg = "a recipient cannot be both a named beneficiary and an excluded party"
            raise ValueError(msg)
        return self


class CharitableResource(WusheModel):
    """A charitable resource: funds, goods, volunteer service hours or a venue (慈善资源).

    One abstraction for all four: ``total`` and ``remaining`` are in ``unit`` (CNY for funds,
    items for goods, hours for service, slots for a venue). Venues also list their
    ``bookings``; goods may expire.
    """

    kind: Literal["charitable_resource"] = "charitable_resource"
    """Discriminator for actor unions (类型标记)."""
    resource_id: ResourceId
    """Identifier within the dataset (资源编号)."""
    name: Annotated[str, Field(min_length=1)]
    """What it is, e.g. ``"儿童绘本"`` or ``"社区慈善基金"`` (资源名称)."""
    resource_kind: ResourceKind
    """Funds, goods, service hours or venue (资源类型)."""
    donor: str = ""
    """Donor or provider, e.g. ``"区慈善会"``; an organisation, not a private person (捐赠方)."""
    holder_id: OrganizationId | None = None
    """Organisation holding and disbursing it (管理机构)."""
    channel: FundingChannel = FundingChannel.DONATION
    """How it was raised (资金渠道)."""
    unit: Annotated[str, Field(min_length=1)] = "CNY"
    """Unit of ``total`` and ``remaining`` (单位)."""
    total: Amount
    """Amount received, 0 to 10**12 with at most two decimals (总量)."""
    remaining: Amount | None = None
    """Amount still available, within the same bounds; defaults to ``total`` (余额)."""
    restriction: Restriction | None = None
    """Restricted purpose, if any; ``None`` means unrestricted (限定用途)."""
    community_id: CommunityId | None = None
    """Where goods are stored or the venue is (所在社区)."""
    available: Period | None = None
    """Period the resource may be used in, e.g. service hours per quarter (可用期间)."""
    expires_on: date | None = None
    """Expiry date of goods (有效期)."""
    bookings: tuple[TimeWindow, ...] = ()
    """Already booked slots of a venue (已预约时段)."""

    @model_validator(mode="after")
    def _balance(self) -> CharitableResource:
        if self.remaining is not None and self.remaining > self.total:
            msg = "remaining cannot exceed total"
            raise ValueError(msg)
        if self.bookings and self.resource_kind is not ResourceKind.VENUE:
            msg = "only a venue has bookings"
            raise ValueError(msg)
        return self

    @property
    def balance(self) -> Decimal:
        """The amount still available (可用余额)."""
        return self.total if self.remaining is None else self.remaining
