"""Volunteer-service records, hours totals and certificates (志愿服务记录与证明)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

import attrs
from pydantic import Field, model_validator

from wushe._types import Identifier, VolunteerId
from wushe.exceptions import WusheError
from wushe.models import LocalDateTime, Measure, Period, Volunteer, WusheModel
from wushe.privacy import SensitiveName
from wushe.vocab import ServiceCategory

__all__ = [
    "CertificateLine",
    "HoursTotal",
    "ServiceCertificate",
    "ServiceRecordCode",
    "ServiceRecordError",
    "ServiceRecordIssue",
    "VolunteerServiceRecord",
    "certificate",
    "check_service_records",
    "hours_totals",
]

_SECONDS_PER_HOUR = Decimal(3600)
_HUNDREDTH = Decimal("0.01")


class ServiceRecordCode(StrEnum):
    """Stable reason codes for rejected service records (服务记录问题代码)."""

    SELF_ATTESTED = "self_attested"
    """The volunteer attested their own hours (本人证明)."""
    NON_POSITIVE_HOURS = "non_positive_hours"
    """Hours are zero or negative, or the end is not after the start (时长非正)."""
    HOURS_MISMATCH = "hours_mismatch"
    """Both a time span and hours are given and they disagree (时长不符)."""
    OVERLAP = "overlap"
    """Two records of one volunteer overlap in time (时间重叠)."""
    OVER_24_HOURS = "over_24_hours"
    """One volunteer's records add up to more than 24 hours on one day (单日超24小时)."""
    DUPLICATE_ID = "duplicate_id"
    """Two records share a ``record_id`` (编号重复)."""
    NO_RECORDS = "no_records"
    """A certificate was asked for but no record qualifies (无可证明记录)."""


class VolunteerServiceRecord(WusheModel):
    """One entry of a volunteer's service record (志愿服务记录).

    Recorded and attested by the organiser (谁组织谁记录，谁记录谁证明; MCA Order No. 67):
    give either ``start`` and ``end`` (hours are then computed) or ``hours``; both must
    agree when given. Hours are in hours as a :class:`~decimal.Decimal`, strictly positive.
    A volunteer cannot attest their own hours.
    """

    record_id: Identifier
    """Identifier within the organiser's records (记录编号)."""
    volunteer_id: VolunteerId
    """Who served (志愿者编号)."""
    activity: Annotated[str, Field(min_length=1)]
    """What the service was, e.g. ``"独居老人巡访"`` (服务内容)."""
    organiser_id: Identifier
    """Organisation, station or community that organised and records it (组织单位)."""
    service_date: date
    """Day of the service (服务日期)."""
    start: LocalDateTime | None = None
    """When the service began; Beijing time, 1900–2200, an offset converted (开始时间)."""
    end: LocalDateTime | None = None
    """When it ended, in the same form (结束时间)."""
    hours: Measure | None = None
    """Service time in hours, at most 10**12 with six decimals; computed from ``start`` and ``end`` when omitted (服务时长)."""
    attested_by: Identifier
    """Id of the organiser's staff member who attests the hours; never the volunteer (证明人)."""
    category: ServiceCategory | None = None
    """Service field, if recorded (服务类别)."""
    time_bank_credits: Annotated[Measure, Field(ge=0)] | None = None
    """Time-bank credits earned, in the time bank's own unit, 0 to 10**12; never money (时间银行积分)."""

    @model_validator(mode="after")
    def _rules(self) -> VolunteerServiceRecord:
        where = f"service record {self.record_id} (volunteer {self.volunteer_id})"
        if self.attested_by == self.volunteer_id:
            msg = f"{where}: attested_by is the volunteer themself [{ServiceRecordCode.SELF_ATTESTED}]"
            raise ValueError(msg)
        if (self.start is None) != (self.end is None):
            msg = f"{where}: give both start and end, or neither"
            raise ValueError(msg)
        if self.start is not None and self.end is not None:
            span = Decimal((self.end - self.start).total_seconds()) / _SECONDS_PER_HOUR
            if span <= 0:
                msg = f"{where}: end is not after start [{ServiceRecordCode.NON_POSITIVE_HOURS}]"
                raise ValueError(msg)
            if self.start.date() != self.service_date:
                msg = f"{where}: start is not on service_date"
                raise ValueError(msg)
            span = span.quantize(_HUNDREDTH)
            if self.hours is None:
                object.__setattr__(self, "hours", span)
            elif abs(self.hours - span) > _HUNDREDTH:
                msg = f"{where}: hours disagree with start and end [{ServiceRecordCode.HOURS_MISMATCH}]"
                raise ValueError(msg)
        if self.hours is None:
            msg = f"{where}: give hours, or start and end"
            raise ValueError(msg)
        if self.hours <= 0:
            msg = f"{where}: hours must be positive [{ServiceRecordCode.NON_POSITIVE_HOURS}]"
            raise ValueError(msg)
        return self

    @property
    def service_hours(self) -> Decimal:
        """The record's hours, always set after validation (服务小时数)."""
        assert self.hours is not None
        return self.hours


