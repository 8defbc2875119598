"""The station's own records: households, person links, cases, referrals, supervision, training."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.models.test_dataset import issues_of, minimal
from tests.strategies import CASE_NOTES, full_consents, station_records
from wushe.models import (
    Case,
    CaseSession,
    Dataset,
    Household,
    PersonIndex,
    PersonLink,
    Referral,
    Supervision,
    Training,
    count_people,
)
from wushe.privacy import REVEAL
from wushe.vocab import CasePhase, HouseholdStatus, ReferralStatus

# --- a small world ----------------------------------------------------------------------


SHARED = full_consents(guardian=False, on=date(2024, 1, 1))
"""Consent to what matching shares (#10), so the consent gate is not what is tested."""


def world(**extra: Any) -> dict[str, Any]:
    """Two communities, two recipients in c1, one in c2, a worker and a volunteer."""
    base = minimal(
        communities=[
            {
                "community_id": "c2",
                "name": "民生路社区",
                "division_code": "500103001002",
            }
        ],
        recipients=[
            {"recipient_id": rid, "name": name, "community_id": cid, "consents": SHARED}
            for rid, name, cid in (
                ("p1", "钱桂芳", "c1"),
                ("p2", "钱建国", "c1"),
                ("p3", "孙丽", "c2"),
            )
        ],
        workers=[{"worker_id": "w1", "name": "李敏", "station_id": "ts"}],
        volunteers=[{"volunteer_id": "v1", "name": "钱桂芳"}],
        needs=[
            {
                "need_id": "n1",
                "recipient_id": "p1",
                "category": "social_assistance",
                "roles": [{"role": "lead_social_worker"}],
                "raised_on": "2024-03-01",
            }
        ],
    )
    for key, value in extra.items():
        base[key] = base.get(key, []) + value if isinstance(value, list) else value
    return base


HOUSEHOLD = {
    "household_id": "h1",
    "community_id": "c1",
    "member_ids": ["p1", "p2"],
    "head_id": "p1",
    "statuses": [{"status": "dibao", "since": "2021-01-01"}],
}
CASE = {
    "case_id": "k1",
    "recipient_id": "p1",
    "worker_id": "w1",
    "station_id": "ts",
    "need_id": "n1",
    "phases": [
        {"phase": "intake", "entered_on": "2024-03-02"},
        {"phase": "assessment", "entered_on": "2024-03-09"},
    ],
}


def test_a_consistent_world_loads():
    ds = Dataset.model_validate(
        world(
            households=[HOUSEHOLD],
            person_links=[
                {"person_id": "x", "recipient_ids": ["p1"], "volunteer_ids": ["v1"]}
            ],
            cases=[CASE],
            case_sessions=[
                {
                    "session_id": "s1",
                    "case_id": "k1",
                    "held_on": "2024-03-05",
                    "duration_minutes": 60,
                }
            ],
        )
    )
    assert ds.cases[0].phase is CasePhase.ASSESSMENT
    assert (
        count_people(ds) == 4
    )  # three recipients, one worker; p1 and v1 are one person


# --- households -------------------------------------------------------------------------


def test_household_member_in_another_community_is_named():
    bad = {**HOUSEHOLD, "member_ids": ["p1", "p3"]}
    assert ("households", "h1", "member_ids", "member_elsewhere") in issues_of(
        world(households=[bad])
    )


def test_recipient_in_two_households_is_named_on_the_second():
    second = {**HOUSEHOLD, "household_id": "h2", "member_ids": ["p2"], "head_id": None}
    assert ("households", "h2", "member_ids", "two_households") in issues_of(
        world(households=[HOUSEHOLD, second])
    )


def test_household_member_that_does_not_exist_is_named():
    bad = {**HOUSEHOLD, "member_ids": ["p1", "ghost"]}
    assert ("households", "h1", "member_ids", "unknown_reference") in issues_of(
        world(households=[bad])
    )


def test_need_naming_a_household_its_recipient_is_not_in_is_named():
    data = world(households=[{**HOUSEHOLD, "member_ids": ["p2"], "head_id": "p2"}])
    data["needs"][0]["household_id"] = "h1"
    assert ("needs", "n1", "household_id", "not_household_member") in issues_of(data)


@pytest.mark.parametrize(
    ("statuses", "fragment"),
    [
        (
            [
                {"status": "dibao", "since": "2021-01-01"},
                {"status": "near_dibao", "since": "2022-01-01"},
            ],
            "overlap",
        ),
        (
            [
                {"status": "dibao", "since": "2021-01-01", "until": "2021-12-31"},
                {"status": "dibao", "since": "2021-06-01"},
            ],
            "overlap",
        ),
        ([{"status": "dibao", "since": "2021-01-01", "until": "2020-01-01"}], "until"),
    ],
)
def test_household_status_history_must_be_consistent(statuses, fragment):
    with pytest.raises(ValidationError, match=fragment):
        Household.model_validate({**HOUSEHOLD, "statuses": statuses})


def test_dibao_then_near_dibao_without_overlap_is_a_history():
    h = Household.model_validate(
        {
            **HOUSEHOLD,
            "statuses": "低保 2021-01-01~2022-12-31；低保边缘 2023-01-01~",
        }
    )
    assert h.statuses_on(date(2022, 6, 1)) == {HouseholdStatus.DIBAO}
    assert h.statuses_on(date(2024, 6, 1)) == {HouseholdStatus.NEAR_DIBAO}
    assert h.statuses_on(date(2020, 6, 1)) == frozenset()


def test_household_head_must_be_a_member():
    with pytest.raises(ValidationError, match="head_id"):
        Household.model_validate({**HOUSEHOLD, "head_id": "p3"})


# --- people -----------------------------------------------------------------------------


def test_a_link_with_one_role_is_rejected():
    with pytest.raises(ValidationError, match="at least two"):
        PersonLink(person_id="x", recipient_ids=frozenset({"p1"}))


def test_a_role_record_linked_to_two_people_is_named():
    links = [
        {"person_id": "x", "recipient_ids": ["p1"], "volunteer_ids": ["v1"]},
        {"person_id": "y", "recipient_ids": ["p2"], "volunteer_ids": ["v1"]},
    ]
    assert ("person_links", "y", "volunteer_ids", "linked_twice") in issues_of(
        world(person_links=links)
    )


def test_linked_records_with_different_birth_dates_are_named():
    data = world(
        person_links=[
            {"person_id": "x", "recipient_ids": ["p1"], "volunteer_ids": ["v1"]}
        ]
    )
    data["recipients"][0]["birth_date"] = "1950-01-01"
    data["volunteers"][0]["birth_date"] = "1960-01-01"
    assert ("person_links", "x", "volunteer_ids", "person_mismatch") in issues_of(data)


def test_person_index_counts_a_recipient_who_volunteers_once():
    index = PersonIndex(
        [
            PersonLink(
                person_id="x",
                recipient_ids=frozenset({"p1"}),
                worker_ids=frozenset({"w1"}),
            )
        ]
    )
    assert index.count(recipient_ids=["p1", "p2"], worker_ids=["w1", "w2"]) == 3
    assert index.same_person("recipients", "p1", "workers", "w1")
    assert not index.same_person("recipients", "p2", "workers", "w1")


# --- cases ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phases", "fragment"),
    [
        ("预估 2024-03-01", "start with 接案"),
        ("接案 2024-03-01；计划 2024-03-02", "cannot move from 接案 to 计划"),
        ("接案 2024-03-05；预估 2024-03-01", "before"),
        ("接案 2024-03-01；结案 2024-03-02；预估 2024-03-03", "cannot move from 结案"),
    ],
)
def test_case_phases_follow_the_casework_process(phases, fragment):
    with pytest.raises(ValidationError, match=fragment):
        Case.model_validate({**CASE, "phases": phases, "closing_reason": "other"})


