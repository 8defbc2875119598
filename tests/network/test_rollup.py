from __future__ import annotations

from datetime import date
from decimal import Decimal

import networkx as nx
import pytest
from hypothesis import given

from tests.network.strategies import rich_datasets
from tests.pinning import digest
from wushe import examples
from wushe.exceptions import StationNetworkError
from wushe.io import load_dataset
from wushe.models import Dataset, Period
from wushe.network import (
    DISTINCT_RECIPIENTS,
    PERSON_TIMES,
    SERVED_PERSON_TIMES,
    TRAINED_PERSON_TIMES,
    Aggregation,
    Metric,
    StationNetwork,
    calendar_periods,
    output,
    rollup,
    sessions,
)
from wushe.vocab import ActivityType

BOOKS = output("books", "图书", unit="本")
GROUPS = sessions(ActivityType.GROUP_ACTIVITY)
VISIT_SHARE = Metric.ratio_of_sums(
    "visit_share",
    "巡访人次占比",
    numerator=Metric.sum(
        "visits",
        "巡访人次",
        lambda a: a.person_times if a.activity_type is ActivityType.CARE_VISIT else 0,
    ),
    denominator=PERSON_TIMES,
)
METRICS = (GROUPS, PERSON_TIMES, BOOKS, DISTINCT_RECIPIENTS, VISIT_SHARE)
SUMS = (GROUPS, PERSON_TIMES, BOOKS)


def count(value: object) -> int:
    assert isinstance(value, int)
    return value


def own_sum(ds: Dataset, metric: Metric, station_ids: set[str]) -> Decimal:
    rows = (metric.value(a) for a in ds.activities if a.station_id in station_ids)
    return Decimal(sum(rows, Decimal(0)))


@given(rich_datasets())
def test_every_level_total_equals_the_sum_over_its_leaves(ds):
    net = StationNetwork.from_dataset(ds)
    result = rollup(net, metrics=METRICS)
    for sid in net:
        below = nx.descendants(net.graph, sid) | {sid}
        for metric in SUMS:
            assert result.total(sid, metric) == own_sum(ds, metric, below)
        recipients = set().union(
            *(a.recipient_ids for a in ds.activities if a.station_id in below)
        )
        assert result.total(sid, DISTINCT_RECIPIENTS) == len(recipients)


@given(rich_datasets())
def test_a_stations_own_rows_are_never_counted_twice(ds):
    net = StationNetwork.from_dataset(ds)
    result = rollup(net, metrics=METRICS)
    for metric in SUMS:
        whole = own_sum(ds, metric, set(net.station_ids))
        assert result.grand_total(metric) == whole
        roots = sum(
            (Decimal(str(result.total(r, metric))) for r in net.roots), Decimal(0)
        )
        # Roots partition the stations except multi-parent stations under two roots.
        shared = [
            s
            for s in net.stations
            if len({net.path_to_root(p)[-1] for p in s.parent_ids}) > 1
        ]
        if not shared:
            assert roots == whole
    for sid in net:
        if len(net.parents(sid)) == 1 and all(
            len(net.parents(c)) == 1 for c in net.children(sid)
        ):
            expected = count(result.own(sid, GROUPS)) + sum(
                count(result.total(c, GROUPS)) for c in net.children(sid)
            )
            assert result.total(sid, GROUPS) == expected


@given(rich_datasets())
def test_a_ratio_is_the_ratio_of_the_sums_never_a_mean_of_ratios(ds):
    net = StationNetwork.from_dataset(ds)
    result = rollup(net, metrics=METRICS)
    for sid in net:
        below = nx.descendants(net.graph, sid) | {sid}
        rows = [a for a in ds.activities if a.station_id in below]
        top = sum(
            a.person_times for a in rows if a.activity_type is ActivityType.CARE_VISIT
        )
        bottom = sum(a.person_times for a in rows)
        expected = top / bottom if bottom else None
        assert result.total(sid, VISIT_SHARE) == expected


@given(rich_datasets())
def test_periods_split_the_ledger_without_loss_or_overlap(ds):
    net = StationNetwork.from_dataset(ds)
    halves = [
        Period(start=date(2023, 1, 1), end=date(2023, 12, 31)),
        Period(start=date(2024, 1, 1), end=date(2024, 12, 31)),
    ]
    whole = rollup(net, metrics=SUMS)
    split = rollup(net, metrics=SUMS, period=halves)
    assert split.periods == tuple(halves)
    for sid in net.roots:
        for metric in SUMS:
            parts = sum(
                Decimal(str(split.total(sid, metric, period=p))) for p in halves
            )
            assert parts == whole.total(sid, metric)


@given(rich_datasets())
def test_quarters_of_a_year_add_up_to_the_year(ds):
    net = StationNetwork.from_dataset(ds)
    year = [Period(start=date(2024, 1, 1), end=date(2024, 12, 31))]
    quarters = calendar_periods(2024)
    whole = rollup(net, metrics=SUMS, period=year)
    split = rollup(net, metrics=SUMS, period=quarters)
    for sid in net.roots:
        for metric in SUMS:
            parts = sum(
                Decimal(str(split.total(sid, metric, period=q))) for q in quarters
            )
            assert parts == whole.total(sid, metric)


