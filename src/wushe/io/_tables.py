"""Spreadsheet ledgers: import and export with Chinese headers (台账表格导入导出).

A *ledger* (台账) is one table of records of one kind: recipients, volunteers, activities,
care visits, or any other dataset collection. A :class:`LedgerSpec` says which collection a
ledger fills, which sheet or file names identify it and how its column headers map to model
fields. Every row becomes a plain dict and goes through :func:`wushe.io.check_records`, so a
row is either imported or listed in the :class:`~wushe.io.LoadReport` with its file, sheet
row, record id, field and reason.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import attrs
from pydantic import BaseModel, Field, field_validator, model_validator

from wushe._types import SortedFrozenSet
from wushe.exceptions import WusheError
from wushe.io._cell_text import (
    CellProblem,
    format_consents,
    format_roles,
    narrow,
    parse_consents,
    parse_roles,
    read_boolean,
    read_date,
    read_datetime,
    read_number,
    trim,
)
from wushe.io._export_purpose import (
    EXPORT_FIELDS,
    LedgerExport,
    allowed_fields,
    check_kinds,
    purpose_of,
    select_for_purpose,
    shared_record,
)
from wushe.io._json import check_records, load_report
from wushe.io._messages import (
    enum_choices,
    fields_named,
    translate,
    translate_note,
    unwrap_annotation,
)
from wushe.io._record_ledgers import RECORD_ALIASES, RECORD_TITLES
from wushe.io._report import LoadIssue, LoadReport, clip
from wushe.io._sheets import (
    CSV_SUFFIXES,
    XLSX_SUFFIXES,
    Cell,
    Row,
    Sheet,
    SheetError,
    column_letter,
    read_sheets,
    write_sheets,
)
from wushe.models import (
    COLLECTIONS,
    Consent,
    Dataset,
    IntegrityCode,
    Need,
    WusheModel,
)
from wushe.privacy import Sensitive, audit_reveal, reveal_context
from wushe.vocab import ConsentPurpose, Lang, in_lang

__all__ = [
    "EXPORT_FIELDS",
    "LedgerExport",
    "LedgerSpec",
    "export_ledgers",
    "ledger_report",
    "ledger_spec",
    "load_ledgers",
]

_MISSING: Any = object()
_HEADER_SCAN_ROWS = 10
_TERM = re.compile(r"\(([^()]*[\u4e00-\u9fff][^()]*)\)\.?\s*$")
_HEADER_NOISE = re.compile(r"[\s*\u200b-\u200d\u2060\ufeff]")
_MAX_MERGED = 10_000  # merged ranges read per sheet; Excel files have a handful
_FLOAT_DIGITS = 1e15  # beyond this Excel's numbers have lost digits
_SCIENTIFIC = re.compile(r"^\d(?:\.\d+)?[eE]\+(?:1\d|[2-9]\d)$")
_UNITS: dict[str, tuple[str, ...]] = {
    "budget": ("元",),
    "amount": ("元",),
    "person_times": ("人次", "人"),
    "sessions": ("次", "场", "节"),
    "hours": ("小时", "学时", "课时", "h"),
    "annual_cap": ("小时", "h"),
    "duration_minutes": ("分钟", "min"),
    "size": ("人", "口"),
    "population": ("人",),
    "capacity": ("人", "名"),
    "caseload": ("人", "名", "个"),
    "registered": ("人", "名"),
    "valid_years": ("年",),
    "min_redeem_age": ("周岁", "岁"),
}
"""Words a clerk may type after a number, per field: ``15人次``, ``2小时``, ``500元``."""
_MONEY = frozenset({"budget", "amount"})
"""Fields in yuan: they also take ``¥``/``￥`` in front and ``万`` (``2万元`` is 20,000)."""
_CODES = frozenset(
    {"id_number", "phone", "division_code", "credit_code", "funder_division_code",
     "service_area"}
)  # fmt: skip
"""Fields holding codes, where full-width digits and letters read as ASCII."""
_DATASET_SUFFIXES = frozenset({".json", ".yaml", ".yml"})
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _normalise(text: str) -> str:
    # Headers arrive with required-field stars, full-width brackets and letters, stray
    # spaces and line breaks (a header wrapped with Alt+Enter).
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _zh_term(description: str | None) -> str:
    """The Chinese term a field or collection docstring ends with, e.g. ``(姓名)``."""
    match = _TERM.search(description or "")
    return match.group(1).strip() if match else ""


class LedgerSpec(WusheModel):
    """How the columns of one kind of ledger map to a dataset collection (台账格式).

    Every field of the collection's model is recognised by its Chinese term (the one its
    documentation ends with, e.g. ``姓名`` for ``name``) and by its English name;
    ``columns`` adds further headers. Headers match ignoring spaces, ``*`` marks, case and
    full- or half-width brackets.

    Examples:
        >>> spec = LedgerSpec(kind="recipients", collection="recipients",
        ...                   columns={"居民姓名": "name"})
        >>> spec.header_map()["居民姓名"]
        'name'
        >>> spec.header_map()["公民身份号码"]
        'id_number'
    """

    kind: Annotated[str, Field(min_length=1, pattern=r"^[a-z_]+$")]
    """Name of this kind of ledger, e.g. ``"recipients"`` or ``"visits"`` (台账类型)."""
    collection: str
    """Dataset collection the rows go into, e.g. ``"activities"`` (数据集合)."""
    titles: tuple[str, ...] = ()
    """Sheet titles or file names that identify the ledger, e.g. ``"服务对象"`` (表名)."""
    columns: dict[str, str] = Field(default_factory=dict)
    """Further headers and the field each fills; dotted paths reach nested fields (列映射)."""
    defaults: dict[str, Any] = Field(default_factory=dict)
    """Values for fields a row leaves empty, e.g. ``{"activity_type": "care_visit"}`` (默认值)."""
    ignore: SortedFrozenSet[str] = frozenset({"序号", "no.", "no", "#"})
    """Headers whose columns are skipped on purpose, such as a running number (忽略列)."""
    remarks: SortedFrozenSet[str] = frozenset(
        {"备注", "备注说明", "附注", "说明", "remark", "remarks", "comment", "comments"}
    )
    """Headers of free-text remark columns, skipped with a note unless they name a field;
    a header starting with a Chinese one (``备注（2023年）``) is one too (备注列)."""
    separators: str = "、,，;；|\n"
    """Characters that separate the items of a multi-valued cell (分隔符)."""
    id_prefix: str = ""
    """When set, a row without an id gets ``id_prefix`` + its row number (编号前缀)."""

    @field_validator("collection")
    @classmethod
    def _known_collection(cls, value: str) -> str:
        if value not in COLLECTIONS:
            msg = f"unknown collection; expected one of {sorted(COLLECTIONS)}"
            raise ValueError(msg)
        return value

    @model_validator(mode="after")
    def _known_fields(self) -> LedgerSpec:
        model = COLLECTIONS[self.collection][0]
        for header, path in {**self.columns, **self.defaults}.items():
            target = path if header in self.columns else header
            if target.split(".", 1)[0] not in model.model_fields:
                msg = f"{header!r} maps to {target!r}, which is not a field of {model.__name__}"
                raise ValueError(msg)
        return self

    @property
    def model(self) -> type[WusheModel]:
        """The model class of the collection (数据模型)."""
        return COLLECTIONS[self.collection][0]

    @property
    def id_field(self) -> str:
        """The id field of the collection, e.g. ``"recipient_id"`` (编号字段)."""
        return COLLECTIONS[self.collection][1]

    def header_map(self) -> dict[str, str]:
        """Every recognised header and the field path it fills (表头映射).

        Keys are the headers as written (Chinese terms, English names, ``columns``).
        """
        mapping: dict[str, str] = {}
        for name in _ledger_fields(self.model):
            mapping[name] = name
            term = _zh_term(self.model.model_fields[name].description)
            if term:
                mapping[term] = name
        mapping.update(self.columns)
        return mapping

    def headers(self, lang: Lang = "zh") -> dict[str, str]:
        """The header each field gets on export: its Chinese term or English name (导出表头)."""
        if lang == "en":
            return {name: name for name in _ledger_fields(self.model)}
        return {
            name: _zh_term(self.model.model_fields[name].description) or name
            for name in _ledger_fields(self.model)
        }


def _ledger_fields(model: type[BaseModel]) -> list[str]:
    # The ``kind`` discriminators are constants: a ledger never needs a column for them.
    return [
        name
        for name, info in model.model_fields.items()
        if get_origin(info.annotation) is not Literal
    ]


def _collection_title(collection: str) -> str:
    return _zh_term(Dataset.model_fields[collection].description) or collection


_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "recipients": {
        "recipient_id": ("对象编号", "编号", "id"),
        "id_number": ("身份证号", "身份证号码", "身份证"),
        "community_id": ("社区", "所属社区"),
        "target_groups": ("人员类别", "类别", "对象类型"),
        "phone": ("电话", "手机号", "手机号码"),
        "address": ("家庭住址", "地址", "居住地址"),
        "disability": ("残疾类别", "残疾等级"),
        "assessed_on": ("认定日期", "认定时间"),
        "consents": ("知情同意", "同意情况"),
    },
    "volunteers": {
        "volunteer_id": ("编号", "id"),
        "phone": ("联系电话", "电话", "手机号"),
        "home_community_id": ("社区", "所属社区"),
        "skills": ("技能", "特长", "服务领域"),
        "vetted": ("是否审查", "背景审查"),
        "insured": ("是否投保", "保险"),
        "registered_on": ("注册时间",),
    },
    "activities": {
        "activity_id": ("活动编号", "编号", "id"),
        "activity_type": ("类型",),
        "held_on": ("活动日期", "时间", "活动时间"),
        "station_id": ("站点", "社工站", "社工室"),
        "project_id": ("项目",),
        "community_id": ("社区", "所在社区"),
        "title": ("活动主题", "主题", "活动内容"),
        "person_times": ("人次", "参与人次"),
        "household_ids": ("户编号", "家庭编号"),
    },
    "visits": {
        "activity_id": ("巡访编号", "探访编号", "编号", "id"),
        "held_on": ("巡访日期", "探访日期", "时间"),
        "station_id": ("站点", "社工站", "社工室"),
        "community_id": ("社区", "所在社区"),
        "recipient_ids": ("巡访对象", "探访对象"),
        "worker_ids": ("巡访社工", "巡访人", "探访人"),
        "volunteer_ids": ("巡访志愿者", "探访志愿者"),
        "title": ("巡访内容", "探访内容", "巡访情况"),
        "person_times": ("人次",),
        "household_ids": ("户编号", "家庭编号", "巡访家庭"),
    },
}

_TITLES: dict[str, tuple[str, ...]] = {
    "recipients": ("服务对象台账", "服务对象名册"),
    "volunteers": ("志愿者台账", "志愿者名册", "志愿者花名册"),
    "workers": ("社工",),
    "activities": ("活动",),
    "visits": ("巡访", "探访", "巡访台账", "探访关爱", "巡访记录"),
    "stations": ("社工站点",),
}


_ALIASES |= RECORD_ALIASES
_TITLES |= RECORD_TITLES


def _builtin_specs() -> dict[str, LedgerSpec]:
    specs: dict[str, LedgerSpec] = {}
    for collection in COLLECTIONS:
        specs[collection] = LedgerSpec(
            kind=collection,
            collection=collection,
            titles=(_collection_title(collection), *_TITLES.get(collection, ())),
            columns={
                alias: field
                for field, aliases in _ALIASES.get(collection, {}).items()
                for alias in aliases
            },
        )
    specs["visits"] = LedgerSpec(
        kind="visits",
        collection="activities",
        titles=("巡访台账", *_TITLES["visits"]),
        columns={
            alias: field
            for field, aliases in _ALIASES["visits"].items()
            for alias in aliases
        },
        defaults={"activity_type": "care_visit"},
    )
    return specs


_BUILTIN = _builtin_specs()


def ledger_spec(kind: str) -> LedgerSpec:
    """Return the built-in spec of a ledger kind (内置台账格式).

    Kinds are the dataset collections (``"recipients"``, ``"volunteers"``,
    ``"activities"``, ``"stations"`` …) plus ``"visits"``: a care-visit ledger (巡访台账)
    whose rows become activities of type :attr:`~wushe.vocab.ActivityType.CARE_VISIT`.
    Use :meth:`pydantic.BaseModel.model_copy` to adapt one.

    Raises:
        KeyError: for an unknown kind, naming the known ones.

    Examples:
        >>> ledger_spec("visits").defaults
        {'activity_type': 'care_visit'}
        >>> ledger_spec("activities").header_map()["服务人次"]
        'person_times'
    """
    try:
        return _BUILTIN[kind]
    except KeyError:
        msg = f"unknown ledger kind {kind!r}; expected one of {sorted(_BUILTIN)}"
        raise KeyError(msg) from None


# --- reading cells ----------------------------------------------------------------------


def _is_model(annotation: Any) -> bool:
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return True
        if issubclass(annotation, Sensitive):
            inner = annotation._inner_type
            return isinstance(inner, type) and issubclass(inner, BaseModel)
    # Discriminated unions of models, e.g. a need's roles.
    args = get_args(annotation)
    return bool(args) and all(_is_model(unwrap_annotation(a)) for a in args)


Converter = Callable[[Cell], Any]


def _text(cell: Cell) -> Any:
    if isinstance(cell, float) and cell.is_integer():
        if abs(cell) >= _FLOAT_DIGITS:
            raise _long_number()
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    if isinstance(cell, str) and _SCIENTIFIC.match(cell.strip()):
        raise _long_number()
    return str(cell)


def _long_number() -> CellProblem:
    message = (
        "Excel stored this as a number and kept only its first 15 digits; format the "
        "column as text and type the value again"
    )
    return CellProblem(message, code="long_number")


def _code(cell: Cell) -> Any:
    """An ID number, phone or division code: full-width digits and letters read as ASCII."""
    text = _text(cell)
    return narrow(text) if isinstance(text, str) else text


def _json_cell(cell: Cell) -> Any:
    if isinstance(cell, str) and cell.strip()[:1] in "[{":
        try:
            return json.loads(cell)
        except (ValueError, RecursionError):
            pass  # left as text: pydantic names the field and says what it expected
    return cell


def _scalar_converter(annotation: Any, field: str) -> Converter:
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return read_boolean
        if issubclass(annotation, datetime):
            return read_datetime
        if issubclass(annotation, date):
            return read_date
        if issubclass(annotation, int | Decimal | float) and not issubclass(
            annotation, Enum
        ):
            units, money = _UNITS.get(field, ()), field in _MONEY
            return lambda cell: read_number(cell, units, money=money)
    return _code if field in _CODES else _text


def _written(parse: Callable[[str], list[dict[str, Any]]], *, one: bool) -> Converter:
    """Read a cell in a plain-text grammar (see ``_cell_text``), or JSON."""

    def convert(cell: Cell) -> Any:
        if isinstance(cell, str) and cell.strip()[:1] in "[{":
            return _json_cell(cell)
        items = parse(_text(cell))
        if one and len(items) == 1:
            return items[0]
        return items  # a list where one record is expected: the model says so

    return convert


def _converter(model: type[BaseModel], path: str, separators: str) -> Converter:
    name, _, rest = path.partition(".")
    annotation = unwrap_annotation(model.model_fields[name].annotation)
    if model is Need and path == "roles":
        return _written(parse_roles, one=False)
    if annotation is Consent or (
        get_origin(annotation) is tuple
        and unwrap_annotation(get_args(annotation)[0]) is Consent
    ):
        return _written(parse_consents, one=annotation is Consent)
    if rest and isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _converter(annotation, rest, separators)
    if _is_model(annotation):
        return _json_cell
    if get_origin(annotation) in (tuple, frozenset, set, list):
        item = unwrap_annotation(get_args(annotation)[0])
        if _is_model(item):
            return _json_cell
        convert = _scalar_converter(item, name)
        splitter = re.compile("[" + re.escape(separators) + "]")

        def items(cell: Cell) -> Any:
            if isinstance(cell, str) and cell.strip().startswith("["):
                return _json_cell(cell)
            if not isinstance(cell, str):
                return [convert(cell)]
            return [convert(p.strip()) for p in splitter.split(cell) if p.strip()]

        return items
    return _scalar_converter(annotation, name)


def _is_blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not trim(cell))


def _is_filled(sheet: Sheet) -> bool:
    return any(not _is_blank(c) for _, cells in sheet.rows for _, c in cells)


# --- matching sheets to ledger kinds ----------------------------------------------------


def _kind_of(names: Sequence[str], specs: Mapping[str, LedgerSpec]) -> list[str]:
    """The kinds whose longest title occurs in the first name that matches any."""
    for name in names:
        key = _normalise(name)
        best = 0
        found: list[str] = []
        for kind, spec in specs.items():
            lengths = [
                len(_normalise(t))
                for t in (spec.kind, *spec.titles)
                if _normalise(t) and _normalise(t) in key
            ]
            if not lengths:
                continue
            if max(lengths) > best:
                best, found = max(lengths), [kind]
            elif max(lengths) == best:
                found.append(kind)
        if found:
            return found
    return []


@attrs.frozen(kw_only=True)
class _Origin:
    file: str
    row: int | None
    columns: Mapping[str, str]  # field → header, to name the column in messages
    problems: dict[str, tuple[str, str]] = attrs.field(
        factory=dict
    )  # field → (code, why)
    digits: dict[str, str] = attrs.field(factory=dict)  # field → ID digits column


@attrs.define
class _Assembly:
    document: dict[str, Any]
    origins: dict[str, list[_Origin]]
    issues: list[LoadIssue] = attrs.Factory(list)
    notes: list[str] = attrs.Factory(list)


def _issue(
    file: str, code: str, message: str, *, collection: str = "", row: int | None = None
) -> LoadIssue:
    return LoadIssue(
        file=file,
        collection=collection,
        row=row,
        record_id="",
        field="",
        code=code,
        message=message,
    )


def _header_hits(cells: Sequence[tuple[int, Cell]], known: set[str]) -> int:
    """How many filled cells of a row are headers: 0 unless at least half of them are."""
    filled = [str(c) for _, c in cells if not _is_blank(c)]
    hits = sum(_normalise(c) in known for c in filled)
    return hits if hits and hits * 2 >= len(filled) else 0


def _find_header(
    sheet: Sheet, spec: LedgerSpec, into: _Assembly
) -> tuple[int, tuple[tuple[int, Cell], ...]] | None:
    """The last header row and the header of every column (see :func:`_two_rows`)."""
    known = {_normalise(h) for h in (*spec.header_map(), *spec.ignore, *spec.remarks)}
    scanned = sheet.rows[:_HEADER_SCAN_ROWS]
    for at, (number, cells) in enumerate(scanned):
        if not _header_hits(cells, known):
            continue
        above = scanned[at - 1] if at else None
        below = scanned[at + 1] if at + 1 < len(scanned) else None
        first, last, headers = _two_rows(above, (number, cells), below, known)
        if last > first:
            into.notes.append(
                f"{sheet.label}: two-row header on rows {first}–{last}; "
                "group labels over it were not read as columns"
            )
        if first > 1:
            into.notes.append(
                f"{sheet.label}: header on row {first}; rows above it skipped as titles"
            )
        return last, headers
    into.issues.append(
        _issue(
            sheet.label,
            "no_header",
            f"no header row found in the first {_HEADER_SCAN_ROWS} filled rows; "
            f"expected headers such as {sorted(spec.headers())[:4]}",
            collection=spec.collection,
        )
    )
    return None


def _two_rows(
    above: Row | None, row: Row, below: Row | None, known: set[str]
) -> tuple[int, int, tuple[tuple[int, Cell], ...]]:
    """First and last header row and each column's header, for a header of one or two rows.

    A clerk's ledger often groups its columns under a label: ``基本信息`` merged over
    ``编号 | 姓名 | 身份证号``, with ``序号`` or ``备注`` merged down both rows. An XLSX
    file keeps a merged cell's text in its top-left cell only, so a workbook and its CSV
    save look alike: an upper row of group labels and blanks over a lower row of headers.
    The header is read from two rows when

    * the row directly below the first header-like row is header-like too (at least half
      of its filled cells are known headers), or
    * the row directly above it holds a known header over a blank cell of the header row
      (a header merged down both rows, above a row of sub-headers).

    Each column's header is then the lower cell, or the upper cell where the lower one is
    blank; a group label over filled lower cells names no column.
    """
    number, cells = row
    if below is not None and below[0] == number + 1 and _header_hits(below[1], known):
        return number, below[0], _overlay(cells, below[1])
    if above is not None and above[0] == number - 1:
        lower = {i for i, c in cells if not _is_blank(c)}
        if any(
            i not in lower and _normalise(str(c)) in known
            for i, c in above[1]
            if not _is_blank(c)
        ):
            return above[0], number, _overlay(above[1], cells)
    return number, number, cells


def _overlay(
    upper: Sequence[tuple[int, Cell]], lower: Sequence[tuple[int, Cell]]
) -> tuple[tuple[int, Cell], ...]:
    merged = {i: c for i, c in upper if not _is_blank(c)}
    merged.update({i: c for i, c in lower if not _is_blank(c)})
    return tuple(sorted(merged.items()))


def _map_columns(
    headers: Sequence[tuple[int, Cell]],
    spec: LedgerSpec,
    at: tuple[str, int],
    into: _Assembly,
) -> tuple[list[tuple[int, str, Converter]], dict[str, str], set[int]]:
    """The mapped columns, field → header, and the columns not read (with a word why).

    A header that maps to no field, or to a field another column already fills, is
    reported once; its column is not read and the rows are still checked.
    """
    known = {_normalise(h): path for h, path in spec.header_map().items()}
    ignored = {_normalise(h) for h in spec.ignore}
    remarks = {_normalise(h) for h in spec.remarks}
    columns: list[tuple[int, str, Converter]] = []
    by_field: dict[str, str] = {}
    skipped: set[int] = set()
    for index, cell in headers:
        if _is_blank(cell):
            continue
        header = str(cell).strip()
        key = _normalise(header)
        path = known.get(key)
        if key in ignored or (path is None and _is_remark(key, remarks)):
            skipped.add(index)
            if key not in ignored:
                into.notes.append(
                    f"{at[0]}: column {clip(header)!r} holds remarks; not imported"
                )
            continue
        if path is None and key in _DIGITS_HEADERS and _DIGITS not in by_field:
            by_field[_DIGITS] = header
            columns.append((index, _DIGITS, _digits_cell))
            continue
        if path is None or path in by_field:
            skipped.add(index)
            message = (
                f"column {clip(header)!r} does not map to any field of "
                f"{spec.model.__name__}; add it to LedgerSpec.columns or ignore"
                if path is None
                else f"columns {clip(by_field[path])!r} and {clip(header)!r} both fill "
                f"{path!r}"
            )
            code = "unknown_column" if path is None else "duplicate_column"
            into.issues.append(
                _issue(at[0], code, message, collection=spec.collection, row=at[1])
            )
            continue
        by_field[path] = header
        columns.append((index, path, _converter(spec.model, path, spec.separators)))
    return columns, by_field, skipped


def _is_remark(key: str, remarks: set[str]) -> bool:
    """A remarks header, or one that starts with a Chinese one: ``备注（2023年）``, ``备注1``."""
    return key in remarks or any(key.startswith(r) for r in remarks if not r.isascii())


_DIGITS = "@id_digits"
_DIGITS_HEADERS = frozenset(
    _normalise(h)
    for h in ("身份证后四位", "身份证号后四位", "身份证后4位", "身份证号后4位",
              "证件号码后四位", "证件号后四位", "身份证尾号", "id last digits", "id_last_digits")
)  # fmt: skip
"""Headers of a column holding the last digits of a person's ID, beside a name column."""


