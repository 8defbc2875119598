"""Stable reason codes for unmatched needs and the departments they are referred to (原因代码).

Every :class:`ReasonCode` has a Chinese label (``.zh``), a documented meaning in the
reason-code reference page and bilingual message templates used by
:meth:`~wushe.matching.MatchPlan.explain`. Codes never change meaning; new ones may be added.
"""

from __future__ import annotations

from wushe.vocab import BilingualEnum, Department, ServiceCategory

__all__ = ["Department", "ReasonCode", "referral_for"]


class ReasonCode(BilingualEnum):
    """Why a role of a need was not (fully) filled (未匹配原因代码)."""

    NO_ACTOR_WITH_SKILL = "no_actor_with_skill", "无该类别服务主体"
    """No actor of the role's kind serves the need's category anywhere in the input."""
    NO_CANDIDATE_IN_AREA = "no_candidate_in_area", "服务区域内无候选"
    """Actors with the skill exist, but none serves the need's community."""
    NO_QUALIFIED_WORKER = "no_qualified_worker", "无符合资质的社工"
    """Candidate workers lack the certificate level the role or a minor's casework requires."""
    NO_VETTED_VOLUNTEER = "no_vetted_volunteer", "无已审查志愿者"
    """The recipient is a minor or the role asks for vetted volunteers; candidates are not vetted."""
    VOLUNTEER_AGE = "volunteer_age", "志愿者年龄不符"
    """Candidate volunteers are outside the policy's age range for assignments."""
    VOLUNTEER_UNINSURED = "volunteer_uninsured", "志愿者未投保"
    """The policy requires accident insurance and candidate volunteers have none."""
    NOT_AVAILABLE = "not_available", "服务时段不可用"
    """Candidates' availability windows do not cover the need's service window."""
    NO_CAPACITY = "no_capacity", "无可用容量"
    """Candidates have zero capacity (caseload, volunteer capacity or organisation capacity)."""
    RESTRICTED_PURPOSE_MISMATCH = "restricted_purpose_mismatch", "定向用途不符"
    """A restricted resource's purpose, groups, area or named beneficiaries exclude this need."""
    INTERESTED_PARTY = "interested_party", "捐赠方利害关系人"
    """The recipient is an interested party of the donor and may never benefit."""
    INSUFFICIENT_BALANCE = "insufficient_balance", "余额不足"
    """Resources of the kind have less remaining than the amount asked."""
    RESOURCE_EXPIRED = "resource_expired", "资源已过期"
    """Goods have expired or the resource is outside its usable period on the service date."""
    UNIT_MISMATCH = "unit_mismatch", "计量单位不符"
    """The role asks in a unit different from the resource's unit."""
    VENUE_BOOKED = "venue_booked", "场地已被预约"
    """The venue is already booked in the need's window."""
    DECLINED_PAIR = "declined_pair", "曾被拒绝"
    """An earlier decline excludes this pair (cool-down running or never again)."""
    AWAITING_REASSESSMENT = "awaiting_reassessment", "待重新评估"
    """A decline asked for reassessment of the recipient first; nothing is proposed until then."""
    CAPACITY_EXHAUSTED_BY_HIGHER_PRIORITY = (
        "capacity_exhausted_by_higher_priority",
        "容量已被更高优先级需求占用",
    )
    """Feasible candidates exist, but their capacity went to needs of higher priority."""
    CAPACITY_EXHAUSTED = "capacity_exhausted", "容量已用尽"
    """Feasible candidates exist, but an optimal plan gives their capacity to other needs."""
    DOUBLE_BOOKING = "double_booking", "时段冲突"
    """Feasible candidates are already serving another need in an overlapping window."""
    NO_LAWFUL_BASIS = "no_lawful_basis", "无合法性基础"
    """No consent or other lawful basis lets the role's actors receive the recipient's data on ``as_of``."""
    SAME_PERSON = "same_person", "不能服务本人"
    """The candidate is the recipient themself in another role (a recipient who volunteers)."""
    CAPACITY_TAKEN_BY_LOWER_PRIORITY = (
        "capacity_taken_by_lower_priority",
        "容量已分配给得分更高的较低优先级需求",
    )
    """Weighted priority: a feasible candidate went to a lower-tier need that scored higher."""
    TEAM_INCOMPLETE = "team_incomplete", "团队未全员到位"
    """Whole team or nothing: another role of the need stays open, so this one is held back."""


CODES: tuple[ReasonCode, ...] = tuple(ReasonCode)
"""Every code in its one numbering: code ``CODES[n - 1]`` has number ``n`` (原因编号).

Numbers are what ``CandidateSet.rejected_reason`` holds (0 means feasible) and what the
plan counts reasons by; new codes are appended, so a number never changes meaning.
"""
_NUMBER = {c: n for n, c in enumerate(CODES, start=1)}


def number(code: ReasonCode) -> int:
    """The code's number, 1-based (原因编号)."""
    return _NUMBER[code]


_REFERRALS = {
    ServiceCategory.EDUCATION: Department.EDUCATION,
    ServiceCategory.HEALTH: Department.HEALTH,
    ServiceCategory.PSYCHOSOCIAL: Department.HEALTH,
    ServiceCategory.LEGAL_AID: Department.JUSTICE,
    ServiceCategory.DISABILITY_SUPPORT: Department.DISABLED_PERSONS_FEDERATION,
    ServiceCategory.HOUSING: Department.HOUSING,
}


