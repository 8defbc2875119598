"""District reports as Markdown and HTML (辖区报告).

A report is a list of :class:`Section` values — a title, a few lines of text and tables —
built from the engines' results by :func:`district_sections` and rendered by
:func:`sections_to_markdown` or :func:`sections_to_html`. Rendering returns strings; writing them is
the caller's choice. Reports hold ids, codes and counts, never a person's name or number.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from decimal import Decimal

import attrs

from wushe._literal import escape_markdown
from wushe.evaluation import EvaluationReport, MissingEvidence
from wushe.io._plan import explain_plan
from wushe.io._radar import radar_svg
from wushe.io._tree_svg import station_tree_svg
from wushe.matching import MatchPlan
from wushe.models import Dataset
from wushe.network import (
    Metric,
    StationNetwork,
    compliance,
    coverage,
    ledger_metrics,
    rollup,
)
from wushe.vocab import Lang, StationLevel, in_lang

__all__ = [
    "Section",
    "district_sections",
    "evaluation_section",
    "match_section",
    "sections_to_html",
    "sections_to_markdown",
]

_STYLE = (
    "<style>"
    "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;"
    "max-width:64rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}"
    "h2{margin-top:2rem;border-bottom:1px solid #ddd}"
    "table{border-collapse:collapse;margin:.5rem 0 1rem;width:100%;table-layout:auto}"
    "td,th{border:1px solid #ccc;padding:.3rem .5rem;overflow-wrap:anywhere;"
    "word-break:break-word;vertical-align:top}"
    "th{background:#f4f4f4;font-weight:600;text-align:center}"
    "td{text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "figure.chart{margin:1rem 0;max-width:100%;overflow-x:auto}"
    "svg.chart{max-width:100%;height:auto}"
    "</style></head><body>"
)


@attrs.frozen(kw_only=True)
class Section:
    """One part of a report: a title, text lines, tables and charts (报告章节)."""

    title: str
    """Heading of the section (标题)."""
    lines: tuple[str, ...] = ()
    """Paragraphs or bullet lines (starting ``"- "``), rendered in order under the title (正文)."""
    tables: tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]], ...] = ()
    """Tables as ``(headers, rows)``; cells are already formatted text (表格)."""
    figures: tuple[str, ...] = ()
    """Inline SVG charts drawn by wushe (:func:`wushe.io.station_tree_svg`,
    :func:`wushe.io.radar_svg`); the HTML page embeds them as they are, Markdown
    leaves them out (图表)."""


def _t(lang: Lang, en: str, zh: str) -> str:
    return in_lang(lang, zh, en)


def _collection(name: str, lang: Lang) -> str:
    doc = Dataset.model_fields[name].description or ""
    if lang == "en" or "(" not in doc:
        return name
    return doc.rsplit("(", 1)[-1].rstrip(").")


def rate_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def count_text(value: object) -> str:
    """A number for reading: thousands separators, at most two decimals."""
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, (float, Decimal)):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
        return text or "0"
    return str(value)


def _metric_label(metric: Metric, lang: Lang) -> str:
    """A metric's column heading: 小组活动场次 in Chinese, "group activity sessions" in English."""
    return in_lang(lang, metric.zh, metric.name.replace("_", " ").replace(".", " "))


def _overview(ds: Dataset, lang: Lang) -> Section:
    counts = tuple(
        (_collection(name, lang), count_text(len(ds.records(name)))) for name in ("divisions", "communities",
        "stations", "organizations", "workers", "volunteers", "recipients", "needs", "projects", "activities")
        if ds.records(name)
    )  # fmt: skip
    lines = []
    if ds.as_of:
        lines.append(_t(lang, f"Data as of {ds.as_of}.", f"数据日期：{ds.as_of}。"))
    if ds.synthetic:
        lines.append(
            _t(
                lang,
                "All people in this dataset are fictitious.",
                "本数据集中的人员均为虚构。",
            )
        )
    return Section(
        title=_t(lang, f"{ds.name} ({ds.division_code})", f"{ds.name}（区划代码 {ds.division_code}）"),
        lines=tuple(lines),
        tables=(((_t(lang, "collection", "数据集合"), _t(lang, "records", "记录数")), counts),),
    )  # fmt: skip


