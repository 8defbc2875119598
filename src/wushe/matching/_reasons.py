"""Stable reason codes for unmatched needs and the departments they are referred to (原因代码).

Every :class:`ReasonCode` has a Chinese label (``.zh``), a documented meaning in the
reason-code reference page and bilingual message templates used by
:func:`wushe.io.explain_plan`. Codes never change meaning; new ones may be added.
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