def _digits_cell(cell: Cell) -> str:
    return str(cell).strip().upper()


def _digits_target(
    spec: LedgerSpec, by_field: Mapping[str, str], at: tuple[str, int], into: _Assembly
) -> str | None:
    """The one person-reference column an ID-digits column completes, else an issue.

    ``姓名`` in one column and ``身份证后四位`` in the next stand for ``姓名/1234`` in one
    cell. With no column that refers to a person, or several, the digits column is not
    read and one issue says why.
    """
    if _DIGITS not in by_field:
        return None
    people = [
        f
        for f in by_field
        if f != _DIGITS
        and "." not in f
        and (target := _target(spec.collection, f)) is not None
        and "id_number" in COLLECTIONS[target][0].model_fields
    ]
    if len(people) == 1:
        return people[0]
    header = clip(by_field[_DIGITS])
    message = (
        f"column {header!r} holds ID digits, but no column of this ledger refers to a "
        "person by name"
        if not people
        else f"column {header!r} holds ID digits, but {len(people)} columns refer to "
        "people; write 姓名/1234 in each of them instead"
    )
    code = "id_digits_without_name" if not people else "ambiguous_id_digits"
    into.issues.append(
        _issue(at[0], code, message, collection=spec.collection, row=at[1])
    )
    return None