def test_calendar_periods_tile_the_year():
    months = calendar_periods(2024, every="month")
    assert len(months) == 12
    assert months[1].end == date(2024, 2, 29)
    assert calendar_periods(2023, every="year")[0].end == date(2023, 12, 31)
    with pytest.raises(ValueError, match="week"):
        calendar_periods(2023, every="week")


def test_overlapping_periods_are_rejected():
    net = StationNetwork.from_dataset(load_dataset(examples.path("qixinggang.json")))
    overlapping = [
        Period(start=date(2022, 1, 1), end=date(2022, 3, 20)),
        Period(start=date(2022, 3, 20), end=date(2022, 12, 31)),
    ]
    with pytest.raises(StationNetworkError, match="overlap"):
        rollup(net, period=overlapping)


def test_rows_outside_the_period_are_left_out():
    net = StationNetwork.from_dataset(load_dataset(examples.path("qixinggang.json")))
    week = Period(start=date(2022, 3, 17), end=date(2022, 3, 23))
    before = Period(start=date(2022, 1, 1), end=date(2022, 3, 16))
    result = rollup(net, period=[week, before], metrics=[PERSON_TIMES])
    assert (
        result.total("qxg-ts", PERSON_TIMES, period=before) == 16
    )  # the coordination meeting
    with pytest.raises(KeyError):
        result.total("qxg-ts", PERSON_TIMES, period=None)


def test_rows_of_unknown_stations_are_an_error_naming_the_rows():
    ds = load_dataset(examples.path("qixinggang.json"))
    net = StationNetwork.from_dataset(ds)
    stray = ds.activities[0].model_copy(update={"station_id": "elsewhere"})
    with pytest.raises(StationNetworkError, match="qxg-a01"):
        rollup(net, [stray])


def test_rows_yield_one_row_per_station_and_metric():
    net = StationNetwork.from_dataset(load_dataset(examples.path("qixinggang.json")))
    rows = list(net.rollup(metrics=[PERSON_TIMES, GROUPS]).rows())
    assert len(rows) == 2 * len(net)
    first = rows[0]
    assert (first.station_id, first.metric, first.zh) == (
        "qxg-r01",
        "person_times",
        "服务人次",
    )


def test_metric_constructors_check_their_parts():
    assert VISIT_SHARE.aggregation is Aggregation.RATIO_OF_SUMS
    with pytest.raises(ValueError, match="ratio's parts must be sums"):
        Metric.ratio_of_sums("bad", "坏", DISTINCT_RECIPIENTS, PERSON_TIMES)
    with pytest.raises(ValueError, match="numerator and denominator"):
        Metric(name="bad", zh="坏", aggregation=Aggregation.RATIO_OF_SUMS)


def test_two_different_metrics_with_one_name_are_rejected():
    net = StationNetwork.from_dataset(load_dataset(examples.path("qixinggang.json")))
    clash = Metric.sum("person_times", "别的", lambda a: a.sessions)
    with pytest.raises(StationNetworkError, match="person_times"):
        rollup(
            net,
            metrics=[
                PERSON_TIMES,
                Metric.ratio_of_sums("r", "比", clash, PERSON_TIMES),
            ],
        )


@given(rich_datasets())
def test_residents_served_and_staff_trained_split_every_attendance(ds):
    net = StationNetwork.from_dataset(ds)
    result = rollup(
        net, metrics=(PERSON_TIMES, SERVED_PERSON_TIMES, TRAINED_PERSON_TIMES)
    )
    for sid in net:
        below = nx.descendants(net.graph, sid) | {sid}
        rows = [a for a in ds.activities if a.station_id in below]
        trained = sum(a.person_times for a in rows if a.activity_type.is_staff_facing)
        assert result.total(sid, TRAINED_PERSON_TIMES) == trained
        assert result.total(sid, SERVED_PERSON_TIMES) + trained == result.total(
            sid, PERSON_TIMES
        )


def test_jinniu_residents_served_exclude_trainings_supervision_and_staff_care():
    ds = load_dataset(examples.path("jinniu.json"))
    result = rollup(StationNetwork.from_dataset(ds))
    assert result.total("jn-hub", "served_person_times") == 241_575
    staff = {
        ActivityType.STAFF_TRAINING,
        ActivityType.SUPERVISION,
        ActivityType.VOLUNTEER_TRAINING,
        ActivityType.CAPACITY_BUILDING,
    }
    assert result.total("jn-hub", "trained_person_times") == sum(
        a.person_times for a in ds.activities if a.activity_type in staff
    )
    assert not any(
        a.activity_type is ActivityType.PSYCHOSOCIAL_SUPPORT and "社工" in a.title
        for a in ds.activities
    )


@pytest.mark.parametrize(
    ("seed", "year", "whole", "quarters"),
    [
        ("jinniu", 2023, "70b0e084bf27bcd1", "2fc987993e6b50dd"),
        ("qixinggang", 2022, "df19121c20f72976", "6add25edf0366945"),
    ],
)
def test_seed_rollup_is_pinned(seed: str, year: int, whole: str, quarters: str) -> None:
    net = StationNetwork.from_dataset(examples.load(seed))
    assert digest(list(rollup(net).rows())) == whole
    by_quarter = rollup(net, period=calendar_periods(year))
    assert digest(list(by_quarter.rows())) == quarters
