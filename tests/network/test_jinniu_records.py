"""金牛区's published casework, supervision and training figures come back from records."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from wushe.models import Dataset

ROOT = Path(__file__).parents[2]


def _module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem.lstrip("0123456789_"), path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def jinniu() -> Dataset:
    # Built by the generator rather than read from the file, so the figures are checked
    # against what the generator writes wherever the file ends up.
    make = _module(ROOT / "examples" / "data" / "make_jinniu.py")
    return Dataset.model_validate(make.build())


def test_the_example_reproduces_every_published_figure(jinniu):
    example = _module(ROOT / "examples" / "08_station_records.py")
    for label, published, computed in example.figures(jinniu):
        if published.endswith("余"):
            base = int(published.removesuffix("余"))
            assert base <= computed < base + 10, label
        else:
            assert computed == int(published), label


def test_cases_are_counted_apart_from_their_sessions(jinniu):
    assert len(jinniu.cases) == 21
    assert len(jinniu.case_sessions) > 21
    ledger = [a for a in jinniu.activities if a.activity_type == "case_service"]
    assert len(ledger) == len(jinniu.cases)
