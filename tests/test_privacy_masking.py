"""Masking rules: names that hide behind Unicode, addresses, withheld fields, copies."""

from __future__ import annotations

import copy
import pickle
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.strategies import GIVEN, SURNAMES, resident_id, resident_ids
from wushe.models import Recipient, Volunteer
from wushe.privacy import (
    MASK,
    BirthDate,
    SensitiveAddress,
    SensitiveIdNumber,
    SensitiveName,
    SensitivePhone,
    SensitiveText,
    mask_address,
    mask_birth_date,
    mask_id_number,
    mask_name,
)

# Characters that render as nothing or as a gap: separators, zero-width and format
# characters, combining marks, variation selectors, fillers, tags.
INVISIBLE = (
    " ",
    "\u3000",  # ideographic space, used in rosters to align two-character names
    "\u00a0",
    "\u2007",
    "\u202f",
    "\t",
    "·",
    "・",
    "\u2027",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u034f",
    "\ufe00",
    "\u180e",
    "\u3164",
    "\u115f",
    "\uffa0",
    "\U000e0020",
    "\u2ff0",
)


@st.composite
def disguised_names(draw: st.DrawFn) -> tuple[str, str]:
    """A name and the same name with invisible characters slipped in."""
    plain = draw(st.sampled_from(SURNAMES)) + draw(
        st.text(alphabet=GIVEN, min_size=1, max_size=3)
    )
    parts = [draw(st.text(alphabet=INVISIBLE, max_size=2))]
    for char in plain:
        parts += [char, draw(st.text(alphabet=INVISIBLE, max_size=3))]
    disguised = "".join(parts).strip() or plain
    return plain, disguised


@given(disguised_names())
def test_a_masked_name_never_shows_every_character_of_the_name(names):
    plain, disguised = names
    masked = mask_name(disguised)
    shown = [c for c in masked if c != "*"]
    assert len(shown) < len(plain)
    assert len(shown) <= (1 if len(plain) == 2 else 2)
    assert masked == mask_name(plain)


@pytest.mark.parametrize(
    "name", ["张　三", "张 三", "张·三", "张\u200b三", "张\u3164三"]
)
def test_two_character_names_with_a_gap_show_only_the_surname(name):
    assert mask_name(name) == "张*"
    assert repr(SensitiveName(name)) == "SensitiveName('张*')"


def test_compatibility_forms_mask_like_the_characters_they_stand_for():
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in "ZHANG") + "\u3000" + "Wei"
    assert mask_name(fullwidth) == "Z******i"
    assert mask_name("欧阳·晓华") == "欧**华"


def test_a_name_of_only_invisible_characters_is_rejected():
    with pytest.raises(ValueError, match="letter"):
        SensitiveName("\u200b\u3000")


def test_rare_characters_in_the_private_use_area_count_as_characters():
    assert mask_name("张\ue000") == "张*"
    assert mask_name("\ue000\ue001\ue002") == "\ue000*\ue002"


@pytest.mark.parametrize(
    ("address", "masked"),
    [
        ("重庆市渝中区七星岗街道兴隆街8号", "重庆市渝中区****"),
        ("四川省成都市金牛区西安路街道抚琴西路12号", "四川省成都市金牛区****"),
        ("兴隆街8号3单元", "****"),
        ("幸福小区3栋2单元401", "****"),
        ("荷花池市场3号", "****"),
        ("重庆市 渝中区\u200b兴隆街8号", "重庆市渝中区****"),
    ],
)
def test_an_address_shows_at_most_its_division_names(address, masked):
    assert mask_address(address) == masked


def test_an_id_number_keeps_two_digits_and_the_check_character():
    assert mask_id_number("11010519491231002X") == "11***************X"
    assert mask_id_number("1234") == "****"


def test_a_birth_date_shows_its_year():
    assert mask_birth_date(date(1941, 3, 15)) == "1941-**-**"


ELDER = {
    "recipient_id": "p1",
    "name": "钱桂芳",
    "community_id": "c1",
    "id_number": resident_id("500103", date(1941, 3, 15), 22),
    "target_groups": ["特困人员", "高龄老人"],
    "assessed_on": "2024-06-30",
}


