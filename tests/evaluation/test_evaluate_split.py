"""#15: evaluate() split into steps scores exactly as the one long function did."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.evaluation.legacy_evaluate import legacy_evaluate
from tests.evaluation.strategies import ratings_for, rubrics, sheet
from tests.evaluation.test_evaluate import FULL, ORG
from wushe import examples
from wushe.evaluation import (
    Evidence,
    Reconciliation,
    builtin_rubric,
    evaluate,
    indicator_actuals,
)
from wushe.models import Dataset, Period
from wushe.vocab import EvaluationPhase


@cache
def _jinniu() -> Dataset:
    return examples.load("jinniu")


@settings(max_examples=60)
@given(
    rubrics().flatmap(
        lambda r: st.tuples(
            st.just(r), st.lists(ratings_for(r), min_size=1, max_size=4)
        )
    ),
    st.sampled_from(list(Reconciliation)),
    st.data(),
)
def test_rated_rubrics_score_as_before(case, how, data):
    rubric, all_ratings = case
    sheets = []
    for k, ratings in enumerate(all_ratings):
        kept = {i: v for i, v in ratings.items() if data.draw(st.booleans())}
        weight = data.draw(st.integers(1, 3))
        sheets.append(sheet(kept, evaluator=f"e{k}", weight=weight))
    evidence = Evidence(sheets=tuple(sheets))
    assert evaluate(ORG, rubric, evidence, reconciliation=how) == legacy_evaluate(
        ORG, rubric, evidence, reconciliation=how
    )


@settings(max_examples=40)
@given(
    st.sampled_from(list(EvaluationPhase)),
    st.sampled_from(list(Reconciliation)),
    st.integers(0, 400),
    st.sets(st.sampled_from(sorted(FULL))),
    st.data(),
)
def test_target_rubrics_score_as_before(phase, how, days, dropped, data):
    ds = _jinniu()
    project = data.draw(st.sampled_from([p for p in ds.projects if p.targets]))
    end = min(project.period.start + timedelta(days=days), date(2024, 12, 31))
    period = Period(start=project.period.start, end=end)
    actuals = indicator_actuals(project, ds.activities, period=period)
    gone = data.draw(st.sets(st.sampled_from(sorted(actuals))), label="no actual")
    ratings = {k: v for k, v in FULL.items() if k not in dropped}
    evidence = Evidence(
        actuals={k: v for k, v in actuals.items() if k not in gone},
        sheets=(sheet(ratings), sheet(FULL, evaluator="e2", weight=2)),
        period=period,
    )
    rubric = builtin_rubric("default_project")
    new = evaluate(project, rubric, evidence, phase=phase, reconciliation=how)
    old = legacy_evaluate(project, rubric, evidence, phase=phase, reconciliation=how)
    assert new == old
    assert Decimal(0) <= Decimal(str(new.total))


@settings(max_examples=30)
@given(st.data())
def test_gated_rubrics_score_as_before(data):
    rubric = builtin_rubric("social_organization")
    answers = {
        g.gate_id: data.draw(st.none() | st.booleans(), label=g.gate_id)
        for g in rubric.gates
    }
    ratings = data.draw(ratings_for(rubric))
    kept = {k: v for k, v in ratings.items() if data.draw(st.booleans(), label=k)}
    evidence = Evidence(
        sheets=(sheet(kept),),
        gates={k: v for k, v in answers.items() if v is not None},
    )
    assert evaluate(ORG, rubric, evidence) == legacy_evaluate(ORG, rubric, evidence)
