"""The seed localities ship as package data and load by name."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

import wushe
from wushe import examples
from wushe.examples import _files
from wushe.exceptions import WusheError
from wushe.models import Dataset


def test_every_locality_loads_as_a_valid_dataset():
    for name in examples.names():
        ds = examples.load(name)
        assert isinstance(ds, Dataset)
        assert ds.synthetic


def test_every_listed_file_exists_inside_the_installed_package():
    package = Path(wushe.__file__).parent
    for name in examples.files():
        found = examples.path(name)
        assert found.is_file()
        assert found.is_relative_to(package)


def test_a_locality_name_and_its_file_name_give_the_same_path():
    assert examples.path("jinniu") == examples.path("jinniu.json")


def test_the_files_on_disk_are_exactly_the_listed_ones():
    folder = examples.path("jinniu").parent
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == list(
        examples.files()
    )


def test_companion_files_sit_beside_their_dataset_as_the_demo_expects():
    jinniu = examples.path("jinniu")
    for suffix in ("_scores.json", "_visits.json"):
        companion = jinniu.with_name(f"jinniu{suffix}")
        assert companion == examples.path(companion.name)
        json.loads(companion.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name",
    ["nowhere", "jinniu_scores", "jinniu_scores.json", "../../pyproject.toml", ""],
)
def test_load_accepts_only_locality_names(name):
    with pytest.raises(examples.ExampleNotFoundError) as caught:
        examples.load(name)
    assert isinstance(caught.value, WusheError)
    assert isinstance(caught.value, KeyError)


@pytest.mark.parametrize(
    "name", ["../pyproject.toml", "data/jinniu.json", "__init__.py", "JINNIU", ""]
)
def test_path_never_leaves_the_listed_files(name):
    with pytest.raises(examples.ExampleNotFoundError, match="the examples are"):
        examples.path(name)


def test_a_file_inside_a_zip_archive_is_copied_out_to_a_real_path(tmp_path):
    archive = tmp_path / "wushe.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("wushe/examples/data/jinniu_scores.json", '{"sheets": []}')
    resource = zipfile.Path(archive, "wushe/examples/data/jinniu_scores.json")
    copied = _files._extract(resource)
    assert copied.is_file()
    assert copied.read_text(encoding="utf-8") == '{"sheets": []}'
    assert not copied.is_relative_to(archive)
