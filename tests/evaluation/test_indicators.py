"""Indicator actuals come from the ledger; roll-ups never double count."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.network.strategies import rich_datasets
from tests.networks import network_of
from tests.strategies import datasets
from wushe import examples
from wushe.evaluation import (
    Aggregation,
    IndicatorActual,
    indicator_actuals,
    is_known_indicator,
    match_actuals,
    outcome_actuals,
    rollup_indicators,
)
from wushe.exceptions import EvaluationError, StationNetworkError
from wushe.matching import match
from wushe.models import Activity, Period, ServiceProject, Station
from wushe.network import StationNetwork
from wushe.vocab import StationLevel

Y2023 = Period(start=date(2023, 1, 1), end=date(2023, 12, 31))
H1 = Period(start=date(2023, 1, 1), end=date(2023, 6, 30))


@settings(max_examples=20)
@given(datasets(max_recipients=3))
def test_ledger_actuals_equal_the_projects_rows_inside_its_period(ds):
    project = ds.projects[0]
    actuals = indicator_actuals(project, ds.activities)
    mine = [
        a
        for a in ds.activities
        if a.project_id == project.project_id and project.period.includes(a.held_on)
    ]
    sessions: Counter[str] = Counter()
    for row in mine:
        sessions[row.activity_type.value] += row.sessions
    for kind, count in sessions.items():
        assert actuals[f"{kind}.sessions"].value == count
    assert actuals["total.sessions"].value == sum(r.sessions for r in mine)
    assert actuals["total.person_times"].value == sum(r.person_times for r in mine)
    assert set(actuals["total.sessions"].record_ids) == {r.activity_id for r in mine}


@settings(max_examples=20)
@given(datasets(max_recipients=3))
def test_station_actuals_count_only_that_stations_rows(ds):
    station = ds.stations[0]
    actuals = indicator_actuals(station, ds.activities)
    expected = sum(
        a.person_times for a in ds.activities if a.station_id == station.station_id
    )
    assert actuals["total.person_times"].value == expected


def _project(*targets: dict[str, object]) -> ServiceProject:
    return ServiceProject.model_validate(
        {
            "project_id": "p1",
            "name": "项目",
            "funder": "区民政局",
            "operator_id": "o1",
            "budget": 1,
            "period": Y2023,
            "targets": list(targets),
        }
    )


def _row(i: int, kind: str, **extra) -> Activity:
    return Activity.model_validate(
        {
            "activity_id": f"a{i}",
            "activity_type": kind,
            "held_on": date(2023, 5, 1),
            "station_id": "s1",
            "project_id": "p1",
            **extra,
        }
    )


def test_targeted_ledger_indicator_without_rows_is_a_recorded_zero():
    project = _project(
        {"indicator": "group_activity.sessions", "target": 300},
        {"indicator": "volunteers_cultivated", "target": 600, "unit": "人"},
        {"indicator": "needs.met", "target": 50},
    )
    actuals = indicator_actuals(project, [_row(1, "case_service", sessions=3)])
    assert actuals["group_activity.sessions"].value == 0
    assert actuals["group_activity.sessions"].source == "ledger"
    assert actuals["volunteers_cultivated"].value == 0
    assert "needs.met" not in actuals  # not a ledger indicator: must be supplied


def test_short_forms_alias_totals_and_outputs():
    project = _project(
        {"indicator": "person_times", "target": 10},
        {"indicator": "books", "target": 100},
    )
    rows = [
        _row(1, "community_event", person_times=30),
        _row(
            2,
            "donation_delivery",
            outputs=[{"name": "books", "amount": 120, "unit": "本"}],
        ),
    ]
    actuals = indicator_actuals(project, rows)
    assert actuals["person_times"].value == 30
    assert actuals["books"].value == 120
    assert actuals["books"].record_ids == ("a2",)
    assert actuals["outputs.books"].unit == "本"


def test_output_recorded_in_two_units_is_an_error_naming_the_row():
    rows = [
        _row(
            1,
            "donation_delivery",
            outputs=[{"name": "books", "amount": 1, "unit": "本"}],
        ),
        _row(
            2,
            "donation_delivery",
            outputs=[{"name": "books", "amount": 1, "unit": "箱"}],
        ),
    ]
    with pytest.raises(EvaluationError, match=r"a2"):
        indicator_actuals(_project(), rows)


def test_indicator_grammar():
    assert is_known_indicator("care_visit.person_times")
    assert is_known_indicator("needs.met")
    assert is_known_indicator("outputs.儿童绘本")
    assert not is_known_indicator("care.person_times")
    assert not is_known_indicator("Needs Met")
    with pytest.raises(EvaluationError, match=r"Needs Met"):
        outcome_actuals({"Needs Met": 3})


def _v(
    name: str, value: float, period: Period = Y2023, **kw
) -> dict[str, IndicatorActual]:
    return {
        name: IndicatorActual(
            indicator=name, value=value, source="test", period=period, **kw
        )
    }


PARENTS = {
    "hub": None,
    "ts1": "hub",
    "ts2": "hub",
    "r1": "ts1",
    "r2": "ts1",
    "r3": "ts2",
}
CODES = {
    "hub": "510106",
    "ts1": "510106001",
    "ts2": "510106002",
    "r1": "510106001001",
    "r2": "510106001002",
    "r3": "510106002001",
}
LEVELS = {6: StationLevel.COUNTY, 9: StationLevel.TOWNSHIP, 12: StationLevel.VILLAGE}
NETWORK = network_of(
    [
        Station(
            station_id=sid,
            name=f"站{sid}",
            level=LEVELS[len(CODES[sid])],
            division_code=CODES[sid],
            parent_ids=() if parent is None else (parent,),
        )
        for sid, parent in PARENTS.items()
    ],
    {f"c{sid}": code for sid, code in CODES.items() if len(code) == 12},
)


def test_sum_rollup_counts_every_unit_once():
    values = {unit: _v("custom.visits", k + 1) for k, unit in enumerate(PARENTS)}
    up = rollup_indicators(values, {"custom.visits": Aggregation.SUM}, network=NETWORK)
    assert up["hub"]["custom.visits"].value == sum(range(1, 7))
    assert up["ts1"]["custom.visits"].value == 2 + 4 + 5
    assert up["ts1"]["custom.visits"].unit_ids == ("r1", "r2", "ts1")
    assert up["r3"]["custom.visits"].value == 6


def test_ratio_rollup_divides_sums_not_averages_ratios():
    values = {
        "r1": _v("custom.met", 0.9, numerator=9, denominator=10),
        "r2": _v("custom.met", 0.1, numerator=10, denominator=100),
    }
    up = rollup_indicators(
        values, {"custom.met": Aggregation.RATIO_OF_SUMS}, network=NETWORK
    )
    assert up["ts1"]["custom.met"].value == pytest.approx(19 / 110)


def test_latest_rollup_keeps_the_newest_observation():
    values = {
        "r1": _v("custom.staff", 3, observed_on=date(2023, 3, 1)),
        "r2": _v("custom.staff", 5, observed_on=date(2023, 9, 1)),
    }
    up = rollup_indicators(
        values, {"custom.staff": Aggregation.LATEST}, network=NETWORK
    )
    assert up["hub"]["custom.staff"].value == 5


def test_qualitative_values_are_never_combined():
    values = {"r1": _v("custom.brand", 1), "ts1": _v("custom.brand", 2)}
    up = rollup_indicators(
        values, {"custom.brand": Aggregation.QUALITATIVE}, network=NETWORK
    )
    assert up["ts1"]["custom.brand"].value == 2
    assert "custom.brand" not in up["hub"]


def test_misaligned_periods_are_rejected_naming_both_units():
    values = {"r1": _v("custom.visits", 1), "r2": _v("custom.visits", 1, period=H1)}
    with pytest.raises(EvaluationError, match=r"'r1'.*'r2'"):
        rollup_indicators(values, {"custom.visits": Aggregation.SUM}, network=NETWORK)


def test_a_record_claimed_by_two_units_is_double_counting():
    values = {
        "r1": _v("custom.visits", 1, record_ids=("a1",)),
        "ts1": _v("custom.visits", 1, record_ids=("a1",)),
    }
    with pytest.raises(EvaluationError, match=r"'a1'"):
        rollup_indicators(values, {"custom.visits": Aggregation.SUM}, network=NETWORK)


def test_undeclared_semantics_and_units_outside_the_network_are_rejected():
    with pytest.raises(EvaluationError, match=r"no declared aggregation"):
        rollup_indicators({"r1": _v("custom.visits", 1)}, {}, network=NETWORK)
    with pytest.raises(EvaluationError, match=r"'zz'.*not a station of the network"):
        rollup_indicators(
            {"zz": _v("custom.visits", 1)},
            {"custom.visits": Aggregation.SUM},
            network=NETWORK,
        )


def test_a_parents_mapping_is_refused_naming_the_network_keyword():
    values = {"r1": _v("custom.visits", 1)}
    semantics = {"custom.visits": Aggregation.SUM}
    with pytest.raises(TypeError, match=r"'parents' is now the keyword network="):
        rollup_indicators(values, PARENTS, semantics)  # type: ignore[arg-type, call-arg]
    with pytest.raises(TypeError, match=r"'parents', renamed to 'network'"):
        rollup_indicators(values, semantics, parents=PARENTS)  # type: ignore[call-arg]
    with pytest.raises(TypeError, match=r"rollup_indicators\(network=\.\.\.\)"):
        rollup_indicators(values, semantics, network=PARENTS)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"needs a wushe.network.StationNetwork"):
        rollup_indicators(values, semantics, network=None)  # type: ignore[arg-type]


@settings(max_examples=20)
@given(rich_datasets(), st.data())
def test_every_station_totals_its_own_and_each_station_below_it_once(ds, data):
    network = StationNetwork.from_dataset(ds)
    own = {
        sid: data.draw(st.integers(0, 1000), label=sid) for sid in network.station_ids
    }
    values = {
        sid: _v("custom.visits", n, record_ids=(f"row-{sid}",))
        for sid, n in own.items()
    }
    up = rollup_indicators(values, {"custom.visits": Aggregation.SUM}, network=network)
    assert set(up) == set(network.station_ids)
    for sid in network.station_ids:
        below = network.descendants(sid) | {sid}
        item = up[sid]["custom.visits"]
        assert item.value == sum(own[u] for u in below)
        assert set(item.unit_ids) == below
        assert sorted(item.record_ids) == sorted(f"row-{u}" for u in below)
    # A street rolled up alone gives what the district gives for its stations.
    top = data.draw(st.sampled_from(network.station_ids), label="top")
    part = network.subnetwork(top)
    alone = rollup_indicators(
        {sid: values[sid] for sid in part.station_ids},
        {"custom.visits": Aggregation.SUM},
        network=part,
    )
    assert {sid: alone[sid] for sid in part} == {sid: up[sid] for sid in part}


@settings(max_examples=20)
@given(datasets(max_recipients=3))
def test_with_a_network_the_hub_counts_every_stations_rows(ds):
    [hub] = [s for s in ds.stations if s.station_id == "hub"]
    network = StationNetwork.from_dataset(ds)
    actuals = indicator_actuals(hub, ds.activities, network=network)
    assert actuals["total.sessions"].value == sum(a.sessions for a in ds.activities)


@settings(max_examples=20)
@given(datasets(max_recipients=3), st.randoms(use_true_random=False))
def test_ledger_order_does_not_change_the_actuals(ds, rng):
    rows = list(ds.activities)
    rng.shuffle(rows)
    project = ds.projects[0]
    assert indicator_actuals(project, rows) == indicator_actuals(project, ds.activities)


@settings(max_examples=15)
@given(datasets(max_recipients=5))
def test_match_actuals_partition_the_needs(ds):
    plan = match(ds.needs, ds)
    actuals = match_actuals(plan)
    parts = [
        set(actuals[k].record_ids)
        for k in ("needs.met", "needs.partly_met", "needs.unmet")
    ]
    assert set().union(*parts) == set(actuals["needs.total"].record_ids)
    assert sum(len(p) for p in parts) == actuals["needs.total"].value
    share = actuals["needs.met_share"]
    assert share.numerator == actuals["needs.met"].value
    assert share.denominator == actuals["needs.total"].value
    mine = match_actuals(plan, need_ids=[n.need_id for n in ds.needs[:1]])
    assert mine["needs.total"].value <= 1


# --- #15: the hierarchy comes as a StationNetwork, and only so ---


@settings(max_examples=25)
@given(datasets(max_recipients=3), st.data())
def test_a_station_in_a_network_counts_the_rows_of_its_subtree_as_by_hand(ds, data):
    network = StationNetwork.from_dataset(ds)
    station = network.station(
        data.draw(st.sampled_from(network.station_ids), label="station")
    )
    below = network.descendants(station.station_id) | {station.station_id}
    by_hand = [a.model_copy(update={"station_id": station.station_id})
               for a in ds.activities if a.station_id in below]  # fmt: skip
    street = network.subnetwork(station.station_id)
    assert indicator_actuals(station, ds.activities, network=network) == (
        indicator_actuals(station, by_hand)
    )
    assert indicator_actuals(station, ds.activities, network=street) == (
        indicator_actuals(station, by_hand)
    )


@settings(max_examples=25)
@given(datasets(max_recipients=3), st.data())
def test_a_project_in_a_scoped_network_counts_that_scopes_rows_as_by_hand(ds, data):
    network = StationNetwork.from_dataset(ds)
    top = data.draw(st.sampled_from(network.station_ids), label="scope")
    street = network.subnetwork(top)
    for project in ds.projects:
        by_hand = [a for a in ds.activities if a.station_id in street]
        assert indicator_actuals(project, ds.activities, network=street) == (
            indicator_actuals(project, by_hand)
        )
        assert indicator_actuals(project, ds.activities, network=network) == (
            indicator_actuals(project, ds.activities)
        )


@settings(max_examples=20)
@given(datasets(max_recipients=3), st.data())
def test_rows_after_as_of_do_not_count(ds, data):
    day = data.draw(st.dates(date(2023, 1, 1), date(2025, 12, 31)), label="as_of")
    by_hand = [a for a in ds.activities if a.held_on <= day]
    for subject in (*ds.projects, *ds.stations):
        assert indicator_actuals(subject, ds.activities, as_of=day) == (
            indicator_actuals(subject, by_hand)
        )


@pytest.mark.parametrize("wrong", [{"c1": "ts1"}, ["hub"], "hub", frozenset({"ts1"})])
def test_a_network_that_is_not_a_station_network_is_refused_by_name(wrong):
    station = Station(
        station_id="ts1",
        name="街道站",
        level=StationLevel.TOWNSHIP,
        division_code="510106001",
    )
    with pytest.raises(TypeError, match=r"indicator_actuals\(network=\.\.\.\)"):
        indicator_actuals(station, [], network=wrong)


def test_a_station_outside_the_network_is_named():
    station = Station(
        station_id="elsewhere",
        name="外站",
        level=StationLevel.TOWNSHIP,
        division_code="510106009",
    )
    ds = examples.load("qixinggang")
    with pytest.raises(StationNetworkError, match="elsewhere"):
        indicator_actuals(
            station, ds.activities, network=StationNetwork.from_dataset(ds)
        )
