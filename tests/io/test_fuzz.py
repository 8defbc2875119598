"""A bounded fuzz harness over every loader (加载器模糊测试).

Each loader gets the example files, mutated: bytes flipped, cut, duplicated or deleted;
hostile tokens spliced in (huge strings and numbers, deep nesting, NUL, YAML tags and
aliases, formulas); whole files re-encoded; and, for structured seeds, one value replaced
by a value of the wrong type or size. For every case the harness asserts that

- only a :class:`~wushe.exceptions.WusheError` escapes, with a short message;
- the call takes under ``FUZZ_SECONDS`` (15 s) and allocates under ``FUZZ_MEBIBYTES``
  (256 MiB, measured with :mod:`tracemalloc`);
- nothing disappears silently: a load that succeeds holds every record the file holds,
  and an accepted ledger has read every filled cell.

``make test`` runs ``FUZZ_EXAMPLES`` (default 60) cases per loader, about 30 s in all;
``FUZZ_EXAMPLES=2000 HYPOTHESIS_PROFILE=fuzz pytest tests/io/test_fuzz.py`` runs long.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from wushe import examples
from wushe.exceptions import WusheError
from wushe.io import (
    export_ledgers,
    ledger_report,
    ledger_spec,
    load_dataset,
    load_policy,
    load_report,
    load_rubric,
    load_score_sheets,
    load_visit_log,
)
from wushe.io._parse import yaml_module
from wushe.io._sheets import read_sheets
from wushe.models import COLLECTIONS, Dataset
from wushe.privacy import REVEAL

DATA = examples.path("jinniu").parent
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
SECONDS = float(os.environ.get("FUZZ_SECONDS", "15"))
MEBIBYTES = int(os.environ.get("FUZZ_MEBIBYTES", "256"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE_TOKENS = [
    b'"' + b"x" * 200_000 + b'"',
    b"[" * 3000,
    b"{" * 3000,
    b"1e999999",
    b"9" * 5000,
    b"-1",
    b"null",
    b"true",
    b"{}",
    b"[]",
    b"\xff\xfe\x00",
    b"\x00",
    b"&a [*a]",
    b"*a",
    b"!!python/object:os.system {}",
    b"\r\n",
    b'"=HYPERLINK(1)"',
    b",,,,,,13812345678",
    b'"2024-01-01T09:00"',
]
HOSTILE_VALUES: list[Any] = [
    "x" * 100_000,
    10**30,
    -1,
    1e308,
    None,
    [],
    {},
    True,
    "=cmd|' /C calc'!A0",
    "2024-01-01T09:00",
    "9999-12-31",
    "0001-01-01",
    "\u202e\x00",
]


# --- mutations --------------------------------------------------------------------------


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    """One of: flip, cut, duplicate, delete, splice a hostile token, re-encode."""
    size = max(len(data), 1)
    kind = draw(st.sampled_from(["flip", "cut", "dup", "delete", "splice", "encode"]))
    at = draw(st.integers(0, size - 1))
    span = draw(st.integers(1, max(1, size // 4)))
    if kind == "flip":
        value = draw(st.integers(0, 255))
        return data[:at] + bytes([value]) + data[at + 1 :]
    if kind == "cut":
        return data[:at]
    if kind == "dup":
        return data[: at + span] + data[at : at + span] + data[at + span :]
    if kind == "delete":
        return data[:at] + data[at + span :]
    if kind == "splice":
        return data[:at] + draw(st.sampled_from(HOSTILE_TOKENS)) + data[at:]
    encoding = draw(st.sampled_from(["utf-16", "gb18030", "utf-8-sig", "latin-1"]))
    return data.decode("utf-8", "replace").encode(encoding, "replace")


@st.composite
def value_mutation(draw: st.DrawFn, tree: Any) -> Any:
    """The tree with one value, anywhere, replaced by a hostile one or nested deeply."""
    paths = list(_paths(tree))
    path = draw(st.sampled_from(paths)) if paths else ()
    value = draw(st.sampled_from(HOSTILE_VALUES) | st.integers(1, 250).map(_nested))
    return _replace(tree, path, value)


def _nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def _paths(tree: Any, prefix: tuple[Any, ...] = ()) -> Any:
    yield prefix
    if isinstance(tree, dict):
        for key, value in list(tree.items())[:40]:
            yield from _paths(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree[:3]):
            yield from _paths(value, (*prefix, index))


def _replace(tree: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, *rest = path
    copy: Any = dict(tree) if isinstance(tree, dict) else list(tree)
    copy[head] = _replace(tree[head], tuple(rest), value)
    return copy


# --- the check --------------------------------------------------------------------------


def bounded_call(call: Callable[[], Any]) -> Any:
    """Run ``call``; return its result or the WusheError it raised, within the bounds."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result: Any = call()
    except WusheError as error:
        result = error
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert peak < MEBIBYTES * 2**20, f"allocated {peak / 2**20:.0f} MiB"
    if isinstance(result, WusheError):
        assert len(str(result)) < 60_000
    return result


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@cache
def seeds() -> dict[str, bytes]:
    """Small example files of every kind, as bytes."""
    qxg = (DATA / "qixinggang.json").read_bytes()
    yaml = yaml_module()
    visits = json.loads((DATA / "jinniu_visits.json").read_text(encoding="utf-8"))
    visits = {
        key: value[:30] if isinstance(value, list) else value
        for key, value in visits.items()
    }
    rubric = yaml.safe_load(
        (DATA / "rubric_station_review.yaml").read_text(encoding="utf-8")
    )
    scores = json.loads((DATA / "jinniu_scores.json").read_text(encoding="utf-8"))
    policy = yaml.safe_load((DATA / "policy.yaml").read_text(encoding="utf-8"))
    dumped = {
        "visits": visits,
        "rubric": rubric,
        "scores": scores,
        "policy": policy,
        "dataset": json.loads(qxg),
    }
    out = {
        f"{name}.json": json.dumps(v, ensure_ascii=False).encode()
        for name, v in dumped.items()
    }
    out |= {
        f"{name}.yaml": yaml.safe_dump(v, allow_unicode=True).encode()
        for name, v in dumped.items()
    }
    return out


