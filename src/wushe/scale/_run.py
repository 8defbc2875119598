"""The monthly run over a partitioned store, on Dask (分区月度运行).

Each partition is one Dask task: load and validate the county, run :func:`monthly_facts` on
it, write the facts to the run's results folder (:mod:`._results`) and hand back only their
small :class:`MonthlyTotals`. The client adds the totals up. Dask does the scheduling, the
retries and the recovery from dead workers; wushe adds only what a bureau needs on top: a
result that says which partitions it holds, a named failure for each that it does not, and
facts files keyed by checksum so that re-running after a fix recomputes only the partitions
whose files changed.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from wushe.exceptions import LoadError, MissingDependencyError, StoreError, WusheError
from wushe.io import Store, open_store
from wushe.scale._monthly import (
    MonthlyFacts,
    MonthlyTotals,
    combine_totals,
    monthly_facts,
)
from wushe.scale._results import (
    RUN_INDEX,
    facts_name,
    personal_ids,
    read_facts,
    read_stamped,
    stamp,
    withhold_personal,
    write_atomic,
    write_facts,
)

__all__ = ["MonthlyRun", "PartitionFailure", "run_monthly", "run_partition"]

_log = logging.getLogger("wushe.scale")
_RESULTS = "runs"
Progress = Callable[[str, int, int], None]
"""``progress(partition_key, done, total)``, called as each partition finishes."""


@attrs.frozen(kw_only=True)
class PartitionFailure:
    """A partition that is not in a run's result, and why (失败分区)."""

    key: str
    """The partition key (分区键)."""
    kind: str
    """``"invalid"`` (its data failed validation), ``"crashed"`` (its worker died more often
    than the cluster allows) or ``"error"`` (an unexpected error, after the retries) (失败类型)."""
    message: str
    """One line saying what went wrong, without personal data (说明)."""
    issues: tuple[str, ...] = ()
    """For invalid data, the first problems: ``row · record · field · code`` (问题)."""


@attrs.frozen(kw_only=True)
class MonthlyRun:
    """The result of a monthly run over a store (分区月度运行结果).

    Holds the totals in memory and names the facts files on disk: read one partition's full
    facts with :meth:`partition_facts`, several with :func:`~wushe.scale.combine` over them.
    """

    totals: MonthlyTotals
    """The totals of every partition that completed, added up (汇总数)."""
    completed: tuple[str, ...]
    """Partitions whose facts are in :attr:`totals` and :attr:`files`, sorted (已完成分区)."""
    recomputed: tuple[str, ...]
    """Of those, the ones computed in this run rather than reused (本次计算分区)."""
    failed: tuple[PartitionFailure, ...]
    """Partitions not in the result, each with its reason (失败分区)."""
    seconds: float
    """Wall time of the run (耗时秒数)."""
    folder: Path = Path()
    """The results folder of the day run: the facts files and ``run.json`` (结果目录)."""
    files: Mapping[str, str] = attrs.field(factory=dict)
    """Completed partition → the name of its facts file in :attr:`folder` (分区结果文件)."""

    def __repr__(self) -> str:
        return (
            f"<MonthlyRun {self.totals.month}: {len(self.completed)} completed "
            f"({len(self.recomputed)} recomputed), {len(self.failed)} failed, "
            f"{self.seconds:.1f} s>"
        )

    @property
    def ok(self) -> bool:
        """Whether every partition asked for completed (是否全部完成)."""
        return not self.failed

    def partition_facts(self, key: str) -> MonthlyFacts:
        """Read one completed partition's full facts from its file (读取分区结果).

        Raises:
            KeyError: if ``key`` is not among :attr:`completed`.
            OSError: if the file has gone.
        """
        return read_facts(self.folder / self.files[key])

    def __getattr__(self, name: str) -> Any:
        # The combined facts no longer live in memory; say what replaced them.
        if name == "facts":
            msg = (
                "MonthlyRun.facts was removed: use run.totals for the sums, and "
                "run.partition_facts(key) or wushe.scale.combine over them for the ids"
            )
            raise AttributeError(msg)
        raise AttributeError(name)


def run_partition(
    store_path: str, key: str, as_of: str, results: str
) -> MonthlyTotals | PartitionFailure:
    """Run one partition's month and write its facts file; the Dask task (单分区运行).

    Writes the facts to ``results`` (a folder every worker can write at that path) and
    returns their totals, or a :class:`PartitionFailure` when the partition's data is
    invalid or its ids hold personal data (no retry helps then). Any other exception
    propagates so that Dask retries it.
    """
    store = _opened(store_path)
    try:
        ds = store.load(key)
        visits, incidents = store.load_visits(key)
    except LoadError as exc:
        issues = tuple(
            f"{i.row or '-'} · {i.record_id or '-'} · {i.field or '-'} · {i.code}"
            for i in exc.report.issues[:20]
        )
        msg = f"{len(exc.report.issues)} problem(s) in {exc.report.file}"
        return _failure(key, "invalid", msg, issues)
    except WusheError as exc:
        return _failure(key, "invalid", str(exc)[:500])
    day = date.fromisoformat(as_of)
    facts = monthly_facts(ds, as_of=day, visits=visits, incidents=incidents,
                          copies=store.copies_in(key), partition=key)  # fmt: skip
    del ds, visits, incidents
    if found := personal_ids(facts):
        msg = ("record ids hold a resident ID number or a phone; the run writes ids to its "
               "results, so give these records ids that identify no one")  # fmt: skip
        return _failure(key, "invalid", msg, found)
    checksum = store.manifest.entry(key).checksum
    write_facts(Path(results) / facts_name(key, checksum), facts,
                stamp(key, checksum, day))  # fmt: skip
    return facts.totals(_shared_stations(store))


