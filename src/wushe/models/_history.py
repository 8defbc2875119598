"""Reading dated histories from one ledger cell (台账历史单元格解析).

A spreadsheet keeps a status or phase history in one cell, e.g.
``接案 2023-03-01；预估 2023-03-08`` or ``低保 2021-01-01~2022-12-31、低保边缘 2023-01-01~``.
The models accept such text as well as a JSON list; this module turns the text into the
list of dicts pydantic then validates, so every check still runs in one place.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

__all__: list[str] = []  # used by the models only

_ENTRY = re.compile(
    r"^(?P<label>.+?)\s*[:：]?\s*"
    r"(?P<start>\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)"
    r"(?:\s*(?P<range>[~～至]|--)\s*(?P<end>\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)?)?\s*$"
)
_SEPARATORS = re.compile(r"[;；、,，\n]")


def _iso(text: str) -> str:
    year, month, day = re.split(r"[-/.年月日]", text.rstrip("日"))[:3]
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def split_history(value: Any, *, label: str, start: str, end: str | None = None) -> Any:
    """Turn a history cell into a list of dicts; leave any other input unchanged.

    Each entry is ``<label> <date>`` or, with ``end``, ``<label> <date>~[<date>]``.
    Entries that do not parse are passed on as text, so pydantic reports the field.
    """
    if not isinstance(value, str):
        return value
    entries: list[Any] = []
    for part in _SEPARATORS.split(value):
        text = part.strip()
        if not text:
            continue
        match = _ENTRY.match(text)
        if match is None:
            entries.append(text)
            continue
        entry: dict[str, Any] = {
            label: match["label"].strip(),
            start: _iso(match["start"]),
        }
        if end is not None and match["end"]:
            entry[end] = _iso(match["end"])
        entries.append(entry)
    return entries


def check_span(since: date | None, until: date | None) -> None:
    """Refuse a dated span whose last day comes before its first (起止日期校验)."""
    if since is not None and until is not None and until < since:
        msg = "until must not be before since"
        raise ValueError(msg)


def in_span(since: date | None, until: date | None, day: date) -> bool:
    """Whether ``day`` falls in the span; an open end holds on every day past it (当日有效)."""
    return (since is None or since <= day) and (until is None or day <= until)
