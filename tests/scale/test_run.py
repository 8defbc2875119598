"""The monthly run on a real local Dask cluster of two worker processes."""

from __future__ import annotations

import json
import logging
import os
import pickle
import re
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from distributed import Client, LocalCluster, WorkerPlugin

from tests.scale.province import make_county, make_province
from tests.scale.test_monthly import attrs_equal
from tests.stores import edit_partition
from wushe.care import VisitRecord
from wushe.exceptions import StoreError
from wushe.io import StoreWriter, open_store, write_store
from wushe.models import Dataset
from wushe.scale import (
    MonthlyRun,
    MonthlyTotals,
    combine,
    monthly_facts,
    run_monthly,
    run_partition,
)

AS_OF = date(2024, 6, 30)


def _store(
    root: Path, counties: int = 4, *, city: bool = False
) -> tuple[Dataset, list[VisitRecord]]:
    """A province in a store; with ``city``, a city station above the county hubs."""
    data, log = make_province(counties, streets=2, communities=2, recipients=4)
    if city:
        data["divisions"].append({"division_code": "510100", "name": "合成市"})
        data["stations"].append({"station_id": "city-hub", "name": "合成市社工指导中心",
                                 "level": "city", "division_code": "510100"})  # fmt: skip
        for station in data["stations"]:
            if station["station_id"].endswith("-hub") and station["level"] == "county":
                station["parent_ids"] = ["city-hub"]
    ds = Dataset.model_validate(data)
    visits = [VisitRecord.model_validate(v) for v in log["visits"]]
    write_store(root, ds, visits=visits)
    return ds, visits


def test_partitioned_run_equals_one_process(
    tmp_path: Path, cluster: LocalCluster
) -> None:
    ds, visits = _store(tmp_path, city=True)
    seen: list[tuple[str, int, int]] = []
    run = run_monthly(
        tmp_path,
        as_of=AS_OF,
        scheduler=cluster.scheduler_address,
        progress=lambda key, done, total: seen.append((key, done, total)),
    )
    assert run.ok
    assert run.completed == run.recomputed == run.totals.partitions
    whole = monthly_facts(ds, as_of=AS_OF, visits=visits)
    assert attrs_equal(combine(run.partition_facts(k) for k in run.completed), whole)
    shared = _shared_stations(tmp_path)
    assert shared  # the city station above the counties
    assert attrs.evolve(run.totals, partitions=()) == whole.totals(shared)
    assert set(run.totals.stations) == shared
    assert [s[1:] for s in seen] == [(i, 5) for i in range(1, 6)]


def _shared_stations(root: Path) -> frozenset[str]:
    manifest = open_store(root).manifest
    return frozenset(s.record_id for s in manifest.shared if s.collection == "stations")


def _break_partition(root: Path, key: str) -> None:
    """Make one partition's data invalid while keeping its checksum right."""

    def stray(document: dict[str, Any]) -> None:
        document["recipients"][0]["community_id"] = "nowhere"

    edit_partition(root, key, stray)


def test_an_invalid_partition_is_named_and_the_others_complete(
    tmp_path: Path, cluster: LocalCluster
) -> None:
    _store(tmp_path, counties=3)
    run = run_monthly(tmp_path, as_of=AS_OF, scheduler=cluster.scheduler_address)
    _break_partition(tmp_path, "510102")
    again = run_monthly(tmp_path, as_of=AS_OF, scheduler=cluster.scheduler_address)
    assert again.completed == ("510101", "510103")
    assert again.recomputed == ()  # the unchanged partitions come from the cache
    [failure] = again.failed
    assert (failure.key, failure.kind) == ("510102", "invalid")
    assert any("community_id" in line for line in failure.issues)
    assert again.totals.divisions["510101"] == run.totals.divisions["510101"]
    assert "510102" not in again.totals.divisions
    assert set(again.files) == {"510101", "510103"}
    assert not list(again.folder.glob("510102-*.json"))  # its stale facts are gone


