"""What matching returns: assignments, unmatched roles, linkage and explanations (匹配方案).

All values are attrs frozen classes computed by the engine. They hold ids, codes and
scores only: never a name, ID number, phone, address or health detail. They are plain
data: :func:`wushe.io.plan_to_dict` and :func:`wushe.io.explain_plan` present them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from wushe._renamed import removed_attribute
from wushe.exceptions import MatchingError
from wushe.matching._criteria import CRITERIA, NAMES
from wushe.matching._reasons import Department, ReasonCode
from wushe.vocab import ActorKind, BilingualEnum, ConsentPurpose, ServiceCategory

__all__ = [
    "Assignment",
    "Linkage",
    "MatchPlan",
    "MatchRole",
    "Proximity",
    "ScoreBreakdown",
    "TakenBy",
    "Unmatched",
]


class MatchRole(BilingualEnum):
    """A role of a need that matching fills from one supply pool (匹配角色)."""

    LEAD_SOCIAL_WORKER = "lead_social_worker", "主责社工"
    """A lead social worker, from the workers' pool (主责社工)."""
    VOLUNTEER = "volunteers", "志愿者"
    """One or more volunteers, from the volunteers' pool (志愿者)."""
    SOCIAL_ORGANIZATION = "social_organization", "承接组织"
    """A social organisation carrying the service (承接社会组织)."""
    FUNDS = "funds", "资金"
    """An amount of money (慈善资金)."""
    GOODS = "goods", "物资"
    """An amount of donated goods (捐赠物资)."""
    SERVICE_HOURS = "service_hours", "服务时长"
    """Donated service hours (服务时长)."""
    VENUE = "venue", "场地"
    """Venue slots (场地)."""

    @property
    def actor_kind(self) -> ActorKind:
        """The kind of actor that fills this role (主体类型)."""
        return _ROLE_ACTOR.get(self, ActorKind.CHARITABLE_RESOURCE)


_ROLE_ACTOR = {
    MatchRole.LEAD_SOCIAL_WORKER: ActorKind.SOCIAL_WORKER,
    MatchRole.VOLUNTEER: ActorKind.VOLUNTEER,
    MatchRole.SOCIAL_ORGANIZATION: ActorKind.SOCIAL_ORGANIZATION,
}


class Proximity(BilingualEnum):
    """How close an actor is to the need's community (就近程度, 纵向联动)."""

    SAME_COMMUNITY = "same_community", "同社区"
    """The actor is based in the need's community or its room (同一社区)."""
    SAME_STREET = "same_street", "同街道"
    """The actor is based in the same street or township (同一街道/乡镇)."""
    SAME_DISTRICT = "same_district", "同区县"
    """The actor is based in the same district or county (同一区县)."""
    FARTHER = "farther", "区县以外"
    """Farther away, or the actor's base is unknown (更远或未知)."""

    @property
    def level(self) -> int:
        """3 for the same community down to 0 for farther (就近等级)."""
        return 3 - list(Proximity).index(self)


@attrs.frozen(kw_only=True)
class ScoreBreakdown:
    """The points a pair earned per criterion (评分明细).

    ``total`` is the pair's weight in the objective: 1 plus every criterion. Under
    lexicographic priority, ``priority`` holds the tier offset that makes a higher tier win.
    One field per scoring criterion, in the order of :class:`ScoreWeights`.
    """

    fit: int
    """Specialisation and restricted-fund fit (适配度)."""
    proximity: int
    """Closeness in the station hierarchy (就近)."""
    priority: int
    """Recipient priority tier points (优先级)."""
    urgency: int
    """Urgency points (紧急程度)."""
    waiting: int
    """Waiting-time points (等待时长)."""
    continuity: int
    """Points for an actor who served this recipient before (服务连续性)."""
    load: int
    """Load-balance points (负载均衡)."""
    tier: int
    """Priority tier of the recipient, 0 lowest (优先级层级)."""
    reach: Proximity
    """How close the actor is (就近程度)."""

    @property
    def total(self) -> int:
        """The pair's weight: 1 plus every criterion (总分)."""
        points: int = sum(getattr(self, name) for name in NAMES)
        return 1 + points

    def items(self) -> tuple[tuple[str, int], ...]:
        """The criteria as ``(name, points)`` pairs in a fixed order (评分项)."""
        return tuple((name, getattr(self, name)) for name in NAMES)


