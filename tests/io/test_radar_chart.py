"""The radar chart PNG says which labels it used and draws names as typed (雷达图)."""

from __future__ import annotations

import pytest

from tests.evaluation.strategies import sheet
from tests.evaluation.test_evaluate import FULL
from wushe.evaluation import Evidence, builtin_rubric, evaluate
from wushe.io import _radar as plot_module
from wushe.io import radar_chart
from wushe.models import SocialOrganization

pytest.importorskip("matplotlib")


def ds_free_org(name: str = "测试社工"):
    return SocialOrganization.model_validate({"organization_id": "o1", "name": name})


def test_radar_chart_writes_a_png_and_says_which_labels_it_used(tmp_path):
    report = evaluate(ds_free_org(), builtin_rubric(), Evidence(sheets=(sheet(FULL),)))
    chart = radar_chart(report, tmp_path / "r.png")
    assert chart.path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert chart.lang == ("zh" if chart.font else "en")
    assert radar_chart(report, tmp_path / "e.png", lang="en").lang == "en"


# DejaVu Sans stands in for a CJK font here, so matplotlib warns about the missing glyphs.
@pytest.mark.filterwarnings("ignore:Glyph .* missing:UserWarning")
def test_radar_chart_uses_chinese_labels_when_a_cjk_font_is_found(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(plot_module, "cjk_font", lambda: "DejaVu Sans")
    report = evaluate(ds_free_org(), builtin_rubric(), Evidence(sheets=(sheet(FULL),)))
    chart = radar_chart(report, tmp_path / "zh.png")
    assert (chart.lang, chart.font) == ("zh", "DejaVu Sans")


@pytest.mark.filterwarnings("ignore:Glyph .* missing:UserWarning")
@pytest.mark.parametrize("mark", ["$", "$$", "\\", "{", "$\\frac{$"])
@pytest.mark.parametrize("font", [None, "DejaVu Sans"])
def test_radar_chart_draws_names_and_ids_with_math_characters_as_typed(
    tmp_path, monkeypatch, mark, font
):
    monkeypatch.setattr(plot_module, "cjk_font", lambda: font)
    org = SocialOrganization.model_validate(
        {
            "organization_id": f"o{mark}1{mark}".replace("\\", "_"),
            "name": f"a{mark}b{mark}",
        }
    )
    report = evaluate(org, builtin_rubric(), Evidence(sheets=(sheet(FULL),)))
    chart = radar_chart(report, tmp_path / "r.png")
    assert chart.path.read_bytes()[:4] == b"\x89PNG"
