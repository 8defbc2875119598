"""Draw the station tree as a PNG, with the ``plot`` extra (站点树图).

Stations are labelled as in :func:`~wushe.io.station_tree_svg`: name and status,
and whether each meets the build standard or which items it misses.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from wushe._literal import cjk_font, literal_labels
from wushe.exceptions import MissingDependencyError
from wushe.io._tree import Gap, TreeFacts, say, tree_facts
from wushe.vocab import Lang, StationLevel, StationStatus, in_lang

if TYPE_CHECKING:  # pragma: no cover
    from wushe.network import BuildStandard, StationNetwork

__all__ = ["draw_station_tree"]

_MARKERS = {
    StationLevel.CITY: ("D", 140),
    StationLevel.COUNTY: ("s", 110),
    StationLevel.TOWNSHIP: ("o", 70),
    StationLevel.VILLAGE: ("o", 22),
    StationLevel.SCHOOL: ("^", 45),
    StationLevel.ELDERLY_INSTITUTION: ("v", 45),
}
_COLOURS = {"ok": "#2ca02c", "miss": "#ff7f0e", "planned": "#7f7f7f", "gap": "#d62728"}
_LABEL_LIMIT = 60
_TIERS = (("市级", "city"), ("总站", "hub"), ("街道（乡镇）", "township"),
          ("社区（村）", "village"), ("附设", "attached"))  # fmt: skip
"""Tier names by rank, from the city's -1 to the attached stations' 3."""


def _layout(
    network: StationNetwork, gaps: dict[str, list[Gap]]
) -> dict[str, tuple[float, float]]:
    """Tidy layout, tiers as columns as in the SVG: leaves top to bottom, parents centred."""
    position: dict[str, tuple[float, float]] = {}
    next_y = 0.0

    def place(node: str) -> float:
        nonlocal next_y
        kids = [c for c in network.children(node) if network.parent(c) == node]
        ys = [place(c) for c in kids]
        for gap in gaps.get(node, []):
            position[f"gap:{gap.area_id}"] = (float(gap.level.rank), next_y)
            ys.append(next_y)
            next_y -= 1.0
        if ys:
            y = sum(ys) / len(ys)
        else:
            y = next_y
            next_y -= 1.0
        position[node] = (float(network.station(node).level.rank), y)
        return y

    for root in network.roots:
        place(root)
        next_y -= 1.0
    return position


def draw_station_tree(
    network: StationNetwork,
    path: str | Path,
    *,
    standard: BuildStandard | None = None,
    show_gaps: bool = True,
    labels: bool | None = None,
    title: str | None = None,
    lang: Literal["auto", "zh", "en"] = "auto",
    dpi: int = 120,
) -> Path:
    """Draw the station tree, its coverage gaps and compliance to a PNG (绘制站点树).

    Each station is a marker in its tier's column (hub square, street station large dot,
    room small dot, school ▲, elderly institution ▼), green when it meets the build
    standard, orange when it misses an item, hollow grey when only planned. With
    ``show_gaps`` every township without a station and every community without a room is
    a red ✕ beside the station that should serve it. Labels name each station and its status, as the
    inline SVG does (``金牛区社会工作总站 · 已建 · 六有达标``); by default they are drawn
    when the network has at most 60 stations. Chinese needs a CJK font (see
    :func:`wushe.io.cjk_font`): without one, or with ``lang="en"``, labels are
    English and stations are named by id, never drawn as empty boxes.

    Args:
        network: The network to draw.
        path: Where to write the PNG; parent folders must exist.
        standard: Build standard for the colours; defaults to the network's.
        show_gaps: Whether to mark uncovered areas.
        labels: Whether to label the stations; ``None`` decides by size.
        title: Figure title; defaults to 站点网络图 and the dataset's name.
        lang: Label language; ``"auto"`` prefers Chinese when a CJK font exists.
        dpi: Resolution.

    Returns:
        The path written.

    Raises:
        MissingDependencyError: if matplotlib (extra ``plot``) is not installed.
    """
    try:
        # A bare Figure renders with the Agg canvas and leaves pyplot's global backend
        # and figure list alone, which matters inside a user's notebook.
        from matplotlib.figure import Figure  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - exercised without the extra
        package, extra, purpose = "matplotlib", "plot", "drawing the station tree"
        raise MissingDependencyError(package, extra, purpose) from exc
    font = cjk_font() if lang in ("auto", "zh") else None
    used: Lang = "zh" if font else "en"
    ids = None if font else {s.station_id: s.station_id for s in network.stations}
    facts = tree_facts(network, standard, used, show_level=False, name_of=ids)
    if not show_gaps:
        facts = TreeFacts(kinds=facts.kinds, labels=facts.labels, gaps={})
    text: dict[str, Any] = {"fontfamily": font} if font else {}
    # Station names and titles are drawn as typed: a "$" must not start math text.
    with literal_labels():
        position = _layout(network, facts.gaps)
        height = min(max(4.0, 0.28 * len(position)), 60.0)
        fig = Figure(figsize=(12.0, height))
        ax = fig.add_subplot()
        _draw_edges(ax, network, facts, position)
        _draw_stations(ax, network, facts, position)
        if labels if labels is not None else len(network) <= _LABEL_LIMIT:
            for sid, (x, y) in position.items():
                if sid in facts.labels:
                    ax.annotate(facts.labels[sid], (x, y), fontsize=7, va="center",
                                xytext=(8, 0), textcoords="offset points", **text)  # fmt: skip
        _frame(ax, network, used, font, title)
        fig.tight_layout()
        out = Path(path)
        fig.savefig(out, dpi=dpi)
        return out


def _frame(
    ax: Any, network: StationNetwork, used: Lang, font: str | None, title: str | None
) -> None:
    """The tier columns along the top, the title and the legend."""
    text: dict[str, Any] = {"fontfamily": font} if font else {}
    lo = min(0, *(s.level.rank for s in network.stations))
    ticks = list(range(lo, 4))
    ax.set_xticks(ticks, [in_lang(used, *_TIERS[t + 1]) for t in ticks], **text)
    ax.xaxis.tick_top()
    ax.set_xlim(lo - 0.3, 6.5)
    ax.set_yticks([])
    place = network.dataset.name if font else network.dataset.division_code
    heading = title or f"{say('title', used)} · {place}"
    ax.set_title(heading, **text)
    prop = {"family": font, "size": 7} if font else {"size": 7}
    ax.legend(handles=_legend(used), loc="lower right", prop=prop)


def _draw_edges(
    ax: Any,
    network: StationNetwork,
    facts: TreeFacts,
    position: dict[str, tuple[float, float]],
) -> None:
    """Parent–child lines (dotted to a planned station) and red dotted lines to gaps."""
    for parent, child in network.graph.edges:
        (x0, y0), (x1, y1) = position[parent], position[child]
        planned = network.station(child).status is StationStatus.PLANNED
        ax.plot(
            [x0, x1],
            [y0, y1],
            color="#999999",
            lw=0.6,
            ls=":" if planned else "-",
            zorder=1,
        )
    for anchor, gaps in facts.gaps.items():
        for gap in gaps:
            (x0, y0), (x1, y1) = position[anchor], position[f"gap:{gap.area_id}"]
            ax.plot([x0, x1], [y0, y1], color=_COLOURS["gap"], lw=0.4, ls=":", zorder=1)
            ax.scatter([x1], [y1], marker="x", s=30, color=_COLOURS["gap"], zorder=2)


def _draw_stations(
    ax: Any,
    network: StationNetwork,
    facts: TreeFacts,
    position: dict[str, tuple[float, float]],
) -> None:
    """One marker per station: its tier's shape, coloured by its kind."""
    for s in network.stations:
        marker, size = _MARKERS[s.level]
        x, y = position[s.station_id]
        kind = facts.kinds[s.station_id]
        if kind == "planned":
            ax.scatter([x], [y], marker=marker, s=size, facecolors="none",
                       edgecolors=_COLOURS["planned"], zorder=3)  # fmt: skip
        else:
            ax.scatter([x], [y], marker=marker, s=size, color=_COLOURS[kind], zorder=3)


def _legend(lang: Lang) -> list[Any]:
    from matplotlib.lines import Line2D  # noqa: PLC0415 - optional dependency

    def entry(key: str, colour: str, **style: Any) -> Any:
        return Line2D([], [], ls="", label=say(key, lang), color=colour, **style)

    return [
        entry("legend_ok", _COLOURS["ok"], marker="o"),
        entry("legend_miss", _COLOURS["miss"], marker="o"),
        entry(
            "legend_planned", _COLOURS["planned"], marker="o", markerfacecolor="none"
        ),
        entry("legend_gap", _COLOURS["gap"], marker="x"),
    ]
