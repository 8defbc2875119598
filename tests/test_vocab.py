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
    FundingChannel,
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
        True,
        False,
        False,
    ]


# --- #13: ambiguous bare labels, publicity types, evaluation phases, target groups ---


def test_social_work_theme_publicity_is_its_own_type_beside_policy_publicity():
    assert (
        vocab.ActivityType("社工主题宣传") is vocab.ActivityType.SOCIAL_WORK_PUBLICITY
    )
    assert vocab.ActivityType("政策宣传") is vocab.ActivityType.POLICY_PUBLICITY
    assert vocab.ActivityType("社工主题宣传").value != "policy_publicity"


@pytest.mark.parametrize(
    ("enum", "label", "choices"),
    [
        (vocab.ActivityType, "宣传", ["政策宣传", "社工主题宣传"]),
        (vocab.ActivityType, "培训", ["社工培训", "志愿者培训"]),
        (StationLevel, "社工中心", ["区（县）社工总站", "乡镇（街道）社工站"]),
        (
            StationLevel,
            "社工站",
            ["乡镇（街道）社工站", "村（社区）社工室", "学校社工站"],
        ),
        (StationLevel, "社工室", ["村（社区）社工室", "学校社工站"]),
        (vocab.Grade, "一般", ["合格", "基本合格"]),
    ],
)
def test_bare_ambiguous_label_parses_to_no_member_and_lists_the_choices(
    enum, label, choices
):
    with pytest.raises(ValueError, match="ambiguous") as raised:
        enum(f" {label} ")
    for choice in choices:
        assert choice in str(raised.value)
    assert vocab.explain_ambiguous(label) == str(raised.value)


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_no_ambiguous_label_is_also_the_label_of_a_member(enum):
    labels = {
        vocab._normalise(label)
        for member in enum
        for label in (member.value, member.name, member.zh, *member.aliases)
    }
    assert not labels & set(vocab._AMBIGUOUS.get(enum, {}))


def test_station_level_parses_unambiguous_full_names_only():
    assert StationLevel("街道社工站") is StationLevel.TOWNSHIP
    assert StationLevel("社区社工室") is StationLevel.VILLAGE
    assert StationLevel("区（县）社工总站") is StationLevel.COUNTY
    assert StationLevel("学校社工站") is StationLevel.SCHOOL


def test_ambiguous_label_in_a_model_field_fails_validation():
    with pytest.raises(ValueError, match="activity_type"):
        TypeAdapter(dict[str, vocab.ActivityType]).validate_python(
            {"activity_type": "宣传"}
        )


def test_explain_ambiguous_picks_the_enum_from_the_expected_values():
    expected = "'excellent', 'good', 'pass', 'basic_pass' or 'fail'"
    assert "Grade" in (vocab.explain_ambiguous("一般", expected) or "")
    assert vocab.explain_ambiguous("一般", "'low', 'medium', 'high'") is None
    assert vocab.explain_ambiguous(3) is None


def test_final_evaluation_parses_from_its_moqi_alias_and_annual_rounds_exist():
    assert vocab.EvaluationPhase("末期评估") is vocab.EvaluationPhase.FINAL
    assert vocab.EvaluationPhase("年度评估") is vocab.EvaluationPhase.ANNUAL


def test_bare_tekun_label_still_parses_with_the_form_of_support_unrecorded():
    assert TargetGroup("特困") is TargetGroup.EXTREME_POVERTY
    assert TargetGroup.EXTREME_POVERTY.broader is None


@pytest.mark.parametrize(
    ("label", "broader"),
    [
        ("分散供养特困人员", TargetGroup.EXTREME_POVERTY),
        ("集中供养特困", TargetGroup.EXTREME_POVERTY),
        ("社会散居孤儿", TargetGroup.ORPHAN),
        ("机构养育孤儿", TargetGroup.ORPHAN),
        ("重度残疾人", TargetGroup.DISABILITY),
    ],
)
def test_narrower_group_names_its_broader_group_and_keeps_its_safety_net_status(
    label: str, broader: TargetGroup
):
    group = TargetGroup(label)
    assert group.broader is broader
    assert group.is_safety_net is broader.is_safety_net
    assert vocab.expand_target_groups(frozenset({group})) == {group, broader}


def test_vagrants_are_a_target_group_of_their_own():
    assert TargetGroup("流浪乞讨人员") is TargetGroup.VAGRANT
    assert TargetGroup.VAGRANT.broader is None


@given(st.frozensets(st.sampled_from(list(TargetGroup))))
def test_expanding_target_groups_is_idempotent_and_only_adds_broader_groups(groups):
    once = vocab.expand_target_groups(groups)
    assert vocab.expand_target_groups(once) == once
    assert groups <= once
    assert once - groups == {g.broader for g in groups if g.broader} - groups


def test_welfare_lottery_funds_are_a_funding_channel():
    assert FundingChannel("福彩公益金") is FundingChannel.WELFARE_LOTTERY


def _bilingual_enums() -> list[type[vocab.BilingualEnum]]:
    found = (getattr(vocab, name) for name in vocab.__all__)
    return [
        e
        for e in found
        if isinstance(e, type) and issubclass(e, vocab.BilingualEnum) and len(e)
    ]


@pytest.mark.parametrize("enum", _bilingual_enums(), ids=lambda e: e.__name__)
def test_every_spelling_validates_to_the_member_the_enum_call_finds(enum):
    import json  # noqa: PLC0415

    adapter = TypeAdapter(enum)
    for member in enum:
        for label in (member.value, member.name, member.zh, *member.aliases):
            for spelling in (label, f" {label} ", label.upper()):
                expected = enum(spelling)
                assert adapter.validate_python(spelling) is expected
                assert adapter.validate_json(json.dumps(spelling)) is expected


def test_the_removed_consent_kind_says_what_replaced_it():
    from wushe import vocab  # noqa: PLC0415 - the module object itself is under test

    with pytest.raises(AttributeError, match="LawfulBasis"):
        vocab.ConsentKind  # noqa: B018 - the attribute access is the test
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        vocab.Nope  # noqa: B018
