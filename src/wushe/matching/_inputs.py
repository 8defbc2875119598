"""Matching inputs: records sorted once, need and actor features as arrays (匹配输入).

Everything a hard rule, the candidate index or a score reads is computed here, once per
run: per need (category, tier, place, minor, window …) and per actor of a role's pool
(area, base, skills, capacity). A :class:`RoleContext` bundles one role's left nodes (the
needs asking for it) and right nodes (its pool) for the rules in ``_rules.py``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs
import numpy as np
from numpy.typing import NDArray

from wushe.codes import age_on, division_ancestors
from wushe.exceptions import MatchingError
from wushe.matching._plan import MatchRole
from wushe.models import (
    CharitableResource,
    Community,
    Dataset,
    LeadWorkerRole,
    Need,
    OrganizationRole,
    PersonLink,
    Recipient,
    SocialOrganization,
    SocialWorker,
    Station,
    Volunteer,
    VolunteerRole,
)
from wushe.network import StationNetwork
from wushe.vocab import ActorKind, ResourceKind, ServiceCategory, TargetGroup, Urgency

if TYPE_CHECKING:
    from wushe.matching._policy import Decline, MatchPolicy

__all__: list[str] = []  # internal: the candidate builder and the rules read these

Actor: TypeAlias = SocialWorker | Volunteer | SocialOrganization | CharitableResource
"""Any actor matching can assign (可匹配主体)."""

I32 = NDArray[np.int32]
I64 = NDArray[np.int64]
Bools = NDArray[np.bool_]

AMOUNT_SCALE = 100
"""Resource amounts are compared in hundredths of their unit (数量精度 0.01)."""

ANYWHERE = "*"
CATS = tuple(ServiceCategory)
CAT = {c: i for i, c in enumerate(CATS)}
_GROUP_BIT = {g: 1 << i for i, g in enumerate(TargetGroup)}
_CHILD_GROUPS = frozenset(
    {
        TargetGroup.LEFT_BEHIND_CHILD,
        TargetGroup.ORPHAN,
        TargetGroup.DE_FACTO_UNSUPPORTED_CHILD,
        TargetGroup.CHILD_IN_DIFFICULTY,
    }
)
RESOURCE_ROLE = {
    ResourceKind.FUNDS: MatchRole.FUNDS,
    ResourceKind.GOODS: MatchRole.GOODS,
    ResourceKind.SERVICE_HOURS: MatchRole.SERVICE_HOURS,
    ResourceKind.VENUE: MatchRole.VENUE,
}
ROLE_ORDER = {role: k for k, role in enumerate(MatchRole)}
_URGENCY_RANK = {u: u.rank for u in Urgency}
POOL_KIND = {
    MatchRole.LEAD_SOCIAL_WORKER: ActorKind.SOCIAL_WORKER,
    MatchRole.VOLUNTEER: ActorKind.VOLUNTEER,
    MatchRole.SOCIAL_ORGANIZATION: ActorKind.SOCIAL_ORGANIZATION,
}
_EPOCH = datetime(1900, 1, 1)


# ---------------------------------------------------------------------------------------
# Small conversions


def epoch(moment: datetime) -> int:
    """Seconds since 1900-01-01 Beijing time (1900 年起秒数).

    A window's time is naive Beijing time from 1900 on, so this is never negative
    (``-1`` means "no window") and does not depend on the machine's time zone.
    """
    return (moment.replace(tzinfo=None) - _EPOCH) // timedelta(seconds=1)


def units(amount: Decimal, *, up: bool) -> int:
    """An amount in hundredths of its unit, rounded up or down (数量换算)."""
    scaled = (amount * AMOUNT_SCALE).to_integral_value(
        rounding=ROUND_CEILING if up else ROUND_FLOOR
    )
    return int(scaled)


def category_mask(categories: Iterable[ServiceCategory]) -> int:
    """Bit ``k`` set for each category of index ``k`` (类别位图)."""
    out = 0
    for c in categories:
        out |= 1 << CAT[c]
    return out


def group_mask(groups: Iterable[TargetGroup]) -> int:
    """One bit per target group (对象类别位图)."""
    out = 0
    for g in groups:
        out |= _GROUP_BIT[g]
    return out


def is_minor(recipient: Recipient, as_of: date, policy: MatchPolicy) -> bool:
    """Whether the child-safety rules treat the recipient as a minor (是否未成年人)."""
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


def check_network(network: object) -> StationNetwork | None:
    """``network`` when it is a :class:`StationNetwork` or ``None``; else a clear error."""
    if network is None or isinstance(network, StationNetwork):
        return network
    msg = (
        f"network: expected a wushe.network.StationNetwork (社工站网络) or None, got "
        f"{type(network).__name__}; build one with StationNetwork.from_dataset(dataset)"
    )
    raise MatchingError(msg)


def role_of(role: Any) -> MatchRole:
    """The :class:`MatchRole` a need's role record asks for (需求角色)."""
    if isinstance(role, LeadWorkerRole):
        return MatchRole.LEAD_SOCIAL_WORKER
    if isinstance(role, VolunteerRole):
        return MatchRole.VOLUNTEER
    if isinstance(role, OrganizationRole):
        return MatchRole.SOCIAL_ORGANIZATION
    return RESOURCE_ROLE[role.resource_kind]


