"""Rubric files load from YAML and JSON; reports are written as Markdown, HTML and PNG."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.evaluation.strategies import ratings_for, rubrics, sheet
from wushe import examples
from wushe.evaluation import (
    Evidence,
    builtin_rubric,
    evaluate,
    indicator_actuals,
    outcome_actuals,
)
from wushe.exceptions import RubricError
from wushe.io import (
    evaluation_from_dict,
    evaluation_to_dict,
    load_dataset,
    load_rubric,
    write_report,
)
from wushe.models import SocialOrganization
from wushe.vocab import EvaluationPhase

ORG = SocialOrganization.model_validate({"organization_id": "o1", "name": "社工"})


def test_yaml_and_json_rubric_files_load_to_the_same_rubric(tmp_path):
    rubric = builtin_rubric()
    (tmp_path / "r.yaml").write_text(rubric.to_yaml_text(), encoding="utf-8")
    (tmp_path / "r.json").write_text(rubric.model_dump_json(), encoding="utf-8")
    assert load_rubric(tmp_path / "r.yaml") == rubric
    assert load_rubric(tmp_path / "r.json") == rubric


def test_example_station_review_rubric_loads():
    rubric = load_rubric(examples.path("rubric_station_review.yaml"))
    assert rubric.grade_bands.bands[3].label.zh == "基本合格"


def test_bad_rubric_file_names_the_item(tmp_path):
    text = builtin_rubric().to_yaml_text().replace("weight: 7", "weight: -7")
    (tmp_path / "bad.yml").write_text(text, encoding="utf-8")
    with pytest.raises(RubricError, match=r"practice.ethics"):
        load_rubric(tmp_path / "bad.yml")


def test_write_report_writes_markdown_html_and_chart(tmp_path):
    org = SocialOrganization.model_validate({"organization_id": "o1", "name": "社工"})
    report = evaluate(org, builtin_rubric(), Evidence())
    paths = write_report(report, tmp_path / "out", chart=True)
    assert [p.name for p in paths] == [
        "o1-final.md",
        "o1-final.html",
        "o1-final.json",
        "o1-final.png",
    ]
    assert all(p.stat().st_size > 0 for p in paths)


@given(rubrics().flatmap(lambda r: st.tuples(st.just(r), ratings_for(r))))
def test_report_round_trips_through_json(case):
    rubric, ratings = case
    report = evaluate(ORG, rubric, Evidence(sheets=(sheet(ratings),)))
    text = json.dumps(evaluation_to_dict(report), ensure_ascii=False)
    assert evaluation_from_dict(json.loads(text)) == report


def test_ledger_based_report_with_missing_evidence_round_trips():
    ds = load_dataset(examples.path("jinniu.json"))
    project = ds.projects[0]

    evidence = Evidence(
        actuals=indicator_actuals(project, ds.activities)
        | outcome_actuals({"needs.met": 1}),
        period=project.period,
    )
    report = evaluate(
        project, builtin_rubric(), evidence, phase=EvaluationPhase.MID_TERM
    )
    assert report.missing
    assert (
        evaluation_from_dict(json.loads(json.dumps(evaluation_to_dict(report))))
        == report
    )
    org_report = evaluate(ORG, builtin_rubric("social_organization"), Evidence())
    assert evaluation_from_dict(evaluation_to_dict(org_report)) == org_report
