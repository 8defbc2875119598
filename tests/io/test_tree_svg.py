"""The station tree as inline SVG: names and status as text, escaped, no dependency."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from wushe import examples
from wushe.io import load_dataset, station_tree_svg
from wushe.models import Dataset
from wushe.network import StationNetwork

DATA = examples.path("jinniu").parent
SVG = "{http://www.w3.org/2000/svg}"


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_every_station_is_a_text_line_with_its_name_level_and_status():
    ds = load_dataset(DATA / "qixinggang.json")
    texts = _texts(station_tree_svg(StationNetwork.from_dataset(ds)))
    for station in ds.stations:
        line = next(t for t in texts if t.startswith(station.name))
        assert "已建" in line
        assert "社工" in line
    assert any("缺：有场地" in t for t in texts)
    assert "已建·达标" in texts


def test_english_labels_on_request():
    ds = load_dataset(DATA / "qixinggang.json")
    texts = _texts(station_tree_svg(StationNetwork.from_dataset(ds), lang="en"))
    assert "built, meets" in texts
    assert any("missing: " in t for t in texts)


def test_planned_stations_and_gaps_are_drawn_and_named():
    ds = load_dataset(DATA / "wengan.json")
    texts = _texts(station_tree_svg(StationNetwork.from_dataset(ds)))
    assert any("规划" in t for t in texts)


def test_a_large_network_summarises_below_each_street_and_stays_readable():
    ds = load_dataset(DATA / "jinniu.json")
    network = StationNetwork.from_dataset(ds)
    texts = _texts(station_tree_svg(network))
    assert len(network) > 80
    assert sum(t.startswith("下辖站点") for t in texts) == 13
    assert len(texts) < 40


_qxg = json.loads((DATA / "qixinggang.json").read_text(encoding="utf-8"))
_names = st.text(min_size=1, max_size=30).filter(
    lambda s: s.strip() and "\x00" not in s
)


@settings(max_examples=25, deadline=None)
@given(name=_names.filter(lambda s: all(ord(c) >= 32 for c in s)))
def test_any_station_name_comes_back_as_exactly_that_text(name):
    data = json.loads(json.dumps(_qxg))
    data["stations"][0]["name"] = name
    ds = Dataset.model_validate(data)
    svg = station_tree_svg(StationNetwork.from_dataset(ds))
    texts = _texts(svg)  # well-formed XML whatever the name holds
    shown = ds.stations[0].name
    assert any(t.startswith(f"{shown} · ") for t in texts)


def test_markup_in_a_station_name_is_text_not_markup():
    data = json.loads(json.dumps(_qxg))
    data["stations"][0]["name"] = '<script>alert("x")</script>&站'
    svg = station_tree_svg(StationNetwork.from_dataset(Dataset.model_validate(data)))
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
    assert any(t.startswith('<script>alert("x")</script>&站') for t in _texts(svg))
