"""Markdown and HTML renderings of an evaluation report (评估报告文本).

Rendering returns strings; writing them to files is :func:`write_report`'s job.
Reports hold ids and names of projects, items and evaluators only, never personal data.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

from wushe._literal import escape_markdown
from wushe.evaluation import (
    DimensionScore,
    EvaluationReport,
    EvaluatorRole,
    ItemKind,
    ItemScore,
    Reconciliation,
)
from wushe.io._radar import radar_svg
from wushe.vocab import Lang, in_lang

__all__ = ["evaluation_to_html", "evaluation_to_markdown"]

_LABELS: dict[str, tuple[str, str]] = {
    "title": ("评估报告", "Evaluation report"),
    "subject": ("评估对象", "Subject"),
    "rubric": ("评估细则", "Rubric"),
    "phase": ("评估阶段", "Phase"),
    "period": ("评估期间", "Period"),
    "rule": ("评分合成规则", "Reconciliation"),
    "total": ("总分", "Total"),
    "grade": ("等级", "Grade"),
    "ungraded": ("未定级（证据不全）", "not graded (evidence missing)"),
    "unrated": ("未定级（低于最低分数线）", "not graded (below every band)"),
    "ineligible": ("不予评估（未满足参评条件）", "not evaluated (fails eligibility)"),
    "normalised": ("权重已按细则声明归一", "weights normalised as the rubric declares"),
    "dimensions": ("维度得分", "Dimension scores"),
    "dimension": ("维度", "Dimension"),
    "weight": ("分值", "Weight"),
    "score": ("得分", "Score"),
    "share": ("得分率", "Share"),
    "details": ("评分明细", "Item scores"),
    "item": ("评分项", "Item"),
    "kind": ("评分方式", "Kind"),
    "evidence": ("评分依据", "Evidence"),
    "evaluators": ("评估主体评分", "Evaluators"),
    "evaluator": ("评估人", "Evaluator"),
    "role": ("主体", "Role"),
    "rectifications": ("整改项", "Rectification items"),
    "none": ("无", "none"),
    "missing": ("缺失证据", "Missing evidence"),
    "records": ("条记录", "records"),
    "unscored": ("未评分", "unscored"),
    "partly": ("部分未评分", "partly unscored"),
    "chart": ("维度得分雷达图", "Dimension scores"),
}


def _t(key: str, lang: Lang) -> str:
    return in_lang(lang, *_LABELS[key])


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _grade(report: EvaluationReport, lang: Lang) -> str:
    if report.grade is not None:
        return report.grade.label(lang)
    if report.failed_gates:
        return f"{_t('ineligible', lang)}: {', '.join(report.failed_gates)}"
    return _t("ungraded" if report.missing else "unrated", lang)


def _header(report: EvaluationReport, lang: Lang) -> list[tuple[str, str]]:
    period = f"{report.period.start} – {report.period.end}" if report.period else "—"
    rows = [
        (_t("subject", lang), f"{report.subject_name} ({report.subject_id})"),
        (
            _t("rubric", lang),
            f"{report.rubric_name} ({report.rubric_id} v{report.rubric_version})",
        ),
        (_t("phase", lang), report.phase.label(lang)),
        (_t("period", lang), period),
        (
            _t("rule", lang),
            report.reconciliation.label(lang),
        ),
        (_t("total", lang), f"{_num(report.total)} / {_num(report.max_total)}"),
        (_t("grade", lang), _grade(report, lang)),
    ]
    if report.normalised:
        rows.append(("⚠", _t("normalised", lang)))
    return rows


_TARGET = re.compile(
    r"^(?P<label>.*): actual (?P<actual>\S+) / target (?P<target>\S+)"
    r"(?: from baseline (?P<baseline>\S+))?"
    r"(?P<lower> \(lower is better\))? → (?P<ratio>\d+%)$"
)


def _reading(value: str) -> str:
    """``25075`` → ``25,075``; anything that is not a number stays as it is."""
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def _target_detail(detail: str) -> str | None:
    """A target's attainment in Chinese: 个案服务：实际 21 / 目标 20 → 100%."""
    found = _TARGET.match(detail)
    if found is None:
        return None
    lower = "（越低越好）" if found["lower"] else ""
    baseline = f"（基线 {_reading(found['baseline'])}）" if found["baseline"] else ""
    return (
        f"{found['label']}：实际 {_reading(found['actual'])} / 目标 "
        f"{_reading(found['target'])}{baseline}{lower} → {found['ratio']}"
    )


