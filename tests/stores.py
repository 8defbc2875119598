"""Helpers for tests that edit a store's partition behind the writer's back."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wushe.io._partition import PARTITION_FILE, encode_partition, partition_document
from wushe.models import COLLECTIONS


def partition_path(root: Path, key: str) -> Path:
    """The partition file of ``key`` in the store at ``root``."""
    return root / "partitions" / key / PARTITION_FILE


def rewrite_partition(root: Path, key: str, data: bytes) -> None:
    """Put ``data`` in partition ``key`` and its checksum in the manifest, as an editor could."""
    path = partition_path(root, key)
    path.write_bytes(data)
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["partitions"]:
        if entry["key"] == key:
            entry["files"][PARTITION_FILE] = hashlib.sha256(data).hexdigest()
    (root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def edit_partition(
    root: Path, key: str, edit: Callable[[dict[str, Any]], None]
) -> dict[str, Any]:
    """Apply ``edit`` to the partition's records as a dataset document, write it back
    in the store's layout with a matching checksum, and return the document."""
    document = partition_document(partition_path(root, key).read_bytes())
    edit(document)
    header = {k: v for k, v in document.items() if k not in COLLECTIONS}
    body = {k: v for k, v in document.items() if k in COLLECTIONS}
    rewrite_partition(root, key, encode_partition(header, body))
    return document
