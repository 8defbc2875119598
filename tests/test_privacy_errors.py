"""Validation errors are as safe as their ``str`` on every construction path (校验错误脱敏)."""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

from tests.strategies import resident_id
from wushe.io import load_report
from wushe.models import Dataset, Recipient, SocialWorker, Volunteer
from wushe.privacy import MASK, RedactingTypeAdapter, redact_validation_error

NAME = "钱桂芳"
ID_NUMBER = resident_id("500103", date(1941, 3, 15), 22)
PHONE = "13800001234"
ADDRESS = "重庆市渝中区兴隆街8号3单元"
SECRETS = (NAME, ID_NUMBER, PHONE, ADDRESS, "兴隆街")

GOOD: dict[str, Any] = {
    "recipient_id": "p1",
    "name": NAME,
    "community_id": "c1",
    "id_number": ID_NUMBER,
    "phone": PHONE,
    "address": ADDRESS,
    "assessed_on": "2024-06-30",
}

# One failure of each shape: in a sensitive field (the input is the raw value), in the
# model validator (the input is the whole record) and in a plain field beside sensitive ones.
BROKEN: dict[str, dict[str, Any]] = {
    "bad id check character": {**GOOD, "id_number": ID_NUMBER[:-1] + "0"},
    "groups that exclude each other": {**GOOD, "target_groups": ["低保", "低保边缘"]},
    "unknown group": {**GOOD, "target_groups": [NAME]},
    "birth date disagrees": {**GOOD, "birth_date": "1950-01-01"},
    "wrong type beside secrets": {**GOOD, "assessed_on": ["2024"]},
    "unknown field holding a secret": {**GOOD, "nickname": NAME},
}


def _dataset(record: dict[str, Any]) -> dict[str, Any]:
    return {"name": "测试区", "division_code": "500103", "recipients": [record]}


PATHS: dict[str, Callable[[dict[str, Any]], object]] = {
    "model_validate": Recipient.model_validate,
    "model_validate_json": lambda r: Recipient.model_validate_json(json.dumps(r)),
    "model_validate_strings": lambda r: Recipient.model_validate_strings(
        {k: v for k, v in r.items() if isinstance(v, str)}
        | {"target_groups": json.dumps(r.get("target_groups", []))}
    ),
    "__init__": lambda r: Recipient(**r),
    "TypeAdapter(Recipient)": TypeAdapter(Recipient).validate_python,
    "TypeAdapter(Recipient) json": lambda r: TypeAdapter(Recipient).validate_json(
        json.dumps(r)
    ),
    "RedactingTypeAdapter(list)": lambda r: RedactingTypeAdapter(
        list[Recipient]
    ).validate_python([r]),
    "RedactingTypeAdapter(list) json": lambda r: RedactingTypeAdapter(
        list[Recipient]
    ).validate_json(json.dumps([r])),
    "Dataset.model_validate": lambda r: Dataset.model_validate(_dataset(r)),
    "Dataset.model_validate_json": lambda r: Dataset.model_validate_json(
        json.dumps(_dataset(r))
    ),
}


def _everything_an_error_exposes(error: ValidationError) -> str:
    restored = pickle.loads(pickle.dumps(error))
    parts: list[object] = [
        str(error),
        repr(error),
        error.errors(),
        error.errors(include_context=True),
        error.json(),
        restored.errors(),
        str(restored),
        repr(error.__context__),
        repr(error.__cause__),
    ]
    for line in error.errors():
        for value in line.get("ctx", {}).values():
            parts += [value, getattr(value, "__traceback__", None)]
            if getattr(value, "__traceback__", None) is not None:
                parts.append(value.__traceback__.tb_frame.f_locals)
    return "\n".join(map(str, parts))


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("case", BROKEN)
def test_no_construction_path_puts_a_raw_value_in_its_error(path, case):
    with pytest.raises(ValidationError) as info:
        PATHS[path](BROKEN[case])
    text = _everything_an_error_exposes(info.value)
    for secret in SECRETS:
        assert secret not in text, f"{path} / {case} leaks {secret!r}"
    for line in info.value.errors():
        assert line["input"] == MASK


