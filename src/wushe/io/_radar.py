"""Radar chart of dimension scores, as inline SVG or a PNG with the ``plot`` extra (雷达图)."""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any, Literal

import attrs

from wushe._literal import cjk_font, literal_labels
from wushe.evaluation import EvaluationReport
from wushe.exceptions import MissingDependencyError
from wushe.vocab import Lang, in_lang

__all__ = ["RadarChart", "cjk_font", "radar_chart", "radar_svg"]


@attrs.frozen(kw_only=True)
class RadarChart:
    """What :func:`radar_chart` drew (雷达图结果)."""

    path: Path
    """The PNG written (图片路径)."""
    lang: Lang
    """The language of the labels actually used (标签语言)."""
    font: str | None
    """The CJK font used for Chinese labels, or ``None`` (中文字体)."""


def _matplotlib() -> Any:
    try:
        import matplotlib as mpl  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError as exc:  # pragma: no cover - depends on the environment
        purpose = "Drawing a radar chart"
        raise MissingDependencyError("matplotlib", "plot", purpose) from exc  # noqa: EM101 - the error composes its message
    return mpl


def radar_chart(
    report: EvaluationReport,
    path: str | Path,
    *,
    lang: Literal["auto", "zh", "en"] = "auto",
) -> RadarChart:
    """Draw the dimension scores as a radar chart PNG (维度得分雷达图).

    Each spoke is a dimension's score as a share of its weight (0–100 %), the picture
    evaluation reports carry. Chinese labels need a CJK font: with ``lang="auto"`` (or
    ``"zh"``) and none installed, the chart falls back to the English names instead of
    drawing empty boxes; the result says which language was used. Uses matplotlib's Agg
    canvas directly, so it touches no global pyplot state.

    Args:
        report: The evaluation report.
        path: Where to write the PNG; the caller chooses it.
        lang: Label language; ``"auto"`` prefers Chinese when a CJK font exists.

    Raises:
        MissingDependencyError: without the ``plot`` extra (``pip install 'wushe[plot]'``).
    """
    _matplotlib()
    from matplotlib.backends.backend_agg import (  # noqa: PLC0415 - optional dependency
        FigureCanvasAgg,
    )
    from matplotlib.figure import Figure  # noqa: PLC0415 - optional dependency

    font = cjk_font() if lang in ("auto", "zh") else None
    used: Lang = "zh" if font else "en"
    # Names and ids are drawn as typed: a "$" must not start math text.
    with literal_labels():
        fig = Figure(figsize=(6, 6), dpi=100)
        FigureCanvasAgg(fig)
        _plot_radar(fig, report, used, font)
        fig.tight_layout()
        target = Path(path)
        fig.savefig(target, format="png")
    return RadarChart(path=target, lang=used, font=font)


def _plot_radar(
    fig: Any, report: EvaluationReport, used: Lang, font: str | None
) -> None:
    """The spokes, the filled scores, their labels and the title, on ``fig``."""
    dims = report.dimensions
    labels = [in_lang(used, d.name, d.name_en) for d in dims]
    shares = [100 * d.share for d in dims]
    count = len(dims)
    angles = [2 * math.pi * i / count for i in range(count)]
    ax: Any = fig.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    closed = [*angles, angles[0]]
    values = [*shares, shares[0]]
    ax.plot(closed, values, color="#c0392b", linewidth=2)
    ax.fill(closed, values, color="#c0392b", alpha=0.25)
    ax.set_ylim(0, 100)
    ax.set_yticks([20, 40, 60, 80, 100])
    ax.set_yticklabels(["20", "40", "60", "80", "100%"], fontsize=8)
    text_props = {"fontfamily": font} if font else {}
    ax.set_xticks(angles)
    ax.set_xticklabels(
        [f"{label}\n{share:.0f}%" for label, share in zip(labels, shares, strict=True)],
        fontsize=10,
        **text_props,
    )
    if report.grade is not None:
        grade = report.grade.label(used)
    else:
        grade = in_lang(used, "未定级", "not graded")
    title = f"{in_lang(used, report.subject_name, report.subject_id)}\n"
    title += f"{report.total:.1f} / {report.max_total:g} · {grade}"
    ax.set_title(title, fontsize=12, pad=24, **text_props)


_SVG_SIZE = 460
_SVG_RADIUS = 150