# ---------------------------------------------------------------------------------------
# Records


@attrs.define
class Inputs:
    """The records of one run, each collection sorted by id (匹配记录)."""

    needs: list[Need]
    workers: list[SocialWorker]
    volunteers: list[Volunteer]
    organizations: list[SocialOrganization]
    resources: list[CharitableResource]
    recipients: dict[str, Recipient]
    communities: dict[str, Community]
    stations: dict[str, Station]
    recipient_index: dict[str, int] = attrs.field(init=False)
    """Recipient id → its position in ``recipients`` (服务对象序号)."""

    def __attrs_post_init__(self) -> None:
        self.recipient_index = {rid: i for i, rid in enumerate(self.recipients)}


def _by_id(records: Iterable[Any], field: str, what: str, *, check: bool) -> list[Any]:
    """Records sorted by id; with ``check``, an id given twice is an error."""
    key = _attr(field)
    out = sorted(records, key=key)
    if check:
        for a, b in itertools.pairwise(out):
            if key(a) == key(b):
                msg = f"{what} {field} {key(a)!r} is given twice"
                raise MatchingError(msg)
    return out


def _attr(field: str) -> Any:
    return lambda r: getattr(r, field)


_POOLS: tuple[tuple[type, str, str], ...] = (
    (SocialWorker, "worker_id", "worker"),
    (Volunteer, "volunteer_id", "volunteer"),
    (SocialOrganization, "organization_id", "organization"),
    (CharitableResource, "resource_id", "resource"),
)


def gather(
    needs: Iterable[Need],
    actors: Dataset | Iterable[Actor],
    recipients: Iterable[Recipient],
    communities: Iterable[Community],
    stations: Iterable[Station],
) -> Inputs:
    """Sort the records by id; check ids for repeats only where no dataset did (收集记录).

    A dataset's collections are unique by construction (its integrity check), so they are
    only sorted; records given one by one are also checked.
    """
    ds = actors if isinstance(actors, Dataset) else None
    recs: list[Any] = list(recipients)
    comms: list[Any] = list(communities)
    posts: list[Any] = list(stations)
    checked = (True, True, True)
    if ds is None:
        by_kind = _split_pool(actors)  # type: ignore[arg-type]
    else:
        by_kind = {
            SocialWorker: list(ds.workers),
            Volunteer: list(ds.volunteers),
            SocialOrganization: list(ds.organizations),
            CharitableResource: list(ds.resources),
        }
        checked = (bool(recs), bool(comms), bool(posts))
        recs = recs or list(ds.recipients)
        comms = comms or list(ds.communities)
        posts = posts or list(ds.stations)
    pools = [
        _by_id(by_kind[kind], field, what, check=ds is None)
        for kind, field, what in _POOLS
    ]
    return Inputs(
        needs=_by_id(needs, "need_id", "need", check=True),
        workers=pools[0],
        volunteers=pools[1],
        organizations=pools[2],
        resources=pools[3],
        recipients={
            r.recipient_id: r
            for r in _by_id(recs, "recipient_id", "recipient", check=checked[0])
        },
        communities={
            c.community_id: c
            for c in _by_id(comms, "community_id", "community", check=checked[1])
        },
        stations={
            s.station_id: s
            for s in _by_id(posts, "station_id", "station", check=checked[2])
        },
    )


