"""A dataset partitioned by county, with a manifest (分区数据存储).

A *store* is a folder::

    manifest.json                       what is inside: partitions, counts, checksums, copies, cuts
    partitions/<county>/dataset.jsonl   the partition's records, in the store's own layout
    partitions/<county>/visits.json     that county's visit log (when there is one)

Each partition is a whole, valid :class:`~wushe.models.Dataset` for one county (or for the
stations of a city or province above its counties), so a county's engines run on it unchanged.
Records that cross a county border are copied or cut as :mod:`wushe.io._split` explains, and
the manifest lists each one: nothing is dropped in silence.

The partition file is JSON Lines with the recipients by column (``wushe.io._partition``),
chosen on measurement (``benchmarks/partition_loading.py``): it lets :meth:`Store.load` run
every check of :func:`~wushe.io.load_dataset` over whole columns and build the models without a
second validation. CPU seconds for one partition of N recipients, against raw
``TypeAdapter(list[PlainRecipient]).validate_json`` of the same records with the collector on
(shared 2-core machine, load average about 9, November 2026)::

      records  format                          cpu s  peak MiB  ratio to raw
      100,000  raw validate_json                0.69       321          100%
      100,000  wushe load_dataset               1.12       449           62%
      100,000  store layout 1 (dataset.json)    1.17       471           59%
      100,000  store layout 2 (dataset.jsonl)   0.50       294          138%
    1,000,000  raw validate_json                7.23      2366          100%
    1,000,000  wushe load_dataset              11.77      3595           61%
    1,000,000  store layout 1 (dataset.json)   12.06      3813           60%
    1,000,000  store layout 2 (dataset.jsonl)   4.87      1964          148%

Wall time followed CPU time when the machine was quieter; under a load average of 9 it
measured the other processes. Two earlier runs of layout 2 gave 139% and 131-134%.
Layout 1 held an ordinary dataset file per partition; such stores are still read, through
:func:`~wushe.io.load_dataset`. Parquet (pyarrow) lost: reading 100,000 recipients' columns
into Python values, with no check at all, takes 0.13-0.15 CPU s (1.64 s for 1,000,000), as
much as or more than checking every column of the JSON Lines file with pydantic-core
(0.13 s; 1.17 s), and the checks need Python values either way.

The manifest's checksums find a file changed or cut short since it was written; they are not
a signature (whoever can edit a partition can edit the manifest), so loading runs every check
whatever they say. Like :func:`~wushe.io.dump_dataset`, partitions hold personal data in
clear: a store is a system of record and must be protected as one.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from stat import S_ISREG
from typing import Any, Final, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from wushe.care import IncidentReport, VisitRecord
from wushe.exceptions import StoreError
from wushe.io._care import load_visit_log
from wushe.io._json import load_dataset
from wushe.io._parse import MAX_JSON_BYTES, DocumentProblem, scan_json
from wushe.io._partition import PARTITION_FILE, encode_partition, load_partition
from wushe.io._split import SplitResult, iter_cut, split_records
from wushe.models import COLLECTIONS, Dataset
from wushe.privacy import audit_reveal

__all__ = [
    "STORE_SCHEMA_VERSION",
    "CrossReference",
    "PartitionEntry",
    "SharedRecord",
    "Store",
    "StoreManifest",
    "StoreWriter",
    "open_store",
    "write_store",
]

STORE_SCHEMA_VERSION: Final = 2
"""Version of the store layout and manifest written by this wushe (存储格式版本).

