"""What an evaluation is scored from: indicator actuals and evaluators' score sheets (评估证据)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated

import attrs
from pydantic import Field

from wushe._types import Identifier
from wushe.evaluation._indicators import IndicatorActual
from wushe.models import Period, PurchaseContract, Spending, WusheModel
from wushe.vocab import BilingualEnum, EvaluationPhase

__all__ = [
    "EvaluatorRole",
    "Evidence",
    "Reconciliation",
    "ScoreSheet",
]


class EvaluatorRole(BilingualEnum):
    """Who scores (评估主体).

    The 2012 national guidance on purchasing social-work services asks for a combined
    review by purchaser, service recipients and a third party (DOMAIN.md §4.2).
    """

    PURCHASER = "purchaser", "购买方"
    RECIPIENT = "recipient", "服务对象"
    THIRD_PARTY = "third_party", "第三方评估机构", "第三方"
    EXPERT = "expert", "评审专家", "专家"
    COMMUNITY = "community", "社区"
    SELF = "self", "自评"


class Reconciliation(BilingualEnum):
    """How several evaluators' scores of one item become the item's score (多主体评分合成规则).

    ``weighted_mean``
        Σ weight * share ÷ Σ weight over the evaluators who scored the item.
    ``median``
        the median share, unweighted (mean of the two middle ones for an even count).
    ``drop_extremes``
        drop one highest and one lowest share, then the weighted mean of the rest; with
        fewer than three evaluators nothing is dropped and the report says so.
    """

    WEIGHTED_MEAN = "weighted_mean", "加权平均"
    MEDIAN = "median", "中位数"
    DROP_EXTREMES = "drop_extremes", "去掉最高分和最低分"


Rating = bool | str | dict[str, bool | Decimal]
"""One evaluator's rating of one item (评分).

``bool`` for a boolean item, a level label such as ``"较好"`` for a graded item, and for a
checklist item a mapping from every sub-item id to ``True``/``False`` or the points earned.
"""


class ScoreSheet(WusheModel):
    """One evaluator's ratings of the rubric's items (评分表).

    Target-attainment items are not rated: they are computed from the indicator actuals.
    """

    evaluator_id: Identifier
    """Who scored, as an id — never a person's name (评估人编号)."""
    role: EvaluatorRole
    """Purchaser, recipient, third party … (评估主体)."""
    weight: Annotated[Decimal, Field(gt=0, allow_inf_nan=False)] = Decimal(1)
    """Weight in a weighted-mean reconciliation (评分权重)."""
    phase: EvaluationPhase | None = None
    """The round the sheet belongs to; ``None`` means any round (评估阶段)."""
    ratings: dict[str, Rating] = Field(default_factory=dict)
    """Ratings by item id (各项评分)."""
    note: str = ""
    """Remarks, without personal information (备注)."""


@attrs.frozen(kw_only=True)
class Evidence:
    """Everything a project is scored from: actuals and score sheets (评估证据).

    Build ``actuals`` with :func:`indicator_actuals` (from the ledger) and
    :func:`outcome_actuals` (from match outcomes or surveys); merge them with ``|``.
    """

    actuals: Mapping[str, IndicatorActual] = attrs.field(factory=dict)
    """Indicator actuals by indicator name (指标实际值)."""
    sheets: tuple[ScoreSheet, ...] = ()
    """Evaluators' score sheets (评分表)."""
    period: Period | None = None
    """The period evaluated; a mid-term round pro-rates targets to its end (评估期间)."""
    gates: Mapping[str, bool] = attrs.field(factory=dict)
    """Whether the subject meets each of the rubric's eligibility gates, by gate id (参评条件核查)."""
    contracts: tuple[PurchaseContract, ...] = ()
    """Purchase contracts, e.g. the dataset's; a budget item scores its project's from spending (购买服务合同)."""
    spendings: tuple[Spending, ...] = ()
    """Spending records charged to those contracts (支出记录)."""
