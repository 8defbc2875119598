"""The 金牛区 example (seed 002): the published 25,075 巡访人次 come back from visit records.

The ledger person-times of the visit rates also agree, station by station and month by
month, with ``wushe.network.rollup`` of the same ledger.
"""

from __future__ import annotations

import json
from datetime import date

from pydantic import TypeAdapter

from wushe import examples
from wushe.care import (
    VisitRecord,
    monthly_periods,
    schedule,
    visit_rates,
)
from wushe.io import load_dataset
from wushe.models import Period
from wushe.network import StationNetwork, person_times, rollup
from wushe.vocab import ActivityType

CARE_VISIT = ActivityType.CARE_VISIT

DATA = examples.path("jinniu").parent


def test_jinniu_visit_log_reproduces_the_published_25075_person_times():
    ds = load_dataset(DATA / "jinniu.json")
    raw = json.loads((DATA / "jinniu_visits.json").read_text(encoding="utf-8"))
    visits = TypeAdapter(list[VisitRecord]).validate_python(raw["visits"])
    network = StationNetwork.from_dataset(ds)
    months = monthly_periods(date(2023, 1, 1), date(2023, 12, 31))
    rows = visit_rates(
        ds.recipients,
        visits,
        periods=months,
        network=network,
        activities=ds.activities,
    )
    hub = [r for r in rows if r.station_id == "jn-hub"]
    assert sum(r.person_times for r in hub) == 25_075
    assert sum(r.ledger_person_times for r in hub) == 25_075
    streets = [r for r in rows if r.station_id and r.station_id.startswith("jn-ts")]
    for month in range(1, 13):
        in_month = [r for r in streets if r.start.month == month]
        [total] = [r for r in hub if r.start.month == month]
        assert total.due == sum(r.due for r in in_month)
        assert total.visited == sum(r.visited for r in in_month)
    assert None not in {r.station_id for r in rows}
    ledger = rollup(network, period=list(months), metrics=[person_times(CARE_VISIT)])
    for row in rows:
        if row.station_id is not None:
            period = Period(start=row.start, end=row.end)
            expected = ledger.total(
                row.station_id, f"{CARE_VISIT.value}.person_times", period=period
            )
            assert row.ledger_person_times == expected
    due = schedule(ds.recipients, visits, as_of=date(2023, 12, 31), network=network)
    assert all(
        d.station_id is not None and d.station_id.startswith("jn-r") for d in due
    )
