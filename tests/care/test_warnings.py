from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.care.strategies import worlds
from tests.networks import network_of
from tests.strategies import AS_OF
from wushe.care import (
    CareWarning,
    IncidentKind,
    IncidentReport,
    MissedContactsRule,
    OverdueVisitRule,
    RecipientCare,
    VisitOutcome,
    VisitRecord,
    WarningCode,
    schedule,
    warnings,
)
from wushe.models import Recipient, Station
from wushe.privacy import REVEAL
from wushe.vocab import StationLevel

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


def visit(at: str, outcome: VisitOutcome = VisitOutcome.CONTACTED, n: int = 1):
    return VisitRecord(
        visit_id=f"v{n}",
        recipient_id="p1",
        visited_at=datetime.fromisoformat(at),
        outcome=outcome,
    )


def codes(found: Iterable[CareWarning]) -> set[WarningCode]:
    return {w.code for w in found}


@given(gap=st.integers(0, 40))
def test_overdue_warning_appears_exactly_when_the_interval_is_exceeded(gap):
    last = date(2024, 3, 1)
    found = warnings(
        [ELDER], [visit("2024-03-01T10:00")], as_of=last + timedelta(days=gap)
    )
    overdue = [w for w in found if w.code is WarningCode.OVERDUE_VISIT]
    assert bool(overdue) == (gap > 7)
    if overdue:
        assert overdue[0].since == date(2024, 3, 9)
        assert overdue[0].days == gap - 7


@settings(max_examples=25)
@given(worlds())
def test_a_visit_on_the_due_date_clears_the_overdue_warning(world):
    ds, visits = world
    for due in schedule(ds.recipients, visits, as_of=AS_OF):
        on_time = VisitRecord(
            visit_id="on-time",
            recipient_id=due.recipient_id,
            visited_at=datetime.combine(due.due_on, datetime.min.time()),
        )
        found = warnings(
            ds.recipients,
            [*visits, on_time],
            as_of=due.due_on,
            rules=[OverdueVisitRule()],
        )
        assert due.recipient_id not in {w.recipient_id for w in found}


def test_three_failed_contacts_in_a_row_raise_a_missed_contacts_warning():
    log = [
        visit("2024-03-01T10:00"),
        visit("2024-03-02T10:00", VisitOutcome.NOT_REACHED, 2),
        visit("2024-03-02T15:00", VisitOutcome.NOT_REACHED, 3),
    ]
    assert WarningCode.MISSED_CONTACTS not in codes(
        warnings([ELDER], log, as_of=date(2024, 3, 3))
    )
    log.append(visit("2024-03-03T10:00", VisitOutcome.NOT_REACHED, 4))
    [missed] = [
        w
        for w in warnings([ELDER], log, as_of=date(2024, 3, 3))
        if w.code is WarningCode.MISSED_CONTACTS
    ]
    assert missed.count == 3
    assert missed.since == date(2024, 3, 2)
    assert "连续3次未联系上" in missed.message("zh")


def test_failed_contact_of_a_high_risk_elder_needs_a_contact_within_24_hours():
    log = [
        visit("2024-03-01T10:00"),
        visit("2024-03-02T10:00", VisitOutcome.NOT_REACHED, 2),
    ]
    assert WarningCode.INCIDENT_RESPONSE not in codes(
        warnings([ELDER], log, as_of=datetime(2024, 3, 3, 9))
    )
    [late] = [
        w
        for w in warnings([ELDER], log, as_of=datetime(2024, 3, 3, 11))
        if w.code is WarningCode.INCIDENT_RESPONSE
    ]
    assert late.trigger == "not_reached"
    assert late.hours == 24
    assert "failed contact" in late.message("en")


def test_hospitalisation_warning_names_the_incident_and_station():
    incident = IncidentReport(
        incident_id="i1",
        recipient_id="p1",
        kind=IncidentKind.HOSPITALISATION,
        occurred_at=datetime(2024, 3, 2, 8),
    )
    found = warnings(
        [ELDER],
        [visit("2024-03-01T10:00")],
        as_of=datetime(2024, 3, 3, 9),
        incidents=[incident],
        network=network_of(
            [
                Station(
                    station_id="room-1",
                    name="社工室",
                    level=StationLevel.VILLAGE,
                    division_code="510106001001",
                )
            ],
            {"c1": "510106001001"},
        ),
    )
    [late] = [w for w in found if w.code is WarningCode.INCIDENT_RESPONSE]
    assert late.station_id == "room-1"
    assert late.since == date(2024, 3, 3)
    assert "住院" in late.message()


def test_names_appear_only_masked_and_only_when_asked():
    log = [visit("2024-01-01T10:00")]
    [plain] = warnings([ELDER], log, as_of=date(2024, 3, 1))
    assert plain.recipient_name is None
    assert "钱" not in plain.message()
    [named] = warnings([ELDER], log, as_of=date(2024, 3, 1), with_names=True)
    assert named.recipient_name == "钱*芳"
    raw = ELDER.model_dump(context=REVEAL)["name"]
    assert raw not in repr(named)
    assert raw not in named.message("zh")
    assert raw not in named.message("en")


def test_custom_rules_plug_in():
    def always(care: RecipientCare, as_of: datetime) -> Iterable[CareWarning]:
        return (
            CareWarning(
                code=WarningCode.OVERDUE_VISIT,
                recipient_id=care.due.recipient_id,
                community_id=care.due.community_id,
                station_id=None,
                tier=care.tier.code,
                since=as_of.date(),
            ),
        )

    found = warnings([ELDER], [], as_of=date(2024, 1, 3), rules=[always])
    assert [w.recipient_id for w in found] == ["p1"]
    assert (
        warnings([ELDER], [], as_of=date(2024, 1, 3), rules=[MissedContactsRule()])
        == ()
    )


def test_grace_days_delay_the_overdue_warning():
    log = [visit("2024-03-01T10:00")]
    assert (
        warnings(
            [ELDER],
            log,
            as_of=date(2024, 3, 10),
            rules=[OverdueVisitRule(grace_days=2)],
        )
        == ()
    )


@settings(max_examples=25)
@given(worlds())
def test_no_name_or_id_number_ever_appears_in_a_warning_or_due_visit(world):
    ds, visits = world
    secrets = set()
    for person in ds.recipients:
        revealed = person.model_dump(context=REVEAL)
        secrets.add(revealed["name"])
        if revealed.get("id_number"):
            secrets.add(revealed["id_number"])
    found = warnings(ds.recipients, visits, as_of=AS_OF, with_names=True)
    shown = [repr(w) + w.message("zh") + w.message("en") for w in found]
    shown += [repr(d) for d in schedule(ds.recipients, visits, as_of=AS_OF)]
    for text in shown:
        assert not any(secret in text for secret in secrets)
