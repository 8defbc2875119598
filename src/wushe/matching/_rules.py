"""Hard rules as a registry: one function per rule, an ordered list per role (硬性规则).

A rule is a function ``(context, needs_idx, actors_idx) -> bool array``: given the left
node (``needs_idx``) and right node (``actors_idx``) of each candidate pair of one role, it
says which pairs break it. It may return ``None`` when no pair can break it in this run
(a policy switch is off, nobody lists availability …), which the builder treats as all
``False`` without building the array. :data:`HARD_RULES` lists, per role, the rules in the
order they are checked, each with its :class:`~wushe.matching.ReasonCode`; a rejected pair
keeps the code of the first rule it breaks.

Adding a rule is writing one function and adding one :class:`HardRule` to the roles it
applies to (and, for a new code, one :class:`~wushe.matching.ReasonCode` member with its
templates).
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import numpy as np
from numpy.typing import NDArray

from wushe.codes import age_on
from wushe.matching._consent import no_lawful_basis
from wushe.matching._declines import declined_pair
from wushe.matching._inputs import (
    I32,
    I64,
    Bools,
    RoleContext,
    category_mask,
    group_mask,
    member,
)
from wushe.matching._plan import MatchRole
from wushe.matching._reasons import ReasonCode, number
from wushe.matching._same_person import same_person
from wushe.matching._windows import not_available, venue_booked

__all__: list[str] = []  # internal: the candidate builder applies HARD_RULES

Check = Callable[[RoleContext, I32, I32], Bools | None]


@attrs.frozen
class HardRule:
    """One hard rule: its reason code and the function that finds breaking pairs (硬性规则)."""

    code: ReasonCode
    check: Check


# ---------------------------------------------------------------------------------------
# People


def no_capacity(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """The actor's caseload or capacity is zero (无可用容量)."""
    del el
    zero = ctx.pool.capacity == 0
    return zero[er] if zero.any() else None


