"""Chinese identifier codes that validate and explain themselves (编码校验).

Annotated string types for use as pydantic fields, plus plain functions that explain a
code:

* :data:`DivisionCode` — an administrative division code: 6 digits (GB/T 2260, province,
  prefecture or county level), 9 digits (township/street, the first nine digits of the NBS
  statistical code) or 12 digits (village/community statistical code). A 12-digit code
  padded with zeros is accepted and shortened to its canonical form, so
  ``"510106000000"`` becomes ``"510106"``. :func:`division_parent` and
  :func:`division_level` derive the hierarchy. The check is *structural*: a known
  province prefix and a prefecture part in the GB/T 2260 ranges (01–70, or 90 for
  county-level units under the province), so ``519999`` is rejected; whether a
  structurally valid code such as ``510199`` exists is not checked, because wushe ships
  no official code table (codes change every year; DOMAIN.md §12.2).
* :data:`ResidentIdNumber` — the 18-character citizen identity number (公民身份号码,
  GB 11643-1999): a real birth date that is not in the future and an ISO 7064 MOD 11-2 check
  character. :func:`birth_date_from_id` and :func:`age_on` derive age.
* :data:`CreditCode` — the unified social credit code (统一社会信用代码, GB 32100-2015).
* :data:`MobilePhone` — a mainland mobile number, normalised to 11 digits.

Error messages describe what is wrong without repeating the value, so they are safe to
log even for sensitive identifiers.

    >>> division_parent("510106001002")
    '510106001'
    >>> division_level("510106")
    <DivisionLevel.COUNTY: 'county'>
    >>> id_check_character("11010519491231002")
    'X'
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from datetime import date, timedelta
from operator import mul
from typing import Annotated, TypeAlias

import numpy as np
from numpy.typing import NDArray
from pydantic import AfterValidator

from wushe.vocab import BilingualEnum, Gender

__all__ = [
    "PROVINCE_CODES",
    "RESIDENCE_PERMIT_PREFIXES",
    "CreditCode",
    "DivisionCode",
    "DivisionLevel",
    "MobilePhone",
    "ResidentIdNumber",
    "age_on",
    "birth_date_from_id",
    "check_credit_code",
    "check_division_code",
    "check_mobile_phone",
    "check_resident_id",
    "credit_code_check_character",
    "division_ancestors",
    "division_contains",
    "division_level",
    "division_parent",
    "gender_from_id",
    "id_check_character",
]

PROVINCE_CODES = frozenset(
    {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
        "65", "71", "81", "82",
    }
)  # fmt: skip
"""The two-digit province-level prefixes of GB/T 2260 (省级代码)."""

RESIDENCE_PERMIT_PREFIXES = frozenset({"81", "82", "83"})
"""Leading digits of residence-permit numbers for residents of Hong Kong, Macao and Taiwan (港澳台居民居住证号码前缀).

