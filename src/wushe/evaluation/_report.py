"""The result of an evaluation: scores, grade, evidence, rectifications (评估报告)."""

from __future__ import annotations

import attrs

from wushe.evaluation._evidence import EvaluatorRole, Reconciliation
from wushe.evaluation._rubric import ItemKind
from wushe.models import Period
from wushe.vocab import EvaluationPhase, Grade, OrgRating

__all__ = [
    "DimensionScore",
    "EvaluationReport",
    "EvaluatorScore",
    "EvidenceUse",
    "ItemScore",
    "MissingEvidence",
    "Ranking",
    "Rectification",
]


@attrs.frozen(kw_only=True)
class EvidenceUse:
    """One piece of evidence behind a score (评分依据)."""

    source: str
    """``"ledger"``, ``"match"``, an evaluator role such as ``"third_party"`` … (来源)."""
    reference: str
    """The indicator name or the evaluator id (依据编号)."""
    detail: str
    """What it said, e.g. ``"actual 312 / target 300 → 100%"`` or ``"较好 (80%)"`` (说明)."""
    record_ids: tuple[str, ...] = ()
    """Ledger rows or other records behind it (证据记录)."""


@attrs.frozen(kw_only=True)
class EvaluatorScore:
    """One evaluator's points on one item, before reconciliation (评估人评分)."""

    evaluator_id: str
    """The evaluator's id (评估人编号)."""
    role: EvaluatorRole
    """Purchaser, recipient, third party … (评估主体)."""
    share: float
    """Share of the item's weight this evaluator gave, 0–1 (得分比例)."""
    points: float
    """``share`` * the item's weight (得分)."""


@attrs.frozen(kw_only=True)
class ItemScore:
    """The score of one rubric item, with the evidence it used (评分项得分)."""

    item_id: str
    """The item's id (评分项编号)."""
    dimension_id: str
    """The dimension it belongs to (所属维度)."""
    name: str
    """The item's Chinese name (评分项名称)."""
    name_en: str
    """The item's English name (英文名称)."""
    kind: ItemKind
    """How it was scored (评分方式)."""
    weight: float
    """Points it is worth, after any declared normalisation (分值)."""
    score: float | None
    """Points earned; ``None`` when evidence is missing — never a silent zero (得分)."""
    evidence: tuple[EvidenceUse, ...] = ()
    """What the score was computed from (评分依据)."""
    ratings: tuple[EvaluatorScore, ...] = ()
    """Each evaluator's score, for rated items (各评估人评分)."""
    note: str = ""
    """How the score was reached, e.g. which ratings were dropped (计分说明)."""
    dropped: tuple[str, ...] = ()
    """Evaluators whose ratings the ``drop_extremes`` rule left out, lowest first (去掉的评分)."""
    target_factor: float = 1.0
    """Share of each target expected by the end of the evidence period; 1 in a final round (目标折算比例)."""

    @property
    def share(self) -> float | None:
        """Score as a share of the weight, 0–1; ``None`` when unscored (得分率)."""
        if self.score is None:
            return None
        return self.score / self.weight if self.weight else 1.0


@attrs.frozen(kw_only=True)
class DimensionScore:
    """The score of one dimension: the sum of its items' scores (维度得分)."""

    dimension_id: str
    """The dimension's id (维度编号)."""
    name: str
    """The dimension's Chinese name (维度名称)."""
    name_en: str
    """The dimension's English name (英文名称)."""
    weight: float
    """Points it is worth (维度分值)."""
    score: float
    """Points earned by its scored items (维度得分)."""
    items: tuple[ItemScore, ...]
    """Its items, in rubric order (评分项)."""

    @property
    def share(self) -> float:
        """Score as a share of the weight, 0–1 (得分率)."""
        return self.score / self.weight if self.weight else 1.0

    @property
    def is_complete(self) -> bool:
        """Whether every item could be scored (证据是否齐全)."""
        return all(item.score is not None for item in self.items)


@attrs.frozen(kw_only=True)
class Rectification:
    """An item scored below its threshold, to be rectified (整改项)."""

    item_id: str
    """The item (评分项编号)."""
    name: str
    """The item's Chinese name (评分项名称)."""
    score: float
    """Points earned (得分)."""
    weight: float
    """Points it is worth (分值)."""
    threshold: float
    """Share of the weight it had to reach (整改阈值)."""
    reason: str
    """Why, in words (整改原因)."""


