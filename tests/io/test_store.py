from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.scale.province import county_codes, make_county, make_province
from tests.stores import edit_partition
from wushe.care import VisitRecord
from wushe.exceptions import LoadError, StoreError
from wushe.io import STORE_SCHEMA_VERSION, StoreWriter, open_store, write_store
from wushe.models import COLLECTIONS, Dataset


def _province(counties: int = 2, **kwargs: Any) -> tuple[Dataset, list[VisitRecord]]:
    data, log = make_province(
        counties, streets=2, communities=2, recipients=3, **kwargs
    )
    return Dataset.model_validate(data), [
        VisitRecord.model_validate(v) for v in log["visits"]
    ]


def _ids(ds: Dataset, collection: str) -> list[str]:
    id_field = COLLECTIONS[collection][1]
    return [getattr(r, id_field) for r in ds.records(collection)]


def test_each_county_loads_as_an_ordinary_dataset(tmp_path: Path) -> None:
    ds, visits = _province(3)
    manifest = write_store(tmp_path, ds, visits=visits)
    store = open_store(tmp_path)
    assert store.keys == tuple(county_codes(3)) == manifest.keys
    assert manifest.schema_version == STORE_SCHEMA_VERSION
    for key in store.keys:
        part = store.load(key)
        assert part.division_code == key
        assert all(r.community_id.startswith(f"c{key}") for r in part.recipients)
        loaded, _ = store.load_visits(key)
        assert {v.recipient_id for v in loaded} <= {
            r.recipient_id for r in part.recipients
        }


@given(counties=st.integers(1, 4), seed=st.integers(0, 3))
def test_every_record_lives_in_exactly_one_partition(
    tmp_path_factory, counties, seed
) -> None:
    ds, visits = _province(counties, seed=seed)
    root = tmp_path_factory.mktemp("store")
    manifest = write_store(root, ds, visits=visits)
    store = open_store(root)
    copies = {key: store.copies_in(key) for key in store.keys}
    for collection in COLLECTIONS:
        if collection == "divisions":
            continue
        homes = [
            i
            for key in store.keys
            for i in _ids(store.load(key), collection)
            if i not in copies[key].get(collection, frozenset())
        ]
        assert sorted(homes) == sorted(_ids(ds, collection)), collection
    placed = sum(len(store.load_visits(k)[0]) for k in store.keys)
    assert placed == len(visits)
    assert sum(p.counts.get("recipients", 0) for p in manifest.partitions) == len(
        ds.recipients
    )


def _cross_county() -> Dataset:
    a, b = county_codes(2)
    data_a, _ = make_county(a, streets=1, communities=2, recipients=2)
    data_b, _ = make_county(b, streets=1, communities=2, recipients=2)
    merged: dict[str, Any] = {"name": "合成省", "division_code": "510000",
                              "divisions": [{"division_code": "510000", "name": "合成省"},
                                            {"division_code": "510100", "name": "合成市"}]}  # fmt: skip
    for data in (data_a, data_b):
        for key, value in data.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
    first_b = data_b["communities"][0]["community_id"]
    merged["communities"][1]["adjacent_ids"].append(
        first_b
    )  # adjacency across the border
    merged["communities"][2]["adjacent_ids"].append(
        merged["communities"][1]["community_id"]
    )
    merged["organizations"][0]["service_area"] = [a, b]  # serves both counties
    merged["workers"][-1]["organization_id"] = data_a["organizations"][0][
        "organization_id"
    ]
    merged["projects"] = [{"project_id": "east-west", "name": "东西部协作项目", "funder": "合成市民政局",
                           "operator_id": data_a["organizations"][0]["organization_id"], "budget": "100000",
                           "period": {"start": "2024-01-01", "end": "2024-12-31"},
                           "station_ids": [data_a["stations"][1]["station_id"], data_b["stations"][1]["station_id"]]}]  # fmt: skip
    merged["activities"][-1]["project_id"] = "east-west"
    return Dataset.model_validate(merged)


