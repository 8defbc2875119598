"""A store partition's own file: JSON Lines, recipients by column (分区文件格式).

The writer controls this layout, so the reader can check and validate it in bulk. Each line
is one JSON array ``[kind, name, body]``:

* ``["header", "dataset", {...}]`` first: the dataset's own fields (name, code, date …);
* ``["rows", collection, [...]]``: a collection as records, as a dataset file holds it;
* ``["column", "recipients.<field>", [...]]``: one field of every recipient, ``null`` where a
  record leaves it out;
* ``["table", "recipients.<field>", [...]]`` and ``["codes", "recipients.<field>", [...]]``:
  a field with few distinct values (community, groups, consents, gender …) as the distinct
  values and, per recipient, the index of its value (``-1`` where it is left out).

Reading validates each column with pydantic-core in JSON mode, with the very field types of
:class:`~wushe.models.Recipient` (so every ID check character, phone, name, date and vocabulary
rule runs), each distinct value of a table once, and the recipients' cross-field rules (age
and group rules, birth date and gender from the ID, PIPL consent rules for children) over whole
columns; a record the columns do not certainly clear is checked alone by the model's own rule.
The models are then built from the checked values without a second validation. Rows are
checked for repeated keys and depth as any dataset file is, and validated by pydantic.

Anything else, a failed check or a line not in this layout, sends the file to the general
path: it is read back into an ordinary dataset document, checked for repeated keys and depth
line by line and then record by record (:func:`~wushe.io._json.check_records`), so a
partition reports its problems exactly as :func:`~wushe.io.load_report` reports them for the
same records in a dataset file. The manifest's checksum never skips a check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from functools import cache
from itertools import repeat
from operator import is_
from typing import Annotated, Any, Final, get_args

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, StrictInt, TypeAdapter, ValidationError

from wushe._gc import paused_gc
from wushe.codes import resident_id_columns
from wushe.exceptions import DatasetError, LoadError
from wushe.io._json import _settle_in_old_generation, check_records
from wushe.io._parse import DocumentProblem, check_depth, scan_json
from wushe.io._report import LoadReport
from wushe.models import COLLECTIONS, Dataset, Recipient, check_integrity
from wushe.models._consent import CONSENT_AGE
from wushe.models._recipient import _GroupRules, finish_column_checks
from wushe.privacy import _STORE_VALUE, ColumnChecks, Sensitive
from wushe.vocab import Gender

__all__: list[str] = []  # internal: used by wushe.io._store

PARTITION_FILE: Final = "dataset.jsonl"
"""The partition file's name inside ``partitions/<key>/``."""

_COLUMNAR: Final = "recipients"
_FIELDS: Final = tuple(Recipient.model_fields)
_LINE = re.compile(rb'\["(header|rows|column|table|codes)","([a-z_]+(?:\.[a-z_]+)?)",')
_HEADER_FIELDS: Final = frozenset(Dataset.model_fields) - frozenset(COLLECTIONS)


class _Deviation(Exception):
    """The file is not in the fast path's layout, or a check failed: take the general path."""


# --- writing ------------------------------------------------------------------------------


def _line(kind: str, name: str, body: Any) -> bytes:
    return json.dumps(
        [kind, name, body], ensure_ascii=False, separators=(",", ":")
    ).encode()


def encode_partition(
    header: Mapping[str, Any], records: Mapping[str, list[dict[str, Any]]]
) -> bytes:
    """The partition file for ``header`` fields and the collections' plain records."""
    lines = [_line("header", "dataset", dict(header))]
    for collection, rows in records.items():
        if collection == _COLUMNAR and rows and _columnar(rows):
            lines.extend(_column_lines(rows))
        else:
            lines.append(_line("rows", collection, rows))
    return b"\n".join(lines) + b"\n"


def _columnar(rows: list[dict[str, Any]]) -> bool:
    """Whether records can be written by column: known fields, none written as ``null``."""
    known = frozenset(_FIELDS)
    return all(r.keys() <= known and None not in r.values() for r in rows)