def _evidence(item: ItemScore, rule: Reconciliation, lang: Lang) -> list[str]:
    lines = []
    for use in item.evidence:
        target = in_lang(lang, _target_detail(use.detail) or "", "")
        text = target or use.detail
        if use.record_ids:
            shown = ", ".join(use.record_ids[:3])
            more = "…" if len(use.record_ids) > 3 else ""
            count = f"{len(use.record_ids):,}"
            text += f" [{count} {_t('records', lang)}: {shown}{more}]"
        # A Chinese reader gets the indicator's name, not its code.
        where = (
            _source(use.source, lang)
            if target
            else f"{_source(use.source, lang)}/{use.reference}"
        )
        lines.append(f"{where}{in_lang(lang, '：', ': ')}{text}")
    note = _note(item, rule, lang)
    if note:
        lines.append(note)
    return lines


def _note(item: ItemScore, rule: Reconciliation, lang: Lang) -> str:
    """How the score was reached, in the report's language."""
    if item.kind is ItemKind.TARGET:
        if item.target_factor >= 1:
            return ""
        if lang == "en":
            return item.note
        return f"目标按评估期间折算为 {item.target_factor:.0%}"
    if not item.ratings or lang == "en":
        return item.note
    text = f"{rule.zh}（{len(item.ratings)} 份评分）"
    if item.dropped:
        text += f"；去掉 {item.dropped[0]}（最低）和 {item.dropped[1]}（最高）"
    elif rule is Reconciliation.DROP_EXTREMES:
        text += "；不足 3 份，未去掉"
    return text


_SOURCES_ZH = {"ledger": "台账", "match": "匹配结果", "rollup": "汇总"}


def _source(source: str, lang: Lang) -> str:
    if lang == "en":
        return source
    if source in _SOURCES_ZH:
        return _SOURCES_ZH[source]
    try:
        return EvaluatorRole(source).zh
    except ValueError:
        return source


def _score(item: ItemScore, lang: Lang) -> str:
    return _t("unscored", lang) if item.score is None else _num(item.score)


def _dim_share(dim: DimensionScore, lang: Lang) -> str:
    """A dimension's share, or 未评分 when none of its items could be scored."""
    if not any(item.score is not None for item in dim.items):
        return _t("unscored", lang)
    text = f"{dim.share:.0%}"
    return text if dim.is_complete else f"{text}（{_t('partly', lang)}）"


def _dim_score(dim: DimensionScore, lang: Lang) -> str:
    if not any(item.score is not None for item in dim.items):
        return _t("unscored", lang)
    return _num(dim.score)


def _name(obj_name: str, name_en: str, lang: Lang) -> str:
    return in_lang(lang, obj_name, name_en)


