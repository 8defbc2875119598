"""Matching configuration and decline records (匹配策略与拒绝记录).

Both are user data: pydantic models that load from JSON or YAML (``wushe.io.load_policy``)
and reject unknown fields.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from wushe._types import Identifier, NeedId, RecipientId, SortedFrozenSet
from wushe.matching._plan import MatchRole
from wushe.matching._stable import Preferences
from wushe.models import WusheModel
from wushe.vocab import (
    ActorKind,
    BilingualEnum,
    ConsentPurpose,
    Qualification,
    TargetGroup,
)

__all__ = [
    "DEFAULT_PURPOSES",
    "Decline",
    "DeclineConsequence",
    "DeclineReason",
    "DeclineRule",
    "MatchPolicy",
    "ScoreWeights",
]


class DeclineReason(BilingualEnum):
    """Why an actor or a recipient declined a proposed pair (拒绝原因)."""

    SCHEDULE = "schedule", "时间冲突"
    """The time did not suit (时间冲突)."""
    DISTANCE = "distance", "距离太远"
    """Too far to travel (距离太远)."""
    PREFERENCE = "preference", "个人意愿"
    """Personal preference, e.g. a recipient asks for someone else (个人意愿)."""
    CONFLICT_OF_INTEREST = "conflict_of_interest", "利益冲突"
    """A relative, neighbour in dispute or other conflict of interest (利益冲突)."""
    SAFETY = "safety", "安全顾虑"
    """A safety concern on either side (安全顾虑)."""
    NEED_CHANGED = "need_changed", "需求变化"
    """The recipient's situation changed; the need must be reassessed (需求变化)."""
    OTHER = "other", "其他原因"
    """Any other reason (其他原因)."""


class DeclineConsequence(BilingualEnum):
    """What a decline does to later matching (拒绝后果)."""

    COOL_DOWN = "cool_down", "冷静期"
    """Do not propose the pair again for ``days`` days (冷静期内不再推荐)."""
    NEVER = "never", "不再推荐"
    """Never propose this pair again (永不再推荐)."""
    REASSESS = "reassess", "先重新评估"
    """Propose nothing for the recipient until they are reassessed (重新评估后再匹配)."""


class DeclineRule(WusheModel):
    """The consequence a decline reason has (拒绝处理规则)."""

    consequence: DeclineConsequence
    """Cool-down, never again or reassess first (后果)."""
    days: Annotated[int, Field(ge=1)] | None = None
    """Length of the cool-down in days; required for a cool-down (冷静期天数)."""

    @model_validator(mode="after")
    def _days_for_cool_down(self) -> DeclineRule:
        if (self.consequence is DeclineConsequence.COOL_DOWN) != (
            self.days is not None
        ):
            msg = "days is required for a cool-down and only for a cool-down"
            raise ValueError(msg)
        return self


class Decline(WusheModel):
    """A recorded refusal of a proposed pair by the actor or the recipient (拒绝记录).

    Holds ids only. The policy's ``decline_rules`` turn ``reason`` into a consequence that the
    next :func:`~wushe.matching.match` honours and explains with the reason codes
    ``declined_pair`` or ``awaiting_reassessment``.
    """

    recipient_id: RecipientId
    """The recipient of the proposed pair (服务对象)."""
    actor_kind: ActorKind
    """Kind of the actor proposed: worker, volunteer, organisation or resource (主体类型)."""
    actor_id: Identifier
    """Id of the actor proposed (主体编号)."""
    need_id: NeedId | None = None
    """The need the pair was proposed for, if recorded (需求编号)."""
    declined_by: Literal["actor", "recipient"]
    """Who declined (拒绝方)."""
    reason: DeclineReason
    """Why (拒绝原因)."""
    declined_on: date
    """When (拒绝日期)."""


def _default_rules() -> dict[DeclineReason, DeclineRule]:
    cool = DeclineConsequence.COOL_DOWN
    never = DeclineConsequence.NEVER
    return {
        DeclineReason.SCHEDULE: DeclineRule(consequence=cool, days=14),
        DeclineReason.DISTANCE: DeclineRule(consequence=cool, days=90),
        DeclineReason.PREFERENCE: DeclineRule(consequence=never),
        DeclineReason.CONFLICT_OF_INTEREST: DeclineRule(consequence=never),
        DeclineReason.SAFETY: DeclineRule(consequence=never),
        DeclineReason.NEED_CHANGED: DeclineRule(
            consequence=DeclineConsequence.REASSESS
        ),
        DeclineReason.OTHER: DeclineRule(consequence=cool, days=30),
    }


