"""Hypothesis strategies for care visits and volunteer-service records."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from tests.strategies import AS_OF, datasets
from wushe.care import VisitMethod, VisitOutcome, VisitRecord, VolunteerServiceRecord
from wushe.models import Dataset

START = datetime.combine(AS_OF, datetime.min.time()) - timedelta(days=200)


@st.composite
def visit_logs(
    draw: st.DrawFn, ds: Dataset, *, max_visits: int = 30
) -> tuple[VisitRecord, ...]:
    """A visit log over the 200 days before ``AS_OF`` for the dataset's recipients."""
    if not ds.recipients:
        return ()
    ids = [r.recipient_id for r in ds.recipients]
    visits = []
    for i in range(draw(st.integers(0, max_visits))):
        visits.append(
            VisitRecord(
                visit_id=f"vis{i}",
                recipient_id=draw(st.sampled_from(ids)),
                visited_at=START
                + timedelta(minutes=draw(st.integers(0, 200 * 24 * 60))),
                method=draw(st.sampled_from(list(VisitMethod))),
                outcome=draw(
                    st.sampled_from(list(VisitOutcome)).filter(lambda _: True)
                ),
            )
        )
    return tuple(visits)


@st.composite
def worlds(draw: st.DrawFn) -> tuple[Dataset, tuple[VisitRecord, ...]]:
    """A valid dataset with a visit log."""
    ds = draw(datasets(max_recipients=10, max_activities=3))
    return ds, draw(visit_logs(ds))


@st.composite
def service_records(
    draw: st.DrawFn, *, max_size: int = 30
) -> list[VolunteerServiceRecord]:
    """Valid hours-only service records of a few volunteers, at most 8 hours a day each."""
    records = []
    for i in range(draw(st.integers(0, max_size))):
        records.append(
            VolunteerServiceRecord(
                record_id=f"r{i}",
                volunteer_id=f"v{draw(st.integers(0, 4))}",
                activity="巡访",
                organiser_id=draw(st.sampled_from(["ts1", "ts2"])),
                service_date=AS_OF - timedelta(days=i),
                hours=Decimal(draw(st.integers(1, 32))) / 4,
                attested_by="w0",
                time_bank_credits=draw(st.none() | st.just(Decimal(1))),
            )
        )
    return records