def _coverage(network: StationNetwork, lang: Lang) -> Section:
    cov = coverage(network)
    rows = tuple(
        (s.level.label(lang), count_text(s.areas), count_text(s.built), count_text(s.planned), rate_text(s.rate))
        for s in cov.summaries
    )  # fmt: skip
    gaps = cov.gaps
    more = len(gaps) - 20
    lines = [
        _t(lang, "Share of areas that have the station their tier calls for.",
           "各层级应建站点的区域中，已建站点的比例。"),
    ]  # fmt: skip
    if gaps:
        lines.append(
            _t(lang, f"{len(gaps):,} area(s) without a built station:",
               f"以下 {len(gaps):,} 个区域尚无已建站点：")
        )  # fmt: skip
        lines += [f"- {row.name}（{row.division_code}）" for row in gaps[:20]]
        if more > 0:
            lines.append(_t(lang, f"… and {more:,} more.", f"……另有 {more:,} 个。"))
    else:
        lines.append(_t(lang, "Every area has a built station.", "所有区域均已建站。"))
    headers = tuple(
        _t(lang, en, zh) for en, zh in (("level", "层级"), ("areas", "区域数"), ("built", "已建"),
        ("planned", "规划"), ("coverage", "覆盖率"))
    )  # fmt: skip
    return Section(
        title=_t(lang, "Coverage (build wherever required)", "覆盖情况（应建尽建）"),
        lines=tuple(lines),
        tables=((headers, rows),),
    )


def _compliance(network: StationNetwork, lang: Lang) -> Section:
    comp = compliance(network)
    sep = in_lang(lang, "、", ", ")
    rows = tuple(
        (s.level.label(lang), count_text(s.assessed), count_text(s.compliant), rate_text(s.rate),
         sep.join(f"{c.label(lang)} ({n:,})" for c, n in s.missing_counts if n) or "—")
        for s in comp.summaries
    )  # fmt: skip
    standard = in_lang(lang, comp.standard.zh, comp.standard.name.replace("_", " "))
    headers = tuple(
        _t(lang, en, zh) for en, zh in (("level", "层级"), ("assessed", "评估站点"),
        ("compliant", "达标"), ("rate", "达标率"), ("missing items (stations)", "缺项（站点数）"))
    )  # fmt: skip
    return Section(
        title=_t(lang, f"Build standard ({standard})", f"建设标准（{standard}）"),
        lines=(
            _t(lang, "Built stations that meet every item, and the items most often missing. "
               "The chart lists every station with its status.",
               "已建站点中各项均达标的比例，以及最常缺少的条目；下图列出每个站点及其状态。"),
        ),
        tables=((headers, rows),),
        figures=(station_tree_svg(network, lang=lang),),
    )  # fmt: skip


_ROLLUP_METRICS = (
    "case_service.sessions", "group_activity.sessions", "community_event.sessions",
    "volunteer_training.sessions", "policy_publicity.sessions", "care_visit.person_times",
    "served_person_times",
)  # fmt: skip


def _rollup(network: StationNetwork, lang: Lang) -> Section:
    metrics = ledger_metrics()
    roll = rollup(network, metrics=metrics)
    shown = [m for name in _ROLLUP_METRICS for m in metrics if m.name == name]
    streets = [s for s in network.stations if s.level is StationLevel.TOWNSHIP]
    headers = (_t(lang, "station", "站点"), *(_metric_label(m, lang) for m in shown))
    body = [
        (s.name, *(count_text(roll.total(s.station_id, m)) for m in shown))
        for s in streets
    ]
    body += [
        (_t(lang, f"{network.station(r).name} (total)", f"{network.station(r).name}（合计）"),
         *(count_text(roll.total(r, m)) for m in shown))
        for r in network.roots
    ]  # fmt: skip
    return Section(
        title=_t(lang, "Activity ledger roll-up", "活动台账汇总"),
        lines=(
            _t(
                lang,
                "Each station's total includes everything below it; no row is counted twice.",
                "各站点合计包含其下所有站点，任何台账记录只计一次。",
            ),
        ),
        tables=((headers, tuple(tuple(row) for row in body)),),
    )