def _split_pool(actors: Iterable[Actor]) -> dict[type, list[Any]]:
    by_kind: dict[type, list[Any]] = {kind: [] for kind, _, _ in _POOLS}
    for actor in actors:
        kind = type(actor)
        if kind not in by_kind:
            msg = (
                f"actors: {kind.__name__} is not an actor matching can assign "
                "(SocialWorker, Volunteer, SocialOrganization, CharitableResource)"
            )
            raise MatchingError(msg)
        by_kind[kind].append(actor)
    return by_kind


# ---------------------------------------------------------------------------------------
# Areas


class Areas:
    """Division codes → dense ids, with each code's chain up to "anywhere" (区划索引)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {ANYWHERE: 0}
        self._chains: dict[str, tuple[str, ...]] = {}
        self._chain_ids: dict[str, list[int]] = {}
        self._normal: dict[frozenset[str], list[int]] = {}
        self._locs: dict[str | None, tuple[int, int, int]] = {}

    def id(self, code: str) -> int:
        """The dense id of a code, given on first sight (区划编号)."""
        found = self.ids.get(code)
        if found is None:
            found = self.ids[code] = len(self.ids)
        return found

    def chain(self, code: str) -> tuple[str, ...]:
        """A code, its ancestors and "anywhere" (上级链)."""
        found = self._chains.get(code)
        if found is None:
            found = self._chains[code] = (code, *division_ancestors(code), ANYWHERE)
        return found

    def chain_ids(self, code: str) -> list[int]:
        """Ids of a code's chain, itself first, "anywhere" last (cached)."""
        found = self._chain_ids.get(code)
        if found is None:
            found = self._chain_ids[code] = [self.id(c) for c in self.chain(code)]
        return found

    def normalise(self, codes: Iterable[str]) -> list[int]:
        """Drop codes inside another listed code, so a need's chain meets each actor once."""
        wanted = frozenset(codes)
        found = self._normal.get(wanted)
        if found is not None:
            return found
        if ANYWHERE in wanted:
            found = [0]
        else:
            kept = [
                c
                for c in sorted(wanted)
                if not any(a in wanted for a in self.chain(c)[1:-1])
            ]
            found = [self.id(c) for c in kept]
        self._normal[wanted] = found
        return found

    def loc(self, code: str | None) -> tuple[int, int, int]:
        """(community, street, district) ids of a code; -1 where the code is coarser."""
        found = self._locs.get(code)
        if found is not None:
            return found
        if code is None:
            found = (-1, -1, -1)
        else:
            found = (
                self.id(code) if len(code) == 12 else -1,
                self.id(code[:9]) if len(code) >= 9 else -1,
                self.id(code[:6]),
            )
        self._locs[code] = found
        return found


# ---------------------------------------------------------------------------------------
# Needs


@attrs.frozen(kw_only=True)
class NeedMeta:
    """What the plan keeps of a need: category, place and stations (需求信息)."""

    category: ServiceCategory
    community_id: str
    station_ids: tuple[str, ...]
    roles: tuple[MatchRole, ...]
    raised_on: date | None = None


