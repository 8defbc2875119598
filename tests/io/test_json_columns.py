"""load_dataset checks recipients over whole columns and decides as record by record (#16)."""

from __future__ import annotations

import gc
import json
import logging
import weakref
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.strategies import DISTRICTS, full_consents, names, resident_id
from wushe import examples
from wushe.codes import age_on, id_check_character
from wushe.exceptions import LoadError
from wushe.io import load_dataset
from wushe.models import Dataset, Need, Recipient
from wushe.models._dataset import validate_json_columns
from wushe.models._recipient import deferred_json_schema
from wushe.vocab import TargetGroup

AGE_GROUPS = (
    TargetGroup.LEFT_BEHIND_CHILD,
    TargetGroup.ORPHAN,
    TargetGroup.ORPHAN_SCATTERED,
    TargetGroup.DE_FACTO_UNSUPPORTED_CHILD,
    TargetGroup.CHILD_IN_DIFFICULTY,
    TargetGroup.ELDER_LIVING_ALONE,
    TargetGroup.EMPTY_NEST_ELDER,
    TargetGroup.ADVANCED_AGE_ELDER,
    TargetGroup.DIBAO,
    TargetGroup.NEAR_DIBAO,
    TargetGroup.EXTREME_POVERTY_DISPERSED,
    TargetGroup.DISABILITY,
)
CORRUPTIONS = (
    "check_character",
    "lower_case_and_spaces",
    "no_such_day",
    "born_tomorrow",
    "unknown_prefix",
    "birth_date_mismatch",
    "birth_date_agrees",
    "birth_date_only",
    "no_birth_date",
    "too_short",
    "groups_any_age",
    "no_consents",
    "gender_given",
    "assessed_today",
    "exclusive_pair",
    "name_spaces",
    "name_invisible",
    "phone_formatted",
    "phone_invalid",
)
PAIRS = (
    (TargetGroup.DIBAO, TargetGroup.NEAR_DIBAO),
    (TargetGroup.ORPHAN_SCATTERED, TargetGroup.DE_FACTO_UNSUPPORTED_CHILD),
    (TargetGroup.EXTREME_POVERTY_DISPERSED, TargetGroup.EXTREME_POVERTY_CENTRALISED),
)


def _fits(group: TargetGroup, age: int) -> bool:
    """A generator's guess at the age rules; the oracle is Recipient itself."""
    if group is TargetGroup.LEFT_BEHIND_CHILD:
        return age < 16
    if group.name.endswith("CHILD") or group.name.startswith("ORPHAN"):
        return age < 18
    if group is TargetGroup.ADVANCED_AGE_ELDER:
        return age >= 80
    if "ELDER" in group.name:
        return age >= 60
    return True


def _with_check(first17: str) -> str:
    return first17 + id_check_character(first17)


