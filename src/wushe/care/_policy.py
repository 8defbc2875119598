"""Visit policies: tiers, tier rules and allowed methods, as data (巡访制度)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import Annotated

from pydantic import Field, model_validator

from wushe._types import Identifier, RecipientId, SortedFrozenSet
from wushe.care._vocab import VisitMethod
from wushe.codes import age_on
from wushe.models import Recipient, WusheModel
from wushe.vocab import TargetGroup

__all__ = [
    "LOCAL_EXAMPLE_SOURCE",
    "TierRule",
    "VisitPolicy",
    "VisitTier",
    "local_example_policy",
    "national_monthly_policy",
]

LOCAL_EXAMPLE_SOURCE = (
    "Local example, not a national standard: the tiering of a regional implementing "
    "opinion in Inner Mongolia reported by 北方新报 (June 2022), DOMAIN.md §11."
)
"""Where the default policy comes from (默认巡访制度来源): a local example, not national."""

_ELDERS = frozenset(
    {
        TargetGroup.ELDER_LIVING_ALONE,
        TargetGroup.EMPTY_NEST_ELDER,
        TargetGroup.LEFT_BEHIND_ELDER,
    }
)


class VisitTier(WusheModel):
    """A visit-frequency tier such as high-risk, key or general (巡访等级).

    A recipient in the tier must be reached at least every ``max_interval_days`` days, or,
    with ``calendar_month``, at least once in every calendar month (as 月探访率 counts).
    When ``incident_response_hours`` is set, a major incident must be followed by a contact
    within that many hours; wushe extends the same deadline to a failed contact unless
    ``follow_up_failed_contacts`` is off.
    """

    code: Identifier
    """Stable identifier, e.g. ``"high_risk"`` (等级代码)."""
    name: Annotated[str, Field(min_length=1)]
    """Display name, e.g. ``"高风险"`` (等级名称)."""
    max_interval_days: Annotated[int, Field(ge=1, le=366)]
    """Longest allowed gap between two contacts, in days: 7 weekly, 30 monthly (最长间隔天数)."""
    calendar_month: bool = False
    """Due once in every calendar month rather than every ``max_interval_days`` days (按自然月).

    A contact in January is on time for February until the end of February; a recipient
    never reached is due by the end of the month of assessment. ``max_interval_days`` then
    only orders the tiers by strictness."""
    incident_response_hours: Annotated[int, Field(ge=1, le=720)] | None = None
    """Hours within which a major incident must be followed up (应急响应时限)."""
    follow_up_failed_contacts: bool = True
    """Also follow a failed contact up within ``incident_response_hours`` (失联跟进).

    wushe's extension: the local example's 24 hours apply to major incidents (重大变故)
    only; switch it off to follow the source strictly."""
    methods: SortedFrozenSet[VisitMethod] = frozenset()
    """Methods that count for this tier; empty means every method the policy allows (有效方式)."""

    @model_validator(mode="after")
    def _month_is_a_month(self) -> VisitTier:
        if self.calendar_month and not 28 <= self.max_interval_days <= 31:
            msg = (
                f"tier {self.code!r}: a calendar-month tier's max_interval_days only "
                "orders it by strictness and must be 28-31"
            )
            raise ValueError(msg)
        return self


def _month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def _due_after_contact(tier: VisitTier, contact: date) -> date:
    """Last day a contact after the one on ``contact`` is on time."""
    if tier.calendar_month:
        return _month_end(_month_end(contact) + timedelta(days=1))
    return contact + timedelta(days=tier.max_interval_days)


def _first_due(tier: VisitTier, assessed: date) -> date:
    """Last day the first contact of a recipient assessed on ``assessed`` is on time."""
    if tier.calendar_month:
        return _month_end(assessed)
    return assessed + timedelta(days=tier.max_interval_days)


class TierRule(WusheModel):
    """A rule placing recipients in a tier by target groups and age (分级规则).

    A recipient matches when every condition that is set holds: listed explicitly in
    ``recipient_ids``, or belonging to at least one of ``any_groups`` and all of
    ``all_groups`` with an age inside ``[min_age, max_age]``. A rule with no condition at all
    matches everyone. Age conditions fail when the birth date is unknown.
    """

    tier: Identifier
    """Code of the tier the rule assigns (目标等级)."""
    any_groups: SortedFrozenSet[TargetGroup] = frozenset()
    """At least one of these groups is required; empty means no group condition (任一类别)."""
    all_groups: SortedFrozenSet[TargetGroup] = frozenset()
    """All of these groups are required (全部类别)."""
    min_age: Annotated[int, Field(ge=0, le=150)] | None = None
    """Lowest age, inclusive (最低年龄)."""
    max_age: Annotated[int, Field(ge=0, le=150)] | None = None
    """Highest age, inclusive (最高年龄)."""
    recipient_ids: SortedFrozenSet[RecipientId] = frozenset()
    """Recipients placed in the tier by name of record, e.g. after a risk assessment (指定对象)."""
    note: str = ""
    """Why the rule exists, e.g. the clause it implements (说明)."""

    @model_validator(mode="after")
    def _ages_ordered(self) -> TierRule:
        if (
            self.min_age is not None
            and self.max_age is not None
            and self.min_age > self.max_age
        ):
            msg = f"rule for tier {self.tier}: min_age is above max_age"
            raise ValueError(msg)
        return self

    def applies_to(self, recipient: Recipient, on: date) -> bool:
        """Whether ``recipient`` matches the rule on day ``on`` (是否适用)."""
        if recipient.recipient_id in self.recipient_ids:
            return True
        has_group_or_age = bool(
            self.any_groups
            or self.all_groups
            or self.min_age is not None
            or self.max_age is not None
        )
        if self.recipient_ids and not has_group_or_age:
            return False
        groups = recipient.target_groups
        if self.any_groups and not (self.any_groups & groups):
            return False
        if not self.all_groups <= groups:
            return False
        if self.min_age is None and self.max_age is None:
            return True
        if recipient.birth_date is None:
            return False
        age = age_on(recipient.birth_date, on)
        if self.min_age is not None and age < self.min_age:
            return False
        return self.max_age is None or age <= self.max_age


class VisitPolicy(WusheModel):
    """A care-visit policy: tiers, the rules that assign them and allowed methods (巡访制度).

    A recipient is *covered* when at least one rule matches; the recipient then gets the
    strictest matching tier (the shortest ``max_interval_days``; ties go to the tier listed
    first). ``VisitPolicy()`` is the local example of DOMAIN.md §11 — Inner Mongolia's
    high-risk ≥ weekly plus 24 h after a major incident, key ≥ monthly, general ≥
    quarterly — labelled in ``source``; it is not a national standard, and which groups
    fall in its general tier is wushe's choice (the source does not list them). The
    national target is a 100% monthly visit rate for elders in special hardship
    (:func:`national_monthly_policy`).

    Examples:
        >>> policy = VisitPolicy()
        >>> [(t.code, t.max_interval_days) for t in policy.tiers]
        [('high_risk', 7), ('key', 30), ('general', 90)]
    """

    name: Annotated[str, Field(min_length=1)] = "分级巡访（地方示例）"
    """Display name (制度名称)."""
    source: str = LOCAL_EXAMPLE_SOURCE
    """Where the policy comes from; say when it is a local example (依据)."""
    tiers: Annotated[tuple[VisitTier, ...], Field(min_length=1)] = Field(
        default_factory=lambda: _LOCAL_TIERS
    )
    """The tiers, listed from the strictest; default: the local example (巡访等级)."""
    rules: tuple[TierRule, ...] = Field(
        default_factory=lambda data: (
            _LOCAL_RULES if data["tiers"] == _LOCAL_TIERS else ()
        )
    )
    """Rules placing recipients in tiers; default: the local example's with its tiers (分级规则)."""
    methods: SortedFrozenSet[VisitMethod] = frozenset(VisitMethod)
    """Visit methods the policy accepts at all (认可的巡访方式)."""

    @model_validator(mode="after")
    def _consistent(self) -> VisitPolicy:
        codes = [tier.code for tier in self.tiers]
        if len(set(codes)) != len(codes):
            msg = f"policy {self.name!r}: two tiers share a code"
            raise ValueError(msg)
        for index, rule in enumerate(self.rules):
            if rule.tier not in codes:
                msg = (
                    f"rules[{index}].tier {rule.tier!r} is not one of the tiers {codes}"
                )
                raise ValueError(msg)
        for tier in self.tiers:
            if tier.methods - self.methods:
                msg = f"tier {tier.code!r} allows methods the policy does not accept"
                raise ValueError(msg)
        return self

    def tier_by_code(self, code: str) -> VisitTier:
        """Return the tier with ``code`` (按代码取等级).

        Raises:
            KeyError: When no tier has that code.
        """
        for tier in self.tiers:
            if tier.code == code:
                return tier
        msg = f"policy {self.name!r} has no tier {code!r}"
        raise KeyError(msg)

    def tier_for(self, recipient: Recipient, on: date) -> VisitTier | None:
        """Return the strictest tier whose rule matches ``recipient`` on ``on`` (对象分级).

        Returns ``None`` when the policy does not cover the recipient.
        """
        best: VisitTier | None = None
        best_key = (0, 0)
        order = {tier.code: index for index, tier in enumerate(self.tiers)}
        for rule in self.rules:
            if not rule.applies_to(recipient, on):
                continue
            tier = self.tier_by_code(rule.tier)
            key = (tier.max_interval_days, order[tier.code])
            if best is None or key < best_key:
                best, best_key = tier, key
        return best

    def accepts_method(self, tier: VisitTier, method: VisitMethod) -> bool:
        """Whether a contact by ``method`` counts as a visit for ``tier`` (方式是否有效)."""
        return method in (tier.methods or self.methods)