def district_sections(
    ds: Dataset, network: StationNetwork, *, lang: Lang = "zh"
) -> tuple[Section, ...]:
    """Build the network part of a district report (辖区网络报告).

    Sections: what the dataset holds; coverage per level with the gaps (应建尽建);
    build-standard compliance with the most common missing items (六有) and the labelled
    station tree as inline SVG; and the ledger roll-up per street with the district total.
    Labels are Chinese by default (``lang="en"`` for English), numbers carry thousands
    separators and rates are percentages.
    """
    return (
        _overview(ds, lang),
        _coverage(network, lang),
        _compliance(network, lang),
        _rollup(network, lang),
    )


def match_section(
    needs: int, plan: MatchPlan, *, explain: Sequence[str] = (), lang: Lang = "zh"
) -> Section:
    """Summarise a match plan for a report (需求匹配章节).

    One sentence says how many needs were fully met and how many roles were filled or left
    open, instead of the solver's raw objective value; tables count assignments per role
    and open roles per reason, by their Chinese labels (English with ``lang="en"``), never
    their codes. The explanation of each need in ``explain`` follows
    (:func:`explain_plan`).
    """
    open_needs = {u.need_id for u in plan.unmatched}
    complete = max(needs - len(open_needs), 0)
    filled, still_open = len(plan.assignments), len(plan.unmatched)
    strategy = {"exact": "最优求解", "greedy": "贪心", "stable": "稳定匹配"}.get(
        plan.strategy, plan.strategy
    )
    line = _t(
        lang,
        f"Of {needs:,} needs, {complete:,} have every role filled; {filled:,} roles were "
        f"assigned and {still_open:,} remain open (strategy: {plan.strategy}).",
        f"共 {needs:,} 项需求，其中 {complete:,} 项所有角色均已落实；已匹配 {filled:,} 个角色，"
        f"{still_open:,} 个角色尚未落实（匹配方式：{strategy}）。",
    )
    by_role: dict[str, int] = {}
    for a in plan.assignments:
        by_role[a.role.label(lang)] = by_role.get(a.role.label(lang), 0) + 1
    reasons: dict[str, int] = {}
    for u in plan.unmatched:
        for r in u.reasons:
            reasons[r.label(lang)] = reasons.get(r.label(lang), 0) + 1
    ranked = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    explained = [
        text
        for need_id in explain
        for text in explain_plan(plan, need_id, lang=lang).splitlines()
    ]
    return Section(
        title=_t(lang, "Matching needs with the five actors", "需求匹配（五社联动）"),
        lines=(line, *explained),
        tables=(
            ((_t(lang, "role", "角色"), _t(lang, "assignments", "匹配数")),
             tuple((k, count_text(v)) for k, v in sorted(by_role.items()))),
            ((_t(lang, "why a role stays open", "未落实原因"), _t(lang, "open roles", "未落实角色数")),
             tuple((k, count_text(v)) for k, v in ranked)),
        ),
    )  # fmt: skip


def evaluation_section(report: EvaluationReport, *, lang: Lang = "zh") -> Section:
    """Summarise an evaluation for a report, with the radar chart (项目评估章节).

    The grade by its label (良好, not ``good``), the total as points of the maximum, one
    row per dimension with 未评分 where nothing could be scored, the rectification items
    and the radar chart as inline SVG.
    """
    if report.grade is not None:
        grade = report.grade.label(lang)
    else:
        grade = _t(lang, "not graded", "未定级")
    total = f"{count_text(report.total)} / {count_text(report.max_total)}"
    rows = []
    for d in report.dimensions:
        scored = any(item.score is not None for item in d.items)
        rows.append((
            in_lang(lang, d.name, d.name_en),
            count_text(d.score) if scored else _t(lang, "unscored", "未评分"),
            count_text(d.weight),
            rate_text(d.share) if scored else "—",
        ))  # fmt: skip
    lines = [
        _t(
            lang,
            f"Total {total} points; grade: {grade}.",
            f"总分 {total} 分，等级：{grade}。",
        )
    ]
    if report.missing:
        lines.append(
            _t(lang, "Not graded: evidence is missing for", "证据不全，不定级，缺少：")
        )
        colon = _t(lang, ": ", "：")
        names = {i.item_id: in_lang(lang, i.name, i.name_en) for i in report.items}
        lines += [
            f"- {names.get(m.item_id, m.item_id)}{colon}{_missing_text(m, lang)}"
            for m in report.missing
        ]
    if report.rectifications:
        lines.append(_t(lang, "Items to rectify:", "需整改的评分项："))
        colon = _t(lang, ": ", "：")
        lines += [f"- {r.name}{colon}{r.reason}" for r in report.rectifications]
    headers = tuple(
        _t(lang, en, zh) for en, zh in (("dimension", "维度"), ("score", "得分"), ("points", "分值"), ("share", "得分率"))
    )  # fmt: skip
    return Section(
        title=_t(
            lang,
            f"Evaluation: {report.subject_name}",
            f"项目评估：{report.subject_name}",
        ),
        lines=tuple(lines),
        tables=((headers, tuple(rows)),),
        figures=(radar_svg(report, lang=lang),),
    )


