"""Budget execution computed from contracts and spending records (预算执行率).

Evaluators score 预算执行 (budget execution) under 财务管理. With a
:class:`~wushe.models.PurchaseContract` and its :class:`~wushe.models.Spending` records the
rate is computed from records rather than typed in:

* a graded item with a :class:`~wushe.evaluation.BudgetRule` (the built-in rubric's
  ``finance.budget``) is scored by :func:`~wushe.evaluation.evaluate` from the contracts
  and spending in :class:`~wushe.evaluation.Evidence`, and falls back to the evaluators'
  ratings — saying so in the item's note — when the project has none;
* :func:`budget_actuals` hands the rate over as the indicator ``custom.budget_execution``,
  which a target item scores against the project's target like any other indicator.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import attrs

from wushe.evaluation._evidence import Evidence
from wushe.evaluation._indicators import IndicatorActual
from wushe.evaluation._report import EvidenceUse
from wushe.evaluation._rubric import Item
from wushe.exceptions import EvaluationError
from wushe.models import Period, PurchaseContract, ServiceProject, Spending

__all__ = [
    "BUDGET_EXECUTION",
    "BudgetExecution",
    "budget_actuals",
    "budget_execution",
]

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


@attrs.frozen(kw_only=True)
class BudgetItemScore:
    """How a budget item was scored from records, or why it was not (预算执行评分)."""

    share: float | None
    """Share of the item's weight; ``None`` when the records are missing and ratings decide."""
    evidence: tuple[EvidenceUse, ...]
    """The contracts and spending records behind the share (评分依据)."""
    note: str
    """How the share was reached, or why the ratings decide (计分说明)."""


def score_budget_item(
    item: Item, subject: object, evidence: Evidence, factor: float
) -> BudgetItemScore | None:
    """Score a budget item from the project's contracts and spending (按支出记录计分).

    ``None`` when ``item`` carries no :class:`~wushe.evaluation.BudgetRule`. Otherwise the
    share is Σ spent ÷ Σ budget over the project's contracts, up to the end of the evidence
    period, divided by ``full_at`` * ``factor`` (the round's pro-rating) and capped at 1;
    with no contract, no spending or a zero budget the share is ``None`` and the note says
    why, so the evaluators' ratings decide.
    """
    rule = item.budget_execution
    if rule is None:
        return None
    project = subject.project_id if isinstance(subject, ServiceProject) else None
    contracts = sorted(
        (c for c in evidence.contracts if c.project_id == project),
        key=lambda c: c.contract_id,
    )
    as_of = evidence.period.end if evidence.period is not None else None
    results = [budget_execution(c, evidence.spendings, as_of=as_of) for c in contracts]
    spent = sum((r.spent for r in results), Decimal(0))
    budget = sum((r.budget for r in results), Decimal(0))
    ids = tuple(sorted(i for r in results for i in r.spending_ids))
    why = _fallback_reason(project, contracts, ids, budget)
    if why:
        return BudgetItemScore(
            share=None, evidence=(), note=f"{why}: scored from the evaluators' ratings"
        )
    rate = float(spent / budget)
    expected = float(rule.full_at) * factor
    share = 1.0 if expected <= 0 else min(rate / expected, 1.0)
    names = ", ".join(c.contract_id for c in contracts)
    over = "; over budget (超支)" if spent > budget else ""
    use = EvidenceUse(
        source="spending",
        reference=names,
        detail=(
            f"预算执行率 spent {spent:f} / budget {budget:f} = {rate:.0%}; "
            f"expected {expected:.0%} → {share:.0%}{over}"
        ),
        record_ids=ids,
    )
    raters = sorted(
        s.evaluator_id for s in evidence.sheets if item.item_id in s.ratings
    )
    aside = f"; ratings by {', '.join(raters)} not used" if raters else ""
    note = (
        f"computed from {len(ids)} spending record(s) of contract(s) {names} "
        f"(按支出记录计算){aside}"
    )
    return BudgetItemScore(share=share, evidence=(use,), note=note)


def _fallback_reason(
    project: str | None,
    contracts: list[PurchaseContract],
    spending_ids: tuple[str, ...],
    budget: Decimal,
) -> str:
    """Why the records cannot score the item; empty when they can."""
    if project is None:
        return "the subject is not a purchased project"
    if not contracts:
        return (
            f"no purchase contract for project {project!r} in the evidence (无购买合同)"
        )
    names = ", ".join(c.contract_id for c in contracts)
    if not spending_ids:
        return f"contract(s) {names} have no spending records (无支出记录)"
    if not budget:
        return f"contract(s) {names} have a zero budget"
    return ""