def test_evaluation_may_send_a_case_back_to_intervention():
    case = Case.model_validate(
        {
            **CASE,
            "phases": "接案 2024-03-01；预估 2024-03-02；计划 2024-03-03；"
            "介入 2024-03-04；评估 2024-04-01；介入 2024-04-02；评估 2024-05-01；"
            "结案 2024-05-02",
            "closing_reason": "目标达成",
        }
    )
    assert case.closed_on == date(2024, 5, 2)
    assert case.phase_on(date(2024, 4, 15)) is CasePhase.INTERVENTION


def test_a_closed_case_needs_a_closing_reason_and_an_open_one_none():
    closing = {**CASE, "phases": "接案 2024-03-01；结案 2024-03-02"}
    with pytest.raises(ValidationError, match="closing_reason is required"):
        Case.model_validate(closing)
    with pytest.raises(ValidationError, match="not closed"):
        Case.model_validate({**CASE, "closing_reason": "goals_met"})


def test_case_for_another_recipients_need_is_named():
    assert ("cases", "k1", "need_id", "recipient_mismatch") in issues_of(
        world(cases=[{**CASE, "recipient_id": "p2"}])
    )


def test_session_outside_its_case_is_named():
    session = {
        "session_id": "s1",
        "case_id": "k1",
        "held_on": "2024-03-01",
        "duration_minutes": 30,
    }
    assert ("case_sessions", "s1", "held_on", "outside_case_period") in issues_of(
        world(cases=[CASE], case_sessions=[session])
    )


