"""Evaluation rubrics as validated data (评估细则).

A :class:`Rubric` is what an evaluation agency writes down before it scores anything:
eligibility gates (参评条件) that decide whether the subject is evaluated at all, dimensions
(维度) holding items (评分项) with weights in points, the kind of each item, the grade bands
and the threshold below which an item needs rectification (整改). Rubrics are
data — YAML or JSON — never code, because the weights and cut-offs in use differ from city
to city and none of them is a national standard (see the explanation page on evaluation
frameworks).
"""

from __future__ import annotations

import functools
import importlib.resources
from decimal import Decimal
from typing import Annotated, Any, Self

from pydantic import (
    Field,
    ModelWrapValidatorHandler,
    PlainSerializer,
    ValidationError,
    field_validator,
    model_validator,
)

from wushe._types import Identifier
from wushe.evaluation._indicators import is_known_indicator
from wushe.exceptions import MissingDependencyError, RubricError
from wushe.models import WusheModel
from wushe.vocab import BilingualEnum, Grade, OrgRating

__all__ = [
    "BudgetRule",
    "Dimension",
    "Gate",
    "GradeBand",
    "GradeBands",
    "Item",
    "ItemKind",
    "Level",
    "Rubric",
    "SubItem",
    "builtin_rubric",
    "builtin_rubric_names",
    "grade_bands",
]


def _number(value: Decimal) -> int | float:
    """Write a Decimal as a plain JSON/YAML number: ``10`` rather than ``"10"``."""
    return int(value) if value == value.to_integral_value() else float(value)


Points = Annotated[
    Decimal,
    Field(ge=0, allow_inf_nan=False),
    PlainSerializer(_number, when_used="json"),
]
"""A non-negative number of points (分值)."""

Fraction = Annotated[
    Decimal,
    Field(ge=0, le=1, allow_inf_nan=False),
    PlainSerializer(_number, when_used="json"),
]
"""A share between 0 and 1 (比例)."""


class ItemKind(BilingualEnum):
    """How an item is scored (评分方式).

    ``target`` compares actuals with contracted targets (capped ratio, 指标完成率);
    ``graded`` maps an evaluator's level to a share of the weight (程度分, Likert);
    ``checklist`` sums sub-item points (组合分); ``boolean`` gives all or nothing (是否分).
    """

    TARGET = "target", "目标达成", "指标完成率"
    GRADED = "graded", "程度分", "likert"
    CHECKLIST = "checklist", "组合分"
    BOOLEAN = "boolean", "是否分"


class Level(WusheModel):
    """One level of a graded item, e.g. 较好 = 80 % of the weight (评分等级)."""

    label: Annotated[str, Field(min_length=1)]
    """What the evaluator picks, e.g. ``"较好"`` (等级名称)."""
    fraction: Fraction
    """Share of the item's weight this level earns, 0–1 (得分比例)."""


DEFAULT_LEVELS: tuple[Level, ...] = (
    Level(label="好", fraction=Decimal(1)),
    Level(label="较好", fraction=Decimal("0.8")),
    Level(label="一般", fraction=Decimal("0.6")),
    Level(label="较差", fraction=Decimal("0.4")),
    Level(label="差", fraction=Decimal(0)),
)
"""The five-level 程度分 scale used by a graded item that lists no levels (默认程度分等级).

好 100 %, 较好 80 %, 一般 60 %, 较差 40 %, 差 0 %: a common shape in local templates, not a
standard; a rubric that needs another scale lists its own ``levels``.
"""


class SubItem(WusheModel):
    """One sub-item of a checklist item; the item scores the sum of what is met (组合分子项)."""

    sub_id: Identifier
    """Identifier, unique within the item (子项编号)."""
    name: Annotated[str, Field(min_length=1)]
    """What is checked, e.g. ``"专账核算"`` (子项名称)."""
    points: Points
    """Points when fully met (子项分值)."""


