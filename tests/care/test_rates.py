from __future__ import annotations

from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.care.strategies import worlds
from tests.networks import network_of
from tests.strategies import AS_OF
from wushe.care import (
    VisitOutcome,
    VisitPolicy,
    VisitRecord,
    monthly_periods,
    national_monthly_policy,
    visit_rates,
)
from wushe.models import Activity, Period, Recipient, Station
from wushe.network import StationNetwork
from wushe.vocab import ActivityType, StationLevel

PERIODS = monthly_periods(date(2024, 1, 1), AS_OF)


# c1 lies in street 510106001 (station ts1), c2 in 510106002 (ts2), c9 in 510106003 (none).
COMMUNITIES = {"c1": "510106001001", "c2": "510106002001", "c9": "510106003001"}


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
        ds.recipients, visits, periods=PERIODS, network=StationNetwork.from_dataset(ds)
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
    network = network_of(hub_and_two_streets(), COMMUNITIES)
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
        network=network,
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


def test_without_a_network_everyone_is_in_the_stationless_row():
    rows = visit_rates(
        [elder("a", "c9", ["失能老人"])],
        [],
        periods=monthly_periods(date(2024, 1, 1), date(2024, 1, 1)),
    )
    assert [(r.station_id, r.due, r.visited) for r in rows] == [(None, 1, 0)]
    assert rows[0].rate == 0.0


def test_a_station_with_two_parents_counts_once_at_their_common_ancestor():
    network = network_of(
        [
            *hub_and_two_streets(),
            Station(
                station_id="school",
                name="驻校社工站",
                level=StationLevel.SCHOOL,
                division_code="510106001",
                parent_ids=("ts1", "hub"),
            ),
        ],
        COMMUNITIES,
    )
    rows = visit_rates(
        [elder("a", "c1", ["失能老人"])],
        [
            VisitRecord(
                visit_id="1",
                recipient_id="a",
                visited_at=datetime(2024, 1, 5),
                station_id="school",
            )
        ],
        periods=[Period(start=date(2024, 1, 1), end=date(2024, 1, 31))],
        network=network,
    )
    got = {r.station_id: (r.due, r.visited, r.person_times) for r in rows}
    assert got == {
        "school": (0, 0, 1),
        "ts1": (1, 1, 1),
        "ts2": (0, 0, 0),
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
        network=network_of(
            [
                Station(
                    station_id="ts1",
                    name="街道站",
                    level=StationLevel.TOWNSHIP,
                    division_code="510106001",
                )
            ],
            COMMUNITIES,
        ),
    )
    got = {r.station_id: (r.due, r.visited, r.person_times) for r in rows}
    assert got == {"ts1": (1, 1, 1), None: (1, 1, 1)}


@settings(max_examples=25)
@given(worlds(), st.data())
def test_a_network_scoped_to_a_station_gives_that_stations_rows_and_the_rest_unplaced(
    world, data
):
    ds, visits = world
    network = StationNetwork.from_dataset(ds)
    top = data.draw(st.sampled_from(network.station_ids), label="scope")
    street = network.subnetwork(top)
    whole = visit_rates(ds.recipients, visits, periods=PERIODS, network=network)
    rows = visit_rates(ds.recipients, visits, periods=PERIODS, network=street)
    # By hand: the district's rows of the stations in scope, and everything else unplaced.
    inside = {r for r in whole if r.station_id in street}
    assert {r for r in rows if r.station_id is not None} == inside
    for period in PERIODS:
        [root] = [r for r in rows if r.start == period.start and r.station_id == top]
        unplaced = [r for r in rows if r.start == period.start and r.station_id is None]
        contacts = sum(
            1
            for v in visits
            if v.outcome.is_contact and period.includes(v.visited_at.date())
        )
        assert root.person_times + sum(r.person_times for r in unplaced) == contacts


def test_visits_and_ledger_rows_after_as_of_are_left_out():
    network = network_of(hub_and_two_streets(), COMMUNITIES)
    log = [
        VisitRecord(visit_id="1", recipient_id="a", visited_at=datetime(2024, 1, 5)),
        VisitRecord(visit_id="2", recipient_id="a", visited_at=datetime(2024, 1, 20)),
    ]
    ledger = [
        Activity(
            activity_id=f"x{day}",
            activity_type=ActivityType.CARE_VISIT,
            held_on=date(2024, 1, day),
            station_id="ts1",
            person_times=10,
        )
        for day in (5, 20)
    ]
    january = [Period(start=date(2024, 1, 1), end=date(2024, 1, 31))]
    [row] = [
        r
        for r in visit_rates(
            [elder("a", "c1", ["失能老人"])],
            log,
            periods=january,
            network=network,
            as_of=date(2024, 1, 10),
            activities=ledger,
        )
        if r.station_id == "ts1"
    ]
    assert (row.visited, row.person_times, row.ledger_person_times) == (1, 1, 10)


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
        network=network_of(hub_and_two_streets(), COMMUNITIES),
    )
    by_month = {
        r.start.month: (r.due, r.visited) for r in rows if r.station_id == "ts1"
    }
    assert by_month == {1: (1, 1), 2: (1, 0), 3: (1, 1)}
