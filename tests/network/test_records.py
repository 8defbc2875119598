"""Roll-ups and summaries of the station's records: cases, referrals, supervision, training."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import networkx as nx
from hypothesis import given

from tests.models.test_dataset import issues_of
from tests.models.test_station_records import CASE, HOUSEHOLD, REFERRAL, world
from tests.strategies import station_records
from wushe.models import Dataset, Period, PersonIndex
from wushe.network import (
    HOUSEHOLDS_SERVED,
    CpdRequirement,
    StationNetwork,
    cpd_status,
    distinct_people,
    household_rollup,
    record_rollup,
    rollup,
    supervision_summary,
    training_summary,
)
from wushe.vocab import HouseholdStatus, Qualification, SupervisionMode


def as_int(value: object) -> int:
    assert isinstance(value, int)
    return value


# --- cases and sessions are counted apart -----------------------------------------------


def eight_sessions() -> Dataset:
    sessions = [
        {
            "session_id": f"s{i}",
            "case_id": "k1",
            "held_on": f"2024-03-{10 + i:02d}",
            "duration_minutes": 30,
        }
        for i in range(8)
    ]
    return Dataset.model_validate(world(cases=[CASE], case_sessions=sessions))


def test_a_case_with_eight_sessions_is_one_case_and_eight_sessions():
    net = StationNetwork.from_dataset(eight_sessions())
    result = record_rollup(net)
    assert result.total("ts", "cases.opened") == 1
    assert result.total("ts", "case_sessions") == 8
    assert result.total("ts", "case_sessions.hours") == Decimal(4)


def test_sessions_count_at_their_cases_station_and_above():
    net = StationNetwork.from_dataset(eight_sessions())
    result = record_rollup(net)
    assert result.own("r1", "case_sessions") == 0
    assert result.own("ts", "case_sessions") == 8


@given(station_records())
def test_record_rollup_totals_equal_the_records_below_each_station(ds):
    net = StationNetwork.from_dataset(ds)
    result = record_rollup(net)
    cases = {c.case_id: c for c in ds.cases}
    for sid in net:
        below = nx.descendants(net.graph, sid) | {sid}
        assert result.total(sid, "cases.opened") == sum(
            c.station_id in below for c in ds.cases
        )
        assert result.total(sid, "cases.closed") == sum(
            c.station_id in below and c.is_closed for c in ds.cases
        )
        assert result.total(sid, "case_sessions") == sum(
            cases[s.case_id].station_id in below for s in ds.case_sessions
        )
        assert result.total(sid, "referrals.sent") == sum(
            r.station_id in below for r in ds.referrals
        )
        assert result.total(sid, "supervision.sessions") == sum(
            s.station_id in below for s in ds.supervisions
        )
    assert result.grand_total("cases.opened") == len(ds.cases)
    assert result.grand_total("case_sessions") == len(ds.case_sessions)


@given(station_records())
def test_referral_rates_are_ratios_of_sums(ds):
    net = StationNetwork.from_dataset(ds)
    result = record_rollup(net)
    for sid in net:
        sent = as_int(result.total(sid, "referrals.sent"))
        closed = as_int(result.total(sid, "referrals.closed"))
        needs = as_int(result.total(sid, "needs.raised"))
        rate = result.total(sid, "referrals.rate")
        assert rate == (None if needs == 0 else sent / needs)
        closure = result.total(sid, "referrals.closure_rate")
        assert closure == (None if sent == 0 else closed / sent)


def test_referral_rate_and_closure_rate_of_one_station():
    closed = {
        **REFERRAL,
        "referral_id": "r2",
        "status": "closed",
        "feedback_on": "2024-03-20",
        "closed_on": "2024-03-21",
    }
    ds = Dataset.model_validate(world(referrals=[REFERRAL, closed]))
    result = record_rollup(StationNetwork.from_dataset(ds))
    assert result.total("ts", "referrals.sent") == 2
    assert result.total("ts", "referrals.closure_rate") == 0.5
    assert result.total("ts", "needs.raised") == 1
    assert result.total("ts", "referrals.rate") == 2.0


def test_record_rollup_by_quarter_places_each_case_in_its_intake_quarter():
    net = StationNetwork.from_dataset(eight_sessions())
    q1 = Period(start=date(2024, 1, 1), end=date(2024, 3, 31))
    q2 = Period(start=date(2024, 4, 1), end=date(2024, 6, 30))
    result = record_rollup(net, period=[q1, q2])
    assert result.total("ts", "cases.opened", period=q1) == 1
    assert result.total("ts", "cases.opened", period=q2) == 0


# --- households -------------------------------------------------------------------------


def test_households_and_members_count_once_up_the_tree():
    second = {
        "household_id": "h2",
        "community_id": "c2",
        "member_ids": ["p3"],
        "statuses": [{"status": "near_dibao", "since": "2022-01-01"}],
    }
    ds = Dataset.model_validate(world(households=[HOUSEHOLD, second]))
    net = StationNetwork.from_dataset(ds)
    result = household_rollup(net, on=date(2024, 1, 1))
    assert result.total("ts", "households") == 2
    assert result.total("ts", "household_members") == 3
    dibao = household_rollup(net, on=date(2024, 1, 1), status=HouseholdStatus.DIBAO)
    assert dibao.total("ts", "households") == 1
    assert (
        household_rollup(net, on=date(2020, 1, 1), status=HouseholdStatus.DIBAO).total(
            "ts", "households"
        )
        == 0
    )


def test_visits_can_count_households_served():
    activity: dict[str, Any] = {
        "activity_id": "a1",
        "activity_type": "care_visit",
        "held_on": "2024-03-05",
        "station_id": "r1",
        "recipient_ids": ["p1", "p2"],
        "household_ids": ["h1"],
    }
    again = {**activity, "activity_id": "a2"}
    ds = Dataset.model_validate(
        world(households=[HOUSEHOLD], activities=[activity, again])
    )
    result = rollup(StationNetwork.from_dataset(ds), metrics=[HOUSEHOLDS_SERVED])
    assert result.total("ts", "households_served") == 1


def test_a_visit_naming_an_unknown_household_is_rejected():
    activity = {
        "activity_id": "a1",
        "activity_type": "care_visit",
        "held_on": "2024-03-05",
        "station_id": "r1",
        "household_ids": ["nowhere"],
    }
    assert ("activities", "a1", "household_ids", "unknown_reference") in issues_of(
        world(activities=[activity])
    )


# --- people -----------------------------------------------------------------------------


def test_a_recipient_who_volunteers_at_an_activity_is_one_person():
    activity = {
        "activity_id": "a1",
        "activity_type": "volunteer_service",
        "held_on": "2024-03-05",
        "station_id": "r1",
        "recipient_ids": ["p1", "p2"],
        "volunteer_ids": ["v1"],
        "worker_ids": ["w1"],
    }
    link = {"person_id": "x", "recipient_ids": ["p1"], "volunteer_ids": ["v1"]}
    ds = Dataset.model_validate(world(person_links=[link], activities=[activity]))
    metric = distinct_people(PersonIndex.from_dataset(ds))
    result = rollup(StationNetwork.from_dataset(ds), metrics=[metric])
    assert result.total("ts", "distinct_people") == 3
    naive = rollup(
        StationNetwork.from_dataset(ds), metrics=[distinct_people(PersonIndex([]))]
    )
    assert naive.total("ts", "distinct_people") == 4


# --- supervision, training, continuing education ----------------------------------------


def supervision(i: int, **extra: Any) -> dict[str, Any]:
    return {
        "supervision_id": f"sv{i}",
        "held_on": f"2024-0{i + 1}-10",
        "station_id": "ts",
        "hours": "2",
        **extra,
    }


def test_supervision_counts_streets_and_communities_reached():
    ds = Dataset.model_validate(
        world(
            supervisions=[
                supervision(0, station_ids=["r1"], supervisee_ids=["w1"]),
                supervision(1, community_ids=["c1", "c2"], mode="online"),
                supervision(2, station_ids=["ts"], person_times=12),
            ]
        )
    )
    s = supervision_summary(ds)
    assert (s.sessions, s.streets, s.communities) == (3, 1, 2)
    assert s.person_times == 1 + 0 + 12
    field = supervision_summary(ds, mode=SupervisionMode.FIELD)
    assert (field.sessions, field.communities) == (2, 1)
    march = Period(start=date(2024, 3, 1), end=date(2024, 3, 31))
    assert supervision_summary(ds, period=march).sessions == 1


@given(station_records())
def test_supervision_reach_is_what_the_sessions_list(ds):
    s = supervision_summary(ds)
    listed = {c for v in ds.supervisions for c in v.community_ids}
    assert listed <= s.community_ids
    code = {c.community_id: c.division_code for c in ds.communities}
    assert {code[c][:9] for c in listed} <= s.street_codes
    assert s.sessions == len(ds.supervisions)


def training(i: int, **extra: Any) -> dict[str, Any]:
    return {
        "training_id": f"t{i}",
        "title": f"课程{i}",
        "held_on": f"2024-0{i + 1}-15",
        "station_id": "ts",
        "hours": "6",
        **extra,
    }


def test_training_person_times_include_people_not_on_record():
    ds = Dataset.model_validate(
        world(
            trainings=[
                training(0, attendee_ids=["w1"], person_times=90),
                training(1, attendee_ids=["w1"]),
                training(2, kind="study_visit", person_times=40),
            ]
        )
    )
    t = training_summary(ds)
    assert (t.events, t.person_times, t.hours) == (3, 90 + 1 + 40, Decimal(18))


def test_cpd_compares_a_years_hours_with_the_yearly_share_of_the_term():
    data = world(
        trainings=[
            training(0, attendee_ids=["w1"], hours="20"),
            training(1, attendee_ids=["w1"], hours="5", counts_for_cpd=False),
        ]
    )
    data["workers"][0]["qualification"] = "assistant"
    ds = Dataset.model_validate(data)
    (row,) = cpd_status(ds, 2024)
    assert (row.hours, row.required, row.met, row.shortfall) == (
        Decimal(20),
        Decimal(24),
        False,
        Decimal(4),
    )
    local = CpdRequirement(term_hours={Qualification.ASSISTANT: Decimal(60)})
    assert cpd_status(ds, 2024, requirement=local)[0].met
    assert cpd_status(ds, 2023)[0].hours == 0


def test_uncertified_workers_have_no_requirement_unless_configured():
    ds = Dataset.model_validate(world())
    (row,) = cpd_status(ds, 2024)
    assert row.required is None
    assert row.met
    strict = CpdRequirement(uncertified_hours=Decimal(12))
    assert not cpd_status(ds, 2024, requirement=strict)[0].met


def test_the_default_requirement_names_its_source():
    assert "72" in CpdRequirement().source
    assert "90" in CpdRequirement().source