class BudgetRule(WusheModel):
    """How a graded item is scored from the subject's spending records (预算执行计分规则).

    With a purchase contract for the project and its spending records in the evidence, the
    item's share is budget execution (spent ÷ budget) ÷ ``full_at``, capped at 100 %; a
    mid-term round expects ``full_at`` pro-rated to the end of the evidence period. Without
    them the evaluators' ratings score the item, and the report says so.
    """

    full_at: Annotated[Decimal, Field(gt=0, le=1, allow_inf_nan=False)] = Decimal(1)
    """Execution rate by the contract's end that earns the whole weight, 0–1 (满分执行率).

    The default 1 (everything spent) is wushe's choice; set your purchaser's line."""


class Item(WusheModel):
    """One scored item of a rubric (评分项).

    Which fields apply depends on ``kind``: ``indicators`` only for target items, ``levels``
    only for graded items, ``sub_items`` only for checklist items.
    """

    item_id: Identifier
    """Identifier, unique in the whole rubric, e.g. ``"outcome.targets"`` (评分项编号)."""
    name: Annotated[str, Field(min_length=1)]
    """Chinese display name, e.g. ``"合同指标完成率"`` (评分项名称)."""
    name_en: str = ""
    """English display name, used when Chinese cannot be drawn (英文名称)."""
    kind: ItemKind
    """How the item is scored (评分方式)."""
    weight: Points
    """Points the item is worth (分值)."""
    indicators: tuple[str, ...] = ()
    """Target items: the indicators compared with their targets; empty means every contracted target (考核指标)."""
    levels: tuple[Level, ...] = ()
    """Graded items: the scale, best first; empty means 好 100 %, 较好 80 %, 一般 60 %, 较差 40 %, 差 0 % (评分等级)."""
    sub_items: tuple[SubItem, ...] = ()
    """Checklist items: the sub-items whose points add up to the weight (组合分子项)."""
    rectify_below: Fraction | None = None
    """Share of the weight below which the item needs rectification; defaults to the rubric's (整改阈值)."""
    guidance: str = ""
    """How to score it, for the evaluator (评分说明)."""
    budget_execution: BudgetRule | None = None
    """Graded items: score from purchase contracts and spending records when present (按预算执行率计分)."""

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Self:
        problems: list[str] = []
        if self.kind is not ItemKind.GRADED and self.budget_execution is not None:
            problems.append("only graded items are scored from budget_execution")
        if self.kind is not ItemKind.TARGET and self.indicators:
            problems.append("only target items list indicators")
        if self.kind is not ItemKind.GRADED and self.levels:
            problems.append("only graded items list levels")
        if self.kind is not ItemKind.CHECKLIST and self.sub_items:
            problems.append("only checklist items list sub_items")
        if self.kind is ItemKind.CHECKLIST and not self.sub_items:
            problems.append("a checklist item needs sub_items")
        unknown = [name for name in self.indicators if not is_known_indicator(name)]
        if unknown:
            problems.append(
                f"unknown indicator(s) {', '.join(map(repr, unknown))}; use "
                "'<activity_type>.sessions', '<activity_type>.person_times', "
                "'total.sessions', 'outputs.<name>', 'recipients.distinct', "
                "'needs.<name>' or 'custom.<name>'"
            )
        if len(set(self.indicators)) != len(self.indicators):
            problems.append("indicators are listed twice")
        labels = [level.label for level in self.levels]
        if len(set(labels)) != len(labels):
            problems.append("level labels are not unique")
        if self.levels and max(level.fraction for level in self.levels) != 1:
            problems.append("no level earns the full weight (fraction 1)")
        subs = [sub.sub_id for sub in self.sub_items]
        if len(set(subs)) != len(subs):
            problems.append("sub_item ids are not unique")
        if problems:
            msg = f"item {self.item_id!r}: " + "; ".join(problems)
            raise RubricError(msg)
        return self