def _digits_alone(
    record: Mapping[str, Any],
    spec: LedgerSpec,
    by_field: Mapping[str, str],
    origin: _Origin,
    person: str,
) -> LoadIssue:
    """ID digits in a row whose name cell is empty: the person they stand for is unknown.

    The digits are never echoed; the issue names both columns.
    """
    record_id = record.get(spec.id_field)
    return LoadIssue(
        file=origin.file,
        collection=spec.collection,
        row=origin.row,
        record_id=clip(record_id) if isinstance(record_id, str) else "",
        field=person,
        code="id_digits_without_name_cell",
        message=f"column {clip(by_field[_DIGITS])!r} holds ID digits, but the name "
        f"column {clip(by_field[person])!r} is empty in this row; type the name, or "
        "delete the digits",
        column=by_field[_DIGITS],
    )


@attrs.frozen(kw_only=True)
class _Layout:
    """Where a sheet's header is and how its columns are read."""

    label: str
    spec: LedgerSpec
    header_row: int
    headers: tuple[tuple[int, Cell], ...]
    columns: list[tuple[int, str, Converter]]
    by_field: dict[str, str]
    person: str | None
    labelled: frozenset[int]


def _read_sheet(sheet: Sheet, spec: LedgerSpec, into: _Assembly) -> None:
    label = sheet.label
    found = _find_header(sheet, spec, into)
    if found is None:
        return
    header_row, headers = found
    columns, by_field, skipped = _map_columns(headers, spec, (label, header_row), into)
    person = _digits_target(spec, by_field, (label, header_row), into)
    if person is None and _DIGITS in by_field:
        columns = [c for c in columns if c[1] != _DIGITS]
        header = by_field.pop(_DIGITS)
        skipped |= {i for i, c in headers if str(c).strip() == header}
    _hint_row_numbers(headers, spec, by_field, (label, header_row), into)
    layout = _Layout(
        label=label,
        spec=spec,
        header_row=header_row,
        headers=tuple(headers),
        columns=columns,
        by_field=by_field,
        person=person,
        labelled=frozenset({index for index, _, _ in columns} | skipped),
    )
    _read_rows(sheet, layout, into)


