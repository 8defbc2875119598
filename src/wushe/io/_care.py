"""Visit-log files for the care engine (巡访记录文件)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from wushe.care import IncidentReport, VisitRecord
from wushe.exceptions import LoadError
from wushe.io._parse import DocumentProblem, read_document
from wushe.io._report import LoadIssue, LoadReport
from wushe.privacy import RedactingTypeAdapter

__all__ = ["load_visit_log"]

_VISITS: RedactingTypeAdapter[tuple[VisitRecord, ...]] = RedactingTypeAdapter(
    tuple[VisitRecord, ...]
)
_INCIDENTS: RedactingTypeAdapter[tuple[IncidentReport, ...]] = RedactingTypeAdapter(
    tuple[IncidentReport, ...]
)


def load_visit_log(
    path: str | Path,
) -> tuple[tuple[VisitRecord, ...], tuple[IncidentReport, ...]]:
    """Load a visit log: ``{"visits": [...], "incidents": [...]}`` in JSON or YAML (加载巡访记录).

    An optional ``"description"`` string may say where the log comes from.

    Returns:
        The visits and the incident reports, validated.

    Raises:
        LoadError: if the file is missing, unreadable, too large or not JSON/YAML, or
            listing every invalid entry with its position, id, field and reason.
        MissingDependencyError: for a YAML file without the ``yaml`` extra.

    Examples:
        >>> from wushe import examples
        >>> from wushe.io import load_visit_log
        >>> visits, incidents = load_visit_log(examples.path("jinniu_visits.json"))
        >>> sum(v.outcome.value == "contacted" for v in visits) > 20000
        True
    """
    path = Path(path)
    name = str(path)
    try:
        raw = read_document(path).data
    except DocumentProblem as problem:
        raise problem.error(name) from None
    issues: list[LoadIssue] = []
    if not isinstance(raw, dict):
        raw = {}
        issues.append(_issue(name, "", None, "", "", "not_an_object",
                             "a visit log holds one object with 'visits' and 'incidents' lists"))  # fmt: skip
    known = {"visits", "incidents", "description"}
    for key in sorted((k for k in raw if k not in known), key=str):
        issues.append(_issue(name, "", None, "", str(key), "extra_forbidden",
                             f"unknown key {key!r}; expected 'visits' and 'incidents'"))  # fmt: skip
    result: dict[str, tuple[object, ...]] = {}
    for collection, adapter, id_field in (
        ("visits", _VISITS, "visit_id"),
        ("incidents", _INCIDENTS, "incident_id"),
    ):
        entries = raw.get(collection, [])
        try:
            result[collection] = adapter.validate_python(entries)
        except ValidationError as exc:
            for error in exc.errors(include_input=False, include_url=False):
                loc = error["loc"]
                row = loc[0] + 1 if loc and isinstance(loc[0], int) else None
                entry = (
                    entries[row - 1]
                    if row is not None and isinstance(entries, list)
                    else {}
                )
                record_id = entry.get(id_field, "") if isinstance(entry, dict) else ""
                issues.append(_issue(name, collection, row, str(record_id),
                                     ".".join(str(p) for p in loc[1:]), error["type"], error["msg"]))  # fmt: skip
    if issues:
        raise LoadError(LoadReport(file=name, issues=tuple(issues)))
    return result["visits"], result["incidents"]  # type: ignore[return-value]


def _issue(
    file: str,
    collection: str,
    row: int | None,
    record_id: str,
    field: str,
    code: str,
    message: str,
) -> LoadIssue:
    return LoadIssue(file=file, collection=collection, row=row, record_id=record_id,
                     field=field, code=code, message=message)  # fmt: skip
