"""The candidate builder as it was before vectorisation, kept as a regression oracle.

Copied from ``wushe.matching._candidates`` at the commit that introduced the end-to-end
benchmark; only the builder is kept (the value classes are imported from the package), so
``test_vectorised_candidates_equal_the_reference_builder`` can compare arrays and plans.

Original module docstring follows.

Candidate generation: indexes → columnar candidate edges with scores (候选生成).

Needs become *left* nodes (one per need and role), actors *right* nodes (one per actor of the
role's pool). Candidates come from an index keyed by (area, service category): a need looks
up its community, street, district, city, province and "anywhere" — never all NxM pairs.
Every hard constraint is then evaluated on the edge arrays with numpy; an edge that fails
keeps the code of the first rule it breaks, so explanations can count rejected candidates.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any, TypeAlias

import attrs
import numpy as np
from numpy.typing import NDArray

from wushe.codes import age_on, division_ancestors
from wushe.exceptions import MatchingError
from wushe.matching._candidates import CandidateGraph, CandidateSet
from wushe.matching._consent import apply_gate, consent_gate, referable
from wushe.matching._inputs import NeedMeta as _NeedMeta
from wushe.matching._plan import MatchRole, Proximity, Unmatched
from wushe.matching._policy import Decline, DeclineConsequence, MatchPolicy
from wushe.matching._reasons import ReasonCode, referral_for
from wushe.models import (
    CharitableResource,
    Community,
    Dataset,
    LeadWorkerRole,
    Need,
    OrganizationRole,
    Recipient,
    ResourceRole,
    SocialOrganization,
    SocialWorker,
    Station,
    Volunteer,
    VolunteerRole,
)
from wushe.vocab import ActorKind, ResourceKind, ServiceCategory, TargetGroup

__all__ = ["build_candidates", "unmatched"]

I32 = NDArray[np.int32]
I64 = NDArray[np.int64]


def _member(keys: I64, table: I64) -> NDArray[np.bool_]:
    if table.size == 0:
        return np.zeros(keys.shape[0], dtype=bool)
    pos = np.minimum(np.searchsorted(table, keys), table.size - 1)
    return np.asarray(table[pos] == keys)


@attrs.frozen(kw_only=True, eq=False)
class _Scorer:
    """Per-node score parts; an edge's criteria are rebuilt from its two ends (评分数据)."""

    left_priority: I64
    left_urgency: I64
    left_waiting: I64
    left_loc: I64  # (n_left, 3): community, street, district ids; -1 unknown
    left_recipient: I64
    right_fit: I64
    right_load: I64
    right_loc: I64  # (n_right, 3)
    proximity_weight: int
    continuity_weight: int
    continuity_keys: I64  # recipient * n_right + right, sorted
    n_right: int

    def reach(self, el: I32, er: I32) -> NDArray[np.int8]:
        """Proximity level per edge: 3 same community … 0 farther (就近等级).

        One column at a time, coarsest first, so no (edges x 3) temporary is built.
        """
        level = np.zeros(el.shape[0], dtype=np.int8)
        for col, value in ((2, 1), (1, 2), (0, 3)):
            lo = np.ascontiguousarray(self.left_loc[:, col], dtype=np.int32)
            ro = np.ascontiguousarray(self.right_loc[:, col], dtype=np.int32)
            ro_e = ro[er]
            level[(lo[el] == ro_e) & (ro_e >= 0)] = value
        return level

    def continuity(self, el: I32, er: I32) -> NDArray[np.bool_]:
        """Whether the actor served the recipient before, per edge (服务连续性)."""
        if self.continuity_keys.size == 0:
            return np.zeros(el.shape[0], dtype=bool)
        keys = self.left_recipient[el] * self.n_right + er
        return _member(keys, self.continuity_keys)

    def components(self, el: I32, er: I32) -> dict[str, I64]:
        """Points per criterion for each edge (逐边评分)."""
        level = self.reach(el, er).astype(np.int64)
        return {
            "fit": self.right_fit[er],
            "proximity": (self.proximity_weight * level) // 3,
            "priority": self.left_priority[el],
            "urgency": self.left_urgency[el],
            "waiting": self.left_waiting[el],
            "continuity": self.continuity(el, er).astype(np.int64)
            * self.continuity_weight,
            "load": self.right_load[er],
        }

    def weights(self, el: I32, er: I32) -> I64:
        """Edge weights: 1 plus every criterion (逐边权重)."""
        # Per-node parts are summed per node first: one gather per side, not five.
        left_part = 1 + self.left_priority + self.left_urgency + self.left_waiting
        total = left_part[el]
        total += (self.right_fit + self.right_load)[er]
        if self.proximity_weight:
            total += (self.proximity_weight * self.reach(el, er).astype(np.int64)) // 3
        if self.continuity_keys.size:
            total += self.continuity(el, er) * self.continuity_weight
        return total


Actor: TypeAlias = SocialWorker | Volunteer | SocialOrganization | CharitableResource
"""Any actor matching can assign (可匹配主体)."""


AMOUNT_SCALE = 100
"""Resource amounts are compared in hundredths of their unit (数量精度 0.01)."""

