"""JSON and YAML dataset files (数据集文件读写)."""

from __future__ import annotations

import gc
import logging
import time
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from wushe._gc import paused_gc
from wushe._renamed import renamed_keywords
from wushe._types import Progress
from wushe.exceptions import DatasetError, LoadError
from wushe.io._messages import localise_report
from wushe.io._parse import YAML_SUFFIXES, DocumentProblem, read_document, yaml_module
from wushe.io._report import LoadIssue, LoadReport
from wushe.models import (
    COLLECTIONS,
    Dataset,
    check_integrity,
    minors_without_guardian_consent,
    referrals_without_basis,
)
from wushe.models._dataset import validate_json_columns
from wushe.privacy import ColumnChecks, RedactingTypeAdapter, audit_reveal
from wushe.vocab import Lang, explain_ambiguous

__all__ = ["dump_dataset", "load_dataset", "load_report"]

_log = logging.getLogger("wushe.io")
_YAML_SUFFIXES = YAML_SUFFIXES
_ADAPTERS: dict[str, RedactingTypeAdapter[Any]] = {
    name: RedactingTypeAdapter(model) for name, (model, _) in COLLECTIONS.items()
}
_HEADER_FIELDS = frozenset(Dataset.model_fields) - frozenset(COLLECTIONS)


def _yaml() -> Any:
    return yaml_module()


def load_dataset(path: str | Path, *, progress: Progress | None = None) -> Dataset:
    """Load a dataset from a JSON or YAML file (加载数据集).

    The file holds every record in clear, as :func:`dump_dataset` writes it. Valid files take
    a fast path straight through pydantic-core, with the checks of resident IDs, phone
    numbers, names and the recipients' cross-field rules run over whole columns once every
    record is parsed; on any problem the whole file is checked record by record so that the
    error lists everything at once, each record alone. A UTF-8 byte-order mark is
    accepted; duplicate keys in an object are rejected. See :ref:`io-limits` for the sizes
    read.

    Args:
        path: The file.
        progress: Told how many records are checked, stage ``"load"`` (see
            :class:`~wushe.Progress`).

    Raises:
        LoadError: if the file is missing, unreadable, too large or not JSON/YAML, or if
            any record is invalid or any reference dangles; ``error.report`` names file,
            collection, row, record id, field and reason for each.
        MissingDependencyError: for a YAML file without the ``yaml`` extra.
    """
    path = Path(path)
    started = time.perf_counter()
    try:
        document = read_document(path)
    except DocumentProblem as problem:
        raise problem.error(str(path)) from None
    if progress is not None:
        progress("load", 0, None)
    ds: Dataset | None = None
    # Cross-field rules and ID check characters run over whole columns once every record
    # is parsed (Dataset finishes them before its integrity rules); any record they do not
    # clear is checked alone, and any failure falls back to checking record by record.
    try:
        # Validation allocates several objects per record and frees none of them, so
        # every cyclic collection would re-examine all records built so far: half the
        # time of a large file. Nothing built here forms a cycle.
        with paused_gc(), ColumnChecks():
            if document.json is not None:
                ds = validate_json_columns(document.json)
            elif isinstance(document.data, dict):
                ds = Dataset.model_validate(document.data)
            _settle_in_old_generation()
    except (ValueError, DatasetError):  # a ValidationError, or a column's first error
        _log.debug("%s: fast path failed, checking record by record", path)
    if ds is not None:
        _loaded(path, ds, started, progress)
        return ds
    report = check_records(document.data, file=str(path), progress=progress)
    if report.dataset is None:
        raise LoadError(report)
    return report.dataset


