"""Plan assembly: chosen edges → assignments, open roles with reasons, the plan (方案组装).

Takes each role set's chosen edges from the solver and builds the attrs values a
:class:`~wushe.matching.MatchPlan` holds. Reasons are counted with arrays, one row per
open role and one column per reason number (``_reasons.number``), never by a loop over
candidates.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import groupby
from operator import attrgetter

import numpy as np
from numpy.typing import NDArray

from wushe.matching._candidates import CandidateGraph, CandidateSet
from wushe.matching._inputs import AMOUNT_SCALE
from wushe.matching._plan import (
    Assignment,
    MatchPlan,
    MatchRole,
    TakenBy,
    Unmatched,
    _NeedInfo,
    score_breakdown,
)
from wushe.matching._policy import MatchPolicy
from wushe.matching._reasons import CODES, ReasonCode, number, referral_for
from wushe.matching._scoring import Scorer, proximity_of
from wushe.matching._whynot import idle_reasons, name_taken
from wushe.vocab import ServiceCategory

__all__: list[str] = []  # internal: solve_candidates calls these

I64 = NDArray[np.int64]
_CATEGORIES = tuple(ServiceCategory)
_ROLE_ORDER = {role: k for k, role in enumerate(MatchRole)}


def assignments(cs: CandidateSet, chosen: I64) -> list[Assignment]:
    """One assignment per chosen edge, with its score per criterion (匹配结果)."""
    el = cs.edge_left[chosen]
    er = cs.edge_right[chosen]
    scorer: Scorer = cs.scorer
    cols = {k: v.tolist() for k, v in scorer.components(el, er).items()}
    reach = scorer.reach(el, er).tolist()
    tiers = cs.left_tier[el].tolist()
    kind = cs.role.actor_kind
    out: list[Assignment] = []
    for k, (i, j) in enumerate(zip(el.tolist(), er.tolist(), strict=True)):
        amount = (
            Decimal(int(cs.left_amount[i])) / AMOUNT_SCALE if cs.is_resource else None
        )
        points = {name: col[k] for name, col in cols.items()}
        out.append(
            Assignment(
                need_id=cs.need_ids[i],
                role=cs.role,
                actor_kind=kind,
                actor_id=cs.actor_ids[j],
                amount=amount,
                score=score_breakdown(
                    points, tier=tiers[k], reach=proximity_of(reach[k])
                ),
            )
        )
    return out


def unmatched(cs: CandidateSet, chosen: I64, names: int = 5) -> list[Unmatched]:
    """Every role left (partly) open, with every reason and the named holders (未匹配)."""
    n_left, n_right = len(cs.need_ids), len(cs.actor_ids)
    el, er = cs.edge_left[chosen], cs.edge_right[chosen]
    filled = np.bincount(el, minlength=n_left)
    asked = np.where(cs.left_blocked, 1, cs.left_capacity)
    per_edge = cs.left_amount[el] if cs.is_resource else np.ones(el.size, np.int64)
    used = np.bincount(er, weights=per_edge, minlength=n_right).astype(np.int64)
    is_open = filled < asked
    open_left = np.flatnonzero(is_open)
    if open_left.size == 0:
        return []
    # Feasible candidates that the plan gave to others: say why each was not used.
    idle, code = idle_reasons(cs, chosen, is_open, used)
    taken = name_taken(cs, chosen, idle, code, names)
    table = _reason_table(cs, open_left, is_open, cs.edge_left[idle], code)
    return [
        _open_role(
            cs, int(i), table[k], int(asked[i] - filled[i]), taken.get(int(i), ())
        )
        for k, i in enumerate(open_left.tolist())
    ]


def _reason_table(
    cs: CandidateSet,
    open_left: I64,
    is_open: NDArray[np.bool_],
    idle_left: NDArray[np.int32],
    idle_code: I64,
) -> I64:
    """Candidates per (open left, reason number): rejected ones and idle feasible ones.

    Column 0, "feasible", stays empty.
    """
    n_codes = len(CODES) + 1
    slot = np.full(len(cs.need_ids), -1, dtype=np.int64)
    slot[open_left] = np.arange(open_left.size)
    counts = np.zeros(open_left.size * n_codes, dtype=np.int64)
    rej = is_open[cs.rejected_left]
    counts += np.bincount(
        slot[cs.rejected_left[rej]] * n_codes + cs.rejected_reason[rej],
        minlength=counts.size,
    )
    counts += np.bincount(slot[idle_left] * n_codes + idle_code, minlength=counts.size)
    return counts.reshape(open_left.size, n_codes)


def _open_role(
    cs: CandidateSet, i: int, row: I64, missing: int, taken: tuple[TakenBy, ...]
) -> Unmatched:
    """One open left's reasons, most specific first, and where to refer it."""
    present = row > 0
    if cs.left_blocked[i]:
        present[number(ReasonCode.AWAITING_REASSESSMENT)] = True
    category = int(cs.left_category[i])
    gated = bool(cs.left_gated[i])
    if not present.any() and not gated:
        fallback = (
            ReasonCode.NO_CANDIDATE_IN_AREA
            if cs.category_supplied[category]
            else ReasonCode.NO_ACTOR_WITH_SKILL
        )
        present[number(fallback)] = True
    if gated:
        present[number(ReasonCode.NO_LAWFUL_BASIS)] = True
    found = np.flatnonzero(present).tolist()
    department = referral_for(_CATEGORIES[category])
    may_refer = bool(cs.left_referable[i])
    return Unmatched(
        need_id=cs.need_ids[i],
        role=cs.role,
        missing=missing,
        reasons=tuple(CODES[c - 1] for c in found),
        counts=tuple((CODES[c - 1], int(row[c])) for c in found if row[c]),
        referral=department if may_refer else None,
        referral_withheld=None if may_refer else department,
        purpose=cs.purpose if gated else None,
        taken=taken,
    )


def plan_of(
    graph: CandidateGraph,
    done: list[Assignment],
    open_: list[Unmatched],
    objective: int,
) -> MatchPlan:
    """The plan: assignments and open roles sorted, and each need's own view (匹配方案)."""
    done.sort(key=lambda a: (a.need_id, _ROLE_ORDER[a.role], a.actor_id))
    open_.sort(key=lambda u: (u.need_id, _ROLE_ORDER[u.role]))
    need_id = attrgetter("need_id")
    filled = {n: tuple(group) for n, group in groupby(done, key=need_id)}
    left_open = {n: tuple(group) for n, group in groupby(open_, key=need_id)}
    infos = {
        n: _NeedInfo(
            category=meta.category,
            community_id=meta.community_id,
            station_ids=meta.station_ids,
            assignments=filled.get(n, ()),
            unmatched=left_open.get(n, ()),
        )
        for n, meta in graph.needs.items()
    }
    return MatchPlan(
        assignments=tuple(done),
        unmatched=tuple(open_),
        objective=objective,
        strategy=_strategy_text(graph.policy),
        as_of=graph.as_of,
        needs=infos,
    )


def _strategy_text(policy: MatchPolicy) -> str:
    if policy.strategy == "stable" and policy.preferences is not None:
        return f"stable:{policy.stable_proposer[:-1]}-proposing"
    return policy.strategy
