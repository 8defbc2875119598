"""Score a project against a rubric from its evidence (项目绩效评估)."""

from __future__ import annotations

import logging
import statistics
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from wushe.evaluation._budget import score_budget_item
from wushe.evaluation._evidence import (
    Evidence,
    Rating,
    Reconciliation,
    ScoreSheet,
)
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
from wushe.evaluation._rubric import DEFAULT_LEVELS, Dimension, Item, ItemKind, Rubric
from wushe.exceptions import EvaluationError, RubricError
from wushe.models import IndicatorTarget, ServiceProject, SocialOrganization, Station
from wushe.vocab import EvaluationPhase, Grade, OrgRating

_log = logging.getLogger("wushe.evaluation")

__all__ = ["compare_reports", "evaluate", "rubric_weights"]

Subject = ServiceProject | Station | SocialOrganization


def rubric_weights(rubric: Rubric) -> dict[str, float]:
    """Each item's effective weight in points, after any declared normalisation (有效分值).

    Without ``normalise`` these are the item weights as written (they already add up).
    With ``normalise: true`` the dimension weights are scaled to the rubric's total and the
    item weights within each dimension to the dimension's scaled weight.

    Examples:
        >>> from wushe.evaluation import builtin_rubric
        >>> sum(rubric_weights(builtin_rubric("default_project")).values())
        100.0
    """
    total = float(rubric.total)
    dim_sum = float(sum(d.weight for d in rubric.dimensions))
    weights: dict[str, float] = {}
    for dim in rubric.dimensions:
        dim_weight = float(dim.weight)
        if rubric.normalise:
            dim_weight = total * dim_weight / dim_sum
        item_sum = float(sum(i.weight for i in dim.items))
        for item in dim.items:
            weight = float(item.weight)
            if rubric.normalise:
                weight = dim_weight * weight / item_sum if item_sum else 0.0
            weights[item.item_id] = weight
    return weights


def evaluate(
    subject: Subject,
    rubric: Rubric,
    evidence: Evidence,
    *,
    phase: EvaluationPhase = EvaluationPhase.FINAL,
    reconciliation: Reconciliation = Reconciliation.WEIGHTED_MEAN,
    targets: Sequence[IndicatorTarget] | None = None,
) -> EvaluationReport:
    """Score a project (or station, or organisation) against a rubric (绩效评估).

    Objective: an auditable score — every item's points trace back to ledger rows, outcome
    records or named evaluators' ratings.

    Rules:

    * **gates** first: a subject that fails one of the rubric's eligibility gates
      (``evidence.gates[gate_id]`` is false) is not evaluated (不予评估) — the report lists
      ``failed_gates``, scores nothing and has no grade; a gate whose answer is missing is
      listed in ``report.missing``, which also withholds the grade.
    * **target** items: per indicator, attainment = actual ÷ target capped at 100 %
      (for lower-is-better indicators, target ÷ actual, capped); the item's share is the
      mean over its indicators (every contracted target when it lists none). In a
      mid-term or spot-check round targets are pro-rated linearly to the end of
      ``evidence.period``.
    * **graded**, **checklist** and **boolean** items: each evaluator's rating becomes a
      share of the weight; shares are combined by ``reconciliation``.
    * item score = effective weight * share; dimension score = sum of its items; total =
      sum of dimensions; grade from the rubric's bands.
    * a **graded** item with a ``budget_execution`` rule (the built-in 预算执行) is scored
      from ``evidence.contracts`` and ``evidence.spendings`` — spent ÷ budget over the
      project's contracts, traced to the spending ids — and falls back to the ratings,
      saying so in its note, when the project has no contract with spending records.
    * an item whose evidence is missing is left unscored and listed in
      ``report.missing``; the report then has no grade — it never scores missing
      evidence as zero.
    * an item whose share is below its threshold becomes a :class:`Rectification`.

    Only score sheets of this ``phase`` (or with no phase) are used.

    Complexity: O(items * evaluators + indicators).

    Args:
        subject: What is evaluated; a project's contracted targets feed target items.
        rubric: The rubric.
        evidence: Indicator actuals and score sheets.
        phase: The round (评估阶段).
        reconciliation: How several evaluators' ratings of one item are combined.
        targets: Targets to use instead of the project's own (needed for a station).

    Raises:
        RubricError: if a target item names an indicator the subject has no target for.
        EvaluationError: if a sheet rates an unknown item, rates a target item, gives a
            rating of the wrong kind or an unknown level, or if a mid-term round has no
            ``evidence.period``; the message names evaluator and item.
    """
    failed, gate_gaps = _gates(rubric, evidence)
    if failed:
        return _not_eligible(subject, rubric, evidence, phase, reconciliation, failed)
    weights = rubric_weights(rubric)
    sheets = _sheets_for(rubric, evidence.sheets, phase)
    factor, factor_note = _prorate(subject, evidence, phase)
    scorer = _Scorer(
        subject=subject,
        rubric=rubric,
        evidence=evidence,
        reconciliation=reconciliation,
        weights=weights,
        sheets=sheets,
        goal={t.indicator: t for t in _targets(subject, targets)},
        factor=factor,
        factor_note=factor_note,
    )
    dimensions: list[DimensionScore] = []
    rectifications: list[Rectification] = []
    missing: list[MissingEvidence] = list(gate_gaps)
    for dim in rubric.dimensions:
        scored = scorer.dimension(dim)
        dimensions.append(scored.score)
        rectifications += scored.rectifications
        missing += scored.missing
    total = sum(d.score for d in dimensions)
    grade = rubric.grade_bands.grade_for(total) if not missing else None
    _log_result(subject, rubric, phase, total, grade, len(rectifications), missing)
    return EvaluationReport(
        **_header(subject, rubric, evidence, phase, reconciliation),
        total=total,
        grade=grade,
        dimensions=tuple(dimensions),
        evaluators=_evaluator_totals(rubric, weights, sheets),
        rectifications=tuple(rectifications),
        missing=tuple(missing),
    )