class ScoreWeights(WusheModel):
    """Points each scoring criterion can add to a candidate pair (评分权重).

    A pair scores ``1 +`` the sum of its criteria; each criterion scales from 0 up to its
    weight. Integers keep the optimum exact.
    """

    fit: Annotated[int, Field(ge=0, le=10_000)] = 10
    """Specialisation: actors with fewer skills fit better; restricted funds first (适配度)."""
    proximity: Annotated[int, Field(ge=0, le=10_000)] = 30
    """Same community 100%, same street 2/3, same district 1/3 (就近)."""
    priority: Annotated[int, Field(ge=0, le=10_000)] = 40
    """Recipient priority tier, used when ``priority_mode`` is ``"weighted"`` (优先级)."""
    urgency: Annotated[int, Field(ge=0, le=10_000)] = 20
    """Urgency: critical 100%, high 2/3, medium 1/3, low 0 (紧急程度)."""
    waiting: Annotated[int, Field(ge=0, le=10_000)] = 15
    """Waiting time, growing linearly up to ``waiting_cap_days`` (等待时长)."""
    continuity: Annotated[int, Field(ge=0, le=10_000)] = 25
    """The actor served this recipient before (服务连续性)."""
    load: Annotated[int, Field(ge=0, le=10_000)] = 10
    """Spread load: actors with more capacity score more (负载均衡)."""


# Default priority tiers: wushe's choice of groups, see MatchPolicy.
_SAFETY_NET_TIER = frozenset(g for g in TargetGroup if g.is_safety_net)
_VULNERABLE_TIER = frozenset(
    {
        TargetGroup.LEFT_BEHIND_CHILD,
        TargetGroup.ELDER_LIVING_ALONE,
        TargetGroup.DISABLED_ELDER,
        TargetGroup.ADVANCED_AGE_ELDER,
        TargetGroup.DISABILITY,
        TargetGroup.FAMILY_PLANNING_SPECIAL,
        TargetGroup.LEFT_BEHIND_ELDER,
    }
)


DEFAULT_PURPOSES: dict[MatchRole, ConsentPurpose | None] = {
    MatchRole.LEAD_SOCIAL_WORKER: ConsentPurpose.CASEWORK,
    MatchRole.VOLUNTEER: ConsentPurpose.SHARE_WITH_VOLUNTEERS,
    MatchRole.SOCIAL_ORGANIZATION: ConsentPurpose.SHARE_WITH_ORGANIZATIONS,
    MatchRole.FUNDS: ConsentPurpose.SHARE_WITH_RESOURCE_PROVIDERS,
    MatchRole.GOODS: ConsentPurpose.SHARE_WITH_RESOURCE_PROVIDERS,
    MatchRole.SERVICE_HOURS: ConsentPurpose.SHARE_WITH_RESOURCE_PROVIDERS,
    MatchRole.VENUE: ConsentPurpose.SHARE_WITH_RESOURCE_PROVIDERS,
}
"""The purpose each role's actors receive a recipient's data for, by default (默认处理目的).

==================== ===============================
role                 purpose needing a lawful basis
==================== ===============================
lead_social_worker   casework (社工个案服务)
volunteers           share_with_volunteers (向志愿者提供)
social_organization  share_with_organizations (向社会组织提供)
funds, goods,        share_with_resource_providers
service_hours, venue (向慈善资源方提供)
==================== ===============================
"""


