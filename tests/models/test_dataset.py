from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given

from tests.strategies import datasets
from wushe.exceptions import DatasetError
from wushe.models import Dataset
from wushe.privacy import REVEAL


def minimal(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "七星岗街道",
        "division_code": "500103001",
        "divisions": [{"division_code": "500103001", "name": "七星岗街道"}],
        "communities": [
            {
                "community_id": "c1",
                "name": "兴隆街社区",
                "division_code": "500103001001",
            }
        ],
        "stations": [
            {
                "station_id": "ts",
                "name": "社工站",
                "level": "township",
                "division_code": "500103001",
            },
            {
                "station_id": "r1",
                "name": "社工室",
                "level": "village",
                "division_code": "500103001001",
                "parent_ids": ["ts"],
                "community_ids": ["c1"],
            },
        ],
    }
    for key, value in extra.items():
        base[key] = base.get(key, []) + value if isinstance(value, list) else value
    return base


def issues_of(data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    with pytest.raises(DatasetError) as info:
        Dataset.model_validate(data)
    return [(i.collection, i.record_id, i.field, i.code) for i in info.value.issues]


def test_minimal_dataset_is_valid():
    assert len(Dataset.model_validate(minimal()).stations) == 2


def test_dangling_reference_names_record_and_field():
    data = minimal(
        recipients=[{"recipient_id": "p1", "name": "钱桂芳", "community_id": "nowhere"}]
    )
    assert issues_of(data) == [
        ("recipients", "p1", "community_id", "unknown_reference")
    ]


def test_duplicate_ids_are_reported():
    data = minimal(
        communities=[
            {"community_id": "c1", "name": "重复", "division_code": "500103001002"}
        ]
    )
    assert ("communities", "c1", "community_id", "duplicate_id") in issues_of(data)


def test_community_outside_the_locality_is_reported():
    data = minimal(
        divisions=[{"division_code": "500103002", "name": "外街"}],
        communities=[
            {"community_id": "c9", "name": "外社区", "division_code": "500103002001"}
        ],
    )
    assert ("communities", "c9", "division_code", "outside_locality") in issues_of(data)


def test_community_needs_its_township_listed():
    data = minimal()
    data["divisions"] = []
    assert ("communities", "c1", "division_code", "unknown_township") in issues_of(data)


def test_room_whose_area_lies_in_another_street_is_reported():
    data = minimal(
        divisions=[
            {"division_code": "500103", "name": "渝中区"},
            {"division_code": "500103002", "name": "另一街"},
        ],
        communities=[
            {"community_id": "c2", "name": "别街社区", "division_code": "500103002001"}
        ],
        stations=[
            {
                "station_id": "r2",
                "name": "错挂社工室",
                "level": "village",
                "division_code": "500103002001",
                "parent_ids": ["ts"],
                "community_ids": ["c2"],
            }
        ],
    )
    data["division_code"] = "500103"
    assert ("stations", "r2", "parent_ids", "station_area_mismatch") in issues_of(data)


def test_activity_outside_its_project_period_is_reported():
    data = minimal(
        organizations=[{"organization_id": "o", "name": "巴渝公益"}],
        projects=[
            {
                "project_id": "pr",
                "name": "项目",
                "funder": "民政局",
                "operator_id": "o",
                "budget": "1",
                "period": {"start": "2022-01-01", "end": "2022-12-31"},
            }
        ],
        activities=[
            {
                "activity_id": "a",
                "activity_type": "小组",
                "held_on": "2023-01-05",
                "station_id": "r1",
                "project_id": "pr",
            }
        ],
    )
    assert issues_of(data) == [("activities", "a", "held_on", "outside_project_period")]


def test_error_message_lists_every_issue_without_sensitive_values():
    data = minimal(
        recipients=[
            {"recipient_id": f"p{i}", "name": "钱桂芳", "community_id": "x"}
            for i in range(3)
        ]
    )
    with pytest.raises(DatasetError) as info:
        Dataset.model_validate(data)
    assert len(info.value.issues) == 3
    assert "recipients[p2].community_id" in str(info.value)
    assert "钱桂芳" not in str(info.value)


@given(datasets())
def test_generated_datasets_round_trip_through_json(ds):
    again = Dataset.model_validate_json(ds.model_dump_json(context=REVEAL))
    assert again == ds


def test_records_by_collection_name():
    ds = Dataset.model_validate(minimal())
    assert ds.records("stations") == ds.stations
    with pytest.raises(KeyError, match="unknown collection"):
        ds.records("people")
