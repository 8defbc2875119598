"""The score criteria registry is the one list every score view follows."""

from __future__ import annotations

import re

import attrs

from wushe import examples
from wushe.matching import MatchPolicy, ScoreBreakdown, ScoreWeights, match
from wushe.matching._criteria import CRITERIA, LABELS, NAMES, top_score

_CJK = re.compile("[\u4e00-\u9fff]")


def test_score_weights_has_one_field_per_criterion_in_registry_order():
    assert tuple(ScoreWeights.model_fields) == NAMES


def test_score_breakdown_has_one_field_per_criterion_in_registry_order():
    fields = [f.name for f in attrs.fields(ScoreBreakdown)]
    assert tuple(fields[: len(NAMES)]) == NAMES
    assert fields[len(NAMES) :] == ["tier", "reach"]


def test_every_criterion_has_exactly_one_way_to_score_and_a_chinese_label():
    for c in CRITERIA:
        assert sum(f is not None for f in (c.need, c.actor, c.pair)) == 1, c.name
        assert _CJK.search(LABELS[c.name][0]), c.name


def test_lexicographic_tier_offset_exceeds_every_other_criterion_at_full_weight():
    w = ScoreWeights()
    others = sum(getattr(w, n) for n in NAMES if n != "priority")
    assert top_score(w) == 1 + others


def test_breakdowns_in_a_plan_add_up_to_the_objective_and_are_explained_by_label():
    ds = examples.load("qixinggang")
    plan = match(ds.needs, ds, policy=MatchPolicy(priority_mode="weighted"))
    assert plan.objective == sum(a.score.total for a in plan.assignments)
    for a in plan.assignments:
        assert a.score.total == 1 + sum(points for _, points in a.score.items())
    a = plan.assignments[0]
    text = plan.explain(a.need_id, lang="zh")
    for name, points in a.score.items():
        if points:
            assert f"{LABELS[name][0]} {points}" in text
