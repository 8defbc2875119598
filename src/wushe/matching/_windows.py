"""Hard rules on time: availability and venue bookings (服务时段规则).

A need's service window is ``[start, end)`` in seconds since 1900-01-01 Beijing time
(``NeedFeatures.window``, ``-1`` when the need gives none). A worker or volunteer who lists
availability must have one interval that *contains* the window; a venue must have no
booking that *overlaps* it. Actors without listed availability are always available.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from wushe.matching._inputs import I32, I64, Bools, RoleContext, epoch

__all__: list[str] = []  # internal: registered in _rules.py


def intervals(
    per_right: Sequence[Sequence[Any]],
) -> tuple[I64, I64, I64]:
    """CSR layout of each actor's time windows: pointers, starts and ends (时段表)."""
    ptr = np.zeros(len(per_right) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(x) for x in per_right])
    flat = [w for x in per_right for w in x]
    starts = np.array([epoch(w.start) for w in flat], dtype=np.int64)
    ends = np.array([epoch(w.end) for w in flat], dtype=np.int64)
    return ptr, starts, ends


def any_interval(
    el: I32,
    er: I32,
    window: I64,
    table: tuple[I64, I64, I64],
    *,
    contain: bool,
) -> Bools:
    """Per edge: does an interval of the actor contain (or overlap) the need's window?"""
    ptr, starts, ends = table
    counts = ptr[er + 1] - ptr[er]
    reps = np.repeat(np.arange(el.shape[0]), counts)
    if reps.size == 0:
        return np.zeros(el.shape[0], dtype=bool)
    offsets = np.arange(reps.size) - np.repeat(np.cumsum(counts) - counts, counts)
    idx = np.repeat(ptr[er], counts) + offsets
    ws = window[el[reps], 0]
    we = window[el[reps], 1]
    if contain:
        hit = (starts[idx] <= ws) & (we <= ends[idx])
    else:
        hit = (starts[idx] < we) & (ws < ends[idx])
    out = np.zeros(el.shape[0], dtype=bool)
    np.logical_or.at(out, reps, hit)
    return out


def _checked(
    ctx: RoleContext, el: I32, er: I32, field: str
) -> tuple[Bools, tuple[I64, I64, I64]] | None:
    """Edges with a need window and an actor listing ``field``, and the actors' table."""
    records = ctx.records
    if not any(getattr(x, field, ()) for x in records):
        return None
    has_window = ctx.left.window[el, 0] >= 0
    if not has_window.any():
        return None
    table = intervals([getattr(x, field, ()) for x in records])
    ptr = table[0]
    check = has_window & ((ptr[er + 1] - ptr[er]) > 0)
    return (check, table) if check.any() else None


def not_available(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """The actor lists availability and no interval contains the need's window (不在服务时段)."""
    found = _checked(ctx, el, er, "availability")
    if found is None:
        return None
    check, table = found
    ok = any_interval(el[check], er[check], ctx.left.window, table, contain=True)
    bad = np.zeros(el.shape[0], dtype=bool)
    bad[np.flatnonzero(check)[~ok]] = True
    return bad


def venue_booked(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """A booking of the venue overlaps the need's window (场地已被预约)."""
    found = _checked(ctx, el, er, "bookings")
    if found is None:
        return None
    check, table = found
    hit = any_interval(el[check], er[check], ctx.left.window, table, contain=False)
    bad = np.zeros(el.shape[0], dtype=bool)
    bad[np.flatnonzero(check)[hit]] = True
    return bad