@attrs.frozen(kw_only=True)
class MissingEvidence:
    """An item that could not be scored, and what was missing (缺失证据)."""

    item_id: str
    """The item (评分项编号)."""
    missing: str
    """The indicator or kind of rating that was not supplied (缺失内容)."""
    message: str
    """What to supply (说明)."""


@attrs.frozen(kw_only=True)
class EvaluationReport:
    """The outcome of evaluating one project against one rubric (评估报告).

    ``total`` is the sum of the dimension scores, and each dimension score the sum of its
    item scores. When evidence is missing the affected items are unscored (``None``),
    listed in ``missing``, the total counts only what was scored and ``grade`` is ``None``:
    an incomplete evaluation is never graded. A subject that fails an eligibility gate is
    not evaluated (不予评估): ``failed_gates`` names the gates, nothing is scored and there
    is no grade.
    """

    subject_id: str
    """The project, station or organisation evaluated (评估对象编号)."""
    subject_name: str
    """Its name (评估对象名称)."""
    rubric_id: str
    """The rubric used (细则编号)."""
    rubric_name: str
    """The rubric's name (细则名称)."""
    rubric_version: str
    """The rubric's version (细则版本)."""
    phase: EvaluationPhase
    """Mid-term, final or spot check (评估阶段)."""
    period: Period | None
    """The period the evidence covers (评估期间)."""
    reconciliation: Reconciliation
    """How evaluators' scores were combined (评分合成规则)."""
    normalised: bool
    """Whether the rubric's weights were scaled because it declares ``normalise`` (是否归一)."""
    max_total: float
    """Full marks (满分)."""
    total: float
    """Points earned over every scored item (总分)."""
    grade: Grade | OrgRating | None
    """The grade the total earns; ``None`` when evidence is missing or below every band (等级)."""
    dimensions: tuple[DimensionScore, ...]
    """Per-dimension scores, in rubric order (维度得分)."""
    evaluators: tuple[EvaluatorScore, ...]
    """Each evaluator's total over the items they rated, as points and share (评估人总评)."""
    rectifications: tuple[Rectification, ...]
    """Items below their threshold (整改项)."""
    missing: tuple[MissingEvidence, ...]
    """Items and gates that could not be checked or scored (缺失证据)."""
    failed_gates: tuple[str, ...] = ()
    """Ids of the eligibility gates the subject fails; non-empty means 不予评估 (未满足的参评条件)."""

    @property
    def is_eligible(self) -> bool:
        """Whether the subject passed every eligibility gate checked (是否符合参评条件)."""
        return not self.failed_gates

    def __repr__(self) -> str:
        grade = self.grade.value if self.grade is not None else "ungraded"
        return (
            f"<EvaluationReport {self.subject_id} by {self.rubric_id} "
            f"{self.rubric_version} ({self.phase.value}): "
            f"{self.total:g}/{self.max_total:g}, {grade}, {len(self.items)} items, "
            f"{len(self.rectifications)} rectifications, {len(self.missing)} missing>"
        )

    @property
    def is_complete(self) -> bool:
        """Whether the subject was eligible and every item was scored (证据是否齐全)."""
        return not self.missing and not self.failed_gates

    @property
    def items(self) -> tuple[ItemScore, ...]:
        """Every item score, in rubric order (全部评分项)."""
        return tuple(item for dim in self.dimensions for item in dim.items)


@attrs.frozen(kw_only=True)
class Ranking:
    """One row of a comparison of reports on the same rubric (排名).

    Ties share a rank (1, 2, 2, 4); incomplete reports are listed last without a rank.
    """

    rank: int | None
    """1 for the highest total; ``None`` for an incomplete report (名次)."""
    subject_id: str
    """The project, station or organisation (评估对象编号)."""
    subject_name: str
    """Its name (评估对象名称)."""
    total: float
    """Its total (总分)."""
    grade: Grade | OrgRating | None
    """Its grade (等级)."""
    gap_to_top: float | None
    """Points behind the best complete report; ``None`` for an incomplete one (与第一名差距)."""
    dimension_scores: tuple[tuple[str, float], ...]
    """``(dimension_id, score)`` pairs in rubric order (维度得分)."""