def evaluation_to_markdown(report: EvaluationReport, *, lang: Lang = "zh") -> str:
    """Render a report as Markdown, in Chinese or English (Markdown 评估报告).

    Sections: header (subject, rubric, phase, total, grade), dimension scores, item
    scores with their evidence, evaluators' totals, rectification items and missing
    evidence. Every name and message is escaped, so no HTML, link or heading inside a
    name gets through and a line break cannot end a table row.

    Examples:
        >>> from wushe.evaluation import Evidence, builtin_rubric, evaluate
        >>> from wushe.models import SocialOrganization
        >>> org = SocialOrganization.model_validate({"organization_id": "o1",
        ...     "name": "金牛社工", "org_type": "social_service_institution"})
        >>> report = evaluate(org, builtin_rubric("social_organization"), Evidence())
        >>> print(evaluation_to_markdown(report).splitlines()[0])
        # 评估报告：金牛社工
    """
    e = escape_markdown
    colon = in_lang(lang, "：", ": ")
    out = [f"# {e(_t('title', lang) + colon + report.subject_name)}", ""]
    out += [f"- **{e(key)}**: {e(value)}" for key, value in _header(report, lang)]
    out += ["", f"## {_t('dimensions', lang)}", ""]
    out += _md_row(_t(k, lang) for k in ("dimension", "weight", "score", "share"))
    out.append("| --- | ---: | ---: | ---: |")
    for dim in report.dimensions:
        name = _name(dim.name, dim.name_en, lang)
        score, share = _dim_score(dim, lang), _dim_share(dim, lang)
        out += _md_row((name, _num(dim.weight), score, share))
    out += ["", f"## {_t('details', lang)}"]
    for dim in report.dimensions:
        out += ["", f"### {e(_name(dim.name, dim.name_en, lang))}", ""]
        keys = ("item", "kind", "weight", "score", "evidence")
        out += _md_row(_t(k, lang) for k in keys)
        out.append("| --- | --- | ---: | ---: | --- |")
        for item in dim.items:
            kind = item.kind.label(lang)
            lines = _evidence(item, report.reconciliation, lang)
            cells = (_name(item.name, item.name_en, lang), kind, _num(item.weight))
            out += _md_row((*cells, _score(item, lang)), "<br>".join(map(e, lines)))
    out += ["", f"## {_t('evaluators', lang)}", ""]
    if report.evaluators:
        out += _md_row(_t(k, lang) for k in ("evaluator", "role", "score", "share"))
        out.append("| --- | --- | ---: | ---: |")
        for ev in report.evaluators:
            role = ev.role.label(lang)
            share = f"{ev.share:.0%}"
            out += _md_row((ev.evaluator_id, role, _num(ev.points), share))
    else:
        out.append(_t("none", lang))
    out += ["", f"## {_t('rectifications', lang)}", ""]
    out += [
        f"- **{e(r.name)}** ({e(r.item_id)}): {_num(r.score)} / {_num(r.weight)} — {e(r.reason)}"
        for r in report.rectifications
    ] or [_t("none", lang)]
    out += ["", f"## {_t('missing', lang)}", ""]
    out += [
        f"- {e(m.item_id)}: {e(m.missing)} — {e(m.message)}" for m in report.missing
    ] or [_t("none", lang)]
    return "\n".join(out) + "\n"


def _md_row(cells: Iterable[str], *raw: str) -> list[str]:
    """One Markdown table row: ``cells`` escaped, then ``raw`` cells already escaped."""
    return ["| " + " | ".join([*map(escape_markdown, cells), *raw]) + " |"]


_CSS = (
    "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;"
    "max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5}"
    "table{border-collapse:collapse;margin:.5rem 0;width:100%;table-layout:auto}"
    "th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top;"
    "overflow-wrap:anywhere}"
    "th{background:#f4f4f4;text-align:left}"
    "td.n{text-align:right;white-space:nowrap}.bad{color:#b00}"
    "figure.chart{margin:1rem 0}svg.chart{max-width:100%;height:auto}"
)


Section = Callable[[EvaluationReport, Lang], list[str]]
"""One part of the HTML page: the lines it adds, given the report and the language."""


def _th(keys: Iterable[str], lang: Lang) -> str:
    """A table's header row: the label of each key."""
    return (
        "<tr>" + "".join(f"<th>{html.escape(_t(k, lang))}</th>" for k in keys) + "</tr>"
    )


def _html_head(report: EvaluationReport, lang: Lang) -> list[str]:
    """The document head, the title and the header facts (subject, rubric … grade)."""
    e = html.escape
    title = f"{_t('title', lang)}{in_lang(lang, '：', ': ')}{report.subject_name}"
    return [
        "<!DOCTYPE html>",
        f'<html lang="{in_lang(lang, "zh-CN", "en")}"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        "<dl>",
        *[
            f"<dt>{e(key)}</dt><dd>{e(value)}</dd>"
            for key, value in _header(report, lang)
        ],
        "</dl>",
    ]


