from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from hypothesis import given, settings

from tests.pinning import digest
from tests.strategies import datasets
from wushe import examples
from wushe.io import HSDS_VERSION, export_hsds, load_dataset, to_hsds
from wushe.models import Dataset
from wushe.vocab import StationStatus

QXG = examples.path("qixinggang.json")
TABLES = ("organization", "service", "location", "service_at_location")


def test_every_record_has_a_stable_uuid_and_the_required_fields():
    ds = load_dataset(QXG)
    first, second = to_hsds(ds), to_hsds(ds)
    assert first == second
    for table in TABLES:
        for row in first[table]:
            assert uuid.UUID(row["id"]).version == 5
    for org in first["organization"]:
        assert org["name"]
        assert org["description"]
    for service in first["service"]:
        assert service["status"] in {
            "active",
            "inactive",
            "defunct",
            "temporarily closed",
        }
    for location in first["location"]:
        assert location["location_type"] == "physical"


@settings(max_examples=30)
@given(ds=datasets())
def test_links_only_point_at_exported_services_and_locations(ds: Dataset):
    tables = to_hsds(ds)
    services = {s["id"] for s in tables["service"]}
    locations = {loc["id"] for loc in tables["location"]}
    organizations = {o["id"] for o in tables["organization"]}
    for link in tables["service_at_location"]:
        assert link["service_id"] in services
        assert link["location_id"] in locations
    for service in tables["service"]:
        assert service["organization_id"] in organizations
    built = [s for s in ds.stations if s.status is StationStatus.BUILT]
    assert len(tables["location"]) == len(built)


@settings(max_examples=30)
@given(ds=datasets())
def test_no_personal_data_reaches_the_directory(ds: Dataset):
    text = json.dumps(to_hsds(ds), ensure_ascii=False)
    names = [r.name for r in ds.recipients] + [w.name for w in ds.workers]
    for name in names + [v.name for v in ds.volunteers]:
        assert name.reveal() not in text


def test_export_writes_four_tables_or_one_document(tmp_path):
    ds = load_dataset(QXG)
    paths = export_hsds(ds, tmp_path / "hsds")
    assert [p.name for p in paths] == [f"{t}.json" for t in TABLES]
    (one,) = export_hsds(ds, tmp_path / "directory.json")
    document = json.loads(one.read_text(encoding="utf-8"))
    assert document["hsds_version"] == HSDS_VERSION
    assert document["location"] == json.loads(paths[2].read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("seed", "as_of", "pinned"),
    [
        ("jinniu", date(2023, 6, 30), "263e0a99526835db"),
        ("jinniu", date(2025, 1, 1), "0b74ad90806478ac"),
        ("qixinggang", date(2023, 6, 30), "0674cfb26758c7c6"),
    ],
)
def test_seed_hsds_tables_are_pinned(seed: str, as_of: date, pinned: str) -> None:
    assert digest(to_hsds(examples.load(seed), as_of=as_of)) == pinned