@attrs.frozen(kw_only=True)
class ServiceRecordIssue:
    """One rule a set of service records breaks (服务记录问题).

    Names the record, the volunteer and the field; holds no personal values.
    """

    record_id: str
    """The offending record (记录编号)."""
    volunteer_id: str
    """Whose record it is (志愿者编号)."""
    field: str
    """The field at fault (字段)."""
    code: ServiceRecordCode
    """Stable reason code (原因代码)."""
    message: str
    """Explanation naming the other record where there is one (说明)."""

    def __str__(self) -> str:
        return f"service record {self.record_id} (volunteer {self.volunteer_id}).{self.field}: {self.message} [{self.code}]"


class ServiceRecordError(WusheError):
    """Volunteer-service records break a rule (志愿服务记录错误); ``issues`` lists each one."""

    def __init__(self, issues: Sequence[ServiceRecordIssue]) -> None:
        self.issues: tuple[ServiceRecordIssue, ...] = tuple(issues)
        shown = "\n".join(f"  - {issue}" for issue in self.issues[:20])
        more = len(self.issues) - 20
        tail = f"\n  … and {more} more" if more > 0 else ""
        super().__init__(f"{len(self.issues)} service-record issue(s):\n{shown}{tail}")


class _Checker:
    """Cross-record rules, fed one record at a time so records can stream past.

    Holds only ids, days and spans, never the records themselves.
    """

    def __init__(self) -> None:
        self.issues: list[ServiceRecordIssue] = []
        self.seen: set[str] = set()
        self.spans: dict[str, list[tuple[datetime, datetime, str]]] = defaultdict(list)
        # (volunteer, day) -> [hours that day, first record id of the day]
        self.daily: dict[tuple[str, date], list[Any]] = {}

    def add(self, record: VolunteerServiceRecord) -> None:
        seen = self.seen
        size = len(seen)
        seen.add(record.record_id)
        if len(seen) == size:
            self.issues.append(
                ServiceRecordIssue(
                    record_id=record.record_id,
                    volunteer_id=record.volunteer_id,
                    field="record_id",
                    code=ServiceRecordCode.DUPLICATE_ID,
                    message="another record has the same record_id",
                )
            )
        if record.start is not None and record.end is not None:
            self.spans[record.volunteer_id].append(
                (record.start, record.end, record.record_id)
            )
        key = (record.volunteer_id, record.service_date)
        entry = self.daily.get(key)
        if entry is None:
            self.daily[key] = [record.hours, record.record_id]
        else:
            entry[0] += record.hours

    def finish(self) -> list[ServiceRecordIssue]:
        issues = self.issues
        for volunteer_id, spans in self.spans.items():
            spans.sort()
            latest_end, latest_id = spans[0][1], spans[0][2]
            for start, end, record_id in spans[1:]:
                if start < latest_end:
                    issues.append(
                        ServiceRecordIssue(
                            record_id=record_id,
                            volunteer_id=volunteer_id,
                            field="start",
                            code=ServiceRecordCode.OVERLAP,
                            message=f"overlaps record {latest_id} of the same volunteer",
                        )
                    )
                if end > latest_end:
                    latest_end, latest_id = end, record_id
        for (volunteer_id, day), (total, first_id) in self.daily.items():
            if total > 24:
                issues.append(
                    ServiceRecordIssue(
                        record_id=first_id,
                        volunteer_id=volunteer_id,
                        field="hours",
                        code=ServiceRecordCode.OVER_24_HOURS,
                        message=f"records on {day} add up to {total} hours",
                    )
                )
        return issues