def _settle_in_old_generation() -> None:
    """Move every tracked object to the collector's oldest generation, without a pass.

    The records just built live as long as the dataset, yet with the collector paused they
    all sit in the youngest generation, and the first allocation after it resumes would
    examine each of them (a fifth of the load). Freezing and unfreezing moves every
    tracked object (the process's others too) to the oldest generation in constant time;
    they are examined at the next full collection as any long-lived object is, and
    nothing is kept from being collected. Skipped when the process has frozen objects of
    its own (``gc.freeze`` before forking workers), which unfreezing would release.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _loaded(path: Path, ds: Dataset, started: float, progress: Progress | None) -> None:
    count = sum(len(getattr(ds, name)) for name in COLLECTIONS)
    if progress is not None:
        progress("load", count, count)
    _log.info(
        "loaded %s: %d records in %.2f s", path, count, time.perf_counter() - started
    )


def load_report(
    path: str | Path, *, progress: Progress | None = None, lang: Lang = "en"
) -> LoadReport:
    """Check a dataset file and report every problem without raising (检查数据集文件).

    Args:
        path: The file.
        progress: Told how many records are checked, stage ``"load"`` (see
            :class:`~wushe.Progress`).
        lang: Language of the messages: ``"en"`` (default) or ``"zh"``, as for ledgers.

    Returns:
        A :class:`LoadReport`; its ``dataset`` is set only when there are no issues.
    """
    path = Path(path)
    try:
        document = read_document(path)
    except DocumentProblem as problem:
        return localise_report(problem.report(str(path)), lang)
    report = check_records(document.data, file=str(path), progress=progress)
    return localise_report(report, lang)


def _file_problem(file: str, code: str, message: str) -> LoadReport:
    return DocumentProblem(message, code=code).report(file)


def check_records(
    raw: Any, *, file: str = "<data>", progress: Progress | None = None
) -> LoadReport:
    """Validate a parsed dataset document record by record (逐条校验).

    Used by :func:`load_report` and by the spreadsheet importers, which build the same
    document from ledgers. ``progress`` is told the records checked, after each
    collection (stage ``"load"``).
    """
    report = _check_records(raw, file=file, progress=progress)
    _log.info(
        "checked %s: %d records accepted, %d issues",
        file,
        sum(report.loaded.values()),
        len(report.issues),
    )
    return report


def _check_records(raw: Any, *, file: str, progress: Progress | None) -> LoadReport:
    if not isinstance(raw, dict):
        return _file_problem(
            file, "not_an_object", "a dataset file must hold one object at the top"
        )
    header, issues = _top_level(raw, file)
    valid, rows = _check_collections(raw, file, progress, issues)
    header_issues = _check_header(header, file)
    issues.extend(header_issues)
    loaded = {collection: len(records) for collection, records in valid.items()}
    if header_issues:
        return LoadReport(file=file, loaded=loaded, issues=tuple(issues))
    values: dict[str, Any] = {**header, **{k: tuple(v) for k, v in valid.items()}}
    candidate = Dataset.model_construct(**values)
    issues.extend(
        LoadIssue(
            file=file,
            collection=issue.collection,
            row=rows.get((issue.collection, issue.record_id)),
            record_id=issue.record_id,
            field=issue.field,
            code=issue.code,
            message=issue.message,
        )
        for issue in check_integrity(candidate)
    )
    if issues:
        return LoadReport(file=file, loaded=loaded, issues=tuple(issues))
    dataset = Dataset.model_validate(values)
    return LoadReport(
        file=file,
        loaded=loaded,
        dataset=dataset,
        warnings=_consent_warnings(dataset, file, rows),
    )


def _top_level(
    raw: dict[Any, Any], file: str
) -> tuple[dict[str, Any], list[LoadIssue]]:
    """The file's header fields, and an issue per unknown top-level key."""
    issues: list[LoadIssue] = []
    header: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _HEADER_FIELDS:
            header[key] = value
        elif key not in COLLECTIONS:
            issues.append(
                LoadIssue(
                    file=file,
                    collection="",
                    row=None,
                    record_id="",
                    field=str(key),
                    code="extra_forbidden",
                    message=f"unknown top-level key {key!r}; expected one of "
                    f"{sorted(_HEADER_FIELDS | set(COLLECTIONS))}",
                )
            )
    return header, issues


def _check_collections(
    raw: dict[Any, Any],
    file: str,
    progress: Progress | None,
    issues: list[LoadIssue],
) -> tuple[dict[str, list[Any]], dict[tuple[str, str], int]]:
    """Validate every record, appending issues; the valid ones and each id's row."""
    valid: dict[str, list[Any]] = {}
    rows: dict[tuple[str, str], int] = {}
    total = sum(
        len(v) for k, v in raw.items() if k in COLLECTIONS and isinstance(v, list)
    )
    checked = 0
    for collection, (_, id_field) in COLLECTIONS.items():
        if progress is not None:
            progress("load", checked, total)
        records = raw.get(collection, [])
        if not isinstance(records, list):
            issues.append(
                LoadIssue(
                    file=file,
                    collection=collection,
                    row=None,
                    record_id="",
                    field="",
                    code="list_type",
                    message="a collection must be a list of records",
                )
            )
            continue
        valid[collection] = _check_collection(
            collection, id_field, records, file, issues, rows
        )
        checked += len(records)
    if progress is not None:
        progress("load", total, total)
    return valid, rows


