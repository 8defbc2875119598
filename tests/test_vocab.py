from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from wushe import vocab
from wushe.vocab import (
    ActorKind,
    ActorRole,
    BilingualEnum,
    Qualification,
    StationLevel,
    TargetGroup,
)

ENUMS = [
    obj
    for name in vocab.__all__
    if isinstance(obj := getattr(vocab, name), type)
    and issubclass(obj, BilingualEnum)
    and obj is not BilingualEnum
]
MEMBERS = [member for enum in ENUMS for member in enum]


def test_chinese_label_parses_to_the_same_member():
    assert TargetGroup("留守儿童") is TargetGroup.LEFT_BEHIND_CHILD


@given(st.sampled_from(MEMBERS))
def test_every_member_parses_from_value_name_and_chinese_label(member):
    enum = type(member)
    assert enum(member.value) is member
    assert enum(member.name) is member
    assert enum(member.zh) is member
    assert TypeAdapter(enum).validate_python(member.zh) is member
    assert TypeAdapter(enum).validate_json(f'"{member.zh}"') is member


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_labels_are_unambiguous_within_an_enum(enum):
    seen: dict[str, object] = {}
    for member in enum:
        for label in (member.value, member.zh, *member.aliases):
            assert seen.setdefault(label, member) is member, f"{label} is ambiguous"


def test_unknown_label_is_rejected_with_the_enum_named():
    with pytest.raises(ValueError, match="TargetGroup"):
        TargetGroup("不存在的类别")


def test_full_and_half_width_brackets_both_parse():
    assert StationLevel("乡镇(街道)社工站") is StationLevel.TOWNSHIP


def test_five_actors_have_their_slogan_roles():
    assert [kind.role for kind in ActorKind] == list(ActorRole)
    assert ActorKind.COMMUNITY.role.zh == "平台"


def test_qualification_order():
    assert Qualification.SENIOR.satisfies(Qualification.INTERMEDIATE)
    assert not Qualification.ASSISTANT.satisfies(Qualification.INTERMEDIATE)


def test_station_levels_distinguish_geographic_tiers_from_attached_stations():
    assert [level.is_geographic for level in StationLevel] == [
        True,
        True,
        True,
        False,
        False,
    ]