@st.composite
def recipient_records(draw: st.DrawFn, index: int) -> dict[str, Any]:
    born = draw(st.dates(date(1920, 1, 1), date(2024, 6, 1)))
    as_of = draw(st.dates(date(2015, 1, 1), date(2025, 6, 30)))
    age = age_on(born, as_of)
    clean = draw(st.booleans())
    wrong = (
        set()
        if clean
        else set(draw(st.lists(st.sampled_from(CORRUPTIONS), max_size=3)))
    )
    pool = [g for g in AGE_GROUPS if "groups_any_age" in wrong or _fits(g, age)]
    groups = draw(st.sets(st.sampled_from(pool), max_size=3)) if pool else set()
    if "exclusive_pair" in wrong:
        groups |= set(draw(st.sampled_from(PAIRS)))
    area = "990106" if "unknown_prefix" in wrong else draw(st.sampled_from(DISTRICTS))
    id_number = resident_id(area, born, draw(st.integers(0, 999)))
    record: dict[str, Any] = {
        "recipient_id": f"p{index}",
        "name": draw(names()),
        "community_id": "c1",
        "target_groups": sorted(g.value for g in groups),
        "id_number": id_number,
        "assessed_on": as_of.isoformat(),
    }
    if draw(st.booleans()):
        record["phone"] = (
            f"1{draw(st.sampled_from('3456789'))}{draw(st.integers(0, 10**9 - 1)):09d}"
        )
    if "name_spaces" in wrong:
        record["name"] = f"\u3000{record['name']} "
    if "name_invisible" in wrong:
        record["name"] = draw(st.sampled_from(["  ", "\u200b", "\u3164", "·"]))
    if "phone_formatted" in wrong:
        record["phone"] = "+86 138-1234-5678"
    if "phone_invalid" in wrong:
        record["phone"] = draw(st.sampled_from(["12345678901", "138 1234", "电话"]))
    if "check_character" in wrong:
        last = draw(st.sampled_from([c for c in "0123456789X" if c != id_number[-1]]))
        record["id_number"] = id_number[:-1] + last
    if "no_such_day" in wrong:
        record["id_number"] = _with_check(
            f"{area}{born:%Y}{draw(st.sampled_from(['0230', '1301', '0431', '0000']))}123"
        )
    if "born_tomorrow" in wrong:
        later = date.today() + timedelta(days=draw(st.integers(1, 400)))
        record["id_number"] = resident_id(area, later, 7)
    if "too_short" in wrong:
        record["id_number"] = record["id_number"][:17]
    if "lower_case_and_spaces" in wrong:
        record["id_number"] = f"  {record['id_number'].lower()} "
    if "birth_date_agrees" in wrong or "birth_date_only" in wrong:
        record["birth_date"] = born.isoformat()
    if "birth_date_mismatch" in wrong:
        shift = draw(st.sampled_from([-366, -1, 1, 365]))
        record["birth_date"] = (born + timedelta(days=shift)).isoformat()
    if "birth_date_only" in wrong or "no_birth_date" in wrong:
        del record["id_number"]
    if "gender_given" in wrong:
        record["gender"] = draw(st.sampled_from(["male", "female"]))
    if "assessed_today" in wrong:
        del record["assessed_on"]
    if age < 14 and "no_consents" not in wrong:
        record["consents"] = [
            {**c, "valid_from": born.isoformat()} for c in full_consents(guardian=True)
        ]
    elif draw(st.booleans()) and "no_consents" not in wrong:
        record["consents"] = full_consents(guardian=False, on=as_of)
    return record


@st.composite
def recipient_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 5))
    return [draw(recipient_records(i)) for i in range(count)]


def _write(folder: Path, records: list[dict[str, Any]]) -> Path:
    dataset = {
        "name": "测试区",
        "division_code": "510106",
        "divisions": [{"division_code": "510106001", "name": "街道"}],
        "communities": [
            {"community_id": "c1", "name": "社区", "division_code": "510106001001"}
        ],
        "recipients": records,
    }
    path = folder / "recipients.json"
    path.write_text(
        json.dumps(dataset, ensure_ascii=False, default=str), encoding="utf-8"
    )
    return path


def _alone(
    records: list[dict[str, Any]],
) -> tuple[list[Recipient], set[tuple[int, str, str, str]]]:
    """Each record validated alone, without the columns: the reference."""
    models: list[Recipient] = []
    errors: set[tuple[int, str, str, str]] = set()
    for row, record in enumerate(records, start=1):
        try:
            models.append(Recipient.model_validate(record))
        except ValidationError as exc:
            errors |= {
                (row, ".".join(map(str, e["loc"])), e["type"], e["msg"])
                for e in exc.errors(include_url=False)
            }
    return models, errors


@settings(
    max_examples=200,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=recipient_lists())
def test_columns_report_exactly_what_records_alone_report(tmp_path, caplog, records):
    models, expected = _alone(records)
    path = _write(tmp_path, records)
    if not expected:
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="wushe.io"):
            loaded = load_dataset(path).recipients
        assert "fast path failed" not in caplog.text  # the columns accepted it
        assert loaded == tuple(models)
        for got, want in zip(loaded, models, strict=True):
            assert (got.birth_date, got.gender, got.target_groups) == (
                want.birth_date,
                want.gender,
                want.target_groups,
            )
            assert got.id_number == want.id_number
        event("accepted")
        return
    with pytest.raises(LoadError) as raised:
        load_dataset(path)
    found = {
        (issue.row, issue.field, issue.code, issue.message)
        for issue in raised.value.report.issues
        if issue.collection == "recipients"
    }
    assert found == expected
    event("rejected")


