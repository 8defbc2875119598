"""The monthly run over a partitioned store, on Dask (分区月度运行).

Each partition is one Dask task: load and validate the county, run :func:`monthly_facts` on
it, hand back plain data. The client combines what came back. Dask does the scheduling,
the retries and the recovery from dead workers; wushe adds only what a bureau needs on top:
a result that says which partitions it holds, a named failure for each that it does not, and
a cache so that re-running after a fix recomputes only the partitions whose files changed.
"""

from __future__ import annotations

import functools
import importlib.metadata
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

from wushe.exceptions import LoadError, MissingDependencyError, WusheError
from wushe.io import Store, open_store
from wushe.scale._monthly import MonthlyFacts, combine, monthly_facts

__all__ = ["MonthlyRun", "PartitionFailure", "run_monthly", "run_partition"]

_log = logging.getLogger("wushe.scale")
_CACHE = ".wushe-runs"
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
    """The result of a monthly run over a store (分区月度运行结果)."""

    facts: MonthlyFacts
    """The combined facts of every partition that completed (汇总结果)."""
    completed: tuple[str, ...]
    """Partitions whose facts are in :attr:`facts`, sorted (已完成分区)."""
    recomputed: tuple[str, ...]
    """Of those, the ones computed in this run rather than reused (本次计算分区)."""
    failed: tuple[PartitionFailure, ...]
    """Partitions not in the result, each with its reason (失败分区)."""
    seconds: float
    """Wall time of the run (耗时秒数)."""

    def __repr__(self) -> str:
        return (
            f"<MonthlyRun {self.facts.month}: {len(self.completed)} completed "
            f"({len(self.recomputed)} recomputed), {len(self.failed)} failed, "
            f"{self.seconds:.1f} s>"
        )

    @property
    def ok(self) -> bool:
        """Whether every partition asked for completed (是否全部完成)."""
        return not self.failed


