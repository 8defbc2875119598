"""A run's results folder: one facts file per partition, and an index (月度运行结果目录).

A run over thousands of partitions cannot hold every partition's facts in one process: the
ids of warnings, assignments and open roles grow with the recipients (about 420 KiB a county
of 10,000). So each partition's :class:`MonthlyFacts` goes to its own file as the partition
finishes, and the run keeps only the :class:`MonthlyTotals`. The folder, per day run::

    <results>/<as_of>/<key>-<checksum prefix>.json   one partition's facts, with a stamp
    <results>/<as_of>/run.json                       the last run: files, failures, totals

The *worker* writes its partition's file, not the client: the facts then never cross the
network nor pass through the one client process (at the national scale about 1 GiB of JSON
that one process would otherwise decode and encode again in turn), and the work of writing
is spread over the cluster like the rest. Every worker already reads the store at the same
path; the results folder must be writable at that path too. Each file is written to a
temporary name and renamed over the final one, so a reader sees a whole file or none, and a
task Dask runs twice (after a worker was lost) writes the same bytes twice.

A file is named by its partition and the partition's checksum, and its stamp repeats the
checksum, the day and the wushe version: a re-run reuses a file only when all three match, so
a partition whose data changed is recomputed, and a torn or foreign file is ignored.

Facts hold ids, codes, counts and dates of visits, never a name, phone or ID number; as a
last guard, :func:`personal_ids` refuses facts whose *ids* look like a resident ID number or
a mobile phone (a bureau that keys recipients by ID number), so no such file is written.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import json
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from wushe.codes import check_resident_id
from wushe.scale._monthly import MonthlyFacts

__all__ = ["read_facts"]

RUN_INDEX = "run.json"
_PHONE = re.compile("1[3-9][0-9]{9}")
_TUPLES = ("partitions", "warnings", "assignments", "unmatched")


def wushe_version() -> str:
    """The installed wushe version, part of every facts file's stamp."""
    try:
        return importlib.metadata.version("wushe")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - from source
        return "0"


def facts_name(key: str, checksum: str) -> str:
    """The file name of a partition's facts: its key and its checksum's first 16 digits."""
    return f"{key}-{checksum[:16]}.json"


def stamp(key: str, checksum: str, as_of: date) -> dict[str, str]:
    """What a facts file must match to be reused."""
    return {
        "partition": key,
        "checksum": checksum,
        "as_of": as_of.isoformat(),
        "wushe": wushe_version(),
    }


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_facts(path: Path, facts: MonthlyFacts, stamped: Mapping[str, str]) -> None:
    """Write one partition's facts file (its stamp, then the facts)."""
    payload = {"stamp": dict(stamped), "facts": attrs.asdict(facts)}
    write_atomic(path, json.dumps(payload, separators=(",", ":")).encode())


def _facts_from(data: Mapping[str, Any]) -> MonthlyFacts:
    fields: dict[str, Any] = {
        k: tuple(map(_tuple, v)) if k in _TUPLES else v for k, v in data.items()
    }
    return MonthlyFacts(**fields)


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def read_stamped(path: Path, stamped: Mapping[str, str]) -> MonthlyFacts | None:
    """The facts in ``path`` if its stamp is ``stamped``; ``None`` if not, or unreadable."""
    try:
        saved = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("stamp") != dict(stamped):
        return None
    try:
        return _facts_from(saved["facts"])
    except (KeyError, TypeError):
        return None


def read_facts(path: str | Path) -> MonthlyFacts:
    """Read one partition's facts from a run's results folder (读取分区结果).

    Args:
        path: A facts file written by :func:`~wushe.scale.run_monthly`; its name is listed
            in :attr:`~wushe.scale.MonthlyRun.files`.

    Raises:
        OSError: if the file cannot be read.
        ValueError: if it is not a facts file.
    """
    saved = json.loads(Path(path).read_bytes())
    try:
        return _facts_from(saved["facts"])
    except (KeyError, TypeError, AttributeError):
        msg = f"{path} is not a wushe facts file of this version"
        raise ValueError(msg) from None


# --- the last guard: ids that are personal data --------------------------------------

_SEGMENT = re.compile(r"[0-9Xx\-_.:+~]+")
"""Digits (and an ID's X) with the separators an id may put between them."""
_GROUP = re.compile(r"[0-9Xx]+")
_DIGITS = re.compile(r"[0-9]+")


def _looks_personal(text: str) -> str | None:
    """``"resident_id"`` or ``"phone"`` when ``text`` holds one, or ``None``.

    Separators do not hide one: in ``p-5101-0619-4103-1212-34`` the digits read as one
    ID number. An ID number is looked for anywhere in a run of digits (its own check
    character, birth date and province rule out almost every false find); a phone only as
    whole groups of digits, since any long number holds eleven digits starting 13-19.
    """
    for segment in _SEGMENT.findall(text):
        joined = "".join(_GROUP.findall(segment))
        for i in range(len(joined) - 17):
            with contextlib.suppress(ValueError):
                check_resident_id(joined[i : i + 18])
                return "resident_id"
        groups = _DIGITS.findall(segment)  # an X ends an ID number, never a phone
        joined = "".join(groups)
        start = 0
        for a, group in enumerate(groups):
            width = 0
            for later in groups[a:]:
                width += len(later)
                if width >= 11:
                    break
            if width == 11 and _PHONE.fullmatch(joined[start : start + 11]):
                return "phone"
            start += len(group)
    return None


def _ids(facts: MonthlyFacts) -> Iterator[tuple[str, str]]:
    """Every string a facts file would hold, with where it is."""
    for sid in (*facts.stations, *facts.visit_rates):
        yield "station_id", sid
    for recipient_id, _, station_id, _ in facts.warnings:
        yield "warnings.recipient_id", recipient_id
        yield "warnings.station_id", station_id
    for need_id, _, actor_id in facts.assignments:
        yield "assignments.need_id", need_id
        yield "assignments.actor_id", actor_id
    for need_id, *_ in facts.unmatched:
        yield "unmatched.need_id", need_id
    for division in facts.divisions:
        yield "division", division


def personal_ids(facts: MonthlyFacts) -> tuple[str, ...]:
    """Where the facts' ids hold a resident ID number or a mobile phone (个人信息编号).

    Returns one line per place and kind, e.g. ``"warnings.recipient_id: 3 resident_id"``,
    never the value; empty when the facts are safe to write.
    """
    found: dict[tuple[str, str], int] = {}
    seen: set[str] = set()
    for where, text in _ids(facts):
        if text in seen:
            continue
        seen.add(text)
        kind = _looks_personal(text)
        if kind is not None:
            found[where, kind] = found.get((where, kind), 0) + 1
    return tuple(f"{w}: {n} {k}" for (w, k), n in sorted(found.items()))


_TOKEN = re.compile(r"\S+")


def withhold_personal(text: str) -> str:
    """``text`` with every word holding a resident ID number or phone as ``******``.

    For what a run says about a failed partition (a record id in a validation problem, an
    exception's message), which goes to the run's index and the command's output.
    """
    return _TOKEN.sub(lambda m: "******" if _looks_personal(m[0]) else m[0], text)
