"""The station tree as inline SVG, with no dependency (站点树 SVG)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from wushe.io._tree import say, tree_facts
from wushe.vocab import Lang, StationLevel, in_lang

if TYPE_CHECKING:  # pragma: no cover
    from wushe.network import BuildStandard, StationNetwork

__all__ = ["station_tree_svg"]

_ROW = 22
_INDENT = 22
_SVG_WIDTH = 900
_DETAIL_LIMIT = 80


def _tree_rows(
    network: StationNetwork, standard: BuildStandard | None, lang: Lang
) -> list[tuple[int, str, str]]:
    """``(depth, kind, text)`` rows in tree order; kind is ok, miss, planned or gap.

    Every station is listed when the network is small; in a large one the stations below
    a street are summarised as counts, so the picture stays readable.
    """
    facts = tree_facts(network, standard, lang)
    detail = len(network) <= _DETAIL_LIMIT
    sep = in_lang(lang, "：", ": ")
    out: list[tuple[int, str, str]] = []

    def visit(sid: str, depth: int) -> None:
        out.append((depth, facts.kinds[sid], facts.labels[sid]))
        kids = [c for c in network.children(sid) if network.parent(c) == sid]
        gaps = facts.gaps.get(sid, [])
        if detail or network.station(sid).level.rank < StationLevel.TOWNSHIP.rank:
            for kid in kids:
                visit(kid, depth + 1)
            out.extend(
                (depth + 1, "gap", f"{say('gap', lang)}{sep}{g.name}") for g in gaps
            )
            return
        if kids or gaps:
            kinds = [facts.kinds[k] for k in kids]
            counts = in_lang(lang, "，", ", ").join(
                f"{say(key, lang)} {n}"
                for key, n in (("legend_ok", kinds.count("ok")),
                               ("legend_miss", kinds.count("miss")),
                               ("legend_planned", kinds.count("planned")),
                               ("legend_gap", len(gaps)))
                if n
            )  # fmt: skip
            out.append(
                (depth + 1, "summary", f"{say('rooms', lang)} {len(kids)}{sep}{counts}")
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
    lang: Lang = "zh",
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
    heading = title or f"{say('title', lang)} · {network.dataset.name}"
    height = _ROW * (len(rows) + 3)
    out = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart station-tree" role="img" '
            f'viewBox="0 0 {_SVG_WIDTH} {height}" width="{_SVG_WIDTH}" height="{height}" '
            f'aria-label="{e(heading)}" font-size="13" font-family="sans-serif">'
        ),
        f"<title>{e(heading)}</title>",
        f'<text x="4" y="16" font-weight="bold">{e(heading)}</text>',
        *_legend_svg(lang),
    ]
    for i, (depth, kind, text) in enumerate(rows):
        out.extend(_row_svg(i, depth, kind, text))
    out.append("</svg>")
    return "\n".join(out)


def _legend_svg(lang: Lang) -> list[str]:
    """The legend line: one mark and its meaning per kind."""
    legend = [
        ("ok", "legend_ok"),
        ("miss", "legend_miss"),
        ("planned", "legend_planned"),
        ("gap", "legend_gap"),
    ]
    out: list[str] = []
    x = 10.0
    for kind, key in legend:
        out.append(_mark(kind, x + 4, 38))
        out.append(f'<text x="{x + 16}" y="42">{html.escape(say(key, lang))}</text>')
        x += 30 + 14 * len(say(key, lang)) * in_lang(lang, 1, 0.5)
    return out


def _row_svg(i: int, depth: int, kind: str, text: str) -> list[str]:
    """Row ``i`` of the tree: the line from its parent, its mark and its label."""
    out: list[str] = []
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
    out.append(f'<text x="{mx + 12}" y="{y + 4}"{colour}>{html.escape(text)}</text>')
    return out
