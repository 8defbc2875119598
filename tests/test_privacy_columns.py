"""Sensitive values checked as whole columns decide exactly as each value alone (#16)."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from tests.strategies import resident_id
from wushe.privacy import (
    ColumnChecks,
    Sensitive,
    SensitiveIdNumber,
    SensitiveName,
    SensitivePhone,
)

COLUMN_CLASSES = (SensitiveName, SensitivePhone, SensitiveIdNumber)
# Characters near every rule's edge: ASCII and full-width digits, X and x, spaces of
# several kinds, NUL, the CJK range's neighbours, invisible fillers and separators.
EDGES = "0123456789Xx \t\u3000\u00a0\x00\u4e00\u9fff\u4dff\ua000\u3164\uff11+-()张Aa_."


def _near_ids() -> st.SearchStrategy[str]:
    valid = st.builds(
        resident_id,
        st.sampled_from(("510106", "110101", "810000", "990101", "000000")),
        st.dates(date(1900, 1, 1), date(2030, 12, 31)),
        st.integers(0, 999),
    )
    return st.one_of(
        valid,
        st.builds(
            lambda v, i, c: v[:i] + c + v[i + 1 :],
            valid,
            st.integers(0, 17),
            st.sampled_from(EDGES),
        ),
        st.builds(
            lambda v, pad: pad + v + pad, valid, st.sampled_from(("", " ", "\x00"))
        ),
        st.builds(lambda v, pad: v + pad, valid, st.sampled_from(("\x00", " ", "0"))),
        valid.map(str.lower),
    )


def _near_phones() -> st.SearchStrategy[str]:
    digits = st.text(alphabet="0123456789", min_size=9, max_size=9)
    valid = st.builds(
        lambda second, rest: "1" + second + rest, st.sampled_from("0123456789"), digits
    )
    return st.one_of(
        valid,
        st.builds(
            lambda v, i, c: v[:i] + c + v[i + 1 :],
            valid,
            st.integers(0, 10),
            st.sampled_from(EDGES),
        ),
        st.builds(
            lambda pre, v: pre + v, st.sampled_from(("+86", "0086", "+86 ", "")), valid
        ),
        st.builds(lambda v, pad: v + pad, valid, st.sampled_from(("\x00", " ", "0"))),
    )


def values_for(cls: type[Sensitive[Any]]) -> st.SearchStrategy[str]:
    edgy = st.text(alphabet=EDGES, max_size=20)
    if cls is SensitiveIdNumber:
        return st.one_of(_near_ids(), edgy)
    if cls is SensitivePhone:
        return st.one_of(_near_phones(), edgy)
    return st.one_of(edgy, st.text(max_size=6))


def _alone(cls: type[Sensitive[Any]], value: str) -> str | Exception:
    try:
        checked: str = cls._check(value)
    except ValueError as exc:
        return exc
    return checked


@pytest.mark.parametrize("cls", COLUMN_CLASSES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_a_column_clears_only_values_their_own_check_returns_unchanged(cls, data):
    values = data.draw(st.lists(values_for(cls), max_size=12))
    for value, cleared in zip(values, cls._check_column(values), strict=True):
        if cleared:
            assert _alone(cls, value) == value


@pytest.mark.parametrize("cls", COLUMN_CLASSES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_values_checked_as_a_column_equal_values_checked_alone(cls, data):
    values = data.draw(st.lists(values_for(cls), max_size=12))
    adapter: TypeAdapter[list[Sensitive[str]]] = TypeAdapter(list[cls])  # type: ignore[valid-type]
    text = json.dumps(values)
    expected = [_alone(cls, v) for v in values]
    with ColumnChecks() as later:
        loaded = adapter.validate_json(text)  # stored unchecked, listed for the column
        if all(isinstance(e, str) for e in expected):
            later.finish()
            assert [_raw(v) for v in loaded] == expected
            return
        first = next(str(e) for e in expected if isinstance(e, Exception))
        with pytest.raises(ValueError, match=re.escape(first)):
            later.finish()


def _raw(value: Sensitive[str]) -> str:
    return value._value


def test_outside_a_column_block_every_value_is_checked_alone():
    adapter = TypeAdapter(list[SensitivePhone])
    with pytest.raises(ValidationError, match="mobile number"):
        adapter.validate_json('["12345"]')
    with ColumnChecks() as later:
        later.finish()  # finishing ends the deferral inside the block too
        with pytest.raises(ValidationError, match="mobile number"):
            adapter.validate_json('["12345"]')
    assert ColumnChecks.active() is None