def test_a_recipients_default_outputs_withhold_birth_date_and_groups():
    person = Recipient.model_validate(ELDER)
    for shown in (person.model_dump(), person.model_dump(mode="json")):
        assert shown["birth_date"] == "1941-**-**"
        assert shown["target_groups"] == MASK
    text = repr(person) + str(person) + person.model_dump_json()
    assert "1941-03-15" not in text
    assert "datetime.date(1941" not in text
    assert "extreme_poverty" not in text
    assert "TargetGroup" not in text


def test_engines_still_read_the_real_values():
    person = Recipient.model_validate(ELDER)
    assert person.birth_date == date(1941, 3, 15)
    assert len(person.target_groups) == 2


def test_an_empty_group_set_is_withheld_too():
    person = Recipient.model_validate({**ELDER, "target_groups": []})
    assert person.model_dump()["target_groups"] == MASK


def test_a_volunteers_birth_date_shows_its_year():
    volunteer = Volunteer.model_validate(
        {"volunteer_id": "v1", "name": "李明", "birth_date": "1990-05-04"}
    )
    assert volunteer.model_dump()["birth_date"] == "1990-**-**"
    assert "1990, 5, 4" not in repr(volunteer)


def test_copies_keep_masking_and_pickles_keep_the_raw_values():
    person = Recipient.model_validate(ELDER)
    copies = [
        person.model_copy(),
        person.model_copy(deep=True),
        copy.copy(person),
        copy.deepcopy(person),
    ]
    for other in copies:
        assert other == person
        assert repr(other) == repr(person)
        assert other.model_dump() == person.model_dump()
        assert "钱桂芳" not in repr(other)
    restored = pickle.loads(pickle.dumps(person))
    assert restored == person
    assert restored.name.reveal(reason="test") == "钱桂芳"
    assert restored.birth_date == date(1941, 3, 15)
    assert repr(restored) == repr(person)


def test_withheld_works_on_any_pydantic_model():
    from pydantic import BaseModel  # noqa: PLC0415

    class Person(BaseModel):
        born: BirthDate

    assert Person(born=date(2001, 2, 3)).model_dump_json() == '{"born":"2001-**-**"}'


def test_the_json_schema_marks_withheld_fields_as_sensitive():
    properties = Recipient.model_json_schema()["properties"]
    assert properties["target_groups"]["x-sensitive"] == "special category"
    assert properties["birth_date"]["anyOf"][0]["x-sensitive"] == "birth date"


def test_a_households_assistance_statuses_are_withheld():
    from wushe.models import Household  # noqa: PLC0415

    household = Household.model_validate(
        {
            "household_id": "h1",
            "community_id": "c1",
            "member_ids": ["p1"],
            "statuses": "低保 2021-01-01~2022-12-31；低保边缘 2023-01-01~",
        }
    )
    assert household.model_dump()["statuses"] == MASK
    assert "dibao" not in repr(household) + household.model_dump_json()
    assert len(household.statuses) == 2


_SENSITIVE_TEXT_TYPES = [
    SensitiveName,
    SensitiveIdNumber,
    SensitivePhone,
    SensitiveAddress,
    SensitiveText,
]


@pytest.mark.parametrize("kind", _SENSITIVE_TEXT_TYPES, ids=lambda k: k.__name__)
@given(
    value=st.one_of(
        st.text(max_size=20),
        resident_ids(),
        st.from_regex("1[3-9][0-9]{9}", fullmatch=True),
    )
)
def test_validation_builds_the_same_checked_wrapper_as_the_constructor(kind, value):
    from pydantic import TypeAdapter, ValidationError  # noqa: PLC0415

    try:
        expected = kind(value)
    except ValueError:
        with pytest.raises(ValidationError):
            TypeAdapter(kind).validate_python(value)
        return
    built = TypeAdapter(kind).validate_python(value)
    assert type(built) is kind
    assert built == expected
    assert repr(built) == repr(expected)