def _column_lines(rows: list[dict[str, Any]]) -> Iterator[bytes]:
    n = len(rows)
    for field in _FIELDS:
        values = [r.get(field) for r in rows]
        if all(v is None for v in values):
            continue
        present = [v for v in values if v is not None]
        # A string stands for itself; anything else for its JSON, in a tuple so that the
        # number 7 and the string "7" stay apart.
        keys: list[Any] = [
            v if isinstance(v, str) else (json.dumps(v),) for v in present
        ]
        if all(isinstance(v, str) for v in present) and len(set(keys)) * 4 > n:
            yield _line("column", f"{_COLUMNAR}.{field}", values)
            continue
        index: dict[Any, int] = {}
        table: list[Any] = []
        for key, value in zip(keys, present, strict=True):
            if key not in index:
                index[key] = len(table)
                table.append(value)
        found = iter(keys)
        codes = [-1 if v is None else index[next(found)] for v in values]
        yield _line("table", f"{_COLUMNAR}.{field}", table)
        yield _line("codes", f"{_COLUMNAR}.{field}", codes)


# --- reading: the fast path -----------------------------------------------------------------


def load_partition(data: bytes, file: str) -> Dataset:
    """Validate a partition file's bytes into a dataset (加载分区文件).

    Raises:
        LoadError: naming every problem, as :func:`~wushe.io.load_report` would for the
            same records in a dataset file.
    """
    try:
        return _fast(data)
    except (_Deviation, ValidationError, DatasetError, ValueError, UnicodeError):
        pass
    report = general_report(data, file)
    if report.dataset is None:
        raise LoadError(report)
    return report.dataset  # pragma: no cover - the fast path refused a valid file


def _split(data: bytes) -> list[tuple[str, str, bytes]]:
    """The file's lines as (kind, name, body), or a deviation."""
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    out = []
    for line in lines:
        match = _LINE.match(line)
        if match is None or not line.endswith(b"]"):
            raise _Deviation
        out.append((match[1].decode(), match[2].decode(), line[match.end() : -1]))
    if not out or out[0][:2] != ("header", "dataset"):
        raise _Deviation
    return out


def _fast(data: bytes) -> Dataset:
    lines = _split(data)
    header = _header(lines[0][2])
    collections: dict[str, tuple[Any, ...]] = {}
    columns: dict[str, dict[str, bytes]] = {"column": {}, "table": {}, "codes": {}}
    rows: list[tuple[str, bytes]] = []
    for kind, name, body in lines[1:]:
        if kind == "rows" and name in COLLECTIONS and name not in collections:
            rows.append((name, body))
            collections[name] = ()
        elif (
            kind in columns
            and name.startswith(f"{_COLUMNAR}.")
            and name not in columns[kind]
        ):
            columns[kind][name] = body
        else:
            raise _Deviation
    with paused_gc():
        if any(columns.values()):
            if _COLUMNAR in collections:
                raise _Deviation
            collections[_COLUMNAR] = _recipients(columns)
        with ColumnChecks():
            for name, body in rows:
                _scan(body, wrap=(b'{"r":', b"}"))
                collections[name] = _rows_adapter(name).validate_json(body)
            ds = _dataset(header, collections)
        _settle_in_old_generation()
    return ds


def _dataset(
    header: dict[str, Any], collections: dict[str, tuple[Any, ...]]
) -> Dataset:
    """The dataset from checked parts, and its own rule: :class:`Dataset`'s validator.

    ``Dataset.model_validate`` would run every record's model validator once more (pydantic
    runs a model's after-validators on an instance too); its one rule of its own is to
    finish the column checks and check integrity, which this does.
    """
    given = {**header, **collections}
    values = {
        name: given[name]
        if name in given
        else info.get_default(call_default_factory=True)
        for name, info in Dataset.model_fields.items()
    }
    ds: Dataset = _model(Dataset, values, set(header) | set(collections))
    finish_column_checks()  # integrity reads the birth dates they derive
    issues = list(check_integrity(ds))
    if issues:
        raise DatasetError(issues)
    return ds