class MatchPolicy(WusheModel):
    """How :func:`~wushe.matching.match` decides: hard rules, scores and strategy (匹配策略).

    The defaults are wushe's choices drawn from practice, not legal rules (DOMAIN.md §12.6):
    a certified worker leads casework with a minor (a practice seen in public code for
    configured task types), only vetted volunteers serve minors and only adults serve
    one-to-one (the strictest local registration rules found, DOMAIN.md §6.1; the
    志愿服务条例 sets no age), and 兜底 groups come first (a civil-affairs priority, with the
    tier members chosen by wushe). Every one of them is a field to change.
    The consent gate is a legal rule, not a choice: no role's actors receive a recipient's
    data without a lawful basis for the role's purpose (``purposes``, PIPL Art. 13).

    >>> MatchPolicy().priority_mode
    'lexicographic'
    >>> MatchPolicy.model_validate({"weights": {"proximity": 60}}).weights.proximity
    60
    """

    strategy: Literal["exact", "greedy", "stable"] = "exact"
    """Exact optimum (default), greedy by score, or need-proposing stable matching (匹配策略)."""
    workers: Annotated[int, Field(ge=1, le=64)] = 1
    """Processes for big independent components (并行进程数); 1 keeps the solve in this process.

    With 2, at least two components of a million candidate edges or more are solved on two
    cores: 1.3–1.5x faster with a free core, slower when the other core is busy. On platforms
    that start processes by spawn (Windows, macOS) the calling script needs an
    ``if __name__ == "__main__":`` guard."""
    weights: ScoreWeights = ScoreWeights()
    """Points per scoring criterion (评分权重)."""
    priority_tiers: tuple[SortedFrozenSet[TargetGroup], ...] = (
        _SAFETY_NET_TIER,
        _VULNERABLE_TIER,
    )
    """Recipient groups from highest priority down; a recipient takes its best tier (优先级分层).

    Default, a library choice: the 兜底 groups (:attr:`~wushe.vocab.TargetGroup.is_safety_net`),
    then 留守儿童, elders living alone, care-dependent, advanced-age and left-behind elders,
    people with disabilities and special family-planning families."""
    priority_mode: Literal["lexicographic", "weighted"] = "lexicographic"
    """Lexicographic: a higher tier always wins a contested actor; weighted: a score (优先方式)."""
    waiting_cap_days: Annotated[int, Field(ge=1)] = 90
    """Waiting time after which the waiting score stops growing (等待封顶天数)."""
    minor_age: Annotated[int, Field(ge=1, le=25)] = 18
    """Recipients younger than this are minors for the child-safety rules (未成年人年龄)."""
    minor_lead_qualification: Qualification | None = Qualification.ASSISTANT
    """Lowest certificate a lead worker needs for a minor's case; ``None`` disables (未成年人个案资质).

    A library default from practice, not a national rule."""
    vetted_for_minors: bool = True
    """Only vetted volunteers serve minors (未成年人仅限已审查志愿者); a library default."""
    min_volunteer_age: Annotated[int, Field(ge=0, le=100)] = 18
    """Youngest volunteer assigned to one-to-one service (志愿者最低年龄).

    Default 18, as city volunteer federations register adults (Suzhou, Beijing; DOMAIN.md
    §6.1); the 志愿服务条例 asks only that tasks fit the volunteer's age (Art. 15)."""
    max_volunteer_age: Annotated[int, Field(ge=0, le=120)] | None = None
    """Oldest volunteer assigned; ``None`` sets no limit (志愿者最高年龄)."""
    require_insured_volunteers: bool = False
    """Assign only volunteers with accident insurance (须投保)."""
    reach_adjacent: bool = True
    """Actors serving their home community also serve adjacent communities (相邻社区可达)."""
    decline_rules: dict[DeclineReason, DeclineRule] = Field(
        default_factory=_default_rules
    )
    """Consequence of each decline reason; missing reasons never exclude (拒绝处理规则)."""
    why_not_names: Annotated[int, Field(ge=0, le=1000)] = 5
    """Feasible-but-taken candidates an unmatched role names, best score first (未匹配点名数)."""
    preferences: Preferences | None = None
    """Both sides' stated preferences for ``strategy="stable"``; the side named by
    ``stable_proposer`` is favoured (双边偏好); ``None`` ranks both sides by the pair score."""
    stable_proposer: Literal["needs", "actors"] = "needs"
    """Which side proposes in two-sided stable matching, and so is favoured (提议方)."""
    tie_break: Literal["raised_first", "need_id"] | None = None
    """Among plans of equal score, serve first the need raised earliest, then the lower id
    (``"raised_first"``), or the lower need id (``"need_id"``); ``None`` leaves ties to the
    solver (同分取舍). For problems too big for exact scaled weights it raises an error."""
    linkage: Literal["independent", "resources", "all_roles"] = "independent"
    """Whole team or nothing (全员到位): ``"resources"`` draws no resource for a need with
    another role open; ``"all_roles"`` also assigns no person to it (联动方式)."""
    purposes: dict[MatchRole, ConsentPurpose | None] = Field(
        default_factory=lambda: dict(DEFAULT_PURPOSES)
    )
    """Purpose each role's actors need a lawful basis for on ``as_of`` (各角色处理目的).

    Roles left out keep their default (:data:`DEFAULT_PURPOSES`); ``null`` lifts the gate
    for a role, for when nothing leaves the station, e.g. an organisation that runs the
    station under a government purchase (``social_organization: casework`` is the narrower
    choice)."""

    @field_validator("purposes", mode="after")
    @classmethod
    def _fill_purposes(
        cls, value: dict[MatchRole, ConsentPurpose | None]
    ) -> dict[MatchRole, ConsentPurpose | None]:
        return {**DEFAULT_PURPOSES, **value}

    @model_validator(mode="after")
    def _ages(self) -> MatchPolicy:
        if (
            self.max_volunteer_age is not None
            and self.max_volunteer_age < self.min_volunteer_age
        ):
            msg = "max_volunteer_age is below min_volunteer_age"
            raise ValueError(msg)
        return self
