"""District reports as Markdown and HTML (辖区报告).

A report is a list of :class:`Section` values — a title, a few lines of text and tables —
built from the engines' results by :func:`district_sections` and rendered by
:func:`sections_to_markdown` or :func:`sections_to_html`. Rendering returns strings; writing them is
the caller's choice. Reports hold ids, codes and counts, never a person's name or number.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Literal

import attrs

from wushe._literal import escape_markdown
from wushe.models import Dataset
from wushe.network import StationNetwork, compliance, coverage, ledger_metrics, rollup
from wushe.vocab import StationLevel

__all__ = ["Section", "district_sections", "sections_to_html", "sections_to_markdown"]

Lang = Literal["zh", "en"]
_STYLE = (
    "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
    "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .6rem}"
    "td{text-align:right}td:first-child{text-align:left}</style></head><body>"
)


@attrs.frozen(kw_only=True)
class Section:
    """One part of a report: a title, text lines and tables (报告章节)."""

    title: str
    """Heading of the section (标题)."""
    lines: tuple[str, ...] = ()
    """Paragraphs or bullet lines, rendered in order (正文)."""
    tables: tuple[tuple[tuple[str, ...], tuple[tuple[str, ...], ...]], ...] = ()
    """Tables as ``(headers, rows)``; cells are already formatted text (表格)."""


def _t(lang: Lang, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def _collection(name: str, lang: Lang) -> str:
    doc = Dataset.model_fields[name].description or ""
    if lang == "en" or "(" not in doc:
        return name
    return doc.rsplit("(", 1)[-1].rstrip(").")


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def district_sections(
    ds: Dataset, network: StationNetwork, *, lang: Lang = "zh"
) -> tuple[Section, ...]:
    """Build the network part of a district report (辖区网络报告).

    Sections: what the dataset holds; coverage per level with the gaps (应建尽建);
    build-standard compliance with the most common missing items (六有); and the ledger
    roll-up per street with the district total.
    """
    counts = tuple(
        (_collection(name, lang), str(len(ds.records(name)))) for name in ("divisions", "communities", "stations",
        "organizations", "workers", "volunteers", "recipients", "needs", "projects", "activities")
        if ds.records(name)
    )  # fmt: skip
    overview = Section(
        title=_t(
            lang, f"{ds.name} ({ds.division_code})", f"{ds.name}（{ds.division_code}）"
        ),
        lines=tuple(
            line
            for line in (
                _t(lang, f"Data as of {ds.as_of}.", f"数据日期：{ds.as_of}。")
                if ds.as_of
                else "",
                _t(
                    lang,
                    "All people in this dataset are fictitious.",
                    "本数据集中的人员均为虚构。",
                )
                if ds.synthetic
                else "",
            )
            if line
        ),
        tables=(
            (
                (_t(lang, "collection", "数据集合"), _t(lang, "records", "记录数")),
                counts,
            ),
        ),
    )
    cov = coverage(network)
    cov_rows = tuple(
        (
            s.level.zh if lang == "zh" else s.level.en,
            str(s.areas),
            str(s.built),
            str(s.planned),
            _rate(s.rate),
        )
        for s in cov.summaries
    )
    gaps = cov.gaps
    coverage_section = Section(
        title=_t(lang, "Coverage (build wherever required)", "覆盖情况（应建尽建）"),
        lines=(
            _t(
                lang,
                f"{len(gaps)} area(s) without a built station.",
                f"{len(gaps)} 个区域尚无已建站点。",
            ),
            *(f"- {row.name} ({row.division_code})" for row in gaps[:20]),
        ),
        tables=(
            (
                (
                    _t(lang, "level", "层级"),
                    _t(lang, "areas", "区域数"),
                    _t(lang, "built", "已建"),
                    _t(lang, "planned", "规划"),
                    _t(lang, "rate", "覆盖率"),
                ),
                cov_rows,
            ),
        ),
    )
    comp = compliance(network)
    comp_rows = tuple(
        (
            s.level.zh if lang == "zh" else s.level.en,
            str(s.assessed),
            str(s.compliant),
            _rate(s.rate),
            "、".join(f"{c.zh}（{n}）" for c, n in s.missing_counts if n) or "—",
        )
        for s in comp.summaries
    )
    compliance_section = Section(
        title=_t(
            lang,
            f"Build standard ({comp.standard.name})",
            f"建设标准（{comp.standard.zh}）",
        ),
        tables=(
            (
                (
                    _t(lang, "level", "层级"),
                    _t(lang, "assessed", "评估站点"),
                    _t(lang, "compliant", "达标"),
                    _t(lang, "rate", "达标率"),
                    _t(lang, "missing items", "缺项"),
                ),
                comp_rows,
            ),
        ),
    )
    metrics = ledger_metrics()
    roll = rollup(network, metrics=metrics)
    wanted = (
        "case_service.sessions", "group_activity.sessions", "community_event.sessions",
        "volunteer_training.sessions", "policy_publicity.sessions", "care_visit.person_times",
        "served_person_times",
    )  # fmt: skip
    shown = [m for name in wanted for m in metrics if m.name == name]
    streets = [s for s in network.stations if s.level is StationLevel.TOWNSHIP]
    roots = list(network.roots)
    headers = (
        _t(lang, "station", "站点"),
        *(m.zh if lang == "zh" else m.name for m in shown),
    )
    body = [
        (s.name, *(f"{roll.total(s.station_id, m)}" for m in shown)) for s in streets
    ]
    body += [
        (_t(lang, f"{network.station(r).name} (total)", f"{network.station(r).name}（合计）"),
         *(f"{roll.total(r, m)}" for m in shown))
        for r in roots
    ]  # fmt: skip
    rollup_section = Section(
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
    return overview, coverage_section, compliance_section, rollup_section


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
    """Render sections as a self-contained HTML page (生成 HTML 报告)."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        _STYLE,
    ]
    if title:
        parts.append(f"<h1>{e(title)}</h1>")
    for section in sections:
        parts.append(f"<h2>{e(section.title)}</h2>")
        bullets = [line[2:] for line in section.lines if line.startswith("- ")]
        parts += [
            f"<p>{e(line)}</p>" for line in section.lines if not line.startswith("- ")
        ]
        if bullets:
            parts.append(
                "<ul>" + "".join(f"<li>{e(b)}</li>" for b in bullets) + "</ul>"
            )
        for headers, rows in section.tables:
            parts.append(
                "<table><thead><tr>"
                + "".join(f"<th>{e(h)}</th>" for h in headers)
                + "</tr></thead><tbody>"
            )
            parts += [
                "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>"
                for row in rows
            ]
            parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts)