def _model(cls: type[BaseModel], values: dict[str, Any], fields_set: set[str]) -> Any:
    """An instance of ``cls`` holding checked ``values``, as pydantic-core builds one."""
    model = _NEW(cls)
    _SET_DICT(model, values)
    _SET_FIELDS_SET(model, fields_set)
    _SET_EXTRA(model, None)
    _SET_PRIVATE(model, None)
    return model


def _header(body: bytes) -> dict[str, Any]:
    """The dataset's own fields, validated in JSON mode as a dataset file's are."""
    _scan(body, wrap=(b"", b""))
    fields = json.loads(body)
    if not isinstance(fields, dict) or not fields.keys() <= _HEADER_FIELDS:
        raise _Deviation
    valid = Dataset.model_validate_json(
        body
    )  # no records: integrity has nothing to check
    return {
        name: getattr(valid, name) for name in Dataset.model_fields if name in fields
    }


def _scan(body: bytes, *, wrap: tuple[bytes, bytes]) -> None:
    """Check repeated keys and depth as the dataset file would nest ``body``."""
    try:
        scan_json((wrap[0] + body + wrap[1]).decode())
    except DocumentProblem:
        raise _Deviation from None


@cache
def _rows_adapter(collection: str) -> TypeAdapter[tuple[Any, ...]]:
    model = COLLECTIONS[collection][0]
    return TypeAdapter(tuple[model, ...])  # type: ignore[valid-type]


_STRIP: Final = ConfigDict(
    str_strip_whitespace=Recipient.model_config.get("str_strip_whitespace", False)
)


@cache
def _field_adapter(field: str, *, nullable: bool) -> TypeAdapter[list[Any]]:
    """Validates a column of one recipient field as the model validates the field."""
    info = Recipient.model_fields[field]
    kind: Any = info.annotation
    if info.metadata:
        kind = Annotated[(kind, *info.metadata)]
    if nullable:
        kind = kind | None
    return TypeAdapter(list[kind], config=_STRIP)


_ABSENT: Final = object()
_CODES: Final = TypeAdapter(list[StrictInt])  # as the general path: 1.0 is no code
_TEXTS: Final = TypeAdapter(list[str | None], config=_STRIP)


@cache
def _sensitive_text(field: str) -> type[Sensitive[str]] | None:
    """The field's :class:`~wushe.privacy.Sensitive` class when it wraps plain text."""
    info = Recipient.model_fields[field]
    if info.metadata:
        return None
    kinds = [
        k for k in (info.annotation, *get_args(info.annotation)) if k is not type(None)
    ]
    for kind in kinds:
        if isinstance(kind, type) and issubclass(kind, Sensitive):
            return kind if kind._inner_type is str else None
    return None


def _sensitive_column(
    cls: type[Sensitive[str]], values: list[str | None]
) -> list[Sensitive[str] | None]:
    """Wrap a column of validated text as the field's type does, checks included.

    Pydantic builds such a value with one Python call per value: the text, stripped as the
    model's configuration says, goes through ``cls._check`` (whole columns at once where
    the class decides them) and is stored in a new wrapper. This does the same in bulk.
    """
    gaps = None in values
    raw: list[str] = [v for v in values if v is not None] if gaps else values  # type: ignore[assignment]
    if cls._checks_columns:
        cleared: NDArray[np.bool_] = np.asarray(cls._check_column(raw), dtype=bool)
        for index in np.flatnonzero(~cleared).tolist():
            raw[index] = cls._check(raw[index])
    elif cls._check.__func__ is not Sensitive._check.__func__:  # type: ignore[attr-defined]
        raw = list(map(cls._check, raw))
    wrapped: list[Sensitive[str] | None] = list(map(_NEW, repeat(cls, len(raw))))
    for _ in map(_STORE_VALUE, wrapped, raw):
        pass
    if not gaps:
        return wrapped
    found = iter(wrapped)
    return [None if v is None else next(found) for v in values]


