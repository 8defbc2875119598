"""Visit logs are checked against the dataset's households when they are loaded (#12)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.models.test_station_records import HOUSEHOLD, world
from wushe.exceptions import LoadError, WusheError
from wushe.io import load_visit_log
from wushe.models import Dataset

# p2 left h1 at the end of March 2024; p3 never belonged to it.
HOUSEHOLDS = Dataset.model_validate(
    world(
        households=[
            {
                **HOUSEHOLD,
                "memberships": [{"recipient_id": "p2", "until": "2024-03-31"}],
            }
        ]
    )
)


def visit(vid: str, rid: str, day: str, household_id: str | None) -> dict[str, Any]:
    return {
        "visit_id": vid,
        "recipient_id": rid,
        "visited_at": f"{day}T10:00",
        "household_id": household_id,
    }


def write_log(path: Path, visits: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"visits": visits, "incidents": []}), encoding="utf-8")
    return path


def rejected(path: Path, dataset: Dataset) -> list[tuple[Any, ...]]:
    with pytest.raises(LoadError) as caught:
        load_visit_log(path, dataset=dataset)
    return [
        (i.file, i.collection, i.row, i.record_id, i.field, i.column, i.code)
        for i in caught.value.report.issues
    ]


def test_a_visit_naming_an_unknown_household_or_a_non_member_is_rejected_at_its_row(
    tmp_path: Path,
) -> None:
    log = write_log(
        tmp_path / "visits.json",
        [
            visit("v1", "p2", "2024-03-31", "h1"),  # still a member that day
            visit("v2", "p2", "2024-04-01", "h1"),  # had left
            visit("v3", "p3", "2024-04-01", "h1"),  # never a member
            visit("v4", "p1", "2024-04-01", "h9"),  # no such household
            visit("v5", "p1", "2024-04-01", None),  # not kept per household
        ],
    )
    name = str(log)
    assert rejected(log, HOUSEHOLDS) == [
        (name, "visits", 2, "v2", "household_id", "户编号", "not_household_member"),
        (name, "visits", 3, "v3", "household_id", "户编号", "not_household_member"),
        (name, "visits", 4, "v4", "household_id", "户编号", "unknown_reference"),
    ]


def test_the_household_error_is_a_wushe_error_whose_text_names_file_row_and_field(
    tmp_path: Path,
) -> None:
    log = write_log(tmp_path / "visits.json", [visit("v1", "p1", "2024-04-01", "h9")])
    with pytest.raises(WusheError) as caught:
        load_visit_log(log, dataset=HOUSEHOLDS)
    text = str(caught.value)
    assert str(log) in text
    assert "visits row 1 [v1].household_id" in text


def test_a_repeated_visit_id_is_reported_at_the_row_that_fails(tmp_path: Path) -> None:
    log = write_log(
        tmp_path / "visits.json",
        [
            visit("v1", "p1", "2024-04-01", "h1"),  # fine
            visit("v1", "p3", "2024-04-01", "h1"),  # same id, not a member
        ],
    )
    assert [row[2] for row in rejected(log, HOUSEHOLDS)] == [2]


def test_a_log_that_keeps_to_its_households_loads(tmp_path: Path) -> None:
    log = write_log(
        tmp_path / "visits.json",
        [visit("v1", "p1", "2024-04-01", "h1"), visit("v2", "p3", "2024-04-01", None)],
    )
    visits, _ = load_visit_log(log, dataset=HOUSEHOLDS)
    assert [v.visit_id for v in visits] == ["v1", "v2"]


def test_households_are_not_checked_without_a_dataset_that_keeps_them(
    tmp_path: Path,
) -> None:
    log = write_log(tmp_path / "visits.json", [visit("v1", "p1", "2024-04-01", "h9")])
    no_households = Dataset.model_validate(world())
    assert len(load_visit_log(log)[0]) == 1
    assert len(load_visit_log(log, dataset=no_households)[0]) == 1


def test_an_invalid_visit_is_reported_as_before_and_not_checked_again(
    tmp_path: Path,
) -> None:
    broken = {**visit("v1", "p1", "2024-04-01", "h9"), "visited_at": "never"}
    log = write_log(tmp_path / "visits.json", [broken])
    assert [row[4] for row in rejected(log, HOUSEHOLDS)] == ["visited_at"]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["p1", "p2", "p3"]),
            st.sampled_from(["2024-03-31", "2024-04-01"]),
            st.sampled_from(["h1", "h9", None]),
            st.booleans(),
        ),
        max_size=8,
    )
)
def test_exactly_the_visits_outside_their_household_are_rejected_each_at_its_row(
    tmp_path: Path, entries: list[tuple[str, str, str | None, bool]]
) -> None:
    # Repeated ids (the last flag) on purpose: rows must come from positions, not ids.
    visits = [
        visit("v" if same else f"v{i}", rid, day, hid)
        for i, (rid, day, hid, same) in enumerate(entries)
    ]
    members = {"2024-03-31": {"p1", "p2"}, "2024-04-01": {"p1"}}
    expected = [
        i + 1
        for i, v in enumerate(visits)
        if v["household_id"] == "h9"
        or (
            v["household_id"] == "h1"
            and v["recipient_id"] not in members[v["visited_at"][:10]]
        )
    ]
    log = write_log(tmp_path / "visits.json", visits)
    if not expected:
        assert len(load_visit_log(log, dataset=HOUSEHOLDS)[0]) == len(visits)
        return
    assert [row[2] for row in rejected(log, HOUSEHOLDS)] == expected
