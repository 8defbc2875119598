"""Rubric files and evaluation report files (评估细则与报告文件)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

import attrs
from pydantic import ValidationError

from wushe.evaluation import (
    DimensionScore,
    EvaluationReport,
    EvaluatorRole,
    EvaluatorScore,
    EvidenceUse,
    ItemKind,
    ItemScore,
    MissingEvidence,
    Reconciliation,
    Rectification,
    Rubric,
    ScoreSheet,
)
from wushe.exceptions import LoadError, RubricError
from wushe.io._evaluation_text import evaluation_to_html, evaluation_to_markdown
from wushe.io._parse import DocumentProblem, read_document
from wushe.io._radar import radar_chart
from wushe.io._report import LoadIssue, LoadReport, clip
from wushe.models import Period
from wushe.privacy import RedactingTypeAdapter
from wushe.vocab import EvaluationPhase, Grade, OrgRating

__all__ = [
    "evaluation_from_dict",
    "evaluation_to_dict",
    "load_rubric",
    "load_score_sheets",
    "write_report",
]

_RUBRIC_LINES = 30
_SHEETS: RedactingTypeAdapter[tuple[ScoreSheet, ...]] = RedactingTypeAdapter(
    tuple[ScoreSheet, ...]
)


def load_rubric(path: str | Path) -> Rubric:
    """Load an evaluation rubric from a YAML or JSON file (加载评估细则).

    The suffix decides the format: ``.yaml``/``.yml`` need the ``yaml`` extra, anything
    else is read as JSON.

    Raises:
        LoadError: if the file is missing, unreadable, too large or not JSON/YAML.
        RubricError: if the rubric is malformed; the message names the file and the item.
        MissingDependencyError: for a YAML file without the ``yaml`` extra.

    Examples:
        >>> from wushe import examples
        >>> from wushe.io import load_rubric
        >>> load_rubric(examples.path("rubric_station_review.yaml")).rubric_id
        'station_review'
    """
    path = Path(path)
    try:
        document = read_document(path)
    except DocumentProblem as problem:
        raise problem.error(str(path)) from None
    try:
        if document.json is not None:
            return Rubric.model_validate_json(document.json)
        return Rubric.model_validate(document.data)
    except RubricError as exc:
        lines = str(exc).splitlines()
        shown = [clip(line, 240) for line in lines[:_RUBRIC_LINES]]
        if len(lines) > _RUBRIC_LINES:
            shown.append(f"  … and {len(lines) - _RUBRIC_LINES} more")
        msg = f"{path}: " + "\n".join(shown)
        raise RubricError(msg) from None


def load_score_sheets(path: str | Path) -> tuple[ScoreSheet, ...]:
    """Load evaluators' score sheets from a YAML or JSON list (加载评分表).

    Each entry is a :class:`~wushe.evaluation.ScoreSheet`: evaluator id, role, weight,
    phase and ratings by item id.

    Raises:
        LoadError: if the file is missing, unreadable, too large or not JSON/YAML, or
            listing every invalid sheet with its position, evaluator id, field and reason.
        MissingDependencyError: for a YAML file without the ``yaml`` extra.

    Examples:
        >>> from wushe import examples
        >>> from wushe.io import load_score_sheets
        >>> [s.role.zh for s in load_score_sheets(examples.path("jinniu_scores.json"))]
        ['第三方评估机构', '购买方', '服务对象']
    """
    path = Path(path)
    name = str(path)
    try:
        document = read_document(path)
    except DocumentProblem as problem:
        raise problem.error(name) from None
    raw = document.data
    try:
        if document.json is not None:
            return _SHEETS.validate_json(document.json)
        return _SHEETS.validate_python(raw)
    except ValidationError as exc:
        issues = tuple(
            LoadIssue(
                file=name,
                collection="score_sheets",
                row=_position(error["loc"]),
                record_id=_evaluator(raw, error["loc"]),
                field=".".join(str(part) for part in error["loc"][1:]),
                code=error["type"],
                message=error["msg"],
            )
            for error in exc.errors(include_input=False, include_url=False)
        )
        raise LoadError(LoadReport(file=name, issues=issues)) from None


def _position(loc: tuple[int | str, ...]) -> int | None:
    return loc[0] + 1 if loc and isinstance(loc[0], int) else None


def _evaluator(raw: Any, loc: tuple[int | str, ...]) -> str:
    row = _position(loc)
    if row is None or not isinstance(raw, list):
        return ""
    entry = raw[row - 1]
    return str(entry.get("evaluator_id", "")) if isinstance(entry, dict) else ""


def write_report(
    report: EvaluationReport,
    directory: str | Path,
    *,
    stem: str | None = None,
    html: bool = True,
    json_file: bool = True,
    chart: bool = False,
    lang: Literal["zh", "en"] = "zh",
) -> tuple[Path, ...]:
    """Write a report as Markdown (and HTML, and a radar chart PNG) into a folder (写出评估报告).

    Files are named ``<stem>.md``, ``<stem>.html``, ``<stem>.json`` (the report as data, see
    :func:`evaluation_to_dict`) and ``<stem>.png``; the stem defaults to
    ``<subject_id>-<phase>``. The folder is created if needed. The chart needs the ``plot``
    extra.

    Returns:
        The paths written, Markdown first.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    name = stem or f"{report.subject_id}-{report.phase.value}"
    written = [folder / f"{name}.md"]
    written[0].write_text(evaluation_to_markdown(report, lang=lang), encoding="utf-8")
    if html:
        page = folder / f"{name}.html"
        page.write_text(evaluation_to_html(report, lang=lang), encoding="utf-8")
        written.append(page)
    if json_file:
        data = folder / f"{name}.json"
        text = json.dumps(evaluation_to_dict(report), ensure_ascii=False, indent=2)
        data.write_text(text + "\n", encoding="utf-8")
        written.append(data)
    if chart:
        written.append(radar_chart(report, folder / f"{name}.png", lang=lang).path)
    return tuple(written)


