"""Roles and consents typed as plain text in a ledger cell (单元格文字写法).

A need's roles and a person's consents are lists of small records. A clerk types them as
text, not JSON, in this grammar (Chinese or English words, mixed freely):

Roles (所需角色), items separated by ``、`` ``，`` ``,`` ``；`` ``;`` or a line break::

    主责社工 | 社工 | lead_social_worker   [1 名]  [（资质）]   主责社工（中级）
    志愿者 | volunteers                   [n 名]  [（已审查）] 志愿者2名（已审查）
    社会组织 | 承接组织 | social_organization                   社会组织
    资源类型 数量 [单位]                                        资金500元, goods 20 box

``名``, ``人`` and ``位`` after a count are optional; the qualification is one of
助理 / 中级 / 高级 (or the full 社会工作师 titles, or assistant / intermediate / senior);
``已审查`` / ``审查`` / ``vetted`` asks for vetted volunteers only. A resource kind is 资金,
物资, 服务时长, 场地 (or funds, goods, service_hours, venue).

Consents (知情同意), items separated by ``；`` ``;`` or a line break, words by spaces::

    类型 日期 用途 [撤回 日期] [由 同意人身份]
    单独同意 2024-03-01 社工服务与志愿者匹配 由 监护人
    guardian 2024-03-01 casework by guardian withdrawn 2024-06-01

The kind is 一般同意 / 单独同意 / 书面同意 / 监护人同意 (or general, separate, written,
guardian; ``同意`` alone is 一般同意); dates as in every other date cell. A cell starting
with ``[`` or ``{`` is still read as JSON. Exports write the same forms (Chinese words for
``lang="zh"``, English ones for ``"en"``), so an exported ledger reads back unchanged.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from wushe.vocab import ConsentKind, Qualification, ResourceKind

__all__: list[str] = []  # used by the ledger reader only

_ROLE_ITEMS = re.compile(r"[、，,；;\n]")
_CONSENT_ITEMS = re.compile(r"[；;\n]")
_ROLE = re.compile(
    r"^(?P<what>[^\d(（]+)\s*(?P<count>\d+(?:\.\d+)?)?\s*(?P<unit>[^(（]*?)\s*"
    r"(?:[(（]\s*(?P<note>[^)）]*?)\s*[)）])?$"
)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_LEAD = {"主责社工", "社工", "lead_social_worker", "lead", "社会工作者"}
_VOLUNTEERS = {"志愿者", "volunteers", "volunteer"}
_ORGANIZATION = {"社会组织", "承接组织", "social_organization", "organization"}
_PEOPLE_UNITS = {"", "名", "人", "位"}
_VETTED = {"已审查", "审查", "仅限已审查", "vetted", "vetted only"}
_SHORT_QUALIFICATIONS = {"助理": "assistant", "中级": "intermediate", "高级": "senior"}
_WITHDRAWN = {"撤回", "withdrawn"}
_BY = {"由", "by"}


class CellProblem(Exception):
    """A cell whose text breaks a rule; ``code`` keys the message table (单元格问题)."""

    def __init__(self, message: str, *, code: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


def _enum(kind: Any, word: str) -> Any:
    try:
        return kind(word)
    except ValueError:
        return None


def _role(item: str, number: int) -> dict[str, Any]:
    found = _ROLE.match(item)
    if found is None:
        raise _bad_role(number)
    what = found["what"].strip()
    count, unit, note = found["count"], found["unit"].strip(), (found["note"] or "")
    resource = _enum(ResourceKind, what)
    if resource is not None:
        if count is None:
            why = "a resource needs an amount, e.g. 资金500元"
            raise _bad_role(number, why)
        return {
            "role": "resource",
            "resource_kind": resource.value,
            "amount": count,
            "unit": unit,
        }
    if unit not in _PEOPLE_UNITS:
        raise _bad_role(number)
    if what in _LEAD:
        if count not in (None, "1"):
            why = "a need has one lead social worker"
            raise _bad_role(number, why)
        role: dict[str, Any] = {"role": "lead_social_worker"}
        if note:
            level = _enum(Qualification, _SHORT_QUALIFICATIONS.get(note, note))
            if level is None:
                why = "the qualification is 助理, 中级 or 高级"
                raise _bad_role(number, why)
            role["min_qualification"] = level.value
        return role
    if what in _VOLUNTEERS:
        if note and note not in _VETTED:
            why = "the note after volunteers is 已审查 (vetted)"
            raise _bad_role(number, why)
        return {"role": "volunteers", "count": count or "1", "vetted_only": bool(note)}
    if what in _ORGANIZATION and count is None and not note:
        return {"role": "social_organization"}
    raise _bad_role(number)


def _bad_role(number: int, why: str = "") -> CellProblem:
    reason = (
        why
        or "expected e.g. 主责社工（中级）、志愿者2名（已审查）、社会组织、资金500元"
    )
    return CellProblem(
        f"roles item {number} cannot be read: {reason}", code="bad_roles"
    )


def parse_roles(text: str) -> list[dict[str, Any]]:
    """Read a roles cell written in the grammar above (解析所需角色).

    Raises:
        CellProblem: naming the item that cannot be read (never its text).

    Examples:
        >>> parse_roles("主责社工（中级）、志愿者2名")[1]
        {'role': 'volunteers', 'count': '2', 'vetted_only': False}
    """
    items = [i.strip() for i in _ROLE_ITEMS.split(text) if i.strip()]
    return [_role(item, n) for n, item in enumerate(items, 1)]


def _parse_date(word: str, number: int) -> str:
    found = _DATE.match(word)
    if found is None:
        msg = (
            f"consent item {number}: expected a date such as 2024-03-01 after the kind"
        )
        raise CellProblem(msg, code="bad_consents")
    year, month, day = (int(g) for g in found.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        msg = f"consent item {number}: not a real date: month {month} has no day {day}"
        raise CellProblem(msg, code="bad_consents") from None


def _consent(item: str, number: int) -> dict[str, Any]:
    words = item.split()
    kind = _enum(ConsentKind, "general" if words[0] == "同意" else words[0])
    if kind is None or len(words) < 3:  # kind, date and purpose
        msg = (
            f"consent item {number} cannot be read: expected 类型 日期 用途, e.g. "
            "单独同意 2024-03-01 社工服务"
        )
        raise CellProblem(msg, code="bad_consents")
    consent: dict[str, Any] = {
        "kind": kind.value,
        "given_on": _parse_date(words[1], number),
    }
    purpose: list[str] = []
    rest = iter(words[2:])
    for word in rest:
        if word in _WITHDRAWN:
            consent["withdrawn_on"] = _parse_date(next(rest, ""), number)
        elif word in _BY:
            consent["given_by"] = next(rest, "")
        else:
            purpose.append(word)
    consent["purpose"] = " ".join(purpose)
    return consent


def parse_consents(text: str) -> list[dict[str, Any]]:
    """Read a consents cell written in the grammar above (解析知情同意).

    Raises:
        CellProblem: naming the item that cannot be read (never its text).

    Examples:
        >>> parse_consents("监护人同意 2024/3/1 个案服务 由 监护人")
        [{'kind': 'guardian', 'given_on': '2024-03-01', 'given_by': '监护人', 'purpose': '个案服务'}]
    """
    items = [i.strip() for i in _CONSENT_ITEMS.split(text) if i.strip()]
    return [_consent(item, n) for n, item in enumerate(items, 1)]


def _amount(value: Any) -> str:
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except InvalidOperation:  # pragma: no cover - a validated amount is a number
        return str(value)


def _format_role(role: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    kind = role.get("role")
    if kind == "lead_social_worker":
        level = role.get("min_qualification")
        label = Qualification(level).zh if level and zh else level
        return ("主责社工" if zh else "lead_social_worker") + (
            (f"（{label}）" if zh else f"({label})") if level else ""
        )
    if kind == "volunteers":
        vetted = role.get("vetted_only")
        if zh:
            return f"志愿者{role.get('count', 1)}名" + ("（已审查）" if vetted else "")
        return f"volunteers {role.get('count', 1)}" + (" (vetted)" if vetted else "")
    if kind == "social_organization":
        return "社会组织" if zh else "social_organization"
    resource = ResourceKind(role["resource_kind"])
    amount, unit = _amount(role["amount"]), role.get("unit", "")
    if zh:
        return f"{resource.zh}{amount}{unit}"
    return f"{resource.value} {amount} {unit}".rstrip()


def format_roles(roles: list[dict[str, Any]], lang: str) -> str | None:
    """Write roles in the grammar :func:`parse_roles` reads (写出所需角色).

    ``None`` when a role cannot be written so that it reads back the same (a unit holding
    digits, brackets or separators): the caller writes JSON instead.

    Examples:
        >>> format_roles([{"role": "volunteers", "count": 2, "vetted_only": True}], "zh")
        '志愿者2名（已审查）'
    """
    text = ("、" if lang == "zh" else ", ").join(_format_role(r, lang) for r in roles)
    try:
        same = parse_roles(text) == [_normal_role(r) for r in roles]
    except CellProblem:
        same = False
    return text if same else None


def _normal_role(role: dict[str, Any]) -> dict[str, Any]:
    """A role as :func:`parse_roles` gives it, to compare a written role with its source."""
    kind = role.get("role")
    if kind == "volunteers":
        count = str(role.get("count", 1))
        return {
            "role": kind,
            "count": count,
            "vetted_only": bool(role.get("vetted_only")),
        }
    if kind == "resource":
        return {
            "role": kind,
            "resource_kind": role["resource_kind"],
            "amount": _amount(role["amount"]),
            "unit": role.get("unit", ""),
        }
    return {k: v for k, v in role.items() if v is not None}


def _format_consent(consent: dict[str, Any], lang: str) -> str:
    kind = ConsentKind(consent["kind"])
    words = [
        kind.zh if lang == "zh" else kind.value,
        consent["given_on"],
        consent["purpose"],
    ]
    if consent.get("given_by"):
        words += ["由" if lang == "zh" else "by", consent["given_by"]]
    if consent.get("withdrawn_on"):
        words += ["撤回" if lang == "zh" else "withdrawn", consent["withdrawn_on"]]
    return " ".join(str(w) for w in words)


def format_consents(consents: list[dict[str, Any]], lang: str) -> str | None:
    """Write consents in the grammar :func:`parse_consents` reads (写出知情同意).

    ``None`` when a consent cannot be written so that it reads back the same (a purpose
    holding a separator or a keyword such as ``由``): the caller writes JSON instead.

    Examples:
        >>> format_consents([{"kind": "separate", "given_on": "2024-03-01",
        ...                   "purpose": "匹配"}], "zh")
        '单独同意 2024-03-01 匹配'
    """
    text = ("；" if lang == "zh" else "; ").join(
        _format_consent(c, lang) for c in consents
    )
    try:
        same = parse_consents(text) == [_normal_consent(c) for c in consents]
    except CellProblem:
        same = False
    return text if same else None


def _normal_consent(consent: dict[str, Any]) -> dict[str, Any]:
    normal = {"kind": consent["kind"], "given_on": consent["given_on"]}
    if consent.get("withdrawn_on"):
        normal["withdrawn_on"] = consent["withdrawn_on"]
    if consent.get("given_by"):
        normal["given_by"] = consent["given_by"]
    normal["purpose"] = consent["purpose"]
    return normal