def _read_rows(sheet: Sheet, layout: _Layout, into: _Assembly) -> None:
    """Every row below the header: a record, or a blank, total or unlabelled note."""
    spec, label = layout.spec, layout.label
    stray: dict[int, list[int]] = {}
    blank: list[int] = []
    totals: list[int] = []
    repeated: list[int] = []
    last = layout.header_row
    records = into.document.setdefault(spec.collection, [])
    origins = into.origins.setdefault(spec.collection, [])
    for number, values in _data_rows(sheet, layout, into):
        blank += range(last + 1, number)
        last = number
        if not values or _is_total(values):
            (totals if values else blank).append(number)
            continue
        if _is_header_again(values, layout):
            repeated.append(number)
            continue
        for index in values.keys() - layout.labelled:
            stray.setdefault(index, []).append(number)
        origin = _Origin(file=label, row=number, columns=layout.by_field)
        record = _record(values, layout.columns, spec, number, origin.problems)
        _place_digits(record, layout, origin, into)
        records.append(record)
        origins.append(origin)
    blank += range(last + 1, sheet.last_row + 1)
    _report_stray(stray, layout.headers, spec, label, into)
    for rows, what in ((totals, "total"), (repeated, "repeated header")):
        if rows:
            into.notes.append(
                f"{label}: skipped {len(rows)} {what} row(s): {_ranges(rows)}"
            )
    if blank:
        into.notes.append(
            f"{label}: skipped {len(blank)} blank row(s): {_ranges(blank)}"
        )


def _place_digits(
    record: dict[str, Any], layout: _Layout, origin: _Origin, into: _Assembly
) -> None:
    """Keep a row's ID digits for its person column, or report them with no name."""
    digits = record.pop(_DIGITS, None)
    person = layout.person
    if person is None or digits is None:
        return
    if record.get(person) is None:
        into.issues.append(
            _digits_alone(record, layout.spec, layout.by_field, origin, person)
        )
    else:
        origin.digits[person] = digits


_TOTALS = ("合计", "总计", "小计", "共计", "total", "subtotal", "grandtotal", "sum")


def _is_total(values: Mapping[int, Cell]) -> bool:
    """A 合计 row: its first filled cell starts with 合计, 总计, 小计, 共计 or Total."""
    first = values[min(values)]
    return isinstance(first, str) and _normalise(first).startswith(_TOTALS)


def _is_header_again(values: Mapping[int, Cell], layout: _Layout) -> bool:
    """A row repeating the header, as where two months' ledgers were pasted together."""
    headers = {i: _normalise(str(c)) for i, c in layout.headers if not _is_blank(c)}
    same = [
        isinstance(c, str) and headers.get(i) == _normalise(c)
        for i, c in values.items()
    ]
    return len(same) > 1 and all(same)


def _data_rows(
    sheet: Sheet, layout: _Layout, into: _Assembly
) -> Iterator[tuple[int, dict[int, Cell]]]:
    """The filled cells of each row below the header, merged cells spread down.

    A workbook keeps a merged cell's value in its top-left cell only. A range merged
    down one read column (``社区`` merged over the rows of that community) gives its
    value to every filled row it covers; a range across two or more read columns is
    ambiguous and reported as ``merged_cells``.
    """
    rows = {
        number: {i: c for i, c in cells if not _is_blank(c)}
        for number, cells in sheet.rows
        if number > layout.header_row
    }
    read = {index for index, _, _ in layout.columns}
    numbers = list(rows)
    for top, left, bottom, right in sheet.merged[:_MAX_MERGED]:
        first = rows.get(top, {})
        if top <= layout.header_row or not first or _is_total(first):
            continue
        inside = sorted(read.intersection(range(left, right + 1)))
        if len(inside) > 1:
            into.issues.append(
                _merged_across(layout, (top, left, bottom, right), inside)
            )
        elif inside == [left] and left in first:
            below = numbers[bisect_right(numbers, top) : bisect_right(numbers, bottom)]
            for number in below:
                if rows[number] and not _is_total(rows[number]):
                    rows[number].setdefault(left, first[left])
    yield from rows.items()


def _merged_across(
    layout: _Layout, span: tuple[int, int, int, int], inside: list[int]
) -> LoadIssue:
    top, left, bottom, right = span
    cells = f"{column_letter(left)}{top}:{column_letter(right)}{bottom}"
    names = dict(layout.headers)
    columns = " and ".join(repr(clip(str(names[i]).strip())) for i in inside[:2])
    return _issue(
        layout.label,
        "merged_cells",
        f"cells {cells} are merged across the columns {columns}; unmerge them and "
        "type each value in its own cell",
        collection=layout.spec.collection,
        row=top,
    )


