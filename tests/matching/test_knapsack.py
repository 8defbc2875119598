"""The exact fund knapsack equals the old integer program and brute force, tier by tier."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.matching.strategies import AS_OF, COMMUNITIES
from tests.matching.test_match_priority import GROUPS, _elder
from wushe.exceptions import MatchingError
from wushe.matching import CandidateSet, MatchPolicy, build_candidates, match
from wushe.matching._knapsack import fit_count, solve_knapsack
from wushe.matching._match import _solve_program
from wushe.models import CharitableResource, Need, Restriction
from wushe.vocab import ResourceKind

BIG = 10**14
"""The largest amount in hundredths of a yuan: 10**12 yuan, the models' bound."""
ENGINES = ("cpsat", "highs")


def _cents(c: int) -> Decimal:
    return Decimal(c) / 100


@st.composite
def fund_worlds(draw: st.DrawFn) -> dict[str, Any]:
    """Up to six requests against up to three funds, drawn to be awkward.

    Amounts: small, equal, one large request against several smaller ones that fit in
    its place together (where a total-score optimum would let them displace it), or huge (near the 10**12 yuan bound, one cent either side of a
    half); balances: a request's amount exactly, the sum of two, small, or huge; funds all
    identical at times; scores tied (one urgency, no waiting) at times; a restricted fund
    that serves only some recipients, so the problem can split into components.
    """
    huge = st.sampled_from([BIG, BIG - 1, BIG // 2, BIG // 2 + 1, BIG // 3])
    amount = draw(
        st.sampled_from(
            [
                st.integers(1, 400),
                st.sampled_from([100, 100, 250]),
                huge | st.integers(1, 400),
            ]
        )
    )
    n = draw(st.integers(1, 6))
    cents = [draw(amount) for _ in range(n)]
    tied = draw(st.booleans())
    urgency = (
        st.just("medium") if tied else st.sampled_from(["low", "high", "critical"])
    )
    needs = [
        Need.model_validate(
            {
                "need_id": f"n{i}",
                "recipient_id": f"p{i}",
                "category": "elderly_care",
                "urgency": draw(urgency),
                "raised_on": AS_OF
                - timedelta(days=0 if tied else draw(st.integers(0, 90))),
                "roles": [
                    {"role": "resource", "resource_kind": "funds", "amount": _cents(c)}
                ],
            }
        )
        for i, c in enumerate(cents)
    ]
    pair = st.tuples(st.sampled_from(cents), st.sampled_from(cents)).map(sum)
    balance = (
        st.sampled_from(cents)
        | pair
        | st.integers(1, 800)
        | st.sampled_from([10_000, 15_000])
        | huge
    )
    m = draw(st.integers(1, 3))
    first = draw(balance)
    identical = draw(st.booleans())
    funds = []
    for j in range(m):
        restricted = not identical and draw(st.booleans())
        funds.append(
            CharitableResource(
                resource_id=f"f{j}",
                name="社区慈善基金",
                resource_kind=ResourceKind.FUNDS,
                total=_cents(min(first if identical else draw(balance), BIG)),
                community_id=None
                if identical
                else draw(st.sampled_from(["c11", "c21", None])),
                restriction=Restriction(
                    beneficiary_ids=frozenset(
                        f"p{i}" for i in range(n) if draw(st.booleans())
                    )
                    | {"p0"}
                )
                if restricted
                else None,
            )
        )
    return {
        "needs": needs,
        "actors": funds,
        "recipients": [_elder(i, GROUPS[draw(st.integers(0, 2))]) for i in range(n)],
        "communities": COMMUNITIES,
    }


def _funds(world: dict[str, Any], lexicographic: bool = True) -> CandidateSet:
    policy = MatchPolicy(priority_mode="lexicographic" if lexicographic else "weighted")
    graph = build_candidates(**world, as_of=AS_OF, policy=policy)
    return graph.sets[0]


def key(cs: CandidateSet, chosen: Any, lexicographic: bool = True) -> tuple[int, ...]:
    """Per tier, highest first, the chosen weight; with one objective, the total."""
    chosen = np.asarray(chosen, dtype=np.int64)
    weight = cs.edge_weight[chosen]
    if not lexicographic:
        return (int(weight.sum()),)
    tier = cs.left_tier[cs.edge_left[chosen]]
    tiers = sorted(set(cs.left_tier[cs.edge_left].tolist()), reverse=True)
    return tuple(int(weight[tier == t].sum()) for t in tiers)


def feasible(cs: CandidateSet, chosen: Any) -> bool:
    """One fund per request at most, no fund past its balance, in exact integers."""
    chosen = [int(e) for e in chosen]
    lefts = [int(cs.edge_left[e]) for e in chosen]
    paid: dict[int, int] = {}
    for e, i in zip(chosen, lefts, strict=True):
        j = int(cs.edge_right[e])
        paid[j] = paid.get(j, 0) + int(cs.left_amount[i])
    return len(set(lefts)) == len(lefts) and all(
        p <= int(cs.right_capacity[j]) for j, p in paid.items()
    )


def brute_force(cs: CandidateSet, lexicographic: bool = True) -> tuple[int, ...]:
    """The best key over every plan: each request takes one candidate fund or none."""
    options = [
        [None, *np.flatnonzero(cs.edge_left == i).tolist()]
        for i in range(len(cs.need_ids))
    ]
    best: tuple[int, ...] = ()
    for plan in itertools.product(*options):
        chosen = [e for e in plan if e is not None]
        if feasible(cs, chosen):
            best = max(best, key(cs, chosen, lexicographic))
    return best


@settings(max_examples=150, deadline=None)
@given(fund_worlds(), st.booleans())
def test_the_knapsack_equals_brute_force_tier_by_tier(world, lexicographic):
    cs = _funds(world, lexicographic)
    best = brute_force(cs, lexicographic)
    for engine in ENGINES:
        chosen = solve_knapsack(cs, lexicographic=lexicographic, engine=engine)
        assert feasible(cs, chosen), engine
        assert key(cs, chosen, lexicographic) == best, engine


@settings(max_examples=100, deadline=None)
@given(fund_worlds())
def test_the_knapsack_equals_the_old_integer_program(world):
    cs = _funds(world)
    if int(cs.left_amount.max(initial=0)) * len(cs.need_ids) >= 2**53:
        return  # the old program's floats are not exact there
    new = solve_knapsack(cs, lexicographic=True)
    old = _solve_program(cs, [], lexicographic=True)
    assert key(cs, new) == key(cs, old)


@settings(max_examples=60, deadline=None)
@given(fund_worlds())
def test_match_gives_the_knapsack_optimum_and_the_same_plan_every_time(world):
    cs = _funds(world)
    plan = match(**world, as_of=AS_OF)
    assert plan.objective == sum(brute_force(cs))
    assert match(**world, as_of=AS_OF).assignments == plan.assignments


def test_fit_count_counts_the_smallest_amounts_that_fit_together():
    assert fit_count(np.array([5, 1, 3, 9]), 9) == 3
    assert fit_count(np.array([5, 1, 3, 9]), 3) == 1
    assert fit_count(np.array([4, 4]), 8) == 2
    assert fit_count(np.array([], dtype=np.int64), 0) == 0


def test_an_unknown_engine_is_refused_by_name():
    cs = _one_fund([Decimal(30), Decimal(50)], Decimal(60))
    with pytest.raises(MatchingError, match="engine must be one of"):
        solve_knapsack(cs, engine="glpk")


def _one_fund(amounts: list[Decimal], total: Decimal) -> CandidateSet:
    needs = [
        Need.model_validate(
            {
                "need_id": f"n{i}",
                "recipient_id": f"p{i}",
                "category": "elderly_care",
                "raised_on": AS_OF,
                "roles": [{"role": "resource", "resource_kind": "funds", "amount": a}],
            }
        )
        for i, a in enumerate(amounts)
    ]
    fund = CharitableResource(
        resource_id="f1", name="基金", resource_kind=ResourceKind.FUNDS, total=total
    )
    world = {
        "needs": needs,
        "actors": [fund],
        "recipients": [_elder(i, []) for i in range(len(amounts))],
        "communities": COMMUNITIES,
    }
    return _funds(world)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_huge_fund_is_never_overspent_by_one_cent(engine):
    # 10**12 yuan against two requests one cent over half of it each: only one fits.
    half = _cents(BIG // 2 + 1)
    cs = _one_fund([half, half, Decimal("0.01")], _cents(BIG))
    chosen = solve_knapsack(cs, engine=engine)
    assert feasible(cs, chosen)
    assert len(chosen) == 2


@pytest.mark.parametrize("engine", ENGINES)
def test_requests_that_exactly_spend_the_fund_are_all_paid(engine):
    cs = _one_fund(
        [Decimal("333.33"), Decimal("333.33"), Decimal("333.34")], Decimal(1000)
    )
    assert len(solve_knapsack(cs, engine=engine)) == 3