@attrs.frozen(kw_only=True, eq=False)
class NeedFeatures:
    """Per-need columns read from the records once and shared by every role (需求特征).

    Also used per *left node* of one role, gathered with :meth:`take`.
    """

    category: NDArray[np.int8]
    tier: NDArray[np.int32]
    urgency_rank: I64
    waited: I64  # days waited, capped at the policy's waiting cap
    loc: I64  # (n, 3): community, street, district ids; -1 unknown
    recipient: I64  # index into Inputs.recipients
    minor: Bools
    blocked: Bools
    window: I64  # (n, 2) seconds since 1900, -1 when none
    day: I64  # service date ordinal: window start, else as_of
    chains: I64  # (n, width) area ids of the need's place up to "anywhere", -1 padded

    def take(self, rows: NDArray[np.intp]) -> NeedFeatures:
        """The features of the given rows (按行选取)."""
        return NeedFeatures(**{f.name: getattr(self, f.name)[rows] for f in _FIELDS})


_FIELDS = attrs.fields(NeedFeatures)


@attrs.frozen(kw_only=True, eq=False)
class NeedTable:
    """Every need's features, meta, recipient and the role records per role (需求表)."""

    features: NeedFeatures
    meta: dict[str, NeedMeta]
    recipients: list[Recipient]
    lefts: dict[MatchRole, list[tuple[int, Any]]]


def read_needs(
    data: Inputs,
    areas: Areas,
    *,
    network: StationNetwork | None,
    policy: MatchPolicy,
    as_of: date,
    blocked: set[str],
) -> NeedTable:
    """Check every need's references and read its features (读取需求)."""
    comm_code = {cid: c.division_code for cid, c in data.communities.items()}
    meta: dict[str, NeedMeta] = {}
    codes: list[str] = []
    whose: list[Recipient] = []
    lefts: dict[MatchRole, list[tuple[int, Any]]] = {}
    posts: dict[str, tuple[str, ...]] = {}
    for n, need in enumerate(data.needs):
        recipient, cid, code = _place(need, data, comm_code)
        codes.append(code)
        whose.append(recipient)
        roles = []
        for role in need.roles:
            kind = role_of(role)
            roles.append(kind)
            lefts.setdefault(kind, []).append((n, role))
        if cid not in posts:
            posts[cid] = _stations_for(network, cid)
        meta[need.need_id] = NeedMeta(
            category=need.category,
            community_id=cid,
            station_ids=posts[cid],
            roles=tuple(sorted(roles, key=ROLE_ORDER.__getitem__)),
            raised_on=need.raised_on,
        )
    features = _need_features(data, areas, codes, whose, policy, as_of, blocked)
    return NeedTable(features=features, meta=meta, recipients=whose, lefts=lefts)


def _place(
    need: Need, data: Inputs, comm_code: Mapping[str, str]
) -> tuple[Recipient, str, str]:
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
    return recipient, cid, code


def _stations_for(network: StationNetwork | None, community_id: str) -> tuple[str, ...]:
    if network is None:
        return ()
    station = network.station_for_community(community_id)
    return () if station is None else network.path_to_root(station)