def _spoke(index: int, count: int, radius: float) -> tuple[float, float]:
    """Point on spoke ``index`` at ``radius``; spoke 0 points up, the rest go clockwise."""
    angle = 2 * math.pi * index / count - math.pi / 2
    centre = _SVG_SIZE / 2
    return centre + radius * math.cos(angle), centre + radius * math.sin(angle)


def _anchor(x: float) -> str:
    centre = _SVG_SIZE / 2
    if abs(x - centre) < 1:
        return "middle"
    return "start" if x > centre else "end"


def _dimension_label(
    report: EvaluationReport, index: int, lang: Lang
) -> tuple[str, str]:
    """The spoke's name and its value: a percentage, or 未评分 when nothing was scored."""
    dim = report.dimensions[index]
    name = in_lang(lang, dim.name, dim.name_en)
    if not any(item.score is not None for item in dim.items):
        return name, in_lang(lang, "未评分", "unscored")
    value = f"{dim.share:.0%}"
    if not dim.is_complete:
        value += in_lang(lang, "（部分未评分）", " (partly unscored)")
    return name, value


def radar_svg(report: EvaluationReport, *, lang: Lang = "zh") -> str:
    """Draw the dimension scores as an inline SVG radar chart (雷达图 SVG).

    The chart is plain SVG text: labels stay text, so the reader's browser draws Chinese
    with its own fonts, and nothing beyond the standard library is needed. A dimension
    none of whose items could be scored is labelled 未评分 (``unscored``) and drawn as a
    hollow grey mark, never as 0 %. Every label is XML-escaped.

    Examples:
        >>> from wushe.evaluation import Evidence, builtin_rubric, evaluate
        >>> from wushe.io import radar_svg
        >>> from wushe.models import SocialOrganization
        >>> org = SocialOrganization.model_validate({"organization_id": "o1",
        ...     "name": "金牛社工", "org_type": "social_service_institution"})
        >>> svg = radar_svg(evaluate(org, builtin_rubric("social_organization"), Evidence()))
        >>> svg.startswith("<svg") and "未评分" in svg
        True
    """
    e = html.escape
    count = len(report.dimensions)
    label = in_lang(lang, "维度得分雷达图", "Dimension scores radar chart")
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart radar" role="img" '
            f'viewBox="0 0 {_SVG_SIZE} {_SVG_SIZE}" width="{_SVG_SIZE}" height="{_SVG_SIZE}" '
            f'aria-label="{e(label)}" font-size="12" font-family="sans-serif">'
        ),
        f"<title>{e(label)}</title>",
    ]
    if count == 0:
        return "\n".join([*out, "</svg>"])
    for ring in (0.2, 0.4, 0.6, 0.8, 1.0):
        points = " ".join(
            f"{x:.1f},{y:.1f}"
            for x, y in (_spoke(i, count, ring * _SVG_RADIUS) for i in range(count))
        )
        out.append(f'<polygon points="{points}" fill="none" stroke="#ddd"/>')
    scored: list[tuple[float, float]] = []
    for i in range(count):
        out.extend(_spoke_svg(report, i, lang, scored))
    if scored:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in scored)
        out.append(
            f'<polygon points="{points}" fill="#c0392b" fill-opacity="0.25" '
            'stroke="#c0392b" stroke-width="2"/>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _spoke_svg(
    report: EvaluationReport, i: int, lang: Lang, scored: list[tuple[float, float]]
) -> list[str]:
    """Spoke ``i``: its line and label, and a hollow mark when nothing was scored.

    A scored dimension adds its point to ``scored`` for the filled polygon instead.
    """
    e = html.escape
    dim = report.dimensions[i]
    count = len(report.dimensions)
    x, y = _spoke(i, count, _SVG_RADIUS)
    centre = _SVG_SIZE / 2
    out = [
        f'<line x1="{centre}" y1="{centre}" x2="{x:.1f}" y2="{y:.1f}" stroke="#ccc"/>'
    ]
    name, value = _dimension_label(report, i, lang)
    lx, ly = _spoke(i, count, _SVG_RADIUS + 18)
    out.append(
        f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{_anchor(lx)}">'
        f'<tspan x="{lx:.1f}">{e(name)}</tspan>'
        f'<tspan x="{lx:.1f}" dy="1.2em" fill="#555">{e(value)}</tspan></text>'
    )
    if any(item.score is not None for item in dim.items):
        scored.append(_spoke(i, count, min(dim.share, 1.0) * _SVG_RADIUS))
    else:
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="none" stroke="#888" '
            'stroke-dasharray="2 2"/>'
        )
    return out
