"""A match plan as plain data and as an explanation a person reads (匹配方案输出).

:func:`plan_to_dict` gives the plan as JSON-ready data (ids, codes and points only);
:func:`explain_plan` says in Chinese or English why each role of one need was or was not
filled, with reasons by their labels, never their codes. Neither names a person.
"""

from __future__ import annotations

from typing import Any

from wushe.matching import MatchPlan, ReasonCode, ScoreBreakdown, TakenBy, Unmatched

# The criteria registry is matching's own; its labels are the one source of criterion names.
from wushe.matching._criteria import LABELS
from wushe.vocab import Lang, ServiceCategory, in_lang

__all__ = ["explain_plan", "plan_to_dict"]


def plan_to_dict(plan: MatchPlan) -> dict[str, Any]:
    """Return the plan as JSON-ready plain data: ids, codes and points only (方案数据).

    Reasons, roles and departments appear as their stable English codes, amounts as
    decimal strings; ``json.dumps`` takes the result as it is.

    Examples:
        >>> from wushe.matching import match
        >>> plan_to_dict(match([], []))["assignments"]
        []
    """
    return {
        "strategy": plan.strategy,
        "as_of": plan.as_of.isoformat(),
        "objective": plan.objective,
        "assignments": [
            {
                "need_id": a.need_id,
                "role": a.role.value,
                "actor_kind": a.actor_kind.value,
                "actor_id": a.actor_id,
                "amount": None if a.amount is None else str(a.amount),
                "score": _score(a.score),
            }
            for a in plan.assignments
        ],
        "unmatched": [_unmatched(u) for u in plan.unmatched],
    }


def _score(s: ScoreBreakdown) -> dict[str, Any]:
    return {**dict(s.items()), "tier": s.tier, "reach": s.reach.value, "total": s.total}


def _code(value: Any) -> str | None:
    return None if value is None else str(value.value)


def _unmatched(u: Unmatched) -> dict[str, Any]:
    return {
        "need_id": u.need_id,
        "role": u.role.value,
        "missing": u.missing,
        "reasons": [r.value for r in u.reasons],
        "counts": {r.value: n for r, n in u.counts},
        "referral": _code(u.referral),
        "referral_withheld": _code(u.referral_withheld),
        "purpose": _code(u.purpose),
        "taken": [
            {
                "actor_id": t.actor_id,
                "need_ids": list(t.need_ids),
                "reason": t.reason.value,
            }
            for t in u.taken
        ],
    }


def explain_plan(plan: MatchPlan, need_id: str, *, lang: Lang = "zh") -> str:
    """Explain why each role of one need was or was not filled (匹配解释).

    Lists, per role, the actor with its per-criterion points, or every reason the role
    stays open — by its label in ``lang`` (``无合法性基础``, ``no lawful basis``) followed by
    what it counted — the candidates other needs hold, and the department to refer the need
    to. Ids only, never names; codes stay in :func:`plan_to_dict`.

    Raises:
        MatchingError: ``need_id`` was not part of the match.
    """
    category = plan.category(need_id)
    community = plan.linkage(need_id).community_id
    done, open_ = plan.for_need(need_id)
    lines = [
        in_lang(
            lang,
            f"需求 {need_id}（{category.zh}，社区 {community}）",
            f"Need {need_id} ({category.en}, community {community})",
        )
    ]
    sep = in_lang(lang, "，", ", ")
    for a in done:
        s = a.score
        amount = "" if a.amount is None else f" ({a.amount})"
        crit = sep.join(f"{_criterion(k, lang)} {v}" for k, v in s.items() if v)
        reach = s.reach.label(lang)
        lines.append(
            in_lang(
                lang,
                f"- {a.role.zh}：{a.actor_id}{amount}（{reach}；总分 {s.total}：{crit}）",
                f"- {a.role.en}: {a.actor_id}{amount} ({reach}; score {s.total}: {crit})",
            )
        )
    for u in open_:
        lines += _open_lines(u, category, lang)
    return "\n".join(lines)


def _open_lines(u: Unmatched, category: ServiceCategory, lang: Lang) -> list[str]:
    """The lines of one open role: its reasons, who holds its candidates, the referral."""
    counts = dict(u.counts)
    lines = [
        in_lang(
            lang,
            f"- {u.role.zh}：未匹配（缺 {u.missing}）",
            f"- {u.role.en}: unmatched ({u.missing} open)",
        )
    ]
    colon = in_lang(lang, "：", ": ")
    for code in u.reasons:
        text = _reason_text(code, lang).format(
            count=counts.get(code, 0),
            role=u.role.label(lang),
            category=category.label(lang),
            purpose=u.purpose.zh if u.purpose else "",
            purpose_en=u.purpose.en if u.purpose else "",
        )
        lines.append(f"  · {code.label(lang)}{colon}{text}")
    lines += [_taken_line(t, lang) for t in u.taken]
    if u.referral is not None:
        lines.append(
            in_lang(
                lang,
                f"  → 建议转介{u.referral.zh}部门（横向协同）",
                f"  → refer to the {u.referral.en} department",
            )
        )
    if u.referral_withheld is not None:
        dept = u.referral_withheld
        lines.append(
            in_lang(
                lang,
                f"  → 转介{dept.zh}部门须先取得转介同意或法定职责依据",
                f"  → referral to the {dept.en} department needs consent or a "
                "statutory basis first",
            )
        )
    return lines


def _taken_line(t: TakenBy, lang: Lang) -> str:
    holders = in_lang(lang, "、", ", ").join(t.need_ids)
    return in_lang(
        lang,
        f"    {t.actor_id} 已由需求 {holders} 占用（{t.reason.zh}）",
        f"    {t.actor_id} is held by need(s) {holders} ({t.reason.en})",
    )


def _criterion(key: str, lang: Lang) -> str:
    return in_lang(lang, *LABELS[key])


def _reason_text(code: ReasonCode, lang: Lang = "zh") -> str:
    """The message template of a reason code in ``lang`` (原因说明模板).

    Placeholders: ``{count}``, ``{role}``, ``{category}``, ``{purpose}``, ``{purpose_en}``.
    """
    return in_lang(lang, *_TEMPLATES[code])


_TEMPLATES: dict[ReasonCode, tuple[str, str]] = {
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
