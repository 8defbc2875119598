"""The radar chart as inline SVG, unscored dimensions and checklist points in reports."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from wushe.evaluation import (
    EvaluatorRole,
    Evidence,
    Rubric,
    ScoreSheet,
    builtin_rubric,
    evaluate,
)
from wushe.evaluation._evidence import Rating
from wushe.io import evaluation_to_html, evaluation_to_markdown, radar_svg
from wushe.models import SocialOrganization
from wushe.vocab import EvaluationPhase

SVG = "{http://www.w3.org/2000/svg}"
ORG = SocialOrganization.model_validate(
    {
        "organization_id": "o1",
        "name": "测试社工",
        "org_type": "social_service_institution",
    }
)


def _texts(svg: str) -> list[str]:
    return ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{SVG}text")]


def _rubric(dim_name: str = "制度建设") -> Rubric:
    return Rubric.model_validate({
        "rubric_id": "r", "name": "细则", "provenance": "test", "total": 10,
        "grade_bands": {"bands": [{"label": "良好", "min_score": 8}, {"label": "合格", "min_score": 0}]},
        "dimensions": [
            {"dimension_id": "a", "name": dim_name, "name_en": "Rules", "weight": 3, "items": [
                {"item_id": "a.c", "name": "财务制度", "kind": "checklist", "weight": 3, "sub_items": [
                    {"sub_id": "s1", "name": "专账核算", "points": 1},
                    {"sub_id": "s2", "name": "票据规范", "points": 1},
                    {"sub_id": "s3", "name": "审计", "points": 1}]}]},
            {"dimension_id": "b", "name": "服务质量", "name_en": "Quality", "weight": 7, "items": [
                {"item_id": "b.q", "name": "服务记录", "kind": "boolean", "weight": 7}]},
        ],
    })  # fmt: skip


def _sheet(**ratings: Rating) -> ScoreSheet:
    return ScoreSheet(
        evaluator_id="tp",
        role=EvaluatorRole.THIRD_PARTY,
        phase=EvaluationPhase.FINAL,
        ratings=ratings,
    )


def test_a_checklist_shows_points_earned_of_possible_not_sub_items_touched():
    partial: Rating = {"s1": Decimal(1), "s2": Decimal(0), "s3": Decimal(0)}
    report = evaluate(ORG, _rubric(), Evidence(sheets=(_sheet(**{"a.c": partial}),)))
    item = next(i for i in report.items if i.item_id == "a.c")
    assert item.score == 1
    detail = item.evidence[0].detail
    assert detail.startswith("1/3 分（1/3 子项满分）")
    assert "(33%)" in detail
    assert "3/3" not in evaluation_to_markdown(report)


def test_a_half_point_sub_item_is_not_counted_as_full():
    partial: Rating = {"s1": Decimal("0.5"), "s2": True, "s3": False}
    report = evaluate(ORG, _rubric(), Evidence(sheets=(_sheet(**{"a.c": partial}),)))
    item = next(i for i in report.items if i.item_id == "a.c")
    assert item.evidence[0].detail.startswith("1.5/3 分（1/3 子项满分）")


def test_unscored_dimensions_are_drawn_as_unscored_never_as_zero():
    report = evaluate(ORG, _rubric(), Evidence(sheets=(_sheet(**{"b.q": True}),)))
    texts = _texts(radar_svg(report))
    assert "制度建设未评分" in texts
    assert "服务质量100%" in texts
    assert not any(t.endswith("0%") and t.startswith("制度建设") for t in texts)
    page = evaluation_to_html(report)
    assert "未评分" in page
    assert '<td class="n">0%</td>' not in page
    assert "unscored" in "".join(_texts(radar_svg(report, lang="en")))


def test_the_html_evaluation_report_embeds_the_radar_as_svg():
    report = evaluate(ORG, builtin_rubric("social_organization"), Evidence())
    page = evaluation_to_html(report)
    assert page.count("<svg") == 1
    assert 'class="chart radar"' in page


def test_a_radar_of_no_dimensions_is_an_empty_chart():
    report = evaluate(ORG, _rubric(), Evidence())
    assert ET.fromstring(radar_svg(report)) is not None


@settings(max_examples=25, deadline=None)
@given(
    name=st.text(min_size=1, max_size=20).filter(
        lambda s: s.strip() and all(ord(c) >= 32 for c in s)
    )
)
def test_any_dimension_name_comes_back_as_exactly_that_text(name):
    report = evaluate(ORG, _rubric(name), Evidence(sheets=(_sheet(**{"b.q": True}),)))
    shown = report.dimensions[0].name
    assert f"{shown}未评分" in _texts(radar_svg(report))


def test_target_evidence_reads_in_chinese_with_the_indicator_name_not_its_code():
    from wushe.io._evaluation_text import _target_detail  # noqa: PLC0415

    assert _target_detail("个案服务: actual 25075 / target 24000 → 100%") == (
        "个案服务：实际 25,075 / 目标 24,000 → 100%"
    )
    assert _target_detail(
        "投诉: actual 3 / target 2 from baseline 9 (lower is better) → 86%"
    ) == ("投诉：实际 3 / 目标 2（基线 9）（越低越好） → 86%")
    assert _target_detail("something else") is None
