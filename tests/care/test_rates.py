from __future__ import annotations

from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.care.strategies import worlds
from tests.strategies import AS_OF
from wushe.care import (
    VisitOutcome,
    VisitPolicy,
    VisitRecord,
    monthly_periods,
    national_monthly_policy,
    responsible_stations,
    visit_rates,
)
from wushe.models import Activity, Period, Recipient, Station
from wushe.network import StationNetwork
from wushe.vocab import ActivityType, StationLevel

PERIODS = monthly_periods(date(2024, 1, 1), AS_OF)


def hub_and_two_streets() -> list[Station]:
    """A district hub with street stations ts1 (510106001) and ts2 (510106002)."""
    return [
        Station(
            station_id="hub",
            name="总站",
            level=StationLevel.COUNTY,
            division_code="510106",
        ),
        *(
            Station(
                station_id=f"ts{k}",
                name=f"街道站{k}",
                level=StationLevel.TOWNSHIP,
                division_code=f"51010600{k}",
                parent_ids=("hub",),
            )
            for k in (1, 2)
        ),
    ]


@settings(max_examples=25)
@given(worlds())
def test_each_station_row_sums_its_subtree_and_its_rate_is_a_ratio_of_sums(world):
    ds, visits = world
    rows = visit_rates(
        ds.recipients,
        visits,
        periods=PERIODS,
        stations=ds.stations,
        station_of=responsible_stations(ds),
    )
    by_key = {(r.station_id, r.start): r for r in rows}
    children: dict[str, list[str]] = {}
    for station in ds.stations:
        for parent in station.parent_ids:
            children.setdefault(parent, []).append(station.station_id)
    # In these tree-shaped worlds the hub's row equals the whole district's.
    for period in PERIODS:
        hub = by_key[("hub", period.start)]
        assert hub.person_times == sum(
            1
            for v in visits
            if v.outcome.is_contact and period.includes(v.visited_at.date())
        )
        for parent, kids in children.items():
            row = by_key[(parent, period.start)]
            assert row.due >= sum(by_key[(k, period.start)].due for k in kids)
            assert row.visited <= row.due
            assert row.rate == (row.visited / row.due if row.due else None)


def elder(rid: str, community: str, groups: list[str]) -> Recipient:
    return Recipient.model_validate(
        {
            "recipient_id": rid,
            "name": "钱桂芳",
            "community_id": community,
            "target_groups": groups,
            "birth_date": "1950-05-01",
            "assessed_on": "2023-12-01",
        }
    )


def test_monthly_rate_counts_due_and_visited_recipients_per_station():
    stations = hub_and_two_streets()
    people = [
        elder("a", "c1", ["失能老人"]),  # key tier: due every month
        elder("b", "c1", ["失能老人"]),
        elder("c", "c2", ["失能老人"]),
        elder("d", "c2", ["残疾人"]),  # general tier: quarterly
    ]
    log = [
        VisitRecord(visit_id="1", recipient_id="a", visited_at=datetime(2024, 1, 5)),
        VisitRecord(visit_id="2", recipient_id="a", visited_at=datetime(2024, 1, 20)),
        VisitRecord(
            visit_id="3",
            recipient_id="b",
            visited_at=datetime(2024, 1, 6),
            outcome=VisitOutcome.NOT_REACHED,
        ),
        VisitRecord(visit_id="4", recipient_id="c", visited_at=datetime(2024, 1, 9)),
    ]
    ledger = [
        Activity(
            activity_id="x",
            activity_type=ActivityType.CARE_VISIT,
            held_on=date(2024, 1, 31),
            station_id="ts2",
            person_times=40,
        )
    ]
    rows = visit_rates(
        people,
        log,
        VisitPolicy(),
        periods=[Period(start=date(2024, 1, 1), end=date(2024, 1, 31))],
        stations=stations,
        station_of={"c1": "ts1", "c2": "ts2"},
        activities=ledger,
    )
    got = {
        r.station_id: (r.due, r.visited, r.person_times, r.ledger_person_times)
        for r in rows
    }
    # d was assessed 2023-12-01: first visit due 2024-02-29, so not due in January.
    assert got == {
        "ts1": (2, 1, 2, 0),
        "ts2": (1, 1, 1, 40),
        "hub": (3, 2, 3, 40),
    }
    hub = next(r for r in rows if r.station_id == "hub")
    assert hub.rate == 2 / 3  # ratio of sums, not the mean of 1/2 and 1/1


