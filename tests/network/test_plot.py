from __future__ import annotations

import pytest

from wushe import examples
from wushe.io import load_dataset
from wushe.network import StationNetwork, draw_station_tree

pytest.importorskip("matplotlib")


def test_draws_a_png(tmp_path):
    net = StationNetwork.from_dataset(load_dataset(examples.path("qixinggang.json")))
    out = draw_station_tree(net, tmp_path / "tree.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert net.draw(tmp_path / "again.png", labels=False).exists()