def score_breakdown(
    points: Mapping[str, int], *, tier: int, reach: Proximity
) -> ScoreBreakdown:
    """A breakdown from points per criterion name (按评分项构造)."""
    return ScoreBreakdown(
        **{c.name: int(points[c.name]) for c in CRITERIA}, tier=tier, reach=reach
    )


@attrs.frozen(kw_only=True)
class Assignment:
    """One actor filling (part of) one role of a need (匹配结果).

    A volunteer role asking for three volunteers yields up to three assignments.
    """

    need_id: str
    """The need served (需求编号)."""
    role: MatchRole
    """The role filled (角色)."""
    actor_kind: ActorKind
    """Kind of the actor (主体类型)."""
    actor_id: str
    """Id of the actor (主体编号)."""
    amount: Decimal | None = None
    """Amount drawn from a resource, in its unit; ``None`` for people (数量)."""
    score: ScoreBreakdown
    """Points per criterion (评分明细)."""


@attrs.frozen(kw_only=True)
class TakenBy:
    """A feasible candidate of an open role and the needs holding it (被占用的候选).

    Ids only. ``actor_id`` could fill the open role by every hard rule; ``need_ids`` are the
    needs whose assignments in the same role use the capacity, balance or time it lacks.
    """

    actor_id: str
    """The feasible candidate (候选主体编号)."""
    need_ids: tuple[str, ...]
    """Needs assigned this actor in the same role, sorted (占用需求编号)."""
    reason: ReasonCode
    """Why the candidate is not used: higher or lower priority, optimum or window (原因代码)."""


@attrs.frozen(kw_only=True)
class Unmatched:
    """A role of a need that was not, or not fully, filled, with every reason (未匹配).

    ``missing`` counts the unfilled places: volunteers still lacking, or 1 for any other role.
    """

    need_id: str
    """The need (需求编号)."""
    role: MatchRole
    """The role left open (角色)."""
    missing: int
    """How many places stay open (缺口数)."""
    reasons: tuple[ReasonCode, ...]
    """Every reason, most specific first; never empty (原因代码)."""
    counts: tuple[tuple[ReasonCode, int], ...] = ()
    """How many candidates each reason excluded, where it counts candidates (候选计数)."""
    referral: Department | None = None
    """The department that also serves this need's category, if any (转介部门).

    Set only when the recipient has a lawful basis for referral on ``as_of``."""
    referral_withheld: Department | None = None
    """A referral withheld for want of consent or a statutory basis for it (待同意转介)."""
    purpose: ConsentPurpose | None = None
    """The purpose lacking a lawful basis, when the role is open for that reason (缺少依据的目的)."""
    taken: tuple[TakenBy, ...] = ()
    """Named feasible candidates taken by other needs, best first, at most
    :attr:`MatchPolicy.why_not_names` of them (被占用的候选)."""


@attrs.frozen(kw_only=True)
class Linkage:
    """The five-society team serving one need, anchored on its community (五社联动团队).

    社区为平台、社会组织为载体、社会工作者为支撑、社区志愿者为辅助、社会慈善资源为补充.
    """

    need_id: str
    """The need (需求编号)."""
    community_id: str
    """The community where the service takes place: the platform (社区, 平台)."""
    station_ids: tuple[str, ...] = ()
    """Stations from the community's room up to the hub, when a network was given (社工站)."""
    organization_id: str | None = None
    """The carrying social organisation (社会组织, 载体)."""
    lead_worker_id: str | None = None
    """The lead social worker (社会工作者, 支撑)."""
    volunteer_ids: tuple[str, ...] = ()
    """The volunteers (社区志愿者, 辅助)."""
    resources: tuple[tuple[str, Decimal], ...] = ()
    """Charitable resources drawn, as ``(resource_id, amount)`` (社会慈善资源, 补充)."""
    open_roles: tuple[MatchRole, ...] = ()
    """Roles still unfilled (未落实角色)."""

    @property
    def is_complete(self) -> bool:
        """Whether every role the need asked for is filled (是否完整)."""
        return not self.open_roles