def _need_features(
    data: Inputs,
    areas: Areas,
    codes: list[str],
    whose: list[Recipient],
    policy: MatchPolicy,
    as_of: date,
    blocked_ids: set[str],
) -> NeedFeatures:
    """Read every need's scoring and rule inputs once, with caches per code and group."""
    needs = data.needs
    n = len(needs)
    index = data.recipient_index
    tiers: dict[frozenset[TargetGroup], int] = {}
    minors: dict[str, bool] = {}
    tier = np.empty(n, dtype=np.int32)
    minor = np.empty(n, dtype=bool)
    blocked = np.empty(n, dtype=bool)
    recipient = np.empty(n, dtype=np.int64)
    for i, rec in enumerate(whose):
        groups, rid = rec.target_groups, rec.recipient_id
        if groups not in tiers:
            tiers[groups] = tier_of(rec, policy)
        if rid not in minors:
            minors[rid] = is_minor(rec, as_of, policy)
        tier[i], minor[i] = tiers[groups], minors[rid]
        blocked[i] = rid in blocked_ids
        recipient[i] = index[rid]
    today = as_of.toordinal()
    waited = today - np.fromiter(
        (x.raised_on.toordinal() for x in needs), dtype=np.int64, count=n
    )
    window = np.full((n, 2), -1, dtype=np.int64)
    day = np.full(n, today, dtype=np.int64)
    for i, x in enumerate(needs):
        if x.window is not None:
            window[i] = (epoch(x.window.start), epoch(x.window.end))
            day[i] = x.window.start.date().toordinal()
    return NeedFeatures(
        category=np.fromiter((CAT[x.category] for x in needs), dtype=np.int8, count=n),
        tier=tier,
        urgency_rank=np.fromiter(
            (_URGENCY_RANK[x.urgency] for x in needs), dtype=np.int64, count=n
        ),
        waited=np.clip(waited, 0, policy.waiting_cap_days),
        loc=np.array([areas.loc(c) for c in codes], dtype=np.int64).reshape(n, 3),
        recipient=recipient,
        minor=minor,
        blocked=blocked,
        window=window,
        day=day,
        chains=_padded([areas.chain_ids(c) for c in codes]),
    )


def _padded(rows: list[list[int]]) -> I64:
    width = max((len(r) for r in rows), default=1)
    out = np.full((len(rows), width), -1, dtype=np.int64)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


# ---------------------------------------------------------------------------------------
# Actors


@attrs.frozen(kw_only=True, eq=False)
class Pool:
    """One role's actors with the columns the index, rules and scores read (主体池)."""

    records: list[Any]
    ids: tuple[str, ...]
    areas: list[list[str]]  # division codes served, or ["*"]
    loc: I64  # (n, 3) of the actor's base
    masks: list[int]  # category bits served
    capacity: I64  # caseload, capacity or balance in hundredths
    index: dict[str, int] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "index", {a: j for j, a in enumerate(self.ids)})


@attrs.define
class PoolReader:
    """Reads each role's pool from the records (读取主体池)."""

    data: Inputs
    areas: Areas
    policy: MatchPolicy
    network: StationNetwork | None
    comm_code: dict[str, str] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.comm_code = {
            cid: c.division_code for cid, c in self.data.communities.items()
        }

    def read(self, role: MatchRole) -> Pool:
        """The pool of actors that may fill ``role`` (角色主体池)."""
        if role is MatchRole.LEAD_SOCIAL_WORKER:
            records: list[Any] = self.data.workers
            places = [self._worker_area(w) for w in records]
            masks = [category_mask(w.skills) for w in records]
            capacity = [w.caseload for w in records]
        elif role is MatchRole.VOLUNTEER:
            records = self.data.volunteers
            places = [self._volunteer_area(v) for v in records]
            masks = [category_mask(v.skills) for v in records]
            capacity = [v.capacity for v in records]
        elif role is MatchRole.SOCIAL_ORGANIZATION:
            records = self.data.organizations
            places = [self._organization_area(o) for o in records]
            masks = [category_mask(o.services) for o in records]
            capacity = [o.capacity for o in records]
        else:
            records = _resources(self.data.resources, role)
            places = [self._resource_area(r) for r in records]
            masks = [(1 << len(CATS)) - 1] * len(records)
            capacity = [units(r.balance, up=False) for r in records]
        ids = tuple(getattr(r, _ID_FIELD[type(r)]) for r in records)
        n = len(records)
        return Pool(
            records=records,
            ids=ids,
            areas=[a for a, _ in places],
            loc=np.array(
                [self.areas.loc(b) for _, b in places], dtype=np.int64
            ).reshape(n, 3),
            masks=masks,
            capacity=np.array(capacity, dtype=np.int64).reshape(n),
        )

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
        if station is None:
            return (self._home_area(w.home_community_id) or [ANYWHERE]), base
        if self.network is not None:
            covered = self.network.jurisdiction(station.station_id)
            codes = [self.comm_code[c] for c in covered if c in self.comm_code]
            if codes:
                return codes, base
        codes = [station.division_code] + [
            self.comm_code[c] for c in station.community_ids if c in self.comm_code
        ]
        return codes, base

    def _volunteer_area(self, v: Volunteer) -> tuple[list[str], str | None]:
        area = (
            list(v.service_area) or self._home_area(v.home_community_id) or [ANYWHERE]
        )
        return area, self.comm_code.get(v.home_community_id or "")

    def _organization_area(self, o: SocialOrganization) -> tuple[list[str], str | None]:
        return list(o.service_area) or [ANYWHERE], self.comm_code.get(
            o.home_community_id or ""
        )

    def _resource_area(self, r: CharitableResource) -> tuple[list[str], str | None]:
        base = self.comm_code.get(r.community_id or "")
        if r.resource_kind is ResourceKind.VENUE and base is not None:
            return [base[:9]], base
        return [ANYWHERE], base