def _counts_match(document: Any, ds: Dataset) -> None:
    """Nothing dropped: every record the file lists is in the dataset."""
    for collection in COLLECTIONS:
        assert len(ds.records(collection)) == len(document.get(collection, []))


def _tree(name: str, data: bytes) -> Any:
    text = data.decode("utf-8")
    return yaml_module().safe_load(text) if name.endswith(".yaml") else json.loads(text)


def _dump(name: str, tree: Any) -> bytes:
    if name.endswith(".yaml"):
        return bytes(yaml_module().safe_dump(tree, allow_unicode=True).encode())
    return json.dumps(tree, ensure_ascii=False).encode()


@st.composite
def mutated(draw: st.DrawFn, kind: str) -> tuple[str, bytes]:
    name = draw(st.sampled_from([f"{kind}.json", f"{kind}.yaml"]))
    data = seeds()[name]
    if draw(st.booleans()):
        return name, _dump(name, draw(value_mutation(_tree(name, data))))
    return name, draw(byte_mutation(data))


# --- JSON / YAML loaders ----------------------------------------------------------------

DOCUMENT_LOADERS: dict[str, tuple[str, Callable[[Path], Any]]] = {
    "load_dataset": ("dataset", load_dataset),
    "load_report": ("dataset", load_report),
    "load_visit_log": ("visits", load_visit_log),
    "load_rubric": ("rubric", load_rubric),
    "load_score_sheets": ("scores", load_score_sheets),
    "load_policy": ("policy", load_policy),
}


@pytest.mark.parametrize("loader", DOCUMENT_LOADERS)
@FUZZ
@given(data=st.data())
def test_document_loaders_raise_only_wushe_errors_within_bounds(tmp_path, loader, data):
    kind, load = DOCUMENT_LOADERS[loader]
    name, content = data.draw(mutated(kind), label="file")
    path = write(tmp_path / name, content)
    result = bounded_call(lambda: load(path))
    if isinstance(result, Dataset):
        _counts_match(_tree(name, content.removeprefix(b"\xef\xbb\xbf")), result)
    if loader == "load_report" and result.dataset is not None:
        _counts_match(
            _tree(name, content.removeprefix(b"\xef\xbb\xbf")), result.dataset
        )


# --- ledgers ----------------------------------------------------------------------------


@cache
def ledger_seeds() -> tuple[dict[str, Any], bytes, bytes]:
    """A base without recipients, and its recipients as a CSV file and as a workbook."""
    qxg = load_dataset(DATA / "qixinggang.json")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (csv_path,) = export_ledgers(
            qxg, folder / "recipients.csv", kinds=["recipients"], reveal=True
        ).paths
        (xlsx_path,) = export_ledgers(
            qxg, folder / "recipients.xlsx", kinds=["recipients"], reveal=True
        ).paths
        csv_seed, xlsx_seed = csv_path.read_bytes(), xlsx_path.read_bytes()
    base = qxg.model_copy(update={"recipients": (), "needs": ()})
    raw = base.model_dump(mode="json", context=REVEAL, exclude_none=True)
    return raw, csv_seed, xlsx_seed


