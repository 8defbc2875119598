"""Every reveal goes through the audit hook, once per call, with no personal data (披露审计)."""

from __future__ import annotations

import io
import logging

import pytest
from pydantic import TypeAdapter

from wushe import examples
from wushe.cli import main
from wushe.io import dump_dataset, export_ledgers, load_dataset
from wushe.models import Dataset, Recipient, SocialWorker, Volunteer
from wushe.privacy import (
    REVEAL,
    RevealEvent,
    audit_hook,
    reveal,
    reveal_context,
    set_audit_hook,
)

EXAMPLE = examples.path("qixinggang.json")


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset(EXAMPLE)


@pytest.fixture
def events():
    captured: list[RevealEvent] = []
    with audit_hook(captured.append):
        yield captured


def _people(ds: Dataset) -> int:
    return len(ds.recipients) + len(ds.workers) + len(ds.volunteers)


def _secrets(ds: Dataset) -> list[str]:
    found: list[str] = []
    people: list[Recipient | SocialWorker | Volunteer] = [
        *ds.recipients,
        *ds.workers,
        *ds.volunteers,
    ]
    with audit_hook(lambda _: None):
        for person in people:
            found.append(person.name.reveal())
            for value in (getattr(person, "id_number", None), person.phone):
                if value is not None:
                    found.append(value.reveal())
    return found


def test_sensitive_reveal_records_one_event_with_its_reason(ds, events):
    person = ds.recipients[0]
    assert person.id_number is not None
    person.id_number.reveal(reason="verify identity")
    reveal(person.name, reason="call the family")
    assert events == [
        RevealEvent(
            via="Sensitive.reveal",
            reason="verify identity",
            kinds=("identity number",),
            records=1,
        ),
        RevealEvent(
            via="Sensitive.reveal",
            reason="call the family",
            kinds=("personal name",),
            records=1,
        ),
    ]


@pytest.mark.parametrize("method", ["model_dump", "model_dump_json"])
def test_a_revealing_dump_of_a_record_is_one_event(ds, events, method):
    getattr(ds.recipients[0], method)(context=REVEAL)
    (event,) = events
    assert event.via == f"Recipient.{method}"
    assert event.reason == "unspecified"
    assert event.records == 1
    assert {"personal name", "identity number", "birth date"} <= set(event.kinds)


def test_a_revealing_dump_of_a_dataset_is_one_event_counting_every_person(ds, events):
    ds.model_dump_json(context=reveal_context("annual backup"))
    (event,) = events
    assert event.via == "Dataset.model_dump_json"
    assert event.reason == "annual backup"
    assert event.records == _people(ds)


def test_dump_dataset_is_one_event(ds, events, tmp_path):
    dump_dataset(ds, tmp_path / "copy.json")
    (event,) = events
    assert event.via == "dump_dataset"
    assert event.reason == "dataset file (system of record)"
    assert event.records == _people(ds)
    assert load_dataset(tmp_path / "copy.json") == ds


def test_a_revealed_ledger_export_is_one_event(ds, events, tmp_path):
    export_ledgers(
        ds, tmp_path / "r.csv", kinds=["recipients"], reveal=True, reason="handover"
    )
    (event,) = events
    assert event.via == "export_ledgers"
    assert event.reason == "handover"
    assert event.records == len(ds.recipients)


def test_the_cli_reveal_goes_through_the_hook(events, tmp_path):
    out = io.StringIO()
    argv = ["export", str(EXAMPLE), str(tmp_path / "l.xlsx"), "--reveal", "--json"]
    assert main(argv, out=out, err=io.StringIO()) == 0
    (event,) = events
    assert event.via == "export_ledgers"
    assert event.reason == "wushe export --reveal"


def test_a_foreign_dump_with_reveal_is_recorded_per_value(ds, events):
    TypeAdapter(tuple[Recipient, ...]).dump_python(ds.recipients[:2], context=REVEAL)
    assert events
    assert {e.via for e in events} == {"serialiser"}


def test_default_outputs_and_loading_record_nothing(ds, events, tmp_path):
    load_dataset(EXAMPLE)
    ds.model_dump_json()
    repr(ds)
    export_ledgers(ds, tmp_path / "masked.csv", kinds=["recipients"])
    assert events == []


def test_the_default_hook_logs_kinds_counts_and_reason_but_no_value(ds, caplog):
    with caplog.at_level(logging.INFO, logger="wushe.audit"):
        ds.model_dump(context=reveal_context("transfer to the street office"))
        ds.recipients[0].name.reveal(reason="phone call")
    records = [r for r in caplog.records if r.name == "wushe.audit"]
    assert len(records) == 2
    line = records[0].getMessage()
    assert "Dataset.model_dump" in line
    assert f"{_people(ds)} record(s)" in line
    assert "transfer to the street office" in line
    assert "identity number" in line
    for secret in _secrets(ds):
        assert secret not in caplog.text


def test_a_hook_that_raises_stops_the_reveal(ds, tmp_path):
    def refuse(event: RevealEvent) -> None:
        msg = f"reveal refused: {event.via}"
        raise PermissionError(msg)

    target = tmp_path / "never.json"
    with audit_hook(refuse), pytest.raises(PermissionError):
        dump_dataset(ds, target)
    assert not target.exists()


def test_set_audit_hook_returns_the_previous_hook_and_none_restores_the_log():
    captured: list[RevealEvent] = []
    previous = set_audit_hook(captured.append)
    try:
        assert set_audit_hook(None) == captured.append
        restored = set_audit_hook(previous)
        assert restored is not captured.append
    finally:
        set_audit_hook(previous)


def test_writing_a_partitioned_store_is_one_event_per_piece(ds, events, tmp_path):
    from wushe.io import write_store  # noqa: PLC0415

    write_store(tmp_path / "store", ds)
    (event,) = events
    assert event.via == "StoreWriter.add"
    assert event.reason == "partitioned store (system of record)"
    assert event.records == _people(ds)