class Gate(WusheModel):
    """An eligibility condition checked before any scoring (参评条件).

    A subject that fails a gate is not evaluated (不予评估): the report says so and lists
    the failed gates instead of scoring. A gate is never worth points — 《社会组织评估管理
    办法》 (MCA Order No. 39, 2010) excludes organisations registered for less than two full
    years, with a missed or failed last annual inspection, or under penalty, rather than
    marking them down.
    """

    gate_id: Identifier
    """Identifier, unique in the rubric, e.g. ``"registered_two_years"`` (条件编号)."""
    name: Annotated[str, Field(min_length=1)]
    """Chinese display name, e.g. ``"登记满两个年度"`` (条件名称)."""
    name_en: str = ""
    """English display name (英文名称)."""
    basis: str = ""
    """The rule the gate implements, e.g. the article of a measure (依据)."""


class Dimension(WusheModel):
    """A group of items with its own weight, e.g. 服务成效 30 points (评估维度)."""

    dimension_id: Identifier
    """Identifier, unique in the rubric, e.g. ``"outcomes"`` (维度编号)."""
    name: Annotated[str, Field(min_length=1)]
    """Chinese display name, e.g. ``"服务成效"`` (维度名称)."""
    name_en: str = ""
    """English display name, used when Chinese cannot be drawn (英文名称)."""
    weight: Points
    """Points the dimension is worth; its items' weights add up to it (维度分值)."""
    items: Annotated[tuple[Item, ...], Field(min_length=1)]
    """The scored items (评分项)."""


class GradeBand(WusheModel):
    """One grade and the lowest total that earns it (等级分数线)."""

    label: Grade | OrgRating
    """The grade, e.g. 优秀 or 5A (等级)."""
    min_score: Points
    """Lowest total that earns the grade, in the rubric's points (分数线)."""
    strict: bool = False
    """Whether the total must exceed ``min_score`` rather than reach it, as in "5A > 950" (是否严格大于)."""

    def admits(self, score: float) -> bool:
        """Whether ``score`` earns this grade (是否达到分数线)."""
        floor = float(self.min_score)
        return score > floor if self.strict else score >= floor


class GradeBands(WusheModel):
    """Ordered grade bands, best first: the cut-offs that turn a total into a grade (等级划分).

    A total earns the first band it reaches. A total below every band has no grade, which
    happens with organisation ratings where a low score means "not rated" (未定级).
    """

    bands: Annotated[tuple[GradeBand, ...], Field(min_length=1)]
    """The bands, best grade first, thresholds strictly decreasing (等级列表)."""

    @model_validator(mode="after")
    def _ordered_without_overlap(self) -> Self:
        kinds = {type(band.label) for band in self.bands}
        if len(kinds) > 1:
            msg = (
                "grade bands mix project grades (优秀…) with organisation ratings (5A…)"
            )
            raise RubricError(msg)
        labels = [band.label for band in self.bands]
        if len(set(labels)) != len(labels):
            msg = f"grade bands repeat a grade: {[str(x.zh) for x in labels]}"
            raise RubricError(msg)
        order = list(type(self.bands[0].label))
        for better, worse in zip(self.bands, self.bands[1:], strict=False):
            if better.min_score <= worse.min_score:
                msg = (
                    f"grade bands overlap: {better.label.zh} (from {better.min_score}) "
                    f"and {worse.label.zh} (from {worse.min_score}) — thresholds must "
                    "strictly decrease from the best grade"
                )
                raise RubricError(msg)
            if order.index(better.label) > order.index(worse.label):
                msg = (
                    f"grade bands are out of order: {worse.label.zh} is listed below "
                    f"{better.label.zh} but is the better grade"
                )
                raise RubricError(msg)
        return self

    def grade_for(self, score: float) -> Grade | OrgRating | None:
        """The grade a total earns, or ``None`` below every band (评定等级).

        Monotone: a higher total never earns a worse grade.
        """
        for band in self.bands:
            if band.admits(score):
                return band.label
        return None