@attrs.frozen(kw_only=True)
class _Scored:
    """One dimension's score, with what it asks to rectify and the evidence it lacks."""

    score: DimensionScore
    rectifications: list[Rectification]
    missing: list[MissingEvidence]


@attrs.frozen(kw_only=True)
class _Scorer:
    """Scores items and dimensions of one evaluation; built once per :func:`evaluate`."""

    subject: Subject
    rubric: Rubric
    evidence: Evidence
    reconciliation: Reconciliation
    weights: dict[str, float]
    sheets: tuple[ScoreSheet, ...]
    goal: dict[str, IndicatorTarget]
    factor: float
    factor_note: str

    def dimension(self, dim: Dimension) -> _Scored:
        """Score every item of ``dim`` and add them up."""
        scores: list[ItemScore] = []
        rectifications: list[Rectification] = []
        missing: list[MissingEvidence] = []
        for item in dim.items:
            result, share, gaps = self.item(item, dim.dimension_id)
            scores.append(result)
            missing += gaps
            fix = self.rectification(item, result, share)
            if fix is not None:
                rectifications.append(fix)
        score = DimensionScore(
            dimension_id=dim.dimension_id,
            name=dim.name,
            name_en=dim.name_en or dim.dimension_id,
            weight=sum(s.weight for s in scores),
            score=sum(s.score for s in scores if s.score is not None),
            items=tuple(scores),
        )
        return _Scored(score=score, rectifications=rectifications, missing=missing)

    def item(
        self, item: Item, dimension_id: str
    ) -> tuple[ItemScore, float | None, list[MissingEvidence]]:
        """One item's score, its share (``None`` when evidence is missing), what is missing."""
        weight = self.weights[item.item_id]
        ratings: tuple[EvaluatorScore, ...] = ()
        dropped: tuple[str, ...] = ()
        if item.kind is ItemKind.TARGET:
            share, uses, gaps, note = _attainment(
                item, self.subject, self.goal, self.evidence, self.factor,
                self.factor_note,
            )  # fmt: skip
        elif (
            spent := score_budget_item(item, self.subject, self.evidence, self.factor)
        ) and spent.share is not None:
            share, uses, gaps, note = spent.share, spent.evidence, [], spent.note
        else:
            share, ratings, uses, gaps, note, dropped = _rated(
                item, weight, self.sheets, self.reconciliation
            )
            note = "; ".join(filter(None, (spent.note if spent else "", note)))
        result = ItemScore(
            item_id=item.item_id,
            dimension_id=dimension_id,
            name=item.name,
            name_en=item.name_en or item.item_id,
            kind=item.kind,
            weight=weight,
            score=None if share is None else weight * share,
            evidence=uses,
            ratings=ratings,
            note=note,
            dropped=dropped,
            target_factor=self.factor if item.kind is ItemKind.TARGET else 1.0,
        )
        return result, share, gaps

    def rectification(
        self, item: Item, result: ItemScore, share: float | None
    ) -> Rectification | None:
        """The rectification an item below its threshold calls for, if any (整改)."""
        threshold = float(
            self.rubric.rectification_threshold
            if item.rectify_below is None
            else item.rectify_below
        )
        if share is None or result.weight <= 0 or share >= threshold:
            return None
        return Rectification(
            item_id=item.item_id,
            name=item.name,
            score=result.weight * share,
            weight=result.weight,
            threshold=threshold,
            reason=_reason(result, threshold),
        )


