"""Project evaluation: indicators, rubrics as data, scores, grades and reports (项目评估).

The common case is one call::

    report = evaluate(project, builtin_rubric("default_project"), evidence)

where ``evidence`` holds indicator actuals — counted from the activity ledger
(:func:`indicator_actuals`), from a match plan (:func:`match_actuals`) or other outcomes
(:func:`outcome_actuals`) — and the evaluators' score sheets (:class:`ScoreSheet`).
Rubrics are data (:class:`Rubric`, YAML or JSON) and no weight or cut-off in them is
presented as a national standard.
"""

from wushe._renamed import removed_attribute
from wushe.evaluation._budget import (
    BUDGET_EXECUTION,
    BudgetExecution,
    budget_actuals,
    budget_execution,
)
from wushe.evaluation._evaluate import compare_reports, evaluate, rubric_weights
from wushe.evaluation._evidence import (
    EvaluatorRole,
    Evidence,
    Reconciliation,
    ScoreSheet,
)
from wushe.evaluation._indicators import (
    Aggregation,
    IndicatorActual,
    indicator_actuals,
    is_known_indicator,
    outcome_actuals,
    rollup_indicators,
)
from wushe.evaluation._outcomes import match_actuals
from wushe.evaluation._report import (
    DimensionScore,
    EvaluationReport,
    EvaluatorScore,
    EvidenceUse,
    ItemScore,
    MissingEvidence,
    Ranking,
    Rectification,
)
from wushe.evaluation._rubric import (
    BudgetRule,
    Dimension,
    Gate,
    GradeBand,
    GradeBands,
    Item,
    ItemKind,
    Level,
    Rubric,
    SubItem,
    builtin_rubric,
    builtin_rubric_names,
    grade_bands,
)
from wushe.evaluation._sroi import SroiResult, sroi

__all__ = [
    "BUDGET_EXECUTION",
    "Aggregation",
    "BudgetExecution",
    "BudgetRule",
    "Dimension",
    "DimensionScore",
    "EvaluationReport",
    "EvaluatorRole",
    "EvaluatorScore",
    "Evidence",
    "EvidenceUse",
    "Gate",
    "GradeBand",
    "GradeBands",
    "IndicatorActual",
    "Item",
    "ItemKind",
    "ItemScore",
    "Level",
    "MissingEvidence",
    "Ranking",
    "Reconciliation",
    "Rectification",
    "Rubric",
    "ScoreSheet",
    "SroiResult",
    "SubItem",
    "budget_actuals",
    "budget_execution",
    "builtin_rubric",
    "builtin_rubric_names",
    "compare_reports",
    "evaluate",
    "grade_bands",
    "indicator_actuals",
    "is_known_indicator",
    "match_actuals",
    "outcome_actuals",
    "rollup_indicators",
    "rubric_weights",
    "sroi",
]


_MOVED = {
    "render_markdown": "wushe.io.evaluation_to_markdown",
    "render_html": "wushe.io.evaluation_to_html",
    "radar_svg": "wushe.io.radar_svg",
    "radar_chart": "wushe.io.radar_chart",
    "RadarChart": "wushe.io.RadarChart",
    "cjk_font": "wushe.io.cjk_font",
}


def __getattr__(name: str) -> object:
    raise removed_attribute(name, _MOVED, owner="wushe.evaluation")