class _TierResolver:
    """:meth:`VisitPolicy.tier_for`, memoised on what the rules can see.

    A rule looks only at the recipient id (when it lists ids), the target groups and the
    age, so recipients alike in those share one answer; at city scale that turns one rule
    scan per recipient and period into a dictionary lookup.
    """

    def __init__(self, policy: VisitPolicy) -> None:
        self.policy = policy
        self.named: frozenset[str] = frozenset().union(
            *(rule.recipient_ids for rule in policy.rules)
        )
        self.cache: dict[
            tuple[frozenset[TargetGroup], int | None], VisitTier | None
        ] = {}

    def __call__(self, recipient: Recipient, on: date) -> VisitTier | None:
        if recipient.recipient_id in self.named:
            return self.policy.tier_for(recipient, on)
        born = recipient.birth_date
        key = (recipient.target_groups, None if born is None else age_on(born, on))
        try:
            return self.cache[key]
        except KeyError:
            tier = self.cache[key] = self.policy.tier_for(recipient, on)
            return tier


_LOCAL_TIERS: tuple[VisitTier, ...] = (
    VisitTier(
        code="high_risk",
        name="高风险",
        max_interval_days=7,
        incident_response_hours=24,
    ),
    VisitTier(code="key", name="重点", max_interval_days=30),
    VisitTier(code="general", name="一般", max_interval_days=90),
)
_LOCAL_RULES: tuple[TierRule, ...] = (
    TierRule(
        tier="high_risk",
        any_groups=_ELDERS,
        min_age=80,
        note="80岁以上独居、空巢、留守老人",
    ),
    TierRule(
        tier="high_risk",
        any_groups=frozenset({TargetGroup.ELDER_AT_LIFE_RISK}),
        min_age=60,
        note="患有阿尔茨海默症、重度高血压、心脏病等随时可能危及生命安全病症的老年人",
    ),
    TierRule(
        tier="key",
        any_groups=frozenset(
            {TargetGroup.DISABLED_ELDER, TargetGroup.FAMILY_PLANNING_SPECIAL}
        ),
        min_age=60,
        note="60岁以上失能失智、计划生育特殊家庭老人",
    ),
    TierRule(
        tier="key",
        any_groups=frozenset(
            {
                TargetGroup.EXTREME_POVERTY_DISPERSED,
                TargetGroup.ORPHAN_SCATTERED,
                TargetGroup.CHILD_IN_DIFFICULTY,
            }
        ),
        note="分散供养特困人员、社会散居孤儿、困境儿童",
    ),
    TierRule(
        tier="general",
        any_groups=_ELDERS
        | frozenset(
            {
                TargetGroup.ADVANCED_AGE_ELDER,
                TargetGroup.DISABILITY,
                TargetGroup.DIBAO,
                TargetGroup.LEFT_BEHIND_CHILD,
                TargetGroup.EXTREME_POVERTY,
                TargetGroup.ORPHAN,
                TargetGroup.DE_FACTO_UNSUPPORTED_CHILD,
            }
        ),
        note=(
            "其他特殊困难对象（wushe 的选择：来源未列一般对象；含供养方式未记录或集中供养的"
            "特困人员、机构养育孤儿、事实无人抚养儿童）"
        ),
    ),
)