# --- referrals --------------------------------------------------------------------------

REFERRAL = {
    "referral_id": "r1",
    "recipient_id": "p1",
    "station_id": "ts",
    "unit": "教育",
    "sent_on": "2024-03-10",
}


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ({"status": "accepted"}, "does not agree"),
        ({"accepted_on": "2024-03-11"}, "does not agree"),
        ({"status": "closed", "closed_on": "2024-03-20"}, "feedback"),
        ({"status": "accepted", "accepted_on": "2024-03-01"}, "before sent_on"),
        (
            {
                "status": "closed",
                "feedback_on": "2024-03-25",
                "closed_on": "2024-03-20",
            },
            "before feedback_on",
        ),
    ],
)
def test_referral_status_agrees_with_its_dates(extra, fragment):
    with pytest.raises(ValidationError, match=fragment):
        Referral.model_validate({**REFERRAL, **extra})


def test_feedback_closes_a_referral():
    r = Referral.model_validate(
        {
            **REFERRAL,
            "status": "已办结",
            "accepted_on": "2024-03-11",
            "feedback_on": "2024-03-20",
            "closed_on": "2024-03-21",
            "feedback": "已协调入学",
        }
    )
    assert r.is_closed
    assert r.status_on(date(2024, 3, 15)) is ReferralStatus.ACCEPTED
    assert r.status_on(date(2024, 3, 1)) is None


def test_referral_for_another_recipients_case_is_named():
    referral = {**REFERRAL, "recipient_id": "p2", "case_id": "k1"}
    assert ("referrals", "r1", "case_id", "recipient_mismatch") in issues_of(
        world(cases=[CASE], referrals=[referral])
    )


# --- supervision and training -----------------------------------------------------------


def test_a_supervisor_does_not_supervise_themself():
    with pytest.raises(ValidationError, match="supervisor_id"):
        Supervision.model_validate(
            {
                "supervision_id": "sv1",
                "held_on": "2024-03-01",
                "station_id": "ts",
                "hours": "2",
                "supervisor_id": "w1",
                "supervisee_ids": ["w1"],
            }
        )


def test_training_person_times_cover_the_attendees_on_record():
    with pytest.raises(ValidationError, match="person_times"):
        Training.model_validate(
            {
                "training_id": "t1",
                "title": "社会救助工作理论",
                "held_on": "2024-03-01",
                "station_id": "ts",
                "hours": "3",
                "attendee_ids": ["w1", "w2"],
                "person_times": 1,
            }
        )


def test_supervision_of_unknown_communities_is_named():
    sv = {
        "supervision_id": "sv1",
        "held_on": "2024-03-01",
        "station_id": "ts",
        "hours": "2",
        "community_ids": ["nowhere"],
    }
    assert ("supervisions", "sv1", "community_ids", "unknown_reference") in issues_of(
        world(supervisions=[sv])
    )