_ID_FIELD = {kind: field for kind, field, _ in _POOLS}


def _resources(
    resources: list[CharitableResource], role: MatchRole
) -> list[CharitableResource]:
    kind = next(k for k, r in RESOURCE_ROLE.items() if r is role)
    return [
        r
        for r in resources
        if r.resource_kind is kind
        and not (r.restriction is not None and r.restriction.for_social_workers)
    ]


# ---------------------------------------------------------------------------------------
# One role


@attrs.frozen(kw_only=True, eq=False)
class RoleContext:
    """What a hard rule may read about one role's left and right nodes (规则上下文).

    Left node ``i`` is ``lefts[i]``: the index of a need in ``inputs.needs`` and the need's
    role record; ``left`` holds its features. Right node ``j`` is ``pool.records[j]``.
    """

    role: MatchRole
    policy: MatchPolicy
    as_of: date
    inputs: Inputs
    areas: Areas
    lefts: Sequence[tuple[int, Any]]
    left: NeedFeatures
    left_places: I32  # places per left node: volunteers asked, else 1; 0 when blocked
    left_amount: I64  # hundredths drawn per edge for resources, else 1
    left_gated: Bools  # no lawful basis for the role's purpose
    pool: Pool
    declines: Sequence[Decline]
    people: tuple[PersonLink, ...]

    @property
    def records(self) -> list[Any]:
        """The role's actors, by id (主体记录)."""
        return self.pool.records

    @property
    def n_right(self) -> int:
        """Number of actors in the pool, at least 1 for pair keys (主体数)."""
        return max(len(self.pool.records), 1)

    def pair_keys(self, recipient_actor: Iterable[tuple[str, str]]) -> I64:
        """Sorted keys ``recipient * n_right + actor`` of the known pairs (配对键)."""
        rec, act = self.inputs.recipient_index, self.pool.index
        return np.array(
            sorted(
                rec[r] * self.n_right + act[a]
                for r, a in set(recipient_actor)
                if r in rec and a in act
            ),
            dtype=np.int64,
        )

    def edge_keys(self, el: I32, er: I32) -> I64:
        """Pair keys of edges, as :meth:`pair_keys` builds them (边配对键)."""
        keys: I64 = self.left.recipient[el] * self.n_right + er
        return keys


def member(keys: I64, table: I64) -> Bools:
    """Per key, whether it is in the sorted ``table``: binary search, O(E log K)."""
    if table.size == 0:
        return np.zeros(keys.shape[0], dtype=bool)
    pos = np.searchsorted(table, keys)
    np.minimum(pos, table.size - 1, out=pos)
    found: Bools = table[pos] == keys
    return found
