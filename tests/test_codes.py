from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from tests.strategies import resident_id, resident_ids
from wushe.codes import (
    PROVINCE_CODES,
    CreditCode,
    DivisionCode,
    DivisionLevel,
    age_on,
    birth_date_from_id,
    check_credit_code,
    check_division_code,
    check_mobile_phone,
    check_resident_id,
    credit_code_check_character,
    division_ancestors,
    division_contains,
    division_level,
    division_parent,
    gender_from_id,
    id_check_character,
)
from wushe.vocab import Gender

VALID_IDS = [
    "11010519491231002X",
    "440524188001010014",
    "360426199101010071",
    "120103198806018241",
]


@pytest.mark.parametrize("value", VALID_IDS)
def test_published_valid_resident_ids_pass(value):
    assert check_resident_id(value) == value


def test_lower_case_x_is_normalised():
    assert check_resident_id("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("360426199101010072", "check character"),
        ("36042619910101007", "17 digits"),
        ("990426199101010071", "province"),
        ("360426199102300071", "birth date"),
        ("360426209901010071", "future"),
    ],
)
def test_invalid_resident_ids_are_rejected_without_echoing_the_number(value, reason):
    with pytest.raises(ValueError, match=reason) as info:
        check_resident_id(value, today=date(2026, 1, 1))
    assert value not in str(info.value)


@given(resident_ids())
def test_generated_ids_validate_and_any_changed_check_character_fails(value):
    assert check_resident_id(value) == value
    for other in "0123456789X":
        if other != value[-1]:
            with pytest.raises(ValueError, match="check character"):
                check_resident_id(value[:-1] + other)


def test_birth_date_gender_and_age_derive_from_the_id():
    value = resident_id("510106", date(1941, 3, 15), 21)
    assert birth_date_from_id(value) == date(1941, 3, 15)
    assert gender_from_id(value) is Gender.MALE
    assert gender_from_id(resident_id("510106", date(1941, 3, 15), 22)) is Gender.FEMALE
    assert age_on(date(1941, 3, 15), date(2022, 3, 14)) == 80
    assert age_on(date(1941, 3, 15), date(2022, 3, 15)) == 81


@pytest.mark.parametrize("value", ["91350100M000100Y43", "91110108551385082Q"])
def test_valid_credit_codes_pass(value):
    assert check_credit_code(value) == value


@pytest.mark.parametrize(
    "value", ["91350100M000100Y4A", "91350100M000100Y4", "91350100M000100I43"]
)
def test_invalid_credit_codes_fail(value):
    with pytest.raises(ValueError, match="credit code"):
        check_credit_code(value)


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_computed_credit_check_character_always_validates(first17):
    assert check_credit_code(first17 + credit_code_check_character(first17))


def test_division_codes_canonicalise_and_derive_parents():
    assert check_division_code("510106000000") == "510106"
    assert check_division_code("510106001000") == "510106001"
    assert division_parent("510106001002") == "510106001"
    assert division_parent("510106001") == "510106"
    assert division_parent("510106") == "510100"
    assert division_parent("510100") == "510000"
    assert division_parent("510000") is None
    assert division_ancestors("510106001002") == (
        "510106001",
        "510106",
        "510100",
        "510000",
    )
    assert [
        division_level(c)
        for c in ("510000", "510100", "510106", "510106001", "510106001002")
    ] == list(DivisionLevel)
    assert division_contains("510106", "510106001002")
    assert not division_contains("510107", "510106001002")


@pytest.mark.parametrize(
    "value", ["5101", "51010600", "991060", "510006", "510100001", "51a106"]
)
def test_invalid_division_codes_fail(value):
    with pytest.raises(ValueError, match=r"division code|county-level|township"):
        check_division_code(value)


def test_annotated_types_validate_inside_models():
    class Org(BaseModel):
        code: CreditCode
        area: DivisionCode

    assert Org(code="91350100m000100y43", area="510106000000").area == "510106"
    with pytest.raises(ValidationError, match="area"):
        Org(code="91350100M000100Y43", area="51")