def _hint_row_numbers(
    headers: Sequence[tuple[int, Cell]],
    spec: LedgerSpec,
    by_field: Mapping[str, str],
    at: tuple[str, int],
    into: _Assembly,
) -> None:
    """A ``序号`` column and no id column: the clerk numbered rows, not records."""
    if spec.id_field in by_field or spec.id_prefix or spec.id_field in spec.defaults:
        return
    for _, cell in headers:
        if not _is_blank(cell) and _normalise(str(cell)) in {"序号", "no.", "no", "#"}:
            header = clip(str(cell).strip())
            into.issues.append(
                _issue(
                    at[0],
                    "row_number_only",
                    f"{header!r} is a row number; the ledger needs 编号, an id such as "
                    f"p01 for each record: rename {header!r} to 编号 and give each row "
                    "its id (or set LedgerSpec.id_prefix)",
                    collection=spec.collection,
                    row=at[1],
                )
            )
            return


def _record(
    values: Mapping[int, Cell],
    columns: Sequence[tuple[int, str, Converter]],
    spec: LedgerSpec,
    number: int,
    problems: dict[str, tuple[str, str]],
) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for index, path, convert in columns:
        cell = values.get(index)
        if cell is None:
            continue
        target = record
        *parents, leaf = path.split(".")
        for part in parents:
            target = target.setdefault(part, {})
        cell = trim(cell) if isinstance(cell, str) else cell
        try:
            target[leaf] = convert(cell)
        except CellProblem as problem:
            # The text stays, so the row fails; the issue says why in the clerk's terms.
            target[leaf] = "" if isinstance(cell, str) else str(cell)
            problems[path.split(".", 1)[0]] = (problem.code, problem.message)
    for field, value in spec.defaults.items():
        record.setdefault(field, value)
    if spec.id_prefix and spec.id_field not in record:
        record[spec.id_field] = f"{spec.id_prefix}{number}"
    return record


def _report_stray(
    stray: Mapping[int, list[int]],
    headers: Sequence[tuple[int, Cell]],
    spec: LedgerSpec,
    label: str,
    into: _Assembly,
) -> None:
    """Report filled cells under no header, one issue per column, never the values."""
    last_header = max((i for i, c in headers if not _is_blank(c)), default=-1)
    for index, rows in sorted(stray.items()):
        where = (
            "right of the last header"
            if index > last_header
            else "under a blank header"
        )
        into.issues.append(
            _issue(
                label,
                "unlabelled_cells",
                f"column {column_letter(index)} ({where}) holds values in "
                f"{len(rows)} row(s): {_ranges(rows)}; they were not read. Give the "
                "column a header, or delete the values",
                collection=spec.collection,
                row=rows[0],
            )
        )


def _ranges(numbers: list[int], shown: int = 10) -> str:
    spans: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        spans.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    more = f", … ({len(spans) - shown} more)" if len(spans) > shown else ""
    return ", ".join(spans[:shown]) + more


# --- assembling a dataset ---------------------------------------------------------------

Source = str | Path
Base = Dataset | str | Path | Mapping[str, Any] | None


def _expand(
    sources: Source | Iterable[Source], base: Base, into: _Assembly
) -> tuple[list[Path], Base]:
    items = [sources] if isinstance(sources, str | Path) else list(sources)
    files: list[Path] = []
    for item in items:
        path = Path(item)
        if not path.is_dir():
            files.append(path)
            continue
        found = sorted(p for p in path.iterdir() if p.is_file())
        datasets = [p for p in found if p.suffix.lower() in _DATASET_SUFFIXES]
        if base is None and len(datasets) == 1:
            base = datasets[0]
            into.notes.append(f"{path}: using {datasets[0].name} as the base dataset")
        elif datasets:
            into.issues.append(
                _issue(
                    str(path),
                    "ambiguous_base",
                    f"the folder holds {len(datasets)} dataset files; pass base= to choose"
                    if base is None
                    else "the folder holds dataset files but base= was given; "
                    "they were not read",
                )
            )
        tables = [p for p in found if p.suffix.lower() in CSV_SUFFIXES | XLSX_SUFFIXES]
        if not tables:
            message = "the folder holds no CSV or XLSX ledgers"
            into.issues.append(_issue(str(path), "empty", message))
        files += tables
    return files, base


# Merging reads the base in clear to validate it again with the ledger rows: a reveal in
# memory, recorded with its purpose like any other.
_MERGE = reveal_context("merge ledger rows into the base dataset")


def _start(base: Base, into: _Assembly) -> None:
    label = "<base>"
    if isinstance(base, Dataset):
        raw: Mapping[str, Any] = base.model_dump(
            mode="json", context=_MERGE, exclude_none=True
        )
    elif isinstance(base, str | Path):
        label = str(base)
        report = load_report(base)
        if report.dataset is None:
            into.issues.extend(report.issues)
            return
        raw = report.dataset.model_dump(mode="json", context=_MERGE, exclude_none=True)
    elif base is None:
        return
    else:
        raw = base
    for key, value in raw.items():
        if key in COLLECTIONS and isinstance(value, list):
            into.document[key] = list(value)
            into.origins[key] = [
                _Origin(file=label, row=i, columns={}) for i in range(1, len(value) + 1)
            ]
        else:
            into.document[key] = value


def _merge(into: _Assembly, ledgers: _Assembly, *, replace: bool) -> None:
    for collection, records in ledgers.document.items():
        target = into.document.setdefault(collection, [])
        origins = into.origins.setdefault(collection, [])
        id_field = COLLECTIONS[collection][1]
        position = {
            r.get(id_field): i for i, r in enumerate(target) if isinstance(r, dict)
        }
        for record, origin in zip(records, ledgers.origins[collection], strict=True):
            at = position.get(record.get(id_field)) if replace else None
            if at is not None and into.origins[collection][at].columns == {}:
                target[at] = record
                origins[at] = origin
            else:
                position.setdefault(record.get(id_field), len(target))
                target.append(record)
                origins.append(origin)
    into.issues += ledgers.issues
    into.notes += ledgers.notes


_ID_FIELDS = {id_field: collection for collection, (_, id_field) in COLLECTIONS.items()}
_NAME_DIGITS = re.compile(
    r"^(?P<name>[^/\uff0f]+?)\s*[/\uff0f]\s*(?P<digits>[0-9Xx]{1,18})$"
)
_UNRESOLVED = "?"


def _target(collection: str, field: str) -> str | None:
    """The collection a reference field points into: ``home_community_id`` → communities."""
    key = field[:-1] if field.endswith("_ids") else field
    if key == COLLECTIONS[collection][1]:
        return None
    for id_field, target in _ID_FIELDS.items():
        if key == id_field or key.endswith("_" + id_field):
            return target
    return None


def _name_key(name: str) -> str:
    """A name as looked up: without spaces, so ``张　三`` (padded to line up) is ``张三``."""
    return _HEADER_NOISE.sub("", narrow(name))


def _resolve_names(into: _Assembly) -> None:
    """Replace names typed into reference columns by the ids they stand for.

    A value that is an id of the target collection stays. Otherwise ``名称`` or, for
    people, ``姓名/1234`` (the last digits of the ID number) is looked up by name; one
    match gives its id, several an ``ambiguous_name`` issue, none an ``unknown_name``
    issue when the value is not plain ASCII (a plain value is taken for an id and checked
    as one). The typed name never enters a message.
    """
    index: dict[str, tuple[set[str], dict[str, list[tuple[str, str]]]]] = {}

    def lookup(target: str) -> tuple[set[str], dict[str, list[tuple[str, str]]]]:
        if target not in index:
            id_field = COLLECTIONS[target][1]
            ids: set[str] = set()
            names: dict[str, list[tuple[str, str]]] = {}
            for record in into.document.get(target, []):
                if isinstance(record, dict) and isinstance(record.get(id_field), str):
                    ids.add(record[id_field])
                    name = record.get("name")
                    if isinstance(name, str):
                        entry = (record[id_field], str(record.get("id_number") or ""))
                        names.setdefault(_name_key(name), []).append(entry)
            index[target] = (ids, names)
        return index[target]

    for collection, records in into.document.items():
        if collection not in COLLECTIONS or not isinstance(records, list):
            continue
        for record, origin in zip(
            records, into.origins.get(collection, []), strict=False
        ):
            if not origin.columns or not isinstance(record, dict):
                continue
            for field in origin.columns:
                target = _target(collection, field) if "." not in field else None
                value = record.get(field)
                if target is None or value is None:
                    continue
                if _many_for_digits(value, field, origin):
                    record[field] = [_UNRESOLVED]
                    continue
                resolve = _resolver(target, lookup(target), origin, field)
                record[field] = (
                    [resolve(v) for v in value]
                    if isinstance(value, list)
                    else resolve(value)
                )


