"""evaluate(): sums, weight shares, missing evidence, reconciliation, rounds, ranking."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wushe.evaluation import (
    EvaluatorRole,
    Evidence,
    ItemKind,
    Reconciliation,
    Rubric,
    ScoreSheet,
    builtin_rubric,
    compare_reports,
    evaluate,
    outcome_actuals,
)
from wushe.evaluation._rubric import DEFAULT_LEVELS
from wushe.exceptions import EvaluationError, RubricError
from wushe.models import Period, ServiceProject, SocialOrganization
from wushe.vocab import EvaluationPhase, Grade

from .strategies import ratings_for, rubrics, sheet

ORG = SocialOrganization.model_validate({"organization_id": "o1", "name": "测试社工"})


def project(**targets: int) -> ServiceProject:
    return ServiceProject.model_validate(
        {
            "project_id": "p1",
            "name": "测试项目",
            "funder": "区民政局",
            "operator_id": "o1",
            "budget": 100000,
            "period": {"start": "2023-01-01", "end": "2023-12-31"},
            "targets": [
                {"indicator": name.replace("__", "."), "target": value}
                for name, value in targets.items()
            ],
        }
    )


FULL = {
    "management.plan": "好",
    "management.staffing": {"certified": True, "supervision": True, "stable": True},
    "management.records": "好",
    "practice.methods": "好",
    "practice.linkage": {
        "community": True,
        "organizations": True,
        "volunteers": True,
        "charity": True,
    },
    "practice.ethics": True,
    "outcomes.change": "好",
    "finance.budget": "好",
    "finance.compliance": {"ledger": True, "vouchers": True, "no_misuse": True},
    "satisfaction.recipients": "好",
    "satisfaction.stakeholders": "好",
}


def full_evidence(**actuals: float) -> Evidence:
    values = {name.replace("__", "."): v for name, v in actuals.items()}
    return Evidence(
        actuals=outcome_actuals(values, source="test"), sheets=(sheet(FULL),)
    )


@given(rubrics().flatmap(lambda r: st.tuples(st.just(r), ratings_for(r))))
def test_total_is_the_weighted_sum_of_dimension_scores(case):
    rubric, ratings = case
    report = evaluate(ORG, rubric, Evidence(sheets=(sheet(ratings),)))
    assert report.total == pytest.approx(
        sum(d.weight * d.share for d in report.dimensions)
    )
    for dim in report.dimensions:
        assert dim.score == pytest.approx(sum(i.score or 0 for i in dim.items))
    assert report.is_complete
    assert report.grade == rubric.grade_bands.grade_for(report.total)


@given(rubrics(normalise=True).flatmap(lambda r: st.tuples(st.just(r), ratings_for(r))))
def test_normalised_rubric_scores_out_of_its_total_and_says_so(case):
    rubric, ratings = case
    report = evaluate(ORG, rubric, Evidence(sheets=(sheet(ratings),)))
    assert report.normalised
    assert sum(d.weight for d in report.dimensions) == pytest.approx(100)
    assert 0 <= report.total <= 100 + 1e-9


@given(
    rubrics().flatmap(lambda r: st.tuples(st.just(r), ratings_for(r))),
    st.data(),
)
def test_changing_one_rating_moves_the_total_by_exactly_its_weight_share(case, data):
    rubric, ratings = case
    item = data.draw(st.sampled_from([i for d in rubric.dimensions for i in d.items]))
    before = evaluate(ORG, rubric, Evidence(sheets=(sheet(ratings),)))
    changed = dict(ratings)
    if item.kind is ItemKind.BOOLEAN:
        changed[item.item_id] = not ratings[item.item_id]
    elif item.kind is ItemKind.GRADED:
        changed[item.item_id] = "差"
    else:
        changed[item.item_id] = {sub.sub_id: False for sub in item.sub_items}
    after = evaluate(ORG, rubric, Evidence(sheets=(sheet(changed),)))
    old = next(i for i in before.items if i.item_id == item.item_id)
    new = next(i for i in after.items if i.item_id == item.item_id)
    assert old.share is not None
    assert new.share is not None
    assert after.total - before.total == pytest.approx(
        float(item.weight) * (new.share - old.share)
    )


def test_missing_rating_is_reported_never_scored_zero():
    ratings = {k: v for k, v in FULL.items() if k != "finance.budget"}
    report = evaluate(ORG, builtin_rubric(), Evidence(sheets=(sheet(ratings),)))
    item = next(i for i in report.items if i.item_id == "finance.budget")
    assert item.score is None
    assert [m.item_id for m in report.missing] == ["outcomes.targets", "finance.budget"]
    assert report.grade is None
    assert not report.is_complete


def test_missing_actual_is_reported_for_the_target_item():
    report = evaluate(
        project(case_service__sessions=20, needs__met=100),
        builtin_rubric(),
        full_evidence(case_service__sessions=20),
    )
    assert [(m.item_id, m.missing) for m in report.missing] == [
        ("outcomes.targets", "needs.met")
    ]
    assert report.grade is None


def test_perfect_evidence_scores_full_marks_and_excellent():
    report = evaluate(
        project(case_service__sessions=20, needs__met=100),
        builtin_rubric(),
        full_evidence(case_service__sessions=25, needs__met=100),
    )
    assert report.total == pytest.approx(100)
    assert report.grade is Grade.EXCELLENT
    assert not report.rectifications


def test_attainment_is_capped_and_averaged_over_targets():
    report = evaluate(
        project(case_service__sessions=20, group_activity__sessions=300),
        builtin_rubric(),
        full_evidence(case_service__sessions=40, group_activity__sessions=30),
    )
    item = next(i for i in report.items if i.item_id == "outcomes.targets")
    assert item.share == pytest.approx((1.0 + 0.1) / 2)
    assert {use.reference for use in item.evidence} == {
        "case_service.sessions",
        "group_activity.sessions",
    }
    assert [r.item_id for r in report.rectifications] == ["outcomes.targets"]
    assert "group_activity.sessions" in report.rectifications[0].reason


def test_lower_is_better_targets_are_inverted():
    proj = ServiceProject.model_validate(
        {
            **project().model_dump(),
            "targets": [
                {
                    "indicator": "custom.complaints",
                    "target": 5,
                    "higher_is_better": False,
                }
            ],
        }
    )
    report = evaluate(proj, builtin_rubric(), full_evidence(custom__complaints=10))
    item = next(i for i in report.items if i.item_id == "outcomes.targets")
    assert item.share == pytest.approx(0.5)


def test_mid_term_prorates_targets_to_the_evidence_period():
    evidence = attrs.evolve(
        full_evidence(group_activity__sessions=150),
        period=Period(start=date(2023, 1, 1), end=date(2023, 7, 2)),
    )
    proj = project(group_activity__sessions=300)
    mid = evaluate(proj, builtin_rubric(), evidence, phase=EvaluationPhase.MID_TERM)
    final = evaluate(proj, builtin_rubric(), evidence)
    mid_item = next(i for i in mid.items if i.item_id == "outcomes.targets")
    final_item = next(i for i in final.items if i.item_id == "outcomes.targets")
    assert mid_item.share == pytest.approx(150 / (300 * 183 / 365))
    assert final_item.share == pytest.approx(0.5)
    assert "pro-rated" in mid_item.note


def test_mid_term_without_a_period_is_an_error():
    with pytest.raises(EvaluationError, match=r"evidence.period"):
        evaluate(
            project(group_activity__sessions=300),
            builtin_rubric(),
            full_evidence(group_activity__sessions=1),
            phase=EvaluationPhase.MID_TERM,
        )


def test_only_sheets_of_the_round_are_used():
    mid = ScoreSheet(
        evaluator_id="mid",
        role=EvaluatorRole.THIRD_PARTY,
        phase=EvaluationPhase.MID_TERM,
        ratings={"practice.ethics": False},
    )
    final = ScoreSheet(
        evaluator_id="final",
        role=EvaluatorRole.THIRD_PARTY,
        phase=EvaluationPhase.FINAL,
        ratings={"practice.ethics": True},
    )
    report = evaluate(ORG, builtin_rubric(), Evidence(sheets=(mid, final)))
    item = next(i for i in report.items if i.item_id == "practice.ethics")
    assert [r.evaluator_id for r in item.ratings] == ["final"]
    assert item.share == 1.0


def _three(shares: list[str], weights: list[int]) -> tuple[ScoreSheet, ...]:
    return tuple(
        ScoreSheet(
            evaluator_id=f"e{k}",
            role=EvaluatorRole.EXPERT,
            weight=Decimal(w),
            ratings={"outcomes.change": level},
        )
        for k, (level, w) in enumerate(zip(shares, weights, strict=True))
    )


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        (Reconciliation.WEIGHTED_MEAN, (1.0 * 2 + 0.6 + 0.0) / 4),
        (Reconciliation.MEDIAN, 0.6),
        (Reconciliation.DROP_EXTREMES, 0.6),
    ],
)
def test_reconciliation_rules(how, expected):
    sheets = _three(["好", "一般", "差"], [2, 1, 1])
    report = evaluate(
        ORG, builtin_rubric(), Evidence(sheets=sheets), reconciliation=how
    )
    item = next(i for i in report.items if i.item_id == "outcomes.change")
    assert item.share == pytest.approx(expected)
    assert len(item.ratings) == 3
    assert item.dropped == (("e2", "e0") if how is Reconciliation.DROP_EXTREMES else ())


def test_drop_extremes_with_two_ratings_drops_nothing_and_says_so():
    sheets = _three(["好", "差"], [1, 1])
    report = evaluate(
        ORG,
        builtin_rubric(),
        Evidence(sheets=sheets),
        reconciliation=Reconciliation.DROP_EXTREMES,
    )
    item = next(i for i in report.items if i.item_id == "outcomes.change")
    assert item.share == pytest.approx(0.5)
    assert "nothing dropped" in item.note


def test_evaluator_totals_cover_only_the_items_they_rated():
    sheets = _three(["好", "一般"], [1, 1])
    report = evaluate(ORG, builtin_rubric(), Evidence(sheets=sheets))
    assert [(e.evaluator_id, e.share) for e in report.evaluators] == [
        ("e0", 1.0),
        ("e1", 0.6),
    ]


@pytest.mark.parametrize(
    ("ratings", "message"),
    [
        ({"outcomes.nothing": "好"}, "outcomes.nothing"),
        ({"outcomes.targets": "好"}, "target items are computed"),
        ({"practice.ethics": "好"}, "true or false"),
        ({"outcomes.change": "优"}, "level '优'"),
        ({"finance.compliance": {"ledger": True}}, "unrated"),
        (
            {
                "finance.compliance": {
                    "ledger": Decimal(5),
                    "vouchers": True,
                    "no_misuse": True,
                }
            },
            "at most 3",
        ),
    ],
)
def test_bad_ratings_are_rejected_naming_evaluator_and_item(ratings, message):
    with pytest.raises(EvaluationError, match=message) as info:
        evaluate(ORG, builtin_rubric(), Evidence(sheets=(sheet(ratings, "ev-9"),)))
    assert "ev-9" in str(info.value)


def test_two_sheets_from_one_evaluator_are_rejected():
    with pytest.raises(EvaluationError, match=r"two sheets"):
        evaluate(ORG, builtin_rubric(), Evidence(sheets=(sheet({}), sheet({}))))


def test_target_item_naming_an_uncontracted_indicator_is_a_rubric_error():
    raw = builtin_rubric().model_dump(mode="json")
    raw["dimensions"][2]["items"][0]["indicators"] = ["care_visit.person_times"]
    rubric = Rubric.model_validate(raw)
    with pytest.raises(RubricError, match=r"outcomes.targets.*care_visit.person_times"):
        evaluate(project(case_service__sessions=3), rubric, full_evidence())


def test_checklist_points_count_partially():
    ratings = {
        "finance.compliance": {
            "ledger": Decimal("1.5"),
            "vouchers": True,
            "no_misuse": False,
        }
    }
    report = evaluate(ORG, builtin_rubric(), Evidence(sheets=(sheet(ratings),)))
    item = next(i for i in report.items if i.item_id == "finance.compliance")
    assert item.score == pytest.approx(4.5)


def _report(subject_id: str, level: str):
    org = SocialOrganization.model_validate(
        {"organization_id": subject_id, "name": subject_id}
    )
    ratings = {k: (level if isinstance(v, str) else v) for k, v in FULL.items()}
    evidence = Evidence(
        actuals=outcome_actuals({"needs.met": 1}),
        sheets=(sheet(ratings),),
    )
    proj = project(needs__met=1).model_copy(
        update={"project_id": subject_id, "name": subject_id}
    )
    return evaluate(proj if subject_id != "org" else org, builtin_rubric(), evidence)


def test_compare_ranks_best_first_with_shared_ranks_for_ties():
    reports = [
        _report("b", "较好"),
        _report("a", "好"),
        _report("c", "较好"),
        _report("d", "差"),
    ]
    rows = compare_reports(reports)
    assert [(r.subject_id, r.rank) for r in rows] == [
        ("a", 1),
        ("b", 2),
        ("c", 2),
        ("d", 4),
    ]
    assert rows[0].gap_to_top == 0
    assert rows[1].gap_to_top is not None
    assert rows[1].gap_to_top > 0


def test_compare_puts_incomplete_reports_last_without_rank():
    incomplete = evaluate(ORG, builtin_rubric(), Evidence())
    rows = compare_reports([incomplete, _report("a", "好")])
    assert [(r.subject_id, r.rank) for r in rows] == [("a", 1), ("o1", None)]
    assert rows[1].gap_to_top is None


def test_compare_refuses_reports_on_different_rubrics():
    other = evaluate(ORG, builtin_rubric("social_organization"), Evidence())
    with pytest.raises(EvaluationError, match=r"different rubrics"):
        compare_reports([_report("a", "好"), other])


# --- #13: eligibility gates of the organisation rubric ---

ORG_RUBRIC = builtin_rubric("social_organization")
GATES = [g.gate_id for g in ORG_RUBRIC.gates]
ALL_MET = dict.fromkeys(GATES, True)


def org_sheet() -> ScoreSheet:
    """Full marks on every rated item of the organisation rubric."""
    best: dict[str, object] = {}
    for item in (i for d in ORG_RUBRIC.dimensions for i in d.items):
        if item.kind is ItemKind.BOOLEAN:
            best[item.item_id] = True
        elif item.kind is ItemKind.GRADED:
            best[item.item_id] = (item.levels or DEFAULT_LEVELS)[0].label
        else:
            best[item.item_id] = {sub.sub_id: True for sub in item.sub_items}
    return sheet(best)


def test_organisation_rubric_holds_eligibility_as_gates_not_points():
    assert set(GATES) == {"registered_two_years", "annual_inspection", "no_penalty"}
    items = {i.item_id for d in ORG_RUBRIC.dimensions for i in d.items}
    subs = {
        s.sub_id for d in ORG_RUBRIC.dimensions for i in d.items for s in i.sub_items
    }
    assert not (set(GATES) & (items | subs))
    assert sum(d.weight for d in ORG_RUBRIC.dimensions) == ORG_RUBRIC.total


@given(st.fixed_dictionaries({g: st.booleans() for g in GATES}))
def test_failing_any_gate_means_not_evaluated_whatever_the_scores(answers):
    report = evaluate(ORG, ORG_RUBRIC, Evidence(gates=answers, sheets=(org_sheet(),)))
    failed = tuple(g for g in GATES if not answers[g])
    assert report.failed_gates == failed
    assert report.is_eligible is (not failed)
    if failed:
        assert report.grade is None
        assert report.dimensions == ()
        assert report.total == 0
        assert not report.is_complete
    else:
        assert report.grade is not None
        assert report.total == float(ORG_RUBRIC.total)


def test_unanswered_gate_is_missing_evidence_and_withholds_the_grade():
    answers = dict.fromkeys(GATES[1:], True)
    report = evaluate(ORG, ORG_RUBRIC, Evidence(gates=answers, sheets=(org_sheet(),)))
    assert report.grade is None
    assert [m.item_id for m in report.missing] == [GATES[0]]
    assert report.is_eligible


def test_answer_to_a_gate_the_rubric_lacks_is_an_error():
    with pytest.raises(EvaluationError, match="registered_two_years"):
        evaluate(
            ORG,
            builtin_rubric("default_project"),
            Evidence(gates={"registered_two_years": True}),
        )


def test_ineligible_report_is_ranked_last_without_a_rank():
    good = evaluate(ORG, ORG_RUBRIC, Evidence(gates=ALL_MET, sheets=(org_sheet(),)))
    other = SocialOrganization.model_validate(
        {"organization_id": "o0", "name": "新社工"}
    )
    young = evaluate(
        other,
        ORG_RUBRIC,
        Evidence(gates={**ALL_MET, "registered_two_years": False}),
    )
    ranks = compare_reports([young, good])
    assert [(r.subject_id, r.rank) for r in ranks] == [("o1", 1), ("o0", None)]


def test_repeated_gate_ids_are_a_rubric_error():
    raw = ORG_RUBRIC.model_dump(mode="json")
    raw["gates"].append(raw["gates"][0])
    with pytest.raises(RubricError, match="gate ids repeat"):
        Rubric.model_validate(raw)