def local_example_policy() -> VisitPolicy:
    """Return the local tiering example of DOMAIN.md §11 (地方分级巡访示例).

    High-risk (80+ living alone, empty-nest or left-behind; elders with conditions that can
    threaten life at any time): at least weekly and within 24 h of a major incident. Key
    (60+ care-dependent or special family-planning elders, 分散供养 特困, 散居 orphans,
    children in difficulty): at least monthly. General: at least quarterly. Reported from
    Inner Mongolia (北方新报, 23 June 2022); a local example, not a national standard. The
    same as ``VisitPolicy()``.

    Two parts are wushe's, not the source's: the source names no members of its general
    tier, so wushe puts the other special-hardship groups there (including 特困 whose form
    of support is not recorded, 机构养育 orphans and 事实无人抚养儿童, which the source does
    not list); and the 24-hour follow-up also applies to failed contacts
    (:attr:`VisitTier.follow_up_failed_contacts`).
    """
    return VisitPolicy()


def national_monthly_policy() -> VisitPolicy:
    """Return the national monthly target for elders in special hardship (全国月探访).

    The 2022 guiding opinion of MCA and nine departments (《关于开展特殊困难老年人探访关爱
    服务的指导意见》) asks for a 100% monthly visit rate (月探访率) by end 2025 for elders
    living alone, empty-nest, left-behind, care-dependent (失能), severely disabled (重残)
    and special family-planning elders; one tier, a contact in every calendar month, as
    the rate counts it.
    """
    return VisitPolicy(
        name="特殊困难老年人月探访（全国）",
        source="MCA and nine departments, guiding opinion on visits to elders in "
        "special hardship (Oct 2022): 100% monthly visit rate by end 2025.",
        tiers=(
            VisitTier(
                code="monthly", name="月探访", max_interval_days=31, calendar_month=True
            ),
        ),
        rules=(
            TierRule(
                tier="monthly",
                any_groups=_ELDERS
                | frozenset(
                    {
                        TargetGroup.DISABLED_ELDER,
                        TargetGroup.SEVERE_DISABILITY,
                        TargetGroup.FAMILY_PLANNING_SPECIAL,
                    }
                ),
                min_age=60,
                note="独居、空巢、留守、失能、重残、计划生育特殊家庭老年人",
            ),
        ),
    )