def _many_for_digits(value: Any, field: str, origin: _Origin) -> bool:
    """Whether one ID-digits column is given for a cell naming several people."""
    if not (isinstance(value, list) and len(value) > 1 and field in origin.digits):
        return False
    origin.problems[field] = (
        "id_digits_for_many",
        (
            "the ID digits column completes one name, but this cell names "
            f"{len(value)}; write 姓名/1234 for each of them"
        ),
    )
    return True


def _resolver(
    target: str,
    known: tuple[set[str], dict[str, list[tuple[str, str]]]],
    origin: _Origin,
    field: str,
) -> Callable[[Any], Any]:
    ids, names = known
    column = origin.digits.get(field)

    def resolve(value: Any) -> Any:
        if not isinstance(value, str) or value in ids:
            return value
        typed = _NAME_DIGITS.match(value)
        if typed is None and column is not None:
            typed = _NAME_DIGITS.match(f"{value}/{column}")
            if typed is None:
                origin.problems[field] = (
                    "bad_id_digits",
                    "the ID digits column should hold 1 to 18 digits (the last may be X)",
                )
                return _UNRESOLVED
        name, digits = (
            (typed["name"], typed["digits"].upper()) if typed else (value, "")
        )
        found = [
            i
            for i, number in names.get(_name_key(name), [])
            if number.upper().endswith(digits)
        ]
        if len(found) == 1:
            return found[0]
        if found:
            origin.problems[field] = (
                "ambiguous_name",
                (
                    f"{len(found)} {target} match the name typed in this column; add "
                    "the last digits of the ID number (张三/1234) or type the id"
                ),
            )
        elif typed or not value.isascii():
            origin.problems[field] = (
                "unknown_name",
                (
                    f"no {target} has the name{' and ID digits' if digits else ''} "
                    "typed in this column; check it, or type the id"
                ),
            )
        else:
            return value
        return _UNRESOLVED

    return resolve


def _place(issue: LoadIssue, origins: dict[str, list[_Origin]]) -> LoadIssue:
    """Point an issue of the checked document at its ledger file, row and column."""
    rows = origins.get(issue.collection, [])
    if issue.row is None or not 1 <= issue.row <= len(rows):
        return issue
    origin = rows[issue.row - 1]
    top = issue.field.split(".", 1)[0]
    code, message = origin.problems.get(top, (issue.code, issue.message))
    if issue.field:
        column = origin.columns.get(top) or origin.columns.get(issue.field, "")
    else:  # a record-level rule: the columns of the fields its message names
        named = fields_named(issue.message, list(origin.columns))
        column = "、".join(origin.columns[f] for f in named)
    return attrs.evolve(
        issue,
        file=origin.file,
        row=origin.row,
        code=code,
        message=message,
        column=column,
    )


_REFERENCE = re.compile(r"refers to (\w+) id '(.*)', which is not in the dataset")


def _point_at_rejected(issues: list[LoadIssue]) -> list[LoadIssue]:
    """Say "which was rejected at file row n" for a reference to a rejected row."""
    integrity = {
        v for k, v in vars(IntegrityCode).items() if k.isupper() and isinstance(v, str)
    }
    rejected: dict[tuple[str, str], LoadIssue] = {}
    for issue in issues:
        if issue.code not in integrity and issue.record_id and issue.row is not None:
            rejected.setdefault((issue.collection, issue.record_id), issue)
    out: list[LoadIssue] = []
    for issue in issues:
        found = _REFERENCE.search(issue.message)
        where = rejected.get((found.group(1), found.group(2))) if found else None
        if found and where is not None:
            out.append(
                attrs.evolve(
                    issue,
                    code="rejected_reference",
                    message=f"refers to {found.group(1)} {found.group(2)!r}, which was "
                    f"rejected at {Path(where.file).name} row {where.row}",
                )
            )
        else:
            out.append(issue)
    return out


def _localise(
    issues: Sequence[LoadIssue], lang: Lang, sheets: frozenset[str] = frozenset()
) -> list[LoadIssue]:
    """Each issue once, its message in ``lang``, ending with the column it is about.

    A required field missing from a row of one of ``sheets`` (the ledgers, not the base)
    is named, since no column holds it.
    """
    out: list[LoadIssue] = []
    seen: set[tuple[object, ...]] = set()
    for issue in issues:
        message = translate(
            issue.code, issue.message, lang, choices=enum_choices(issue, lang)
        )
        if issue.column:
            message += in_lang(
                lang, f"（列“{issue.column}”）", f" (column {issue.column!r})"
            )
        elif issue.code == "missing" and issue.file in sheets:
            term = _field_term(issue.collection, issue.field)
            message += in_lang(
                lang,
                f"（“{term}”，表中没有这一列）",
                f" ({issue.field!r}; the sheet has no column for it)",
            )
        key = (issue.file, issue.row, issue.field.split(".")[0], issue.code, message)
        if key in seen:
            continue
        seen.add(key)
        out.append(attrs.evolve(issue, message=message))
    return out


def _field_term(collection: str, field: str) -> str:
    """The Chinese term of a top-level field, e.g. ``服务对象编号``; else its name."""
    fields = (
        COLLECTIONS[collection][0].model_fields if collection in COLLECTIONS else {}
    )
    top = field.split(".", 1)[0]
    return _zh_term(fields[top].description) or top if top in fields else field


def ledger_report(
    sources: Source | Iterable[Source],
    *,
    base: Base = None,
    specs: Iterable[LedgerSpec] = (),
    replace: bool = True,
    lang: Lang = "en",
) -> LoadReport:
    """Read ledgers into a dataset and report every row that was not imported (台账导入报告).

    Each source is a CSV file, an XLSX workbook (every worksheet is read) or a folder of
    them. Each sheet is matched to a ledger kind by its title (or, for CSV and one-sheet
    workbooks, by the file name): ``服务对象``, ``志愿者台账``, ``活动台账``, ``巡访台账``,
    ``recipients.csv`` … (see :func:`ledger_spec`). Rows above the header row (a title
    line), blank rows, total rows (``合计`` …) and hidden sheets that are no ledger are
    skipped and the report's ``notes`` say which; a cell merged down one column fills every
    row it covers. Cells are converted for the field they fill: ``、``/``,``/``；``
    separated lists, Chinese enum labels, ``是``/``否``/``√``/``✗``, dates as
    ``2023-03-17``, ``2023/3/17``, ``2023年3月17日``, ``20230317``, Excel date cells or
    serials, numbers with grouped thousands and their unit (``1,234人次``, ``2万元``),
    full-width digits, and JSON for nested fields. A value that could be read two ways is
    an issue, never a guess.

    The rows are merged into ``base`` — a :class:`~wushe.models.Dataset`, a dataset file,
    or a mapping with at least ``name`` and ``division_code`` — so communities and
    stations can come from JSON and recipients and activities from Excel. A folder holding
    exactly one JSON or YAML file uses it as the base when ``base`` is not given. With
    ``replace`` (the default) a ledger row whose id is already in the base replaces that
    record: re-importing an updated ledger updates the dataset. Then every record is
    validated with :func:`wushe.io.check_records`.

    Args:
        sources: Files or folders to read.
        base: The dataset the ledger rows are merged into.
        specs: Extra or replacement :class:`LedgerSpec` objects, matched by ``kind``.
        replace: Whether ledger rows replace base records with the same id.
        lang: Language of the issue messages: ``"zh"`` or ``"en"``.

    Returns:
        A :class:`~wushe.io.LoadReport` whose issues name the file (``book.xlsx[sheet]``
        for a worksheet), the collection, the spreadsheet row (the header is row 1 unless
        title rows precede it), the record id, the field (with its column) and the reason.
        Sensitive values never appear in it. ``dataset`` is set when nothing was rejected.

    Raises:
        MissingDependencyError: for an ``.xlsx`` source without the ``xlsx`` extra.
    """
    known = {**_BUILTIN, **{spec.kind: spec for spec in specs}}
    assembly = _Assembly(document={}, origins={})
    files, base = _expand(sources, base, assembly)
    _start(base, assembly)
    ledgers = _Assembly(document={}, origins={})
    for path in files:
        _read_file(path, known, ledgers)
    _merge(assembly, ledgers, replace=replace)
    _resolve_names(assembly)
    label = (
        str(sources)
        if isinstance(sources, str | Path)
        else ", ".join(str(p) for p in files) or "<ledgers>"
    )
    if assembly.issues and not assembly.document:
        return LoadReport(
            file=label,
            issues=tuple(_localise(assembly.issues, lang)),
            notes=tuple(translate_note(n, lang) for n in assembly.notes),
        )
    checked = check_records(assembly.document, file=label)
    placed = _point_at_rejected([_place(i, assembly.origins) for i in checked.issues])
    ledger_files = frozenset(
        o.file for rows in assembly.origins.values() for o in rows if o.columns
    )
    issues = _localise([*assembly.issues, *placed], lang, ledger_files)
    return LoadReport(
        file=label,
        loaded=checked.loaded,
        issues=tuple(issues),
        dataset=checked.dataset if not issues else None,
        notes=tuple(translate_note(n, lang) for n in assembly.notes),
    )


