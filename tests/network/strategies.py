"""Strategies for station networks: datasets from ``tests.strategies`` plus attached
stations that may report to two parents, planned stations and a richer ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from tests.strategies import datasets
from wushe.models import Activity, Dataset, Quantity, Station
from wushe.vocab import ActivityType, StationLevel


@st.composite
def rich_datasets(draw: st.DrawFn, *, max_attached: int = 3) -> Dataset:
    """A valid dataset whose network is a DAG: attached stations may have two parents."""
    ds = draw(datasets(max_recipients=4, max_activities=0))
    geographic = [s for s in ds.stations if s.level.is_geographic]
    code_of = {c.community_id: c.division_code for c in ds.communities}
    stations = list(ds.stations)
    for i in range(draw(st.integers(0, max_attached))):
        parents = draw(
            st.lists(
                st.sampled_from(geographic),
                min_size=1,
                max_size=2,
                unique_by=lambda s: s.station_id,
            )
        )
        served = [
            cid
            for cid, code in sorted(code_of.items())
            if any(code.startswith(p.division_code) for p in parents)
        ]
        stations.append(
            Station(
                station_id=f"att{i}",
                name=f"附属社工站{i}",
                level=draw(
                    st.sampled_from(
                        [StationLevel.SCHOOL, StationLevel.ELDERLY_INSTITUTION]
                    )
                ),
                division_code=parents[0].division_code,
                parent_ids=tuple(p.station_id for p in parents),
                community_ids=tuple(
                    draw(st.lists(st.sampled_from(served), unique=True, max_size=2))
                )
                if served
                else (),
            )
        )
    station_ids = [s.station_id for s in stations]
    recipient_ids = [r.recipient_id for r in ds.recipients]
    community_ids = [c.community_id for c in ds.communities]
    activities = [
        Activity(
            activity_id=f"a{i}",
            activity_type=draw(st.sampled_from(list(ActivityType))),
            held_on=draw(st.dates(date(2023, 1, 1), date(2024, 12, 31))),
            station_id=draw(st.sampled_from(station_ids)),
            community_id=draw(st.none() | st.sampled_from(community_ids)),
            sessions=draw(st.integers(1, 5)),
            person_times=draw(st.integers(0, 300)),
            recipient_ids=frozenset(
                draw(st.lists(st.sampled_from(recipient_ids), max_size=3))
                if recipient_ids
                else ()
            ),
            outputs=(
                Quantity(
                    name="books", amount=Decimal(draw(st.integers(0, 50))), unit="本"
                ),
            )
            if draw(st.booleans())
            else (),
        )
        for i in range(draw(st.integers(0, 25)))
    ]
    return ds.model_copy(
        update={"stations": tuple(stations), "activities": tuple(activities)}
    )
