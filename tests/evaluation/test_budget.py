"""Government-purchase contracts, spending and budget execution fed to evaluation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.models.test_dataset import issues_of, minimal
from wushe.evaluation import (
    BUDGET_EXECUTION,
    EvaluationReport,
    EvaluatorRole,
    Evidence,
    Item,
    ItemScore,
    Rubric,
    ScoreSheet,
    budget_actuals,
    budget_execution,
    builtin_rubric,
    evaluate,
)
from wushe.exceptions import EvaluationError, RubricError
from wushe.models import Dataset, Period, PurchaseContract, ServiceProject, Spending
from wushe.privacy import REVEAL
from wushe.vocab import EvaluationPhase

CONTRACT: dict[str, Any] = {
    "contract_id": "k1",
    "project_id": "p1",
    "purchaser": "渝中区民政局",
    "provider_id": "o1",
    "budget": "200000",
    "period": {"start": "2023-01-01", "end": "2023-12-31"},
    "milestones": [
        {
            "label": "签约后",
            "due_on": "2023-01-15",
            "amount": "100000",
            "paid_on": "2023-01-20",
        },
        {"label": "中期评估后", "due_on": "2023-07-15", "amount": "60000"},
        {"label": "终期评估后", "due_on": "2023-12-31", "amount": "40000"},
    ],
}


def spending(i: int, day: str, amount: str, contract: str = "k1") -> dict[str, Any]:
    return {
        "spending_id": f"x{i}",
        "contract_id": contract,
        "spent_on": day,
        "amount": amount,
    }


def world(**extra: Any) -> dict[str, Any]:
    return minimal(
        organizations=[{"organization_id": "o1", "name": "社工服务中心"}],
        projects=[
            {
                "project_id": "p1",
                "name": "项目",
                "funder": "渝中区民政局",
                "operator_id": "o1",
                "budget": "200000",
                "period": {"start": "2023-01-01", "end": "2023-12-31"},
            }
        ],
        **extra,
    )


def test_milestones_may_not_exceed_the_budget():
    more = {**CONTRACT, "budget": "150000"}
    with pytest.raises(ValidationError, match="more than the budget"):
        PurchaseContract.model_validate(more)


def test_milestones_fall_due_inside_the_contract_period():
    late = {
        **CONTRACT,
        "milestones": [{"label": "尾款", "due_on": "2024-02-01", "amount": "1"}],
    }
    with pytest.raises(ValidationError, match="outside the contract period"):
        PurchaseContract.model_validate(late)


def test_contract_and_spending_references_are_checked():
    data = world(
        contracts=[{**CONTRACT, "provider_id": "ghost"}],
        spendings=[
            spending(1, "2023-03-01", "10"),
            spending(2, "2023-03-01", "10", "nope"),
        ],
    )
    found = issues_of(data)
    assert ("contracts", "k1", "provider_id", "unknown_reference") in found
    assert ("spendings", "x2", "contract_id", "unknown_reference") in found


def test_spending_outside_the_contract_period_is_named():
    data = world(contracts=[CONTRACT], spendings=[spending(1, "2024-01-05", "10")])
    assert ("spendings", "x1", "spent_on", "outside_contract_period") in issues_of(data)


def test_budget_execution_counts_spending_up_to_the_day():
    contract = PurchaseContract.model_validate(CONTRACT)
    rows = [
        Spending.model_validate(s)
        for s in (
            spending(1, "2023-02-01", "50000"),
            spending(2, "2023-08-01", "70000"),
            spending(3, "2023-08-01", "999", "other"),
        )
    ]
    mid = budget_execution(contract, rows, as_of=date(2023, 7, 31))
    assert (mid.spent, mid.rate) == (Decimal(50000), 0.25)
    assert (mid.due, mid.paid, mid.payment_rate) == (
        Decimal(160000),
        Decimal(100000),
        0.625,
    )
    final = budget_execution(contract, rows)
    assert (final.rate, final.spending_ids) == (0.6, ("x1", "x2"))


@given(st.lists(st.integers(1, 50000), max_size=8))
def test_execution_is_the_recorded_spending_over_the_budget(amounts):
    contract = PurchaseContract.model_validate(CONTRACT)
    rows = [
        Spending.model_validate(spending(i, "2023-05-01", str(a)))
        for i, a in enumerate(amounts)
    ]
    actual = budget_actuals(contract, rows)[BUDGET_EXECUTION]
    assert actual.value == pytest.approx(sum(amounts) / 200000)
    assert actual.numerator == sum(amounts)
    assert actual.record_ids == tuple(sorted(r.spending_id for r in rows))


def test_a_zero_budget_has_no_execution():
    contract = PurchaseContract.model_validate(
        {**CONTRACT, "budget": "0", "milestones": []}
    )
    with pytest.raises(EvaluationError, match="zero budget"):
        budget_actuals(contract, [])


RUBRIC = Rubric.model_validate(
    {
        "rubric_id": "finance",
        "name": "财务评估",
        "provenance": "a one-item rubric for the test",
        "dimensions": [
            {
                "dimension_id": "finance",
                "name": "财务管理",
                "weight": 100,
                "items": [
                    {
                        "item_id": "finance.budget",
                        "name": "预算执行",
                        "kind": "target",
                        "weight": 100,
                        "indicators": [BUDGET_EXECUTION],
                    }
                ],
            }
        ],
    }
)


def test_the_budget_item_is_scored_from_spending_records():
    project = ServiceProject.model_validate(
        {
            "project_id": "p1",
            "name": "项目",
            "funder": "渝中区民政局",
            "operator_id": "o1",
            "budget": "200000",
            "period": {"start": "2023-01-01", "end": "2023-12-31"},
            "targets": [{"indicator": BUDGET_EXECUTION, "target": "0.9"}],
        }
    )
    contract = PurchaseContract.model_validate(CONTRACT)
    rows = [Spending.model_validate(spending(1, "2023-06-01", "135000"))]
    evidence = Evidence(actuals=budget_actuals(contract, rows))
    report = evaluate(project, RUBRIC, evidence)
    (item,) = report.items
    assert item.score == pytest.approx(100 * 0.675 / 0.9)
    assert item.evidence[0].record_ids == ("x1",)


def test_contracts_round_trip_and_load_from_json():
    ds = Dataset.model_validate(
        world(contracts=[CONTRACT], spendings=[spending(1, "2023-03-01", "1200.50")])
    )
    assert Dataset.model_validate_json(ds.model_dump_json(context=REVEAL)) == ds
    assert ds.contracts[0].paid() == Decimal(100000)
    assert ds.contracts[0].due(date(2023, 12, 31)) == Decimal(200000)


def test_a_period_limits_the_evidence():
    contract = PurchaseContract.model_validate(CONTRACT)
    rows = [
        Spending.model_validate(spending(1, "2023-03-01", "20000")),
        Spending.model_validate(spending(2, "2023-09-01", "20000")),
    ]
    half = Period(start=date(2023, 1, 1), end=date(2023, 6, 30))
    assert budget_actuals(contract, rows, period=half)[BUDGET_EXECUTION].value == 0.1


# -- the built-in rubric's 预算执行 item is scored from the records ---------------

DEFAULT = builtin_rubric("default_project")
PROJECT = ServiceProject.model_validate(
    {
        "project_id": "p1",
        "name": "项目",
        "funder": "渝中区民政局",
        "operator_id": "o1",
        "budget": "200000",
        "period": {"start": "2023-01-01", "end": "2023-12-31"},
    }
)
TYPED = ScoreSheet(
    evaluator_id="e1",
    role=EvaluatorRole.THIRD_PARTY,
    ratings={"finance.budget": "较差"},
)


def budget_item(report: EvaluationReport) -> ItemScore:
    return next(i for i in report.items if i.item_id == "finance.budget")


@given(st.lists(st.integers(1, 60000), max_size=6))
def test_the_budget_items_score_follows_the_spending_records(amounts):
    rows = tuple(
        Spending.model_validate(spending(i, "2023-05-01", str(a)))
        for i, a in enumerate(amounts)
    )
    evidence = Evidence(
        sheets=(TYPED,),
        contracts=(PurchaseContract.model_validate(CONTRACT),),
        spendings=rows,
    )
    item = budget_item(evaluate(PROJECT, DEFAULT, evidence))
    if not amounts:
        assert item.score == pytest.approx(6 * 0.4)  # no spending: the typed grade
        assert "no spending records" in item.note
        return
    assert item.score == pytest.approx(6 * min(sum(amounts) / 200000, 1.0))
    assert item.ratings == ()
    assert item.evidence[0].record_ids == tuple(sorted(r.spending_id for r in rows))
    assert "e1" in item.note  # the typed grade is set aside, and the report says so


def test_without_a_contract_the_evaluators_grade_scores_and_the_report_says_so():
    evidence = Evidence(sheets=(TYPED,))
    item = budget_item(evaluate(PROJECT, DEFAULT, evidence))
    assert item.score == pytest.approx(6 * 0.4)
    assert "no purchase contract for project 'p1'" in item.note
    assert [r.evaluator_id for r in item.ratings] == ["e1"]


def test_another_projects_contract_does_not_score_this_one():
    other = PurchaseContract.model_validate({**CONTRACT, "project_id": "p2"})
    rows = (Spending.model_validate(spending(1, "2023-05-01", "200000")),)
    evidence = Evidence(sheets=(TYPED,), contracts=(other,), spendings=rows)
    item = budget_item(evaluate(PROJECT, DEFAULT, evidence))
    assert item.score == pytest.approx(6 * 0.4)
    assert "no purchase contract" in item.note


def test_a_mid_term_round_expects_spending_in_step_with_time():
    rows = (Spending.model_validate(spending(1, "2023-05-01", "50000")),)
    half = Period(start=date(2023, 1, 1), end=date(2023, 7, 1))
    evidence = Evidence(
        period=half,
        contracts=(PurchaseContract.model_validate(CONTRACT),),
        spendings=(*rows, Spending.model_validate(spending(2, "2023-09-01", "90000"))),
    )
    item = budget_item(
        evaluate(PROJECT, DEFAULT, evidence, phase=EvaluationPhase.MID_TERM)
    )
    expected = ((date(2023, 7, 1) - date(2023, 1, 1)).days + 1) / 365
    assert item.score == pytest.approx(6 * min(0.25 / expected, 1.0))
    assert item.evidence[0].record_ids == ("x1",)  # September is after the round


def test_only_graded_items_take_a_budget_rule():
    with pytest.raises(RubricError, match="only graded items"):
        Item.model_validate(
            {
                "item_id": "b",
                "name": "预算执行",
                "kind": "boolean",
                "weight": 1,
                "budget_execution": {},
            }
        )
