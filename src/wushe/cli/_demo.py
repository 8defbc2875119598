"""``wushe demo`` (演示)."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wushe import models
from wushe.cli._app import command
from wushe.cli._care import _care_facts
from wushe.cli._errors import (
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    _blaming,
    _reading,
    _writing,
)
from wushe.cli._load import _load_or_report
from wushe.cli._output import Console, progress_callback, status
from wushe.cli._paths import _check_input
from wushe.exceptions import MissingDependencyError

if TYPE_CHECKING:  # the engines load on use
    from wushe.network import StationNetwork


def _default_demo() -> Path:
    from wushe import examples  # noqa: PLC0415 - the example data loads on use

    return examples.path("jinniu")


def _configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        type=Path,
        default=None,
        help="dataset (default: the 金牛区 example)",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("wushe-demo-report"),
        help="folder for the report (default: ./wushe-demo-report)",
    )  # fmt: skip


def _care_step(
    ds: models.Dataset,
    network: StationNetwork,
    visit_log: Path,
    as_of: date,
    console: Console,
) -> Any:
    """The report's care section over the year up to ``as_of``."""
    from wushe.care import monthly_periods  # noqa: PLC0415 - load the engine on use
    from wushe.io import care_section, load_visit_log  # noqa: PLC0415

    _check_input(visit_log, "file")
    with _reading(visit_log):
        visits, incidents = load_visit_log(visit_log, dataset=ds)
    year = monthly_periods(as_of.replace(month=1, day=1), as_of)
    facts = _care_facts(ds, network, visits, incidents, as_of, year)
    return care_section(network=network, policy=facts.policy, late=facts.late,
                        warnings=facts.warnings, rates=facts.rates, as_of=as_of,
                        lang=console.lang)  # fmt: skip


@command(
    "demo",
    help="run the district scenario end to end and write a report folder",
    configure=_configure_demo,
    inputs={"path": "file"},
    outputs={"out": "folder"},
)
def _demo(args: argparse.Namespace, console: Console) -> int:
    from wushe.io import sections_to_html, sections_to_markdown  # noqa: PLC0415

    path = _demo_path(args.path)
    out: Path = args.out
    lang = console.lang
    started = time.perf_counter()
    _check_input(path, "file")
    ds = _load_or_report(path, console)
    # Only now that the data has loaded: a failed demo leaves no folder behind.
    with _writing(out):
        out.mkdir(parents=True, exist_ok=True)
    sections, written, plan = _demo_steps(ds, path, out, console)
    title = console.text(
        f"{ds.name}: five-society linkage report", f"{ds.name}五社联动工作报告"
    )
    markdown, page = out / "report.md", out / "report.html"
    markdown.write_text(sections_to_markdown(sections, title=title), encoding="utf-8")
    page.write_text(
        sections_to_html(sections, title=title, lang=lang), encoding="utf-8"
    )
    written = [markdown, page, *written]
    seconds = time.perf_counter() - started
    if console.json:
        console.emit({"dataset": ds.name, "out": str(out), "files": [str(p) for p in written],
                      "objective": plan.objective, "seconds": round(seconds, 2)})  # fmt: skip
        return EXIT_OK
    _print_demo(ds, sections, written, out, seconds, console)
    return EXIT_OK


def _demo_path(given: Path | None) -> Path:
    """The dataset to run: the one given, else the built-in 金牛区 example."""
    path = given or _default_demo()
    if not path.exists():
        raise CommandError(
            EXIT_USAGE,
            f"{path} not found; pass a dataset file, e.g. wushe demo my-district.json, "
            "or nothing for the built-in 金牛区 example",
            f"未找到 {path}：请指定数据集文件，例如 wushe demo my-district.json；"
            "不指定时使用内置的金牛区示例",
        )
    return path


