"""Rubric files and evaluation report files (评估细则与报告文件)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from wushe.evaluation import (
    EvaluationReport,
    Rubric,
    radar_chart,
    render_html,
    render_markdown,
)

__all__ = ["load_rubric", "write_report"]

_YAML_SUFFIXES = frozenset({".yaml", ".yml"})


def load_rubric(path: str | Path) -> Rubric:
    """Load an evaluation rubric from a YAML or JSON file (加载评估细则).

    The suffix decides the format: ``.yaml``/``.yml`` need the ``yaml`` extra, anything
    else is read as JSON.

    Raises:
        RubricError: if the rubric is malformed; the message names the item.
        MissingDependencyError: for a YAML file without the ``yaml`` extra.
        OSError: if the file cannot be read.

    Examples:
        >>> from wushe.io import load_rubric
        >>> load_rubric("examples/data/rubric_station_review.yaml").rubric_id
        'station_review'
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in _YAML_SUFFIXES:
        return Rubric.from_yaml_text(text)
    return Rubric.model_validate_json(text)


def write_report(
    report: EvaluationReport,
    directory: str | Path,
    *,
    stem: str | None = None,
    html: bool = True,
    chart: bool = False,
    lang: Literal["zh", "en"] = "zh",
) -> tuple[Path, ...]:
    """Write a report as Markdown (and HTML, and a radar chart PNG) into a folder (写出评估报告).

    Files are named ``<stem>.md``, ``<stem>.html`` and ``<stem>.png``; the stem defaults to
    ``<subject_id>-<phase>``. The folder is created if needed. The chart needs the ``plot``
    extra.

    Returns:
        The paths written, Markdown first.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    name = stem or f"{report.subject_id}-{report.phase.value}"
    written = [folder / f"{name}.md"]
    written[0].write_text(render_markdown(report, lang=lang), encoding="utf-8")
    if html:
        page = folder / f"{name}.html"
        page.write_text(render_html(report, lang=lang), encoding="utf-8")
        written.append(page)
    if chart:
        written.append(radar_chart(report, folder / f"{name}.png", lang=lang).path)
    return tuple(written)