def _bands(*rows: tuple[Grade | OrgRating, int, bool]) -> GradeBands:
    return GradeBands(
        bands=tuple(
            GradeBand(label=label, min_score=Decimal(score), strict=strict)
            for label, score, strict in rows
        )
    )


_PRESETS: dict[str, GradeBands] = {
    "four_band": _bands(
        (Grade.EXCELLENT, 90, False),
        (Grade.GOOD, 80, False),
        (Grade.PASS, 60, False),
        (Grade.FAIL, 0, False),
    ),
    "five_band": _bands(
        (Grade.EXCELLENT, 90, False),
        (Grade.GOOD, 80, False),
        (Grade.PASS, 70, False),
        (Grade.BASIC_PASS, 60, False),
        (Grade.FAIL, 0, False),
    ),
    "org_luoyang_chanhe": _bands(
        (OrgRating.A5, 900, False),
        (OrgRating.A4, 800, False),
        (OrgRating.A3, 700, False),
        (OrgRating.A2, 600, False),
        (OrgRating.A1, 0, False),
    ),
    "org_anqing": _bands(
        (OrgRating.A5, 950, True),
        (OrgRating.A4, 900, True),
        (OrgRating.A3, 850, True),
        (OrgRating.A2, 800, True),
    ),
}


def grade_bands(name: str) -> GradeBands:
    """Return a named preset of grade bands (等级划分预设).

    Presets (all configurable practice, none a national rule):

    ``four_band``
        优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 below 60 (the default).
    ``five_band``
        优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 70, 基本合格 ≥ 60, 不合格 below 60. The 合格 and 基本合格
        cut-offs are wushe's unsourced defaults: local five-grade schemes exist, but no
        retrieved text fixes these lines (DOMAIN.md §4.3). Give your own ``GradeBands``.
    ``org_luoyang_chanhe``
        Organisation rating on 1000 points as published by 洛阳市瀍河区: 5A ≥ 900,
        4A ≥ 800, 3A ≥ 700, 2A ≥ 600, 1A below.
    ``org_anqing``
        Organisation rating as published by 安庆市: 5A > 950, 4A > 900, 3A > 850,
        2A > 800; the 1A cut-off was not retrieved, so lower totals are left unrated.

    Raises:
        RubricError: for an unknown name; the message lists the presets.

    Examples:
        >>> grade_bands("four_band").grade_for(85).zh
        '良好'
        >>> grade_bands("org_anqing").grade_for(951).value
        '5A'
    """
    try:
        return _PRESETS[name]
    except KeyError:
        msg = f"unknown grade-band preset {name!r}; choose one of {sorted(_PRESETS)}"
        raise RubricError(msg) from None