def _demo_steps(
    ds: models.Dataset, path: Path, out: Path, console: Console
) -> tuple[list[Any], list[Path], Any]:
    """The four steps, each under its status line: the sections, files written and plan.

    The network's sections and picture, the match, the evaluation of the first project
    with targets (when there is one) and the care visits (when a visit log lies beside
    the dataset and the dataset has an ``as_of``).
    """
    from wushe.io import district_sections, draw_station_tree  # noqa: PLC0415
    from wushe.network import StationNetwork  # noqa: PLC0415

    written: list[Path] = []
    with status(
        console.text("1/4 station network", "1/4 社工站网络"), stream=console.err
    ):
        network = StationNetwork.from_dataset(ds)
        sections = list(district_sections(ds, network, lang=console.lang))
        try:
            written.append(draw_station_tree(network, out / "station-tree.png"))
        except MissingDependencyError as exc:
            console.warn(
                f"{exc}; no station tree picture", f"缺少 {exc.package}，未绘制站点树"
            )
    with status(console.text("2/4 matching", "2/4 需求匹配"), stream=console.err):
        section, plan, plan_file = _matching_step(ds, network, out, console)
        sections.append(section)
        written.append(plan_file)
    project = next((p for p in ds.projects if p.targets), None)
    if project is not None:
        with status(console.text("3/4 evaluation", "3/4 项目评估"), stream=console.err):
            section, files = _evaluation_step(ds, project, path, out, console)
            sections.append(section)
            written += files
    visit_log = path.with_name(f"{path.stem}_visits.json")
    if visit_log.exists() and ds.as_of is not None:
        with status(
            console.text("4/4 care visits", "4/4 关爱巡访"), stream=console.err
        ):
            sections.append(_care_step(ds, network, visit_log, ds.as_of, console))
    return sections, written, plan


def _matching_step(
    ds: models.Dataset, network: StationNetwork, out: Path, console: Console
) -> tuple[Any, Any, Path]:
    """Match every need, write the plan, and the report's matching section."""
    from wushe.io import match_section, plan_to_dict  # noqa: PLC0415 - load on use
    from wushe.matching import match  # noqa: PLC0415

    lang = console.lang
    plan = match(
        ds.needs,
        ds,
        network=network,
        as_of=ds.as_of,
        progress=progress_callback(console.err),
    )
    plan_file = out / "match-plan.json"
    plan_file.write_text(
        json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    example = next((n.need_id for n in ds.needs if plan.for_need(n.need_id)[1]), None)
    explain = (example,) if example else ()
    section = match_section(len(ds.needs), plan, explain=explain, lang=lang)
    return section, plan, plan_file


def _evaluation_step(
    ds: models.Dataset, project: Any, path: Path, out: Path, console: Console
) -> tuple[Any, list[Path]]:
    """Evaluate the first project with targets, write its report, and the section."""
    from wushe.evaluation import (  # noqa: PLC0415 - engines load on use
        Evidence,
        builtin_rubric,
        evaluate,
        indicator_actuals,
    )
    from wushe.io import (  # noqa: PLC0415
        evaluation_section,
        load_score_sheets,
        write_report,
    )

    lang = console.lang
    scores = path.with_name(f"{path.stem}_scores.json")
    sheets: tuple[Any, ...] = ()
    if scores.exists():
        _check_input(scores, "file")
        with _reading(scores):
            sheets = load_score_sheets(scores)
    evidence = Evidence(
        actuals=indicator_actuals(project, ds.activities),
        sheets=sheets,
        period=project.period,
        contracts=ds.contracts,
        spendings=ds.spendings,
    )
    with _blaming(scores if sheets else None, path):
        report = evaluate(project, builtin_rubric("default_project"), evidence)
    try:
        files = write_report(report, out, stem="evaluation", chart=True, lang=lang)
    except MissingDependencyError as exc:
        console.warn(
            f"{exc}; no evaluation.png (the radar is drawn inside evaluation.html)",
            f"缺少 {exc.package}，未生成 evaluation.png（雷达图已嵌入 evaluation.html）",
        )
        files = write_report(report, out, stem="evaluation", chart=False, lang=lang)
    section = evaluation_section(report, lang=lang)
    return section, list(files)


def _print_demo(
    ds: models.Dataset,
    sections: Sequence[Any],
    written: Sequence[Path],
    out: Path,
    seconds: float,
    console: Console,
) -> None:
    records = sum(len(ds.records(c)) for c in models.COLLECTIONS)
    console.say(f"{ds.name} ({ds.division_code}) — {records} records",
                f"{ds.name}（{ds.division_code}）——共 {records} 条记录")  # fmt: skip
    for section in sections[1:]:
        console.say(f"  · {section.title}", f"  · {section.title}")
    console.say(
        f"\nreport written to {out}/ in {seconds:.1f} s:",
        f"\n报告已写入 {out}/，用时 {seconds:.1f} 秒：",
    )
    for file in written:
        console.say(f"  {file}", f"  {file}")
    page = out / "report.html"
    console.say(
        f"open {page} in a browser to read it.", f"用浏览器打开 {page} 阅读报告。"
    )
