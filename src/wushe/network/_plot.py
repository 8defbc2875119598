"""Draw the station tree to a PNG (站点树图); needs the ``plot`` extra."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from wushe._literal import literal_labels
from wushe.exceptions import MissingDependencyError
from wushe.vocab import StationLevel, StationStatus

if TYPE_CHECKING:  # pragma: no cover
    from wushe.network._network import StationNetwork
    from wushe.network._standard import BuildStandard

__all__ = ["draw_station_tree"]

_MARKERS = {
    StationLevel.COUNTY: ("s", 110),
    StationLevel.TOWNSHIP: ("o", 70),
    StationLevel.VILLAGE: ("o", 22),
    StationLevel.SCHOOL: ("^", 45),
    StationLevel.ELDERLY_INSTITUTION: ("v", 45),
}
_LABEL_LIMIT = 60


def _layout(
    network: StationNetwork, gaps: dict[str, list[tuple[str, int]]]
) -> dict[str, tuple[float, float]]:
    """Tidy layout on the primary-parent tree: leaves left to right, parents centred."""
    position: dict[str, tuple[float, float]] = {}
    next_x = 0.0

    def place(node: str) -> float:
        nonlocal next_x
        kids = [c for c in network.children(node) if network.parent(c) == node]
        xs = [place(c) for c in kids]
        for gap, rank in gaps.get(node, []):
            position[gap] = (next_x, -float(rank))
            xs.append(next_x)
            next_x += 1.0
        if xs:
            x = sum(xs) / len(xs)
        else:
            x = next_x
            next_x += 1.0
        position[node] = (x, -float(network.station(node).level.rank))
        return x

    for root in network.roots:
        place(root)
        next_x += 1.0
    return position


def draw_station_tree(
    network: StationNetwork,
    path: str | Path,
    *,
    standard: BuildStandard | None = None,
    show_gaps: bool = True,
    labels: bool | None = None,
    title: str | None = None,
    dpi: int = 120,
) -> Path:
    """Draw the station tree, its coverage gaps and compliance to a PNG (绘制站点树).

    Each station is a marker on its tier's row (hub square, street station large dot,
    room small dot, school ▲, elderly institution ▼), green when it meets the build
    standard, orange when it misses an item, hollow grey when only planned. With
    ``show_gaps`` every township without a station and every community without a room is
    a red ✕ under the station above it. Labels are station ids (ASCII, so no CJK font is
    needed); by default they are drawn when the network has at most 60 stations.

    Args:
        network: The network to draw.
        path: Where to write the PNG; parent folders must exist.
        standard: Build standard for the colours; defaults to the network's.
        show_gaps: Whether to mark uncovered areas.
        labels: Whether to write station ids; ``None`` decides by size.
        title: Figure title; defaults to the dataset's division code.
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
        from matplotlib.lines import Line2D  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - exercised without the extra
        package, extra, purpose = "matplotlib", "plot", "drawing the station tree"
        raise MissingDependencyError(package, extra, purpose) from exc
    from wushe.network._compliance import compliance  # noqa: PLC0415
    from wushe.network._coverage import coverage  # noqa: PLC0415

    result = compliance(network, standard)
    ok = {r.station_id for r in result.rows if r.compliant}
    gaps: dict[str, list[tuple[str, int]]] = {}
    if show_gaps:
        for row in coverage(network).rows:
            if row.covered or row.level is StationLevel.COUNTY:
                continue
            anchor = _anchor(network, row.division_code, row.level)
            if anchor is not None:
                gaps.setdefault(anchor, []).append(
                    (f"gap:{row.area_id}", row.level.rank)
                )
    # Station ids and titles are drawn as typed: a "$" must not start math text.
    with literal_labels():
        position = _layout(network, gaps)
        width = min(max(6.0, 0.18 * len(position)), 40.0)
        fig = Figure(figsize=(width, 5.0))
        ax = fig.add_subplot()
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
        for anchor, names in gaps.items():
            for name, _ in names:
                (x0, y0), (x1, y1) = position[anchor], position[name]
                ax.plot([x0, x1], [y0, y1], color="#d62728", lw=0.4, ls=":", zorder=1)
                ax.scatter([x1], [y1], marker="x", s=30, color="#d62728", zorder=2)
        for s in network.stations:
            marker, size = _MARKERS[s.level]
            x, y = position[s.station_id]
            if s.status is StationStatus.PLANNED:
                ax.scatter(
                    [x],
                    [y],
                    marker=marker,
                    s=size,
                    facecolors="none",
                    edgecolors="#7f7f7f",
                    zorder=3,
                )
            else:
                colour = "#2ca02c" if s.station_id in ok else "#ff7f0e"
                ax.scatter([x], [y], marker=marker, s=size, color=colour, zorder=3)
        show = labels if labels is not None else len(network) <= _LABEL_LIMIT
        if show:
            for s in network.stations:
                x, y = position[s.station_id]
                ax.annotate(
                    s.station_id,
                    (x, y),
                    fontsize=6,
                    rotation=60,
                    xytext=(2, 4),
                    textcoords="offset points",
                )
        ax.set_yticks([0, -1, -2, -3], ["hub", "township", "village", "attached"])
        ax.set_xticks([])
        ax.set_title(title or f"Station network {network.dataset.division_code}")
        handles = [
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                color="#2ca02c",
                label=f"meets {result.standard.name}",
            ),
            Line2D([], [], marker="o", ls="", color="#ff7f0e", label="misses an item"),
            Line2D(
                [],
                [],
                marker="o",
                ls="",
                markerfacecolor="none",
                markeredgecolor="#7f7f7f",
                label="planned",
            ),
            Line2D(
                [], [], marker="x", ls="", color="#d62728", label="no station (gap)"
            ),
        ]
        ax.legend(handles=handles, loc="upper right", fontsize=7)
        fig.tight_layout()
        out = Path(path)
        fig.savefig(out, dpi=dpi)
        return out


def _anchor(network: StationNetwork, code: str, level: StationLevel) -> str | None:
    """The station a gap hangs under: the nearest built or planned station above the area."""
    candidates = [
        s
        for s in network.stations
        if s.level.is_geographic
        and s.level.rank < level.rank
        and code.startswith(s.division_code)
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda s: (s.level.rank, s.station_id))
    return best.station_id