_MISSING_ZH = {
    "rating": "尚无评估人评分",
    "gate": "请记录是否符合参评条件",
    "targets": "没有可比较的合同目标",
}


def _missing_text(missing: MissingEvidence, lang: Lang) -> str:
    """What to supply, in ``lang``: an indicator's actual, a rating, a gate or targets."""
    zh = _MISSING_ZH.get(
        missing.missing, f"缺少指标“{missing.missing}”的实际值，请从台账或成效数据提供"
    )
    return in_lang(lang, zh, missing.message)


def sections_to_markdown(sections: Sequence[Section], *, title: str = "") -> str:
    """Render sections as Markdown (生成 Markdown 报告).

    Every title, line and cell is escaped, so names show as typed: no HTML, link, image or
    heading inside a name gets through, and a line break in a cell cannot end its row. A
    line starting with ``"- "`` is a bullet.
    """
    e = escape_markdown
    out: list[str] = [f"# {e(title)}", ""] if title else []
    for section in sections:
        out += [f"## {e(section.title)}", ""]
        for line in section.lines:
            out.append(f"- {e(line[2:])}" if line.startswith("- ") else e(line))
        out += [""] if section.lines else []
        for headers, rows in section.tables:
            out.append("| " + " | ".join(e(h) for h in headers) + " |")
            out.append("|" + "|".join("---" for _ in headers) + "|")
            out += ["| " + " | ".join(e(cell) for cell in row) + " |" for row in rows]
            out.append("")
    return "\n".join(out)


def sections_to_html(
    sections: Sequence[Section], *, title: str = "", lang: Lang = "zh"
) -> str:
    """Render sections as a self-contained HTML page (生成 HTML 报告).

    Each section is its heading, then its lines in order (consecutive ``"- "`` lines form
    one list, so an explanation sits right under the heading, before the list it
    explains), then its tables and charts. Tables take the page's width and wrap long
    cells, so the page fits a 1280-pixel window; charts are inline SVG whose text the
    browser draws. Every title, line and cell is HTML-escaped.
    """
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{in_lang(lang, "zh-CN", "en")}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)}</title>",
        _STYLE,
    ]
    if title:
        parts.append(f"<h1>{e(title)}</h1>")
    for section in sections:
        parts.append(f"<h2>{e(section.title)}</h2>")
        parts += _html_lines(section.lines)
        for headers, rows in section.tables:
            parts.append(
                "<table><thead><tr>"
                + "".join(f"<th>{e(h)}</th>" for h in headers)
                + "</tr></thead><tbody>"
            )
            parts += [
                "<tr>" + "".join(_html_cell(c) for c in row) + "</tr>" for row in rows
            ]
            parts.append("</tbody></table>")
        parts += [f'<figure class="chart">{svg}</figure>' for svg in section.figures]
    parts.append("</body></html>")
    return "\n".join(parts)


_NUMBER = re.compile(r"^[-+]?[\d,]+(\.\d+)?%?$|^—$")


def _html_cell(text: str) -> str:
    """A table cell: numbers and rates right-aligned, text left-aligned."""
    numeric = ' class="n"' if _NUMBER.match(text) else ""
    return f"<td{numeric}>{html.escape(text)}</td>"


def _html_lines(lines: Sequence[str]) -> list[str]:
    """Paragraphs and lists in the order written; consecutive bullets make one list."""
    e = html.escape
    out: list[str] = []
    bullets: list[str] = []
    for line in [*lines, ""]:
        if line.startswith("- "):
            bullets.append(f"<li>{e(line[2:])}</li>")
            continue
        if bullets:
            out.append("<ul>" + "".join(bullets) + "</ul>")
            bullets = []
        if line:
            out.append(f"<p>{e(line)}</p>")
    return out
