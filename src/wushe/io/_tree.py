"""What the station-tree pictures say about each station, in one place (站点树标注).

The inline SVG and the PNG label a station the same way: its name, level and status
(已建/规划) and whether it meets the build standard or which items it misses. Areas with
no station hang under the station that should serve them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from wushe.network import compliance, coverage
from wushe.vocab import Lang, StationLevel, StationStatus, in_lang

if TYPE_CHECKING:  # pragma: no cover
    from wushe.network import BuildStandard, StationNetwork

__all__: list[str] = []  # used by the two drawings only

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


def say(key: str, lang: Lang) -> str:
    """A fixed label of the pictures in ``lang``."""
    return in_lang(lang, *_TEXT[key])


@attrs.frozen(kw_only=True)
class Gap:
    """An area with no station, hung under the station above it."""

    area_id: str
    name: str
    level: StationLevel


@attrs.frozen(kw_only=True)
class TreeFacts:
    """Each station's kind (ok, miss or planned) and label, and the gaps by anchor."""

    kinds: dict[str, str]
    labels: dict[str, str]
    gaps: dict[str, list[Gap]]


def tree_facts(
    network: StationNetwork,
    standard: BuildStandard | None,
    lang: Lang,
    *,
    show_level: bool = True,
    name_of: dict[str, str] | None = None,
) -> TreeFacts:
    """Label every station by name and status and find the gaps (站点标注).

    ``name_of`` replaces a station's name in its label (the PNG uses ids when no font can
    draw Chinese); ``show_level`` leaves the level out where the picture shows it already.
    """
    result = compliance(network, standard)
    rows = {r.station_id: r for r in result.rows}
    sep = in_lang(lang, "：", ": ")
    std = in_lang(lang, result.standard.zh, result.standard.name.replace("_", " "))
    kinds: dict[str, str] = {}
    labels: dict[str, str] = {}
    for st in network.stations:
        name = (name_of or {}).get(st.station_id, st.name)
        level = f" · {st.level.label(lang)}" if show_level else ""
        text = f"{name}{level} · {st.status.label(lang)}"
        row = rows.get(st.station_id)
        if st.status is StationStatus.PLANNED:
            kinds[st.station_id] = "planned"
        elif row is None or row.compliant:
            meets = in_lang(lang, f"{std}{say('ok', lang)}", f"{say('ok', lang)} {std}")
            kinds[st.station_id], text = "ok", f"{text} · {meets}"
        else:
            missing = in_lang(lang, "、", ", ").join(c.label(lang) for c in row.missing)
            kinds[st.station_id] = "miss"
            text = f"{text} · {say('missing', lang)}{sep}{missing}"
        labels[st.station_id] = text
    gaps: dict[str, list[Gap]] = {}
    for area in coverage(network).rows:
        if area.covered or area.level is StationLevel.COUNTY:
            continue
        anchor = anchor_of(network, area.division_code, area.level)
        if anchor is not None:
            gap = Gap(area_id=area.area_id, name=area.name, level=area.level)
            gaps.setdefault(anchor, []).append(gap)
    return TreeFacts(kinds=kinds, labels=labels, gaps=gaps)


def anchor_of(network: StationNetwork, code: str, level: StationLevel) -> str | None:
    """The station a gap hangs under: the nearest built or planned station above the area."""
    for station_id in network.stations_containing(code):
        if network.station(station_id).level.rank < level.rank:
            return station_id
    return None