class Rubric(WusheModel):
    """An evaluation rubric: dimensions, items, weights and grade bands (评估细则).

    Weights are points. The dimension weights must add up to ``total`` and each dimension's
    item weights to the dimension's weight — exactly — unless the rubric says
    ``normalise: true``, in which case they are scaled proportionally and the report says
    so. Nothing is ever normalised silently.

    Errors name the dimension, item or band at fault, as a
    :class:`~wushe.exceptions.RubricError`.

    Examples:
        >>> rubric = builtin_rubric("default_project")
        >>> rubric.total, len(rubric.dimensions)
        (Decimal('100'), 5)
        >>> [d.name for d in rubric.dimensions]
        ['项目管理', '专业服务', '服务成效', '财务管理', '满意度']
    """

    rubric_id: Identifier
    """Identifier, e.g. ``"default_project"`` (细则编号)."""
    name: Annotated[str, Field(min_length=1)]
    """Display name (细则名称)."""
    version: str = "1"
    """Version of this rubric, so reports can say which one scored them (版本)."""
    provenance: Annotated[str, Field(min_length=1)]
    """Where the dimensions, weights and cut-offs come from, stated honestly (来源说明)."""
    total: Annotated[Points, Field(gt=0)] = Decimal(100)
    """Full marks, e.g. 100 for projects or 1000 for organisation ratings (满分)."""
    normalise: bool = False
    """Scale weights proportionally instead of requiring exact sums (按比例归一)."""
    rectification_threshold: Fraction = Decimal("0.6")
    """Share of an item's weight below which it needs rectification (整改阈值).

    The default 0.6 is wushe's unsourced choice (the usual pass line of a 100-point scale
    applied per item); set the line your evaluator uses, or ``rectify_below`` per item."""
    gates: tuple[Gate, ...] = ()
    """Eligibility conditions checked before scoring; failing one means 不予评估 (参评条件)."""
    grade_bands: GradeBands = Field(default_factory=lambda: _PRESETS["four_band"])
    """Cut-offs from total to grade; a preset name such as ``"five_band"`` is accepted (等级划分)."""
    dimensions: Annotated[tuple[Dimension, ...], Field(min_length=1)]
    """The scored dimensions (评估维度)."""

    @field_validator("grade_bands", mode="before")
    @classmethod
    def _preset_by_name(cls, value: Any) -> Any:
        return grade_bands(value) if isinstance(value, str) else value

    @model_validator(mode="wrap")
    @classmethod
    def _name_the_item(
        cls, data: Any, handler: ModelWrapValidatorHandler[Self]
    ) -> Self:
        try:
            return handler(data)
        except ValidationError as exc:
            lines = [
                f"  - {_where(data, error['loc'])}: {error['msg']}"
                for error in exc.errors()
            ]
            msg = "invalid rubric:\n" + "\n".join(lines)
            raise RubricError(msg) from None

    @model_validator(mode="after")
    def _weights_add_up(self) -> Self:
        dims = [d.dimension_id for d in self.dimensions]
        if len(set(dims)) != len(dims):
            msg = f"rubric {self.rubric_id!r}: dimension ids repeat: {_dupes(dims)}"
            raise RubricError(msg)
        items = [i.item_id for d in self.dimensions for i in d.items]
        if len(set(items)) != len(items):
            msg = f"rubric {self.rubric_id!r}: item ids repeat: {_dupes(items)}"
            raise RubricError(msg)
        gates = [g.gate_id for g in self.gates]
        if len(set(gates)) != len(gates):
            msg = f"rubric {self.rubric_id!r}: gate ids repeat: {_dupes(gates)}"
            raise RubricError(msg)
        dim_sum = sum((d.weight for d in self.dimensions), Decimal(0))
        if self.normalise:
            if dim_sum == 0:
                msg = f"rubric {self.rubric_id!r}: every dimension weighs 0"
                raise RubricError(msg)
            for dim in self.dimensions:
                if dim.weight > 0 and sum(i.weight for i in dim.items) == 0:
                    msg = f"dimension {dim.dimension_id!r}: every item weighs 0, nothing to normalise"
                    raise RubricError(msg)
                for item in dim.items:
                    if item.sub_items and sum(s.points for s in item.sub_items) == 0:
                        msg = f"item {item.item_id!r}: every sub-item is worth 0 points"
                        raise RubricError(msg)
        else:
            if dim_sum != self.total:
                msg = (
                    f"rubric {self.rubric_id!r}: dimension weights add up to {dim_sum}, "
                    f"not the declared total {self.total} "
                    "(fix the weights or set normalise: true)"
                )
                raise RubricError(msg)
            for dim in self.dimensions:
                item_sum = sum((i.weight for i in dim.items), Decimal(0))
                if item_sum != dim.weight:
                    msg = (
                        f"dimension {dim.dimension_id!r}: item weights add up to "
                        f"{item_sum}, not the dimension weight {dim.weight}"
                    )
                    raise RubricError(msg)
                for item in dim.items:
                    sub_sum = sum((s.points for s in item.sub_items), Decimal(0))
                    if item.sub_items and sub_sum != item.weight:
                        msg = (
                            f"item {item.item_id!r}: sub-item points add up to "
                            f"{sub_sum}, not the item weight {item.weight}"
                        )
                        raise RubricError(msg)
        top = self.grade_bands.bands[0]
        if top.min_score > self.total:
            msg = (
                f"rubric {self.rubric_id!r}: grade {top.label.zh} starts at "
                f"{top.min_score}, above the total {self.total}"
            )
            raise RubricError(msg)
        return self

    @classmethod
    def from_yaml_text(cls, text: str) -> Rubric:
        """Validate a rubric written as YAML text (从 YAML 文本读取细则).

        Needs the ``yaml`` extra. To read a file, use :func:`wushe.io.load_rubric`.

        Raises:
            RubricError: if the rubric is malformed; names the item.
            MissingDependencyError: without the ``yaml`` extra.
        """
        return cls.model_validate(_yaml().safe_load(text))

    def to_yaml_text(self) -> str:
        """Write the rubric as YAML text that :meth:`from_yaml_text` reads back (导出 YAML)."""
        return str(
            _yaml().safe_dump(
                self.model_dump(mode="json"), allow_unicode=True, sort_keys=False
            )
        )