def _log_result(
    subject: Subject,
    rubric: Rubric,
    phase: EvaluationPhase,
    total: float,
    grade: Grade | OrgRating | None,
    rectifications: int,
    missing: Sequence[MissingEvidence],
) -> None:
    _log.info(
        "evaluated against %s (%s): %.2f of %g, grade %s, %d rectifications, "
        "%d items without evidence",
        rubric.rubric_id,
        phase.value,
        total,
        rubric.total,
        "none" if grade is None else grade.value,
        rectifications,
        len(missing),
    )
    _log.debug("evaluated subject %s", _subject_id(subject))


def _header(
    subject: Subject,
    rubric: Rubric,
    evidence: Evidence,
    phase: EvaluationPhase,
    reconciliation: Reconciliation,
) -> dict[str, Any]:
    """The report fields that say what was evaluated, against what, and how."""
    return {
        "subject_id": _subject_id(subject),
        "subject_name": subject.name,
        "rubric_id": rubric.rubric_id,
        "rubric_name": rubric.name,
        "rubric_version": rubric.version,
        "phase": phase,
        "period": evidence.period or getattr(subject, "period", None),
        "reconciliation": reconciliation,
        "normalised": rubric.normalise,
        "max_total": float(rubric.total),
    }


def _gates(
    rubric: Rubric, evidence: Evidence
) -> tuple[tuple[str, ...], tuple[MissingEvidence, ...]]:
    """The gates the subject fails, and those whose answer is missing."""
    known = {gate.gate_id for gate in rubric.gates}
    unknown = sorted(set(evidence.gates) - known)
    if unknown:
        msg = (
            f"evidence answers gate(s) {unknown} that rubric {rubric.rubric_id!r} does "
            f"not have; its gates are {sorted(known)}"
        )
        raise EvaluationError(msg)
    failed = tuple(
        g.gate_id for g in rubric.gates if evidence.gates.get(g.gate_id) is False
    )
    gaps = tuple(
        MissingEvidence(
            item_id=g.gate_id,
            missing="gate",
            message=f"record whether the subject meets the eligibility gate {g.name}",
        )
        for g in rubric.gates
        if g.gate_id not in evidence.gates
    )
    return failed, gaps


def _not_eligible(
    subject: Subject,
    rubric: Rubric,
    evidence: Evidence,
    phase: EvaluationPhase,
    reconciliation: Reconciliation,
    failed: tuple[str, ...],
) -> EvaluationReport:
    return EvaluationReport(
        **_header(subject, rubric, evidence, phase, reconciliation),
        total=0.0,
        grade=None,
        dimensions=(),
        evaluators=(),
        rectifications=(),
        missing=(),
        failed_gates=failed,
    )


def _subject_id(subject: Subject) -> str:
    if isinstance(subject, ServiceProject):
        return subject.project_id
    if isinstance(subject, Station):
        return subject.station_id
    return subject.organization_id


def _targets(
    subject: Subject, targets: Sequence[IndicatorTarget] | None
) -> Sequence[IndicatorTarget]:
    chosen = targets
    if chosen is None:
        chosen = subject.targets if isinstance(subject, ServiceProject) else ()
    seen: set[str] = set()
    for target in chosen:
        if target.indicator in seen:
            msg = f"subject {_subject_id(subject)!r}: indicator {target.indicator!r} has two targets"
            raise EvaluationError(msg)
        seen.add(target.indicator)
    return chosen