def check_service_records(
    records: Iterable[VolunteerServiceRecord], *, raise_on_issue: bool = True
) -> tuple[ServiceRecordIssue, ...]:
    """Check rules that span records: duplicates, overlaps, days over 24 hours (检查服务记录).

    Single-record rules (self-attestation, non-positive hours) are already enforced when a
    record is built. Two timed records of one volunteer overlap when their half-open spans
    ``[start, end)`` share an instant; records without times are checked by their daily
    total instead. Records may stream past: only ids, days and spans are kept.

    Args:
        records: The records to check.
        raise_on_issue: Raise :class:`ServiceRecordError` when an issue is found, instead
            of returning the issues.

    Returns:
        Every issue found: duplicates in record order, then overlaps, then long days.

    Raises:
        ServiceRecordError: When ``raise_on_issue`` and some record breaks a rule.

    Complexity: O(n log n) time for n records; memory O(n) small tuples.
    """
    checker = _Checker()
    for record in records:
        checker.add(record)
    issues = checker.finish()
    if issues and raise_on_issue:
        raise ServiceRecordError(issues)
    return tuple(issues)


@attrs.frozen(kw_only=True)
class HoursTotal:
    """Total service hours of one volunteer or organiser in a period (志愿服务时长合计)."""

    key: str
    """The volunteer id or organiser id the total is for (合计对象)."""
    hours: Decimal
    """Sum of the records' hours (服务总时长)."""
    records: int
    """Number of records summed (记录数)."""
    time_bank_credits: Decimal
    """Sum of time-bank credits; zero when none were recorded (时间银行积分合计)."""


def hours_totals(
    records: Iterable[VolunteerServiceRecord],
    *,
    period: Period | None = None,
    by: str = "volunteer",
    check: bool = False,
) -> tuple[HoursTotal, ...]:
    """Total service hours per volunteer (or per organiser) in a period (服务时长统计).

    Args:
        records: Validated service records; may be a stream.
        period: Only records whose ``service_date`` falls inside; all when ``None``.
        by: ``"volunteer"`` or ``"organiser"``.
        check: Also run the cross-record rules of :func:`check_service_records` in the
            same pass, over every record given (not only those inside ``period``).

    Raises:
        ServiceRecordError: When ``check`` and some record breaks a rule.

    Returns:
        One total per key, sorted by key; each total is exactly the sum of its records.

    Complexity: O(n + k log k) for n records and k keys.

    Examples:
        >>> rows = [VolunteerServiceRecord.model_validate({
        ...     "record_id": f"r{i}", "volunteer_id": "v1", "activity": "巡访",
        ...     "organiser_id": "jn-ts01", "service_date": f"2023-05-0{i}",
        ...     "hours": "1.5", "attested_by": "w1"}) for i in (1, 2)]
        >>> hours_totals(rows)[0].hours
        Decimal('3.0')
    """
    if by not in {"volunteer", "organiser"}:
        msg = f"by must be 'volunteer' or 'organiser', not {by!r}"
        raise ValueError(msg)
    # key -> [hours, records, credits]; one lookup per record keeps 4M records cheap.
    sums: dict[str, list[Any]] = {}
    by_volunteer = by == "volunteer"
    checker = _Checker() if check else None
    for record in records:
        if checker is not None:
            checker.add(record)
        if period is not None and not period.includes(record.service_date):
            continue
        key = record.volunteer_id if by_volunteer else record.organiser_id
        credit = record.time_bank_credits
        entry = sums.get(key)
        if entry is None:
            sums[key] = [record.hours, 1, Decimal(0) if credit is None else credit]
        else:
            entry[0] += record.hours
            entry[1] += 1
            if credit is not None:
                entry[2] += credit
    if checker is not None and (issues := checker.finish()):
        raise ServiceRecordError(issues)
    return tuple(
        HoursTotal(key=key, hours=hours, records=count, time_bank_credits=credits)
        for key, (hours, count, credits) in sorted(sums.items())
    )


@attrs.frozen(kw_only=True)
class CertificateLine:
    """One service entry printed on a certificate (证明服务明细)."""

    record_id: str
    """The service record (记录编号)."""
    service_date: date
    """Day of service (服务日期)."""
    activity: str
    """What the service was (服务内容)."""
    hours: Decimal
    """Hours served (服务时长)."""


