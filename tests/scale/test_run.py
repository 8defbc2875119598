"""The monthly run on a real local Dask cluster of two worker processes."""

from __future__ import annotations

import logging
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from distributed import Client, LocalCluster, WorkerPlugin

from tests.scale.province import make_county, make_province
from tests.scale.test_monthly import attrs_equal
from tests.stores import edit_partition
from wushe.care import VisitRecord
from wushe.exceptions import StoreError
from wushe.io import StoreWriter, write_store
from wushe.models import Dataset
from wushe.scale import monthly_facts, run_monthly, run_partition

AS_OF = date(2024, 6, 30)


def _store(root: Path, counties: int = 4) -> tuple[Dataset, list[VisitRecord]]:
    data, log = make_province(counties, streets=2, communities=2, recipients=4)
    ds = Dataset.model_validate(data)
    visits = [VisitRecord.model_validate(v) for v in log["visits"]]
    write_store(root, ds, visits=visits)
    return ds, visits


def test_partitioned_run_equals_one_process(
    tmp_path: Path, cluster: LocalCluster
) -> None:
    ds, visits = _store(tmp_path)
    seen: list[tuple[str, int, int]] = []
    run = run_monthly(
        tmp_path,
        as_of=AS_OF,
        scheduler=cluster.scheduler_address,
        progress=lambda key, done, total: seen.append((key, done, total)),
    )
    assert run.ok
    assert run.completed == run.recomputed == run.facts.partitions
    assert attrs_equal(run.facts, monthly_facts(ds, as_of=AS_OF, visits=visits))
    assert [s[1:] for s in seen] == [(i, 4) for i in range(1, 5)]


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
    assert again.facts.divisions["510101"] == run.facts.divisions["510101"]
    assert "510102" not in again.facts.divisions


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
    assert third.facts == second.facts


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
    assert attrs_equal(run.facts, monthly_facts(ds, as_of=AS_OF, visits=visits))


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
    first = run_partition(str(tmp_path), "510101", AS_OF.isoformat())
    _uneven_store(tmp_path, {"510101": 6})
    second = run_partition(str(tmp_path), "510101", AS_OF.isoformat())
    assert "facts" in first
    assert "facts" in second
    assert first["facts"]["visit_rates"] != second["facts"]["visit_rates"]