Layout 2 holds each partition as ``dataset.jsonl`` (``wushe.io._partition``); layout 1
held an ordinary dataset file, ``dataset.json``, and is still read.
"""

_MANIFEST = "manifest.json"
_DATASET_V1 = "dataset.json"
_VISITS = "visits.json"


class _Plain(BaseModel):
    # Strict: a manifest is written by wushe alone, so ``true`` is no version and "3" no count.
    model_config = ConfigDict(
        frozen=True, extra="forbid", use_attribute_docstrings=True, strict=True
    )


_MAX_COUNT: Final = 10**12
"""More records than any partition can hold; a larger count is a damaged manifest."""
# A partition key and a file name are one plain folder or file name inside the store: no
# separator, no "..", nothing absolute, so the manifest cannot point outside the store.
_FILE_NAME: Final = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")
_DIGEST: Final = re.compile(r"[0-9a-f]{64}")


class PartitionEntry(_Plain):
    """One partition in a store's manifest (分区条目)."""

    key: str = Field(pattern=r"^[0-9]{6}$")
    """The partition key: a six-digit county (or city/province) division code (分区键)."""
    name: str
    """The partition's name, from its division record (分区名称)."""
    counts: dict[str, int]
    """Records per collection, copies included (记录数)."""
    files: dict[str, str]
    """File name → SHA-256 of its bytes, for integrity and incremental runs (校验和)."""

    @field_validator("counts")
    @classmethod
    def _bounded(cls, counts: dict[str, int]) -> dict[str, int]:
        for collection, n in counts.items():
            if not 0 <= n <= _MAX_COUNT:
                msg = f"{collection[:80]}: {str(n)[:20]} is no count of records (0 to 10**12)"
                raise ValueError(msg)
        return counts

    @field_validator("files")
    @classmethod
    def _plain(cls, files: dict[str, str]) -> dict[str, str]:
        for name, digest in files.items():
            if not _FILE_NAME.fullmatch(name):
                msg = f"{name[:80]!r} is not a plain file name inside the partition"
                raise ValueError(msg)
            if not _DIGEST.fullmatch(digest):
                msg = f"{name}: the checksum is not a SHA-256 in hexadecimal"
                raise ValueError(msg)
        return files

    @property
    def checksum(self) -> str:
        """One digest over all the partition's files (分区校验和)."""
        joined = "".join(f"{k}={v};" for k, v in sorted(self.files.items()))
        return hashlib.sha256(joined.encode()).hexdigest()


class SharedRecord(_Plain):
    """A record copied into partitions beyond its home (跨区共享记录)."""

    collection: str
    """The collection, e.g. ``"organizations"`` (数据集合)."""
    record_id: str
    """The record's id (记录编号)."""
    home: str | None
    """The partition that owns it; copies never spend its capacity (归属分区)."""
    copies: tuple[str, ...]
    """Partitions holding a read-only copy (副本分区)."""


class CrossReference(_Plain):
    """A reference cut at a partition border (跨区引用)."""

    partition: str
    """The partition whose record lost the reference (分区)."""
    collection: str
    """The record's collection (数据集合)."""
    record_id: str
    """The record's id (记录编号)."""
    field: str
    """The field that held the reference (字段)."""
    target: str
    """The collection referred to (目标集合)."""
    target_id: str
    """The id referred to, which lives in another partition (目标编号)."""