@pytest.mark.parametrize(
    "value", ["13800001234", "+86 138 0000 1234", "138-0000-1234", "0086 13800001234"]
)
def test_mobile_numbers_normalise(value):
    assert check_mobile_phone(value) == "13800001234"


@pytest.mark.parametrize("value", ["12800001234", "1380000123", "010-12345678"])
def test_invalid_mobile_numbers_fail(value):
    with pytest.raises(ValueError, match="mobile"):
        check_mobile_phone(value)


def test_check_character_needs_seventeen_digits():
    with pytest.raises(ValueError, match="17 characters"):
        id_check_character("1101051949123100")
    with pytest.raises(ValueError, match="17 characters"):
        id_check_character("1101051949123100A")


# --- #13: residence permits, structural division-code checks ---


@pytest.mark.parametrize("prefix", ["81", "82", "83"])
def test_hong_kong_macao_and_taiwan_residence_permit_numbers_pass(prefix):
    first17 = f"{prefix}000019900101001"
    value = first17 + id_check_character(first17)
    assert check_resident_id(value) == value


def test_taiwan_permit_prefix_83_is_not_a_division_code():
    with pytest.raises(ValueError, match="province"):
        check_division_code("830000")


@pytest.mark.parametrize("code", ["519999", "517100", "518901", "519101001"])
def test_prefecture_part_outside_the_gb_t_2260_ranges_is_rejected(code):
    with pytest.raises(ValueError, match="prefecture part"):
        check_division_code(code)


@pytest.mark.parametrize("code", ["469001", "659001", "429004", "500101", "441900"])
def test_province_administered_and_municipal_codes_pass(code):
    assert check_division_code(code) == code


@given(
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.integers(0, 99),
    st.integers(1, 99),
)
def test_county_code_passes_exactly_when_its_prefecture_part_is_in_range(
    province, prefecture, county
):
    code = f"{province}{prefecture:02d}{county:02d}"
    in_range = 1 <= prefecture <= 70 or prefecture == 90
    if in_range:
        assert check_division_code(code) == code
    else:
        with pytest.raises(ValueError, match="division code"):
            check_division_code(code)


_FULL_WIDTH_ID = "".join(chr(0xFF10 + int(d)) for d in "510106194103150220")
_ARABIC_INDIC_ID = "".join(chr(0x0660 + int(d)) for d in "510106194103150220")


@pytest.mark.parametrize("value", [_FULL_WIDTH_ID, _ARABIC_INDIC_ID])
def test_resident_ids_in_non_ascii_digits_fail_on_the_digit_rule(value):
    with pytest.raises(ValueError, match="17 digits followed by a digit or X"):
        check_resident_id(value)


_PHONE_PREFIX = st.sampled_from(["", "+86", "0086", "+86 ", "86"])
_PHONE_NOISE = st.sampled_from(["", " ", "-", "(", ")", "\t", "\n", "x", "\uff11"])


@given(
    _PHONE_PREFIX,
    st.from_regex("1[3-9][0-9]{8,11}|[0-9]{9,13}", fullmatch=True),
    _PHONE_NOISE,
    st.integers(0, 14),
)
@example("", "138123456789", "", 0)
@example("", "13812345678", "\n", 11)
@example("", "1381234567", "\uff11", 10)
def test_mobile_number_fast_path_agrees_with_the_normalising_rule(
    prefix, number, noise, at
):
    value = prefix + number[:at] + noise + number[at:]
    digits = "".join(c for c in value if c not in " -()\t\n")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    valid = len(digits) == 11 and digits[:1] == "1" and digits[1:2] in "3456789"
    if valid and digits.isascii() and digits.isdigit():
        assert check_mobile_phone(value) == digits
    else:
        with pytest.raises(ValueError, match="11 digits"):
            check_mobile_phone(value)


def test_an_id_born_tomorrow_is_refused_without_naming_today():
    born = date.today() + timedelta(days=1)
    first17 = f"110105{born:%Y%m%d}002"
    with pytest.raises(ValueError, match="future"):
        check_resident_id(first17 + id_check_character(first17))
