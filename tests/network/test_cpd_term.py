"""Continuing-education hours per registration term (登记周期继续教育, #12)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from wushe import examples
from wushe.models import Dataset, SocialWorker, Training
from wushe.network import CpdRequirement, cpd_term_status
from wushe.vocab import Qualification

END = date(2025, 6, 30)


def world(trainings: list[Training], **worker: object) -> Dataset:
    w = SocialWorker.model_validate(
        {
            "worker_id": "w1",
            "name": "李敏",
            "qualification": "社会工作师",
            "registered_until": END,
        }
        | worker
    )
    return examples.load("qixinggang").model_copy(
        update={"workers": (w,), "trainings": tuple(trainings)}
    )


def course(i: int, day: date, hours: int, *, counts: bool = True) -> Training:
    return Training.model_validate(
        {
            "training_id": f"t{i}",
            "title": "课程",
            "held_on": day,
            "station_id": "qxg-ts",
            "hours": hours,
            "attendee_ids": ["w1"],
            "counts_for_cpd": counts,
        }
    )


# The term's first and last days (offsets 0 and 1095 from 2022-07-01) and their neighbours.
EDGES = st.sampled_from([-1, 0, 1, 600, 1094, 1095, 1096])


@given(
    st.lists(
        st.tuples(EDGES | st.integers(-400, 1500), st.integers(1, 20), st.booleans()),
        max_size=8,
    ),
    st.none() | EDGES | st.integers(0, 1200),
)
def test_the_term_counts_exactly_the_courses_held_inside_it_up_to_the_day(rows, cut):
    start = date(2022, 7, 1)
    trainings = [
        course(i, start + timedelta(days=d), h, counts=c)
        for i, (d, h, c) in enumerate(rows)
    ]
    on = None if cut is None else start + timedelta(days=cut)
    (row,) = cpd_term_status(world(trainings), on=on)
    last = END if on is None else min(END, on)
    assert row.period is not None
    assert (row.period.start, row.period.end) == (start, END)
    assert row.hours == sum(
        Decimal(h)
        for d, h, c in rows
        if c and start <= start + timedelta(days=d) <= last
    )
    assert row.required == Decimal(90)
    assert row.met == (row.hours >= 90)


def test_a_local_rule_sets_the_term_length_and_hours():
    rule = CpdRequirement(
        term_years=2, term_hours={Qualification.INTERMEDIATE: Decimal(40)}
    )
    trainings = [course(1, date(2023, 6, 30), 30), course(2, date(2023, 7, 1), 30)]
    (row,) = cpd_term_status(world(trainings), requirement=rule)
    assert row.period is not None
    assert row.period.start == date(2023, 7, 1)
    assert (row.hours, row.required, row.met) == (Decimal(30), Decimal(40), False)


def test_a_worker_without_a_registration_term_has_no_requirement():
    (row,) = cpd_term_status(
        world([course(1, date(2024, 1, 1), 8)], registered_until=None)
    )
    assert (row.period, row.hours, row.required, row.met) == (
        None,
        Decimal(0),
        None,
        True,
    )


def test_a_term_ending_on_29_february_starts_on_1_march():
    (row,) = cpd_term_status(world([], registered_until=date(2028, 2, 29)))
    assert row.period is not None
    assert row.period.start == date(2025, 3, 1)