The permit carries an 18-character 公民身份号码 with the same check character, whose
address code is 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan), per the 2018 measures
on residence permits for residents of Hong Kong, Macao and Taiwan (《港澳台居民居住证申领发放办法》,
国办发〔2018〕81号). 83 is a prefix of these numbers only, not a division code (Taiwan's
GB/T 2260 code is 710000).
"""

# Third and fourth digits of a GB/T 2260 code: 00 at province level, 01–20 and 51–70 for
# prefecture-level cities, 21–50 for prefectures, leagues and autonomous prefectures, 90 for
# county-level units directly under the province (DOMAIN.md §12.2).
_PREFECTURE_PARTS = frozenset(f"{n:02d}" for n in (*range(71), 90))


class DivisionLevel(BilingualEnum):
    """The level of an administrative division (行政区划层级)."""

    PROVINCE = "province", "省级"
    PREFECTURE = "prefecture", "地级"
    COUNTY = "county", "县级"
    TOWNSHIP = "township", "乡级"
    VILLAGE = "village", "村级"


_DIGITS = re.compile(r"^\d+$")


def check_division_code(code: str) -> str:
    """Validate a division code and return its canonical form (校验行政区划代码).

    Raises:
        ValueError: if the code is not 6, 9 or 12 digits, names an unknown province, or has
            a non-zero lower part under a zero upper part.
    """
    code = code.strip()
    if not _DIGITS.match(code) or len(code) not in (6, 9, 12):
        msg = "a division code has 6 (GB/T 2260), 9 or 12 (statistical) digits"
        raise ValueError(msg)
    if len(code) == 12 and code.endswith("000"):
        code = code[:9]
    if len(code) == 9 and code.endswith("000"):
        code = code[:6]
    if code[:2] not in PROVINCE_CODES:
        msg = f"unknown province prefix {code[:2]} in division code"
        raise ValueError(msg)
    if code[2:4] not in _PREFECTURE_PARTS:
        msg = (
            f"prefecture part {code[2:4]} of a division code is outside the GB/T 2260 "
            "ranges 01-70 and 90"
        )
        raise ValueError(msg)
    if code[2:4] == "00" and code[4:6] != "00":
        msg = "a county-level part under a zero prefecture part is not a valid division code"
        raise ValueError(msg)
    if len(code) > 6 and code[4:6] == "00":
        msg = "township and village codes must sit under a county-level code"
        raise ValueError(msg)
    return code


DivisionCode: TypeAlias = Annotated[str, AfterValidator(check_division_code)]
"""An administrative division code in canonical form (行政区划代码)."""


def division_level(code: str) -> DivisionLevel:
    """Return the level of a canonical division code (区划层级)."""
    if len(code) == 12:
        return DivisionLevel.VILLAGE
    if len(code) == 9:
        return DivisionLevel.TOWNSHIP
    if code[2:] == "0000":
        return DivisionLevel.PROVINCE
    if code[4:] == "00":
        return DivisionLevel.PREFECTURE
    return DivisionLevel.COUNTY


def division_parent(code: str) -> str | None:
    """Return the parent of a canonical division code, or ``None`` for a province (上级区划).

    A county's parent is its prefecture (``510106`` → ``510100``); a county directly under a
    municipality (``500103``) has the municipality's ``500100`` as parent.
    """
    level = division_level(code)
    if level is DivisionLevel.VILLAGE:
        return code[:9]
    if level is DivisionLevel.TOWNSHIP:
        return code[:6]
    if level is DivisionLevel.COUNTY:
        return code[:4] + "00"
    if level is DivisionLevel.PREFECTURE:
        return code[:2] + "0000"
    return None


def division_ancestors(code: str) -> tuple[str, ...]:
    """Return the chain of parents of ``code``, nearest first (上级区划链)."""
    chain: list[str] = []
    parent = division_parent(code)
    while parent is not None:
        chain.append(parent)
        parent = division_parent(parent)
    return tuple(chain)


def division_contains(ancestor: str, code: str) -> bool:
    """Whether ``code`` is ``ancestor`` or lies inside it (区划包含)."""
    return code == ancestor or ancestor in division_ancestors(code)


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_OFFSET = 48 * sum(_ID_WEIGHTS)
_RESIDENT_ID = re.compile("[0-9]{17}[0-9X]")


def id_check_character(first17: str) -> str:
    """Compute the ISO 7064 MOD 11-2 check character of a resident ID (身份证校验码)."""
    if len(first17) != 17 or not _DIGITS.match(first17):
        msg = "the first 17 characters of a resident ID must be digits"
        raise ValueError(msg)
    return _check_character(first17)


def _check_character(first17: str) -> str:
    # On the ASCII bytes: each digit is its byte minus 48, so subtract 48 x the weight sum
    # once instead of converting every character. The caller has checked the 17 digits.
    total = sum(map(mul, first17.encode("ascii"), _ID_WEIGHTS)) - _ID_OFFSET
    return _ID_CHECK[total % 11]


def check_resident_id(value: str, *, today: date | None = None) -> str:
    """Validate an 18-character resident ID and return it upper-cased (校验公民身份号码).

    Checks length and characters, the province prefix (or 81/82/83 of a Hong Kong, Macao
    or Taiwan residence permit, :data:`RESIDENCE_PERMIT_PREFIXES`), a real birth date not in
    the future, and the check character. The address code is not checked against the current
    division list: it is the code at registration and may since have been retired.

    Raises:
        ValueError: naming the rule broken, never the number itself.
    """
    value = value.strip().upper()
    if not _RESIDENT_ID.fullmatch(value):
        msg = "a resident ID has 17 digits followed by a digit or X"
        raise ValueError(msg)
    if value[:2] not in PROVINCE_CODES and value[:2] not in RESIDENCE_PERMIT_PREFIXES:
        msg = "resident ID has an unknown province prefix"
        raise ValueError(msg)
    born = _birth_date(value)
    if born is None:
        msg = "resident ID does not contain a real birth date"
        raise ValueError(msg)
    # A date on or before a day already past is never in the future: ask the clock only
    # for the few born since this module was loaded (less two days for any time zone).
    if (today is not None or born > _PAST_DAY) and born > (today or date.today()):
        msg = "resident ID has a birth date in the future"
        raise ValueError(msg)
    if _check_character(value[:17]) != value[17]:
        msg = "resident ID check character does not match (ISO 7064 MOD 11-2)"
        raise ValueError(msg)
    return value


_ID_WEIGHT_COLUMN = np.array(_ID_WEIGHTS, dtype=np.int64)
_ID_CHECK_CODES = np.array([ord(c) for c in _ID_CHECK], dtype=np.int64)
_ID_PREFIX_KNOWN = np.zeros(100, dtype=bool)
_ID_PREFIX_KNOWN[[int(p) for p in PROVINCE_CODES | RESIDENCE_PERMIT_PREFIXES]] = True
_MONTH_DAYS = np.array(
    [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64
)
_YMD_PLACES = 10 ** np.arange(7, -1, -1, dtype=np.int64)


def resident_id_columns(
    values: Sequence[str], today: date
) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.bool_]]:
    """Check many resident IDs at once, as whole columns (逐列校验公民身份号码).

    Returns three columns: whether :func:`check_resident_id` accepts the value and returns
    it unchanged, the birth date as the integer ``yyyymmdd`` and whether the 17th digit is
    odd (male). ``False`` in the first column only means "not decided here": ask
    :func:`check_resident_id`, which either normalises the value (spaces, a lower-case
    ``x``) or names the rule it breaks. The other columns are meaningful where it is ``True``.
    """
    n = len(values)
    ok, ymd, odd = (
        np.zeros(n, dtype=bool),
        np.zeros(n, dtype=np.int64),
        np.zeros(n, bool),
    )
    today_ymd = today.year * 10_000 + today.month * 100 + today.day
    # In slices: a million IDs make 18 million cells, and large temporary arrays cost
    # more in fresh memory from the system than in arithmetic.
    for start in range(0, n, _SLICE):
        part = slice(start, start + _SLICE)
        ok[part], ymd[part], odd[part] = _resident_id_slice(values[part], today_ymd)
    return ok, ymd, odd


_SLICE = 1 << 14


def _resident_id_slice(
    values: Sequence[str], today_ymd: int
) -> tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.bool_]]:
    n = len(values)
    ok = np.fromiter(map(len, values), dtype=np.int64, count=n) == 18
    # Lengths counted by Python, not numpy, whose strings drop trailing NULs.
    if not ok.any():
        return ok, np.zeros(n, dtype=np.int64), ok
    text = np.array(values, dtype=str)
    width = text.dtype.itemsize // 4
    points = text.view(np.uint32).reshape(n, width)[:, :18]
    shifted = points - np.uint32(48)  # wraps round below "0": large, so not a digit
    is_digit = shifted < 10
    ok &= is_digit[:, :17].all(axis=1) & (is_digit[:, 17] | (points[:, 17] == 88))
    digits = np.minimum(shifted, 9).astype(np.uint8)  # meaningful where ``ok``
    ok &= _ID_PREFIX_KNOWN[digits[:, 0].astype(np.intp) * 10 + digits[:, 1]]
    ymd: NDArray[np.int64] = digits[:, 6:14] @ _YMD_PLACES
    ok &= real_dates(ymd) & (ymd <= today_ymd)
    ok &= points[:, 17] == _ID_CHECK_CODES[(digits[:, :17] @ _ID_WEIGHT_COLUMN) % 11]
    return ok, ymd, (digits[:, 16] % 2) == 1


def real_dates(ymd: NDArray[np.int64]) -> NDArray[np.bool_]:
    """Whether each integer ``yyyymmdd`` is a real date :class:`datetime.date` accepts (真实日期)."""
    year, month, day = ymd // 10_000, ymd // 100 % 100, ymd % 100
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    last = _MONTH_DAYS[np.where(month_ok, month, 0)] + (leap & (month == 2))
    real: NDArray[np.bool_] = (year >= 1) & month_ok & (day >= 1) & (day <= last)
    return real


def _birth_date(value: str) -> date | None:
    return _date_of(value[6:14])


@functools.lru_cache(maxsize=1 << 16)
def _date_of(yyyymmdd: str) -> date | None:
    # Cached: a register of a million people holds some 40,000 distinct birth dates.
    try:
        return date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8]))
    except ValueError:
        return None


_PAST_DAY = date.today() - timedelta(days=2)


ResidentIdNumber: TypeAlias = Annotated[str, AfterValidator(check_resident_id)]
"""A validated 18-character resident ID (公民身份号码). Wrap it in
:class:`wushe.privacy.SensitiveIdNumber` on a model: it is personal information."""


def birth_date_from_id(value: str) -> date:
    """Return the birth date encoded in a valid resident ID (出生日期)."""
    born = _birth_date(value)
    if born is None:
        msg = "resident ID does not contain a real birth date"
        raise ValueError(msg)
    return born


def gender_from_id(value: str) -> Gender:
    """Return the gender encoded in a resident ID: odd 17th digit male, even female (性别)."""
    return Gender.MALE if int(value[16]) % 2 else Gender.FEMALE


def age_on(born: date, as_of: date) -> int:
    """Return the age in whole years on ``as_of`` of a person born on ``born`` (周岁)."""
    years = as_of.year - born.year
    if (as_of.month, as_of.day) < (born.month, born.day):
        years -= 1
    return years


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_PATTERN = re.compile(f"^[{_USCC_ALPHABET}]{{18}}$")


def credit_code_check_character(first17: str) -> str:
    """Compute the GB 32100-2015 check character of a credit code (统一社会信用代码校验码)."""
    total = sum(
        _USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True)
    )
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def check_credit_code(value: str) -> str:
    """Validate a unified social credit code and return it upper-cased (校验统一社会信用代码).

    Raises:
        ValueError: if the alphabet, length or check character is wrong.
    """
    value = value.strip().upper()
    if not _USCC_PATTERN.match(value):
        msg = "a unified social credit code has 18 characters from 0-9 and A-Y without I, O, S, V, Z"
        raise ValueError(msg)
    if credit_code_check_character(value[:17]) != value[17]:
        msg = (
            "unified social credit code check character does not match (GB 32100-2015)"
        )
        raise ValueError(msg)
    return value


CreditCode: TypeAlias = Annotated[str, AfterValidator(check_credit_code)]
"""A validated unified social credit code (统一社会信用代码)."""

_PHONE = re.compile("1[3-9][0-9]{9}")
_PHONE_NOISE = re.compile(r"[\s\-()]")


def mobile_phone_column(values: Sequence[str]) -> NDArray[np.bool_]:
    """Which values :func:`check_mobile_phone` returns unchanged, decided at once (逐列校验手机号).

    ``False`` means "ask :func:`check_mobile_phone`", which strips ``+86`` and separators
    or names the rule broken.
    """
    n = len(values)
    ok: NDArray[np.bool_] = np.fromiter(map(len, values), dtype=np.int64, count=n) == 11
    if not ok.any():
        return ok
    text = np.array(values, dtype=str)
    width = text.dtype.itemsize // 4
    points = text.view(np.uint32).reshape(n, width)[:, :11]
    ok &= ((points >= 48) & (points <= 57)).all(axis=1)
    ok &= (points[:, 0] == 49) & (points[:, 1] >= 51)  # "1", then "3" to "9"
    return ok


def check_mobile_phone(value: str) -> str:
    """Validate a mainland mobile number; strips ``+86``, spaces and hyphens (校验手机号).

    Raises:
        ValueError: if the result is not 11 digits starting 13–19.
    """
    if _PHONE.fullmatch(value):
        return value
    digits = _PHONE_NOISE.sub("", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not _PHONE.fullmatch(digits):
        msg = "a mainland mobile number has 11 digits starting with 13-19"
        raise ValueError(msg)
    return digits


MobilePhone: TypeAlias = Annotated[str, AfterValidator(check_mobile_phone)]
"""A mainland mobile number, normalised to 11 digits (手机号码)."""
