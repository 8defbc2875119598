"""Reports a bureau official reads: Chinese labels, readable numbers, lists under their lines."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from wushe import examples
from wushe.evaluation import Evidence, builtin_rubric, evaluate, indicator_actuals
from wushe.io import (
    Section,
    district_sections,
    evaluation_section,
    load_dataset,
    load_score_sheets,
    match_section,
    sections_to_html,
    sections_to_markdown,
)
from wushe.matching import match
from wushe.network import StationNetwork

DATA = examples.path("jinniu").parent
_CODES = (
    "case_service.sessions",
    "six_haves",
    "served_person_times",
    ">good<",
    "(exact)",
)


def _jinniu_html(lang: str = "zh") -> str:
    ds = load_dataset(DATA / "jinniu.json")
    sections = district_sections(ds, StationNetwork.from_dataset(ds), lang=lang)  # type: ignore[arg-type]
    return sections_to_html(sections, title="金牛区", lang=lang)  # type: ignore[arg-type]


def test_the_chinese_report_shows_labels_not_codes_and_separates_thousands():
    page = _jinniu_html()
    for code in _CODES:
        assert code not in page
    assert "个案服务场次" in page or "个案" in page
    assert "六有" in page
    assert "25,075" in page
    assert "<svg" in page


def test_the_english_report_is_english_and_readable():
    page = _jinniu_html("en")
    assert 'lang="en"' in page
    assert "case service sessions" in page
    assert "case_service.sessions" not in page
    assert "Build standard (six haves)" in page


def test_an_explanation_line_sits_above_the_list_it_explains():
    section = Section(
        title="覆盖", lines=("以下 2 个区域尚无站点：", "- 甲", "- 乙", "说明在后")
    )
    page = sections_to_html([section])
    body = page[page.index("<h2>") :]
    assert re.search(
        r"<h2>覆盖</h2>\s*<p>以下 2 个区域尚无站点：</p>\s*<ul><li>甲</li><li>乙</li></ul>\s*<p>说明在后</p>",
        body,
    )


@given(
    st.lists(
        st.one_of(
            st.text(min_size=1, max_size=8).map(lambda s: f"- {s}"),
            st.text(min_size=1, max_size=8),
        ),
        max_size=8,
    )
)
def test_lines_keep_their_order_in_html(lines):
    page = sections_to_html([Section(title="t", lines=tuple(lines))])
    found = re.findall(r"<(?:p|li)>(.*?)</(?:p|li)>", page, re.DOTALL)
    expected = [html.escape(line.removeprefix("- ")) for line in lines]
    assert found == expected


def test_numbers_are_right_aligned_and_text_left():
    page = sections_to_html(
        [Section(title="t", tables=((("a", "b"), (("七星岗", "1,234"),)),))]
    )
    assert "<td>七星岗</td>" in page
    assert '<td class="n">1,234</td>' in page


def test_a_match_section_says_what_was_met_not_the_solver_objective():
    ds = load_dataset(DATA / "qixinggang.json")
    plan = match(ds.needs, ds, as_of=ds.as_of)
    section = match_section(len(ds.needs), plan)
    assert str(plan.objective) not in section.lines[0]
    assert section.lines[0].startswith(f"共 {len(ds.needs)} 项需求")
    assert "exact" not in sections_to_markdown([section])


def test_an_evaluation_section_shows_the_grade_label_and_the_radar():
    ds = load_dataset(DATA / "jinniu.json")
    project = next(p for p in ds.projects if p.targets)
    evidence = Evidence(
        actuals=indicator_actuals(project, ds.activities),
        sheets=load_score_sheets(DATA / "jinniu_scores.json"),
        period=project.period,
    )
    report = evaluate(project, builtin_rubric("default_project"), evidence)
    section = evaluation_section(report)
    assert report.grade is not None
    assert f"等级：{report.grade.zh}" in section.lines[0]
    assert section.figures
    assert section.figures[0].startswith("<svg")
    assert report.grade.value not in sections_to_html([section]).split("<svg")[0]
    assert "grade: " in evaluation_section(report, lang="en").lines[0]
