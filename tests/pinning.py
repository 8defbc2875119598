"""Digests that pin an engine's whole output, so a refactor can prove it changed nothing."""

from __future__ import annotations

import hashlib
from typing import Any

import attrs
from pydantic import BaseModel


def _plain(value: object) -> object:
    if attrs.has(type(value)):
        instance: Any = value
        return {
            f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(instance))
        }
    if isinstance(value, BaseModel):
        return {name: _plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=repr)
    if isinstance(value, dict):
        return {repr(k): _plain(v) for k, v in sorted(value.items(), key=repr)}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return repr(value)


def digest(value: object) -> str:
    """A short SHA-256 of everything in ``value``: attrs and pydantic fields, containers.

    Sets are sorted, so the digest does not depend on the interpreter's hash seed.
    """
    return hashlib.sha256(repr(_plain(value)).encode()).hexdigest()[:16]
