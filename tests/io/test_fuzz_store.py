"""The partitioned store in the loader fuzz harness (分区存储模糊测试).

A small store of two counties (with visit logs) is copied for every case and damaged in
one way: its manifest (hostile values, wrong types, cut or flipped bytes, partition keys
that climb out of the store, unknown layout versions, wrong checksums, huge counts,
repeated keys and entries), or one partition's files (cut, flipped, re-encoded, repeated
keys, deep nesting, another county's records, missing, a folder, a pipe, a device, a
symbolic link out of the store). A damaged file usually gets its checksum recomputed, so
that the checks behind the checksum are reached too. Then :func:`~wushe.io.open_store`,
:meth:`~wushe.io.Store.load` and :meth:`~wushe.io.Store.load_visits` run on every
partition, within the bounds of ``tests/io/test_fuzz.py``, and the harness asserts that

- only a :class:`~wushe.exceptions.WusheError` escapes; its message names the store and,
  for damage inside a partition, the partition key and the file; a
  :class:`~wushe.exceptions.LoadError` names the file in every issue;
- a store that loads holds, partition by partition, exactly the records its files hold, of
  its own county only.

``make test`` runs ``FUZZ_EXAMPLES`` (default 60) cases per target; set it higher, with
``HYPOTHESIS_PROFILE=fuzz``, to search longer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.io.test_fuzz import (
    FUZZ,
    bounded_call,
    byte_mutation,
    value_mutation,
)
from tests.scale.province import make_province
from tests.stores import edit_partition, partition_path
from wushe.care import VisitRecord
from wushe.exceptions import LoadError, StoreError, WusheError
from wushe.io import Store, open_store, write_store
from wushe.io._partition import PARTITION_FILE, encode_partition, partition_document
from wushe.models import COLLECTIONS, Dataset

KEYS = ("510101", "510102")
FILES = (PARTITION_FILE, "visits.json")


@cache
def seed_store() -> Path:
    """A store of two small counties with visit logs, written once per session."""
    root = Path(tempfile.mkdtemp(prefix="wushe-fuzz-store-")) / "store"
    data, log = make_province(2, streets=1, communities=1, recipients=2)
    visits = [VisitRecord.model_validate(v) for v in log["visits"]]
    write_store(root, Dataset.model_validate(data), visits=visits)
    return root


def fresh_copy(parent: Path) -> Path:
    root = parent / "store"
    shutil.copytree(seed_store(), root, symlinks=True)
    return root


# --- editing a copy ----------------------------------------------------------------------


def manifest(root: Path) -> dict[str, Any]:
    tree: dict[str, Any] = json.loads((root / "manifest.json").read_text("utf-8"))
    return tree


def write_manifest(root: Path, tree: Any) -> None:
    (root / "manifest.json").write_text(json.dumps(tree, ensure_ascii=False), "utf-8")


def entry(tree: dict[str, Any], key: str) -> dict[str, Any]:
    return next(p for p in tree["partitions"] if p["key"] == key)


def restamp(root: Path, key: str, name: str) -> None:
    """Make the manifest's checksum of one partition file match its bytes again."""
    tree = manifest(root)
    data = (root / "partitions" / key / name).read_bytes()
    entry(tree, key)["files"][name] = hashlib.sha256(data).hexdigest()
    write_manifest(root, tree)


def repeat_a_key(text: str, at: int) -> str:
    """The JSON text with one object member's key written twice (``"k": null, "k": …``)."""
    members = list(re.finditer(r'"(\w+)":\s*', text))
    if not members:
        return text + "x"
    m = members[at % len(members)]
    return text[: m.start()] + f'"{m.group(1)}": null, ' + text[m.start() :]