def test_a_rerun_recomputes_only_what_changed(
    tmp_path: Path, cluster: LocalCluster
) -> None:
    ds, _ = _store(tmp_path, counties=3)
    first = run_monthly(tmp_path, as_of=AS_OF, scheduler=cluster.scheduler_address)
    assert first.recomputed == ("510101", "510102", "510103")
    write_store(tmp_path, ds)  # same data rewritten: same checksums, but no visits now
    second = run_monthly(tmp_path, as_of=AS_OF, scheduler=cluster.scheduler_address)
    assert second.recomputed == ("510101", "510102", "510103")
    third = run_monthly(tmp_path, as_of=AS_OF, scheduler=cluster.scheduler_address)
    assert third.recomputed == ()
    assert third.totals == second.totals


class _CrashOnce(WorkerPlugin):
    """Kills the worker process the first time it starts the named partition's task."""

    def __init__(self, marker: str, partition: str) -> None:
        self.marker = marker
        self.partition = partition

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        del kwargs
        if (
            finish == "executing"
            and self.partition in str(key)
            and os.path.exists(self.marker)
        ):
            os.remove(self.marker)
            os._exit(1)


def test_a_worker_killed_mid_run_loses_no_partition(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ds, visits = _store(store, counties=3)
    marker = tmp_path / "crash-once"
    marker.touch()
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                     dashboard_address=":0", silence_logs=logging.CRITICAL) as local,
        Client(local, set_as_default=False) as client,
    ):  # fmt: skip
        client.register_plugin(_CrashOnce(str(marker), "510102"))
        run = run_monthly(store, as_of=AS_OF, scheduler=local.scheduler_address)
    assert not marker.exists()  # the worker really died once
    assert run.ok
    assert run.completed == ("510101", "510102", "510103")
    whole = monthly_facts(ds, as_of=AS_OF, visits=visits)
    assert attrs_equal(combine(map(run.partition_facts, run.completed)), whole)