def _prorate(
    subject: Subject, evidence: Evidence, phase: EvaluationPhase
) -> tuple[float, str]:
    if phase is EvaluationPhase.FINAL or not isinstance(subject, ServiceProject):
        return 1.0, ""
    if evidence.period is None:
        msg = (
            f"project {subject.project_id!r}: a {phase.value} evaluation pro-rates "
            "targets and needs evidence.period"
        )
        raise EvaluationError(msg)
    contract = subject.period
    days = (contract.end - contract.start).days + 1
    elapsed = (evidence.period.end - contract.start).days + 1
    factor = min(max(elapsed / days, 0.0), 1.0)
    return factor, f"targets pro-rated to {elapsed}/{days} days ({factor:.0%})"


def _attainment(
    item: Item,
    subject: Subject,
    goal: dict[str, IndicatorTarget],
    evidence: Evidence,
    factor: float,
    factor_note: str,
) -> tuple[float | None, tuple[EvidenceUse, ...], list[MissingEvidence], str]:
    names = list(item.indicators) or list(goal)
    if not names:
        gap = MissingEvidence(
            item_id=item.item_id,
            missing="targets",
            message=f"{_subject_id(subject)!r} has no contracted targets to compare with",
        )
        return None, (), [gap], ""
    unknown = [name for name in names if name not in goal]
    if unknown:
        msg = (
            f"item {item.item_id!r}: indicator(s) {', '.join(map(repr, unknown))} are "
            f"not contracted targets of {_subject_id(subject)!r}"
        )
        raise RubricError(msg)
    uses: list[EvidenceUse] = []
    gaps: list[MissingEvidence] = []
    ratios: list[float] = []
    for name in names:
        target = goal[name]
        actual = evidence.actuals.get(name)
        if actual is None:
            gaps.append(
                MissingEvidence(
                    item_id=item.item_id,
                    missing=name,
                    message=f"no actual for indicator {name!r}; supply it from the ledger or as an outcome",
                )
            )
            continue
        share = _target_share(target, evidence, factor)
        wanted = target.expected(share)
        ratio = _ratio(target, actual.value, wanted)
        ratios.append(ratio)
        label = target.name or name
        uses.append(
            EvidenceUse(
                source=actual.source,
                reference=name,
                detail=(
                    f"{label}: actual {actual.value:g} / target {wanted:g}"
                    f"{_from_baseline(target)}"
                    f"{' (lower is better)' if not target.higher_is_better else ''}"
                    f" → {ratio:.0%}"
                ),
                record_ids=actual.record_ids,
            )
        )
    if gaps:
        return None, tuple(uses), gaps, factor_note
    return statistics.fmean(ratios), tuple(uses), [], factor_note


def _target_share(target: IndicatorTarget, evidence: Evidence, factor: float) -> float:
    """The share of a target due: over its own period when it has one, else the contract's."""
    own = target.period
    if own is None or factor >= 1.0 or evidence.period is None:
        return factor
    days = (own.end - own.start).days + 1
    elapsed = (evidence.period.end - own.start).days + 1
    return min(max(elapsed / days, 0.0), 1.0)


def _from_baseline(target: IndicatorTarget) -> str:
    return (
        "" if target.baseline is None else f" from baseline {float(target.baseline):g}"
    )


def _ratio(target: IndicatorTarget, actual: float, wanted: float) -> float:
    """Attainment, capped at 100 %; with a baseline, of the change from it (指标完成率)."""
    if target.baseline is not None:
        start = float(target.baseline)
        change = wanted - start
        if change == 0:
            return 1.0
        return min(max((actual - start) / change, 0.0), 1.0)
    if target.higher_is_better:
        return 1.0 if wanted <= 0 else min(actual / wanted, 1.0)
    return 1.0 if actual <= wanted else wanted / actual


def _sheets_for(
    rubric: Rubric, sheets: Iterable[ScoreSheet], phase: EvaluationPhase
) -> tuple[ScoreSheet, ...]:
    items = {i.item_id: i for d in rubric.dimensions for i in d.items}
    chosen: list[ScoreSheet] = []
    seen: set[str] = set()
    for sheet in sheets:
        if sheet.phase not in (None, phase):
            continue
        if sheet.evaluator_id in seen:
            msg = f"evaluator {sheet.evaluator_id!r} handed in two sheets for one round"
            raise EvaluationError(msg)
        seen.add(sheet.evaluator_id)
        for item_id, rating in sheet.ratings.items():
            item = items.get(item_id)
            if item is None:
                msg = f"evaluator {sheet.evaluator_id!r} rated {item_id!r}, which is not an item of rubric {rubric.rubric_id!r}"
                raise EvaluationError(msg)
            _share(item, rating, sheet.evaluator_id)  # validate early, whole sheet
        chosen.append(sheet)
    return tuple(chosen)


