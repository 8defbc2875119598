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
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from wushe.vocab import (
    ConsentGiver,
    ConsentPurpose,
    Lang,
    LawfulBasis,
    Qualification,
    ResourceKind,
    in_lang,
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


def _format_role(role: dict[str, Any], lang: Lang) -> str:
    kind = role.get("role")
    if kind == "lead_social_worker":
        level = role.get("min_qualification")
        if not level:
            return in_lang(lang, "主责社工", "lead_social_worker")
        return in_lang(
            lang,
            f"主责社工（{Qualification(level).zh}）",
            f"lead_social_worker({level})",
        )
    if kind == "volunteers":
        count, vetted = role.get("count", 1), role.get("vetted_only")
        return in_lang(
            lang,
            f"志愿者{count}名" + ("（已审查）" if vetted else ""),
            f"volunteers {count}" + (" (vetted)" if vetted else ""),
        )
    if kind == "social_organization":
        return in_lang(lang, "社会组织", "social_organization")
    resource = ResourceKind(role["resource_kind"])
    amount, unit = _amount(role["amount"]), role.get("unit", "")
    return in_lang(
        lang,
        f"{resource.zh}{amount}{unit}",
        f"{resource.value} {amount} {unit}".rstrip(),
    )


def format_roles(roles: list[dict[str, Any]], lang: Lang) -> str | None:
    """Write roles in the grammar :func:`parse_roles` reads (写出所需角色).

    ``None`` when a role cannot be written so that it reads back the same (a unit holding
    digits, brackets or separators): the caller writes JSON instead.

    Examples:
        >>> format_roles([{"role": "volunteers", "count": 2, "vetted_only": True}], "zh")
        '志愿者2名（已审查）'
    """
    text = in_lang(lang, "、", ", ").join(_format_role(r, lang) for r in roles)
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


def _format_consent(consent: dict[str, Any], lang: Lang) -> str:
    basis = LawfulBasis(consent.get("basis") or "consent")
    purpose = ConsentPurpose(consent["purpose"])
    keywords = _CONSENT_KEYWORDS[lang]
    words = [
        in_lang(lang, basis.zh, basis.value),
        str(consent["valid_from"]),
        keywords["purpose"],
        in_lang(lang, purpose.zh, purpose.value),
    ]
    for field in ("given_by", "withdrawn_on", "expires_on", "reference"):
        if consent.get(field):
            words += [keywords[field], _consent_text(consent, field, lang)]
    return " ".join(words)


def _consent_text(consent: dict[str, Any], field: str, lang: Lang) -> str:
    """A field's text; who gave it (a dumped ``GivenBy``) as ``监护人（祖母）``."""
    value = consent[field]
    if not isinstance(value, dict):
        return str(value)
    role = ConsentGiver(value["role"])
    label = in_lang(lang, role.zh, role.value)
    note = value.get("note")
    if not note:
        return label
    return in_lang(lang, f"{label}（{note}）", f"{label} ({note})")


def format_consents(consents: list[dict[str, Any]], lang: Lang) -> str | None:
    """Write consents in the grammar :func:`parse_consents` reads (写出知情同意).

    ``None`` when a consent cannot be written so that it reads back the same (a role or
    reference holding a separator or a keyword such as ``由``): the caller writes JSON.

    Examples:
        >>> format_consents([{"purpose": "share_with_volunteers", "valid_from": "2024-03-01",
        ...                   "basis": "guardian_consent", "given_by": "监护人（祖母）"}], "zh")
        '监护人同意 2024-03-01 用途 向志愿者提供 由 监护人（祖母）'
    """
    try:
        text = in_lang(lang, "；", "; ").join(
            _format_consent(c, lang) for c in consents
        )
        same = parse_consents(text) == [_normal_consent(c, lang) for c in consents]
    except (CellProblem, ValueError, KeyError):
        return None
    return text if same else None


def _normal_consent(consent: dict[str, Any], lang: Lang) -> dict[str, Any]:
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


# --- numbers, dates and yes/no as a clerk types them ------------------------------------

_WIDE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_EDGES = re.compile(r"^[\s\u200b-\u200d\u2060\ufeff]+|[\s\u200b-\u200d\u2060\ufeff]+$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$")
_DIGITS_AND_MARKS = re.compile(r"^[+-]?[\d,.]+$")
_CURRENCY = ("¥", "\uffe5", "RMB", "CNY")
_TYPED_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?\.?"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)
_COMPACT_DATE = re.compile(r"^(19\d{2}|2[01]\d{2}|2200)(\d{2})(\d{2})$")
_EXCEL_EPOCH = datetime(1899, 12, 30)
_LAST_SERIAL = 73050  # 2099-12-31: a larger number in a date column is no ledger date
_YES = frozenset({"是", "有", "对", "√", "✓", "✔", "☑", "y", "yes", "true", "t", "1"})
_NO = frozenset({"否", "无", "不是", "\u00d7", "✗", "✘", "n", "no", "false", "f", "0"})


def narrow(text: str) -> str:
    r"""Full-width letters, digits and signs as ASCII, an ideographic space as a space.

    Examples:
        >>> narrow("\uff12\uff10\uff12\uff14\uff0d3\u3000A")
        '2024-3 A'
    """
    return text.translate(_WIDE)


def trim(text: str) -> str:
    """``text`` without white space or invisible characters (zero-width space, BOM) at its ends."""
    return _EDGES.sub("", text)


def read_number(cell: Any, units: tuple[str, ...] = (), *, money: bool = False) -> Any:
    """A number cell as typed: full-width digits, ``1,234.5``, ``15人次``, ``¥2,000``, ``2万元``.

    ``units`` are the words that may follow the number in this column; ``money`` also
    allows a currency sign in front and ``万`` (ten thousand). Commas must group thousands
    (``1,234``): ``12,34`` or ``1.234,5`` would be read as another number, so they are a
    :class:`CellProblem`. Anything else stays text, for the model to report.

    Examples:
        >>> read_number("1,234人次", ("人次",)), read_number("2.5万元", ("元",), money=True)
        ('1234', '25000.0')
    """
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if not isinstance(cell, str):
        return cell
    text = trim(narrow(cell))
    if money:
        text = next(
            (trim(text[len(c) :]) for c in _CURRENCY if text.startswith(c)), text
        )
    unit = next(
        (u for u in sorted(units, key=len, reverse=True) if text.endswith(u)), ""
    )
    text = trim(text[: len(text) - len(unit)])
    scale = 1
    if money and text.endswith("万"):
        text, scale = trim(text[:-1]), 10_000
    if "," in text and _DIGITS_AND_MARKS.match(text):
        if not _GROUPED.match(text):
            msg = "commas in a number group its thousands, as in 1,234 or 10,000.5"
            raise CellProblem(msg, code="bad_number")
        text = text.replace(",", "")
    if scale != 1 and _PLAIN.match(text):
        return str(Decimal(text) * scale)
    return text


def read_boolean(cell: Any) -> Any:
    """A yes/no cell: ``是``/``否``, ``有``/``无``, ``√``/``✗``, ``Y``/``N``, ``1``/``0``.

    The multiplication sign reads as "no" too. Any other number or word stays as it is, so the model reports it (``2`` is not "yes").
    """
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int | float) and cell in (0, 1):
        return bool(cell)
    key = trim(narrow(str(cell))).casefold()
    if key in _YES:
        return True
    if key in _NO:
        return False
    return str(cell)


