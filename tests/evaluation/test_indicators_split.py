"""#15: indicator_actuals() split into steps counts exactly as the one long function did."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.evaluation.legacy_indicators import legacy_indicator_actuals
from tests.strategies import datasets
from wushe.evaluation import indicator_actuals
from wushe.models import Activity, Dataset, Period, Quantity
from wushe.network import StationNetwork
from wushe.vocab import ActivityType


@settings(max_examples=60)
@given(datasets(max_recipients=4), st.data())
def test_the_split_counts_as_before(ds, data):
    network = data.draw(st.none() | st.just(StationNetwork.from_dataset(ds)))
    as_of = data.draw(st.none() | st.dates(date(2023, 1, 1), date(2025, 12, 31)))
    start = data.draw(st.dates(date(2022, 1, 1), date(2025, 12, 31)))
    period = data.draw(st.none() | st.just(Period(start=start, end=date(2025, 12, 31))))
    for subject in (*ds.projects, *ds.stations):
        kw = {"period": period, "network": network, "as_of": as_of}
        assert indicator_actuals(subject, ds.activities, **kw) == (
            legacy_indicator_actuals(subject, ds.activities, **kw)
        )


@st.composite
def ledgers(draw: st.DrawFn, ds: Dataset) -> list[Activity]:
    """Rows naming people and outputs, recorded by the dataset's stations and projects."""
    stations = [s.station_id for s in ds.stations]
    projects = [None, *(p.project_id for p in ds.projects)]
    people = st.frozensets(st.sampled_from(["p1", "p2", "p3", "v1", "v2"]), max_size=3)
    outputs = st.lists(
        st.builds(
            Quantity,
            name=st.sampled_from(["meals", "kits"]),
            amount=st.integers(0, 9),
            unit=st.just("份"),
        ),
        max_size=2,
    )
    return [
        Activity(
            activity_id=f"a{i}",
            activity_type=draw(st.sampled_from(list(ActivityType))),
            held_on=draw(st.dates(date(2023, 1, 1), date(2024, 12, 31))),
            station_id=draw(st.sampled_from(stations)),
            project_id=draw(st.sampled_from(projects)),
            sessions=draw(st.integers(1, 3)),
            person_times=draw(st.integers(0, 30)),
            recipient_ids=draw(people),
            volunteer_ids=draw(people),
            outputs=tuple(draw(outputs)),
        )
        for i in range(draw(st.integers(0, 25)))
    ]


@settings(max_examples=60)
@given(datasets(max_recipients=2), st.data())
def test_the_split_counts_ledgers_naming_people_and_outputs_as_before(ds, data):
    rows = data.draw(ledgers(ds))
    network = data.draw(st.none() | st.just(StationNetwork.from_dataset(ds)))
    as_of = data.draw(st.none() | st.dates(date(2023, 1, 1), date(2025, 12, 31)))
    for subject in (*ds.projects, *ds.stations):
        kw = {"network": network, "as_of": as_of}
        assert indicator_actuals(subject, rows, **kw) == (
            legacy_indicator_actuals(subject, rows, **kw)
        )
