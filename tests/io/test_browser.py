"""The HTML reports as a real browser renders them: headless Chromium at 1280 px."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from wushe import examples
from wushe.cli import main
from wushe.evaluation import (
    Evidence,
    builtin_rubric,
    evaluate,
    indicator_actuals,
    render_html,
)
from wushe.io import (
    district_sections,
    load_dataset,
    load_score_sheets,
    sections_to_html,
)
from wushe.network import StationNetwork

DATA = examples.path("jinniu").parent
_PROBE = (
    "<script>(function(){var d=document.documentElement;"
    "document.body.setAttribute('data-fits',String(d.scrollWidth<=window.innerWidth));"
    "document.body.setAttribute('data-width',d.scrollWidth+'/'+window.innerWidth);"
    "document.body.setAttribute('data-svg-text',"
    "String(document.querySelectorAll('svg text').length));})();</script>"
)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("WUSHE_REQUIRE_BROWSER") == "1":
        pytest.fail(
            "headless Chromium is required (WUSHE_REQUIRE_BROWSER=1) but not installed; "
            "run `make browser` as root or `apt-get install chromium`"
        )
    pytest.skip("chromium is not installed; `make browser` installs it")


def _run(page: Path, profile: Path, *args: str) -> str:
    command = [
        _chromium(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", f"--user-data-dir={profile}", "--window-size=1280,900",
        *args, page.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _facts(html: str, tmp_path: Path, name: str) -> dict[str, str]:
    """Render a probed copy of the page and read what the probe wrote into the DOM."""
    probed = tmp_path / f"{name}-probe.html"
    probed.write_text(html.replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    dom = _run(probed, tmp_path / "profile", "--dump-dom")
    body = re.search(r"<body([^>]*)>", dom)
    assert body is not None, dom[:500]
    facts = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(1)))
    facts["dom"] = dom
    return facts


def _district_html(name: str) -> str:
    ds = load_dataset(DATA / f"{name}.json")
    sections = district_sections(ds, StationNetwork.from_dataset(ds), lang="zh")
    return sections_to_html(sections, title=f"{ds.name}社会工作服务体系报告")


def _evaluation_html() -> str:
    ds = load_dataset(DATA / "jinniu.json")
    project = next(p for p in ds.projects if p.targets)
    evidence = Evidence(
        actuals=indicator_actuals(project, ds.activities),
        sheets=load_score_sheets(DATA / "jinniu_scores.json"),
        period=project.period,
    )
    return render_html(evaluate(project, builtin_rubric("default_project"), evidence))


@pytest.mark.parametrize("name", ["qixinggang", "jinniu"])
def test_the_district_report_fits_1280_px_and_draws_chinese_svg_text(name, tmp_path):
    facts = _facts(_district_html(name), tmp_path, name)
    assert facts["fits"] == "true", facts["width"]
    assert int(facts["svg-text"]) > 5
    assert "覆盖情况" in facts["dom"]
    assert "<svg" in facts["dom"]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder ``wushe demo`` writes for 金牛区: report.html and evaluation.html."""
    folder = tmp_path_factory.mktemp("demo")
    code = main(
        ["demo", str(DATA / "jinniu.json"), "--out", str(folder), "--lang", "zh"],
        out=io.StringIO(),
    )
    assert code == 0
    return folder


@pytest.mark.parametrize("page", ["report.html", "evaluation.html"])
def test_the_demo_pages_fit_1280_px_and_show_labels_not_codes(
    page, demo_folder, tmp_path
):
    text = (demo_folder / page).read_text(encoding="utf-8")
    facts = _facts(text, tmp_path, page)
    assert facts["fits"] == "true", facts["width"]
    assert int(facts["svg-text"]) >= 5
    for code in (
        "case_service.sessions",
        "six_haves",
        "(exact)",
        ">good<",
        ">excellent<",
    ):
        assert code not in facts["dom"]
    assert "优秀" in facts["dom"]


def test_the_evaluation_report_fits_1280_px_and_embeds_the_radar(tmp_path):
    facts = _facts(_evaluation_html(), tmp_path, "evaluation")
    assert facts["fits"] == "true", facts["width"]
    assert int(facts["svg-text"]) >= 3
    assert "评估报告" in facts["dom"]
    assert 'class="chart radar"' in facts["dom"]


def test_the_probe_notices_a_page_that_overflows(tmp_path):
    wide = "<!DOCTYPE html><html><body><table><tr><td style='white-space:nowrap'>"
    wide += "宽" * 400 + "</td></tr></table></body></html>"
    facts = _facts(wide, tmp_path, "wide")
    assert facts["fits"] == "false", facts["width"]


def test_a_screenshot_of_the_report_is_a_1280_px_png(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(_district_html("qixinggang"), encoding="utf-8")
    shot = tmp_path / "report.png"
    _run(page, tmp_path / "profile", f"--screenshot={shot}")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = (
        int.from_bytes(data[16:20], "big"),
        int.from_bytes(data[20:24], "big"),
    )
    assert (width, height) == (1280, 900)
    keep = os.environ.get("WUSHE_SCREENSHOT_DIR")
    if keep:
        shutil.copy(shot, Path(keep) / "report.png")
