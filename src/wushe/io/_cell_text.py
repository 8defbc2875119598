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

Consents and other lawful bases (知情同意与合法性基础), items separated by ``；`` ``;`` or a
line break, words by spaces::

    依据 起始日期 用途 处理目的 [由 同意人身份] [撤回 日期] [至 失效日期] [编号 依据文件]
    监护人同意 2024-03-01 用途 向志愿者提供 由 监护人（祖母）
    consent 2024-03-01 for share_with_volunteers withdrawn 2024-06-01

The basis is a :class:`~wushe.vocab.LawfulBasis` label: 个人同意 (or ``同意`` alone),
监护人同意, 法定职责, 紧急情况, or consent, guardian_consent, statutory_duty,
vital_interests; the purpose is a :class:`~wushe.vocab.ConsentPurpose` label in either
language. The other keywords are 用途 / for, 由 / by, 撤回 / withdrawn, 至 / until and
编号 / ref; dates as in every other date cell. A cell starting with ``[`` or ``{`` is still
read as JSON. Exports write the same forms (Chinese words for ``lang="zh"``, English ones
for ``"en"``), so an exported ledger reads back unchanged.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from wushe.vocab import (
    ConsentGiver,
    ConsentPurpose,
    LawfulBasis,
    Qualification,
    ResourceKind,
)

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
_CONSENT_WORDS = {
    "用途": "purpose",
    "for": "purpose",
    "由": "given_by",
    "by": "given_by",
    "撤回": "withdrawn_on",
    "withdrawn": "withdrawn_on",
    "至": "expires_on",
    "until": "expires_on",
    "编号": "reference",
    "ref": "reference",
}
_CONSENT_KEYWORDS = {
    "zh": {"purpose": "用途", "given_by": "由", "withdrawn_on": "撤回"},
    "en": {"purpose": "for", "given_by": "by", "withdrawn_on": "withdrawn"},
}
_CONSENT_KEYWORDS["zh"] |= {"expires_on": "至", "reference": "编号"}
_CONSENT_KEYWORDS["en"] |= {"expires_on": "until", "reference": "ref"}
_CONSENT_DATES = ("withdrawn_on", "expires_on")


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
        msg = f"consent item {number}: expected a date such as 2024-03-01"
        raise CellProblem(msg, code="bad_consents")
    year, month, day = (int(g) for g in found.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        msg = f"consent item {number}: not a real date: month {month} has no day {day}"
        raise CellProblem(msg, code="bad_consents") from None


def _consent_parts(words: list[str], number: int) -> dict[str, str]:
    """Group the words after the date under their keywords; leading words are the purpose."""
    parts: dict[str, list[str]] = {}
    field = "purpose"
    for word in words:
        keyword = _CONSENT_WORDS.get(word.casefold())
        if keyword is not None:
            if keyword in parts:
                msg = f"consent item {number}: keyword {word} appears twice"
                raise CellProblem(msg, code="bad_consents")
            field = keyword
            parts[field] = []
        else:
            parts.setdefault(field, []).append(word)
    return {k: " ".join(v) for k, v in parts.items()}


def _consent(item: str, number: int) -> dict[str, Any]:
    words = item.split()
    basis = _enum(LawfulBasis, words[0])
    if basis is None or len(words) < 2:
        msg = (
            f"consent item {number} cannot be read: expected 依据 日期 用途 处理目的, "
            "e.g. 同意 2024-03-01 用途 探访关爱; the basis is one of "
            + " / ".join(b.zh for b in LawfulBasis)
        )
        raise CellProblem(msg, code="bad_consents")
    consent: dict[str, Any] = {
        "basis": basis.value,
        "valid_from": _parse_date(words[1], number),
    }
    parts = _consent_parts(words[2:], number)
    purpose = _enum(ConsentPurpose, parts.pop("purpose", ""))
    if purpose is None:
        msg = (
            f"consent item {number}: expected 用途 followed by a purpose, one of "
            + " / ".join(p.zh for p in ConsentPurpose)
        )
        raise CellProblem(msg, code="bad_consents")
    consent["purpose"] = purpose.value
    for field, value in parts.items():
        if not value:
            msg = f"consent item {number}: a keyword has nothing after it"
            raise CellProblem(msg, code="bad_consents")
        consent[field] = (
            _parse_date(value, number) if field in _CONSENT_DATES else value
        )
    return consent


def parse_consents(text: str) -> list[dict[str, Any]]:
    """Read a consents cell written in the grammar above (解析知情同意).

    Raises:
        CellProblem: naming the item that cannot be read (never its text).

    Examples:
        >>> parse_consents("监护人同意 2024/3/1 用途 社工服务 由 监护人")[0]["purpose"]
        'casework'
        >>> parse_consents("consent 2024-03-01 for care_visit withdrawn 2024-06-01")
        [{'basis': 'consent', 'valid_from': '2024-03-01', 'purpose': 'care_visit', 'withdrawn_on': '2024-06-01'}]
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
    zh = lang == "zh"
    basis = LawfulBasis(consent.get("basis") or "consent")
    purpose = ConsentPurpose(consent["purpose"])
    keywords = _CONSENT_KEYWORDS["zh" if zh else "en"]
    words = [
        basis.zh if zh else basis.value,
        str(consent["valid_from"]),
        keywords["purpose"],
        purpose.zh if zh else purpose.value,
    ]
    for field in ("given_by", "withdrawn_on", "expires_on", "reference"):
        if consent.get(field):
            words += [keywords[field], _consent_text(consent, field, lang)]
    return " ".join(words)


def _consent_text(consent: dict[str, Any], field: str, lang: str) -> str:
    """A field's text; who gave it (a dumped ``GivenBy``) as ``监护人（祖母）``."""
    value = consent[field]
    if not isinstance(value, dict):
        return str(value)
    role = ConsentGiver(value["role"])
    label = role.zh if lang == "zh" else role.value
    note = value.get("note")
    if not note:
        return label
    return f"{label}（{note}）" if lang == "zh" else f"{label} ({note})"


def format_consents(consents: list[dict[str, Any]], lang: str) -> str | None:
    """Write consents in the grammar :func:`parse_consents` reads (写出知情同意).

    ``None`` when a consent cannot be written so that it reads back the same (a role or
    reference holding a separator or a keyword such as ``由``): the caller writes JSON.

    Examples:
        >>> format_consents([{"purpose": "share_with_volunteers", "valid_from": "2024-03-01",
        ...                   "basis": "guardian_consent", "given_by": "监护人（祖母）"}], "zh")
        '监护人同意 2024-03-01 用途 向志愿者提供 由 监护人（祖母）'
    """
    try:
        text = ("；" if lang == "zh" else "; ").join(
            _format_consent(c, lang) for c in consents
        )
        same = parse_consents(text) == [_normal_consent(c, lang) for c in consents]
    except (CellProblem, ValueError, KeyError):
        return None
    return text if same else None


def _normal_consent(consent: dict[str, Any], lang: str) -> dict[str, Any]:
    """A consent as :func:`parse_consents` gives it, to compare a written one with its source."""
    normal = {
        "basis": LawfulBasis(consent.get("basis") or "consent").value,
        "valid_from": str(consent["valid_from"]),
        "purpose": ConsentPurpose(consent["purpose"]).value,
    }
    for field in ("given_by", "withdrawn_on", "expires_on", "reference"):
        if consent.get(field):
            normal[field] = _consent_text(consent, field, lang)
    return normal