_ANYWHERE = "*"
_CATS = list(ServiceCategory)
_CAT = {c: i for i, c in enumerate(_CATS)}
_GROUP_BIT = {g: 1 << i for i, g in enumerate(TargetGroup)}
CODES = list(ReasonCode)
"""Reason codes by their 1-based index in ``rejected_reason`` arrays; 0 means feasible."""
_CODE = {c: i + 1 for i, c in enumerate(CODES)}
_CHILD_GROUPS = frozenset(
    {
        TargetGroup.LEFT_BEHIND_CHILD,
        TargetGroup.ORPHAN,
        TargetGroup.DE_FACTO_UNSUPPORTED_CHILD,
        TargetGroup.CHILD_IN_DIFFICULTY,
    }
)
_RESOURCE_ROLE = {
    ResourceKind.FUNDS: MatchRole.FUNDS,
    ResourceKind.GOODS: MatchRole.GOODS,
    ResourceKind.SERVICE_HOURS: MatchRole.SERVICE_HOURS,
    ResourceKind.VENUE: MatchRole.VENUE,
}
_POOL_KIND = {
    MatchRole.LEAD_SOCIAL_WORKER: ActorKind.SOCIAL_WORKER,
    MatchRole.VOLUNTEER: ActorKind.VOLUNTEER,
    MatchRole.SOCIAL_ORGANIZATION: ActorKind.SOCIAL_ORGANIZATION,
}


def proximity_of(level: int) -> Proximity:
    """The :class:`Proximity` for a level 3…0 (就近程度)."""
    return list(Proximity)[3 - level]


# ---------------------------------------------------------------------------------------
# Inputs


@attrs.define
class _Inputs:
    needs: list[Need]
    workers: list[SocialWorker]
    volunteers: list[Volunteer]
    organizations: list[SocialOrganization]
    resources: list[CharitableResource]
    recipients: dict[str, Recipient]
    communities: dict[str, Community]
    stations: dict[str, Station]


def _sorted_unique(records: Iterable[Any], field: str, what: str) -> list[Any]:
    out = sorted(records, key=lambda r: getattr(r, field))
    for a, b in itertools.pairwise(out):
        if getattr(a, field) == getattr(b, field):
            msg = f"{what} {field} {getattr(a, field)!r} is given twice"
            raise MatchingError(msg)
    return out


def _gather(
    needs: Iterable[Need],
    actors: Dataset | Iterable[Actor],
    recipients: Iterable[Recipient],
    communities: Iterable[Community],
    stations: Iterable[Station],
) -> _Inputs:
    recipients = list(recipients)
    communities = list(communities)
    stations = list(stations)
    if isinstance(actors, Dataset):
        pool: list[Any] = [
            *actors.workers,
            *actors.volunteers,
            *actors.organizations,
            *actors.resources,
        ]
        recipients = recipients or list(actors.recipients)
        communities = communities or list(actors.communities)
        stations = stations or list(actors.stations)
    else:
        pool = list(actors)
    by_kind: dict[type, list[Any]] = {
        SocialWorker: [],
        Volunteer: [],
        SocialOrganization: [],
        CharitableResource: [],
    }
    for actor in pool:
        kind = type(actor)
        if kind not in by_kind:
            msg = (
                f"actors: {kind.__name__} is not an actor matching can assign "
                "(SocialWorker, Volunteer, SocialOrganization, CharitableResource)"
            )
            raise MatchingError(msg)
        by_kind[kind].append(actor)
    return _Inputs(
        needs=_sorted_unique(needs, "need_id", "need"),
        workers=_sorted_unique(by_kind[SocialWorker], "worker_id", "worker"),
        volunteers=_sorted_unique(by_kind[Volunteer], "volunteer_id", "volunteer"),
        organizations=_sorted_unique(
            by_kind[SocialOrganization], "organization_id", "organization"
        ),
        resources=_sorted_unique(
            by_kind[CharitableResource], "resource_id", "resource"
        ),
        recipients={
            r.recipient_id: r
            for r in _sorted_unique(recipients, "recipient_id", "recipient")
        },
        communities={
            c.community_id: c
            for c in _sorted_unique(communities, "community_id", "community")
        },
        stations={
            s.station_id: s for s in _sorted_unique(stations, "station_id", "station")
        },
    )


class _Areas:
    """Division codes → dense ids, with each code's chain up to "anywhere" (区划索引)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {_ANYWHERE: 0}
        self._chains: dict[str, tuple[str, ...]] = {}

    def id(self, code: str) -> int:
        found = self.ids.get(code)
        if found is None:
            found = self.ids[code] = len(self.ids)
        return found

    def chain(self, code: str) -> tuple[str, ...]:
        found = self._chains.get(code)
        if found is None:
            found = self._chains[code] = (code, *division_ancestors(code), _ANYWHERE)
        return found

    def normalise(self, codes: Iterable[str]) -> list[int]:
        """Drop codes inside another listed code, so a need's chain meets each actor once."""
        wanted = set(codes)
        if _ANYWHERE in wanted:
            return [0]
        kept = [
            c
            for c in sorted(wanted)
            if not any(a in wanted for a in self.chain(c)[1:-1])
        ]
        return [self.id(c) for c in kept]

    def loc(self, code: str | None) -> tuple[int, int, int]:
        """(community, street, district) ids of a code; -1 where the code is coarser."""
        if code is None:
            return (-1, -1, -1)
        return (
            self.id(code) if len(code) == 12 else -1,
            self.id(code[:9]) if len(code) >= 9 else -1,
            self.id(code[:6]),
        )


_EPOCH = datetime(1900, 1, 1)


def _epoch(moment: datetime) -> int:
    """Seconds since 1900-01-01 Beijing time: a window's time is naive Beijing time from
    1900 on, so this is never negative (``-1`` means "no window") and does not depend on
    the machine's time zone."""
    return (moment.replace(tzinfo=None) - _EPOCH) // timedelta(seconds=1)


