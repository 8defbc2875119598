"""Loading a matching policy from JSON or YAML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wushe.exceptions import LoadError
from wushe.io import load_policy
from wushe.matching import DeclineConsequence, DeclineReason, MatchPolicy


def test_json_policy_round_trips_through_load_policy(tmp_path: Path):
    policy = MatchPolicy(strategy="greedy", reach_adjacent=False, max_volunteer_age=70)
    file = tmp_path / "policy.json"
    file.write_text(policy.model_dump_json(), encoding="utf-8")
    assert load_policy(file) == policy


def test_yaml_policy_overrides_only_the_fields_it_names(tmp_path: Path):
    file = tmp_path / "policy.yaml"
    file.write_text(
        "weights:\n  proximity: 60\ndecline_rules:\n  schedule: {consequence: never}\n",
        encoding="utf-8",
    )
    policy = load_policy(file)
    assert policy.weights.proximity == 60
    assert policy.weights.fit == MatchPolicy().weights.fit
    rule = policy.decline_rules[DeclineReason.SCHEDULE]
    assert rule.consequence is DeclineConsequence.NEVER


def test_empty_yaml_file_gives_the_default_policy(tmp_path: Path):
    file = tmp_path / "policy.yml"
    file.write_text("", encoding="utf-8")
    assert load_policy(file) == MatchPolicy()


def test_unknown_or_invalid_fields_are_named_in_the_error(tmp_path: Path):
    file = tmp_path / "policy.json"
    file.write_text(
        json.dumps({"weights": {"fit": -1}, "speed": "max"}), encoding="utf-8"
    )
    with pytest.raises(LoadError) as caught:
        load_policy(file)
    found = {(i.field, i.code) for i in caught.value.report.issues}
    assert found == {
        ("weights.fit", "greater_than_equal"),
        ("speed", "extra_forbidden"),
    }
    assert str(file) in str(caught.value)


@pytest.mark.parametrize(
    ("text", "code"), [(None, "unreadable"), ("{not json", "invalid_syntax")]
)
def test_unreadable_or_malformed_file_is_a_load_error(tmp_path: Path, text, code):
    file = tmp_path / "policy.json"
    if text is not None:
        file.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_policy(file)
    assert [i.code for i in caught.value.report.issues] == [code]
