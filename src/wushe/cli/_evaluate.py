"""``wushe evaluate`` (项目评估)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wushe.cli._app import command
from wushe.cli._errors import (
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    _blaming,
    _reading,
    _writing,
)
from wushe.cli._load import _load_or_report
from wushe.cli._output import Console, _short
from wushe.cli._paths import _check_input
from wushe.exceptions import MissingDependencyError


def _configure_evaluate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="dataset file (JSON or YAML)")
    parser.add_argument(
        "--project", required=True, help="id of the project to evaluate"
    )
    parser.add_argument(
        "--rubric",
        default="default_project",
        help="a built-in rubric name or a rubric file (default: default_project)",
    )
    parser.add_argument(
        "--scores", type=Path, help="evaluators' score sheets (JSON/YAML)"
    )
    parser.add_argument(
        "--phase",
        choices=("mid_term", "final", "spot_check", "annual"),
        default="final",
    )
    parser.add_argument(
        "--out", type=Path, help="write Markdown, HTML, JSON and chart here"
    )


@command(
    "evaluate",
    help="score a service project against a rubric from its ledger and score sheets",
    configure=_configure_evaluate,
    inputs={"path": "file", "scores": "file"},
    outputs={"out": "folder"},
)
def _evaluate(args: argparse.Namespace, console: Console) -> int:
    from wushe.evaluation import (  # noqa: PLC0415 - load the engine on use
        Evidence,
        evaluate,
        indicator_actuals,
    )
    from wushe.io import evaluation_to_dict, write_report  # noqa: PLC0415
    from wushe.vocab import EvaluationPhase  # noqa: PLC0415

    ds = _load_or_report(args.path, console)
    project = _project(ds, args)
    rubric, rubric_file = _rubric(args.rubric)
    sheets: tuple[Any, ...] = ()
    if args.scores:
        from wushe.io import load_score_sheets  # noqa: PLC0415

        with _reading(args.scores):
            sheets = load_score_sheets(args.scores)
    phase = EvaluationPhase(args.phase)
    evidence = Evidence(
        actuals=indicator_actuals(project, ds.activities),
        sheets=sheets,
        period=project.period,
        contracts=ds.contracts,
        spendings=ds.spendings,
    )
    with _blaming(args.scores, rubric_file, args.path):
        report = evaluate(project, rubric, evidence, phase=phase)
    written: tuple[Path, ...] = ()
    if args.out is not None:
        with _writing(args.out):
            try:
                written = write_report(report, args.out, chart=True, lang=console.lang)
            except MissingDependencyError as exc:
                console.warn(f"{exc}; writing the report without the chart",
                             f"缺少可选依赖 {exc.package}，报告不含雷达图")  # fmt: skip
                written = write_report(report, args.out, chart=False, lang=console.lang)
    if console.json:
        console.emit(evaluation_to_dict(report))
        return EXIT_OK
    _print_evaluation(report, phase, written, console)
    return EXIT_OK


def _project(ds: Any, args: argparse.Namespace) -> Any:
    """The project ``--project`` names, or a usage error listing the dataset's."""
    project = next((p for p in ds.projects if p.project_id == args.project), None)
    if project is None:
        known = ", ".join(p.project_id for p in ds.projects[:20]) or "none"
        raise CommandError(
            EXIT_USAGE,
            f"{args.path} has no project {_short(args.project)} (--project); it has: {known}",
            f"{args.path} 中没有编号为 {_short(args.project)} 的项目（--project）；数据集中有：{known}",
        )
    return project


def _rubric(name: str) -> tuple[Any, Path | None]:
    """A built-in rubric by name, or a rubric file with its path."""
    from wushe.evaluation import builtin_rubric, builtin_rubric_names  # noqa: PLC0415
    from wushe.io import load_rubric  # noqa: PLC0415

    if name in builtin_rubric_names():
        return builtin_rubric(name), None
    path = Path(name)
    if not path.exists() and not path.suffix:
        names = builtin_rubric_names()
        raise CommandError(
            EXIT_USAGE,
            f"{_short(name)} is neither a built-in rubric ({', '.join(names)}) nor a file",
            f"{_short(name)} 既不是内置评估细则（{'、'.join(names)}）也不是文件",
        )
    _check_input(path, "file")
    with _reading(path):
        return load_rubric(path), path


def _print_evaluation(
    report: Any, phase: Any, written: Sequence[Path], console: Console
) -> None:
    console.say(f"{report.subject_name} — {phase.en} ({report.rubric_name})",
                f"{report.subject_name}——{phase.zh}（{report.rubric_name}）")  # fmt: skip
    console.table(
        [console.text("dimension", "维度"), console.text("score", "得分"), console.text("weight", "权重")],
        [(d.name, f"{d.score:.2f}", f"{d.weight:g}") for d in report.dimensions],
    )  # fmt: skip
    if report.grade is None:
        console.say(
            f"\ntotal {report.total:.2f} / {report.max_total:g}; no grade: evidence is missing for",
            f"\n总分 {report.total:.2f} / {report.max_total:g}；证据不全，不定级：",
        )
        for missing in report.missing:
            console.say(
                f"  - {missing.item_id}: {missing.message}",
                f"  - {missing.item_id}：{missing.message}",
            )
    else:
        console.say(
            f"\ntotal {report.total:.2f} / {report.max_total:g}, grade {report.grade.en}",
            f"\n总分 {report.total:.2f} / {report.max_total:g}，等级 {report.grade.zh}",
        )
    for item in report.rectifications:
        console.say(
            f"rectify: {item.name} — {item.reason}", f"整改：{item.name}——{item.reason}"
        )
    if written:
        console.say(
            f"\nwritten: {', '.join(map(str, written))}",
            f"\n已写出：{'、'.join(map(str, written))}",
        )