def test_unknown_partitions_and_missing_stores_are_named(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a wushe store"):
        run_monthly(tmp_path, as_of=AS_OF)
    _store(tmp_path, counties=1)
    with pytest.raises(StoreError, match="no partition '999999'"):
        run_monthly(tmp_path, as_of=AS_OF, partitions=["999999"])


def _uneven_store(root: Path, sizes: dict[str, int]) -> None:
    """One county per entry, with that many recipients per community."""
    with StoreWriter(root, name="合成省", division_code="510000") as writer:
        for code, recipients in sizes.items():
            data, log = make_county(
                code, streets=1, communities=2, recipients=recipients
            )
            writer.add(
                Dataset.model_validate(data),
                visits=[VisitRecord.model_validate(v) for v in log["visits"]],
            )


def test_larger_partitions_are_started_first(tmp_path: Path) -> None:
    """Longest first: the last partition to finish is never the biggest one."""
    _uneven_store(tmp_path, {"510101": 2, "510102": 9, "510103": 5, "510104": 14})
    order: list[str] = []
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0", silence_logs=logging.CRITICAL) as local:  # fmt: skip
        run_monthly(tmp_path, as_of=AS_OF, scheduler=local.scheduler_address, reuse=False,
                    progress=lambda key, *_: order.append(key))  # fmt: skip
    assert order == ["510104", "510102", "510103", "510101"]


def test_a_store_rewritten_in_place_is_read_again_by_a_worker(tmp_path: Path) -> None:
    """A worker keeps the parsed manifest between tasks, but never a stale one."""
    _uneven_store(tmp_path, {"510101": 3})
    out = tmp_path / "out"
    first = run_partition(str(tmp_path), "510101", AS_OF.isoformat(), str(out))
    _uneven_store(tmp_path, {"510101": 6})
    second = run_partition(str(tmp_path), "510101", AS_OF.isoformat(), str(out))
    assert isinstance(first, MonthlyTotals)
    assert isinstance(second, MonthlyTotals)
    assert first.divisions != second.divisions
    assert len(list(out.iterdir())) == 2  # one facts file per checksum


def test_each_partition_facts_are_one_file_named_by_its_checksum(
    tmp_path: Path, cluster: LocalCluster
) -> None:
    _store(tmp_path, counties=3)
    run = run_monthly(tmp_path, as_of=AS_OF, scheduler=cluster.scheduler_address)
    store = open_store(tmp_path)
    assert run.folder == tmp_path / "runs" / AS_OF.isoformat()
    for key in store.keys:
        checksum = store.manifest.entry(key).checksum
        assert run.files[key] == f"{key}-{checksum[:16]}.json"
        assert run.partition_facts(key).partitions == (key,)
    assert sorted(p.name for p in run.folder.iterdir()) == sorted(
        [*run.files.values(), "run.json"]
    )
    index = json.loads((run.folder / "run.json").read_text(encoding="utf-8"))
    assert index["files"] == dict(run.files)
    assert index["totals"] == json.loads(json.dumps(attrs.asdict(run.totals)))
    assert index["failed"] == []


def test_a_rerun_reads_the_facts_files_and_recomputes_a_missing_or_torn_one(
    tmp_path: Path, cluster: LocalCluster
) -> None:
    _store(tmp_path, counties=3)
    first = run_monthly(tmp_path, as_of=AS_OF, scheduler=cluster.scheduler_address)
    folder = first.folder
    (folder / first.files["510101"]).unlink()
    (folder / first.files["510102"]).write_text('{"stamp": {', encoding="utf-8")
    # A file whose stamp still matches is believed: the re-run reads what it holds.
    path = folder / first.files["510103"]
    saved = json.loads(path.read_text(encoding="utf-8"))
    saved["facts"]["objective"] += 1000
    path.write_text(json.dumps(saved), encoding="utf-8")
    second = run_monthly(tmp_path, as_of=AS_OF, scheduler=cluster.scheduler_address)
    assert second.recomputed == ("510101", "510102")
    assert second.totals.objective == first.totals.objective + 1000
    assert attrs.evolve(second.totals, objective=first.totals.objective) == first.totals


def test_a_changed_partition_replaces_its_facts_file(
    tmp_path: Path, cluster: LocalCluster
) -> None:
    _uneven_store(tmp_path, {"510101": 3, "510102": 3})
    first = run_monthly(tmp_path, as_of=AS_OF, scheduler=cluster.scheduler_address)
    _uneven_store(tmp_path, {"510101": 3, "510102": 6})
    second = run_monthly(tmp_path, as_of=AS_OF, scheduler=cluster.scheduler_address)
    assert second.recomputed == ("510102",)
    assert second.files["510101"] == first.files["510101"]
    assert second.files["510102"] != first.files["510102"]
    assert not (first.folder / first.files["510102"]).exists()  # the stale one is gone
    assert second.partition_facts("510102") != first.partition_facts("510101")


def test_a_results_folder_that_cannot_be_written_is_named_before_any_work(
    tmp_path: Path,
) -> None:
    _store(tmp_path / "store", counties=1)
    (tmp_path / "taken").write_text("a file where the folder should go")
    with pytest.raises(StoreError, match=r"cannot write the run's results to .*taken"):
        run_monthly(tmp_path / "store", as_of=AS_OF, results=tmp_path / "taken")


def test_a_partition_sends_back_totals_that_do_not_grow_with_its_people(
    tmp_path: Path,
) -> None:
    """What reaches the client: the same size for 2 as for 40 recipients a community."""
    _uneven_store(tmp_path, {"510101": 2, "510102": 40})
    out = tmp_path / "out"
    small, big = (run_partition(str(tmp_path), k, AS_OF.isoformat(), str(out))
                  for k in ("510101", "510102"))  # fmt: skip
    assert isinstance(small, MonthlyTotals)
    assert isinstance(big, MonthlyTotals)
    assert big.warnings + big.assignments > 10 * (small.warnings + small.assignments)
    sizes = {p.name[:6]: p.stat().st_size for p in out.iterdir()}
    assert sizes["510102"] > sizes["510101"] + 1000  # the facts file grows ...
    assert (
        len(pickle.dumps(big)) <= len(pickle.dumps(small)) + 32
    )  # ... the totals do not


def _personal_store(root: Path) -> Dataset:
    """Three counties with phones; 510102 and 510103 key recipients by ID number.

    510103 also holds an invalid record, so its failure names a record by its id.
    """
    data, log = make_province(3, streets=1, communities=2, recipients=12)
    for i, person in enumerate(data["recipients"]):
        person["phone"] = f"139{i:08d}"
    renamed = {p["recipient_id"]: p["id_number"] for p in data["recipients"]
               if not p["community_id"].startswith("c510101")}  # fmt: skip
    for record in (*data["recipients"], *data["needs"], *log["visits"]):
        record["recipient_id"] = renamed.get(
            record["recipient_id"], record["recipient_id"]
        )
    ds = Dataset.model_validate(data)
    # Visits end in March, so by June every recipient is overdue and has a warning.
    visits = [v for v in log["visits"] if v["visited_at"] < "2024-04"]
    write_store(root, ds, visits=[VisitRecord.model_validate(v) for v in visits])
    _break_partition(root, "510103")
    return ds


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [*value, *(s for v in value.values() for s in _strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_no_results_file_holds_a_name_phone_id_number_or_birth_date(
    tmp_path: Path, cluster: LocalCluster
) -> None:
    ds = _personal_store(tmp_path / "store")
    run = run_monthly(
        tmp_path / "store", as_of=AS_OF, scheduler=cluster.scheduler_address
    )
    personal, broken = run.failed  # the counties keyed by ID number wrote nothing
    assert (personal.key, personal.kind) == ("510102", "invalid")
    assert any("resident_id" in line for line in personal.issues)
    assert (broken.key, broken.kind) == ("510103", "invalid")
    assert broken.issues[0].split(" · ")[1] == "******"  # the record id withheld
    assert "community_id" in broken.issues[0]
    assert run.completed == ("510101",)
    assert run.totals.warnings > 0  # recipient ids were written for 510101
    secrets: list[str] = []
    for p in ds.recipients:
        assert p.id_number is not None
        assert p.phone is not None
        number, born = p.id_number.reveal(), p.id_number.reveal()[6:14]
        secrets += [number, number[:17], born, f"{born[:4]}-{born[4:6]}-{born[6:]}",
                    p.phone.reveal(), p.name.reveal()]  # fmt: skip
    secrets += [w.name.reveal() for w in ds.workers]
    secrets += [v.name.reveal() for v in ds.volunteers]
    files = list(run.folder.iterdir())
    assert len(files) == 2  # 510101's facts and run.json
    for path in files:
        text = path.read_text(encoding="utf-8")
        # No name, no masked name, no Chinese text at all.
        assert text.isascii(), path.name
        # No masked value whose pieces could be merged; only whole withheld words.
        assert "*" not in text.replace("******", ""), path.name
        for secret in secrets:
            assert secret not in text, path.name
        for value in _strings(json.loads(text)):
            if re.fullmatch(r"([0-9]{6}-)?[0-9a-f]{16,64}(\.json)?", value):
                continue  # a partition's checksum, or a facts file named by it
            # No digits that could be an ID number's, a birth date's or a phone's.
            assert max(map(len, re.findall(r"[0-9]+", value)), default=0) < 8, value


def test_a_worker_that_cannot_write_the_facts_raises_so_that_dask_retries(
    tmp_path: Path,
) -> None:
    """No totals without their file: a result never names facts that were not written."""
    _uneven_store(tmp_path / "store", {"510101": 2})
    (tmp_path / "taken").write_text("a file where the folder should go")
    with pytest.raises(OSError, match="taken"):
        run_partition(str(tmp_path / "store"), "510101", AS_OF.isoformat(),
                      str(tmp_path / "taken"))  # fmt: skip


def test_the_combined_facts_left_the_run_and_it_says_where_they_went() -> None:
    run = MonthlyRun(totals=MonthlyTotals(month="2024-06"), completed=(), recomputed=(),
                     failed=(), seconds=0.0)  # fmt: skip
    with pytest.raises(AttributeError, match="partition_facts"):
        run.facts  # noqa: B018
    assert not hasattr(run, "no_such_name")
