from __future__ import annotations

import json

import pytest

from wushe import examples
from wushe.io import draw_station_tree, load_dataset
from wushe.models import Dataset
from wushe.network import StationNetwork

pytest.importorskip("matplotlib")


def test_draws_a_png(tmp_path):
    net = StationNetwork.from_dataset(load_dataset(examples.path("qixinggang.json")))
    out = draw_station_tree(net, tmp_path / "tree.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert draw_station_tree(net, tmp_path / "again.png", labels=False).exists()


@pytest.mark.parametrize("mark", ["$", "$$", "{", "a$b$c"])
def test_station_ids_and_titles_with_math_characters_are_drawn_as_typed(tmp_path, mark):
    text = examples.path("qixinggang").read_text(encoding="utf-8")
    data = json.loads(text)
    for station in data["stations"]:
        text = text.replace(
            f'"{station["station_id"]}"', f'"{station["station_id"]}{mark}x$"'
        )
    ds = Dataset.model_validate_json(text)
    assert any("$" in s.station_id for s in ds.stations)
    net = StationNetwork.from_dataset(ds)
    out = draw_station_tree(net, tmp_path / "t.png", labels=True, title=f"\\{mark}$x{{")
    assert out.read_bytes()[:4] == b"\x89PNG"