def evaluation_to_dict(report: EvaluationReport) -> dict[str, Any]:
    """An evaluation report as JSON-ready data (评估报告转数据).

    Enumerations become their English values, dates ISO strings; everything else is
    numbers, strings and lists. :func:`evaluation_from_dict` reads it back unchanged, so
    reports can be stored and compared across years.

    Examples:
        >>> from wushe.evaluation import Evidence, builtin_rubric, evaluate
        >>> from wushe.models import SocialOrganization
        >>> org = SocialOrganization.model_validate({"organization_id": "o1", "name": "社工"})
        >>> report = evaluate(org, builtin_rubric(), Evidence())
        >>> evaluation_from_dict(evaluation_to_dict(report)) == report
        True
    """

    def plain(_inst: Any, _field: Any, value: Any) -> Any:
        if isinstance(value, Period):
            return value.model_dump(mode="json")
        if isinstance(value, (Grade, OrgRating, EvaluationPhase, Reconciliation)):
            return value.value
        if isinstance(value, (EvaluatorRole, ItemKind)):
            return value.value
        return value

    return attrs.asdict(report, value_serializer=plain)


def evaluation_from_dict(data: dict[str, Any]) -> EvaluationReport:
    """Rebuild an evaluation report from :func:`evaluation_to_dict`'s data (数据转评估报告).

    Raises:
        KeyError: if a field is missing.
        ValueError: if an enumeration value is unknown.
    """

    def rating(row: dict[str, Any]) -> EvaluatorScore:
        return EvaluatorScore(**{**row, "role": EvaluatorRole(row["role"])})

    def item(row: dict[str, Any]) -> ItemScore:
        return ItemScore(
            **{
                **row,
                "kind": ItemKind(row["kind"]),
                "evidence": tuple(
                    EvidenceUse(**{**use, "record_ids": tuple(use["record_ids"])})
                    for use in row["evidence"]
                ),
                "ratings": tuple(rating(r) for r in row["ratings"]),
                "dropped": tuple(row.get("dropped", ())),
            }
        )

    grade = data["grade"]
    return EvaluationReport(
        **{
            **data,
            "phase": EvaluationPhase(data["phase"]),
            "period": None
            if data["period"] is None
            else Period.model_validate(data["period"]),
            "reconciliation": Reconciliation(data["reconciliation"]),
            "grade": None if grade is None else _grade(grade),
            "dimensions": tuple(
                DimensionScore(**{**d, "items": tuple(item(i) for i in d["items"])})
                for d in data["dimensions"]
            ),
            "evaluators": tuple(rating(r) for r in data["evaluators"]),
            "rectifications": tuple(Rectification(**r) for r in data["rectifications"]),
            "missing": tuple(MissingEvidence(**m) for m in data["missing"]),
            "failed_gates": tuple(data.get("failed_gates", ())),
        }
    )


def _grade(value: str) -> Grade | OrgRating:
    try:
        return Grade(value)
    except ValueError:
        return OrgRating(value)