# --- properties -------------------------------------------------------------------------


@given(station_records())
def test_station_records_round_trip_through_json(ds):
    text = ds.model_dump_json(context=REVEAL)
    assert Dataset.model_validate_json(text) == ds


@given(station_records())
def test_no_sensitive_note_or_name_leaks_into_default_outputs(ds):
    names = {r.name.reveal() for r in ds.recipients} | {
        w.name.reveal() for w in ds.workers
    }
    records = (*ds.households, *ds.person_links, *ds.cases, *ds.case_sessions)
    for record in records:
        for text in (repr(record), str(record), record.model_dump_json()):
            assert CASE_NOTES not in text
            assert not any(len(n) > 1 and n in text for n in names)
    assert CASE_NOTES not in ds.model_dump_json()


_BREAKERS = {
    "households": ("member_ids", "unknown_reference"),
    "cases": ("worker_id", "unknown_reference"),
    "case_sessions": ("case_id", "unknown_reference"),
    "referrals": ("station_id", "unknown_reference"),
    "supervisions": ("station_id", "unknown_reference"),
    "trainings": ("station_id", "unknown_reference"),
    "person_links": ("volunteer_ids", "unknown_reference"),
    "contracts": ("project_id", "unknown_reference"),
    "spendings": ("contract_id", "unknown_reference"),
    "incubators": ("station_id", "unknown_reference"),
    "incubations": ("organization_id", "unknown_reference"),
    "child_welfare_posts": ("worker_id", "unknown_reference"),
    "grids": ("grid_worker_ids", "unknown_reference"),
}


_ID_FIELD = {
    "households": "household_id",
    "cases": "case_id",
    "case_sessions": "session_id",
    "referrals": "referral_id",
    "supervisions": "supervision_id",
    "trainings": "training_id",
    "person_links": "person_id",
    "contracts": "contract_id",
    "spendings": "spending_id",
    "incubators": "incubator_id",
    "incubations": "incubation_id",
    "child_welfare_posts": "post_id",
    "grids": "grid_id",
}


@given(station_records(), st.data())
def test_a_broken_reference_is_reported_on_its_record_and_field(ds, data):
    original = ds.model_dump(mode="json", context=REVEAL)
    for collection, (field, code) in _BREAKERS.items():
        if not original[collection]:
            continue
        broken = ds.model_dump(mode="json", context=REVEAL)
        index = data.draw(st.integers(0, len(broken[collection]) - 1))
        record = broken[collection][index]
        value = record[field]
        record[field] = [*value, "ghost"] if isinstance(value, list) else "ghost"
        expected = (collection, record[_ID_FIELD[collection]], field, code)
        assert expected in issues_of(broken)


@given(station_records())
def test_sessions_never_fall_outside_their_cases(ds):
    cases = {c.case_id: c for c in ds.cases}
    for s in ds.case_sessions:
        case = cases[s.case_id]
        assert case.opened_on <= s.held_on
        assert case.closed_on is None or s.held_on <= case.closed_on


def test_session_notes_are_masked_but_kept_for_the_dataset_file():
    s = CaseSession(
        session_id="s1",
        case_id="k1",
        held_on=date(2024, 3, 5),
        duration_minutes=45,
        notes=CASE_NOTES,  # type: ignore[arg-type]
    )
    assert CASE_NOTES not in repr(s)
    assert CASE_NOTES not in s.model_dump_json()
    assert CASE_NOTES in s.model_dump_json(context=REVEAL)


def test_the_json_schema_lists_every_record_and_marks_its_sensitive_fields():
    schema = Dataset.model_json_schema()
    for collection in (
        "households",
        "person_links",
        "cases",
        "case_sessions",
        "referrals",
        "supervisions",
        "trainings",
    ):
        assert collection in schema["properties"]
    defs = schema["$defs"]
    for model, field in [
        ("CaseSession", "notes"),
        ("Case", "summary"),
        ("Referral", "feedback"),
        ("Household", "address"),
    ]:
        (text,) = [s for s in defs[model]["properties"][field]["anyOf"] if "type" in s][
            :1
        ]
        assert "x-sensitive" in text