@attrs.frozen(kw_only=True)
class ServiceCertificate:
    """A volunteer-service record certificate (志愿服务记录证明).

    Carries the fields of 民发〔2015〕149号: the volunteer's identity, the service (time in
    hours and content), the issuer and notes. The name is held as a
    :class:`~wushe.privacy.SensitiveName` and printed masked unless :meth:`as_dict` is asked
    to reveal it; a certificate is issued free of charge.
    """

    certificate_no: str
    """Certificate number (证明编号)."""
    volunteer_id: str
    """The volunteer's registration id (志愿者编号)."""
    volunteer_name: SensitiveName
    """The volunteer's name, masked unless revealed (志愿者姓名)."""
    issuer_id: str
    """The organising unit that recorded and certifies the service (出具单位编号)."""
    issuer_name: str
    """Its name, as on the seal (出具单位名称)."""
    issued_on: date
    """Date of issue (出具日期)."""
    first_day: date
    """First service day covered (服务起始日期)."""
    last_day: date
    """Last service day covered (服务截止日期)."""
    total_hours: Decimal
    """Total service time in hours (累计服务时长)."""
    lines: tuple[CertificateLine, ...]
    """The service entries, oldest first (服务明细)."""
    attested_by: tuple[str, ...]
    """Ids of the staff who attested the entries (证明人)."""
    notes: str = ""
    """Other notes, e.g. the purpose of the request (备注)."""

    def as_dict(self, *, reveal: bool = False) -> dict[str, object]:
        """Return the certificate's fields for printing, masked unless ``reveal`` (证明内容)."""
        name = self.volunteer_name.reveal() if reveal else self.volunteer_name.masked
        return {
            "证明编号": self.certificate_no,
            "志愿者编号": self.volunteer_id,
            "志愿者姓名": name,
            "服务期间": f"{self.first_day.isoformat()} — {self.last_day.isoformat()}",
            "累计服务时长（小时）": str(self.total_hours),
            "服务内容": sorted({line.activity for line in self.lines}),
            "服务明细": [
                f"{line.service_date.isoformat()} {line.activity} {line.hours}小时"
                for line in self.lines
            ],
            "出具单位": self.issuer_name,
            "出具日期": self.issued_on.isoformat(),
            "备注": self.notes,
        }


def certificate(
    volunteer: Volunteer,
    records: Iterable[VolunteerServiceRecord],
    *,
    issuer_id: str,
    issuer_name: str,
    issued_on: date,
    certificate_no: str,
    period: Period | None = None,
    notes: str = "",
) -> ServiceCertificate:
    """Issue a service certificate for the records the issuer organised (出具志愿服务记录证明).

    Follows 谁组织谁记录，谁记录谁证明: only the volunteer's records organised by
    ``issuer_id`` (and inside ``period`` when given) are certified. The records are checked
    with :func:`check_service_records` first.

    Raises:
        ServiceRecordError: When the records break a rule, or none is left to certify.
    """
    mine = [
        r
        for r in records
        if r.volunteer_id == volunteer.volunteer_id
        and r.organiser_id == issuer_id
        and (period is None or period.includes(r.service_date))
    ]
    check_service_records(mine)
    if not mine:
        raise ServiceRecordError(
            [
                ServiceRecordIssue(
                    record_id="-",
                    volunteer_id=volunteer.volunteer_id,
                    field="organiser_id",
                    code=ServiceRecordCode.NO_RECORDS,
                    message=f"no record organised by {issuer_id} to certify",
                )
            ]
        )
    mine.sort(key=lambda r: (r.service_date, r.record_id))
    return ServiceCertificate(
        certificate_no=certificate_no,
        volunteer_id=volunteer.volunteer_id,
        volunteer_name=volunteer.name,
        issuer_id=issuer_id,
        issuer_name=issuer_name,
        issued_on=issued_on,
        first_day=mine[0].service_date,
        last_day=mine[-1].service_date,
        total_hours=sum((r.service_hours for r in mine), Decimal(0)),
        lines=tuple(
            CertificateLine(
                record_id=r.record_id,
                service_date=r.service_date,
                activity=r.activity,
                hours=r.service_hours,
            )
            for r in mine
        ),
        attested_by=tuple(sorted({r.attested_by for r in mine})),
        notes=notes,
    )