def foreign_record(root: Path, key: str, at: int) -> None:
    """Move a division, community or station of the other county into partition ``key``."""
    other = KEYS[1 - KEYS.index(key)]
    theirs = partition_document(partition_path(root, other).read_bytes())
    collection = ("divisions", "communities", "stations")[at % 3]
    record = theirs[collection][at // 3 % len(theirs[collection])]
    edit_partition(root, key, lambda ours: ours[collection].append(record))
    tree = manifest(root)
    entry(tree, key)["counts"][collection] += 1
    write_manifest(root, tree)


# --- the mutations -----------------------------------------------------------------------

BAD_KEYS = ["../../etc", "/etc", "..", ".", "", "510101/../510102", "5101\x00",
            "510101 ", "\uff15\uff11\uff10\uff11\uff10\uff11", "999999", "x" * 5000]  # fmt: skip
BAD_VERSIONS: list[Any] = [0, -1, 3, 99, True, "1", 1.5, None, 2**70, [1]]
BAD_COUNTS: list[Any] = [2**70, -1, 10**13, "3", 1.5, None, True, 10**6]
BAD_FILE_NAMES = ["../../etc/passwd", "/etc/passwd", "..", "", "a/b", "x" * 300]


@st.composite
def manifest_damage(draw: st.DrawFn, root: Path) -> tuple[str | None, str]:
    """Damage the manifest; return the partition it concerns (if one) and a note."""
    tree, text = manifest(root), (root / "manifest.json").read_bytes()
    key = draw(st.sampled_from(KEYS))
    kind = draw(st.sampled_from(["value", "bytes", "key", "version", "checksum",
                                 "count", "file_name", "drop_file", "twice", "repeat"]))  # fmt: skip
    part = entry(tree, key)
    if kind == "value":
        write_manifest(root, draw(value_mutation(tree)))
        return None, kind
    if kind == "bytes":
        (root / "manifest.json").write_bytes(draw(byte_mutation(text)))
        return None, kind
    if kind == "key":
        part["key"] = draw(st.sampled_from(BAD_KEYS))
    elif kind == "version":
        tree["schema_version"] = draw(st.sampled_from(BAD_VERSIONS))
    elif kind == "checksum":
        name = draw(st.sampled_from(FILES))
        part["files"][name] = draw(st.sampled_from(["0" * 64, "", "x", "A" * 64]))
    elif kind == "count":
        collection = draw(st.sampled_from([*sorted(part["counts"]), "needs"]))
        part["counts"][collection] = draw(st.sampled_from(BAD_COUNTS))
    elif kind == "file_name":
        part["files"][draw(st.sampled_from(BAD_FILE_NAMES))] = "0" * 64
    elif kind == "drop_file":
        del part["files"][draw(st.sampled_from(FILES))]
    elif kind == "twice":
        tree["partitions"].append(part)
    else:  # a key written twice in the manifest's text
        raw = repeat_a_key(
            json.dumps(tree, ensure_ascii=False), draw(st.integers(0, 99))
        )
        (root / "manifest.json").write_text(raw, encoding="utf-8")
        return None, kind
    write_manifest(root, tree)
    return (key if kind in ("checksum", "count", "drop_file") else None), kind


def _place(kind: str, path: Path) -> None:
    """Put something other than the file where it was: nothing, a folder, a pipe…"""
    if kind == "empty":
        path.write_bytes(b"")
        return
    path.unlink()
    if kind == "folder":
        path.mkdir()
    elif kind == "pipe":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")


PLACES = ("missing", "folder", "pipe", "device", "empty")


def _link_out(root: Path, path: Path) -> None:
    """Replace the file by a link to an identical copy outside the store."""
    outside = root.parent / f"outside-{path.parent.name}-{path.name}"
    shutil.copyfile(path, outside)
    path.unlink()
    path.symlink_to(outside)


def _mutate_values(path: Path, draw: st.DrawFn) -> None:
    """Change values inside a file; a partition file is edited as the document it holds
    and written back in its layout where the change still fits it."""
    if path.name != PARTITION_FILE:
        tree = json.loads(path.read_bytes())
        path.write_text(json.dumps(draw(value_mutation(tree)), ensure_ascii=False))
        return
    try:
        document = partition_document(path.read_bytes())
    except ValueError:  # damaged already (a planted repeated key): damage its bytes
        path.write_bytes(draw(byte_mutation(path.read_bytes())))
        return
    changed = draw(value_mutation(document))
    try:
        header = {k: v for k, v in changed.items() if k not in COLLECTIONS}
        body = {k: v for k, v in changed.items() if k in COLLECTIONS}
        path.write_bytes(encode_partition(header, body))
    except Exception:  # noqa: BLE001 - no longer a dataset the layout can hold: write it as is
        path.write_text(json.dumps(changed, ensure_ascii=False))


@st.composite
def partition_damage(draw: st.DrawFn, root: Path) -> tuple[str | None, str]:
    """Damage one partition file; return its partition key and a note."""
    key, name = draw(st.sampled_from(KEYS)), draw(st.sampled_from(FILES))
    path = root / "partitions" / key / name
    kind = draw(st.sampled_from(["bytes", "value", "repeat", "foreign", "swap",
                                 "place", "link_out", "folder_gone"]))  # fmt: skip
    if kind == "bytes":
        path.write_bytes(draw(byte_mutation(path.read_bytes())))
    elif kind == "value":
        _mutate_values(path, draw)
    elif kind == "repeat":
        at = draw(st.integers(0, 999))
        path.write_text(repeat_a_key(path.read_text(encoding="utf-8"), at))
    elif kind == "foreign":
        # A file damaged already (a planted repeated key) keeps that damage.
        with contextlib.suppress(ValueError):
            foreign_record(root, key, draw(st.integers(0, 99)))
        return key, kind
    elif kind == "swap":  # the other county's whole file, with its checksum
        shutil.copyfile(root / "partitions" / KEYS[1 - KEYS.index(key)] / name, path)
    elif kind == "place":
        place = draw(st.sampled_from(PLACES))
        _place(place, path)
        return key, f"{kind} {place}"
    elif kind == "link_out":
        _link_out(root, path)
        return key, kind
    else:
        shutil.rmtree(path.parent)
        return key, kind
    if draw(st.integers(0, 9)) < 7:
        restamp(root, key, name)
    return key, kind


# --- the check ---------------------------------------------------------------------------


def load_everything(root: Path) -> dict[str, Any]:
    """Open the store and load every partition and visit log."""
    store = open_store(root)
    return {key: (store.load(key), store.load_visits(key)) for key in store.keys}


def _holds_what_its_files_hold(root: Path, loaded: dict[str, Any]) -> None:
    """Nothing dropped, nothing foreign: a loaded partition is its file, of its county."""
    store = Store(root, open_store(root).manifest)
    for key, (ds, (visits, incidents)) in loaded.items():
        assert ds.division_code == key
        raw = partition_document(store.read(key))
        for collection in COLLECTIONS:
            assert len(ds.records(collection)) == len(raw.get(collection, []))
        log = (
            json.loads(store.read(key, "visits.json").decode("utf-8-sig"))
            if visits
            else {}
        )
        assert len(visits) == len(log.get("visits", []))
        assert len(incidents) == len(log.get("incidents", []))


def check_store(root: Path, key: str | None, note: str) -> None:
    result = bounded_call(lambda: load_everything(root))
    if not isinstance(result, WusheError):
        _holds_what_its_files_hold(root, result)
        return
    assert isinstance(result, StoreError | LoadError), (note, result)
    message = str(result)
    assert str(root) in message, (note, message)
    if key is not None:
        assert key in message, (note, message)
    if isinstance(result, LoadError):
        assert all(str(root) in issue.file for issue in result.report.issues)
        assert key is None or all(key in i.file for i in result.report.issues)
        assert "partitions" in message
    assert "Traceback" not in message


@FUZZ
@given(data=st.data())
def test_a_damaged_manifest_is_a_store_error_naming_the_store(data):
    with tempfile.TemporaryDirectory() as parent:
        root = fresh_copy(Path(parent))
        key, note = data.draw(manifest_damage(root), label="damage")
        check_store(root, key, note)


@FUZZ
@given(data=st.data())
def test_a_damaged_partition_is_an_error_naming_store_partition_and_file(data):
    with tempfile.TemporaryDirectory() as parent:
        root = fresh_copy(Path(parent))
        key, note = data.draw(partition_damage(root), label="damage")
        check_store(root, key, note)


# --- the attacks the harness found, one by one ----------------------------------------------


def _set(root: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    tree = manifest(root)
    edit(tree)
    write_manifest(root, tree)


def _swap_in_the_other_county(root: Path) -> None:
    partitions = root / "partitions"
    shutil.copyfile(
        partitions / "510102" / PARTITION_FILE, partitions / "510101" / PARTITION_FILE
    )
    restamp(root, "510101", PARTITION_FILE)


def _repeat_in_a_record(root: Path) -> None:
    path = partition_path(root, "510101")
    path.write_text(repeat_a_key(path.read_text("utf-8"), 30), "utf-8")
    restamp(root, "510101", PARTITION_FILE)


ATTACKS: dict[str, tuple[Callable[[Path], object], str]] = {
    "a key climbing out": (lambda r: _set(r, lambda t: t["partitions"][0].update(key="../../outside")), "partitions.0.key"),
    "an absolute key": (lambda r: _set(r, lambda t: t["partitions"][0].update(key=str(r.parent))), "partitions.0.key"),
    "layout version 0": (lambda r: _set(r, lambda t: t.update(schema_version=0)), "schema_version"),
    "layout version true": (lambda r: _set(r, lambda t: t.update(schema_version=True)), "schema_version"),
    "a count of 2**70": (lambda r: _set(r, lambda t: t["partitions"][0]["counts"].update(recipients=2**70)), "counts (partition '510101'): Value error, recipients"),
    "a partition listed twice": (lambda r: _set(r, lambda t: t["partitions"].append(t["partitions"][0])), "listed twice"),
    "a key repeated in the manifest": (lambda r: (r / "manifest.json").write_text(repeat_a_key((r / "manifest.json").read_text("utf-8"), 0), "utf-8"), "appears twice"),
    "a link out of the store": (lambda r: _link_out(r, partition_path(r, "510101")), "outside the store"),
    "a pipe": (lambda r: _place("pipe", partition_path(r, "510101")), "not a regular file"),
    "another county's file": (_swap_in_the_other_county, "holds division 510102"),
    "another county's station": (lambda r: foreign_record(r, "510101", 2), "outside_locality"),
    "a repeated key in a record": (_repeat_in_a_record, "appears twice"),
    "a count the file does not hold": (lambda r: _set(r, lambda t: t["partitions"][0]["counts"].update(recipients=3)), "the manifest lists 3"),
}  # fmt: skip


@pytest.mark.parametrize("attack", ATTACKS)
def test_each_known_attack_on_a_store_is_named(tmp_path, attack):
    root = fresh_copy(tmp_path)
    damage, expected = ATTACKS[attack]
    damage(root)
    error = bounded_call(lambda: load_everything(root))
    assert isinstance(error, StoreError | LoadError), error
    assert expected in str(error)
    assert str(root) in str(error)


def test_the_seed_store_loads_unchanged(tmp_path):
    root = fresh_copy(tmp_path)
    loaded = load_everything(root)
    assert tuple(loaded) == KEYS
    _holds_what_its_files_hold(root, loaded)