def test_cross_county_references_are_copied_or_cut_and_listed(tmp_path: Path) -> None:
    ds = _cross_county()
    manifest = write_store(tmp_path, ds)
    store = open_store(tmp_path)
    a, b = county_codes(2)
    assert store.keys == (a, b)
    shared = {(s.collection, s.record_id): s for s in manifest.shared}
    org = ds.organizations[0].organization_id
    assert shared["organizations", org].home == a
    assert b in shared["organizations", org].copies
    assert shared["projects", "east-west"].copies == (b,)
    cut = {(c.partition, c.collection, c.field, c.target_id) for c in manifest.cut}
    assert (a, "communities", "adjacent_ids", ds.communities[2].community_id) in cut
    assert any(c[1] == "projects" and c[2] == "station_ids" for c in cut)
    for key in store.keys:
        store.load(key)  # every partition is a valid dataset on its own


def test_a_changed_partition_file_is_refused(tmp_path: Path) -> None:
    ds, _ = _province(2)
    write_store(tmp_path, ds)
    store = open_store(tmp_path)
    path = store.file(store.keys[0], store.dataset_file(store.keys[0]))
    path.write_bytes(path.read_bytes().replace(b"\xe5\x8e\xbf", b"\xe5\xb8\x82", 1))
    with pytest.raises(StoreError, match="checksum"):
        store.load(store.keys[0])


def test_invalid_partition_data_is_reported_record_by_record(tmp_path: Path) -> None:
    ds, _ = _province(1)
    write_store(tmp_path, ds)
    key = open_store(tmp_path).keys[0]

    def stray(document: dict[str, Any]) -> None:
        document["recipients"][0]["community_id"] = "nowhere"

    edit_partition(tmp_path, key, stray)
    with pytest.raises(LoadError) as info:
        open_store(tmp_path).load(key)
    assert info.value.report.issues[0].field == "community_id"


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "not a wushe store"), ("{", "not a valid manifest"),
     ('{"schema_version": 99, "name": "x", "division_code": "510000", "partitions": []}', "newer wushe")],
)  # fmt: skip
def test_a_store_that_cannot_be_opened_says_why(
    tmp_path: Path, content, message
) -> None:
    if content is not None:
        (tmp_path / "manifest.json").write_text(content, encoding="utf-8")
    with pytest.raises(StoreError, match=message):
        open_store(tmp_path)


def test_an_unknown_partition_is_named(tmp_path: Path) -> None:
    ds, _ = _province(1)
    write_store(tmp_path, ds)
    with pytest.raises(StoreError, match="no partition '999999'"):
        open_store(tmp_path).load("999999")


def test_a_visit_of_an_unknown_recipient_is_refused(tmp_path: Path) -> None:
    ds, visits = _province(1)
    stray = VisitRecord.model_validate({"visit_id": "x", "recipient_id": "ghost",
                                        "visited_at": "2024-05-01T09:00"})  # fmt: skip
    with pytest.raises(StoreError, match="unknown recipient 'ghost'"):
        write_store(tmp_path, ds, visits=[*visits, stray])


def test_counties_written_one_at_a_time_make_one_store(tmp_path: Path) -> None:
    counties = [
        make_county(c, streets=1, communities=1, recipients=2) for c in county_codes(3)
    ]
    with StoreWriter(tmp_path, name="合成省", division_code="510000") as writer:
        for data, log in counties:
            visits = [VisitRecord.model_validate(v) for v in log["visits"]]
            writer.add(Dataset.model_validate(data), visits=visits)
    manifest = writer.manifest
    assert (manifest.name, manifest.keys) == ("合成省", tuple(county_codes(3)))
    store = open_store(tmp_path)
    assert store.load("510102") == Dataset.model_validate(counties[1][0])
    assert len(store.load_visits("510103")[0]) == len(counties[2][1]["visits"])


def test_a_partition_added_twice_or_nothing_at_all_is_refused(tmp_path: Path) -> None:
    county = Dataset.model_validate(make_county("510101", streets=1, communities=1)[0])
    writer = StoreWriter(tmp_path, name="x", division_code="510000")
    writer.add(county)
    with pytest.raises(StoreError, match="both hold partition 510101"):
        writer.add(county)
    with pytest.raises(StoreError, match="no dataset was added"):
        StoreWriter(tmp_path / "none", name="x", division_code="510000").close()


def test_an_unwritable_store_folder_is_named(tmp_path: Path) -> None:
    ds, _ = _province(1)
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot write the store"):
        write_store(blocker / "store", ds)
