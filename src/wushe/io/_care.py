"""Visit-log files for the care engine (巡访记录文件)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from wushe.care import IncidentReport, VisitRecord, check_visit_households
from wushe.exceptions import LoadError
from wushe.io._parse import DocumentProblem, read_document
from wushe.io._report import LoadIssue, LoadReport
from wushe.privacy import RedactingTypeAdapter

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Sequence

    from wushe.models import Dataset

__all__ = ["load_visit_log"]

_VISITS: RedactingTypeAdapter[tuple[VisitRecord, ...]] = RedactingTypeAdapter(
    tuple[VisitRecord, ...]
)
_INCIDENTS: RedactingTypeAdapter[tuple[IncidentReport, ...]] = RedactingTypeAdapter(
    tuple[IncidentReport, ...]
)


def load_visit_log(
    path: str | Path,
    *,
    dataset: Dataset | None = None,
) -> tuple[tuple[VisitRecord, ...], tuple[IncidentReport, ...]]:
    """Load a visit log: ``{"visits": [...], "incidents": [...]}`` in JSON or YAML (加载巡访记录).

    An optional ``"description"`` string may say where the log comes from. Given a
    ``dataset`` that keeps households, each visit naming a household (``户编号``) is checked
    with :func:`wushe.care.check_visit_households`: the household must exist and the
    recipient be a member of it on the day of the visit.

    Args:
        path: The JSON or YAML file.
        dataset: The dataset the visits belong to, for the household check.

    Returns:
        The visits and the incident reports, validated.

    Raises:
        LoadError: if the file is missing, unreadable, too large or not JSON/YAML, or
            listing every invalid entry with its position, id, field and reason; a visit
            naming an unknown household or one its recipient did not belong to is
            reported with the ``household_id`` field and the ``户编号`` column.
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
    if dataset is not None and dataset.households and "visits" in result:
        visits: tuple[VisitRecord, ...] = result["visits"]  # type: ignore[assignment]
        issues += _household_issues(name, visits, dataset)
    if issues:
        raise LoadError(LoadReport(file=name, issues=tuple(issues)))
    return result["visits"], result["incidents"]  # type: ignore[return-value]


def _household_issues(
    name: str, visits: Sequence[VisitRecord], dataset: Dataset
) -> list[LoadIssue]:
    """The household check's issues, each placed at the row of the visit it names."""
    found = check_visit_households(dataset, visits)
    if not found:
        return []
    rows: dict[str, list[int]] = {}
    for index, v in enumerate(visits):
        if v.household_id is not None:
            rows.setdefault(v.visit_id, []).append(index)
    issues: list[LoadIssue] = []
    for issue in found:
        candidates = rows[issue.record_id]
        # Issues come in log order, one per faulty visit: with a repeated visit id the
        # row is the first remaining one that fails the check on its own.
        index = candidates[0]
        if len(candidates) > 1:
            faulty = (
                i for i in candidates if check_visit_households(dataset, [visits[i]])
            )
            index = next(faulty, index)
        candidates.remove(index)
        issues.append(
            LoadIssue(
                file=name,
                collection="visits",
                row=index + 1,
                record_id=issue.record_id,
                field=issue.field,
                code=issue.code,
                message=issue.message,
                column="户编号",
            )
        )
    return issues


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
