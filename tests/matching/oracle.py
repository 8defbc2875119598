"""A brute-force oracle for candidate building: every rule and score, pair by pair, from the models.

Plain Python over the pydantic records, one (need role, actor) pair at a time, written from
the rules' documentation and not from the vectorised code: which actors the index should
find, which hard rule a pair breaks, and what it scores.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs

from wushe.codes import age_on, division_ancestors
from wushe.matching import MatchPolicy, MatchRole, ReasonCode
from wushe.models import (
    CharitableResource,
    Community,
    Need,
    PersonLink,
    Recipient,
    SocialWorker,
    Station,
    Volunteer,
    has_basis,
)
from wushe.vocab import TargetGroup

__all__ = ["PREDICATES", "Pair", "World", "expected_graph", "pool_of"]

_CHILD = {
    TargetGroup.LEFT_BEHIND_CHILD,
    TargetGroup.ORPHAN,
    TargetGroup.DE_FACTO_UNSUPPORTED_CHILD,
    TargetGroup.CHILD_IN_DIFFICULTY,
}


@attrs.frozen(kw_only=True)
class World:
    """Everything the rules read, as records (规则输入)."""

    recipients: dict[str, Recipient]
    communities: dict[str, Community]
    stations: dict[str, Station]
    policy: MatchPolicy
    as_of: date
    declines: Sequence[Any] = ()
    history: Sequence[tuple[str, str]] = ()
    people: Sequence[PersonLink] = ()
    network: Any = None


@attrs.frozen(kw_only=True)
class Pair:
    """One role of one need and one actor of the role's pool (候选对)."""

    need: Need
    role: MatchRole
    record: Any  # the need's role record
    actor: Any

    @property
    def actor_id(self) -> str:
        """The actor's id."""
        for field in ("worker_id", "volunteer_id", "organization_id", "resource_id"):
            if hasattr(self.actor, field):
                return str(getattr(self.actor, field))
        raise AssertionError(self.actor)


def _recipient(w: World, p: Pair) -> Recipient:
    return w.recipients[p.need.recipient_id]


def _minor(w: World, p: Pair) -> bool:
    r = _recipient(w, p)
    if r.birth_date is not None:
        return age_on(r.birth_date, w.as_of) < w.policy.minor_age
    return bool(r.target_groups & _CHILD)


def _day(w: World, p: Pair) -> date:
    return p.need.window.start.date() if p.need.window else w.as_of


def _need_code(w: World, need: Need) -> str:
    cid = need.community_id or w.recipients[need.recipient_id].community_id
    return w.communities[cid].division_code


# -- one predicate per reason code: True when the pair breaks the rule ---------------------


def no_lawful_basis(w: World, p: Pair) -> bool:
    purpose = w.policy.purposes.get(p.role)
    return purpose is not None and not has_basis(_recipient(w, p), purpose, w.as_of)


def same_person(w: World, p: Pair) -> bool:
    for link in w.people:
        ids = {
            MatchRole.VOLUNTEER: link.volunteer_ids,
            MatchRole.LEAD_SOCIAL_WORKER: link.worker_ids,
        }.get(p.role, frozenset())
        if p.need.recipient_id in link.recipient_ids and p.actor_id in ids:
            return True
    return False


def no_capacity(w: World, p: Pair) -> bool:
    field = "caseload" if isinstance(p.actor, SocialWorker) else "capacity"
    return bool(getattr(p.actor, field) == 0)


def no_qualified_worker(w: World, p: Pair) -> bool:
    x = p.actor
    valid = x.registered_until is None or x.registered_until >= w.as_of
    held = x.qualification.rank if x.qualification is not None and valid else 0
    asked = p.record.min_qualification.rank if p.record.min_qualification else 0
    floor = w.policy.minor_lead_qualification
    if floor is not None and _minor(w, p):
        asked = max(asked, floor.rank)
    return held < asked


def no_vetted_volunteer(w: World, p: Pair) -> bool:
    asked = p.record.vetted_only or (_minor(w, p) and w.policy.vetted_for_minors)
    return asked and not p.actor.vetted


def volunteer_age(w: World, p: Pair) -> bool:
    if p.actor.birth_date is None:
        return False
    age = age_on(p.actor.birth_date, w.as_of)
    hi = w.policy.max_volunteer_age
    return age < w.policy.min_volunteer_age or (hi is not None and age > hi)


def volunteer_uninsured(w: World, p: Pair) -> bool:
    return w.policy.require_insured_volunteers and not p.actor.insured


def not_available(w: World, p: Pair) -> bool:
    spans = getattr(p.actor, "availability", ())
    win = p.need.window
    if win is None or not spans:
        return False
    return not any(a.start <= win.start and win.end <= a.end for a in spans)