def _share(item: Item, rating: Rating, evaluator: str) -> float:
    """Turn one rating into a share of the item's weight, checking it fits the item."""
    where = f"evaluator {evaluator!r}, item {item.item_id!r}"
    if item.kind is ItemKind.TARGET:
        msg = f"{where}: target items are computed from actuals, not rated"
        raise EvaluationError(msg)
    if item.kind is ItemKind.BOOLEAN:
        if not isinstance(rating, bool):
            msg = f"{where}: a boolean item is rated true or false"
            raise EvaluationError(msg)
        return 1.0 if rating else 0.0
    if item.kind is ItemKind.GRADED:
        levels = item.levels or DEFAULT_LEVELS
        if not isinstance(rating, str):
            msg = f"{where}: a graded item is rated with one of the levels {[lv.label for lv in levels]}"
            raise EvaluationError(msg)
        for level in levels:
            if level.label == rating:
                return float(level.fraction)
        msg = f"{where}: level {rating!r} is not one of {[lv.label for lv in levels]}"
        raise EvaluationError(msg)
    if not isinstance(rating, dict):
        msg = f"{where}: a checklist item is rated with every sub-item id → true/false or points"
        raise EvaluationError(msg)
    subs = {s.sub_id: s for s in item.sub_items}
    unknown = sorted(set(rating) - set(subs))
    unrated = sorted(set(subs) - set(rating))
    if unknown or unrated:
        msg = f"{where}: sub-items unknown {unknown}, unrated {unrated}"
        raise EvaluationError(msg)
    earned = Decimal(0)
    for sub_id, value in rating.items():
        cap = subs[sub_id].points
        if isinstance(value, bool):
            earned += cap if value else 0
        elif 0 <= value <= cap:
            earned += value
        else:
            msg = f"{where}: sub-item {sub_id!r} is worth at most {cap} points"
            raise EvaluationError(msg)
    possible = sum((s.points for s in item.sub_items), Decimal(0))
    return float(earned / possible) if possible else 1.0


def _rated(
    item: Item,
    weight: float,
    sheets: tuple[ScoreSheet, ...],
    how: Reconciliation,
) -> tuple[
    float | None,
    tuple[EvaluatorScore, ...],
    tuple[EvidenceUse, ...],
    list[MissingEvidence],
    str,
    tuple[str, ...],
]:
    rows: list[tuple[ScoreSheet, float]] = [
        (sheet, _share(item, sheet.ratings[item.item_id], sheet.evaluator_id))
        for sheet in sheets
        if item.item_id in sheet.ratings
    ]
    if not rows:
        gap = MissingEvidence(
            item_id=item.item_id,
            missing="rating",
            message="no evaluator rated this item",
        )
        return None, (), (), [gap], "", ()
    ratings = tuple(
        EvaluatorScore(
            evaluator_id=sheet.evaluator_id,
            role=sheet.role,
            share=share,
            points=weight * share,
        )
        for sheet, share in rows
    )
    uses = tuple(
        EvidenceUse(
            source=sheet.role.value,
            reference=sheet.evaluator_id,
            detail=f"{_describe(item, sheet.ratings[item.item_id])} ({share:.0%})",
        )
        for sheet, share in rows
    )
    share, note, dropped = _reconcile(rows, how)
    return share, ratings, uses, [], note, dropped


def _describe(item: Item, rating: Rating) -> str:
    """What an evaluator gave, in words: 是/否, the level, or points earned of possible."""
    if isinstance(rating, bool):
        return "是" if rating else "否"
    if isinstance(rating, str):
        return rating
    caps = {s.sub_id: s.points for s in item.sub_items}
    earned = sum(
        (caps.get(k, Decimal(0)) if v is True else Decimal(0) if v is False else v
         for k, v in rating.items()),
        Decimal(0),
    )  # fmt: skip
    possible = sum(caps.values(), Decimal(0))
    full = sum(1 for k, v in rating.items() if v is True or v == caps.get(k))
    return f"{_points(earned)}/{_points(possible)} 分（{full}/{len(rating)} 子项满分）"


