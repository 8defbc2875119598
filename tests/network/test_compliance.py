from __future__ import annotations

from tests.network.test_network import HUB, TS, room, street
from wushe import examples
from wushe.io import load_dataset
from wushe.network import (
    FIVE_HAVES,
    SIX_HAVES,
    BuildStandard,
    StationNetwork,
    compliance,
)
from wushe.vocab import BuildCriterion, StationLevel

SIX = [c.value for c in SIX_HAVES.criteria]


def test_lists_missing_items_in_the_standards_order():
    partial = room("r1", 1, "ts", criteria_met=["rules", "site"])
    net = StationNetwork.from_dataset(street(HUB, {**TS, "criteria_met": SIX}, partial))
    result = compliance(net)
    assert result.row("ts").compliant
    r1 = result.row("r1")
    assert r1.met == (BuildCriterion.SITE, BuildCriterion.RULES)
    assert [c.zh for c in r1.missing] == [
        "有设备",
        "有人员",
        "有服务功能",
        "有工作流程",
    ]
    assert [r.station_id for r in result.failing] == ["hub", "r1"]
    village = next(s for s in result.summaries if s.level is StationLevel.VILLAGE)
    assert (village.assessed, village.compliant, village.rate) == (1, 0, 0.0)


def test_planned_stations_and_uncovered_levels_are_not_assessed():
    planned = room("r2", 2, "ts", status="planned", planned_year=2025)
    only_streets = BuildStandard(
        name="street_six",
        zh="街道六有",
        criteria=SIX_HAVES.criteria,
        levels=frozenset({StationLevel.TOWNSHIP}),
    )
    net = StationNetwork.from_dataset(street(HUB, TS, room("r1", 1, "ts"), planned))
    assert compliance(net).not_assessed == ("r2",)
    assert compliance(net, only_streets).not_assessed == ("hub", "r1", "r2")


def test_declared_staff_without_a_posted_worker_is_flagged():
    ds = load_dataset(examples.path("jinniu.json"))
    net = StationNetwork.from_dataset(ds)
    row = compliance(net, FIVE_HAVES).row("jn-ts01")
    assert row.missing == (BuildCriterion.ACTIVITIES,)
    posted = {w.station_id for w in ds.workers}
    assert (BuildCriterion.STAFF in row.unsupported) == ("jn-ts01" not in posted)


def test_qixinggang_street_station_declares_no_build_standard_its_seed_never_states():
    net = StationNetwork.from_dataset(load_dataset(examples.path("qixinggang.json")))
    row = compliance(net).row("qxg-ts")
    assert not row.compliant
    assert len(row.missing) == len(SIX_HAVES.criteria)


def test_a_local_standard_is_data():
    standard = BuildStandard.model_validate_json(
        '{"name": "three", "zh": "三有", "criteria": ["场地", "人员", "制度"]}'
    )
    assert standard.criteria == (
        BuildCriterion.SITE,
        BuildCriterion.STAFF,
        BuildCriterion.RULES,
    )