def _read_file(path: Path, known: dict[str, LedgerSpec], ledgers: _Assembly) -> None:
    """Read every sheet of one ledger file into ``ledgers``, noting what was skipped."""
    try:
        sheets = read_sheets(path)
    except SheetError as exc:
        ledgers.issues.append(_issue(str(path), exc.code, exc.message))
        return
    if not any(_is_filled(sheet) for sheet in sheets):
        ledgers.issues.append(_issue(str(path), "empty", "the file is empty"))
        return
    for sheet in sheets:
        ledgers.issues += [
            _issue(sheet.label, p.code, p.message, row=p.row) for p in sheet.problems
        ]
        if not _is_filled(sheet):
            ledgers.notes.append(f"{sheet.label}: empty sheet skipped")
            continue
        names = [sheet.name] if len(sheets) > 1 else [sheet.name, path.stem]
        kinds = _kind_of(names, known)
        if not kinds and sheet.hidden:  # a list behind a drop-down, say
            ledgers.notes.append(f"{sheet.label}: hidden sheet, not a ledger; skipped")
            continue
        if len(kinds) != 1:
            reason = (
                f"matches several ledger kinds {sorted(kinds)}"
                if kinds
                else "matches no ledger kind"
            )
            ledgers.issues.append(
                _issue(
                    sheet.label,
                    "unknown_ledger" if not kinds else "ambiguous_ledger",
                    f"sheet {sheet.name!r} {reason}; name it after one of "
                    f"{sorted(known)} or its Chinese title",
                )
            )
            continue
        _read_sheet(sheet, known[kinds[0]], ledgers)


def load_ledgers(
    sources: Source | Iterable[Source],
    *,
    base: Base = None,
    specs: Iterable[LedgerSpec] = (),
    replace: bool = True,
    lang: Lang = "en",
) -> Dataset:
    """Read ledgers into a dataset, or raise listing every rejected row (导入台账).

    Same arguments as :func:`ledger_report`.

    Raises:
        LoadError: if any row, sheet or file was rejected; ``error.report`` lists them all.
        MissingDependencyError: for an ``.xlsx`` source without the ``xlsx`` extra.
    """
    from wushe.exceptions import LoadError  # noqa: PLC0415 - keeps the import list short

    report = ledger_report(sources, base=base, specs=specs, replace=replace, lang=lang)
    if report.dataset is None:
        raise LoadError(report)
    return report.dataset


# --- export -----------------------------------------------------------------------------


def _export_cell(value: Any, annotation: Any, *, lang: Lang, xlsx: bool) -> Cell:
    if value is None:
        return None
    annotation = unwrap_annotation(annotation)
    if isinstance(value, bool):
        return in_lang(lang, "是" if value else "否", str(value).lower())
    if isinstance(value, list):
        if not value:
            return None
        item = (
            unwrap_annotation(get_args(annotation)[0]) if get_args(annotation) else None
        )
        if any(isinstance(v, dict | list) for v in value):
            return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        parts = [str(_export_cell(v, item, lang=lang, xlsx=False)) for v in value]
        return in_lang(lang, "、", ",").join(sorted(parts))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if isinstance(annotation, type) and issubclass(annotation, Enum) and lang == "zh":
        label = getattr(annotation(value), "zh", value)
        return str(label)
    if xlsx and isinstance(annotation, type) and isinstance(value, str):
        try:
            if issubclass(annotation, datetime):
                return datetime.fromisoformat(value)
            if issubclass(annotation, date):
                return date.fromisoformat(value)
        except ValueError:
            return value  # a masked date such as 1941-**-** stays text
    return value  # type: ignore[no-any-return]


def _written_cell(
    model: type[BaseModel], field: str, value: Any, lang: Lang
) -> str | None:
    """Roles and consents in their plain-text grammar, or ``None`` for JSON."""
    if not value:
        return None
    if model is Need and field == "roles":
        return format_roles(value, lang)
    annotation = unwrap_annotation(model.model_fields[field].annotation)
    if annotation is Consent:
        return format_consents([value], lang)
    if (
        get_origin(annotation) is tuple
        and unwrap_annotation(get_args(annotation)[0]) is Consent
    ):
        return format_consents(value, lang)
    return None


def _export_kinds(
    ds: Dataset, kinds: Sequence[str] | None, known: Mapping[str, LedgerSpec]
) -> list[LedgerSpec]:
    if kinds is None:
        return [known[c] for c in COLLECTIONS if ds.records(c)]
    missing = [k for k in kinds if k not in known]
    if missing:
        msg = f"unknown ledger kind(s) {missing}; expected some of {sorted(known)}"
        raise KeyError(msg)
    return [known[k] for k in kinds]


@attrs.frozen(kw_only=True)
class _Share:
    """An export's purpose, applied: who is kept, what each collection may show."""

    purpose: ConsentPurpose
    as_of: date
    kept: frozenset[str]
    people: Mapping[str, Any]
    fields: Mapping[str, frozenset[str]]


def _claim(
    ds: Dataset, specs: Sequence[LedgerSpec], share: _Share | None
) -> list[list[Any]]:
    """Each record to the first ledger of its collection whose defaults it matches."""
    claimed: list[list[Any]] = [[] for _ in specs]
    for collection in dict.fromkeys(spec.collection for spec in specs):
        candidates = [i for i, s in enumerate(specs) if s.collection == collection]
        for record in ds.records(collection):
            if share is not None and not shared_record(
                record, share.kept, share.people
            ):
                continue
            for i in candidates:
                if all(
                    str(getattr(record, f)) == str(v)
                    for f, v in specs[i].defaults.items()
                ):
                    claimed[i].append(record)
                    break
    return claimed


def _only(record: WusheModel, allowed: frozenset[str]) -> WusheModel:
    """A copy of ``record`` with the fields outside ``allowed`` emptied, for the audit."""
    drop = {f: None for f in type(record).model_fields if f not in allowed}
    return record.model_copy(update=drop)


