"""Radar chart of dimension scores, with the ``plot`` extra (雷达图)."""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Any, Literal

import attrs

from wushe._literal import literal_labels
from wushe.evaluation._report import EvaluationReport
from wushe.exceptions import MissingDependencyError

__all__ = ["RadarChart", "cjk_font", "radar_chart"]


@attrs.frozen(kw_only=True)
class RadarChart:
    """What :func:`radar_chart` drew (雷达图结果)."""

    path: Path
    """The PNG written (图片路径)."""
    lang: Literal["zh", "en"]
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


@functools.cache
def cjk_font() -> str | None:
    """The name of an installed font that can draw Chinese, or ``None`` (中文字体探测).

    Checks each font matplotlib knows for three distinct glyphs of 社, 工 and 站, so any
    CJK font counts (Noto Sans CJK, WenQuanYi, Source Han …) whatever its name, while
    fallback fonts that draw one placeholder box for everything do not.

    Raises:
        MissingDependencyError: without the ``plot`` extra.
    """
    _matplotlib()
    from matplotlib import font_manager  # noqa: PLC0415 - optional dependency
    from matplotlib.ft2font import FT2Font  # noqa: PLC0415 - optional dependency

    for entry in sorted(font_manager.fontManager.ttflist, key=lambda f: f.name):
        try:
            face = FT2Font(entry.fname)
        except (OSError, RuntimeError):  # unreadable font files are skipped
            continue
        glyphs = {face.get_char_index(ord(char)) for char in "社工站"}
        # Fallback fonts such as "Last Resort" map every character to one placeholder box.
        if 0 not in glyphs and len(glyphs) == 3:
            return str(entry.name)
    return None


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

    font = cjk_font() if lang != "en" else None
    used: Literal["zh", "en"] = "zh" if font else "en"
    dims = report.dimensions
    labels = [d.name if used == "zh" else d.name_en for d in dims]
    shares = [100 * d.share for d in dims]
    count = len(dims)
    angles = [2 * math.pi * i / count for i in range(count)]

    # Names and ids are drawn as typed: a "$" must not start math text.
    with literal_labels():
        fig = Figure(figsize=(6, 6), dpi=100)
        FigureCanvasAgg(fig)
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
            [
                f"{label}\n{share:.0f}%"
                for label, share in zip(labels, shares, strict=True)
            ],
            fontsize=10,
            **text_props,
        )
        if report.grade is not None:
            grade = report.grade.zh if used == "zh" else report.grade.value
        else:
            grade = "未定级" if used == "zh" else "not graded"
        title = f"{report.subject_name if used == 'zh' else report.subject_id}\n"
        title += f"{report.total:.1f} / {report.max_total:g} · {grade}"
        ax.set_title(title, fontsize=12, pad=24, **text_props)
        fig.tight_layout()
        target = Path(path)
        fig.savefig(target, format="png")
    return RadarChart(path=target, lang=used, font=font)
