"""Draw the station tree: inline SVG with no dependency, or a PNG with the ``plot`` extra (站点树图)."""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from wushe._literal import literal_labels
from wushe.exceptions import MissingDependencyError
from wushe.network._network import _inside
from wushe.vocab import StationLevel, StationStatus

if TYPE_CHECKING:  # pragma: no cover
    from wushe.network._network import StationNetwork
    from wushe.network._standard import BuildStandard

__all__ = ["draw_station_tree", "station_tree_svg"]

_MARKERS = {
    StationLevel.CITY: ("D", 140),
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
        and _inside(s.division_code, code)
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda s: (s.level.rank, s.station_id))
    return best.station_id


_ROW = 22
_INDENT = 22
_SVG_WIDTH = 900
_DETAIL_LIMIT = 80
_TEXT = {
    "ok": ("达标", "meets"),
    "missing": ("缺", "missing"),
    "gap": ("尚无站点", "no station"),
    "rooms": ("下辖站点", "stations below"),
    "legend_ok": ("已建·达标", "built, meets"),
    "legend_miss": ("已建·有缺项", "built, misses an item"),
    "legend_planned": ("规划", "planned"),
    "legend_gap": ("尚无站点（缺口）", "no station (gap)"),
    "title": ("站点网络图", "Station network"),
}


def _say(key: str, lang: str) -> str:
    zh, en = _TEXT[key]
    return zh if lang == "zh" else en


def _tree_rows(
    network: StationNetwork, standard: BuildStandard | None, lang: str
) -> list[tuple[int, str, str]]:
    """``(depth, kind, text)`` rows in tree order; kind is ok, miss, planned or gap.

    Every station is listed when the network is small; in a large one the stations below
    a street are summarised as counts, so the picture stays readable.
    """
    from wushe.network._compliance import compliance  # noqa: PLC0415
    from wushe.network._coverage import coverage  # noqa: PLC0415

    result = compliance(network, standard)
    rows_by_id = {r.station_id: r for r in result.rows}
    gaps: dict[str, list[str]] = {}
    for row in coverage(network).rows:
        if not row.covered and row.level is not StationLevel.COUNTY:
            anchor = _anchor(network, row.division_code, row.level)
            if anchor is not None:
                gaps.setdefault(anchor, []).append(row.name)
    detail = len(network) <= _DETAIL_LIMIT
    sep = "：" if lang == "zh" else ": "
    out: list[tuple[int, str, str]] = []

    def describe(sid: str) -> tuple[str, str]:
        st = network.station(sid)
        text = f"{st.name} · {st.level.label(lang)} · {st.status.label(lang)}"
        if st.status is StationStatus.PLANNED:
            return "planned", text
        row = rows_by_id.get(sid)
        if row is None or row.compliant:
            std = (
                result.standard.zh
                if lang == "zh"
                else result.standard.name.replace("_", " ")
            )
            return "ok", f"{text} · {std}{_say('ok', lang)}"
        missing = "、".join(c.label(lang) for c in row.missing)
        return "miss", f"{text} · {_say('missing', lang)}{sep}{missing}"

    def visit(sid: str, depth: int) -> None:
        kind, text = describe(sid)
        out.append((depth, kind, text))
        kids = [c for c in network.children(sid) if network.parent(c) == sid]
        if detail or network.station(sid).level.rank < StationLevel.TOWNSHIP.rank:
            for kid in kids:
                visit(kid, depth + 1)
            out.extend(
                (depth + 1, "gap", f"{_say('gap', lang)}{sep}{g}")
                for g in gaps.get(sid, [])
            )
            return
        if kids or gaps.get(sid):
            kinds = [describe(k)[0] for k in kids]
            counts = "，".join(
                f"{_say(key, lang)} {n}"
                for key, n in (("legend_ok", kinds.count("ok")),
                               ("legend_miss", kinds.count("miss")),
                               ("legend_planned", kinds.count("planned")),
                               ("legend_gap", len(gaps.get(sid, []))))
                if n
            )  # fmt: skip
            out.append(
                (
                    depth + 1,
                    "summary",
                    f"{_say('rooms', lang)} {len(kids)}{sep}{counts}",
                )
            )

    for root in network.roots:
        visit(root, 0)
    return out