class StoreManifest(_Plain):
    """What a partitioned store holds (分区清单)."""

    schema_version: int = Field(default=STORE_SCHEMA_VERSION, ge=1)
    """Layout version (格式版本)."""
    name: str
    """Name of the whole (e.g. a province) (名称)."""
    division_code: str
    """Division code of the whole (区划代码)."""
    as_of: str | None = None
    """The data's date, ISO format (数据日期)."""
    partitions: tuple[PartitionEntry, ...]
    """Every partition, sorted by key (分区)."""
    shared: tuple[SharedRecord, ...] = ()
    """Records copied across partitions (共享记录)."""
    cut: tuple[CrossReference, ...] = Field(default=())
    """References removed at partition borders (切断的引用)."""

    @model_validator(mode="after")
    def _keys_once(self) -> Self:
        seen: set[str] = set()
        for p in self.partitions:
            if p.key in seen:
                msg = f"partition {p.key} is listed twice"
                raise ValueError(msg)
            seen.add(p.key)
        return self

    def entry(self, key: str) -> PartitionEntry:
        """Return one partition's entry (分区条目)."""
        for p in self.partitions:
            if p.key == key:
                return p
        keys = ", ".join(self.keys[:10]) + (" …" if len(self.keys) > 10 else "")
        msg = f"no partition {key[:80]!r} in the store; it has {len(self.keys)}: {keys}"
        raise StoreError(msg)

    @property
    def keys(self) -> tuple[str, ...]:
        """The partition keys, sorted (分区键)."""
        return tuple(p.key for p in self.partitions)

    def copies_in(self, key: str) -> dict[str, frozenset[str]]:
        """Ids per collection that partition ``key`` holds only as copies (分区内副本)."""
        out: dict[str, set[str]] = {}
        for s in self.shared:
            if key in s.copies and s.home != key:
                out.setdefault(s.collection, set()).add(s.record_id)
        return {k: frozenset(v) for k, v in out.items()}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(path: Path, data: bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return _digest(data)


def _partition_name(records: Mapping[str, list[dict[str, Any]]], key: str) -> str:
    for d in records.get("divisions", []):
        if d["division_code"] == key:
            return str(d["name"])
    return key


def _write_partition(
    root: Path,
    key: str,
    records: Mapping[str, list[dict[str, Any]]],
    header: Mapping[str, Any],
) -> PartitionEntry:
    body = {k: v for k, v in records.items() if k not in ("visits", "incidents")}
    own = {**header, "name": _partition_name(records, key), "division_code": key}
    folder = root / "partitions" / key
    files = {
        PARTITION_FILE: _write(folder / PARTITION_FILE, encode_partition(own, body))
    }
    log = {k: records[k] for k in ("visits", "incidents") if records.get(k)}
    if log:
        files[_VISITS] = _write(
            folder / _VISITS, json.dumps(log, ensure_ascii=False).encode()
        )
    counts = {k: len(v) for k, v in sorted(records.items()) if v}
    return PartitionEntry(key=key, name=own["name"], counts=counts, files=files)


def write_store(
    path: str | Path,
    dataset: Dataset,
    *,
    visits: Iterable[VisitRecord] = (),
    incidents: Iterable[IncidentReport] = (),
) -> StoreManifest:
    """Split a dataset by county and write it as a partitioned store (写入分区存储).

    Every record goes to its county's partition; references across counties are copied or
    cut and listed in the manifest (:class:`SharedRecord`, :class:`CrossReference`). Values
    are written in clear, as :func:`~wushe.io.dump_dataset` writes them. For data too big
    for one process, add it county by county with :class:`StoreWriter`.

    Args:
        path: The store folder; created if missing. An existing manifest is replaced.
        dataset: The whole (a county, a city, a province).
        visits: The visit log, placed with each visit's recipient.
        incidents: Incident reports, placed likewise.

    Returns:
        The manifest written to ``path/manifest.json``.

    Raises:
        StoreError: if a record has no county to live in, or the folder cannot be written.
    """
    with StoreWriter(
        path, name=dataset.name, division_code=dataset.division_code
    ) as writer:
        writer.add(dataset, visits=visits, incidents=incidents)
    return writer.manifest


class StoreWriter:
    """Write a store piece by piece, one county (or any dataset) at a time (分批写入分区存储).

    Each :meth:`add` splits its dataset and writes the partitions at once, so memory holds
    one piece; leaving the ``with`` block writes the manifest. Two pieces may not produce
    the same partition.

    >>> import tempfile
    >>> from wushe import examples
    >>> county = examples.load("qixinggang")
    >>> with StoreWriter(tempfile.mkdtemp(), name="重庆市", division_code="500000") as w:
    ...     w.add(county)
    >>> w.manifest.keys
    ('500103',)
    """

    def __init__(self, path: str | Path, *, name: str, division_code: str) -> None:
        self.path = Path(path)
        """The store folder (存储目录)."""
        self._name = name
        self._division_code = division_code
        self._as_of: str | None = None
        self._entries: dict[str, PartitionEntry] = {}
        self._shared: list[SharedRecord] = []
        self._cut: list[CrossReference] = []
        self._manifest: StoreManifest | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is None:
            self.close()

    def add(
        self,
        dataset: Dataset,
        *,
        visits: Iterable[VisitRecord] = (),
        incidents: Iterable[IncidentReport] = (),
    ) -> None:
        """Split one dataset and write its partitions (写入一个数据集).

        Raises:
            StoreError: if a record has no county, a partition is already written, or the
                folder cannot be written.
        """
        visits, incidents = tuple(visits), tuple(incidents)
        context = audit_reveal(
            (dataset, visits, incidents),
            via="StoreWriter.add",
            reason="partitioned store (system of record)",
        )
        side = {
            "visits": [_clear(v, context) for v in visits],
            "incidents": [_clear(i, context) for i in incidents],
        }
        split = _split(dataset, side, context)
        header = _header(dataset)
        for key in sorted(split.partitions):
            if key in self._entries:
                msg = f"two datasets both hold partition {key}; merge them first"
                raise StoreError(msg)
            with _guarded(self.path):
                self._entries[key] = _write_partition(
                    self.path, key, split.partitions[key], header
                )
        self._shared += _shared(split)
        self._cut += [CrossReference.model_validate(c) for c in iter_cut(split)]
        if self._as_of is None and dataset.as_of is not None:
            self._as_of = dataset.as_of.isoformat()

    def adopt(self, path: str | Path) -> None:
        """Move the partitions of a store written elsewhere into this one (并入分批存储).

        For writing in parallel: each process writes its pieces as a store of its own,
        in a folder on the same file system, and one writer adopts them in a fixed order,
        so the store does not depend on which process finished first. The manifest comes
        out as if this writer had added the pieces itself. The adopted folder is removed.

        Raises:
            StoreError: if that store cannot be opened, holds a partition already
                written, or cannot be moved.
        """
        other = open_store(path)
        for key in other.keys:
            if key in self._entries:
                msg = f"two datasets both hold partition {key}; merge them first"
                raise StoreError(msg)
        with _guarded(self.path):
            (self.path / "partitions").mkdir(parents=True, exist_ok=True)
            for entry in other.manifest.partitions:
                source = other.path / "partitions" / entry.key
                source.rename(self.path / "partitions" / entry.key)
                self._entries[entry.key] = entry
            (other.path / _MANIFEST).unlink()
            (other.path / "partitions").rmdir()
            other.path.rmdir()
        self._shared += other.manifest.shared
        self._cut += other.manifest.cut
        if self._as_of is None:
            self._as_of = other.manifest.as_of

    def close(self) -> StoreManifest:
        """Write the manifest over everything added (写入清单).

        Raises:
            StoreError: if nothing was added or the manifest cannot be written.
        """
        if not self._entries:
            msg = f"nothing to write to {self.path}: no dataset was added"
            raise StoreError(msg)
        self._manifest = StoreManifest(
            name=self._name,
            division_code=self._division_code,
            as_of=self._as_of,
            partitions=tuple(self._entries[k] for k in sorted(self._entries)),
            shared=tuple(self._shared),
            cut=tuple(self._cut),
        )
        with _guarded(self.path):
            (self.path / _MANIFEST).write_text(
                self._manifest.model_dump_json(indent=1), encoding="utf-8"
            )
        return self._manifest

    @property
    def manifest(self) -> StoreManifest:
        """The manifest written by :meth:`close` (分区清单)."""
        if self._manifest is None:
            msg = "the store is not closed yet: no manifest"
            raise StoreError(msg)
        return self._manifest


def _clear(
    record: VisitRecord | IncidentReport, context: dict[str, Any]
) -> dict[str, Any]:
    return record.model_dump(mode="json", context=context, exclude_none=True)


def _header(ds: Dataset) -> dict[str, Any]:
    data = ds.model_dump(
        mode="json", include={"description", "synthetic", "as_of"}, exclude_none=True
    )
    return dict(data)


def _split(
    ds: Dataset, side: Mapping[str, list[dict[str, Any]]], context: dict[str, Any]
) -> SplitResult:
    data = ds.model_dump(mode="json", context=context, exclude_none=True)
    try:
        return split_records(data, side)
    except ValueError as exc:
        raise StoreError(str(exc)) from None


def _shared(split: SplitResult) -> list[SharedRecord]:
    return [
        SharedRecord(
            collection=s["collection"],
            record_id=s["record_id"],
            home=s["home"],
            copies=tuple(sorted(set(s["copies"]))),
        )
        for _, s in sorted(split.shared.items())
    ]


@contextmanager
def _guarded(root: Path) -> Iterator[None]:
    """Turn a failed write into a :class:`StoreError` naming the store."""
    try:
        yield
    except OSError as exc:
        msg = f"cannot write the store at {root}: {exc.strerror or exc}"
        raise StoreError(msg) from None


class Store:
    """An opened partitioned store (分区存储).

    Opening reads only the manifest; each partition is read and validated when asked for.
    """

    def __init__(self, path: Path, manifest: StoreManifest) -> None:
        self.path = path
        """The store folder (存储目录)."""
        self.manifest = manifest
        """What the store holds (分区清单)."""

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, partitions={len(self.manifest.partitions)})"

    @property
    def keys(self) -> tuple[str, ...]:
        """The partition keys, sorted (分区键)."""
        return self.manifest.keys

    def file(self, key: str, name: str) -> Path:
        """Return the path of one partition file, checking it against the manifest (分区文件)."""
        entry = self.manifest.entry(key)
        if name not in entry.files:
            msg = f"{self.path}: partition {key} has no {name} in the manifest"
            raise StoreError(msg)
        return self.path / "partitions" / key / name

    def dataset_file(self, key: str) -> str:
        """The name of a partition's dataset file: by layout, ``dataset.jsonl`` or ``dataset.json`` (分区数据文件)."""
        files = self.manifest.entry(key).files
        return _DATASET_V1 if _DATASET_V1 in files else PARTITION_FILE

    def read(self, key: str, name: str | None = None) -> bytes:
        """Read one partition file (its dataset file by default) and verify its checksum (读取并校验).

        The checksum finds a file changed or cut short since the manifest was written; it
        is not a signature (whoever can edit a partition can edit the manifest), so loading
        checks every record whatever it says.
        """
        path = self.file(key, self.dataset_file(key) if name is None else name)
        try:
            _check_inside(self.path, path, key)
            data = read_bounded(path)
        except OSError as exc:
            msg = f"cannot read partition {key} ({path}): {exc.strerror or exc}"
            raise StoreError(msg) from None
        if _digest(data) != self.manifest.entry(key).files[path.name]:
            msg = f"partition {key}: {path} does not match its checksum in the manifest"
            raise StoreError(msg)
        return data

    def load(self, key: str) -> Dataset:
        """Load one partition as an ordinary, validated dataset (加载分区).

        Every check of :func:`~wushe.io.load_dataset` runs, whatever the manifest says;
        the partition's own layout lets them run over whole columns, faster than pydantic
        validates the same records from a dataset file (``wushe.io._partition``). A
        store of layout 1 is loaded by :func:`~wushe.io.load_dataset` itself.

        Raises:
            StoreError: if the file is missing or changed since the manifest was written.
            LoadError: if the partition's records are invalid (the report names each, as
                :func:`~wushe.io.load_report` would for the same records).
        """
        name = self.dataset_file(key)
        data = self.read(key, name)
        path = self.file(key, name)
        if name == _DATASET_V1:
            ds = load_dataset(path)
        else:
            ds = load_partition(data, str(path))
        _check_contents(path, self.manifest.entry(key), ds)
        return ds

    def load_visits(
        self, key: str
    ) -> tuple[tuple[VisitRecord, ...], tuple[IncidentReport, ...]]:
        """Load one partition's visit log; empty when it has none (加载分区巡访记录)."""
        entry = self.manifest.entry(key)
        if _VISITS not in entry.files:
            return (), ()
        self.read(key, _VISITS)
        path = self.file(key, _VISITS)
        visits, incidents = load_visit_log(path)
        _check_count(path, entry, "visits", len(visits))
        _check_count(path, entry, "incidents", len(incidents))
        return visits, incidents

    def copies_in(self, key: str) -> dict[str, frozenset[str]]:
        """Ids per collection that partition ``key`` holds only as copies (分区内副本)."""
        return self.manifest.copies_in(key)