def _yaml() -> Any:
    try:
        import yaml  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError as exc:  # pragma: no cover - depends on the environment
        purpose = "Reading and writing rubrics as YAML"
        raise MissingDependencyError("pyyaml", "yaml", purpose) from exc  # noqa: EM101 - the error composes its message
    return yaml


def _dupes(ids: list[str]) -> list[str]:
    return sorted({x for x in ids if ids.count(x) > 1})


def _where(data: Any, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic location into one that names dimensions and items by id."""
    parts: list[str] = []
    node = data
    keys = {
        "dimensions": "dimension_id",
        "items": "item_id",
        "sub_items": "sub_id",
        "gates": "gate_id",
    }
    parent: str | int | None = None
    for step in loc:
        named = None
        if isinstance(step, int) and isinstance(parent, str) and parent in keys:
            try:
                named = node[step].get(keys[parent])
            except (AttributeError, IndexError, KeyError, TypeError):
                named = None
        if isinstance(step, int):
            parts[-1] += f"[{named!r}]" if named else f"[{step}]"
        else:
            parts.append(step)
        try:
            node = node[step]
        except (IndexError, KeyError, TypeError):
            node = None
        parent = step
    return ".".join(parts) or "(rubric)"


_RUBRICS = importlib.resources.files("wushe.evaluation").joinpath("rubrics")


def builtin_rubric_names() -> tuple[str, ...]:
    """Names of the rubrics shipped with wushe (内置评估细则名称).

    Examples:
        >>> builtin_rubric_names()
        ('default_project', 'social_organization')
    """
    return tuple(
        sorted(
            entry.name.removesuffix(".json")
            for entry in _RUBRICS.iterdir()
            if entry.name.endswith(".json")
        )
    )


@functools.cache
def builtin_rubric(name: str = "default_project") -> Rubric:
    """Return a rubric shipped with wushe (内置评估细则).

    ``default_project``
        A 100-point project rubric (项目管理 · 专业服务 · 服务成效 · 财务管理 · 满意度)
        synthesised from local frameworks; its weights are wushe's choice, not MZ/T 059-2014's.
    ``social_organization``
        A 1000-point organisation rating (5A–1A) following the content areas of
        《社会组织评估管理办法》 with illustrative weights and the 洛阳市瀍河区 cut-offs; its
        eligibility conditions (two full years of registration, last annual inspection
        passed, no penalty) are gates, not points.

    Both state their provenance in ``provenance``.

    Raises:
        RubricError: for an unknown name; the message lists the built-in names.
    """
    names = builtin_rubric_names()
    if name not in names:
        msg = f"no built-in rubric {name!r}; choose one of {list(names)}"
        raise RubricError(msg)
    text = _RUBRICS.joinpath(f"{name}.json").read_text(encoding="utf-8")
    return Rubric.model_validate_json(text)
