"""evaluate() as it was before #15 split it: one long function (kept to check the split)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from wushe.evaluation import (
    DimensionScore,
    EvaluationReport,
    Evidence,
    ItemKind,
    ItemScore,
    MissingEvidence,
    Reconciliation,
    Rectification,
    Rubric,
    rubric_weights,
)
from wushe.evaluation._evaluate import (
    Subject,
    _attainment,
    _evaluator_totals,
    _gates,
    _not_eligible,
    _prorate,
    _rated,
    _reason,
    _sheets_for,
    _subject_id,
    _targets,
)
from wushe.evaluation._report import EvaluatorScore
from wushe.models import IndicatorTarget
from wushe.vocab import EvaluationPhase

_log = logging.getLogger("wushe.evaluation")


def legacy_evaluate(
    subject: Subject,
    rubric: Rubric,
    evidence: Evidence,
    *,
    phase: EvaluationPhase = EvaluationPhase.FINAL,
    reconciliation: Reconciliation = Reconciliation.WEIGHTED_MEAN,
    targets: Sequence[IndicatorTarget] | None = None,
) -> EvaluationReport:
    failed, gate_gaps = _gates(rubric, evidence)
    if failed:
        return _not_eligible(subject, rubric, evidence, phase, reconciliation, failed)
    weights = rubric_weights(rubric)
    sheets = _sheets_for(rubric, evidence.sheets, phase)
    goal = {t.indicator: t for t in _targets(subject, targets)}
    factor, factor_note = _prorate(subject, evidence, phase)

    dimensions: list[DimensionScore] = []
    rectifications: list[Rectification] = []
    missing: list[MissingEvidence] = list(gate_gaps)
    for dim in rubric.dimensions:
        scores: list[ItemScore] = []
        for item in dim.items:
            weight = weights[item.item_id]
            if item.kind is ItemKind.TARGET:
                share, uses, gaps, note = _attainment(
                    item, subject, goal, evidence, factor, factor_note
                )
                ratings: tuple[EvaluatorScore, ...] = ()
                dropped: tuple[str, ...] = ()
            else:
                share, ratings, uses, gaps, note, dropped = _rated(
                    item, weight, sheets, reconciliation
                )
            missing += gaps
            score = None if share is None else weight * share
            result = ItemScore(
                item_id=item.item_id,
                dimension_id=dim.dimension_id,
                name=item.name,
                name_en=item.name_en or item.item_id,
                kind=item.kind,
                weight=weight,
                score=score,
                evidence=uses,
                ratings=ratings,
                note=note,
                dropped=dropped,
                target_factor=factor if item.kind is ItemKind.TARGET else 1.0,
            )
            scores.append(result)
            threshold = float(
                rubric.rectification_threshold
                if item.rectify_below is None
                else item.rectify_below
            )
            if share is not None and weight > 0 and share < threshold:
                rectifications.append(
                    Rectification(
                        item_id=item.item_id,
                        name=item.name,
                        score=weight * share,
                        weight=weight,
                        threshold=threshold,
                        reason=_reason(result, threshold),
                    )
                )
        dim_weight = sum(s.weight for s in scores)
        dimensions.append(
            DimensionScore(
                dimension_id=dim.dimension_id,
                name=dim.name,
                name_en=dim.name_en or dim.dimension_id,
                weight=dim_weight,
                score=sum(s.score for s in scores if s.score is not None),
                items=tuple(scores),
            )
        )
    total = sum(d.score for d in dimensions)
    grade = rubric.grade_bands.grade_for(total) if not missing else None
    _log.info(
        "evaluated against %s (%s): %.2f of %g, grade %s, %d rectifications, "
        "%d items without evidence",
        rubric.rubric_id,
        phase.value,
        total,
        rubric.total,
        "none" if grade is None else grade.value,
        len(rectifications),
        len(missing),
    )
    _log.debug("evaluated subject %s", _subject_id(subject))
    return EvaluationReport(
        subject_id=_subject_id(subject),
        subject_name=subject.name,
        rubric_id=rubric.rubric_id,
        rubric_name=rubric.name,
        rubric_version=rubric.version,
        phase=phase,
        period=evidence.period or getattr(subject, "period", None),
        reconciliation=reconciliation,
        normalised=rubric.normalise,
        max_total=float(rubric.total),
        total=total,
        grade=grade,
        dimensions=tuple(dimensions),
        evaluators=_evaluator_totals(rubric, weights, sheets),
        rectifications=tuple(rectifications),
        missing=tuple(missing),
    )
