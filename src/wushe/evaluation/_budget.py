"""Budget execution computed from contracts and spending records (预算执行率).

Evaluators score 预算执行 (budget execution) under 财务管理. With a
:class:`~wushe.models.PurchaseContract` and its :class:`~wushe.models.Spending` records the
rate is computed, and :func:`budget_actuals` hands it to :func:`~wushe.evaluation.evaluate`
as the indicator ``custom.budget_execution``, which a target item scores against the
project's target like any other indicator.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import attrs

from wushe.evaluation._indicators import IndicatorActual
from wushe.exceptions import EvaluationError
from wushe.models import Period, PurchaseContract, Spending

__all__ = ["BUDGET_EXECUTION", "BudgetExecution", "budget_actuals", "budget_execution"]

BUDGET_EXECUTION = "custom.budget_execution"
"""The indicator name budget execution is reported under (预算执行率指标名)."""


@attrs.frozen(kw_only=True)
class BudgetExecution:
    """A contract's budget against what was spent and paid (预算执行情况)."""

    contract_id: str
    """The contract (合同编号)."""
    budget: Decimal
    """Contract value (合同金额)."""
    spent: Decimal
    """Spending recorded up to ``as_of`` (已支出)."""
    paid: Decimal
    """Paid by the purchaser up to ``as_of`` (已拨付)."""
    due: Decimal
    """Fallen due by ``as_of`` (应拨付)."""
    as_of: date
    """The day the figures describe (统计日期)."""
    spending_ids: tuple[str, ...]
    """The spending records counted, sorted (支出记录)."""

    @property
    def rate(self) -> float | None:
        """Spent ÷ budget; ``None`` for a zero budget (预算执行率)."""
        return None if not self.budget else float(self.spent / self.budget)

    @property
    def payment_rate(self) -> float | None:
        """Paid ÷ due; ``None`` when nothing has fallen due (拨付到位率)."""
        return None if not self.due else float(self.paid / self.due)


def budget_execution(
    contract: PurchaseContract,
    spendings: Iterable[Spending],
    *,
    as_of: date | None = None,
) -> BudgetExecution:
    """Compute a contract's budget execution from its spending records (计算预算执行率).

    Only spending charged to ``contract`` and dated on or before ``as_of`` (default: the
    contract's last day) counts.

    >>> from wushe.models import PurchaseContract, Spending
    >>> c = PurchaseContract.model_validate({"contract_id": "k", "project_id": "p",
    ...     "purchaser": "区民政局", "provider_id": "o", "budget": "200000",
    ...     "period": {"start": "2023-01-01", "end": "2023-12-31"}})
    >>> s = [Spending.model_validate({"spending_id": "x1", "contract_id": "k",
    ...     "spent_on": "2023-06-30", "amount": "150000"})]
    >>> budget_execution(c, s).rate
    0.75
    """
    day = as_of or contract.period.end
    counted = sorted(
        (
            s
            for s in spendings
            if s.contract_id == contract.contract_id and s.spent_on <= day
        ),
        key=lambda s: s.spending_id,
    )
    return BudgetExecution(
        contract_id=contract.contract_id,
        budget=contract.budget,
        spent=sum((s.amount for s in counted), Decimal(0)),
        paid=contract.paid(day),
        due=contract.due(day),
        as_of=day,
        spending_ids=tuple(s.spending_id for s in counted),
    )


def budget_actuals(
    contract: PurchaseContract,
    spendings: Iterable[Spending],
    *,
    period: Period | None = None,
) -> dict[str, IndicatorActual]:
    """Budget execution as evaluation evidence, under :data:`BUDGET_EXECUTION` (预算执行证据).

    Merge the result into :class:`~wushe.evaluation.Evidence` ``actuals``. The value is
    spent ÷ budget up to the end of ``period`` (default: the whole contract), with the
    numerator, denominator and spending ids kept so it rolls up and can be traced.

    Raises:
        EvaluationError: for a contract with a zero budget, whose execution is undefined.
    """
    result = budget_execution(
        contract, spendings, as_of=period.end if period is not None else None
    )
    if result.rate is None:
        msg = f"contract {contract.contract_id!r} has a zero budget: execution is undefined"
        raise EvaluationError(msg)
    return {
        BUDGET_EXECUTION: IndicatorActual(
            indicator=BUDGET_EXECUTION,
            value=result.rate,
            source="spending",
            period=period or contract.period,
            unit="",
            record_ids=result.spending_ids,
            numerator=float(result.spent),
            denominator=float(result.budget),
        )
    }
