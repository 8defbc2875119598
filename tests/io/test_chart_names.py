"""Charts are drawn by wushe.io; the old names say where they went (#14)."""

from __future__ import annotations

import pytest

import wushe.evaluation
import wushe.io
import wushe.network
from wushe import examples
from wushe.network import StationNetwork


@pytest.mark.parametrize(
    ("module", "name"),
    [
        (wushe.evaluation, "radar_svg"),
        (wushe.evaluation, "radar_chart"),
        (wushe.evaluation, "RadarChart"),
        (wushe.evaluation, "cjk_font"),
        (wushe.network, "station_tree_svg"),
        (wushe.network, "draw_station_tree"),
    ],
)
def test_an_old_chart_name_raises_an_error_naming_its_place_in_io(module, name):
    with pytest.raises(AttributeError, match=rf"use wushe\.io\.{name}$"):
        getattr(module, name)
    assert callable(getattr(wushe.io, name))
    assert name in wushe.io.__all__
    assert name not in module.__all__


@pytest.mark.parametrize("module", [wushe.evaluation, wushe.network])
def test_an_unknown_name_is_still_a_plain_attribute_error(module):
    with pytest.raises(AttributeError, match="has no attribute 'no_such_chart'"):
        getattr(module, "no_such_chart")  # noqa: B009
    assert not hasattr(module, "draw")


def test_station_network_draw_points_to_draw_station_tree():
    network = StationNetwork.from_dataset(examples.load("qixinggang"))
    with pytest.raises(AttributeError, match=r"wushe\.io\.draw_station_tree\(network"):
        network.draw  # noqa: B018
    assert not hasattr(network, "no_such_method")
    assert len(network) > 0  # the network still works after the lookups
