"""Every seed locality's published figures come back from its records (#13)."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wushe import examples
from wushe.models import Dataset

ROOT = Path(__file__).parents[1]


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem.lstrip("0123456789_"), path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EXAMPLE = _module(ROOT / "examples" / "09_seed_localities.py")


@cache
def _generators() -> dict[str, object]:
    data = ROOT / "examples" / "data"
    seeds = _module(data / "make_seeds.py")
    places = _module(data / "make_localities.py")
    jinniu = _module(data / "make_jinniu.py")
    return {
        **seeds.BUILDERS,
        "qianfeng": places.qianfeng,
        "jiulong": places.jiulong,
        "wengan": places.wengan,
        "jinniu": jinniu.build,
    }


@cache
def seed(stem: str) -> Dataset:
    """A locality built by its generator, or the shipped example if it has none."""
    build = _generators().get(stem)
    if build is None:
        return examples.load(stem)
    return Dataset.model_validate(build())  # type: ignore[operator]


FIGURES = [
    (stem, label)
    for stem, figures in EXAMPLE.LOCALITIES.items()
    for label, _, _ in figures(seed(stem))
]


def test_every_locality_of_the_seed_table_is_computed():
    assert set(EXAMPLE.LOCALITIES) == {
        "qixinggang", "wengan", "hubei", "jinniu", "qianfeng", "jiulong", "yibin", "shanxi"
    }  # fmt: skip


@pytest.mark.parametrize(("stem", "label"), FIGURES)
def test_the_published_figure_is_computed_from_records(stem, label):
    rows = {row[0]: row for row in EXAMPLE.LOCALITIES[stem](seed(stem))}
    _, published, computed = rows[label]
    assert EXAMPLE.matches(published, computed), (published, computed)


def test_big_counts_are_kept_at_the_grain_of_rows_not_people():
    yibin = seed("yibin")
    assert not yibin.volunteers
    assert 500 < len(yibin.volunteer_hours) < 2000
    assert len(seed("jiulong").volunteer_hours) < 100


def test_illustrative_detail_is_marked_in_the_data():
    hubei = seed("hubei")
    assert all(h.synthetic for h in hubei.honours)
    assert all(
        "（示例）" in s.name for s in seed("shanxi").stations
    )  # the seed names no pilot station
    assert all("（示例）" in p.name for p in seed("yibin").projects)
    for stem in EXAMPLE.LOCALITIES:
        assert seed(stem).synthetic


@pytest.mark.parametrize(
    ("published", "inside", "outside"),
    [
        ("16", [16], [15, 17]),
        ("270余", [270, 279], [269, 280]),
        ("150余", [150, 159], [149, 160]),
        ("2万余", [20_000, 29_999], [19_999, 30_000]),
        ("37.6万", [375_500, 376_499], [375_499, 376_500]),
        ("378.2万", [Decimal(3781500), Decimal("3782499.5")], [Decimal("3781499.9")]),
        ("近1300", [1_235, 1_300], [1_234, 1_301]),
        ("近万", [9_500, 10_000], [9_499, 10_001]),
    ],
)
def test_matches_reads_the_reports_wording(published, inside, outside):
    assert all(EXAMPLE.matches(published, n) for n in inside)
    assert not any(EXAMPLE.matches(published, n) for n in outside)


def test_matches_takes_only_true_for_yes_and_equal_text_for_text():
    assert EXAMPLE.matches("是", True)
    assert not EXAMPLE.matches("是", False)
    assert not EXAMPLE.matches("是", 1)
    assert not EXAMPLE.matches("16", True)
    assert EXAMPLE.matches("五微服务、苔花行动", "五微服务、苔花行动")
    assert not EXAMPLE.matches("五微服务、苔花行动", "苔花行动、五微服务")


@given(st.integers(1, 9_999), st.integers(0, 4), st.integers(-300_000, 300_000))
def test_more_than_means_below_the_next_step_of_the_last_digit_written(
    digits, zeros, offset
):
    # "270余" is 270–279, "900余" 900–999: the step is that of the last nonzero digit.
    base = digits * 10**zeros
    step = 10 ** (zeros + len(str(digits)) - len(str(digits).rstrip("0")))
    assert EXAMPLE.matches(f"{base}余", base + offset) == (0 <= offset < step)
