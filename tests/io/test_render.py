from __future__ import annotations

import json

import pytest

from wushe import examples
from wushe.io import (
    district_sections,
    load_dataset,
    sections_to_html,
    sections_to_markdown,
)
from wushe.models import Dataset
from wushe.network import StationNetwork

DATA = examples.path("jinniu").parent


def test_jinniu_report_reproduces_the_published_totals_and_holds_no_names():
    ds = load_dataset(DATA / "jinniu.json")
    sections = district_sections(ds, StationNetwork.from_dataset(ds), lang="zh")
    text = sections_to_markdown(sections, title="金牛区")
    total_row = next(line for line in text.splitlines() if "（合计）" in line)
    assert total_row.split(" | ")[1:] == [
        "21",
        "312",
        "918",
        "84",
        "186",
        "25075",
        "241575 |",
    ]
    assert "| 乡镇（街道）社工站 | 13 | 13 | 0 | 100% |" in text
    assert "| 村（社区）社工室 | 90 | 90 | 0 | 100% |" in text
    for person in ds.recipients[:50]:
        assert person.name.reveal() not in text


def test_planned_stations_show_as_gaps_and_html_escapes_cells():
    ds = load_dataset(DATA / "wengan.json")
    sections = district_sections(ds, StationNetwork.from_dataset(ds), lang="en")
    markdown = sections_to_markdown(sections)
    assert "| township | 12 | 0 | 12 | 0% |" in markdown
    page = sections_to_html(sections, title="<瓮安县>", lang="en")
    assert "&lt;瓮安县&gt;" in page
    assert page.startswith("<!DOCTYPE html>")


EVIL = (
    "<script>alert(1)</script>\n# 标题 | [x](javascript:alert(1)) ![i](http://e/p.png)"
)


def _named(evil: str):
    data = json.loads((DATA / "qixinggang.json").read_text(encoding="utf-8"))
    data["name"] = evil
    for record in data["stations"] + data["communities"]:
        record["name"] = evil + record.get("station_id", record.get("community_id", ""))
    ds = Dataset.model_validate(data)
    return district_sections(ds, StationNetwork.from_dataset(ds), lang="zh")


def test_markdown_report_shows_names_literally_and_keeps_every_row():
    markdown_it = pytest.importorskip("markdown_it")
    md = markdown_it.MarkdownIt("commonmark").enable("table")
    evil = sections_to_markdown(_named(EVIL), title=EVIL)
    plain = sections_to_markdown(_named("名称"), title="名称")
    page = md.render(evil)
    for tag in ("<script", "<a ", "<img", "<h1>标题", "<h2>标题"):
        assert tag not in page
    assert page.count("<tr>") == md.render(plain).count("<tr>")
    assert page.count("<h1>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_html_report_escapes_names():
    page = sections_to_html(_named(EVIL), title=EVIL)
    assert "<script>" not in page
    assert 'href="javascript' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