def _minor(recipient: Recipient, as_of: date, policy: MatchPolicy) -> bool:
    if recipient.birth_date is not None:
        return age_on(recipient.birth_date, as_of) < policy.minor_age
    return bool(recipient.target_groups & _CHILD_GROUPS)


def tier_of(recipient: Recipient | None, policy: MatchPolicy) -> int:
    """Priority tier of a recipient: ``len(tiers)`` for the first tier, 0 for none (优先级层级)."""
    if recipient is None:
        return 0
    n = len(policy.priority_tiers)
    for i, groups in enumerate(policy.priority_tiers):
        if recipient.target_groups & groups:
            return n - i
    return 0


def _units(amount: Decimal, *, up: bool) -> int:
    scaled = (amount * AMOUNT_SCALE).to_integral_value(
        rounding=ROUND_CEILING if up else ROUND_FLOOR
    )
    return int(scaled)


# ---------------------------------------------------------------------------------------
# Building


def build_candidates(
    needs: Iterable[Need],
    actors: Dataset | Iterable[Actor],
    *,
    recipients: Iterable[Recipient] = (),
    communities: Iterable[Community] = (),
    stations: Iterable[Station] = (),
    network: Any = None,
    policy: MatchPolicy | None = None,
    as_of: date | None = None,
    declines: Iterable[Decline] = (),
    history: Iterable[tuple[str, str]] = (),
) -> CandidateGraph:
    """Build every role's candidate graph as columnar arrays, with scores (构建候选图).

    Objective: list, for each role of each need, the actors that may fill it, the hard rule
    each excluded candidate breaks, and an integer score per feasible pair.

    Guarantees: candidates come from an index by (area, category), never from all NxM
    pairs; feasible edges satisfy every hard rule; the arrays depend only on the *set* of
    inputs (records are sorted by id first), not their order.

    Complexity: O(N + M + E) numpy work for E index candidates, plus O(N + M) Python to read
    the records; memory about 20 bytes per candidate.

    Args:
        needs: The needs to fill (服务需求).
        actors: Workers, volunteers, organisations and resources, or a whole
            :class:`~wushe.models.Dataset` (which also supplies recipients, communities and
            stations).
        recipients: The needs' recipients, for age, groups and priority (服务对象).
        communities: Communities with their 12-digit codes and neighbours (社区).
        stations: Stations, for a worker's posting area and base (社工站).
        network: Optional ``wushe.network.StationNetwork``: a worker's default area becomes
            its station's ``jurisdiction`` and linkage lists ``path_to_root``.
        policy: Rules and weights; ``MatchPolicy()`` when omitted (匹配策略).
        as_of: Date to evaluate ages, expiry and declines on; the dataset's date or today.
        declines: Earlier refusals to honour (拒绝记录).
        history: ``(recipient_id, actor_id)`` pairs that served before, for continuity.

    Raises:
        MatchingError: A need names a recipient or community not given, or ids repeat; the
            message names the need id and field.
    """
    policy = policy or MatchPolicy()
    if as_of is None:
        as_of = (
            actors.as_of
            if isinstance(actors, Dataset) and actors.as_of is not None
            else date.today()
        )
    data = _gather(needs, actors, recipients, communities, stations)
    areas = _Areas()
    comm_code = {cid: c.division_code for cid, c in data.communities.items()}

    # Per need: where, who, how urgent; roles grouped by pool.
    need_meta: dict[str, _NeedMeta] = {}
    need_code: list[str] = []
    need_recipient: list[Recipient] = []
    for need in data.needs:
        recipient = data.recipients.get(need.recipient_id)
        if recipient is None:
            msg = (
                f"need {need.need_id!r}: recipient_id {need.recipient_id!r} is not among "
                "the recipients given"
            )
            raise MatchingError(msg)
        cid = need.community_id or recipient.community_id
        code = comm_code.get(cid)
        if code is None:
            msg = (
                f"need {need.need_id!r}: community_id {cid!r} is not among the "
                "communities given"
            )
            raise MatchingError(msg)
        need_code.append(code)
        need_recipient.append(recipient)
        roles = tuple(_role_of(role) for role in need.roles)
        need_meta[need.need_id] = _NeedMeta(
            category=need.category,
            community_id=cid,
            station_ids=_stations_for(network, cid),
            roles=tuple(sorted(roles, key=list(MatchRole).index)),
            raised_on=need.raised_on,
        )

    recipient_index = {rid: i for i, rid in enumerate(data.recipients)}
    blocked_recipients = _reassessment_blocks(declines, data.recipients, policy, as_of)
    builder = _Builder(
        data=data,
        areas=areas,
        comm_code=comm_code,
        need_code=need_code,
        need_recipient=need_recipient,
        recipient_index=recipient_index,
        blocked=blocked_recipients,
        policy=policy,
        as_of=as_of,
        network=network,
        declines=list(declines),
        history=list(history),
    )
    sets = [
        s for role in MatchRole if (s := builder.build(role)) is not None and s.need_ids
    ]
    return CandidateGraph(sets=tuple(sets), as_of=as_of, policy=policy, needs=need_meta)


def _role_of(role: Any) -> MatchRole:
    if isinstance(role, LeadWorkerRole):
        return MatchRole.LEAD_SOCIAL_WORKER
    if isinstance(role, VolunteerRole):
        return MatchRole.VOLUNTEER
    if isinstance(role, OrganizationRole):
        return MatchRole.SOCIAL_ORGANIZATION
    return _RESOURCE_ROLE[role.resource_kind]