def unit_mismatch(w: World, p: Pair) -> bool:
    return bool(p.record.unit) and p.record.unit != p.actor.unit


def resource_expired(w: World, p: Pair) -> bool:
    day, x = _day(w, p), p.actor
    if x.expires_on is not None and day > x.expires_on:
        return True
    return x.available is not None and not (x.available.start <= day <= x.available.end)


def restricted_purpose_mismatch(w: World, p: Pair) -> bool:
    r = p.actor.restriction
    if r is None:
        return False
    rec = _recipient(w, p)
    code = _need_code(w, p.need)
    places = {code, *division_ancestors(code)}
    return bool(
        (r.purposes and p.need.category not in r.purposes)
        or (r.target_groups and not (r.target_groups & rec.target_groups))
        or (r.service_area and not (r.service_area & places))
        or (r.beneficiary_ids and rec.recipient_id not in r.beneficiary_ids)
    )


def interested_party(w: World, p: Pair) -> bool:
    r = p.actor.restriction
    return r is not None and p.need.recipient_id in r.excluded_recipient_ids


def insufficient_balance(w: World, p: Pair) -> bool:
    have = math.floor(p.actor.balance * 100)
    return bool(have < math.ceil(p.record.amount * 100))


def venue_booked(w: World, p: Pair) -> bool:
    win = p.need.window
    if win is None:
        return False
    return any(b.start < win.end and win.start < b.end for b in p.actor.bookings)


def declined_pair(w: World, p: Pair) -> bool:
    for d in w.declines:
        if d.actor_kind is not p.role.actor_kind or d.declined_on > w.as_of:
            continue
        if (d.recipient_id, d.actor_id) != (p.need.recipient_id, p.actor_id):
            continue
        rule = w.policy.decline_rules.get(d.reason)
        if rule is None or rule.consequence.value == "reassess":
            continue
        if rule.consequence.value == "never" or (w.as_of - d.declined_on).days < (
            rule.days or 0
        ):
            return True
    return False


PREDICATES: dict[ReasonCode, Callable[[World, Pair], bool]] = {
    ReasonCode.NO_LAWFUL_BASIS: no_lawful_basis,
    ReasonCode.SAME_PERSON: same_person,
    ReasonCode.NO_CAPACITY: no_capacity,
    ReasonCode.NO_QUALIFIED_WORKER: no_qualified_worker,
    ReasonCode.NO_VETTED_VOLUNTEER: no_vetted_volunteer,
    ReasonCode.VOLUNTEER_AGE: volunteer_age,
    ReasonCode.VOLUNTEER_UNINSURED: volunteer_uninsured,
    ReasonCode.NOT_AVAILABLE: not_available,
    ReasonCode.UNIT_MISMATCH: unit_mismatch,
    ReasonCode.RESOURCE_EXPIRED: resource_expired,
    ReasonCode.RESTRICTED_PURPOSE_MISMATCH: restricted_purpose_mismatch,
    ReasonCode.INTERESTED_PARTY: interested_party,
    ReasonCode.INSUFFICIENT_BALANCE: insufficient_balance,
    ReasonCode.VENUE_BOOKED: venue_booked,
    ReasonCode.DECLINED_PAIR: declined_pair,
}
"""Per reason code of a hard rule, the pair-by-pair predicate (逐对判定)."""


# -- the index, blocks and scores ----------------------------------------------------------


def serves(w: World, p: Pair) -> bool:
    """Whether the index finds the pair: the actor serves the need's category and place."""
    skills: Any = getattr(p.actor, "skills", None) or getattr(p.actor, "services", ())
    if not isinstance(p.actor, CharitableResource) and p.need.category not in skills:
        return False
    code = _need_code(w, p.need)
    return bool(set(_area(w, p.actor)) & {code, *division_ancestors(code), "*"})


def _home(w: World, community_id: str | None) -> list[str]:
    c = w.communities.get(community_id or "")
    if c is None:
        return []
    around = c.adjacent_ids if w.policy.reach_adjacent else ()
    return [c.division_code] + [
        w.communities[a].division_code for a in around if a in w.communities
    ]


def _area(w: World, x: Any) -> list[str]:
    if isinstance(x, CharitableResource):
        c = w.communities.get(x.community_id or "")
        venue = x.resource_kind.value == "venue" and c is not None
        return [c.division_code[:9]] if venue and c else ["*"]
    if x.service_area:
        return list(x.service_area)
    if isinstance(x, SocialWorker) and x.station_id in w.stations:
        s = w.stations[x.station_id]
        covered = w.network.jurisdiction(s.station_id) if w.network else ()
        if covered:
            return [w.communities[c].division_code for c in covered]
        return [s.division_code] + [
            w.communities[c].division_code
            for c in s.community_ids
            if c in w.communities
        ]
    if isinstance(x, SocialWorker | Volunteer):
        return _home(w, x.home_community_id) or ["*"]
    return ["*"]


