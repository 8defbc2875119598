from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.care.strategies import worlds
from tests.strategies import AS_OF
from wushe import examples, load_dataset
from wushe.care import (
    DueReason,
    IncidentKind,
    IncidentReport,
    TierRule,
    VisitMethod,
    VisitOutcome,
    VisitPolicy,
    VisitRecord,
    VisitTier,
    overdue,
    responsible_stations,
    schedule,
    visits_from_ledger,
)
from wushe.models import Activity, Recipient
from wushe.network import StationNetwork
from wushe.privacy import REVEAL

ELDER = Recipient.model_validate(
    {
        "recipient_id": "p1",
        "name": "钱桂芳",
        "community_id": "c1",
        "target_groups": ["独居老人"],
        "birth_date": "1940-05-01",
        "assessed_on": "2024-01-02",
    }
)


def visit(
    at: str, outcome: VisitOutcome = VisitOutcome.CONTACTED, n: int = 1, **kw
) -> VisitRecord:
    return VisitRecord(
        visit_id=f"v{n}",
        recipient_id="p1",
        visited_at=datetime.fromisoformat(at),
        outcome=outcome,
        **kw,
    )


@settings(max_examples=25)
@given(worlds())
def test_no_covered_recipient_is_ever_missing_from_the_schedule(world):
    ds, visits = world
    policy = VisitPolicy()
    rows = schedule(ds.recipients, visits, policy, as_of=AS_OF)
    covered = {
        r.recipient_id for r in ds.recipients if policy.tier_for(r, AS_OF) is not None
    }
    assert sorted(row.recipient_id for row in rows) == sorted(covered)


@settings(max_examples=25)
@given(worlds())
def test_a_contact_on_the_due_date_clears_the_overdue_visit(world):
    ds, visits = world
    for due in schedule(ds.recipients, visits, as_of=AS_OF):
        on_time = VisitRecord(
            visit_id="on-time",
            recipient_id=due.recipient_id,
            visited_at=datetime.combine(due.due_on, datetime.min.time()).replace(
                hour=23, minute=59
            ),
        )
        if due.respond_by is not None and due.respond_by < on_time.visited_at:
            on_time = on_time.model_copy(update={"visited_at": due.respond_by})
        late = overdue(ds.recipients, [*visits, on_time], as_of=due.due_on)
        assert due.recipient_id not in {row.recipient_id for row in late}


@given(
    gap=st.integers(0, 200),
    interval=st.sampled_from([1, 7, 30, 90]),
)
def test_overdue_exactly_when_the_gap_exceeds_the_interval(gap, interval):
    policy = VisitPolicy(
        tiers=(VisitTier(code="t", name="级", max_interval_days=interval),),
        rules=(TierRule(tier="t"),),
    )
    last = date(2024, 1, 10)
    log = [visit(f"{last.isoformat()}T09:30")]
    as_of = last + timedelta(days=gap)
    late = overdue([ELDER], log, policy, as_of=as_of)
    assert bool(late) == (gap > interval)
    if late:
        assert late[0].overdue_days == gap - interval


def test_first_visit_is_due_one_interval_after_assessment():
    [due] = schedule([ELDER], [], as_of=date(2024, 1, 5))
    assert due.reason is DueReason.FIRST_VISIT
    assert due.due_on == date(2024, 1, 9)
    assert not due.is_overdue


def test_failed_contact_does_not_count_as_a_visit():
    log = [
        visit("2024-03-01T10:00"),
        visit("2024-03-05T10:00", VisitOutcome.NOT_REACHED, 2),
    ]
    [due] = schedule([ELDER], log, as_of=date(2024, 3, 5))
    assert due.last_contact_on == date(2024, 3, 1)


def test_high_risk_incident_brings_the_due_date_forward_to_24_hours():
    incident = IncidentReport(
        incident_id="i1",
        recipient_id="p1",
        kind=IncidentKind.HOSPITALISATION,
        occurred_at=datetime(2024, 3, 2, 20, 0),
    )
    log = [visit("2024-03-01T10:00")]
    [due] = schedule([ELDER], log, as_of=date(2024, 3, 2), incidents=[incident])
    assert due.reason is DueReason.INCIDENT_FOLLOW_UP
    assert due.respond_by == datetime(2024, 3, 3, 20, 0)
    assert due.due_on == date(2024, 3, 3)
    assert overdue([ELDER], log, as_of=datetime(2024, 3, 3, 21), incidents=[incident])
    answered = [*log, visit("2024-03-03T09:00", n=2)]
    [due] = schedule([ELDER], answered, as_of=date(2024, 3, 3), incidents=[incident])
    assert due.reason is DueReason.REGULAR
    assert due.respond_by is None


def test_methods_the_tier_does_not_accept_do_not_count():
    policy = VisitPolicy(
        tiers=(
            VisitTier(
                code="door",
                name="入户",
                max_interval_days=7,
                methods=frozenset({VisitMethod.DOOR_VISIT}),
            ),
        ),
        rules=(TierRule(tier="door"),),
    )
    log = [visit("2024-03-01T10:00", method=VisitMethod.PHONE)]
    [due] = schedule([ELDER], log, policy, as_of=date(2024, 3, 2))
    assert due.last_contact_on is None


def test_visits_after_as_of_are_ignored():
    [due] = schedule([ELDER], [visit("2024-03-10T10:00")], as_of=date(2024, 3, 1))
    assert due.last_contact_on is None


