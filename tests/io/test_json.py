from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from tests.strategies import datasets
from wushe import examples
from wushe.exceptions import LoadError
from wushe.io import dump_dataset, load_dataset, load_report

EXAMPLE = examples.path("qixinggang.json")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ds=datasets())
def test_dump_then_load_is_lossless_in_json_and_yaml(tmp_path, ds):
    for suffix in (".json", ".yaml"):
        path = dump_dataset(ds, tmp_path / f"ds{suffix}")
        assert load_dataset(path) == ds


def test_example_locality_loads():
    ds = load_dataset(EXAMPLE)
    assert ds.name == "重庆市渝中区七星岗街道"
    assert len([s for s in ds.stations if s.level.value == "village"]) == 8


def test_dumped_file_holds_values_in_clear(tmp_path):
    ds = load_dataset(EXAMPLE)
    text = dump_dataset(ds, tmp_path / "out.json").read_text(encoding="utf-8")
    assert ds.recipients[0].name.reveal() in text


def broken_copy(tmp_path: Path) -> Path:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["recipients"][0]["id_number"] = data["recipients"][0]["id_number"][:-1] + "0"
    data["recipients"][1]["community_id"] = "nowhere"
    del data["needs"][0]["raised_on"]
    data["colour"] = "blue"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_report_lists_every_rejected_record_with_row_id_field_and_code(tmp_path):
    report = load_report(broken_copy(tmp_path))
    assert not report.ok
    found = {(i.collection, i.row, i.record_id, i.field, i.code) for i in report.issues}
    assert ("recipients", 1, "qxg-p01", "id_number", "value_error") in found
    assert ("needs", 1, "qxg-n01", "raised_on", "missing") in found
    assert ("", None, "", "colour", "extra_forbidden") in found
    assert ("recipients", 2, "qxg-p02", "community_id", "unknown_reference") in found
    assert report.dataset is None


def test_load_error_carries_the_report_and_hides_sensitive_values(tmp_path):
    path = broken_copy(tmp_path)
    raw = json.loads(path.read_text(encoding="utf-8"))
    with pytest.raises(LoadError) as info:
        load_dataset(path)
    assert len(info.value.report.issues) == 4
    assert raw["recipients"][0]["id_number"] not in str(info.value)
    assert raw["recipients"][0]["name"] not in str(info.value)


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("{not json", "invalid_syntax"),
        ("[]", "not_an_object"),
        ('{"name": "x", "divisions": 3}', "list_type"),
    ],
)
def test_malformed_files_are_reported(tmp_path, content, code):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert code in {i.code for i in load_report(path).issues}


def test_missing_file_is_reported(tmp_path):
    assert load_report(tmp_path / "absent.json").issues[0].code == "unreadable"


def test_yaml_without_the_extra_names_the_install_command(tmp_path, monkeypatch):
    import sys  # noqa: PLC0415

    from wushe.exceptions import MissingDependencyError  # noqa: PLC0415

    monkeypatch.setitem(sys.modules, "yaml", None)
    ds = load_dataset(EXAMPLE)
    with pytest.raises(MissingDependencyError, match=r"pip install 'wushe\[yaml\]'"):
        dump_dataset(ds, tmp_path / "out.yaml")


def test_dataset_json_schema_marks_sensitive_fields():
    from wushe.models import Dataset  # noqa: PLC0415

    schema = Dataset.model_json_schema()
    recipient = schema["$defs"]["Recipient"]["properties"]
    assert recipient["name"]["x-sensitive"] == "personal name"
    assert "description" in recipient["community_id"]