def _check_collection(
    collection: str,
    id_field: str,
    records: list[Any],
    file: str,
    issues: list[LoadIssue],
    rows: dict[tuple[str, str], int],
) -> list[Any]:
    """One collection's valid records; each invalid one adds its errors to ``issues``."""
    accepted: list[Any] = []
    for index, record in enumerate(records, start=1):
        record_id = record.get(id_field, "") if isinstance(record, dict) else ""
        record_id = record_id if isinstance(record_id, str) else str(record_id)
        try:
            model = _ADAPTERS[collection].validate_python(record)
        except ValidationError as exc:
            issues.extend(
                LoadIssue(
                    file=file,
                    collection=collection,
                    row=index,
                    record_id=record_id,
                    field=".".join(str(part) for part in error["loc"]),
                    code=error["type"],
                    message=_message(error),
                )
                for error in exc.errors(include_url=False)
            )
            continue
        accepted.append(model)
        rows[(collection, getattr(model, id_field))] = index
    return accepted


def _consent_warnings(
    dataset: Dataset, file: str, rows: dict[tuple[str, str], int]
) -> tuple[LoadIssue, ...]:
    """Children under 14 with no guardian's consent, referrals with no basis (PIPL Arts. 13, 31)."""
    as_of = dataset.as_of or date.today()
    return tuple(
        LoadIssue(
            file=file,
            collection="recipients",
            row=rows.get(("recipients", rid)),
            record_id=rid,
            field="consents",
            code="minor_without_guardian_consent",
            message="a child under 14 with no guardian's consent in force: loaded on "
            "its other basis; volunteers, organisations and donors will not receive "
            "this record until a guardian consents (PIPL Art. 31)",
        )
        for rid in minors_without_guardian_consent(dataset.recipients, as_of)
    ) + tuple(
        LoadIssue(
            file=file,
            collection="referrals",
            row=rows.get(("referrals", ref_id)),
            record_id=ref_id,
            field="sent_on",
            code="referral_without_lawful_basis",
            message="the recipient had no consent or statutory basis for referral on the "
            "day it was sent (PIPL Art. 13)",
        )
        for ref_id in referrals_without_basis(dataset.referrals, dataset.recipients)
    )


def _message(error: ErrorDetails) -> str:
    """The error's message; for a bare ambiguous label, the full names to choose from.

    Only a registered vocabulary word (宣传, 社工站 …) is ever echoed, never other input.
    """
    if error["type"] == "enum":
        hint = explain_ambiguous(
            error.get("input"), str(error.get("ctx", {}).get("expected", ""))
        )
        if hint is not None:
            return hint
    return error["msg"]


def _check_header(header: dict[str, Any], file: str) -> list[LoadIssue]:
    try:
        Dataset.model_validate(header)
    except ValidationError as exc:
        return [
            LoadIssue(
                file=file,
                collection="",
                row=None,
                record_id="",
                field=".".join(str(p) for p in error["loc"]),
                code=error["type"],
                message=error["msg"],
            )
            for error in exc.errors(include_input=False, include_url=False)
        ]
    except DatasetError:  # pragma: no cover - an empty dataset has no references
        return []
    return []


@renamed_keywords(purpose="reason")
def dump_dataset(
    ds: Dataset, path: str | Path, *, reason: str = "dataset file (system of record)"
) -> Path:
    """Write a dataset to a JSON or YAML file, losslessly and in clear (保存数据集).

    A dataset file is the system of record, so sensitive values are written revealed (as a
    pickle of the dataset would hold them); protect the file accordingly. Reports and
    exports mask instead. The write is recorded as one reveal through the audit hook
    (:func:`wushe.privacy.set_audit_hook`) with ``reason``. Empty optional fields are
    omitted to keep files readable; loading restores them.

    Returns:
        The path written.
    """
    path = Path(path)
    context = audit_reveal(ds, via="dump_dataset", reason=reason)
    if path.suffix.lower() in _YAML_SUFFIXES:
        data = ds.model_dump(mode="json", context=context, exclude_none=True)
        text = _yaml().safe_dump(data, allow_unicode=True, sort_keys=False)
        path.write_text(text, encoding="utf-8")
    else:
        text = ds.model_dump_json(context=context, exclude_none=True, indent=1)
        path.write_text(text + "\n", encoding="utf-8")
    return path
