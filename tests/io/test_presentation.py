"""Results are plain data; ``wushe.io`` presents them, once, for every command (#14)."""

from __future__ import annotations

import io
import json

import pytest

import wushe.evaluation
from wushe import examples
from wushe.cli import main
from wushe.io import (
    explain_plan,
    match_section,
    plan_to_dict,
)
from wushe.matching import MatchPlan, ReasonCode, match

QXG = examples.path("qixinggang.json")


def _run(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), out=out) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def plan() -> MatchPlan:
    ds = examples.load("qixinggang")
    return match(ds.needs, ds, as_of=ds.as_of)


def test_plan_to_dict_is_json_with_codes_and_explanation_has_labels(plan):
    data = json.loads(json.dumps(plan_to_dict(plan)))
    codes = {r for u in data["unmatched"] for r in u["reasons"]}
    assert codes, "the example leaves some role open"
    open_need = data["unmatched"][0]["need_id"]
    for lang in ("zh", "en"):
        text = explain_plan(plan, open_need, lang=lang)
        for code in {
            r
            for u in data["unmatched"]
            if u["need_id"] == open_need
            for r in u["reasons"]
        }:
            assert ReasonCode(code).label(lang) in text
            assert code not in text


@pytest.mark.parametrize(
    ("obj", "name", "replacement"),
    [
        ("plan", "explain", "wushe.io.explain_plan"),
        ("plan", "as_dict", "wushe.io.plan_to_dict"),
        ("evaluation", "render_markdown", "wushe.io.evaluation_to_markdown"),
        ("evaluation", "render_html", "wushe.io.evaluation_to_html"),
    ],
)
def test_removed_presentation_names_say_what_to_use_instead(
    plan, obj, name, replacement
):
    target = plan if obj == "plan" else wushe.evaluation
    with pytest.raises(AttributeError, match=replacement):
        getattr(target, name)
    assert not hasattr(target, "no_such_name")


def test_match_command_prints_the_same_section_the_demo_writes(plan, tmp_path):
    ds = examples.load("qixinggang")
    section = match_section(len(ds.needs), plan, explain=("qxg-n01",), lang="zh")
    printed = _run("match", str(QXG), "--explain", "qxg-n01", "--lang", "zh")
    for line in section.lines:
        assert line in printed
    _run("demo", str(QXG), "--lang", "zh", "--out", str(tmp_path))
    report = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert section.lines[0] in report


def test_match_command_prints_labels_and_keeps_codes_for_json(plan):
    codes = {r for u in plan.unmatched for r in u.reasons}
    for lang in ("zh", "en"):
        printed = _run("match", str(QXG), "--lang", lang)
        for code in codes:
            assert code.label(lang) in printed
            assert code.value not in printed
    payload = json.loads(_run("match", str(QXG), "--json"))
    assert {r for u in payload["unmatched"] for r in u["reasons"]} == {
        c.value for c in codes
    }


def test_evaluate_and_care_commands_print_their_io_sections():
    printed = _run("evaluate", str(examples.path("jinniu.json")), "--project",
                   "jn-proj-system", "--lang", "zh")  # fmt: skip
    assert "项目评估：" in printed
    assert "证据不全，不定级，缺少：" in printed
    assert "需求评估与实施方案：尚无评估人评分" in printed  # names and words, no ids
    assert "no evaluator rated" not in printed
    printed = _run("care", str(examples.path("jinniu.json")), "--as-of", "2023-12-31",
                   "--lang", "zh")  # fmt: skip
    assert "关爱巡访与预警" in printed
