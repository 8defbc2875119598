"""Government-purchase contracts, payment milestones and spending (政府购买服务合同).

Stations and projects are mostly bought by government (政府购买服务). The contract sets the
budget and when it is paid; the provider's spending records say what was used. Budget
execution (预算执行率) is then computed from records rather than typed in by an evaluator.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import Field, model_validator

from wushe._types import ContractId, OrganizationId, ProjectId, SpendingId
from wushe.models._base import WusheModel
from wushe.models._common import Amount, Period
from wushe.vocab import SpendingCategory

__all__ = ["PaymentMilestone", "PurchaseContract", "Spending"]


class PaymentMilestone(WusheModel):
    """One instalment of a contract's payment (付款节点)."""

    label: Annotated[str, Field(min_length=1)]
    """What triggers it, e.g. ``"中期评估合格后"`` (付款节点)."""
    due_on: date
    """When it is due (应付日期)."""
    amount: Amount
    """How much, in CNY, 0 to 10**12 (付款金额)."""
    paid_on: date | None = None
    """When it was paid; ``None`` while unpaid (实付日期)."""


class PurchaseContract(WusheModel):
    """A government-purchase contract for a service project (政府购买服务合同).

    The milestones may not add up to more than the budget, and each falls due inside
    the contract period.
    """

    contract_id: ContractId
    """Identifier within the dataset, e.g. the contract number (合同编号)."""
    project_id: ProjectId
    """The project bought (购买项目)."""
    purchaser: Annotated[str, Field(min_length=1)]
    """The purchasing body, e.g. ``"金牛区民政局"`` (购买主体)."""
    provider_id: OrganizationId
    """The organisation that delivers it (承接主体)."""
    budget: Amount
    """Contract value in CNY, 0 to 10**12 (合同金额)."""
    period: Period
    """Contract period (合同期限)."""
    signed_on: date | None = None
    """Signing date (签订日期)."""
    milestones: tuple[PaymentMilestone, ...] = ()
    """Payment instalments (付款节点)."""

    @model_validator(mode="after")
    def _milestones_fit(self) -> PurchaseContract:
        total = sum((m.amount for m in self.milestones), Decimal(0))
        if total > self.budget:
            msg = f"milestones add up to {total}, more than the budget {self.budget}"
            raise ValueError(msg)
        for m in self.milestones:
            if not self.period.includes(m.due_on):
                msg = f"milestone {m.label!r} falls due outside the contract period"
                raise ValueError(msg)
        return self

    def paid(self, as_of: date | None = None) -> Decimal:
        """What the purchaser has paid, by ``as_of`` when given (已拨付金额)."""
        return sum(
            (
                m.amount
                for m in self.milestones
                if m.paid_on is not None and (as_of is None or m.paid_on <= as_of)
            ),
            Decimal(0),
        )

    def due(self, as_of: date) -> Decimal:
        """What had fallen due by ``as_of`` (应拨付金额)."""
        return sum((m.amount for m in self.milestones if m.due_on <= as_of), Decimal(0))


class Spending(WusheModel):
    """One spending record under a contract (项目支出记录)."""

    spending_id: SpendingId
    """Identifier within the dataset, e.g. the voucher number (支出编号)."""
    contract_id: ContractId
    """The contract it is charged to (所属合同)."""
    spent_on: date
    """Date of the spending, inside the contract period (支出日期)."""
    amount: Annotated[Amount, Field(gt=0)]
    """How much, in CNY, above 0 and at most 10**12 (支出金额)."""
    category: SpendingCategory = SpendingCategory.ACTIVITIES
    """Personnel, activities, administration or other (支出类别)."""
    note: str = ""
    """What it paid for, without personal information (摘要)."""
