"""Markdown and HTML renderings of an evaluation report (评估报告文本).

Rendering returns strings; writing them to files is :func:`wushe.io.write_report`'s job.
Reports hold ids and names of projects, items and evaluators only, never personal data.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Literal

from wushe._literal import escape_markdown
from wushe.evaluation._evidence import EvaluatorRole, Reconciliation
from wushe.evaluation._report import EvaluationReport, ItemScore
from wushe.evaluation._rubric import ItemKind

__all__ = ["render_html", "render_markdown"]

Lang = Literal["zh", "en"]

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
}


def _t(key: str, lang: Lang) -> str:
    zh, en = _LABELS[key]
    return zh if lang == "zh" else en


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _grade(report: EvaluationReport, lang: Lang) -> str:
    if report.grade is not None:
        return report.grade.zh if lang == "zh" else report.grade.value
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
        (_t("phase", lang), report.phase.zh if lang == "zh" else report.phase.value),
        (_t("period", lang), period),
        (
            _t("rule", lang),
            report.reconciliation.zh if lang == "zh" else report.reconciliation.value,
        ),
        (_t("total", lang), f"{_num(report.total)} / {_num(report.max_total)}"),
        (_t("grade", lang), _grade(report, lang)),
    ]
    if report.normalised:
        rows.append(("⚠", _t("normalised", lang)))
    return rows


def _evidence(item: ItemScore, rule: Reconciliation, lang: Lang) -> list[str]:
    lines = []
    for use in item.evidence:
        text = use.detail
        if use.record_ids:
            shown = ", ".join(use.record_ids[:3])
            more = "…" if len(use.record_ids) > 3 else ""
            text += f" [{len(use.record_ids)} {_t('records', lang)}: {shown}{more}]"
        lines.append(f"{_source(use.source, lang)}/{use.reference}: {text}")
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


def _name(obj_name: str, name_en: str, lang: Lang) -> str:
    return obj_name if lang == "zh" else name_en


def render_markdown(report: EvaluationReport, *, lang: Lang = "zh") -> str:
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
        >>> print(render_markdown(report).splitlines()[0])
        # 评估报告：金牛社工
    """
    e = escape_markdown
    colon = "：" if lang == "zh" else ": "
    out = [f"# {e(_t('title', lang) + colon + report.subject_name)}", ""]
    out += [f"- **{e(key)}**: {e(value)}" for key, value in _header(report, lang)]
    out += ["", f"## {_t('dimensions', lang)}", ""]
    out += _md_row(_t(k, lang) for k in ("dimension", "weight", "score", "share"))
    out.append("| --- | ---: | ---: | ---: |")
    for dim in report.dimensions:
        name = _name(dim.name, dim.name_en, lang)
        out += _md_row((name, _num(dim.weight), _num(dim.score), f"{dim.share:.0%}"))
    out += ["", f"## {_t('details', lang)}"]
    for dim in report.dimensions:
        out += ["", f"### {e(_name(dim.name, dim.name_en, lang))}", ""]
        keys = ("item", "kind", "weight", "score", "evidence")
        out += _md_row(_t(k, lang) for k in keys)
        out.append("| --- | --- | ---: | ---: | --- |")
        for item in dim.items:
            kind = item.kind.zh if lang == "zh" else item.kind.value
            lines = _evidence(item, report.reconciliation, lang)
            cells = (_name(item.name, item.name_en, lang), kind, _num(item.weight))
            out += _md_row((*cells, _score(item, lang)), "<br>".join(map(e, lines)))
    out += ["", f"## {_t('evaluators', lang)}", ""]
    if report.evaluators:
        out += _md_row(_t(k, lang) for k in ("evaluator", "role", "score", "share"))
        out.append("| --- | --- | ---: | ---: |")
        for ev in report.evaluators:
            role = ev.role.zh if lang == "zh" else ev.role.value
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
    "max-width:60rem;margin:2rem auto;line-height:1.5}"
    "table{border-collapse:collapse;margin:.5rem 0}"
    "th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}"
    "td.n{text-align:right}.bad{color:#b00}"
)


