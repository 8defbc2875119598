"""``wushe match`` (需求匹配)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from wushe.cli._app import _date, command
from wushe.cli._errors import EXIT_OK, EXIT_USAGE, CommandError, _reading
from wushe.cli._lang import Lang
from wushe.cli._load import _load_or_report, _write_text, add_source_arguments
from wushe.cli._output import Console, _short, progress_callback, status


def _plan_counts(
    plan: Any, lang: Lang
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Assignments per role and open roles per reason code, as table rows."""
    by_role: dict[str, int] = {}
    for a in plan.assignments:
        label = a.role.label(lang)
        by_role[label] = by_role.get(label, 0) + 1
    reasons: dict[str, int] = {}
    for u in plan.unmatched:
        for r in u.reasons:
            reasons[r.value] = reasons.get(r.value, 0) + 1
    ranked = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(k, str(v)) for k, v in sorted(by_role.items())], [
        (k, str(v)) for k, v in ranked
    ]


def _configure_match(parser: argparse.ArgumentParser) -> None:
    add_source_arguments(parser)
    parser.add_argument(
        "--strategy",
        choices=("exact", "greedy", "stable"),
        default=None,
        help="matching strategy (default: the policy's, exact)",
    )
    parser.add_argument("--policy", type=Path, help="a MatchPolicy file (YAML or JSON)")
    parser.add_argument("--out", type=Path, help="write the plan as JSON to this file")
    parser.add_argument(
        "--explain", metavar="NEED_ID", action="append", default=[],
        help="print the explanation of one need (repeatable)",
    )  # fmt: skip
    parser.add_argument("--as-of", type=_date, help="date the rules are evaluated on")


@command(
    "match",
    help="pair needs with the actors who can meet them",
    configure=_configure_match,
    inputs={"path": "either", "base": "file", "policy": "file"},
    outputs={"out": "file"},
)
def _match(args: argparse.Namespace, console: Console) -> int:
    from wushe.matching import MatchPolicy, match  # noqa: PLC0415 - heavy, load on use
    from wushe.network import StationNetwork  # noqa: PLC0415

    ds = _load_or_report(args.path, console, args.base)
    from wushe.io import load_policy  # noqa: PLC0415

    known = {n.need_id for n in ds.needs}
    for need_id in args.explain:
        if need_id not in known:
            raise CommandError(
                EXIT_USAGE,
                f"{args.path} has no need with id {_short(need_id)} (--explain)",
                f"{args.path} 中没有编号为 {_short(need_id)} 的需求（--explain）",
            )
    policy = MatchPolicy()
    if args.policy is not None:
        with _reading(args.policy):
            policy = load_policy(args.policy)
    if args.strategy is not None:
        policy = MatchPolicy.model_validate(
            {**policy.model_dump(), "strategy": args.strategy}
        )
    with status(console.text("matching", "匹配中"), stream=console.err):
        plan = match(
            ds.needs,
            ds,
            network=StationNetwork.from_dataset(ds),
            policy=policy,
            as_of=args.as_of or ds.as_of,
            progress=progress_callback(console.err),
        )
    if args.out is not None:
        text = json.dumps(plan.as_dict(), ensure_ascii=False, indent=1)
        _write_text(args.out, text)
    if console.json:
        console.emit(
            plan.as_dict()
            if args.out is None
            else {"objective": plan.objective, "out": str(args.out)}
        )
        return EXIT_OK
    role_rows, reason_rows = _plan_counts(plan, console.lang)
    console.say(
        f"{ds.name}: {len(ds.needs)} needs, objective {plan.objective} ({plan.strategy})",
        f"{ds.name}：{len(ds.needs)} 项需求，目标值 {plan.objective}（{plan.strategy}）",
    )
    console.table(
        [console.text("role", "角色"), console.text("assignments", "匹配数")],
        role_rows,
    )
    console.say(
        f"\nopen roles: {len(plan.unmatched)}", f"\n未匹配角色：{len(plan.unmatched)}"
    )
    if reason_rows:
        console.table(
            [console.text("reason code", "原因代码"), console.text("roles", "角色数")],
            reason_rows,
        )
    for need_id in args.explain:
        console.say("", "")
        console.say(plan.explain(need_id, lang="en"), plan.explain(need_id, lang="zh"))
    if args.out is not None:
        console.say(f"\nplan written to {args.out}", f"\n方案已写入 {args.out}")
    return EXIT_OK