def test_validating_one_recipient_still_checks_it_alone():
    born = date(1950, 3, 1)
    record = {
        "recipient_id": "p1",
        "name": "张三",
        "community_id": "c1",
        "id_number": resident_id("510106", born, 1),
        "birth_date": "1950-03-02",
    }
    with pytest.raises(ValidationError, match="birth_date does not agree"):
        Recipient.model_validate(record)
    record["id_number"] = record["id_number"][:-1] + (
        "0" if record["id_number"][-1] != "0" else "1"
    )
    with pytest.raises(ValidationError, match="check character"):
        Recipient.model_validate({**record, "birth_date": born.isoformat()})


def test_loading_leaves_a_process_s_frozen_objects_frozen(tmp_path):
    path = _write(tmp_path, [])
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        load_dataset(path)
        assert 0 < gc.get_freeze_count() <= frozen  # some frozen objects may be freed
    finally:
        gc.unfreeze()


def test_loaded_records_wait_in_the_oldest_generation_and_are_still_collected(tmp_path):
    born = date(1950, 3, 1)
    record = {
        "recipient_id": "p1",
        "name": "张三",
        "community_id": "c1",
        "id_number": resident_id("510106", born, 1),
    }
    path = _write(tmp_path, [record])
    ds = load_dataset(path)
    assert gc.get_count()[0] < 50  # nothing left for the next young collection
    probe = weakref.ref(ds.recipients[0])
    cycle: list[object] = [ds]
    cycle.append(cycle)
    del ds, cycle
    gc.collect()  # a cycle holding the dataset is freed as ever
    assert probe() is None


def _fields(model: Any) -> Any:
    """A model's fields, their types and which were given, nested models included."""
    if isinstance(model, tuple):
        return tuple(_fields(item) for item in model)
    if not hasattr(model, "model_fields_set"):
        return (type(model), model)
    return (
        type(model),
        sorted(model.model_fields_set),
        {name: _fields(value) for name, value in model.__dict__.items()},
    )


@pytest.mark.parametrize("name", examples.names())
def test_the_columns_validator_builds_what_dataset_builds(name):
    data = examples.path(name).read_bytes()
    fast = validate_json_columns(data)
    slow = Dataset.model_validate_json(data)
    assert _fields(fast.recipients) == _fields(slow.recipients)
    assert fast == slow


def test_the_deferred_schema_refuses_a_schema_of_another_shape():
    schema: Any = Recipient.__pydantic_core_schema__
    if schema["type"] == "definitions":
        schema = schema["schema"]
    deferred_json_schema(schema)
    with pytest.raises(TypeError, match="not shaped"):
        deferred_json_schema(schema["schema"])  # the model without its validator
    with pytest.raises(TypeError, match="not shaped"):
        deferred_json_schema(Need.__pydantic_core_schema__)


def test_a_blank_name_found_by_the_columns_is_reported_as_alone(tmp_path):
    record = {"recipient_id": "p1", "name": "\u3000 ", "community_id": "c1"}
    with pytest.raises(LoadError) as raised:
        load_dataset(_write(tmp_path, [record]))
    (issue,) = raised.value.report.issues
    assert (issue.row, issue.field) == (1, "name")
    assert issue.message.endswith("a name must hold at least one letter")


@settings(
    max_examples=60,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=recipient_lists())
def test_yaml_records_checked_as_columns_equal_records_alone(tmp_path, records):
    models, expected = _alone(records)
    json_path = _write(tmp_path, records)
    path = json_path.with_suffix(".yaml")
    data = json.loads(json_path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    if expected:
        with pytest.raises(LoadError):
            load_dataset(path)
        return
    loaded = load_dataset(path).recipients
    assert _fields(loaded) == _fields(tuple(models))