def _impossible(month: int, day: int) -> CellProblem:
    message = f"not a real date: month {month} has no day {day}"
    return CellProblem(message, code="impossible_date")


def _from_serial(text: str) -> datetime:
    """An Excel date serial (days since 1899-12-30, the fraction the time of day).

    Serials run from 1 (1900-01-01) to 73050 (2099-12-31); anything else in a date column
    is no date a ledger holds, so it is a :class:`CellProblem`, never pydantic's reading
    of a number as seconds since 1970.
    """
    number = float(text)
    if not 0 < number <= _LAST_SERIAL:
        msg = (
            "a number in a date column is read as Excel's count of days since "
            "1899-12-30, and this one is no date; type the date as 2024-03-05"
        )
        raise CellProblem(msg, code="not_a_date")
    moment = _EXCEL_EPOCH + timedelta(days=number)
    return moment.replace(microsecond=0) if moment.microsecond < 500_000 else moment


def _moment(cell: Any) -> datetime | date | str:
    """A typed date, a serial, or the text for the model to report.

    Typed: ``2024.3.5``, ``2024年3月5日`` (or ``号``), ``20240305``, ``2024/3/5 09:30``.
    """
    if isinstance(cell, datetime | date):
        return cell
    text = trim(narrow(cell if isinstance(cell, str) else str(cell)))
    compact = _COMPACT_DATE.match(text)
    found = compact or _TYPED_DATE.match(text)
    if found is None:
        serial = not isinstance(cell, bool) and _PLAIN.match(text)
        return _from_serial(text) if serial else text
    parts = [int(g) if g else 0 for g in found.groups()]
    parts += [0] * (6 - len(parts))
    try:
        day = date(*parts[:3])
    except ValueError:
        raise _impossible(parts[1], parts[2]) from None
    if compact is not None or found.group(4) is None:
        return day
    try:
        return datetime(*parts)  # type: ignore[arg-type]
    except ValueError:
        return text  # 25:00 and the like: the model says what it expected


def read_date(cell: Any) -> Any:
    """A date cell: typed text as in :func:`_moment`, an Excel date, or a serial.

    A number is the serial day count Excel keeps under a date (``45356`` is 2024-03-05),
    whether the cell is a number or text (a CSV file saved from an unformatted date
    column); an eight-digit ``20240305`` is a date typed without separators. A time of
    day after the date is left out: the column holds the day.

    Examples:
        >>> [str(read_date(c)) for c in ("2024.3.5", "2024年3月5号", 45356, "20240305")]
        ['2024-03-05', '2024-03-05', '2024-03-05', '2024-03-05']
    """
    moment = _moment(cell)
    return moment.date() if isinstance(moment, datetime) else moment


def read_datetime(cell: Any) -> Any:
    """A date-and-time cell: as :func:`read_date`, keeping the time of day."""
    return _moment(cell)