def render_html(report: EvaluationReport, *, lang: Lang = "zh") -> str:
    """Render a report as a self-contained HTML page (HTML 评估报告).

    The same sections as :func:`render_markdown`; every value is HTML-escaped.
    """
    e = html.escape
    title = f"{_t('title', lang)}{'：' if lang == 'zh' else ': '}{report.subject_name}"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        "<dl>",
    ]
    for key, value in _header(report, lang):
        out.append(f"<dt>{e(key)}</dt><dd>{e(value)}</dd>")
    out += ["</dl>", f"<h2>{e(_t('dimensions', lang))}</h2>", "<table>"]
    out.append(
        "<tr>"
        + "".join(
            f"<th>{e(_t(k, lang))}</th>"
            for k in ("dimension", "weight", "score", "share")
        )
        + "</tr>"
    )
    for dim in report.dimensions:
        out.append(
            f"<tr><td>{e(_name(dim.name, dim.name_en, lang))}</td>"
            f'<td class="n">{_num(dim.weight)}</td><td class="n">{_num(dim.score)}</td>'
            f'<td class="n">{dim.share:.0%}</td></tr>'
        )
    out += ["</table>", f"<h2>{e(_t('details', lang))}</h2>"]
    for dim in report.dimensions:
        out += [f"<h3>{e(_name(dim.name, dim.name_en, lang))}</h3>", "<table>"]
        out.append(
            "<tr>"
            + "".join(
                f"<th>{e(_t(k, lang))}</th>"
                for k in ("item", "kind", "weight", "score", "evidence")
            )
            + "</tr>"
        )
        for item in dim.items:
            kind = item.kind.zh if lang == "zh" else item.kind.value
            evidence = "<br>".join(
                e(line) for line in _evidence(item, report.reconciliation, lang)
            )
            out.append(
                f"<tr><td>{e(_name(item.name, item.name_en, lang))}</td><td>{e(kind)}</td>"
                f'<td class="n">{_num(item.weight)}</td>'
                f'<td class="n">{e(_score(item, lang))}</td><td>{evidence}</td></tr>'
            )
        out.append("</table>")
    out.append(f"<h2>{e(_t('evaluators', lang))}</h2>")
    if report.evaluators:
        out.append("<table>")
        out.append(
            "<tr>"
            + "".join(
                f"<th>{e(_t(k, lang))}</th>"
                for k in ("evaluator", "role", "score", "share")
            )
            + "</tr>"
        )
        for ev in report.evaluators:
            role = ev.role.zh if lang == "zh" else ev.role.value
            out.append(
                f"<tr><td>{e(ev.evaluator_id)}</td><td>{e(role)}</td>"
                f'<td class="n">{_num(ev.points)}</td><td class="n">{ev.share:.0%}</td></tr>'
            )
        out.append("</table>")
    else:
        out.append(f"<p>{e(_t('none', lang))}</p>")
    out.append(f"<h2>{e(_t('rectifications', lang))}</h2>")
    if report.rectifications:
        out.append("<ul>")
        out += [
            f'<li class="bad"><b>{e(r.name)}</b> ({e(r.item_id)}): '
            f"{_num(r.score)} / {_num(r.weight)} — {e(r.reason)}</li>"
            for r in report.rectifications
        ]
        out.append("</ul>")
    else:
        out.append(f"<p>{e(_t('none', lang))}</p>")
    out.append(f"<h2>{e(_t('missing', lang))}</h2>")
    if report.missing:
        out.append("<ul>")
        out += [
            f"<li>{e(m.item_id)}: {e(m.missing)} — {e(m.message)}</li>"
            for m in report.missing
        ]
        out.append("</ul>")
    else:
        out.append(f"<p>{e(_t('none', lang))}</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