def run_partition(store_path: str, key: str, as_of: str) -> dict[str, Any]:
    """Run one partition's month; the Dask task (单分区运行).

    Returns plain data: ``{"facts": ...}`` on success, ``{"failure": ...}`` when the
    partition's data is invalid (no retry helps then). Any other exception propagates so
    that Dask retries it.
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
        return {
            "failure": {"key": key, "kind": "invalid", "message": msg, "issues": issues}
        }
    except WusheError as exc:
        return {"failure": {"key": key, "kind": "invalid", "message": str(exc)[:500]}}
    facts = monthly_facts(
        ds,
        as_of=date.fromisoformat(as_of),
        visits=visits,
        incidents=incidents,
        copies=store.copies_in(key),
        partition=key,
    )
    return {"facts": facts.as_dict()}


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


def _version() -> str:
    try:
        return importlib.metadata.version("wushe")
    except (
        importlib.metadata.PackageNotFoundError
    ):  # pragma: no cover - run from source
        return "0"


class _Cache:
    """Per-partition facts of earlier runs, valid while checksum, date and version match."""

    def __init__(self, store: Store, as_of: date, enabled: bool) -> None:
        self.folder = store.path / _CACHE / as_of.isoformat()
        self.store = store
        self.enabled = enabled

    def _stamp(self, key: str) -> dict[str, str]:
        return {
            "checksum": self.store.manifest.entry(key).checksum,
            "wushe": _version(),
        }

    def get(self, key: str) -> MonthlyFacts | None:
        if not self.enabled:
            return None
        try:
            saved = json.loads(
                (self.folder / f"{key}.json").read_text(encoding="utf-8")
            )
        except (OSError, ValueError):
            return None
        if not isinstance(saved, dict) or saved.get("stamp") != self._stamp(key):
            return None
        try:
            return MonthlyFacts.from_dict(saved["facts"])
        except (KeyError, TypeError):
            return None

    def put(self, key: str, facts: MonthlyFacts) -> None:
        if not self.enabled:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            payload = {"stamp": self._stamp(key), "facts": facts.as_dict()}
            (self.folder / f"{key}.json").write_text(
                json.dumps(payload), encoding="utf-8"
            )
        except OSError as exc:  # a read-only store still runs, it only cannot remember
            _log.warning("cannot cache partition %s: %s", key, exc.strerror or exc)


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
    return PartitionFailure(key=key, kind="error", message=f"{name}: {first}")


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
    progress: Progress | None = None,
) -> MonthlyRun:
    """Run a month of work over every partition of a store, on Dask (分区月度运行).

    Per partition (a Dask task): load and validate the county, build its station network,
    coverage and compliance, the month's ledger roll-up, early warnings and visit rates, and
    the matching of its registered needs. The client then adds the counties' facts up the
    national tree (county → city → province → nation), exactly as one process computing
    all of them would (:func:`combine` says why it is exact).

    Faults: a partition whose data is invalid is reported with its problems and not retried;
    a task that raises is retried ``retries`` times; a worker that dies has its tasks moved
    to another worker by Dask, and a partition that keeps killing workers is reported as
    ``crashed``. The other partitions complete either way, and the result names each one
    that is missing. With ``reuse``, facts of partitions whose files have not changed since
    an earlier run for the same day are read back instead of recomputed.

    Args:
        store: A store folder or an opened :class:`~wushe.io.Store`; every worker must be
            able to read it at the same path.
        as_of: The day the run describes; its calendar month is rolled up.
        partitions: Only these partition keys (default: all).
        scheduler: Address of a running Dask scheduler (``tcp://host:8786``); default the
            ``DASK_SCHEDULER_ADDRESS`` environment variable, else a local cluster.
        workers: Worker processes of the local cluster (one thread each).
        retries: How often Dask retries a task that raised.
        reuse: Reuse cached facts of unchanged partitions.
        progress: Called as ``progress(key, done, total)`` as partitions finish.

    Raises:
        StoreError: if the store cannot be opened or a named partition is not in it.
        MissingDependencyError: without the ``dask`` extra.
    """
    from wushe.io._store import partition_keys  # noqa: PLC0415

    started = time.perf_counter()
    opened = store if isinstance(store, Store) else open_store(store)
    keys = partition_keys(opened.manifest, partitions)
    cache = _Cache(opened, as_of, reuse)
    done: dict[str, MonthlyFacts] = {}
    for key in keys:
        if (cached := cache.get(key)) is not None:
            done[key] = cached
    todo = [k for k in keys if k not in done]
    _log.info("monthly run %s: %d partitions, %d cached", as_of, len(keys), len(done))
    failed = _compute(
        opened, todo, as_of, scheduler, workers, retries, done, cache, progress
    )
    completed = tuple(sorted(done))
    return MonthlyRun(
        facts=combine(done[k] for k in completed),
        completed=completed,
        recomputed=tuple(sorted(k for k in todo if k in done)),
        failed=tuple(sorted(failed, key=lambda f: f.key)),
        seconds=time.perf_counter() - started,
    )


def _compute(
    store: Store,
    todo: Sequence[str],
    as_of: date,
    scheduler: str | None,
    workers: int,
    retries: int,
    done: dict[str, MonthlyFacts],
    cache: _Cache,
    progress: Progress | None,
) -> list[PartitionFailure]:
    if not todo:
        return []
    failed: list[PartitionFailure] = []
    with _client(scheduler, workers) as client:
        distributed = _distributed()
        sizes = {p.key: sum(p.counts.values()) for p in store.manifest.partitions}
        futures = {
            _submit(client, str(store.path), key, sizes[key], as_of, retries): key
            for key in sorted(todo, key=lambda k: (-sizes[k], k))
        }
        finished = distributed.as_completed(
            futures, loop=client.loop, with_results=True, raise_errors=False
        )
        for count, (future, result) in enumerate(finished, start=1):
            key = futures.pop(future)
            if future.status == "error":
                failed.append(_failure_of(future, key))
            else:
                _accept(result, key, done, cache, failed)
            future.release()  # the worker may drop its copy of the facts now
            if progress is not None:
                progress(key, count, len(todo))
    return failed


def _submit(
    client: Any, store: str, key: str, size: int, as_of: date, retries: int
) -> Any:
    """Submit one partition's task; call it for the largest partitions first.

    With the largest partitions started first, the last ones to finish are the smallest,
    so no worker sits idle at the end waiting for one big county (longest-first
    scheduling). Dask runs higher ``priority`` first among queued tasks, and an idle
    worker starts whichever task reaches it first, hence the submission order too.
    """
    return client.submit(
        run_partition, store, key, as_of.isoformat(),
        key=f"wushe-partition-{key}-{as_of.isoformat()}", retries=retries, pure=False,
        priority=size,
    )  # fmt: skip


def _accept(
    result: Mapping[str, Any],
    key: str,
    done: dict[str, MonthlyFacts],
    cache: _Cache,
    failed: list[PartitionFailure],
) -> None:
    if "failure" in result:
        f = result["failure"]
        failed.append(PartitionFailure(
            key=f["key"], kind=f["kind"], message=f["message"], issues=tuple(f.get("issues", ()))
        ))  # fmt: skip
        return
    facts = MonthlyFacts.from_dict(result["facts"])
    done[key] = facts
    cache.put(key, facts)