_MARK = {
    "ok": '<circle cx="{x}" cy="{y}" r="6" fill="#2ca02c"/>',
    "miss": '<circle cx="{x}" cy="{y}" r="6" fill="#ff7f0e"/>',
    "planned": '<circle cx="{x}" cy="{y}" r="5.5" fill="none" stroke="#7f7f7f" stroke-width="1.5" stroke-dasharray="2 2"/>',
    "gap": '<path d="M{x0} {y0}L{x1} {y1}M{x0} {y1}L{x1} {y0}" stroke="#d62728" stroke-width="2"/>',
    "summary": '<rect x="{x0}" y="{y0}" width="10" height="10" fill="#ccc"/>',
}


def _mark(kind: str, x: float, y: float) -> str:
    return _MARK[kind].format(x=x, y=y, x0=x - 5, y0=y - 5, x1=x + 5, y1=y + 5)


def station_tree_svg(
    network: StationNetwork,
    *,
    standard: BuildStandard | None = None,
    lang: str = "zh",
    title: str | None = None,
) -> str:
    """Draw the station tree as inline SVG, labelled with names and status (站点树 SVG).

    One line per station, indented under the station above it: its name, level and
    status (已建/规划), with a green dot when it meets the build standard (六有), an
    orange dot and the missing items when it does not, and a hollow grey ring when only
    planned; areas with no station are red ✕ lines under the station that should serve
    them. Networks of more than 80 stations list the hub and street stations and give
    counts for what lies below each street. Labels are SVG text, so the reader's browser
    draws the Chinese; no font or plotting library is needed. Every label is XML-escaped.

    Args:
        network: The network to draw.
        standard: Build standard for the colours; defaults to the network's.
        lang: ``"zh"`` (default) or ``"en"`` for the labels.
        title: Title; defaults to 站点网络图 and the dataset's name.
    """
    e = html.escape
    rows = _tree_rows(network, standard, lang)
    heading = title or f"{_say('title', lang)} · {network.dataset.name}"
    legend = [
        ("ok", "legend_ok"),
        ("miss", "legend_miss"),
        ("planned", "legend_planned"),
        ("gap", "legend_gap"),
    ]
    height = _ROW * (len(rows) + 3)
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart station-tree" role="img" '
            f'viewBox="0 0 {_SVG_WIDTH} {height}" width="{_SVG_WIDTH}" height="{height}" '
            f'aria-label="{e(heading)}" font-size="13" font-family="sans-serif">'
        ),
        f"<title>{e(heading)}</title>",
        f'<text x="4" y="16" font-weight="bold">{e(heading)}</text>',
    ]
    x = 10.0
    for kind, key in legend:
        out.append(_mark(kind, x + 4, 38))
        out.append(f'<text x="{x + 16}" y="42">{e(_say(key, lang))}</text>')
        x += 30 + 14 * len(_say(key, lang)) * (1 if lang == "zh" else 0.5)
    for i, (depth, kind, text) in enumerate(rows):
        y = _ROW * (i + 3)
        mx = 12 + depth * _INDENT
        if depth:
            out.append(
                f'<path d="M{mx - _INDENT + 4} {y - _ROW + 7}V{y}H{mx - 8}" fill="none" stroke="#bbb"/>'
            )
        out.append(_mark(kind, mx, y))
        colour = (
            ' fill="#d62728"'
            if kind == "gap"
            else ' fill="#555"'
            if kind == "summary"
            else ""
        )
        out.append(f'<text x="{mx + 12}" y="{y + 4}"{colour}>{e(text)}</text>')
    out.append("</svg>")
    return "\n".join(out)
