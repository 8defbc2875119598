"""The care-visit part of a report (关爱巡访章节).

One builder, :func:`care_section`, for ``wushe care`` and the report ``wushe demo``
writes. It holds recipient ids, counts and rates, never a name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from wushe.care import CareWarning, DueVisit, VisitPolicy, VisitRateRow
from wushe.io._render import Section, count_text, rate_text
from wushe.network import StationNetwork
from wushe.vocab import Lang, in_lang

__all__ = ["care_section"]


def care_section(
    *,
    network: StationNetwork,
    policy: VisitPolicy,
    late: Sequence[DueVisit],
    warnings: Sequence[CareWarning],
    rates: Sequence[VisitRateRow],
    as_of: date,
    top: int = 0,
    lang: Lang = "zh",
) -> Section:
    """Summarise care visits and early warnings for a report (关爱巡访与预警章节).

    One sentence gives the visit person-times over ``rates``' periods (counted at the
    network's roots, so nothing twice) and how many recipients are overdue on ``as_of``
    under ``policy``. Tables: the ``top`` most overdue recipients by id (none when ``top``
    is 0), warnings per kind by label, and each street's visit rate in the last period.
    """
    roots = set(network.roots)
    person_times = sum(r.person_times for r in rates if r.station_id in roots)
    first = min((r.start for r in rates), default=as_of)
    last = max((r.start for r in rates), default=as_of)
    line = in_lang(
        lang,
        f"{first} 起巡访 {person_times:,} 人次；截至 {as_of} 逾期未访 {len(late):,} 人"
        f"（巡访政策：{policy.name}）。",
        f"{person_times:,} visit person-times since {first}; {len(late):,} recipient(s) "
        f"overdue on {as_of} (policy: {policy.name}, {policy.source}).",
    )
    tables: list[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]] = []
    if top > 0:
        headers = _headers(lang, ("recipient", "服务对象"), ("tier", "等级"),
                           ("due", "应访日期"), ("days late", "逾期天数"), ("station", "责任站点"))  # fmt: skip
        tiers = {t.code: in_lang(lang, t.name, t.code) for t in policy.tiers}
        rows = tuple(
            (d.recipient_id, tiers.get(d.tier, d.tier), str(d.due_on),
             count_text(d.overdue_days), d.station_id or "—")
            for d in late[:top]
        )  # fmt: skip
        tables.append((headers, rows))
    kinds: dict[str, int] = {}
    for w in warnings:
        kinds[w.code.label(lang)] = kinds.get(w.code.label(lang), 0) + 1
    tables.append((
        _headers(lang, ("warning", "预警类型"), ("recipients", "人数")),
        tuple((k, count_text(v)) for k, v in sorted(kinds.items())),
    ))  # fmt: skip
    streets = {s.station_id for s in network.stations if s.level.rank <= 1}
    tables.append((
        _headers(lang, ("station", "站点"), ("due", "应访"), ("visited", "已访"),
                 (f"rate {last:%Y-%m}", f"{last:%Y-%m} 巡访率"), ("person-times", "人次")),
        tuple((network.station(r.station_id).name, count_text(r.due), count_text(r.visited),
               rate_text(r.rate), count_text(r.person_times))
              for r in rates if r.station_id in streets and r.start == last),
    ))  # fmt: skip
    return Section(
        title=in_lang(lang, "关爱巡访与预警", "Care visits and early warning"),
        lines=(line,),
        tables=tuple(tables),
    )


def _headers(lang: Lang, *pairs: tuple[str, str]) -> tuple[str, ...]:
    return tuple(in_lang(lang, zh, en) for en, zh in pairs)
