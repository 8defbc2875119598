"""The station's own records are split by county like every other record, never dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from tests.scale.province import county_codes, make_province
from tests.strategies import station_records
from wushe.io import open_store, write_store
from wushe.models import COLLECTIONS, Dataset
from wushe.privacy import REVEAL

RECORDS = (
    "households",
    "person_links",
    "cases",
    "case_sessions",
    "referrals",
    "supervisions",
    "trainings",
    "contracts",
    "spendings",
    "incubators",
    "incubations",
    "child_welfare_posts",
    "grids",
)


def _with_records(data: dict[str, Any], counties: list[str]) -> dict[str, Any]:
    """Give each county a household, a case with a session, a referral, a supervision
    and a training, all inside the county."""
    for county in counties:
        p = f"c{county}"
        person = next(r for r in data["recipients"] if r["community_id"].startswith(p))
        worker = next(w for w in data["workers"] if w["station_id"].startswith(p))
        data.setdefault("households", []).append(
            {
                "household_id": f"{p}-h1",
                "community_id": person["community_id"],
                "member_ids": [person["recipient_id"]],
            }
        )
        data.setdefault("cases", []).append(
            {
                "case_id": f"{p}-k1",
                "recipient_id": person["recipient_id"],
                "worker_id": worker["worker_id"],
                "station_id": f"{p}-hub",
                "household_id": f"{p}-h1",
                "phases": "接案 2024-02-01",
            }
        )
        data.setdefault("case_sessions", []).append(
            {
                "session_id": f"{p}-s1",
                "case_id": f"{p}-k1",
                "held_on": "2024-02-02",
                "duration_minutes": 50,
            }
        )
        data.setdefault("referrals", []).append(
            {
                "referral_id": f"{p}-f1",
                "recipient_id": person["recipient_id"],
                "station_id": f"{p}-hub",
                "unit": "医保",
                "sent_on": "2024-02-03",
                "case_id": f"{p}-k1",
            }
        )
        data.setdefault("supervisions", []).append(
            {
                "supervision_id": f"{p}-sv1",
                "held_on": "2024-03-01",
                "station_id": f"{p}-hub",
                "hours": "2",
                "supervisee_ids": [worker["worker_id"]],
            }
        )
        data.setdefault("trainings", []).append(
            {
                "training_id": f"{p}-t1",
                "title": "继续教育",
                "held_on": "2024-04-01",
                "station_id": f"{p}-hub",
                "hours": "6",
                "attendee_ids": [worker["worker_id"]],
            }
        )
    return data


def _ids(ds: Dataset, collection: str) -> list[str]:
    id_field = COLLECTIONS[collection][1]
    return sorted(getattr(r, id_field) for r in ds.records(collection))


def test_each_countys_records_live_in_its_own_partition(tmp_path: Path) -> None:
    counties = county_codes(2)
    data, _ = make_province(2, streets=2, communities=2, recipients=3)
    ds = Dataset.model_validate(_with_records(data, counties))
    write_store(tmp_path, ds)
    store = open_store(tmp_path)
    for key in store.keys:
        part = store.load(key)
        for collection in RECORDS[:1] + RECORDS[2:]:
            assert _ids(part, collection) == sorted(
                i for i in _ids(ds, collection) if i.startswith(f"c{key}")
            ), collection


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ds=station_records())
def test_no_record_is_dropped_by_the_store(tmp_path_factory, ds: Dataset) -> None:
    root = tmp_path_factory.mktemp("store")
    write_store(root, ds)
    store = open_store(root)
    for collection in RECORDS:
        placed = sorted(
            i for key in store.keys for i in _ids(store.load(key), collection)
        )
        assert placed == _ids(ds, collection), collection
    whole = ds.model_dump(mode="json", context=REVEAL)
    assert all(whole[c] is not None for c in RECORDS)
