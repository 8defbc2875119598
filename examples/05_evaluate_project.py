"""Evaluate the 金牛区 social-work system project from its 2023 ledger (项目终期评估).

The district's 2023 operating contract sets targets (个案 20, 小组 300, 社区活动 900,
志愿者培训 80, 政策宣传 180, 巡访 24,000 人次, 服务 240,000 人次, 培育志愿者 600). The
actuals are counted from the activity ledger of ``wushe.examples.load("jinniu")``, budget
execution (预算执行) is computed from the purchase contract and its spending records, three
evaluators (third party, purchaser, recipients' representatives) rate the other items of
the built-in default rubric, and the final report is written as Markdown, HTML and a radar
chart to ``$WUSHE_OUTPUT_DIR`` (default ``out/``).

Run from the repository root::

    python examples/05_evaluate_project.py
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

from wushe import examples
from wushe.evaluation import (
    EvaluatorRole,
    Evidence,
    Reconciliation,
    ScoreSheet,
    builtin_rubric,
    evaluate,
    indicator_actuals,
    match_actuals,
)
from wushe.io import write_report
from wushe.matching import match
from wushe.vocab import EvaluationPhase

OUT = Path(os.environ.get("WUSHE_OUTPUT_DIR", "out"))


def sheets() -> tuple[ScoreSheet, ...]:
    """Three evaluators' final-round ratings of the items the ledger cannot measure."""
    third_party = ScoreSheet(
        evaluator_id="eval-tp-01",
        role=EvaluatorRole.THIRD_PARTY,
        weight=Decimal(2),
        phase=EvaluationPhase.FINAL,
        ratings={
            "management.plan": "好",
            "management.staffing": {
                "certified": True,
                "supervision": True,
                "stable": False,
            },
            "management.records": "较好",
            "practice.methods": "较好",
            "practice.linkage": {
                "community": True,
                "organizations": True,
                "volunteers": True,
                "charity": True,
            },
            "practice.ethics": True,
            "outcomes.change": "较好",
            "finance.budget": "较差",
            "finance.compliance": {
                "ledger": True,
                "vouchers": Decimal(1),
                "no_misuse": True,
            },
            "satisfaction.recipients": "好",
            "satisfaction.stakeholders": "较好",
        },
    )
    purchaser = ScoreSheet(
        evaluator_id="eval-mzj-01",
        role=EvaluatorRole.PURCHASER,
        phase=EvaluationPhase.FINAL,
        ratings={
            "management.plan": "较好",
            "management.records": "好",
            "practice.methods": "好",
            "outcomes.change": "好",
            "finance.budget": "一般",
            "satisfaction.stakeholders": "好",
        },
    )
    recipients = ScoreSheet(
        evaluator_id="eval-rep-01",
        role=EvaluatorRole.RECIPIENT,
        phase=EvaluationPhase.FINAL,
        ratings={"satisfaction.recipients": "较好", "outcomes.change": "好"},
    )
    return third_party, purchaser, recipients


def main() -> None:
    dataset = examples.load("jinniu")
    project = next(p for p in dataset.projects if p.project_id == "jn-proj-system")
    actuals = indicator_actuals(project, dataset.activities)
    # Outcomes of matching travel the same way; they are evidence, not contract targets,
    # so the default rubric does not score them here.
    plan = match(dataset.needs, dataset)
    actuals |= match_actuals(plan, period=project.period)
    # The contract and its spending records score 预算执行; the evaluators' typed grades
    # for it are set aside, and the item's note says so.
    evidence = Evidence(
        actuals=actuals,
        sheets=sheets(),
        period=project.period,
        contracts=dataset.contracts,
        spendings=dataset.spendings,
    )
    report = evaluate(
        project,
        builtin_rubric("default_project"),
        evidence,
        phase=EvaluationPhase.FINAL,
        reconciliation=Reconciliation.WEIGHTED_MEAN,
    )

    print(f"{report.subject_name} — {report.phase.zh}（{report.rubric_name}）")
    print("\n指标完成情况（来自活动台账）:")
    for target in project.targets:
        actual = actuals[target.indicator]
        print(
            f"  {target.name:<8} 目标 {target.target:>8,} {target.unit:<2}"
            f"  实际 {actual.value:>9,.0f}  ({len(actual.record_ids)} 条台账)"
        )
    met, total = actuals["needs.met"].value, actuals["needs.total"].value
    print(
        f"  匹配成效   {met:,.0f} / {total:,.0f} 项需求完全满足（来自匹配方案，不计分）"
    )
    budget = next(
        i for d in report.dimensions for i in d.items if i.item_id == "finance.budget"
    )
    (use,) = budget.evidence
    print(
        f"  预算执行   {use.detail}（{len(use.record_ids)} 条支出记录，合同 {use.reference}）"
    )
    print("\n维度得分:")
    for dim in report.dimensions:
        print(f"  {dim.name:<6} {dim.score:6.2f} / {dim.weight:g}")
    grade = report.grade.zh if report.grade else "未定级"
    print(f"\n总分 {report.total:.2f} / {report.max_total:g}  等级: {grade}")
    for item in report.rectifications:
        print(f"整改: {item.name} — {item.reason}")
    for evaluator in report.evaluators:
        print(
            f"评估人 {evaluator.evaluator_id} ({evaluator.role.zh}): "
            f"{evaluator.share:.0%} of the items they rated"
        )
    paths = write_report(report, OUT, stem="jinniu-final", chart=True)
    print("\nwritten:", ", ".join(str(path) for path in paths))


if __name__ == "__main__":
    main()