@attrs.frozen(kw_only=True)
class _NeedInfo:
    category: ServiceCategory
    community_id: str
    station_ids: tuple[str, ...]
    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]


@attrs.frozen(kw_only=True)
class MatchPlan:
    """The result of :func:`~wushe.matching.match` (匹配方案).

    Deterministic: the same input in any order gives an equal plan. ``objective`` is the sum
    of the assignments' weights (``score.total``), the quantity the exact strategy maximises.
    """

    assignments: tuple[Assignment, ...]
    """Every assignment, sorted by need id, role and actor id (匹配结果)."""
    unmatched: tuple[Unmatched, ...]
    """Every role left open, with reasons, sorted by need id and role (未匹配)."""
    objective: int
    """Total weight of the assignments (目标值)."""
    strategy: str
    """The strategy used: ``"exact"``, ``"greedy"`` or ``"stable"`` (匹配策略)."""
    as_of: date
    """The date the rules were evaluated on (匹配日期)."""
    _needs: Mapping[str, _NeedInfo] = attrs.field(alias="needs", repr=False, eq=False)

    def __repr__(self) -> str:
        return (
            f"<MatchPlan {self.strategy} as of {self.as_of}: {len(self._needs)} needs, "
            f"{len(self.assignments)} assignments, {len(self.unmatched)} open roles, "
            f"objective {self.objective}>"
        )

    def for_need(
        self, need_id: str
    ) -> tuple[tuple[Assignment, ...], tuple[Unmatched, ...]]:
        """The assignments and open roles of one need (单个需求的结果)."""
        info = self._info(need_id)
        return info.assignments, info.unmatched

    def _info(self, need_id: str) -> _NeedInfo:
        try:
            return self._needs[need_id]
        except KeyError:
            msg = f"need_id {need_id!r} was not part of this match"
            raise MatchingError(msg) from None

    def linkage(self, need_id: str) -> Linkage:
        """The whole team serving ``need_id``, anchored on its community (五社联动团队)."""
        info = self._info(need_id)
        done, open_ = self.for_need(need_id)
        by_role: dict[MatchRole, list[Assignment]] = {}
        for a in done:
            by_role.setdefault(a.role, []).append(a)

        def one(role: MatchRole) -> str | None:
            found = by_role.get(role)
            return found[0].actor_id if found else None

        return Linkage(
            need_id=need_id,
            community_id=info.community_id,
            station_ids=info.station_ids,
            organization_id=one(MatchRole.SOCIAL_ORGANIZATION),
            lead_worker_id=one(MatchRole.LEAD_SOCIAL_WORKER),
            volunteer_ids=tuple(
                a.actor_id for a in by_role.get(MatchRole.VOLUNTEER, ())
            ),
            resources=tuple(
                (a.actor_id, a.amount or Decimal(0))
                for a in done
                if a.actor_kind is ActorKind.CHARITABLE_RESOURCE
            ),
            open_roles=tuple(u.role for u in open_),
        )

    def category(self, need_id: str) -> ServiceCategory:
        """The service category of ``need_id`` (需求服务类别)."""
        return self._info(need_id).category

    def __getattr__(self, name: str) -> Any:
        # Presentation moved to wushe.io; say where instead of a bare AttributeError.
        raise removed_attribute(name, _MOVED, owner="MatchPlan")


_MOVED = {
    "explain": "wushe.io.explain_plan(plan, need_id, lang=...)",
    "as_dict": "wushe.io.plan_to_dict(plan)",
}