def _html_dimensions(report: EvaluationReport, lang: Lang) -> list[str]:
    """The dimension scores table and the radar chart drawn from it."""
    e = html.escape
    rows = [
        f"<tr><td>{e(_name(dim.name, dim.name_en, lang))}</td>"
        f'<td class="n">{_num(dim.weight)}</td><td class="n">{e(_dim_score(dim, lang))}</td>'
        f'<td class="n">{e(_dim_share(dim, lang))}</td></tr>'
        for dim in report.dimensions
    ]
    chart = (
        f'<figure class="chart">{radar_svg(report, lang=lang)}'
        f"<figcaption>{e(_t('chart', lang))}</figcaption></figure>"
    )
    head = _th(("dimension", "weight", "score", "share"), lang)
    return [
        f"<h2>{e(_t('dimensions', lang))}</h2>",
        "<table>",
        head,
        *rows,
        "</table>",
        chart,
    ]


def _html_details(report: EvaluationReport, lang: Lang) -> list[str]:
    """One table of item scores and their evidence per dimension."""
    e = html.escape
    out = [f"<h2>{e(_t('details', lang))}</h2>"]
    for dim in report.dimensions:
        out += [f"<h3>{e(_name(dim.name, dim.name_en, lang))}</h3>", "<table>"]
        out.append(_th(("item", "kind", "weight", "score", "evidence"), lang))
        for item in dim.items:
            kind = item.kind.label(lang)
            evidence = "<br>".join(
                e(line) for line in _evidence(item, report.reconciliation, lang)
            )
            out.append(
                f"<tr><td>{e(_name(item.name, item.name_en, lang))}</td><td>{e(kind)}</td>"
                f'<td class="n">{_num(item.weight)}</td>'
                f'<td class="n">{e(_score(item, lang))}</td><td>{evidence}</td></tr>'
            )
        out.append("</table>")
    return out


def _html_evaluators(report: EvaluationReport, lang: Lang) -> list[str]:
    """Each evaluator's points and share, or 无."""
    e = html.escape
    out = [f"<h2>{e(_t('evaluators', lang))}</h2>"]
    if not report.evaluators:
        return [*out, f"<p>{e(_t('none', lang))}</p>"]
    out += ["<table>", _th(("evaluator", "role", "score", "share"), lang)]
    for ev in report.evaluators:
        role = ev.role.label(lang)
        out.append(
            f"<tr><td>{e(ev.evaluator_id)}</td><td>{e(role)}</td>"
            f'<td class="n">{_num(ev.points)}</td><td class="n">{ev.share:.0%}</td></tr>'
        )
    return [*out, "</table>"]


def _html_list(key: str, items: list[str], lang: Lang) -> list[str]:
    """A heading and its list items, or 无 under it."""
    heading = f"<h2>{html.escape(_t(key, lang))}</h2>"
    if not items:
        return [heading, f"<p>{html.escape(_t('none', lang))}</p>"]
    return [heading, "<ul>", *items, "</ul>"]


def _html_rectifications(report: EvaluationReport, lang: Lang) -> list[str]:
    e = html.escape
    items = [
        f'<li class="bad"><b>{e(r.name)}</b> ({e(r.item_id)}): '
        f"{_num(r.score)} / {_num(r.weight)} — {e(r.reason)}</li>"
        for r in report.rectifications
    ]
    return _html_list("rectifications", items, lang)


def _html_missing(report: EvaluationReport, lang: Lang) -> list[str]:
    e = html.escape
    items = [
        f"<li>{e(m.item_id)}: {e(m.missing)} — {e(m.message)}</li>"
        for m in report.missing
    ]
    return _html_list("missing", items, lang)


_HTML_SECTIONS: tuple[Section, ...] = (
    _html_head,
    _html_dimensions,
    _html_details,
    _html_evaluators,
    _html_rectifications,
    _html_missing,
)
"""The page, top to bottom; :func:`evaluation_to_html` joins what each section writes."""


def evaluation_to_html(report: EvaluationReport, *, lang: Lang = "zh") -> str:
    """Render a report as a self-contained HTML page (HTML 评估报告).

    The same sections as :func:`evaluation_to_markdown`; every value is HTML-escaped.
    """
    lines = [line for section in _HTML_SECTIONS for line in section(report, lang)]
    return "\n".join([*lines, "</body></html>"]) + "\n"