def test_recipients_without_a_station_get_their_own_row():
    rows = visit_rates(
        [elder("a", "c9", ["失能老人"])],
        [],
        periods=monthly_periods(date(2024, 1, 1), date(2024, 1, 1)),
        stations=[],
    )
    assert [(r.station_id, r.due, r.visited) for r in rows] == [(None, 1, 0)]
    assert rows[0].rate == 0.0


def test_a_station_with_two_parents_counts_once_at_their_common_ancestor():
    stations = [
        *hub_and_two_streets(),
        Station(
            station_id="school",
            name="驻校社工站",
            level=StationLevel.SCHOOL,
            division_code="510106001",
            parent_ids=("ts1", "ts2"),
        ),
    ]
    rows = visit_rates(
        [elder("a", "c1", ["失能老人"])],
        [VisitRecord(visit_id="1", recipient_id="a", visited_at=datetime(2024, 1, 5))],
        periods=[Period(start=date(2024, 1, 1), end=date(2024, 1, 31))],
        stations=stations,
        station_of={"c1": "school"},
    )
    got = {r.station_id: (r.due, r.visited, r.person_times) for r in rows}
    assert got == {
        "school": (1, 1, 1),
        "ts1": (1, 1, 1),
        "ts2": (1, 1, 1),
        "hub": (1, 1, 1),
    }


def test_visits_with_and_without_a_station_on_one_day_are_both_counted():
    rows = visit_rates(
        [elder("a", "c1", ["失能老人"]), elder("b", "c9", ["失能老人"])],
        [
            VisitRecord(
                visit_id="1", recipient_id="a", visited_at=datetime(2024, 1, 5)
            ),
            VisitRecord(
                visit_id="2", recipient_id="b", visited_at=datetime(2024, 1, 5)
            ),
        ],
        periods=[Period(start=date(2024, 1, 1), end=date(2024, 1, 31))],
        stations=[
            Station(
                station_id="ts1",
                name="街道站",
                level=StationLevel.TOWNSHIP,
                division_code="510106001",
            )
        ],
        station_of={"c1": "ts1"},
    )
    got = {r.station_id: (r.due, r.visited, r.person_times) for r in rows}
    assert got == {"ts1": (1, 1, 1), None: (1, 1, 1)}


@settings(max_examples=25)
@given(worlds(), st.data())
def test_roots_and_the_stationless_row_add_up_to_every_visit(world, data):
    ds, visits = world
    full = responsible_stations(ds)
    partial = {
        k: v for k, v in full.items() if data.draw(st.booleans(), label=f"keep {k}")
    }
    rows = visit_rates(
        ds.recipients, visits, periods=PERIODS, stations=ds.stations, station_of=partial
    )
    for period in PERIODS:
        top = [
            r for r in rows if r.start == period.start and r.station_id in {"hub", None}
        ]
        assert sum(r.person_times for r in top) == sum(
            1
            for v in visits
            if v.outcome.is_contact and period.includes(v.visited_at.date())
        )


@settings(max_examples=20)
@given(worlds())
def test_a_station_network_gives_the_same_rates_as_the_station_list(world):
    ds, visits = world
    network = StationNetwork.from_dataset(ds)
    by_list = visit_rates(
        ds.recipients,
        visits,
        periods=PERIODS,
        stations=ds.stations,
        station_of=responsible_stations(ds),
    )
    by_network = visit_rates(ds.recipients, visits, periods=PERIODS, stations=network)
    assert by_network == by_list


def test_national_monthly_rate_counts_every_calendar_month_including_february():
    elder = Recipient.model_validate(
        {
            "recipient_id": "a",
            "name": "钱桂芳",
            "community_id": "c1",
            "target_groups": ["空巢老人"],
            "birth_date": "1950-05-01",
            "assessed_on": "2023-12-01",
        }
    )
    # Seen on 31 January and 1 March: 30 days apart, but no contact in February.
    log = [
        VisitRecord(visit_id="1", recipient_id="a", visited_at=datetime(2024, 1, 31)),
        VisitRecord(visit_id="2", recipient_id="a", visited_at=datetime(2024, 3, 1)),
    ]
    rows = visit_rates(
        [elder],
        log,
        national_monthly_policy(),
        periods=monthly_periods(date(2024, 1, 1), date(2024, 3, 31)),
        stations=hub_and_two_streets(),
        station_of={"c1": "ts1"},
    )
    by_month = {
        r.start.month: (r.due, r.visited) for r in rows if r.station_id == "ts1"
    }
    assert by_month == {1: (1, 1), 2: (1, 0), 3: (1, 1)}
