"""Why-not that names names: which feasible candidates other needs hold (未匹配点名).

For every open role the plan says, per feasible candidate left unused, why it is not used
(higher-priority needs hold it, lower-priority needs that scored higher hold it, an optimal
plan gives it elsewhere, or it is booked in an overlapping window) and names the needs that
hold it, by id.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from wushe.matching._plan import TakenBy
from wushe.matching._reasons import CODES, ReasonCode, number

I64 = NDArray[np.int64]
_HIGHER = ReasonCode.CAPACITY_EXHAUSTED_BY_HIGHER_PRIORITY
_LOWER = ReasonCode.CAPACITY_TAKEN_BY_LOWER_PRIORITY
_BOOKED = ReasonCode.DOUBLE_BOOKING
_OPTIMUM = ReasonCode.CAPACITY_EXHAUSTED


def idle_reasons(
    cs: Any, chosen: I64, is_open: NDArray[np.bool_], used: I64
) -> tuple[I64, I64]:
    """Feasible unused edges of open lefts and why each is unused (闲置候选及原因).

    Returns the edge indices and, per edge, its code's number (``_reasons.number``). Priority
    is judged against *every* holder: "higher priority" only when all needs holding the
    actor have a higher tier; any holder of a lower tier gives
    ``capacity_taken_by_lower_priority`` (it scored higher, as weighted priority allows).
    """
    n_right = len(cs.actor_ids)
    el, er = cs.edge_left[chosen], cs.edge_right[chosen]
    tiers = cs.left_tier[el].astype(np.int64)
    big = np.iinfo(np.int64).max
    low = np.full(n_right, big, dtype=np.int64)
    np.minimum.at(low, er, tiers)
    is_chosen = np.zeros(cs.n_edges, dtype=bool)
    is_chosen[chosen] = True
    idle = np.flatnonzero(is_open[cs.edge_left] & ~is_chosen)
    il, ir = cs.edge_left[idle], cs.edge_right[idle]
    need = cs.left_amount[il] if cs.is_resource else 1
    full = used[ir] + need > cs.right_capacity[ir]
    mine = cs.left_tier[il].astype(np.int64)
    held = low[ir] != big
    if cs.role.value == "venue":
        timed = np.ones(il.size, dtype=bool)
    elif cs.is_resource:
        timed = np.zeros(il.size, dtype=bool)
    else:
        timed = cs.left_window[il, 0] >= 0
    code = np.full(il.size, number(_OPTIMUM), dtype=np.int64)
    code[~full & timed] = number(_BOOKED)
    code[full & held & (low[ir] < mine)] = number(_LOWER)
    code[full & held & (low[ir] > mine)] = number(_HIGHER)
    return idle.astype(np.int64), code


def name_taken(
    cs: Any, chosen: I64, idle: I64, codes: I64, limit: int
) -> dict[int, tuple[TakenBy, ...]]:
    """Per open left, up to ``limit`` named candidates with the needs holding them (点名).

    Candidates come best score first, then by actor id; only actors some need holds are
    named (a greedy or stable plan may leave one idle), and a window clash names the
    holders whose windows overlap, so a left may get fewer than ``limit``.
    """
    if limit == 0 or idle.size == 0:
        return {}
    er_chosen = cs.edge_right[chosen]
    holds = np.bincount(er_chosen, minlength=len(cs.actor_ids)) > 0
    keep = holds[cs.edge_right[idle]]
    idle, codes = idle[keep], codes[keep]
    il, ir = cs.edge_left[idle], cs.edge_right[idle]
    order = np.lexsort((ir, -cs.edge_weight[idle], il))
    il_sorted = il[order]
    first = np.flatnonzero(np.r_[True, il_sorted[1:] != il_sorted[:-1]])
    starts = np.repeat(first, np.diff(np.r_[first, il_sorted.size]))
    top = order[np.arange(il_sorted.size) - starts < limit]
    holders: dict[int, list[int]] = {}
    for e in chosen.tolist():
        holders.setdefault(int(cs.edge_right[e]), []).append(int(cs.edge_left[e]))
    out: dict[int, list[TakenBy]] = {}
    window = cs.left_window
    for k in top.tolist():
        i, j, code = int(il[k]), int(ir[k]), CODES[int(codes[k]) - 1]
        by = holders[j]
        if code is _BOOKED:
            lo, hi = int(window[i, 0]), int(window[i, 1])
            by = [h for h in by if window[h, 0] < hi and lo < window[h, 1]]
        if not by:
            continue
        need_ids = tuple(sorted({cs.need_ids[h] for h in by}))
        taken = TakenBy(actor_id=cs.actor_ids[j], need_ids=need_ids, reason=code)
        out.setdefault(i, []).append(taken)
    return {i: tuple(v) for i, v in out.items()}