def _failure(
    key: str, kind: str, message: str, issues: Sequence[str] = ()
) -> PartitionFailure:
    """A failure whose words holding an ID number or phone (a record id) are withheld."""
    return PartitionFailure(
        key=key,
        kind=kind,
        message=withhold_personal(message),
        issues=tuple(map(withhold_personal, issues)),
    )


def _opened(path: str) -> Store:
    """The store at ``path``, its manifest parsed once per worker while it is unchanged.

    A worker runs many partitions of one store; re-reading a national manifest (thousands
    of partitions and shared records) for each would cost more than a small county's month.
    """
    try:
        stat = (Path(path) / "manifest.json").stat()
    except OSError:
        return open_store(path)  # raises the store's own clear error
    return _open_cached(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _open_cached(path: str, mtime_ns: int, size: int) -> Store:
    del mtime_ns, size  # only part of the cache key: a rewritten manifest is read again
    return open_store(path)


@functools.lru_cache(maxsize=4)
def _shared_stations(store: Store) -> frozenset[str]:
    """Stations held by more than one partition: the only ones whose figures add up."""
    return frozenset(
        s.record_id for s in store.manifest.shared if s.collection == "stations"
    )


def _distributed() -> Any:
    try:
        import distributed  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError as exc:
        purpose = "Running partitions on a Dask cluster"
        raise MissingDependencyError("dask[distributed]", "dask", purpose) from exc  # noqa: EM101
    return distributed


@contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client for the given scheduler, or for a local cluster of worker processes."""
    distributed = _distributed()
    address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    if address is not None:
        with distributed.Client(address, set_as_default=False) as client:
            yield client
        return
    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=":0",
            silence_logs=logging.ERROR,
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        yield client


def _failure_of(future: Any, key: str) -> PartitionFailure:
    exc = future.exception()
    name = type(exc).__name__
    if name == "KilledWorker":
        message = (
            "its worker died more often than the cluster allows; see the worker logs"
        )
        return PartitionFailure(key=key, kind="crashed", message=message)
    if not isinstance(exc, WusheError):  # its message may hold a value from the data
        return PartitionFailure(key=key, kind="error", message=_unexpected(exc))
    first = str(exc).splitlines()[0][:300] if str(exc) else ""
    return _failure(key, "error", f"{name}: {first}")


def _unexpected(exc: BaseException) -> str:
    """An unexpected error's type and place, never its message, which may hold a name."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = (
        f" in {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    )
    return f"{type(exc).__name__}{where} (a bug in wushe; the worker logs say more)"


def run_monthly(
    store: str | Path | Store,
    *,
    as_of: date,
    partitions: Sequence[str] | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    retries: int = 2,
    reuse: bool = True,
    results: str | Path | None = None,
    progress: Progress | None = None,
) -> MonthlyRun:
    """Run a month of work over every partition of a store, on Dask (分区月度运行).

    Per partition (a Dask task): load and validate the county, build its station network,
    coverage and compliance, the month's ledger roll-up, early warnings and visit rates, and
    the matching of its registered needs; write the facts to one file in the results
    folder. The client adds the partitions' totals up the national tree (county → city →
    province → nation), exactly as one process computing all of them would
    (:func:`combine` says why it is exact). It never holds more than the totals and one
    partition's facts, whatever the number of partitions.

    Faults: a partition whose data is invalid is reported with its problems and not retried;
    a task that raises is retried ``retries`` times; a worker that dies has its tasks moved
    to another worker by Dask, and a partition that keeps killing workers is reported as
    ``crashed``. The other partitions complete either way, and the result names each one
    that is missing. With ``reuse``, the facts files of partitions whose data has not changed
    since an earlier run for the same day are read back instead of recomputed.

    Args:
        store: A store folder or an opened :class:`~wushe.io.Store`; every worker must be
            able to read it at the same path.
        as_of: The day the run describes; its calendar month is rolled up.
        partitions: Only these partition keys (default: all).
        scheduler: Address of a running Dask scheduler (``tcp://host:8786``); default the
            ``DASK_SCHEDULER_ADDRESS`` environment variable, else a local cluster.
        workers: Worker processes of the local cluster (one thread each).
        retries: How often Dask retries a task that raised.
        reuse: Reuse the facts files of unchanged partitions.
        results: The results folder; a subfolder per day run is made in it. Every worker
            must be able to write it at the same path. Default: ``runs`` in the store.
        progress: Called as ``progress(key, done, total)`` as partitions finish.

    Raises:
        StoreError: if the store cannot be opened, a named partition is not in it, or the
            results folder cannot be written.
        MissingDependencyError: without the ``dask`` extra.
    """
    from wushe.io._store import partition_keys  # noqa: PLC0415

    started = time.perf_counter()
    opened = store if isinstance(store, Store) else open_store(store)
    keys = partition_keys(opened.manifest, partitions)
    folder = _Folder(opened, results, as_of)
    done = folder.reused(keys) if reuse else {}
    todo = [k for k in keys if k not in done]
    _log.info("monthly run %s: %d partitions, %d reused", as_of, len(keys), len(done))
    failed = _compute(opened, todo, folder, scheduler, workers, retries, done, progress)
    completed = tuple(sorted(done))
    run = MonthlyRun(
        totals=combine_totals(done[k] for k in completed),
        completed=completed,
        recomputed=tuple(sorted(k for k in todo if k in done)),
        failed=tuple(sorted(failed, key=lambda f: f.key)),
        seconds=time.perf_counter() - started,
        folder=folder.day,
        files={k: folder.name(k) for k in completed},
    )
    folder.finish(keys, run)
    return run


class _Folder:
    """The results folder of one day, as the client sees it."""

    def __init__(self, store: Store, results: str | Path | None, as_of: date) -> None:
        root = Path(results) if results is not None else store.path / _RESULTS
        self.day = root / as_of.isoformat()
        self.store = store
        self.as_of = as_of
        try:
            self.day.mkdir(parents=True, exist_ok=True)
            write_atomic(self.day / ".writable", b"")
            (self.day / ".writable").unlink()
        except OSError as exc:
            msg = (
                f"cannot write the run's results to {self.day}: {exc.strerror or exc}; "
                "give a folder every worker can write (results=, --results)"
            )
            raise StoreError(msg) from None

    def name(self, key: str) -> str:
        return facts_name(key, self.store.manifest.entry(key).checksum)

    def reused(self, keys: Sequence[str]) -> dict[str, MonthlyTotals]:
        """Totals of the partitions whose facts file matches their data, read one by one."""
        shared = _shared_stations(self.store)
        out: dict[str, MonthlyTotals] = {}
        for key in keys:
            checksum = self.store.manifest.entry(key).checksum
            facts = read_stamped(
                self.day / self.name(key), stamp(key, checksum, self.as_of)
            )
            if facts is not None:
                out[key] = facts.totals(shared)
        return out

    def finish(self, keys: Sequence[str], run: MonthlyRun) -> None:
        """Remove the stale facts files of the partitions run, and write the run's index."""
        ran = set(keys)
        for path in self.day.glob("*.json"):
            key = path.name.rpartition("-")[0]
            if key in ran and run.files.get(key) != path.name:
                path.unlink(missing_ok=True)
        index = {
            "as_of": self.as_of.isoformat(),
            "files": dict(run.files),
            "failed": [attrs.asdict(f) for f in run.failed],
            "recomputed": list(run.recomputed),
            "totals": attrs.asdict(run.totals),
        }
        try:
            write_atomic(self.day / RUN_INDEX, json.dumps(index, indent=1).encode())
        except OSError as exc:  # the facts files are written; only the index is missing
            _log.warning(
                "cannot write %s: %s", self.day / RUN_INDEX, exc.strerror or exc
            )


def _compute(
    store: Store,
    todo: Sequence[str],
    folder: _Folder,
    scheduler: str | None,
    workers: int,
    retries: int,
    done: dict[str, MonthlyTotals],
    progress: Progress | None,
) -> list[PartitionFailure]:
    if not todo:
        return []
    failed: list[PartitionFailure] = []
    with _client(scheduler, workers) as client:
        distributed = _distributed()
        sizes = {p.key: sum(p.counts.values()) for p in store.manifest.partitions}
        futures = {
            _submit(client, str(store.path), key, sizes[key], folder, retries): key
            for key in sorted(todo, key=lambda k: (-sizes[k], k))
        }
        finished = distributed.as_completed(
            futures, loop=client.loop, with_results=True, raise_errors=False
        )
        for count, (future, result) in enumerate(finished, start=1):
            key = futures.pop(future)
            if future.status == "error":
                failed.append(_failure_of(future, key))
            elif isinstance(result, PartitionFailure):
                failed.append(result)
            else:
                done[key] = result
            future.release()
            if progress is not None:
                progress(key, count, len(todo))
    return failed


def _submit(
    client: Any, store: str, key: str, size: int, folder: _Folder, retries: int
) -> Any:
    """Submit one partition's task; call it for the largest partitions first.

    With the largest partitions started first, the last ones to finish are the smallest,
    so no worker sits idle at the end waiting for one big county (longest-first
    scheduling). Dask runs higher ``priority`` first among queued tasks, and an idle
    worker starts whichever task reaches it first, hence the submission order too.
    """
    as_of = folder.as_of.isoformat()
    return client.submit(
        run_partition, store, key, as_of, str(folder.day),
        key=f"wushe-partition-{key}-{as_of}", retries=retries, pure=False,
        priority=size,
    )  # fmt: skip
