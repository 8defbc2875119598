"""Household membership over time, and visits and needs that name a household (#12)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.io.test_tables import write_csv
from tests.models.test_dataset import issues_of
from tests.models.test_station_records import HOUSEHOLD, world
from wushe.care import VisitRecord, check_visit_households, visits_from_ledger
from wushe.io import load_ledgers
from wushe.models import Activity, Dataset, Household
from wushe.network import HOUSEHOLDS_VISITED, StationNetwork, household_rollup, rollup

DAY0 = date(2024, 1, 1)


def household(**extra: Any) -> dict[str, Any]:
    return {**HOUSEHOLD, **extra}


# --- membership dates -------------------------------------------------------------------


@given(
    st.lists(
        st.tuples(st.none() | st.integers(0, 60), st.none() | st.integers(0, 60)),
        min_size=2,
        max_size=2,
    ),
    st.integers(-5, 70),
)
def test_a_member_counts_only_between_joining_and_leaving(spans, offset):
    dated: dict[str, tuple[date | None, date | None]] = {}
    for rid, (a, b) in zip(("p1", "p2"), spans, strict=True):
        since = None if a is None else DAY0 + timedelta(days=a)
        until = None if b is None else DAY0 + timedelta(days=max(a or 0, b))
        dated[rid] = (since, until)
    rows = [{"recipient_id": r, "since": s, "until": u} for r, (s, u) in dated.items()]
    h = Household.model_validate(household(memberships=rows))
    day = DAY0 + timedelta(days=offset)
    expected = {
        rid
        for rid, (since, until) in dated.items()
        if (since is None or since <= day) and (until is None or day <= until)
    }
    assert h.members_on(day) == expected


def test_memberships_read_from_one_ledger_cell():
    h = Household.model_validate(
        household(memberships="p2 2020年1月1日~2023-06-30；p1 2019-05-01~")
    )
    assert h.membership_of("p2").until == date(2023, 6, 30)
    assert h.membership_of("p1").since == date(2019, 5, 1)
    assert h.members_on(date(2023, 7, 1)) == {"p1"}


@pytest.mark.parametrize(
    ("memberships", "fragment"),
    [
        ([{"recipient_id": "p9"}], "not in member_ids"),
        ([{"recipient_id": "p1"}, {"recipient_id": "p1"}], "twice"),
        (
            [{"recipient_id": "p1", "since": "2024-02-01", "until": "2024-01-01"}],
            "before since",
        ),
    ],
)
def test_memberships_must_fit_the_members(memberships, fragment):
    with pytest.raises(ValidationError, match=fragment):
        Household.model_validate(household(memberships=memberships))


def test_a_member_who_moved_from_one_household_to_another_is_no_clash():
    first = household(memberships=[{"recipient_id": "p2", "until": "2023-12-31"}])
    second = {"household_id": "h2", "community_id": "c1", "member_ids": ["p2"],
              "memberships": [{"recipient_id": "p2", "since": "2024-01-01"}]}  # fmt: skip
    Dataset.model_validate(world(households=[first, second]))
    overlapping = {
        **second,
        "memberships": [{"recipient_id": "p2", "since": "2023-12-31"}],
    }
    assert ("households", "h2", "member_ids", "two_households") in issues_of(
        world(households=[first, overlapping])
    )


def test_a_member_who_left_may_live_elsewhere_now():
    gone = household(member_ids=["p1", "p3"],
                     memberships=[{"recipient_id": "p3", "until": "2022-12-31"}])  # fmt: skip
    Dataset.model_validate(world(households=[gone]))
    still = household(member_ids=["p1", "p3"])
    assert ("households", "h1", "member_ids", "member_elsewhere") in issues_of(
        world(households=[still])
    )


@given(st.integers(-30, 30))
def test_household_rollup_stops_counting_a_member_after_leaving(days):
    left = DAY0 + timedelta(days=days)
    h = household(memberships=[{"recipient_id": "p2", "until": left.isoformat()}])
    ds = Dataset.model_validate(world(households=[h], as_of=DAY0))
    net = StationNetwork.from_dataset(ds)
    result = household_rollup(net)
    (root,) = net.roots
    assert result.total(root, "household_members") == (2 if left >= DAY0 else 1)
    assert result.total(root, "households") == 1


# --- visits and needs naming a household ------------------------------------------------


def visit(vid: str, rid: str, day: str, household_id: str | None) -> VisitRecord:
    return VisitRecord.model_validate(
        {
            "visit_id": vid,
            "recipient_id": rid,
            "visited_at": f"{day}T10:00",
            "household_id": household_id,
        }
    )


def test_a_visit_naming_a_household_is_checked_against_membership_on_the_day():
    h = household(memberships=[{"recipient_id": "p2", "until": "2024-03-31"}])
    ds = Dataset.model_validate(world(households=[h]))
    log = [
        visit("v1", "p2", "2024-03-31", "h1"),  # still a member
        visit("v2", "p2", "2024-04-01", "h1"),  # had left
        visit("v3", "p3", "2024-04-01", "h1"),  # never a member
        visit("v4", "p1", "2024-04-01", "h9"),  # no such household
        visit("v5", "p1", "2024-04-01", None),  # not kept per household
    ]
    found = [(i.record_id, i.field, i.code) for i in check_visit_households(ds, log)]
    assert found == [
        ("v2", "household_id", "not_household_member"),
        ("v3", "household_id", "not_household_member"),
        ("v4", "household_id", "unknown_reference"),
    ]


def test_a_visit_ledger_row_naming_one_household_gives_its_visits_that_household():
    rows = [
        Activity.model_validate(
            {
                "activity_id": "a1",
                "activity_type": "care_visit",
                "held_on": "2024-03-01",
                "station_id": "r1",
                "recipient_ids": ["p1", "p2"],
                "household_ids": ["h1"],
            }
        ),
        Activity.model_validate(
            {
                "activity_id": "a2",
                "activity_type": "care_visit",
                "held_on": "2024-03-01",
                "station_id": "r1",
                "recipient_ids": ["p1"],
                "household_ids": ["h1", "h2"],
            }
        ),
    ]
    assert [(v.visit_id, v.household_id) for v in visits_from_ledger(rows)] == [
        ("a1:p1", "h1"),
        ("a1:p2", "h1"),
        ("a2:p1", None),
    ]


def test_a_visit_ledger_reads_the_household_from_its_chinese_header(tmp_path):
    write_csv(
        tmp_path / "巡访台账.csv",
        [
            ["巡访编号", "巡访日期", "站点", "巡访对象", "户编号", "人次"],
            ["a1", "2024-03-01", "r1", "p1", "h1", "1"],
        ],
    )
    base = Dataset.model_validate(world(households=[HOUSEHOLD]))
    ds = load_ledgers(tmp_path, base=base)
    (row,) = [a for a in ds.activities if a.activity_id == "a1"]
    assert row.household_ids == {"h1"}


@given(st.lists(st.sampled_from(["h1", "h2", None]), max_size=8))
def test_rollup_counts_each_visited_household_once(named):
    second = {"household_id": "h2", "community_id": "c2", "member_ids": ["p3"]}
    activities = [
        {"activity_id": f"a{i}", "activity_type": "care_visit", "held_on": "2024-03-01",
         "station_id": "r1" if h != "h2" else "ts", "person_times": 1,
         "household_ids": [h] if h else []}
        for i, h in enumerate(named)
    ]  # fmt: skip
    activities.append({"activity_id": "ev", "activity_type": "community_event",
                       "held_on": "2024-03-01", "station_id": "ts", "household_ids": ["h2"]})  # fmt: skip
    ds = Dataset.model_validate(
        world(households=[HOUSEHOLD, second], activities=activities)
    )
    net = StationNetwork.from_dataset(ds)
    result = rollup(net, metrics=(HOUSEHOLDS_VISITED,))
    visited = {h for h in named if h}
    assert result.total("ts", HOUSEHOLDS_VISITED) == len(visited)
    assert result.total("r1", HOUSEHOLDS_VISITED) == len(visited - {"h2"})


def test_a_scope_never_names_a_former_member_who_lives_elsewhere_now():
    gone = household(
        member_ids=["p1", "p3"],
        memberships=[{"recipient_id": "p3", "until": "2022-12-31"}],
    )
    ds = Dataset.model_validate(world(households=[gone]))
    net = StationNetwork.from_dataset(ds)
    (kept,) = net.scope("r1").households
    assert kept.member_ids == {"p1"}
    assert "p3" not in repr(kept)
    assert all(m.recipient_id != "p3" for m in kept.memberships)