def _column(columns: dict[str, dict[str, bytes]], field: str) -> list[Any] | None:
    """One field of every recipient, checked; ``_ABSENT`` where left out."""
    name = f"{_COLUMNAR}.{field}"
    plain, table, codes = (
        columns[k].pop(name, None) for k in ("column", "table", "codes")
    )
    if plain is not None:
        if table is not None or codes is not None:
            raise _Deviation
        if b"{" in plain:
            _scan(plain, wrap=(b'{"r":[', b"]}"))
        sensitive = _sensitive_text(field)
        if sensitive is not None:
            values = _sensitive_column(sensitive, _TEXTS.validate_json(plain))
        else:
            with ColumnChecks() as later:
                values = _field_adapter(field, nullable=True).validate_json(plain)
                later.finish()
        if any(map(is_, values, repeat(None))):
            return [_ABSENT if v is None else v for v in values]
        return values
    if table is None and codes is None:
        return None
    if table is None or codes is None:
        raise _Deviation
    if b"{" in table:
        _scan(table, wrap=(b'{"r":[', b"]}"))
    with ColumnChecks() as later:
        values = _field_adapter(field, nullable=False).validate_json(table)
        later.finish()
    # ``null`` in a table stands for a record that leaves the field out, as the general
    # path reads it; the last entry is the one code -1 finds.
    distinct = [*(_ABSENT if v is None else v for v in values), _ABSENT]
    index = _CODES.validate_json(codes)
    if index and not -1 <= min(index) <= max(index) < len(distinct) - 1:
        raise _Deviation
    return list(map(distinct.__getitem__, index))


def _recipients(columns: dict[str, dict[str, bytes]]) -> tuple[Recipient, ...]:
    found = {f: c for f in _FIELDS if (c := _column(columns, f)) is not None}
    if any(columns.values()) or "recipient_id" not in found:
        raise _Deviation  # a column of no field, or no ids to count the records by
    n = len(found["recipient_id"])
    if any(len(c) != n for c in found.values()):
        raise _Deviation
    # Fields some record leaves out: validation leaves them out of its fields set.
    gaps = {
        f: f not in found or any(map(is_, found[f], repeat(_ABSENT))) for f in _FIELDS
    }
    present = _presence(found, gaps, n)
    for field, info in Recipient.model_fields.items():
        if not gaps[field]:
            continue
        if info.is_required():
            raise _Deviation
        default = info.get_default(call_default_factory=True)
        values = found.get(field)
        found[field] = (
            [default] * n
            if values is None
            else [default if v is _ABSENT else v for v in values]
        )
    rules = _CrossField(found, date.today())
    built = _build(found, present, n)
    for index in np.flatnonzero(~rules.passes).tolist():
        built[
            index
        ]._check_alone()  # the model's own rule: raises, or derives as it does
    return tuple(built)


def _presence(
    found: dict[str, list[Any]], gaps: dict[str, bool], n: int
) -> list[frozenset[str]]:
    """Each record's fields set, as validation would record them: those it writes."""
    always = frozenset(f for f in _FIELDS if not gaps[f])
    varying = [f for f in _FIELDS if gaps[f] and f in found]
    if not varying:
        return [always] * n
    mask = np.zeros(n, dtype=np.int64)
    for bit, field in enumerate(varying):
        absent = np.fromiter(map(is_, found[field], repeat(_ABSENT)), bool, count=n)
        mask |= (~absent).astype(np.int64) << bit
    patterns, inverse = np.unique(mask, return_inverse=True)
    sets = [
        always | frozenset(f for bit, f in enumerate(varying) if int(p) >> bit & 1)
        for p in patterns.tolist()
    ]
    return list(map(sets.__getitem__, inverse.tolist()))


_NEW: Final = object.__new__
_SET_DICT: Final = BaseModel.__dict__["__dict__"].__set__
_SET_FIELDS_SET: Final = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_SET_EXTRA: Final = BaseModel.__dict__["__pydantic_extra__"].__set__
_SET_PRIVATE: Final = BaseModel.__dict__["__pydantic_private__"].__set__


