"""Reports render to Markdown and HTML without any personal data."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from tests.strategies import datasets
from wushe.evaluation import (
    Evidence,
    Reconciliation,
    builtin_rubric,
    evaluate,
    indicator_actuals,
    sroi,
)
from wushe.io import evaluation_to_html, evaluation_to_markdown
from wushe.models import SocialOrganization
from wushe.privacy import REVEAL

from .strategies import sheet
from .test_evaluate import FULL


@settings(max_examples=15)
@given(datasets(max_recipients=6))
def test_reports_never_contain_recipients_personal_data(ds):
    project = ds.projects[0]
    rows = [
        a.model_copy(
            update={"recipient_ids": frozenset(r.recipient_id for r in ds.recipients)}
        )
        for a in ds.activities
    ]
    evidence = Evidence(actuals=indicator_actuals(project, rows), sheets=(sheet(FULL),))
    report = evaluate(project, builtin_rubric(), evidence)
    text = evaluation_to_markdown(report) + evaluation_to_html(report) + repr(report)
    for recipient in ds.recipients:
        clear = recipient.model_dump(context=REVEAL)
        assert clear["name"] not in text
        assert clear["id_number"] not in text


def test_markdown_shows_total_grade_rectifications_and_missing():
    ratings = dict(FULL, **{"finance.budget": "差"})
    del ratings["practice.ethics"]
    report = evaluate(
        ds_free_org(), builtin_rubric(), Evidence(sheets=(sheet(ratings),))
    )
    md = evaluation_to_markdown(report)
    assert "未定级（证据不全）" in md
    assert "预算执行" in md.split("## 整改项")[1]
    assert "practice.ethics" in md.split("## 缺失证据")[1]
    english = evaluation_to_markdown(report, lang="en")
    assert "## Rectification items" in english
    assert "Budget execution" in english


def test_html_escapes_values():
    org = ds_free_org(name="<b>社工</b>")
    html = evaluation_to_html(evaluate(org, builtin_rubric(), Evidence()))
    assert "<b>社工</b>" not in html
    assert "&lt;b&gt;社工&lt;/b&gt;" in html


def test_sroi_follows_the_guide_steps():
    result = sroi(
        100_000, 50_000, deadweight=0.2, attribution=0.5, drop_off=0.5, years=3
    )
    assert result.impact_per_year == (40_000.0, 20_000.0, 10_000.0)
    assert result.ratio == 70_000 / 50_000
    discounted = sroi(100_000, 100_000, discount_rate=0.1)
    assert discounted.present_value == 100_000 / 1.1


def ds_free_org(name: str = "测试社工"):
    return SocialOrganization.model_validate({"organization_id": "o1", "name": name})


def test_chinese_report_states_the_reconciliation_rule_in_chinese():
    sheets = tuple(
        sheet({"outcomes.change": level}, evaluator=f"e{k}")
        for k, level in enumerate(["好", "一般", "差"])
    )
    report = evaluate(
        ds_free_org(),
        builtin_rubric(),
        Evidence(sheets=sheets),
        reconciliation=Reconciliation.DROP_EXTREMES,
    )
    md = evaluation_to_markdown(report)
    assert "去掉最高分和最低分（3 份评分）；去掉 e2（最低）和 e0（最高）" in md
    assert "dropped e2 (lowest) and e0 (highest)" in evaluation_to_markdown(
        report, lang="en"
    )


INJECTION = (
    "<script>alert(1)</script>\n# 标题 | [x](javascript:alert(1)) ![i](http://e/p.png)"
)


def test_markdown_shows_names_literally_and_keeps_tables_whole():
    markdown_it = pytest.importorskip("markdown_it")
    org = ds_free_org(name=INJECTION)
    report = evaluate(org, builtin_rubric(), Evidence(sheets=(sheet(FULL),)))
    md = evaluation_to_markdown(report)
    page = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    for tag in ("<script", "<a ", "<img", "<h1>标题"):
        assert tag not in page
    assert page.count("<h1>") == 1
    assert "&lt;script&gt;" in page
    plain = evaluation_to_markdown(ds_report_named("plain"))
    assert md.count("\n|") == plain.count("\n|")


def ds_report_named(name: str):
    return evaluate(
        ds_free_org(name=name), builtin_rubric(), Evidence(sheets=(sheet(FULL),))
    )


def test_html_report_escapes_script_and_links():
    page = evaluation_to_html(ds_report_named(INJECTION))
    assert "<script>" not in page
    assert 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