def _points(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _reconcile(
    rows: list[tuple[ScoreSheet, float]], how: Reconciliation
) -> tuple[float, str, tuple[str, ...]]:
    if how is Reconciliation.MEDIAN:
        median = statistics.median(share for _, share in rows)
        return median, f"median of {len(rows)}", ()
    dropped: tuple[str, ...] = ()
    note = f"weighted mean of {len(rows)}"
    if how is Reconciliation.DROP_EXTREMES:
        if len(rows) < 3:
            note = f"only {len(rows)} rating(s): nothing dropped; weighted mean"
        else:
            ordered = sorted(rows, key=lambda row: (row[1], row[0].evaluator_id))
            low, high = ordered[0][0].evaluator_id, ordered[-1][0].evaluator_id
            rows = ordered[1:-1]
            dropped = (low, high)
            note = f"dropped {low} (lowest) and {high} (highest); weighted mean of {len(rows)}"
    total_weight = sum(float(sheet.weight) for sheet, _ in rows)
    return (
        sum(float(sheet.weight) * share for sheet, share in rows) / total_weight,
        note,
        dropped,
    )


def _evaluator_totals(
    rubric: Rubric, weights: dict[str, float], sheets: tuple[ScoreSheet, ...]
) -> tuple[EvaluatorScore, ...]:
    items = {i.item_id: i for d in rubric.dimensions for i in d.items}
    totals: list[EvaluatorScore] = []
    for sheet in sheets:
        points = possible = 0.0
        for item_id, rating in sheet.ratings.items():
            weight = weights[item_id]
            points += weight * _share(items[item_id], rating, sheet.evaluator_id)
            possible += weight
        totals.append(
            EvaluatorScore(
                evaluator_id=sheet.evaluator_id,
                role=sheet.role,
                share=points / possible if possible else 0.0,
                points=points,
            )
        )
    return tuple(totals)


def _reason(item: ItemScore, threshold: float) -> str:
    share = item.share or 0.0
    text = f"得分率 {share:.0%} 低于整改线 {threshold:.0%}"
    if item.kind is ItemKind.TARGET:
        short = [
            use.detail for use in item.evidence if not use.detail.endswith("→ 100%")
        ]
        if short:
            text += "；未达标指标：" + "；".join(short)
    return text


def compare_reports(reports: Iterable[EvaluationReport]) -> tuple[Ranking, ...]:
    """Rank reports made with the same rubric, best first (评估结果排名).

    For annual reviews and one-station-one-brand comparisons. Ties share a rank
    (standard competition ranking: 1, 2, 2, 4) and are listed by subject id; incomplete
    reports come last with no rank, since their totals are lower bounds.

    Raises:
        EvaluationError: if the reports use different rubrics or rubric versions, or one
            subject appears twice.
    """
    chosen = list(reports)
    if not chosen:
        return ()
    keys = {(r.rubric_id, r.rubric_version) for r in chosen}
    if len(keys) > 1:
        msg = f"reports use different rubrics {sorted(keys)}; compare like with like"
        raise EvaluationError(msg)
    ids = [r.subject_id for r in chosen]
    if len(set(ids)) != len(ids):
        dupes = sorted({x for x in ids if ids.count(x) > 1})
        msg = f"subjects {dupes} appear in more than one report"
        raise EvaluationError(msg)
    complete = sorted(
        (r for r in chosen if r.is_complete), key=lambda r: (-r.total, r.subject_id)
    )
    incomplete = sorted(
        (r for r in chosen if not r.is_complete), key=lambda r: r.subject_id
    )
    best = complete[0].total if complete else 0.0
    rows: list[Ranking] = []
    rank = 0
    for position, report in enumerate(complete, start=1):
        if position == 1 or report.total != complete[position - 2].total:
            rank = position
        rows.append(_ranking(report, rank, best))
    rows += [_ranking(report, None, best) for report in incomplete]
    return tuple(rows)


def _ranking(report: EvaluationReport, rank: int | None, best: float) -> Ranking:
    return Ranking(
        rank=rank,
        subject_id=report.subject_id,
        subject_name=report.subject_name,
        total=report.total,
        grade=report.grade,
        gap_to_top=best - report.total if rank is not None else None,
        dimension_scores=tuple((d.dimension_id, d.score) for d in report.dimensions),
    )
