"""Targets with their own period and baselines, as the evaluation uses them (#12)."""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.evaluation.test_evaluate import full_evidence
from wushe.evaluation import builtin_rubric, evaluate
from wushe.models import IndicatorTarget, Period, ServiceProject
from wushe.vocab import EvaluationPhase

INDICATOR = "group_activity.sessions"


def _project(**target: Any) -> ServiceProject:
    return ServiceProject.model_validate(
        {
            "project_id": "p1",
            "name": "测试项目",
            "funder": "区民政局",
            "operator_id": "o1",
            "budget": 100000,
            "period": {"start": "2023-01-01", "end": "2025-12-31"},
            "targets": [{"indicator": INDICATOR, **target}],
        }
    )


def _share(project: ServiceProject, actual: float, **kw: Any) -> float:
    evidence = full_evidence(group_activity__sessions=actual)
    if "period" in kw:
        evidence = attrs.evolve(evidence, period=kw.pop("period"))
    report = evaluate(project, builtin_rubric(), evidence, **kw)
    item = next(i for i in report.items if i.item_id == "outcomes.targets")
    assert item.share is not None
    return item.share


def test_attainment_is_measured_from_the_baseline():
    assert _share(_project(target=100, baseline=50), 75) == pytest.approx(0.5)
    assert _share(_project(target=100), 75) == pytest.approx(0.75)
    assert _share(_project(target=100, baseline=50), 40) == 0.0


def test_a_lower_is_better_target_is_measured_from_its_baseline_down():
    share = _share(_project(target=4, baseline=10, higher_is_better=False), 6)
    assert share == pytest.approx(4 / 6)


def test_a_baseline_that_already_meets_the_target_is_rejected():
    with pytest.raises(ValidationError, match="baseline"):
        IndicatorTarget.model_validate(
            {"indicator": INDICATOR, "target": 10, "baseline": 12}
        )


def test_a_mid_term_round_pro_rates_a_yearly_target_over_its_own_year():
    yearly = {"start": "2024-01-01", "end": "2024-12-31"}
    project = _project(target=300, period=yearly)
    half = Period(start=date(2024, 1, 1), end=date(2024, 7, 1))
    share = _share(project, 150, phase=EvaluationPhase.MID_TERM, period=half)
    assert share == pytest.approx(150 / (300 * 183 / 366))


@given(
    st.integers(0, 500), st.integers(1, 500), st.integers(0, 1500), st.integers(0, 1500)
)
def test_more_done_never_scores_less_and_the_target_scores_full(baseline, gain, a, b):
    project = _project(target=baseline + gain, baseline=baseline)
    low, high = sorted((a, b))
    assert _share(project, low) <= _share(project, high)
    assert _share(project, baseline + gain) == 1.0
    assert _share(project, baseline) == 0.0
