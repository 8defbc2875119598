"""A renamed keyword fails loudly and names its replacement; it never does something else."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from wushe import examples
from wushe._renamed import renamed_keywords
from wushe.io import dump_dataset
from wushe.matching import apply_plan, match
from wushe.privacy import (
    RevealEvent,
    SensitiveName,
    audit_hook,
    audit_reveal,
    reveal,
    reveal_context,
)

# (what is called, the old keyword, the new keyword); each call passes only the old one.
RENAMED: list[tuple[str, Callable[..., Any], str, str]] = [
    ("Sensitive.reveal", SensitiveName("张晓华").reveal, "purpose", "reason"),
    ("reveal", lambda **kw: reveal(SensitiveName("张晓华"), **kw), "purpose", "reason"),
    ("reveal_context", reveal_context, "purpose", "reason"),
    (
        "audit_reveal",
        lambda **kw: audit_reveal(SensitiveName("张晓华"), via="test", **kw),
        "purpose",
        "reason",
    ),
]


@pytest.mark.parametrize(
    ("name", "call", "old", "new"), RENAMED, ids=[r[0] for r in RENAMED]
)
def test_an_old_keyword_raises_a_type_error_naming_the_new_one(name, call, old, new):
    events: list[RevealEvent] = []
    with audit_hook(events.append), pytest.raises(TypeError) as caught:
        call(**{old: "an old call"})
    message = str(caught.value)
    assert f"{old!r}" in message
    assert f"{new}=" in message
    assert events == []  # nothing was revealed on the way to the error


def test_dump_dataset_with_purpose_raises_and_writes_nothing(tmp_path: Path):
    target = tmp_path / "copy.json"
    events: list[RevealEvent] = []
    with audit_hook(events.append), pytest.raises(TypeError, match=r"reason="):
        dump_dataset(examples.load("qixinggang"), target, purpose="backup")  # type: ignore[call-arg]
    assert not target.exists()
    assert events == []


def test_the_new_keyword_is_what_the_audit_records():
    events: list[RevealEvent] = []
    with audit_hook(events.append):
        assert SensitiveName("张晓华").reveal(reason="call back") == "张晓华"
    assert [e.reason for e in events] == ["call back"]


def test_reading_the_old_event_field_says_what_to_read():
    event = RevealEvent(via="test", reason="x", kinds=(), records=1)
    with pytest.raises(AttributeError, match=r"RevealEvent\.reason"):
        _ = event.purpose  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        _ = event.no_such_field  # type: ignore[attr-defined]


def test_the_wrapped_signature_shows_only_the_new_keyword():
    for func in (reveal, reveal_context, audit_reveal, dump_dataset):
        parameters = inspect.signature(func).parameters
        assert "reason" in parameters
        assert "purpose" not in parameters


def test_a_keyword_that_was_not_renamed_passes_through_unchanged():
    @renamed_keywords(old="new")
    def f(*, new: int = 0, other: int = 0) -> tuple[int, int]:
        return new, other

    assert f(new=1, other=2) == (1, 2)
    with pytest.raises(TypeError, match=r"unexpected keyword"):
        f(unknown=3)  # type: ignore[call-arg]
    with pytest.raises(
        TypeError, match=r"f\(\) got the keyword 'old', renamed to 'new'"
    ):
        f(old=1)  # type: ignore[call-arg]


def test_apply_plan_with_opened_on_raises_and_opens_no_case():
    ds = examples.load("qixinggang")
    plan = match(ds.needs, ds)
    with pytest.raises(TypeError, match=r"'opened_on', renamed to 'as_of'"):
        apply_plan(ds.needs, ds, plan, opened_on=date(2022, 4, 1))  # type: ignore[call-arg]
    assert "opened_on" not in inspect.signature(apply_plan).parameters
    done = apply_plan(ds.needs, ds, plan, as_of=date(2022, 4, 1))
    assert all(c.opened_on == date(2022, 4, 1) for c in done.cases)


def test_an_argument_that_moved_from_a_position_to_a_keyword_is_named():
    @renamed_keywords(max_positional=1, old="new")
    def f(first: int, *, new: int = 0) -> int:
        return first + new

    assert f(1, new=2) == 3
    with pytest.raises(TypeError, match=r"f\(\) takes 1 positional arguments but 2"):
        f(1, 2)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"'old' is now the keyword new=\.\.\."):
        f(1, 2)  # type: ignore[call-arg]
