"""The PNG station tree names stations and their status as the inline SVG does (#14)."""

from __future__ import annotations

import re

import pytest

from wushe import examples
from wushe.io import _station_tree as plot_module
from wushe.io import draw_station_tree, station_tree_svg
from wushe.network import StationNetwork

pytest.importorskip("matplotlib")
from matplotlib.axes import Axes

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def drawn(monkeypatch):
    """The texts annotated on the figure, in drawing order."""
    texts: list[str] = []
    original = Axes.annotate

    def spy(self, text, *args, **kwargs):
        texts.append(text)
        return original(self, text, *args, **kwargs)

    monkeypatch.setattr(Axes, "annotate", spy)
    return texts


@pytest.fixture(scope="module")
def network() -> StationNetwork:
    return StationNetwork.from_dataset(examples.load("qixinggang"))


def _svg_texts(network: StationNetwork) -> set[str]:
    svg = station_tree_svg(network)
    return set(re.findall(r"<text[^>]*>([^<]*)</text>", svg))


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # DejaVu stands in
def test_with_a_chinese_font_each_station_reads_as_in_the_svg(
    network, drawn, monkeypatch, tmp_path
):
    monkeypatch.setattr(plot_module, "cjk_font", lambda: "DejaVu Sans")
    draw_station_tree(network, tmp_path / "t.png", labels=True)
    assert len(drawn) == len(network.stations)
    svg = _svg_texts(network)
    for station in network.stations:
        (label,) = [t for t in drawn if t.startswith(f"{station.name} · ")]
        assert station.status.zh in label
        # The SVG says the same with the level added, which the PNG shows as a column.
        level = f" · {station.level.zh}"
        assert (
            label.replace(f"{station.name} · ", f"{station.name}{level} · ", 1) in svg
        )
        assert station.station_id not in label


def test_without_a_chinese_font_stations_are_named_by_id_in_english(
    network, drawn, monkeypatch, tmp_path
):
    monkeypatch.setattr(plot_module, "cjk_font", lambda: None)
    draw_station_tree(network, tmp_path / "t.png", labels=True, lang="zh")
    assert sorted(t.split(" · ")[0] for t in drawn) == sorted(
        s.station_id for s in network.stations
    )
    assert all(" · built · " in t or " · planned" in t for t in drawn)
    assert not any(CJK.search(t) for t in drawn)  # no empty boxes


def test_english_is_used_when_asked_even_with_a_chinese_font(
    network, drawn, monkeypatch, tmp_path
):
    monkeypatch.setattr(plot_module, "cjk_font", lambda: "DejaVu Sans")
    draw_station_tree(network, tmp_path / "t.png", labels=True, lang="en")
    assert not any(CJK.search(t) for t in drawn)
