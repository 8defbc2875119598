from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from pydantic import ValidationError

from tests.care.strategies import service_records
from wushe.care import (
    ServiceRecordCode,
    ServiceRecordError,
    VolunteerServiceRecord,
    certificate,
    check_service_records,
    hours_totals,
)
from wushe.models import Period, Volunteer


def record(**overrides) -> VolunteerServiceRecord:
    data = {
        "record_id": "r1",
        "volunteer_id": "v1",
        "activity": "独居老人巡访",
        "organiser_id": "jn-ts01",
        "service_date": "2023-05-06",
        "start": "2023-05-06T09:00",
        "end": "2023-05-06T11:30",
        "attested_by": "w1",
    }
    data.update(overrides)
    return VolunteerServiceRecord.model_validate(data)


def test_hours_are_computed_from_start_and_end():
    assert record().hours == Decimal("2.50")


def test_self_attested_hours_are_rejected_naming_the_record_and_rule():
    with pytest.raises(
        ValidationError, match=r"service record r1 \(volunteer v1\).*self_attested"
    ):
        record(attested_by="v1")


@pytest.mark.parametrize("hours", ["0", "-1.5"])
def test_zero_or_negative_hours_are_rejected(hours):
    with pytest.raises(ValidationError, match="non_positive_hours"):
        record(start=None, end=None, hours=hours)


def test_end_before_start_is_rejected():
    with pytest.raises(ValidationError, match="non_positive_hours"):
        record(end="2023-05-06T08:00")


def test_hours_that_disagree_with_the_span_are_rejected():
    with pytest.raises(ValidationError, match="hours_mismatch"):
        record(hours="4")


def test_overlapping_records_of_one_volunteer_are_rejected_with_a_reason():
    records = [
        record(),
        record(record_id="r2", start="2023-05-06T11:00", end="2023-05-06T12:00"),
        record(record_id="r3", volunteer_id="v2"),
    ]
    with pytest.raises(ServiceRecordError) as caught:
        check_service_records(records)
    [issue] = caught.value.issues
    assert (issue.record_id, issue.code, issue.field) == (
        "r2",
        ServiceRecordCode.OVERLAP,
        "start",
    )
    assert "overlaps record r1" in str(caught.value)


def test_back_to_back_records_do_not_overlap():
    records = [
        record(),
        record(record_id="r2", start="2023-05-06T11:30", end="2023-05-06T12:00"),
    ]
    assert check_service_records(records) == ()


def test_more_than_24_hours_in_a_day_is_rejected():
    records = [
        record(record_id=f"r{i}", start=None, end=None, hours="9") for i in range(3)
    ]
    issues = check_service_records(records, raise_on_issue=False)
    assert {i.code for i in issues} == {ServiceRecordCode.OVER_24_HOURS}


def test_duplicate_record_ids_are_reported():
    issues = check_service_records(
        [record(), record(start="2023-05-06T13:00", end="2023-05-06T14:00")],
        raise_on_issue=False,
    )
    assert [i.code for i in issues] == [ServiceRecordCode.DUPLICATE_ID]


@given(service_records())
def test_hours_totals_equal_the_sum_of_records(records):
    totals = hours_totals(records)
    assert sum(t.hours for t in totals) == sum(r.service_hours for r in records)
    for total in totals:
        mine = [r for r in records if r.volunteer_id == total.key]
        assert total.hours == sum(r.service_hours for r in mine)
        assert total.records == len(mine)
        assert total.time_bank_credits == sum(r.time_bank_credits or 0 for r in mine)
    by_organiser = hours_totals(records, by="organiser")
    assert sum(t.hours for t in by_organiser) == sum(t.hours for t in totals)


@given(service_records())
def test_period_totals_only_count_records_inside_the_period(records):
    period = Period(start=date(2024, 6, 20), end=date(2024, 6, 30))
    inside = [r for r in records if period.includes(r.service_date)]
    assert sum(t.hours for t in hours_totals(records, period=period)) == sum(
        r.service_hours for r in inside
    )


def test_totals_reject_an_unknown_grouping():
    with pytest.raises(ValueError, match="by must be"):
        hours_totals([], by="team")


VOLUNTEER = Volunteer.model_validate({"volunteer_id": "v1", "name": "张晓华"})


def test_certificate_covers_only_the_issuers_records_and_masks_the_name():
    records = [
        record(),
        record(
            record_id="r2",
            service_date="2023-06-01",
            start="2023-06-01T09:00",
            end="2023-06-01T10:00",
        ),
        record(
            record_id="r3",
            organiser_id="other",
            service_date="2023-07-01",
            start="2023-07-01T09:00",
            end="2023-07-01T10:00",
        ),
    ]
    cert = certificate(
        VOLUNTEER,
        records,
        issuer_id="jn-ts01",
        issuer_name="金牛区某街道社工站",
        issued_on=date(2023, 12, 31),
        certificate_no="JN-2023-0001",
    )
    assert cert.total_hours == Decimal("3.50")
    assert [line.record_id for line in cert.lines] == ["r1", "r2"]
    assert (cert.first_day, cert.last_day) == (date(2023, 5, 6), date(2023, 6, 1))
    shown = cert.as_dict()
    assert shown["志愿者姓名"] == "张*华"
    assert shown["服务明细"] == [
        "2023-05-06 独居老人巡访 2.50小时",
        "2023-06-01 独居老人巡访 1.00小时",
    ]
    assert "张晓华" not in repr(cert)
    assert cert.as_dict(reveal=True)["志愿者姓名"] == "张晓华"


def test_certificate_without_qualifying_records_is_refused():
    with pytest.raises(ServiceRecordError, match="no record organised by nobody"):
        certificate(
            VOLUNTEER,
            [record()],
            issuer_id="nobody",
            issuer_name="x",
            issued_on=date(2023, 12, 31),
            certificate_no="1",
        )


def test_certificate_refuses_overlapping_records():
    records = [
        record(),
        record(record_id="r2", start="2023-05-06T10:00", end="2023-05-06T12:00"),
    ]
    with pytest.raises(ServiceRecordError, match="overlap"):
        certificate(
            VOLUNTEER,
            records,
            issuer_id="jn-ts01",
            issuer_name="x",
            issued_on=date(2023, 12, 31),
            certificate_no="1",
        )


def test_record_round_trips_through_json():
    again = VolunteerServiceRecord.model_validate_json(record().model_dump_json())
    assert again == record()
    assert again.start == datetime(2023, 5, 6, 9)


def test_totals_can_check_the_cross_record_rules_in_the_same_pass():
    records = [
        record(),
        record(record_id="r2", start="2023-05-06T10:00", end="2023-05-06T12:00"),
    ]
    assert hours_totals(records)[0].hours == Decimal("4.50")
    with pytest.raises(ServiceRecordError, match="overlaps record r1"):
        hours_totals(iter(records), check=True)