def _build(
    found: dict[str, list[Any]], present: list[frozenset[str]], n: int
) -> list[Recipient]:
    """The models from checked values, as pydantic-core builds a validated model (:func:`_model`)."""
    records = list(
        map(
            dict,
            map(zip, repeat(_FIELDS), zip(*(found[f] for f in _FIELDS), strict=True)),
        )
    )
    built: list[Recipient] = list(map(_NEW, repeat(Recipient, n)))
    for setter, values in (
        (_SET_DICT, records),
        (_SET_FIELDS_SET, map(set, present)),
        (_SET_EXTRA, repeat(None, n)),
        (_SET_PRIVATE, repeat(None, n)),
    ):
        for _ in map(setter, built, values):
            pass
    return built


class _CrossField:
    """Which recipients certainly pass :class:`Recipient`'s cross-field rules, and derive.

    As ``check_recipient_columns`` decides it, and further: a record with consents passes
    when the person was 14 or over on the earliest consent's ``valid_from`` and is 14 or
    over on the assessment day (PIPL Art. 31 asks nothing of such a record). Records that
    pass get their broader groups, the birth date and gender from their ID; the others are
    left for the model's own rule.
    """

    def __init__(self, found: dict[str, list[Any]], today: date) -> None:
        n = len(found["recipient_id"])
        rules = _GroupRules()
        numbers = np.fromiter(
            map(rules.__getitem__, found["target_groups"]), np.intp, n
        )
        ids = found["id_number"]
        with_id = [i for i, v in enumerate(ids) if v is not None]
        valid, id_ymd, odd = resident_id_columns(
            [ids[i]._value for i in with_id], today
        )
        given = _ymd_column(found["birth_date"], -1)
        as_of = _ymd_column(found["assessed_on"], _ymd(today))
        born = given.copy()
        born[with_id] = id_ymd
        passes = np.ones(n, dtype=bool)
        passes[with_id] = valid & ((given[with_id] < 0) | (given[with_id] == id_ymd))
        age = (as_of - born) // 10_000
        first_consent = _first_consent(found["consents"])
        fits = (
            (age >= np.array([r.min_age for r in rules.rules], np.int64)[numbers])
            & (age < np.array([r.max_age for r in rules.rules], np.int64)[numbers])
            & (age >= CONSENT_AGE)
            & ((first_consent < 0) | ((first_consent - born) // 10_000 >= CONSENT_AGE))
        )
        passes &= ~np.array([r.clash for r in rules.rules], dtype=bool)[numbers]
        passes &= (born < 0) | fits  # no birth date: no age rule, nothing to check
        self.passes: NDArray[np.bool_] = passes
        expanded = [r.expanded for r in rules.rules]
        found["target_groups"] = [
            expanded[k] if ok else g
            for k, ok, g in zip(
                numbers.tolist(), passes.tolist(), found["target_groups"], strict=True
            )
        ]
        _derive_from_id(found, with_id, id_ymd.tolist(), odd.tolist(), passes.tolist())


def _ymd(day: date) -> int:
    return day.year * 10_000 + day.month * 100 + day.day


class _Ymd(dict[date | None, int]):
    """Dates as integers ``yyyymmdd``, each worked out once; ``None`` as given."""

    def __init__(self, none: int) -> None:
        super().__init__({None: none})

    def __missing__(self, day: Any) -> int:  # a date: None is seeded
        value = self[day] = _ymd(day)
        return value


def _ymd_column(values: Sequence[date | None], none: int) -> NDArray[np.int64]:
    return np.fromiter(map(_Ymd(none).__getitem__, values), np.int64, len(values))


def _first_consent(column: Sequence[tuple[Any, ...]]) -> NDArray[np.int64]:
    """The earliest ``valid_from`` of each record's consents as ``yyyymmdd``; -1 for none."""
    seen: dict[int, int] = {}
    out = []
    for consents in column:
        key = id(consents)
        value = seen.get(key)
        if value is None:
            value = seen[key] = min((_ymd(c.valid_from) for c in consents), default=-1)
        out.append(value)
    return np.array(out, dtype=np.int64)


def _derive_from_id(
    found: dict[str, list[Any]],
    with_id: list[int],
    id_ymd: list[int],
    odd: list[bool],
    passes: list[bool],
) -> None:
    born, gender = found["birth_date"], found["gender"]
    days: dict[int, date] = {}
    for index, ymd, male in zip(with_id, id_ymd, odd, strict=True):
        if passes[index]:
            day = days.get(ymd)
            if day is None:
                day = days[ymd] = date(ymd // 10_000, ymd // 100 % 100, ymd % 100)
            born[index] = day
            if gender[index] is None:
                gender[index] = Gender.MALE if male else Gender.FEMALE


# --- reading: the general path --------------------------------------------------------------


def _problem(file: str, code: str, message: str) -> LoadReport:
    return DocumentProblem(message, code=code).report(file)


def general_report(data: bytes, file: str) -> LoadReport:
    """Check a partition file record by record, as :func:`~wushe.io.load_report` checks a dataset file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"the file is not UTF-8 text (byte {exc.start:,} is invalid)"
        return _problem(file, "not_utf8", msg)
    try:
        document = _document(text)
        check_depth(document)
    except DocumentProblem as problem:
        return problem.report(file)
    except _Malformed as exc:
        return _problem(file, "malformed_partition", str(exc))
    return check_records(document, file=file)


class _Malformed(Exception):
    """A line or column not in the layout; its message names it."""


def partition_document(data: bytes) -> dict[str, Any]:
    """The dataset document a partition file stands for, unchecked (分区文件转数据集文档).

    Raises:
        ValueError: if the file is not UTF-8 JSON Lines in the partition layout.
    """
    try:
        return _document(data.decode("utf-8"))
    except (DocumentProblem, _Malformed) as exc:
        raise ValueError(str(exc)) from None


def _document(text: str) -> dict[str, Any]:
    """The ordinary dataset document the partition file stands for."""
    document: dict[str, Any] = {}
    columns: dict[str, dict[str, Any]] = {"column": {}, "table": {}, "codes": {}}
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            scan_json(line)
        except DocumentProblem as problem:
            msg = f"line {number} of the partition file: {problem.message}"
            raise DocumentProblem(msg, code=problem.code) from None
        value = json.loads(line)
        if not (
            isinstance(value, list) and len(value) == 3 and isinstance(value[1], str)
        ):
            msg = f"line {number} is not [kind, name, body]"
            raise _Malformed(msg)
        kind, name, body = value
        if kind == "header" and number == 1 and isinstance(body, dict):
            document.update(body)
        elif kind == "rows" and name not in document:
            document[name] = body
        elif (
            kind in columns
            and name.startswith(f"{_COLUMNAR}.")
            and name not in columns[kind]
        ):
            columns[kind][name] = body
        else:
            msg = f"line {number}: unexpected {kind!r} line for {name!r}"
            raise _Malformed(msg)
    if any(columns.values()):
        document[_COLUMNAR] = _records_from_columns(columns)
    return document


def _records_from_columns(columns: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    fields: dict[str, list[Any]] = {}
    names = set().union(*columns.values())
    for name in sorted(names):
        field = name.partition(".")[2]
        plain, table, codes = (
            columns[k].get(name) for k in ("column", "table", "codes")
        )
        if (
            plain is not None
            and table is None
            and codes is None
            and isinstance(plain, list)
        ):
            fields[field] = plain
        elif (
            isinstance(table, list) and isinstance(codes, list) and _coded(table, codes)
        ):
            fields[field] = [None if c == -1 else table[c] for c in codes]
        else:
            msg = f"column {name} is neither a list nor a table with its codes"
            raise _Malformed(msg)
    lengths = {len(v) for v in fields.values()}
    if len(lengths) > 1:
        msg = f"the recipients' columns differ in length ({sorted(lengths)})"
        raise _Malformed(msg)
    order = [f for f in _FIELDS if f in fields] + sorted(set(fields) - set(_FIELDS))
    rows = zip(*(fields[f] for f in order), strict=True)
    return [
        {f: v for f, v in zip(order, row, strict=True) if v is not None} for row in rows
    ]


def _coded(table: list[Any], codes: list[Any]) -> bool:
    return all(type(c) is int and -1 <= c < len(table) for c in codes)