def _base(w: World, x: Any) -> str | None:
    if isinstance(x, SocialWorker) and x.station_id in w.stations:
        return w.stations[x.station_id].division_code
    cid = x.community_id if isinstance(x, CharitableResource) else x.home_community_id
    c = w.communities.get(cid or "")
    return c.division_code if c else None


def blocked(w: World, need: Need) -> bool:
    """The recipient waits for a reassessment after a decline."""
    rec = w.recipients[need.recipient_id]
    for d in w.declines:
        rule = w.policy.decline_rules.get(d.reason)
        if rule is None or rule.consequence.value != "reassess":
            continue
        due = d.recipient_id == rec.recipient_id and d.declined_on <= w.as_of
        if due and (rec.assessed_on is None or rec.assessed_on <= d.declined_on):
            return True
    return False


def score(w: World, p: Pair, pool: Sequence[Any]) -> dict[str, int]:
    """Points per criterion for one pair; ``pool`` is the role's whole pool."""
    wt, policy = w.policy.weights, w.policy
    rec = _recipient(w, p)
    if isinstance(p.actor, CharitableResource):
        fit = wt.fit if p.actor.restriction is not None else wt.fit // 3
    else:
        skills = getattr(p.actor, "skills", None) or p.actor.services
        fit = wt.fit * (4 - min(max(len(skills), 1), 3)) // 3
    tiers = policy.priority_tiers
    tier = next(
        (len(tiers) - k for k, g in enumerate(tiers) if rec.target_groups & g), 0
    )
    if policy.priority_mode == "lexicographic":
        top = 1 + sum(getattr(wt, n) for n in type(wt).model_fields if n != "priority")
        priority = tier * top
    else:
        priority = wt.priority * tier // max(len(tiers), 1)
    waited = min(max((w.as_of - p.need.raised_on).days, 0), policy.waiting_cap_days)
    caps = [_capacity(x) for x in pool]
    return {
        "fit": fit,
        "proximity": wt.proximity
        * _level(_need_code(w, p.need), _base(w, p.actor))
        // 3,
        "priority": priority,
        "urgency": wt.urgency * p.need.urgency.rank // 3,
        "waiting": wt.waiting * waited // policy.waiting_cap_days,
        "continuity": wt.continuity
        if (p.need.recipient_id, p.actor_id) in set(w.history)
        else 0,
        "load": wt.load * _capacity(p.actor) // max(caps) if max(caps) > 0 else 0,
    }


def _capacity(x: Any) -> int:
    if isinstance(x, CharitableResource):
        return math.floor(x.balance * 100)
    return int(x.caseload if isinstance(x, SocialWorker) else x.capacity)


def _level(need_code: str, base: str | None) -> int:
    if base is None:
        return 0
    if len(base) == 12 and base == need_code:
        return 3
    if len(base) >= 9 and base[:9] == need_code[:9]:
        return 2
    return 1 if base[:6] == need_code[:6] else 0


def pool_of(role: MatchRole, actors: Sequence[Any]) -> list[Any]:
    """The actors that may fill ``role``."""
    kind = role.actor_kind
    return [
        x
        for x in actors
        if x.kind == kind.value
        and (
            not isinstance(x, CharitableResource)
            or (
                x.resource_kind.value == role.value
                and not (x.restriction and x.restriction.for_social_workers)
            )
        )
    ]


def expected_graph(
    w: World,
    pairs: Sequence[Pair],
    pools: Mapping[MatchRole, Sequence[Any]],
    order: Mapping[MatchRole, Sequence[ReasonCode]],
) -> tuple[dict[tuple[str, str, str], int], dict[tuple[str, str, str], ReasonCode]]:
    """Feasible pairs with their weights, and rejected pairs with their first code.

    Keys are ``(need_id, role, actor_id)``; ``order`` is each role's rule order.
    """
    feasible: dict[tuple[str, str, str], int] = {}
    rejected: dict[tuple[str, str, str], ReasonCode] = {}
    for p in pairs:
        if not serves(w, p):
            continue
        key = (p.need.need_id, p.role.value, p.actor_id)
        broken = [c for c in order[p.role] if PREDICATES[c](w, p)]
        if broken:
            rejected[key] = broken[0]
        elif not blocked(w, p.need):
            feasible[key] = 1 + sum(score(w, p, pools[p.role]).values())
    return feasible, rejected
