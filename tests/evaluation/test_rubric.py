"""Rubrics are validated data: weights add up, bands do not overlap, errors name the item."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wushe.evaluation import (
    GradeBands,
    Rubric,
    builtin_rubric,
    builtin_rubric_names,
    grade_bands,
    rubric_weights,
)
from wushe.exceptions import RubricError
from wushe.vocab import Grade, OrgRating

from .strategies import rubric_dicts, rubrics


def _default() -> dict[str, Any]:
    return builtin_rubric("default_project").model_dump(mode="json")


@given(rubrics())
def test_rubric_round_trips_through_json(rubric):
    assert Rubric.model_validate_json(rubric.model_dump_json()) == rubric


@settings(max_examples=25)
@given(rubrics(normalise=True))
def test_rubric_round_trips_through_yaml(rubric):
    assert Rubric.from_yaml_text(rubric.to_yaml_text()) == rubric


@pytest.mark.parametrize("name", builtin_rubric_names())
def test_builtin_rubrics_round_trip_and_state_their_provenance(name):
    rubric = builtin_rubric(name)
    assert Rubric.from_yaml_text(rubric.to_yaml_text()) == rubric
    assert (
        "not" in rubric.provenance.lower()
    )  # says what it is not (a national standard)
    assert sum(rubric_weights(rubric).values()) == pytest.approx(float(rubric.total))


def test_builtin_rubric_names_both_rubrics():
    assert builtin_rubric_names() == ("default_project", "social_organization")
    assert builtin_rubric("social_organization").total == 1000
    with pytest.raises(RubricError, match=r"default_project"):
        builtin_rubric("mz_t_059")


@given(rubric_dicts(), st.data())
def test_weights_that_do_not_add_up_are_rejected_naming_the_dimension(raw, data):
    dim = data.draw(st.sampled_from(raw["dimensions"]))
    item = data.draw(st.sampled_from(dim["items"]))
    if item["kind"] == "checklist":
        item["sub_items"][0]["points"] += 1
    item["weight"] += 1
    with pytest.raises(RubricError, match=dim["dimension_id"]):
        Rubric.model_validate(raw)


@given(rubric_dicts(), st.data())
def test_unequal_weights_are_accepted_only_when_normalise_is_declared(raw, data):
    dim = data.draw(st.sampled_from(raw["dimensions"]))
    dim["weight"] += data.draw(st.integers(1, 30))
    with pytest.raises(RubricError, match=r"add up"):
        Rubric.model_validate(raw)
    raw["normalise"] = True
    rubric = Rubric.model_validate(raw)
    weights = rubric_weights(rubric)
    assert sum(weights.values()) == pytest.approx(float(rubric.total))


def test_negative_weight_is_rejected_naming_the_item():
    raw = _default()
    raw["dimensions"][1]["items"][2]["weight"] = -7
    with pytest.raises(RubricError, match=r"items\['practice.ethics'\]\.weight"):
        Rubric.model_validate(raw)


def test_checklist_points_must_add_up_to_the_item_weight():
    raw = _default()
    raw["dimensions"][3]["items"][1]["sub_items"][0]["points"] = 4
    with pytest.raises(RubricError, match=r"finance.compliance"):
        Rubric.model_validate(raw)


def test_unknown_indicator_is_rejected_naming_the_item():
    raw = _default()
    raw["dimensions"][2]["items"][0]["indicators"] = ["group.sessions"]
    with pytest.raises(RubricError, match=r"outcomes.targets.*group.sessions"):
        Rubric.model_validate(raw)


def test_fields_that_do_not_fit_the_kind_are_rejected_naming_the_item():
    raw = _default()
    raw["dimensions"][0]["items"][0]["sub_items"] = [
        {"sub_id": "x", "name": "x", "points": 6}
    ]
    with pytest.raises(RubricError, match=r"management.plan.*only checklist"):
        Rubric.model_validate(raw)


def test_graded_scale_must_reach_full_marks():
    raw = _default()
    raw["dimensions"][0]["items"][0]["levels"] = [{"label": "好", "fraction": 0.9}]
    with pytest.raises(RubricError, match=r"management.plan.*full weight"):
        Rubric.model_validate(raw)


def test_repeated_item_ids_are_rejected():
    raw = _default()
    raw["dimensions"][0]["items"][1]["item_id"] = "management.plan"
    with pytest.raises(RubricError, match=r"management.plan"):
        Rubric.model_validate(raw)


def test_bad_kind_in_json_is_reported_with_the_item_id():
    raw = _default()
    raw["dimensions"][4]["items"][0]["kind"] = "stars"
    with pytest.raises(RubricError, match=r"satisfaction.recipients"):
        Rubric.model_validate_json(json.dumps(raw))


@pytest.mark.parametrize(
    "bands",
    [
        [{"label": "优秀", "min_score": 80}, {"label": "良好", "min_score": 80}],
        [{"label": "优秀", "min_score": 80}, {"label": "良好", "min_score": 85}],
        [{"label": "良好", "min_score": 90}, {"label": "优秀", "min_score": 80}],
        [{"label": "优秀", "min_score": 90}, {"label": "优秀", "min_score": 80}],
        [{"label": "优秀", "min_score": 90}, {"label": "5A", "min_score": 80}],
    ],
    ids=["same-threshold", "rising", "inverted-labels", "repeated", "mixed"],
)
def test_overlapping_or_disordered_bands_are_rejected(bands):
    with pytest.raises(RubricError):
        GradeBands.model_validate({"bands": bands})


def test_band_above_the_total_is_rejected():
    raw = _default()
    raw["grade_bands"] = {"bands": [{"label": "优秀", "min_score": 120}]}
    with pytest.raises(RubricError, match=r"above the total"):
        Rubric.model_validate(raw)


def test_grade_band_preset_names_are_accepted_in_data():
    raw = _default()
    raw["grade_bands"] = "five_band"
    assert Rubric.model_validate(raw).grade_bands == grade_bands("five_band")
    with pytest.raises(RubricError, match=r"four_band"):
        grade_bands("three_band")


GRADE_ORDER = [*Grade, *OrgRating]


def _rank(grade: Grade | OrgRating | None) -> int:
    return len(GRADE_ORDER) if grade is None else GRADE_ORDER.index(grade)


@given(
    st.sampled_from(["four_band", "five_band", "org_anqing", "org_luoyang_chanhe"]),
    st.floats(0, 1000),
    st.floats(0, 1000),
)
def test_grade_is_monotone_in_the_total(preset, a, b):
    bands = grade_bands(preset)
    low, high = sorted((a, b))
    assert _rank(bands.grade_for(high)) <= _rank(bands.grade_for(low))


def test_default_bands_follow_common_practice():
    bands = grade_bands("four_band")
    assert [bands.grade_for(x) for x in (90, 89.99, 80, 60, 59.99)] == [
        Grade.EXCELLENT,
        Grade.GOOD,
        Grade.GOOD,
        Grade.PASS,
        Grade.FAIL,
    ]


def test_anqing_cut_offs_are_strict_and_leave_low_totals_unrated():
    bands = grade_bands("org_anqing")
    assert bands.grade_for(950) is OrgRating.A4
    assert bands.grade_for(950.5) is OrgRating.A5
    assert bands.grade_for(800) is None


def test_luoyang_chanhe_cut_offs():
    bands = grade_bands("org_luoyang_chanhe")
    assert [bands.grade_for(x) for x in (900, 899, 700, 599)] == [
        OrgRating.A5,
        OrgRating.A4,
        OrgRating.A3,
        OrgRating.A1,
    ]


def test_decimal_weights_are_written_as_numbers():
    dumped = json.loads(builtin_rubric().model_dump_json())
    assert dumped["total"] == 100
    assert dumped["rectification_threshold"] == 0.6
    assert Decimal(str(dumped["dimensions"][0]["weight"])) == 20