CELLS: list[Any] = [
    *[v for v in HOSTILE_VALUES if isinstance(v, str)],
    "",
    "   ",
    "=1+1",
    "'=x",
    "13812345678",
    "2023/2/30",
    "是",
    "[" * 3000,
    1e10,
    -1,
    float("inf"),
]


@st.composite
def row_mutation(draw: st.DrawFn) -> list[list[Any]]:
    """The seed ledger's rows with one change a clerk (or an attacker) might make."""
    _, csv_seed, _ = ledger_seeds()
    rows: list[list[Any]] = [
        list(r) for r in csv.reader(io.StringIO(csv_seed.decode("utf-8-sig")))
    ]
    at = draw(st.integers(1, len(rows) - 1))
    column = draw(st.integers(0, len(rows[0]) + 2))
    kind = draw(
        st.sampled_from(
            ["cell", "extra", "blank_header", "dup_row", "blank_row", "title"]
        )
    )
    if kind == "cell":
        rows[at] += [""] * (column + 1 - len(rows[at]))
        rows[at][column] = draw(st.sampled_from(CELLS))
    elif kind == "extra":
        rows[at] += ["", "", draw(st.sampled_from(CELLS))]
    elif kind == "blank_header":
        rows[0][min(column, len(rows[0]) - 1)] = ""
    elif kind == "dup_row":
        rows.insert(at, list(rows[at]))
    elif kind == "blank_row":
        rows.insert(at, [""] * len(rows[0]))
    else:
        rows.insert(0, ["2024年服务对象台账"])
    return rows


def _as_file(rows: list[list[Any]], suffix: str) -> bytes:
    out = io.BytesIO()
    if suffix == ".csv":
        text = io.StringIO(newline="")
        csv.writer(text).writerows(rows)
        return text.getvalue().encode("utf-8-sig")
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    sheet.title = "服务对象"
    for row in rows:  # a text starting with "=" becomes a formula without a value
        sheet.append(
            [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
        )
    book.save(out)
    return out.getvalue()


@st.composite
def mutated_workbook(draw: st.DrawFn, book: bytes) -> bytes:
    if draw(st.integers(0, 4)) == 0:
        return draw(byte_mutation(book))
    with zipfile.ZipFile(io.BytesIO(book)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    name = draw(st.sampled_from(sorted(parts)))
    parts[name] = draw(byte_mutation(parts[name]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return out.getvalue()


def _every_filled_cell_was_read(path: Path, report: Any) -> None:
    """An accepted ledger used every filled cell: all under a known header, no row lost."""
    (sheet,) = read_sheets(path)
    spec = ledger_spec("recipients")
    known = {h.strip() for h in spec.header_map()} | set(spec.ignore)
    header_number, header = next(
        (n, dict(cells))
        for n, cells in sheet.rows
        if set(map(str, dict(cells).values())) & known
    )
    filled = 0
    for number, cells in sheet.rows:
        values = {i: v for i, v in cells if str(v).strip()}
        if number <= header_number or not values:
            continue
        filled += 1
        assert values.keys() <= header.keys(), f"row {number} has cells under no header"
    assert len(report.dataset.recipients) == filled


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@FUZZ
@given(data=st.data())
def test_ledger_loader_raises_only_wushe_errors_and_drops_nothing(
    tmp_path, suffix, data
):
    base, csv_seed, xlsx_seed = ledger_seeds()
    if data.draw(st.booleans(), label="by rows"):
        content = _as_file(data.draw(row_mutation(), label="rows"), suffix)
    elif suffix == ".csv":
        content = data.draw(byte_mutation(csv_seed), label="csv")
    else:
        content = data.draw(mutated_workbook(xlsx_seed), label="xlsx")
    path = write(tmp_path / f"recipients{suffix}", content)
    report = bounded_call(lambda: ledger_report(path, base=base))
    if isinstance(report, WusheError):
        return
    assert all(len(issue.message) <= 400 for issue in report.issues)
    if report.dataset is not None:
        _every_filled_cell_was_read(path, report)


def test_seeds_load_unmutated(tmp_path):
    for name, content in seeds().items():
        loaders: dict[str, Callable[[Path], object]] = {
            "dataset": load_dataset,
            "visits": load_visit_log,
            "rubric": load_rubric,
            "scores": load_score_sheets,
            "policy": load_policy,
        }
        loaders[name.split(".")[0]](write(tmp_path / name, content))
    base, csv_seed, xlsx_seed = ledger_seeds()
    for suffix, content in ((".csv", csv_seed), (".xlsx", xlsx_seed)):
        report = ledger_report(
            write(tmp_path / f"recipients{suffix}", content), base=base
        )
        assert report.ok, report.summary()
