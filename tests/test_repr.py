"""Reprs of datasets and engine results are short summaries without personal data.

A district's records printed in full ran to 1.7 million characters (the plan to 160,000);
a repr, as in pandas and networkx, names the thing and counts it.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

import pytest
from hypothesis import given

from wushe import examples
from wushe.care import plan_visits
from wushe.evaluation import Evidence, builtin_rubric, evaluate, indicator_actuals
from wushe.io import load_report, load_score_sheets
from wushe.matching import build_candidates, match
from wushe.models import COLLECTIONS, Dataset, Period
from wushe.network import StationNetwork
from wushe.scale import MonthlyRun, MonthlyTotals, monthly_facts

from .strategies import datasets

# A name and one count per collection: nothing grows with the records.
LIMIT = 120 + 24 * len(COLLECTIONS)


@cache
def _jinniu_results() -> dict[str, Any]:
    ds = examples.load("jinniu")
    network = StationNetwork.from_dataset(ds)
    project = next(p for p in ds.projects if p.targets)
    evidence = Evidence(
        actuals=indicator_actuals(project, ds.activities),
        sheets=load_score_sheets(examples.path("jinniu_scores.json")),
        period=project.period,
    )
    december = Period(start=date(2023, 12, 1), end=date(2023, 12, 31))
    return {
        "Dataset": ds,
        "LoadReport": load_report(examples.path("jinniu")),
        "MatchPlan": match(ds.needs, ds, network=network, as_of=ds.as_of),
        "EvaluationReport": evaluate(
            project, builtin_rubric("default_project"), evidence
        ),
        "Coverage": network.coverage(),
        "Compliance": network.compliance(),
        "Rollup": network.rollup(),
        "VisitPlan": plan_visits(
            ds.recipients, (), ds, period=december, as_of=date(2023, 12, 1)
        ),
        "MonthlyFacts": monthly_facts(ds, as_of=date(2023, 12, 31)),
        "CandidateGraph": build_candidates(ds.needs, ds),
        "CandidateSet": build_candidates(ds.needs, ds).sets[0],
    }


def _personal_values(ds: Dataset) -> list[str]:
    values: list[str] = []
    for person in ds.recipients:
        values.append(person.name.reveal())
        for field in (person.id_number, person.phone, person.address):
            if field is not None:
                values.append(str(field.reveal()))
    values += [w.name.reveal() for w in ds.workers]
    values += [v.name.reveal() for v in ds.volunteers]
    return values


@pytest.mark.parametrize(
    "kind",
    [
        "Dataset",
        "LoadReport",
        "MatchPlan",
        "EvaluationReport",
        "Coverage",
        "Compliance",
        "Rollup",
        "VisitPlan",
        "MonthlyFacts",
        "CandidateGraph",
        "CandidateSet",
    ],
)
def test_repr_of_a_district_result_is_a_short_summary_naming_its_type(kind):
    value = _jinniu_results()[kind]
    text = repr(value)
    assert len(text) <= LIMIT, text
    assert text.startswith(f"<{kind} ")
    assert str(value) == text


def test_no_resident_worker_or_volunteer_detail_appears_in_any_repr():
    results = _jinniu_results()
    text = "\n".join(repr(value) for value in results.values())
    ds = results["Dataset"]
    for value in _personal_values(ds):
        assert value not in text
    for person in ds.recipients:
        assert person.recipient_id not in text


def test_dataset_repr_counts_every_non_empty_collection():
    ds = _jinniu_results()["Dataset"]
    text = repr(ds)
    assert "成都市金牛区 (510106)" in text
    assert "recipients=2090" in text
    assert "stations=104" in text


def test_plan_repr_counts_assignments_and_open_roles():
    plan = _jinniu_results()["MatchPlan"]
    text = repr(plan)
    assert f"{len(plan.assignments)} assignments" in text
    assert f"{len(plan.unmatched)} open roles" in text


def test_a_national_run_repr_counts_its_partitions_instead_of_listing_them():
    counties = tuple(f"{k:06d}" for k in range(3000))
    totals = MonthlyTotals(month="2023-12", partitions=counties)
    run = MonthlyRun(
        totals=totals,
        completed=counties,
        recomputed=counties[:5],
        failed=(),
        seconds=2.0,
    )
    assert repr(run) == (
        "<MonthlyRun 2023-12: 3000 completed (5 recomputed), 0 failed, 2.0 s>"
    )
    assert len(repr(totals)) <= LIMIT


@given(datasets())
def test_dataset_repr_does_not_grow_with_its_records_nor_show_a_person(ds):
    text = repr(ds)
    # The name, the code, the date and one count per collection: nothing per record.
    assert len(text) <= 60 + len(ds.name) + 24 * len(COLLECTIONS)
    for value in _personal_values(ds):
        assert value not in text
    for person in ds.recipients:
        assert person.recipient_id not in text
