"""Strategies for valid rubrics and complete score sheets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from wushe.evaluation import EvaluatorRole, Rubric, ScoreSheet
from wushe.evaluation._rubric import DEFAULT_LEVELS

KINDS = ("graded", "boolean", "checklist")


@st.composite
def rubric_dicts(draw: st.DrawFn, *, normalise: bool = False) -> dict[str, Any]:
    """A raw rubric whose weights add up exactly (or, with ``normalise``, do not need to)."""
    dimensions: list[dict[str, Any]] = []
    n_dims = draw(st.integers(1, 5))
    for d in range(n_dims):
        items: list[dict[str, Any]] = []
        for i in range(draw(st.integers(1, 4))):
            kind = draw(st.sampled_from(KINDS))
            weight = draw(st.integers(1, 20))
            item: dict[str, Any] = {
                "item_id": f"d{d}.i{i}",
                "name": f"评分项{d}-{i}",
                "kind": kind,
                "weight": weight,
            }
            if kind == "checklist":
                n_subs = draw(st.integers(1, 3))
                points = [weight // n_subs] * n_subs
                points[0] += weight - sum(points)
                item["sub_items"] = [
                    {"sub_id": f"s{k}", "name": f"子项{k}", "points": p}
                    for k, p in enumerate(points)
                ]
            items.append(item)
        weight = sum(int(item["weight"]) for item in items)
        if normalise:
            weight = draw(st.integers(1, 50))
        dimensions.append(
            {
                "dimension_id": f"d{d}",
                "name": f"维度{d}",
                "weight": weight,
                "items": items,
            }
        )
    total: int = 100 if normalise else sum(int(dim["weight"]) for dim in dimensions)
    return {
        "rubric_id": "generated",
        "name": "生成细则",
        "provenance": "generated for tests",
        "total": total,
        "normalise": normalise,
        "grade_bands": {
            "bands": [
                {"label": "优秀", "min_score": total * 0.9},
                {"label": "良好", "min_score": total * 0.8},
                {"label": "合格", "min_score": total * 0.6},
                {"label": "不合格", "min_score": 0},
            ]
        },
        "dimensions": dimensions,
    }


def rubrics(*, normalise: bool = False) -> st.SearchStrategy[Rubric]:
    return rubric_dicts(normalise=normalise).map(Rubric.model_validate)


@st.composite
def ratings_for(draw: st.DrawFn, rubric: Rubric) -> dict[str, Any]:
    """A rating of every rated item of ``rubric``."""
    ratings: dict[str, Any] = {}
    for dim in rubric.dimensions:
        for item in dim.items:
            if item.kind.value == "boolean":
                ratings[item.item_id] = draw(st.booleans())
            elif item.kind.value == "graded":
                levels = item.levels or DEFAULT_LEVELS
                ratings[item.item_id] = draw(
                    st.sampled_from([lv.label for lv in levels])
                )
            elif item.kind.value == "checklist":
                ratings[item.item_id] = {
                    sub.sub_id: draw(st.booleans()) for sub in item.sub_items
                }
    return ratings


def sheet(
    ratings: dict[str, Any], evaluator: str = "e1", weight: int = 1
) -> ScoreSheet:
    return ScoreSheet(
        evaluator_id=evaluator,
        role=EvaluatorRole.THIRD_PARTY,
        weight=Decimal(weight),
        ratings=ratings,
    )