def test_room_is_responsible_before_its_street_station():
    ds = load_dataset(examples.path("qixinggang.json"))
    assert responsible_stations(ds)["qxg-c02"] == "qxg-r02"
    network = StationNetwork.from_dataset(ds)
    [due] = [
        d
        for d in schedule(ds.recipients, [], as_of=date(2022, 3, 23), network=network)
        if d.recipient_id == "qxg-p01"
    ]
    assert due.station_id == "qxg-r02"


@settings(max_examples=25)
@given(worlds())
def test_every_community_maps_to_a_station_covering_it(world):
    ds, _ = world
    stations = {s.station_id: s for s in ds.stations}
    for community in ds.communities:
        station_id = responsible_stations(ds).get(community.community_id)
        assert station_id is not None  # the hub covers the district
        station = stations[station_id]
        assert community.community_id in station.community_ids or (
            community.division_code.startswith(station.division_code)
        )


def test_visit_and_incident_records_round_trip_and_mask_their_notes():
    record = visit("2024-03-01T10:00", notes="血压偏高，需复诊")
    assert "血压" not in repr(record)
    assert record.model_dump()["notes"] == "******"
    again = VisitRecord.model_validate_json(record.model_dump_json(context=REVEAL))
    assert again == record
    incident = IncidentReport.model_validate(
        {
            "incident_id": "i1",
            "recipient_id": "p1",
            "kind": "住院",
            "occurred_at": "2024-03-02T20:00",
            "notes": "肺炎",
        }
    )
    assert incident.kind is IncidentKind.HOSPITALISATION
    assert "肺炎" not in repr(incident)
    assert (
        IncidentReport.model_validate_json(incident.model_dump_json(context=REVEAL))
        == incident
    )


def test_ledger_rows_naming_recipients_count_as_visits_and_aggregates_do_not():
    rows = [
        Activity.model_validate(
            {
                "activity_id": "a1",
                "activity_type": "巡访",
                "held_on": "2024-03-01",
                "station_id": "r1",
                "recipient_ids": ["p1"],
                "worker_ids": ["w1"],
            }
        ),
        Activity.model_validate(
            {
                "activity_id": "a2",
                "activity_type": "巡访",
                "held_on": "2024-03-02",
                "station_id": "r1",
                "person_times": 30,
            }
        ),
        Activity.model_validate(
            {
                "activity_id": "a3",
                "activity_type": "小组",
                "held_on": "2024-03-03",
                "station_id": "r1",
                "recipient_ids": ["p1"],
            }
        ),
    ]
    [record] = visits_from_ledger(rows)
    assert (record.recipient_id, record.station_id, record.worker_ids) == (
        "p1",
        "r1",
        frozenset({"w1"}),
    )
    [due] = schedule([ELDER], [record], as_of=date(2024, 3, 5))
    assert due.last_contact_on == date(2024, 3, 1)


@settings(max_examples=20)
@given(worlds())
def test_the_network_names_the_same_responsible_stations_as_the_mapping(world):
    ds, visits = world
    network = StationNetwork.from_dataset(ds)
    stations = responsible_stations(ds)
    for due in schedule(ds.recipients, visits, as_of=AS_OF, network=network):
        assert due.station_id == stations.get(due.community_id)


# --- #13: calendar months and the failed-contact extension ---


def test_calendar_month_tier_is_due_by_the_end_of_the_following_month():
    monthly = VisitPolicy(
        tiers=(
            VisitTier(
                code="m", name="月探访", max_interval_days=31, calendar_month=True
            ),
        ),
        rules=(TierRule(tier="m"),),
    )
    for seen, due in (
        ("2024-01-01", date(2024, 2, 29)),
        ("2024-01-31", date(2024, 2, 29)),
    ):
        [row] = schedule(
            [ELDER], [visit(f"{seen}T10:00")], monthly, as_of=date(2024, 2, 1)
        )
        assert row.due_on == due
    [first] = schedule([ELDER], [], monthly, as_of=date(2024, 1, 3))
    assert first.due_on == date(2024, 1, 31)  # assessed 2024-01-02: due within January


@given(st.dates(date(2023, 1, 1), date(2025, 12, 31)))
def test_calendar_month_due_date_is_always_the_last_day_of_the_next_month(seen):
    monthly = VisitPolicy(
        tiers=(
            VisitTier(
                code="m", name="月探访", max_interval_days=31, calendar_month=True
            ),
        ),
        rules=(TierRule(tier="m"),),
    )
    record = visit(f"{seen.isoformat()}T10:00")
    [row] = schedule([ELDER], [record], monthly, as_of=seen)
    assert (row.due_on + timedelta(days=1)).day == 1
    months_on = (row.due_on.year - seen.year) * 12 + row.due_on.month - seen.month
    assert months_on == 1


def test_failed_contact_brings_the_due_date_forward_only_with_the_extension_on():
    policy = VisitPolicy()
    strict_tiers = tuple(
        t.model_copy(update={"follow_up_failed_contacts": False}) for t in policy.tiers
    )
    strict = policy.model_copy(update={"tiers": strict_tiers})
    log = [
        visit("2024-03-01T10:00"),
        visit("2024-03-02T10:00", VisitOutcome.NOT_REACHED, n=2),
    ]
    [extended] = schedule([ELDER], log, policy, as_of=date(2024, 3, 2))
    [as_source] = schedule([ELDER], log, strict, as_of=date(2024, 3, 2))
    assert extended.reason is DueReason.INCIDENT_FOLLOW_UP
    assert extended.due_on == date(2024, 3, 3)
    assert as_source.reason is DueReason.REGULAR
    assert as_source.due_on == date(2024, 3, 8)