def _stations_for(network: Any, community_id: str) -> tuple[str, ...]:
    if network is None or not hasattr(network, "station_for_community"):
        return ()
    station = network.station_for_community(community_id)
    if station is None:
        return ()
    station_id = getattr(station, "station_id", station)
    path = network.path_to_root(station_id)
    return tuple(str(getattr(s, "station_id", s)) for s in path)


def _reassessment_blocks(
    declines: Iterable[Decline],
    recipients: Mapping[str, Recipient],
    policy: MatchPolicy,
    as_of: date,
) -> set[str]:
    blocked: set[str] = set()
    for d in declines:
        rule = policy.decline_rules.get(d.reason)
        if rule is None or rule.consequence is not DeclineConsequence.REASSESS:
            continue
        if d.declined_on > as_of:
            continue
        recipient = recipients.get(d.recipient_id)
        assessed = recipient.assessed_on if recipient is not None else None
        if assessed is None or assessed <= d.declined_on:
            blocked.add(d.recipient_id)
    return blocked


def _excluded_pairs(
    declines: Iterable[Decline],
    kind: ActorKind,
    policy: MatchPolicy,
    as_of: date,
) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for d in declines:
        if d.actor_kind is not kind or d.declined_on > as_of:
            continue
        rule = policy.decline_rules.get(d.reason)
        if rule is None or rule.consequence is DeclineConsequence.REASSESS:
            continue
        if rule.consequence is DeclineConsequence.NEVER or (
            rule.days is not None and (as_of - d.declined_on).days < rule.days
        ):
            pairs.add((d.recipient_id, d.actor_id))
    return pairs


def _intervals(
    per_right: Sequence[Sequence[tuple[int, int]]],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    ptr = np.zeros(len(per_right) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(x) for x in per_right])
    flat = [w for x in per_right for w in x]
    starts = np.array([w[0] for w in flat], dtype=np.int64)
    ends = np.array([w[1] for w in flat], dtype=np.int64)
    return ptr, starts, ends


def _any_interval(
    el: NDArray[np.int32],
    er: NDArray[np.int32],
    window: NDArray[np.int64],
    ptr: NDArray[np.int64],
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    *,
    contain: bool,
) -> NDArray[np.bool_]:
    """Per edge: does an interval of the actor contain (or overlap) the need's window?"""
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


