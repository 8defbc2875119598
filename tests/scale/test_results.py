"""A run's facts files: written whole, read back only when they match, never personal."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.scale.province import make_county
from tests.strategies import resident_ids
from wushe.care import VisitRecord
from wushe.models import Dataset
from wushe.scale import MonthlyFacts, monthly_facts, read_facts
from wushe.scale._results import (
    facts_name,
    personal_ids,
    read_stamped,
    stamp,
    withhold_personal,
    write_atomic,
    write_facts,
)

AS_OF = date(2024, 6, 30)


def _county(code: str = "510101") -> MonthlyFacts:
    data, log = make_county(code, streets=1, communities=2, recipients=5)
    visits = [VisitRecord.model_validate(v) for v in log["visits"]]
    return monthly_facts(
        Dataset.model_validate(data), as_of=AS_OF, visits=visits, partition=code
    )


def test_facts_read_back_equal_what_was_written(tmp_path: Path) -> None:
    facts = _county()
    path = tmp_path / facts_name("510101", "ab" * 32)
    write_facts(path, facts, stamp("510101", "ab" * 32, AS_OF))
    assert path.name == "510101-abababababababab.json"
    assert read_facts(path) == facts
    assert read_stamped(path, stamp("510101", "ab" * 32, AS_OF)) == facts
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


@pytest.mark.parametrize(
    "other",
    [
        stamp("510101", "cd" * 32, AS_OF),  # the partition's data changed
        stamp("510101", "ab" * 32, date(2024, 7, 31)),  # another day
        stamp("510102", "ab" * 32, AS_OF),  # another partition's file
        {**stamp("510101", "ab" * 32, AS_OF), "wushe": "0.0.0"},  # another version
    ],
)
def test_a_facts_file_is_reused_only_for_its_own_stamp(
    tmp_path: Path, other: dict[str, str]
) -> None:
    path = tmp_path / "f.json"
    write_facts(path, _county(), stamp("510101", "ab" * 32, AS_OF))
    assert read_stamped(path, other) is None


@pytest.mark.parametrize(
    "content", [b"", b"{", b"[]", b'{"stamp": 1}', b'{"facts": {"month": 1, "x": 2}}']
)
def test_a_torn_or_foreign_file_is_not_reused_and_not_read_as_facts(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(content)
    assert read_stamped(path, stamp("510101", "ab" * 32, AS_OF)) is None
    with pytest.raises(ValueError, match=r"facts file|Expecting|JSON"):
        read_facts(path)


def test_an_atomic_write_that_fails_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(b"old")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError, match="No space"):
        write_atomic(path, b"new")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["f.json"]


_SEPARATOR = st.sampled_from(["", "-", "_", ".", ":"])


@st.composite
def _hidden(draw: st.DrawFn, secret: str) -> str:
    """``secret`` inside an id: letters around it, separators between its characters."""
    cut = sorted(
        draw(st.lists(st.integers(1, len(secret) - 1), max_size=3, unique=True))
    )
    pieces = [secret[i:j] for i, j in zip([0, *cut], [*cut, len(secret)], strict=True)]
    inside = "".join(p + draw(_SEPARATOR) for p in pieces[:-1]) + pieces[-1]
    before = draw(st.sampled_from(["", "p", "r-", "id:", "c510101-"]))
    after = draw(st.sampled_from(["", "-n", "x", "_v1"]))
    return before + inside + after


@st.composite
def _personal(draw: st.DrawFn) -> tuple[str, str]:
    kind = draw(st.sampled_from(["resident_id", "phone"]))
    if kind == "resident_id":
        secret = draw(resident_ids())
    else:
        secret = draw(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
    return kind, draw(_hidden(secret))


@given(found=_personal(), where=st.sampled_from(["warning", "assignment", "unmatched"]))
def test_an_id_holding_an_id_number_or_phone_is_found_wherever_it_is(
    found: tuple[str, str], where: str
) -> None:
    kind, text = found
    facts = {
        "warning": MonthlyFacts(month="2024-06", warnings=((text, "overdue", "s", "2024-05-01"),)),
        "assignment": MonthlyFacts(month="2024-06", assignments=(("n1", "volunteers", text),)),
        "unmatched": MonthlyFacts(month="2024-06", unmatched=((text, "volunteers", 1, "x"),)),
    }[where]  # fmt: skip
    [line] = personal_ids(facts)
    # Digits around a phone may happen to read as an ID number: found either way.
    assert line.endswith(f"1 {kind}") or kind == "phone"
    assert line.endswith(("1 resident_id", "1 phone"))
    assert text not in line


@given(county=st.sampled_from(["510101", "511920", "110105"]), seed=st.integers(0, 20))
def test_the_ids_of_a_synthetic_county_are_not_taken_for_personal_data(
    county: str, seed: int
) -> None:
    """No false alarm: every id of the generated province, in every place an id goes."""
    data, _ = make_county(county, streets=2, communities=14, recipients=30, seed=seed)
    ids = [r[k] for name, k in (("recipients", "recipient_id"), ("needs", "need_id"),
           ("workers", "worker_id"), ("volunteers", "volunteer_id"),
           ("stations", "station_id")) for r in data[name]]  # fmt: skip
    facts = MonthlyFacts(
        month="2024-06",
        warnings=tuple((i, "overdue", i, "2024-05-01") for i in ids),
        assignments=tuple((i, "volunteers", i) for i in ids),
        stations={i: {} for i in ids},
    )
    assert personal_ids(facts) == ()


@pytest.mark.parametrize(
    "text",
    [
        "12345678901234567",  # 17 digits: too short for an ID number
        "5101061941031212340",  # 19 digits: not one ID number
        "510106194103121235",  # the check character does not match
        "12812345678",  # no mobile prefix
        "1381234567",  # ten digits
        "138123456789",  # twelve digits
    ],
)
def test_numbers_that_are_neither_an_id_number_nor_a_phone_pass(text: str) -> None:
    facts = MonthlyFacts(month="2024-06", assignments=(("n1", "volunteers", text),))
    assert personal_ids(facts) == ()


def test_a_facts_file_holds_the_fields_of_the_facts_and_a_stamp(tmp_path: Path) -> None:
    facts = _county()
    path = tmp_path / "f.json"
    write_facts(path, facts, stamp("510101", "ab" * 32, AS_OF))
    saved = json.loads(path.read_bytes())
    assert set(saved) == {"stamp", "facts"}
    assert set(saved["facts"]) == set(attrs.fields_dict(MonthlyFacts))


@given(found=_personal())
def test_a_failure_line_withholds_the_word_holding_an_id_number_or_phone(
    found: tuple[str, str],
) -> None:
    _, text = found
    line = f"12 · {text} · community_id · unknown_reference"
    assert withhold_personal(line) == "12 · ****** · community_id · unknown_reference"
    assert withhold_personal("3 · c510101-s1c1-p0 · name · empty") == (
        "3 · c510101-s1c1-p0 · name · empty"
    )