def no_qualified_worker(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """The worker lacks, or no longer holds, the certificate the role asks (资质不符).

    A minor's case asks at least the policy's ``minor_lead_qualification``.
    """
    policy, as_of = ctx.policy, ctx.as_of
    held = np.array(
        [
            x.qualification.rank
            if x.qualification is not None
            and (x.registered_until is None or x.registered_until >= as_of)
            else 0
            for x in ctx.records
        ],
        dtype=np.int8,
    ).reshape(len(ctx.records))
    asked = np.array(
        [r.min_qualification.rank if r.min_qualification else 0 for _, r in ctx.lefts],
        dtype=np.int8,
    ).reshape(len(ctx.lefts))
    if policy.minor_lead_qualification is not None:
        floor = policy.minor_lead_qualification.rank
        asked = np.where(ctx.left.minor, np.maximum(asked, floor), asked)
    return held[er] < asked[el]


def no_vetted_volunteer(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """The role or a minor recipient asks for a vetted volunteer; this one is not (未审查)."""
    asked = np.array([r.vetted_only for _, r in ctx.lefts], dtype=bool).reshape(
        len(ctx.lefts)
    ) | (ctx.left.minor & ctx.policy.vetted_for_minors)
    vetted = np.array([x.vetted for x in ctx.records], dtype=bool)
    unvetted: Bools = asked[el] & ~vetted.reshape(len(ctx.records))[er]
    return unvetted


def volunteer_age(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """The volunteer is younger or older than the policy allows on ``as_of`` (年龄不符)."""
    del el
    lo, hi = ctx.policy.min_volunteer_age, ctx.policy.max_volunteer_age
    ages = [
        age_on(x.birth_date, ctx.as_of) if x.birth_date is not None else None
        for x in ctx.records
    ]
    bad = np.array(
        [a is not None and (a < lo or (hi is not None and a > hi)) for a in ages],
        dtype=bool,
    ).reshape(len(ages))
    return bad[er]


def volunteer_uninsured(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """The policy asks for accident insurance and the volunteer has none (未投保)."""
    del el
    if not ctx.policy.require_insured_volunteers:
        return None
    insured = np.array([x.insured for x in ctx.records], dtype=bool)
    return ~insured.reshape(len(ctx.records))[er]


# ---------------------------------------------------------------------------------------
# Resources


def unit_mismatch(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """The role asks in another unit than the resource's (计量单位不符)."""
    asked = [r.unit for _, r in ctx.lefts]
    code = {
        u: i for i, u in enumerate(sorted({x.unit for x in ctx.records} | set(asked)))
    }
    have = np.array([code[x.unit] for x in ctx.records], dtype=np.int64)
    want = np.array([code[u] if u else -1 for u in asked], dtype=np.int64)
    other: Bools = (want[el] >= 0) & (want[el] != have.reshape(len(ctx.records))[er])
    return other


def resource_expired(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """On the service date the resource has expired or is outside its period (已过期)."""
    far = 1 << 40
    records = ctx.records
    expiry = _column(
        [x.expires_on.toordinal() if x.expires_on else far for x in records]
    )
    start = _column(
        [x.available.start.toordinal() if x.available else 0 for x in records]
    )
    end = _column(
        [x.available.end.toordinal() if x.available else far for x in records]
    )
    day = ctx.left.day[el]
    return (day > expiry[er]) | (day < start[er]) | (day > end[er])


def restricted_purpose_mismatch(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """A restriction's purposes, groups, area or named beneficiaries exclude the need (定向不符)."""
    records = ctx.records
    if all(x.restriction is None for x in records):
        return None
    purposes = _column([_restricted(x, "purposes", category_mask) for x in records])
    groups = _column([_restricted(x, "target_groups", group_mask) for x in records])
    whose = _column(
        [group_mask(r.target_groups) for r in ctx.inputs.recipients.values()]
    )
    p, g = purposes[er], groups[er]
    bad: Bools = (p != 0) & ((p >> ctx.left.category[el].astype(np.int64)) & 1 == 0)
    bad |= (g != 0) & ((g & whose[ctx.left.recipient[el]]) == 0)
    bad |= _outside_area(ctx, el, er)
    named = [
        (rid, x.resource_id)
        for x in records
        if x.restriction is not None
        for rid in x.restriction.beneficiary_ids
    ]
    has_named = np.array(
        [
            x.restriction is not None and bool(x.restriction.beneficiary_ids)
            for x in records
        ],
        dtype=bool,
    )
    if has_named.any():
        keys = ctx.pair_keys(named)
        bad |= has_named[er] & ~member(ctx.edge_keys(el, er), keys)
    return bad


def _restricted(resource: object, field: str, mask: Callable[..., int]) -> int:
    restriction = getattr(resource, "restriction", None)
    return 0 if restriction is None else mask(getattr(restriction, field))


def _outside_area(ctx: RoleContext, el: I32, er: I32) -> Bools:
    """Pairs whose resource lists a service area that does not hold the need's place."""
    n = len(ctx.records)
    shift = 1 << 20
    keys: list[int] = []
    has_area = np.zeros(n, dtype=bool)
    for j, x in enumerate(ctx.records):
        for code in x.restriction.service_area if x.restriction is not None else ():
            keys.append(j * shift + ctx.areas.id(code))
            has_area[j] = True
    if not has_area.any():
        return np.zeros(el.shape[0], dtype=bool)
    table = np.array(sorted(keys), dtype=np.int64)
    chains = ctx.left.chains
    inside = np.zeros(el.shape[0], dtype=bool)
    for col in range(chains.shape[1]):
        area = chains[el, col]
        inside |= (area >= 0) & member(er.astype(np.int64) * shift + area, table)
    return has_area[er] & ~inside


def interested_party(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """The recipient is an interested party of the donor and may not benefit (利害关系人)."""
    pairs = [
        (rid, x.resource_id)
        for x in ctx.records
        if x.restriction is not None
        for rid in x.restriction.excluded_recipient_ids
    ]
    keys = ctx.pair_keys(pairs)
    return member(ctx.edge_keys(el, er), keys) if keys.size else None


def insufficient_balance(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """The resource has less left than the amount asked (余额不足)."""
    short: Bools = ctx.pool.capacity[er] < ctx.left_amount[el]
    return short


def _column(values: list[int]) -> I64:
    return np.array(values, dtype=np.int64).reshape(len(values))


# ---------------------------------------------------------------------------------------
# The registry

_FIRST = (
    HardRule(ReasonCode.NO_LAWFUL_BASIS, no_lawful_basis),
    HardRule(ReasonCode.SAME_PERSON, same_person),
)
_LAST = (HardRule(ReasonCode.DECLINED_PAIR, declined_pair),)
_CAPACITY = HardRule(ReasonCode.NO_CAPACITY, no_capacity)
_AVAILABLE = HardRule(ReasonCode.NOT_AVAILABLE, not_available)
_RESOURCE = (
    HardRule(ReasonCode.UNIT_MISMATCH, unit_mismatch),
    HardRule(ReasonCode.RESOURCE_EXPIRED, resource_expired),
    HardRule(ReasonCode.RESTRICTED_PURPOSE_MISMATCH, restricted_purpose_mismatch),
    HardRule(ReasonCode.INTERESTED_PARTY, interested_party),
    HardRule(ReasonCode.INSUFFICIENT_BALANCE, insufficient_balance),
)

HARD_RULES: dict[MatchRole, tuple[HardRule, ...]] = {
    MatchRole.LEAD_SOCIAL_WORKER: (
        *_FIRST,
        _CAPACITY,
        HardRule(ReasonCode.NO_QUALIFIED_WORKER, no_qualified_worker),
        _AVAILABLE,
        *_LAST,
    ),
    MatchRole.VOLUNTEER: (
        *_FIRST,
        _CAPACITY,
        HardRule(ReasonCode.NO_VETTED_VOLUNTEER, no_vetted_volunteer),
        HardRule(ReasonCode.VOLUNTEER_AGE, volunteer_age),
        HardRule(ReasonCode.VOLUNTEER_UNINSURED, volunteer_uninsured),
        _AVAILABLE,
        *_LAST,
    ),
    MatchRole.SOCIAL_ORGANIZATION: (*_FIRST, _CAPACITY, _AVAILABLE, *_LAST),
    MatchRole.FUNDS: (*_FIRST, *_RESOURCE, *_LAST),
    MatchRole.GOODS: (*_FIRST, *_RESOURCE, *_LAST),
    MatchRole.SERVICE_HOURS: (*_FIRST, *_RESOURCE, *_LAST),
    MatchRole.VENUE: (
        *_FIRST,
        *_RESOURCE,
        HardRule(ReasonCode.VENUE_BOOKED, venue_booked),
        *_LAST,
    ),
}
"""Per role, the hard rules in the order they are checked (各角色硬性规则)."""


def first_broken(ctx: RoleContext, el: I32, er: I32) -> NDArray[np.int8]:
    """Per pair, the number of the first rule it breaks, 0 when feasible (首个违反规则)."""
    reason = np.zeros(el.shape[0], dtype=np.int8)
    for rule in HARD_RULES[ctx.role]:
        broken = rule.check(ctx, el, er)
        if broken is not None:
            reason[(reason == 0) & broken] = number(rule.code)
    return reason