def test_a_redacted_error_keeps_type_location_and_message():
    with pytest.raises(ValidationError) as info:
        Recipient.model_validate(BROKEN["bad id check character"])
    (line,) = info.value.errors()
    assert line["type"] == "value_error"
    assert line["loc"] == ("id_number",)
    assert "check character" in line["msg"]
    assert info.value.title == "Recipient"


def test_other_models_redact_too():
    for model, record in (
        (SocialWorker, {"worker_id": "w1", "name": NAME, "phone": PHONE + "9"}),
        (Volunteer, {"volunteer_id": "v1", "name": NAME, "phone": PHONE, "x": NAME}),
    ):
        with pytest.raises(ValidationError) as info:
            model.model_validate(record)
        text = _everything_an_error_exposes(info.value)
        assert NAME not in text
        assert PHONE not in text


def test_custom_error_types_and_exceptions_in_ctx_are_redacted():
    try:
        secret_holder = {"name": NAME}  # a local the original traceback would keep
        msg = "bad value"
        raise ValueError(msg)
    except ValueError as exc:
        cause = exc
    error = ValidationError.from_exception_data(
        "Thing",
        [
            InitErrorDetails(
                type=PydanticCustomError("my_rule", "broke {rule}", {"rule": "R1"}),
                loc=("name",),
                input=secret_holder,
            ),
            InitErrorDetails(
                type="value_error", loc=("x",), input=NAME, ctx={"error": cause}
            ),
        ],
    )
    redacted = redact_validation_error(error)
    assert [line["type"] for line in redacted.errors()] == ["my_rule", "value_error"]
    assert redacted.errors()[0]["msg"] == "broke R1"
    assert NAME not in _everything_an_error_exposes(redacted)


def test_a_rejected_dataset_file_reports_no_raw_value(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            _dataset(BROKEN["groups that exclude each other"]), ensure_ascii=False
        ),
        encoding="utf-8",
    )
    report = load_report(path)
    assert report.dataset is None
    text = repr(report) + "\n".join(i.message for i in report.issues)
    for secret in SECRETS:
        assert secret not in text


def _subclasses(cls: type[BaseModel]) -> set[type[BaseModel]]:
    found: set[type[BaseModel]] = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_wushe_model_validates_through_a_redacting_validator():
    import wushe  # noqa: F401, PLC0415 - imports every model
    from wushe.models import WusheModel  # noqa: PLC0415
    from wushe.privacy import RedactingValidator  # noqa: PLC0415

    models = _subclasses(WusheModel)
    assert len(models) > 30
    for model in models:
        validator: object = model.__pydantic_validator__
        assert isinstance(validator, RedactingValidator), model


def test_an_ambiguous_vocabulary_label_is_kept_so_the_loader_can_explain_it():
    from wushe.models import Activity  # noqa: PLC0415

    record = {
        "activity_id": "a1",
        "activity_type": "宣传",
        "held_on": "2024-01-01",
        "station_id": "s1",
    }
    with pytest.raises(ValidationError) as info:
        Activity.model_validate(record)
    (line,) = [e for e in info.value.errors() if e["loc"] == ("activity_type",)]
    assert line["input"] == "宣传"


def test_a_rebuilt_model_resolves_local_names_and_stays_redacted():
    from wushe.models import WusheModel  # noqa: PLC0415
    from wushe.privacy import RedactingValidator  # noqa: PLC0415

    class Outer(WusheModel):
        inner: Later

    class Later(WusheModel):
        name: str

    Outer.model_rebuild()
    validator: object = Outer.__pydantic_validator__
    assert isinstance(validator, RedactingValidator)
    with pytest.raises(ValidationError) as info:
        Outer.model_validate({"inner": {"name": NAME, "extra": NAME}})
    assert NAME not in _everything_an_error_exposes(info.value)