def _rows_of(
    ds: Dataset,
    specs: Sequence[LedgerSpec],
    *,
    reveal: bool,
    reason: str,
    lang: Lang,
    xlsx: bool,
    share: _Share | None = None,
) -> list[tuple[LedgerSpec, list[list[Cell]]]]:
    claimed = _claim(ds, specs, share)
    tables: list[tuple[LedgerSpec, list[list[Cell]]]] = []
    audited: list[list[Any]] = claimed
    if share is not None:  # record only what the export carries
        audited = [
            [_only(r, share.fields[spec.collection]) for r in records]
            for spec, records in zip(specs, claimed, strict=True)
        ]
    context = (
        audit_reveal(audited, via="export_ledgers", reason=reason) if reveal else None
    )
    for spec, records in zip(specs, claimed, strict=True):
        headers = spec.headers(lang)
        if share is not None:
            allowed = share.fields[spec.collection]
            headers = {f: h for f, h in headers.items() if f in allowed}
        fields = spec.model.model_fields
        dumps = [
            r.model_dump(mode="json", context=context, exclude_none=True)
            for r in records
        ]
        body = [
            [
                _written_cell(spec.model, f, d.get(f), lang)
                or _export_cell(d.get(f), fields[f].annotation, lang=lang, xlsx=xlsx)
                for f in headers
            ]
            for d in dumps
        ]
        if xlsx:
            _check_xml_text(spec, records, headers, body)
        keep = [
            i
            for i, f in enumerate(headers)
            if fields[f].is_required()
            or f in spec.defaults
            or any(row[i] not in (None, "") for row in body)
        ]
        names = list(headers.values())
        tables.append(
            (spec, [[names[i] for i in keep], *[[r[i] for i in keep] for r in body]])
        )
    return tables


def _check_xml_text(
    spec: LedgerSpec,
    records: Sequence[Any],
    headers: Mapping[str, str],
    body: Sequence[Sequence[Cell]],
) -> None:
    """Refuse a text an XLSX workbook cannot hold, naming where it is and never the text.

    XML 1.0 has no control characters below U+0020 other than tab, line feed and
    carriage return, so openpyxl cannot write them.
    """
    for record, row in zip(records, body, strict=True):
        for (field, header), cell in zip(headers.items(), row, strict=True):
            found = _XML_ILLEGAL.search(cell) if isinstance(cell, str) else None
            if found is None:
                continue
            record_id = clip(getattr(record, spec.id_field, ""))
            msg = (
                f"cannot write ledger {spec.titles[0] if spec.titles else spec.kind!r}, "
                f"record {record_id!r}, field {field!r} (column {header!r}) to a "
                f"workbook: it holds the control character U+{ord(found.group()):04X}, "
                "which an Excel workbook cannot store; remove it from the record, or "
                "export to CSV"
            )
            raise WusheError(msg)


def export_ledgers(
    ds: Dataset,
    path: str | Path,
    *,
    kinds: Sequence[str] | None = None,
    purpose: ConsentPurpose | str | None = None,
    as_of: date | None = None,
    reveal: bool = False,
    reason: str = "ledger export",
    lang: Literal["zh", "en"] = "zh",
    specs: Iterable[LedgerSpec] = (),
) -> LedgerExport:
    """Write ledgers of a dataset as an XLSX workbook or CSV files (导出台账).

    ``path`` ending in ``.xlsx`` gets one workbook with a sheet per ledger; ending in
    ``.csv`` gets one ledger (pass one kind); anything else is a folder that gets one CSV
    file per ledger, named after its sheet title. Headers are the Chinese field terms
    (``lang="en"``: the English field names), enum values their Chinese labels, lists
    joined with ``、``, booleans ``是``/``否`` and nested values JSON; columns empty in
    every row are left out. :func:`ledger_report` reads all of it back.

    Without ``purpose`` the export is the station's own ledgers, every record and field.
    With ``purpose`` it is made to be handed over (PIPL Arts. 6, 13, 14): only the ledgers
    and columns :data:`~wushe.io.EXPORT_FIELDS` allows that purpose, and only the recipients with a
    lawful basis for it in force on ``as_of`` (:func:`wushe.models.has_basis`, the check
    matching's consent gate makes), with their needs and other records; a referral also
    needs a basis on the day it was sent. The people left out are counted in
    :attr:`LedgerExport.withheld`, never named.

    Sensitive columns (names, ID numbers, phones, addresses, health and disability
    details) are **masked** unless ``reveal=True``, and so are the plain fields an attacker
    could combine with a masked ID: the birth date shows its year and the civil-affairs
    groups are withheld per person (see :mod:`wushe.privacy`). A revealed export is as
    sensitive as the ledger itself: it holds every personal detail it carries in clear, so
    store and send it accordingly; it is recorded as one reveal through the audit hook with
    ``reason``. A masked export cannot be imported again (its masked ID numbers fail
    validation).

    Args:
        ds: The dataset to export.
        path: Workbook, CSV file or folder to write.
        kinds: Ledger kinds in order; a record goes to the first kind of its collection
            whose ``defaults`` it matches, so ``("visits", "activities")`` puts care visits
            on their own sheet. Default: every non-empty collection; with ``purpose``, every
            collection that purpose shares, even empty.
        purpose: What the export is shared for, a :class:`~wushe.vocab.ConsentPurpose`
            (or its value or Chinese label) listed in :data:`~wushe.io.EXPORT_FIELDS`.
        as_of: The day each basis must be in force; default the dataset's ``as_of``, else
            today.
        reveal: Write sensitive values in clear.
        reason: Why a revealed export is made, for the audit trail; keep personal data
            out of it.
        lang: Header and label language.
        specs: Extra or replacement :class:`LedgerSpec` objects, matched by ``kind``.

    Returns:
        The files written and, for a purpose, how many recipients were left out.

    Raises:
        KeyError: for an unknown kind.
        ValueError: for a ``.csv`` path with more than one ledger.
        WusheError: for a ``purpose`` that is not a consent purpose or has no export, or a
            kind that purpose does not share; and for an ``.xlsx`` path when a text holds a
            control character (U+0000–U+001F other than tab, line feed and carriage
            return): XML cannot store it. The message names the sheet, the record id and
            the field, never the text. CSV files hold such characters.
        MissingDependencyError: for ``.xlsx`` without the ``xlsx`` extra.
    """
    known = {**_BUILTIN, **{spec.kind: spec for spec in specs}}
    path = Path(path)
    share = _share(ds, purpose_of(purpose), as_of)
    if share is not None and kinds is None:
        kinds = [c for c in COLLECTIONS if c in share.fields]
    chosen = _export_kinds(ds, kinds, known)
    if share is not None:
        check_kinds(share.purpose, [(s.kind, s.collection) for s in chosen])
    xlsx = path.suffix.lower() in XLSX_SUFFIXES
    tables = _rows_of(
        ds, chosen, reveal=reveal, reason=reason, lang=lang, xlsx=xlsx, share=share
    )
    written = _write_tables(path, tables, lang=lang, xlsx=xlsx)
    return LedgerExport(
        paths=written,
        purpose=None if share is None else share.purpose,
        as_of=None if share is None else share.as_of,
        withheld=0 if share is None else len(ds.recipients) - len(share.kept),
        fields={s.kind: tuple(str(h) for h in rows[0]) for s, rows in tables},
    )


def _share(
    ds: Dataset, purpose: ConsentPurpose | None, as_of: date | None
) -> _Share | None:
    if purpose is None:
        return None
    fields = allowed_fields(purpose)
    day = as_of or ds.as_of or date.today()
    kept, _ = select_for_purpose(ds, purpose, day)
    people = {r.recipient_id: r for r in ds.recipients}
    return _Share(purpose=purpose, as_of=day, kept=kept, people=people, fields=fields)


def _write_tables(
    path: Path,
    tables: list[tuple[LedgerSpec, list[list[Cell]]]],
    *,
    lang: Lang,
    xlsx: bool,
) -> tuple[Path, ...]:
    def title(spec: LedgerSpec) -> str:
        return in_lang(lang, spec.titles[0] if spec.titles else spec.kind, spec.kind)

    path.parent.mkdir(parents=True, exist_ok=True)
    if xlsx:
        return (write_sheets(path, [(title(s), rows) for s, rows in tables]),)
    if path.suffix.lower() in CSV_SUFFIXES:
        if len(tables) != 1:
            msg = f"a CSV file holds one ledger; got {len(tables)}: pass kinds=(one,)"
            raise ValueError(msg)
        return (write_sheets(path, [(title(tables[0][0]), tables[0][1])]),)
    path.mkdir(parents=True, exist_ok=True)
    return tuple(
        write_sheets(path / f"{title(s)}.csv", [(title(s), rows)]) for s, rows in tables
    )