def open_store(path: str | Path) -> Store:
    """Open a partitioned store by reading its manifest (打开分区存储).

    Raises:
        StoreError: if there is no manifest, it is not valid, or its version is newer.
    """
    root = Path(path)
    try:
        text = read_bounded(root / _MANIFEST)
    except OSError as exc:
        msg = f"{root} is not a wushe store: cannot read {_MANIFEST} ({exc.strerror or exc})"
        raise StoreError(msg) from None
    try:
        scan_json(text.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        msg = (
            f"{root / _MANIFEST} is not a valid manifest: not UTF-8 (byte {exc.start})"
        )
        raise StoreError(msg) from None
    except DocumentProblem as problem:
        msg = f"{root / _MANIFEST} is not a valid manifest: {problem}"
        raise StoreError(msg) from None
    try:
        manifest = StoreManifest.model_validate_json(text.removeprefix(b"\xef\xbb\xbf"))
    except ValidationError as exc:
        first = exc.errors(include_input=False)[0]
        where = _where(first["loc"], text)
        msg = f"{root / _MANIFEST} is not a valid manifest: {where}: {first['msg']}"
        raise StoreError(msg) from None
    if manifest.schema_version > STORE_SCHEMA_VERSION:
        msg = (
            f"{root} was written by a newer wushe (layout {manifest.schema_version}); "
            f"this one reads layout {STORE_SCHEMA_VERSION}"
        )
        raise StoreError(msg)
    return Store(root, manifest)


def partition_keys(
    manifest: StoreManifest, only: Sequence[str] | None
) -> tuple[str, ...]:
    """The keys to run: all, or the named ones, each checked (选定分区)."""
    if only is None:
        return manifest.keys
    for key in only:
        manifest.entry(key)
    return tuple(sorted(set(only)))


def _where(loc: tuple[int | str, ...], text: bytes) -> str:
    """A manifest error's place, with the partition's key when it is inside one."""
    where = ".".join(str(p)[:80] for p in loc) or "(top level)"
    if len(loc) < 2 or loc[0] != "partitions" or not isinstance(loc[1], int):
        return where
    try:  # the text parsed, or pydantic would not have got this far
        key = json.loads(text.decode("utf-8-sig"))["partitions"][loc[1]]["key"]
    except (ValueError, LookupError, TypeError):
        return where
    return f"{where} (partition {str(key)[:80]!r})"


def read_bounded(path: Path, limit: int = MAX_JSON_BYTES) -> bytes:
    """A regular file's bytes, refusing a folder, a device, a pipe or over ``limit`` bytes.

    Raises:
        OSError: with a reason for each, as reading would.
    """
    # Opened without blocking: opening a named pipe to read would wait for a writer.
    with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as file:
        stat = os.fstat(file.fileno())
        if not S_ISREG(stat.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if stat.st_size > limit:
            reason = f"larger than {limit // 2**20} MiB"
            raise OSError(errno.EFBIG, reason, str(path))
        return file.read()


def _check_inside(root: Path, path: Path, key: str) -> None:
    """Refuse a partition file that resolves outside the store (a symbolic link out)."""
    if not path.resolve().is_relative_to(root.resolve()):
        msg = f"{root}: partition {key}: {path} leads outside the store"
        raise StoreError(msg)


def _check_count(path: Path, entry: PartitionEntry, collection: str, n: int) -> None:
    if n != entry.counts.get(collection, 0):
        msg = (
            f"partition {entry.key}: {path} holds {n} {collection}, "
            f"the manifest lists {entry.counts.get(collection, 0)}"
        )
        raise StoreError(msg)


def _check_contents(path: Path, entry: PartitionEntry, ds: Dataset) -> None:
    """Refuse a partition of another county, or without the records its entry counts.

    Its records all lie within its division (the dataset's own rule ``outside_locality``),
    so a partition whose division is its key holds no other county's records.
    """
    key = entry.key
    if ds.division_code != key:
        msg = f"partition {key}: {path} holds division {ds.division_code}, not {key}"
        raise StoreError(msg)
    for collection in COLLECTIONS:
        _check_count(path, entry, collection, len(ds.records(collection)))