@attrs.define
class _Builder:
    data: _Inputs
    areas: _Areas
    comm_code: dict[str, str]
    need_code: list[str]
    need_recipient: list[Recipient]
    recipient_index: dict[str, int]
    blocked: set[str]
    policy: MatchPolicy
    as_of: date
    network: Any
    declines: list[Decline]
    history: list[tuple[str, str]]

    # -- actors ---------------------------------------------------------------------

    def _home_area(self, community_id: str | None) -> list[str]:
        code = self.comm_code.get(community_id or "")
        if code is None:
            return []
        codes = [code]
        if self.policy.reach_adjacent:
            community = self.data.communities[community_id or ""]
            codes += [
                self.comm_code[a] for a in community.adjacent_ids if a in self.comm_code
            ]
        return codes

    def _worker_area(self, w: SocialWorker) -> tuple[list[str], str | None]:
        station = self.data.stations.get(w.station_id or "")
        base = (
            station.division_code
            if station is not None
            else self.comm_code.get(w.home_community_id or "")
        )
        if w.service_area:
            return list(w.service_area), base
        if station is not None:
            if self.network is not None and hasattr(self.network, "jurisdiction"):
                covered = self.network.jurisdiction(station.station_id)
                codes = [
                    self.comm_code[str(getattr(c, "community_id", c))]
                    for c in covered
                    if str(getattr(c, "community_id", c)) in self.comm_code
                ]
                if codes:
                    return codes, base
            codes = [station.division_code] + [
                self.comm_code[c] for c in station.community_ids if c in self.comm_code
            ]
            return codes, base
        home = self._home_area(w.home_community_id)
        return (home or [_ANYWHERE]), base

    def _actors(
        self, role: MatchRole
    ) -> tuple[list[Any], list[str], list[list[str]], list[str | None], list[int]]:
        """Actors of the role's pool: records, ids, areas, base codes, skill masks."""
        all_cats = (1 << len(_CATS)) - 1
        records: list[Any]
        areas: list[list[str]] = []
        bases: list[str | None] = []
        masks: list[int] = []
        if role is MatchRole.LEAD_SOCIAL_WORKER:
            records = self.data.workers
            ids = [w.worker_id for w in records]
            for w in records:
                area, base = self._worker_area(w)
                areas.append(area)
                bases.append(base)
                masks.append(_mask(w.skills))
        elif role is MatchRole.VOLUNTEER:
            records = self.data.volunteers
            ids = [v.volunteer_id for v in records]
            for v in records:
                areas.append(
                    list(v.service_area)
                    or self._home_area(v.home_community_id)
                    or [_ANYWHERE]
                )
                bases.append(self.comm_code.get(v.home_community_id or ""))
                masks.append(_mask(v.skills))
        elif role is MatchRole.SOCIAL_ORGANIZATION:
            records = self.data.organizations
            ids = [o.organization_id for o in records]
            for o in records:
                areas.append(list(o.service_area) or [_ANYWHERE])
                bases.append(self.comm_code.get(o.home_community_id or ""))
                masks.append(_mask(o.services))
        else:
            kind = next(k for k, r in _RESOURCE_ROLE.items() if r is role)
            records = [r for r in self.data.resources if r.resource_kind is kind]
            ids = [r.resource_id for r in records]
            for r in records:
                base = self.comm_code.get(r.community_id or "")
                if kind is ResourceKind.VENUE and base is not None:
                    areas.append([base[:9]])
                else:
                    areas.append([_ANYWHERE])
                bases.append(base)
                masks.append(all_cats)
        return records, ids, areas, bases, masks

    # -- one role ---------------------------------------------------------------------

    def build(self, role: MatchRole) -> CandidateSet | None:
        policy = self.policy
        w = policy.weights
        lefts: list[tuple[int, Any]] = [
            (n, r)
            for n, need in enumerate(self.data.needs)
            for r in need.roles
            if _role_of(r) is role
        ]
        if not lefts:
            return None
        records, ids, actor_areas, bases, masks = self._actors(role)
        n_left, n_right = len(lefts), len(records)
        needs = self.data.needs
        is_resource = role not in _POOL_KIND

        # Left-node features.
        l_cap = np.empty(n_left, dtype=np.int32)
        l_amount = np.ones(n_left, dtype=np.int64)
        l_cat = np.empty(n_left, dtype=np.int8)
        l_tier = np.empty(n_left, dtype=np.int32)
        l_urg = np.empty(n_left, dtype=np.int64)
        l_wait = np.empty(n_left, dtype=np.int64)
        l_loc = np.empty((n_left, 3), dtype=np.int64)
        l_rec = np.empty(n_left, dtype=np.int64)
        l_window = np.full((n_left, 2), -1, dtype=np.int64)
        l_minor = np.zeros(n_left, dtype=bool)
        l_req = np.zeros(n_left, dtype=np.int8)
        l_vetted = np.zeros(n_left, dtype=bool)
        l_blocked = np.zeros(n_left, dtype=bool)
        l_day: list[date] = []
        l_unit: list[str] = []
        chains: list[list[int]] = []
        for i, (n, r) in enumerate(lefts):
            need = needs[n]
            rec = self.need_recipient[n]
            code = self.need_code[n]
            l_cat[i] = _CAT[need.category]
            l_tier[i] = tier_of(rec, policy)
            l_urg[i] = w.urgency * need.urgency.rank // 3
            waited = min(
                max((self.as_of - need.raised_on).days, 0), policy.waiting_cap_days
            )
            l_wait[i] = w.waiting * waited // policy.waiting_cap_days
            l_loc[i] = self.areas.loc(code)
            l_rec[i] = self.recipient_index[rec.recipient_id]
            l_minor[i] = _minor(rec, self.as_of, policy)
            l_blocked[i] = rec.recipient_id in self.blocked
            chains.append([self.areas.id(c) for c in self.areas.chain(code)])
            if need.window is not None:
                l_window[i] = (_epoch(need.window.start), _epoch(need.window.end))
                l_day.append(need.window.start.date())
            else:
                l_day.append(self.as_of)
            cap = 1
            if isinstance(r, VolunteerRole):
                cap = r.count
                l_vetted[i] = r.vetted_only or (l_minor[i] and policy.vetted_for_minors)
            elif isinstance(r, LeadWorkerRole):
                req = r.min_qualification.rank if r.min_qualification else 0
                if l_minor[i] and policy.minor_lead_qualification is not None:
                    req = max(req, policy.minor_lead_qualification.rank)
                l_req[i] = req
            elif isinstance(r, ResourceRole):
                l_amount[i] = _units(r.amount, up=True)
                l_unit.append(r.unit)
            l_cap[i] = 0 if l_blocked[i] else cap

        # Right-node features and the (area, category) index.
        r_cap = np.zeros(n_right, dtype=np.int64)
        r_loc = np.array([self.areas.loc(b) for b in bases], dtype=np.int64).reshape(
            n_right, 3
        )
        key_list: list[int] = []
        actor_list: list[int] = []
        n_cat = len(_CATS)
        for j, (area, mask) in enumerate(zip(actor_areas, masks, strict=True)):
            for a in self.areas.normalise(area):
                for c in range(n_cat):
                    if mask >> c & 1:
                        key_list.append(a * n_cat + c)
                        actor_list.append(j)
        keys = np.array(key_list, dtype=np.int64)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        index_actor = np.array(actor_list, dtype=np.int32)[order]
        uniq, starts = np.unique(keys, return_index=True)
        ends = np.append(starts[1:], keys.size)
        supplied = np.zeros(n_cat, dtype=bool)
        mask_all = np.bitwise_or.reduce(np.array(masks, dtype=np.int64)) if masks else 0
        for c in range(n_cat):
            supplied[c] = bool(mask_all >> c & 1)

        # Expand each left's chain of keys through the index.
        width = max(len(c) for c in chains)
        chain_arr = np.full((n_left, width), -1, dtype=np.int64)
        for i, chain in enumerate(chains):
            chain_arr[i, : len(chain)] = chain
        el, er = _expand(chain_arr, l_cat, n_cat, uniq, starts, ends, index_actor)

        # Hard constraints: record the first rule each candidate breaks.
        reason = np.zeros(el.shape[0], dtype=np.int8)

        def fail(mask: NDArray[np.bool_], code: ReasonCode) -> None:
            reason[(reason == 0) & mask] = _CODE[code]

        window = l_window
        has_window = window[el, 0] >= 0
        if role is MatchRole.LEAD_SOCIAL_WORKER:
            r_cap[:] = [x.caseload for x in records]
            qual = np.array(
                [
                    x.qualification.rank
                    if x.qualification is not None
                    and (x.registered_until is None or x.registered_until >= self.as_of)
                    else 0
                    for x in records
                ],
                dtype=np.int8,
            )
            fail(r_cap[er] == 0, ReasonCode.NO_CAPACITY)
            fail(qual[er] < l_req[el], ReasonCode.NO_QUALIFIED_WORKER)
        elif role is MatchRole.VOLUNTEER:
            r_cap[:] = [x.capacity for x in records]
            vetted = np.array([x.vetted for x in records], dtype=bool)
            ages = [
                age_on(x.birth_date, self.as_of) if x.birth_date is not None else None
                for x in records
            ]
            hi = policy.max_volunteer_age
            age_bad = np.array(
                [
                    a is not None
                    and (a < policy.min_volunteer_age or (hi is not None and a > hi))
                    for a in ages
                ],
                dtype=bool,
            )
            fail(r_cap[er] == 0, ReasonCode.NO_CAPACITY)
            fail(l_vetted[el] & ~vetted[er], ReasonCode.NO_VETTED_VOLUNTEER)
            fail(age_bad[er], ReasonCode.VOLUNTEER_AGE)
            if policy.require_insured_volunteers:
                insured = np.array([x.insured for x in records], dtype=bool)
                fail(~insured[er], ReasonCode.VOLUNTEER_UNINSURED)
        elif role is MatchRole.SOCIAL_ORGANIZATION:
            r_cap[:] = [x.capacity for x in records]
            fail(r_cap[er] == 0, ReasonCode.NO_CAPACITY)
        else:
            self._resource_rules(
                records,
                el,
                er,
                l_cat,
                l_rec,
                l_amount,
                l_unit,
                l_day,
                chains,
                r_cap,
                fail,
            )
        if not is_resource:
            avail = [
                [
                    (_epoch(t.start), _epoch(t.end))
                    for t in getattr(x, "availability", ())
                ]
                for x in records
            ]
            ptr, a_s, a_e = _intervals(avail)
            check = has_window & ((ptr[er + 1] - ptr[er]) > 0)
            if check.any():
                ok = _any_interval(
                    el[check], er[check], window, ptr, a_s, a_e, contain=True
                )
                bad = np.zeros(el.shape[0], dtype=bool)
                bad[np.flatnonzero(check)[~ok]] = True
                fail(bad, ReasonCode.NOT_AVAILABLE)
        elif role is MatchRole.VENUE:
            booked = [
                [(_epoch(t.start), _epoch(t.end)) for t in x.bookings] for x in records
            ]
            ptr, b_s, b_e = _intervals(booked)
            check = has_window & ((ptr[er + 1] - ptr[er]) > 0)
            if check.any():
                hit = _any_interval(
                    el[check], er[check], window, ptr, b_s, b_e, contain=False
                )
                bad = np.zeros(el.shape[0], dtype=bool)
                bad[np.flatnonzero(check)[hit]] = True
                fail(bad, ReasonCode.VENUE_BOOKED)
        kind = _POOL_KIND.get(role, ActorKind.CHARITABLE_RESOURCE)
        excluded = _excluded_pairs(self.declines, kind, policy, self.as_of)
        right_index = {a: j for j, a in enumerate(ids)}
        if excluded:
            ex_keys = np.array(
                sorted(
                    self.recipient_index[r] * max(n_right, 1) + right_index[a]
                    for r, a in excluded
                    if r in self.recipient_index and a in right_index
                ),
                dtype=np.int64,
            )
            fail(
                np.isin(l_rec[el] * max(n_right, 1) + er, ex_keys),
                ReasonCode.DECLINED_PAIR,
            )

        # Scores.
        if is_resource:
            r_fit = np.array(
                [w.fit if x.restriction is not None else w.fit // 3 for x in records],
                dtype=np.int64,
            )
        else:
            r_fit = np.array(
                [w.fit * (4 - min(max(m.bit_count(), 1), 3)) // 3 for m in masks],
                dtype=np.int64,
            )
        top = int(r_cap.max()) if n_right else 0
        r_load = (
            (w.load * r_cap // top) if top > 0 else np.zeros(n_right, dtype=np.int64)
        )
        base_max = (
            1 + w.fit + w.proximity + w.urgency + w.waiting + w.continuity + w.load
        )
        n_tiers = len(policy.priority_tiers)
        if policy.priority_mode == "lexicographic":
            l_prio = l_tier.astype(np.int64) * base_max
        else:
            l_prio = (w.priority * l_tier.astype(np.int64)) // max(n_tiers, 1)
        cont_keys = np.array(
            sorted(
                self.recipient_index[r] * max(n_right, 1) + right_index[a]
                for r, a in set(self.history)
                if r in self.recipient_index and a in right_index
            ),
            dtype=np.int64,
        )
        scorer = _Scorer(
            left_priority=l_prio,
            left_urgency=l_urg,
            left_waiting=l_wait,
            left_loc=l_loc,
            left_recipient=l_rec,
            right_fit=r_fit,
            right_load=r_load.astype(np.int64),
            right_loc=r_loc,
            proximity_weight=w.proximity,
            continuity_weight=w.continuity,
            continuity_keys=cont_keys,
            n_right=max(n_right, 1),
        )
        # Added with the consent gate (#10): the same gate, so the oracle still compares.
        whose = [self.need_recipient[n] for n, _ in lefts]
        gated = consent_gate(role, whose, policy, self.as_of)
        reason = apply_gate(gated, el, reason, _CODE[ReasonCode.NO_LAWFUL_BASIS])
        ok = (reason == 0) & ~l_blocked[el]
        fe_l, fe_r = el[ok], er[ok]
        bad = ~ok & (reason != 0)
        return CandidateSet(
            role=role,
            need_ids=tuple(needs[n].need_id for n, _ in lefts),
            actor_ids=tuple(ids),
            left_capacity=l_cap,
            right_capacity=r_cap,
            left_amount=l_amount,
            edge_left=fe_l,
            edge_right=fe_r,
            edge_weight=scorer.weights(fe_l, fe_r),
            rejected_left=el[bad],
            rejected_right=er[bad],
            rejected_reason=reason[bad],
            left_tier=l_tier,
            left_blocked=l_blocked,
            left_category=l_cat,
            left_window=l_window,
            category_supplied=supplied,
            scorer=scorer,
            purpose=policy.purposes.get(role),
            left_gated=gated,
            left_referable=referable(whose, self.as_of),
        )

    def _resource_rules(
        self,
        records: list[CharitableResource],
        el: NDArray[np.int32],
        er: NDArray[np.int32],
        l_cat: NDArray[np.int8],
        l_rec: NDArray[np.int64],
        l_amount: NDArray[np.int64],
        l_unit: list[str],
        l_day: list[date],
        chains: list[list[int]],
        r_cap: NDArray[np.int64],
        fail: Any,
    ) -> None:
        n_right = max(len(records), 1)
        r_cap[:] = [_units(x.balance, up=False) for x in records]
        units = {
            u: i for i, u in enumerate(sorted({x.unit for x in records} | set(l_unit)))
        }
        r_unit = np.array([units[x.unit] for x in records], dtype=np.int64)
        lu = np.array([units[u] if u else -1 for u in l_unit], dtype=np.int64)
        fail((lu[el] >= 0) & (lu[el] != r_unit[er]), ReasonCode.UNIT_MISMATCH)
        days = np.array([d.toordinal() for d in l_day], dtype=np.int64)
        expiry = np.array(
            [x.expires_on.toordinal() if x.expires_on else 1 << 40 for x in records],
            dtype=np.int64,
        )
        a_start = np.array(
            [x.available.start.toordinal() if x.available else 0 for x in records],
            dtype=np.int64,
        )
        a_end = np.array(
            [x.available.end.toordinal() if x.available else 1 << 40 for x in records],
            dtype=np.int64,
        )
        d = days[el]
        fail(
            (d > expiry[er]) | (d < a_start[er]) | (d > a_end[er]),
            ReasonCode.RESOURCE_EXPIRED,
        )
        purpose = np.array(
            [_mask(x.restriction.purposes) if x.restriction else 0 for x in records],
            dtype=np.int64,
        )
        groups = np.array(
            [
                _gmask(x.restriction.target_groups) if x.restriction else 0
                for x in records
            ],
            dtype=np.int64,
        )
        rec_groups = np.array(
            [_gmask(r.target_groups) for r in self.data.recipients.values()],
            dtype=np.int64,
        )
        p = purpose[er]
        g = groups[er]
        bad = ((p != 0) & ((p >> l_cat[el].astype(np.int64)) & 1 == 0)) | (
            (g != 0) & ((g & rec_groups[l_rec[el]]) == 0)
        )
        area_keys: list[int] = []
        has_area = np.zeros(len(records), dtype=bool)
        named: list[int] = []
        has_named = np.zeros(len(records), dtype=bool)
        excluded: list[int] = []
        for j, x in enumerate(records):
            if x.restriction is None:
                continue
            for code in x.restriction.service_area:
                area_keys.append(j * (1 << 20) + self.areas.id(code))
                has_area[j] = True
            for rid in x.restriction.beneficiary_ids:
                has_named[j] = True
                if rid in self.recipient_index:
                    named.append(self.recipient_index[rid] * n_right + j)
            for rid in x.restriction.excluded_recipient_ids:
                if rid in self.recipient_index:
                    excluded.append(self.recipient_index[rid] * n_right + j)
        if has_area.any():
            width = max(len(c) for c in chains)
            chain_arr = np.full((len(chains), width), -2, dtype=np.int64)
            for i, c in enumerate(chains):
                chain_arr[i, : len(c)] = c
            inside = np.zeros(el.shape[0], dtype=bool)
            keys = np.array(sorted(area_keys), dtype=np.int64)
            for col in range(width):
                inside |= np.isin(
                    er.astype(np.int64) * (1 << 20) + chain_arr[el, col], keys
                )
            bad |= has_area[er] & ~inside
        pair = l_rec[el] * n_right + er
        if has_named.any():
            bad |= has_named[er] & ~np.isin(pair, np.array(named, dtype=np.int64))
        fail(bad, ReasonCode.RESTRICTED_PURPOSE_MISMATCH)
        if excluded:
            fail(
                np.isin(pair, np.array(excluded, dtype=np.int64)),
                ReasonCode.INTERESTED_PARTY,
            )
        fail(r_cap[er] < l_amount[el], ReasonCode.INSUFFICIENT_BALANCE)


def _expand(
    chain_arr: NDArray[np.int64],
    l_cat: NDArray[np.int8],
    n_cat: int,
    uniq: NDArray[np.int64],
    starts: NDArray[np.int64],
    ends: NDArray[np.int64],
    index_actor: NDArray[np.int32],
) -> tuple[NDArray[np.int32], NDArray[np.int32]]:
    """Look every left's (area, category) keys up in the index and list the actors found."""
    n_left, width = chain_arr.shape
    if uniq.size == 0 or n_left == 0:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty
    lk = np.where(chain_arr >= 0, chain_arr * n_cat + l_cat[:, None], -1).ravel()
    pos = np.minimum(np.searchsorted(uniq, lk), uniq.size - 1)
    found = (lk >= 0) & (uniq[pos] == lk)
    first = np.where(found, starts[pos], 0)
    count = np.where(found, ends[pos] - starts[pos], 0)
    rows = np.repeat(np.repeat(np.arange(n_left, dtype=np.int32), width), count)
    offsets = np.arange(rows.size, dtype=np.int64) - np.repeat(
        np.cumsum(count) - count, count
    )
    return rows, index_actor[np.repeat(first, count) + offsets]


def _mask(categories: Iterable[ServiceCategory]) -> int:
    out = 0
    for c in categories:
        out |= 1 << _CAT[c]
    return out


def _gmask(groups: Iterable[TargetGroup]) -> int:
    out = 0
    for g in groups:
        out |= _GROUP_BIT[g]
    return out


# The unmatched-reason pass as it was before it counted with arrays.


def unmatched(cs: CandidateSet, chosen: NDArray[np.int64]) -> list[Unmatched]:
    n_left, n_right = len(cs.need_ids), len(cs.actor_ids)
    el = cs.edge_left[chosen]
    er = cs.edge_right[chosen]
    filled = np.bincount(el, minlength=n_left)
    asked = np.where(cs.left_blocked, 1, cs.left_capacity)
    if cs.is_resource:
        per_edge = cs.left_amount[el]
    else:
        per_edge = np.ones(el.size, dtype=np.int64)
    used = np.bincount(er, weights=per_edge, minlength=n_right).astype(np.int64)
    holder_tier = np.full(n_right, -1, dtype=np.int64)
    np.maximum.at(holder_tier, er, cs.left_tier[el].astype(np.int64))
    holder_low = np.full(n_right, 1 << 40, dtype=np.int64)
    np.minimum.at(holder_low, er, cs.left_tier[el].astype(np.int64))
    is_chosen = np.zeros(cs.n_edges, dtype=bool)
    is_chosen[chosen] = True
    open_left = np.flatnonzero(filled < asked)
    if open_left.size == 0:
        return []
    f_lo = np.searchsorted(cs.edge_left, open_left, side="left")
    f_hi = np.searchsorted(cs.edge_left, open_left, side="right")
    r_lo = np.searchsorted(cs.rejected_left, open_left, side="left")
    r_hi = np.searchsorted(cs.rejected_left, open_left, side="right")
    out: list[Unmatched] = []
    for k, i in enumerate(open_left.tolist()):
        category = list(ServiceCategory)[int(cs.left_category[i])]
        counts: dict[ReasonCode, int] = {}
        if cs.left_blocked[i]:
            counts[ReasonCode.AWAITING_REASSESSMENT] = 0
        codes = cs.rejected_reason[r_lo[k] : r_hi[k]]
        for code, n in zip(*np.unique(codes, return_counts=True), strict=True):
            counts[CODES[int(code) - 1]] = int(n)
        edges = np.arange(f_lo[k], f_hi[k])
        edges = edges[~is_chosen[edges]]
        need = int(cs.left_amount[i]) if cs.is_resource else 1
        for e in edges.tolist():
            j = int(cs.edge_right[e])
            if used[j] + need > cs.right_capacity[j]:
                # Every holder higher: higher priority; any holder lower: lower (#15).
                code_ = (
                    ReasonCode.CAPACITY_EXHAUSTED_BY_HIGHER_PRIORITY
                    if holder_tier[j] >= 0 and holder_low[j] > cs.left_tier[i]
                    else ReasonCode.CAPACITY_TAKEN_BY_LOWER_PRIORITY
                    if holder_tier[j] >= 0 and holder_low[j] < cs.left_tier[i]
                    else ReasonCode.CAPACITY_EXHAUSTED
                )
            elif (
                cs.left_window[i, 0] >= 0 and not cs.is_resource
            ) or cs.role.value == "venue":
                code_ = ReasonCode.DOUBLE_BOOKING
            else:
                code_ = ReasonCode.CAPACITY_EXHAUSTED
            counts[code_] = counts.get(code_, 0) + 1
        if cs.left_gated[i]:
            counts.setdefault(ReasonCode.NO_LAWFUL_BASIS, 0)
        if not counts:
            code_ = (
                ReasonCode.NO_CANDIDATE_IN_AREA
                if cs.category_supplied[int(cs.left_category[i])]
                else ReasonCode.NO_ACTOR_WITH_SKILL
            )
            counts[code_] = 0
        reasons = tuple(c for c in ReasonCode if c in counts)
        out.append(
            Unmatched(
                need_id=cs.need_ids[i],
                role=cs.role,
                missing=int(asked[i] - filled[i]),
                reasons=reasons,
                counts=tuple((c, counts[c]) for c in reasons if counts[c]),
                referral=referral_for(category) if cs.left_referable[i] else None,
                referral_withheld=None
                if cs.left_referable[i]
                else referral_for(category),
                purpose=cs.purpose if cs.left_gated[i] else None,
            )
        )
    return out
