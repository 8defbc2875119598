"""The integrity pass as a registry of rules, checked column by column (完整性规则表)."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import datasets
from wushe.models import COLLECTIONS, Dataset, check_integrity
from wushe.models._dataset import (
    _ACTIVITY_REFERENCES,
    _REFERENCES,
    INTEGRITY_RULES,
    IntegrityPass,
    integrity_rule,
)

_TABLE = {**_REFERENCES, "activities": _ACTIVITY_REFERENCES}


def _value(record: Any, field: str) -> Any:
    for part in field.split("."):
        record = getattr(record, part)
        if record is None:
            return None
    return record


def _naive_unknown_references(ds: Dataset) -> list[tuple[str, str, str, str]]:
    """The oracle: every record, every field, every id looked up one by one."""
    ids = {
        name: {getattr(r, id_field) for r in ds.records(name)}
        for name, (_, id_field) in COLLECTIONS.items()
    }
    found: list[tuple[str, str, str, str]] = []
    for collection, fields in _TABLE.items():
        id_field = COLLECTIONS[collection][1]
        for record in ds.records(collection):
            for field, target in fields:
                value = _value(record, field)
                values = [value] if value is None or isinstance(value, str) else value
                found.extend(
                    (collection, getattr(record, id_field), field, v)
                    for v in sorted(v for v in values if v is not None)
                    if v not in ids[target]
                )
    return found


@st.composite
def corrupted(draw: st.DrawFn) -> Dataset:
    """A valid dataset with some references pointed at ids that do not exist."""
    ds = draw(datasets())
    values: dict[str, Any] = {name: list(ds.records(name)) for name in COLLECTIONS}
    places = [
        (name, field)
        for name, pairs in sorted(_TABLE.items())
        for field, _ in pairs
        if values[name] and "." not in field
    ]
    for _ in range(draw(st.integers(1, 3)) if places else 0):
        collection, field = draw(st.sampled_from(places))
        index = draw(st.integers(0, len(values[collection]) - 1))
        record = values[collection][index]
        current = getattr(record, field)
        ghost = f"ghost-{draw(st.integers(0, 3))}"
        if current is None or isinstance(current, str):
            new: Any = ghost
        else:
            new = type(current)((*current, ghost))
        values[collection][index] = record.model_copy(update={field: new})
    fields: dict[str, Any] = {k: getattr(ds, k) for k in ("name", "division_code")}
    fields.update((k, tuple(v)) for k, v in values.items())
    return Dataset.model_construct(**fields)


@given(corrupted())
def test_column_checks_report_exactly_what_a_record_walk_finds(ds):
    fields = {(c, f) for c, pairs in _TABLE.items() for f, _ in pairs}
    reported = [
        (i.collection, i.record_id, i.field, i.message.split("id ")[1].split(",")[0])
        for i in check_integrity(ds)
        if i.code == "unknown_reference" and (i.collection, i.field) in fields
    ]
    expected = [(c, r, f, repr(v)) for c, r, f, v in _naive_unknown_references(ds)]
    assert sorted(expected) == sorted(reported)


def test_a_registered_rule_runs_in_the_pass():
    ds = Dataset.model_validate({"name": "区", "division_code": "510106"})

    def extra(ctx: IntegrityPass) -> Any:
        yield from ctx.ref("needs", "n1", "recipient_id", "recipients", "nobody")

    integrity_rule(extra)
    try:
        issues = list(check_integrity(ds))
    finally:
        INTEGRITY_RULES.remove(extra)
    assert [(i.record_id, i.code) for i in issues] == [("n1", "unknown_reference")]