def referral_for(category: ServiceCategory) -> Department | None:
    """Return the department that also serves ``category``, if any (转介部门).

    >>> referral_for(ServiceCategory.LEGAL_AID).zh
    '司法'
    >>> referral_for(ServiceCategory.ELDERLY_CARE) is None
    True
    """
    return _REFERRALS.get(category)


TEMPLATES: dict[ReasonCode, tuple[str, str]] = {
    ReasonCode.NO_ACTOR_WITH_SKILL: (
        "没有任何{role}提供“{category}”服务",
        "no actor in the {role} pool serves {category} at all",
    ),
    ReasonCode.NO_CANDIDATE_IN_AREA: (
        "服务区域覆盖该社区的{role}中没有（更多）提供“{category}”服务的",
        "no (further) actor in the {role} pool serving {category} covers this community",
    ),
    ReasonCode.NO_QUALIFIED_WORKER: (
        "{count} 名候选社工资质不符（需持证或更高等级）",
        "{count} candidate worker(s) lack the required certificate",
    ),
    ReasonCode.NO_VETTED_VOLUNTEER: (
        "{count} 名候选志愿者未经审查，不能服务未成年人或限定对象",
        "{count} candidate volunteer(s) are not vetted to serve minors",
    ),
    ReasonCode.VOLUNTEER_AGE: (
        "{count} 名候选志愿者年龄不符合安排要求",
        "{count} candidate volunteer(s) are outside the allowed age range",
    ),
    ReasonCode.VOLUNTEER_UNINSURED: (
        "{count} 名候选志愿者未购买意外保险",
        "{count} candidate volunteer(s) have no accident insurance",
    ),
    ReasonCode.NOT_AVAILABLE: (
        "{count} 个候选在服务时段内不可用",
        "{count} candidate(s) are not available in the service window",
    ),
    ReasonCode.NO_CAPACITY: (
        "{count} 个候选容量为零",
        "{count} candidate(s) have zero capacity",
    ),
    ReasonCode.RESTRICTED_PURPOSE_MISMATCH: (
        "{count} 项定向资源的用途、对象、区域或指定受益人不符",
        "{count} restricted resource(s) may not be used for this need",
    ),
    ReasonCode.INTERESTED_PARTY: (
        "{count} 项资源的捐赠方利害关系人不得受益",
        "{count} resource(s) exclude this recipient as the donor's interested party",
    ),
    ReasonCode.INSUFFICIENT_BALANCE: (
        "{count} 项资源余额不足",
        "{count} resource(s) have too little remaining",
    ),
    ReasonCode.RESOURCE_EXPIRED: (
        "{count} 项资源已过期或不在可用期间",
        "{count} resource(s) expired or are outside their usable period",
    ),
    ReasonCode.UNIT_MISMATCH: (
        "{count} 项资源计量单位不符",
        "{count} resource(s) use a different unit",
    ),
    ReasonCode.VENUE_BOOKED: (
        "{count} 处场地在该时段已被预约",
        "{count} venue(s) are already booked in the window",
    ),
    ReasonCode.DECLINED_PAIR: (
        "{count} 个候选因此前拒绝记录被排除",
        "{count} candidate(s) are excluded by an earlier decline",
    ),
    ReasonCode.AWAITING_REASSESSMENT: (
        "此前的拒绝要求先重新评估服务对象",
        "an earlier decline asks to reassess the recipient first",
    ),
    ReasonCode.CAPACITY_EXHAUSTED_BY_HIGHER_PRIORITY: (
        "{count} 个可行候选的容量已分配给优先级更高的需求",
        "{count} feasible candidate(s) are taken by higher-priority needs",
    ),
    ReasonCode.CAPACITY_EXHAUSTED: (
        "{count} 个可行候选的容量已分配给其他需求（整体最优）",
        "{count} feasible candidate(s) serve other needs in the optimal plan",
    ),
    ReasonCode.DOUBLE_BOOKING: (
        "{count} 个可行候选在重叠时段已有安排",
        "{count} feasible candidate(s) are booked in an overlapping window",
    ),
    ReasonCode.NO_LAWFUL_BASIS: (
        "未取得{purpose}的同意或其他合法性基础，不能向{role}提供个人信息",
        "no consent or other lawful basis for {purpose_en}: the recipient's data may not go to the {role}",
    ),
    ReasonCode.SAME_PERSON: (
        "{count} 个候选是服务对象本人的其他身份，不能服务本人",
        "{count} candidate(s) are the recipient themself in another role",
    ),
    ReasonCode.CAPACITY_TAKEN_BY_LOWER_PRIORITY: (
        "{count} 个可行候选的容量已分配给优先级较低但得分更高的需求",
        "{count} feasible candidate(s) went to lower-priority needs that scored higher",
    ),
    ReasonCode.TEAM_INCOMPLETE: (
        "全员到位：该需求的其他角色仍未落实，本角色暂不安排",
        "whole team or nothing: another role of this need stays open, so this one is held",
    ),
}
"""Message templates per code: (Chinese, English) (原因说明模板)."""
