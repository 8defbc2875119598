"""``wushe match`` (需求匹配)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wushe.cli._app import _date, command
from wushe.cli._errors import EXIT_OK, EXIT_USAGE, CommandError, _reading
from wushe.cli._load import _load_or_report, _write_text, add_source_arguments
from wushe.cli._output import Console, _short, progress_callback, status

if TYPE_CHECKING:  # the engines load on use
    from wushe.matching import MatchPolicy
    from wushe.models import Need


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
    from wushe.matching import match  # noqa: PLC0415 - heavy, load on use
    from wushe.network import StationNetwork  # noqa: PLC0415

    ds = _load_or_report(args.path, console, args.base)
    from wushe.io import match_section, plan_to_dict  # noqa: PLC0415

    _check_explain(args, ds.needs)
    policy = _match_policy(args)
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
        text = json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=1)
        _write_text(args.out, text)
    if console.json:
        console.emit(
            plan_to_dict(plan)
            if args.out is None
            else {"objective": plan.objective, "out": str(args.out)}
        )
        return EXIT_OK
    console.say(f"{ds.name}, as of {plan.as_of}", f"{ds.name}，{plan.as_of}")
    console.section(
        match_section(len(ds.needs), plan, explain=args.explain, lang=console.lang)
    )
    if args.out is not None:
        console.say(f"\nplan written to {args.out}", f"\n方案已写入 {args.out}")
    return EXIT_OK


def _check_explain(args: argparse.Namespace, needs: Sequence[Need]) -> None:
    """Refuse an ``--explain`` naming a need the dataset does not have."""
    known = {n.need_id for n in needs}
    for need_id in args.explain:
        if need_id not in known:
            raise CommandError(
                EXIT_USAGE,
                f"{args.path} has no need with id {_short(need_id)} (--explain)",
                f"{args.path} 中没有编号为 {_short(need_id)} 的需求（--explain）",
            )


def _match_policy(args: argparse.Namespace) -> MatchPolicy:
    """The policy file's ``MatchPolicy`` (or the default), with ``--strategy`` applied."""
    from wushe.io import load_policy  # noqa: PLC0415 - load on use
    from wushe.matching import MatchPolicy  # noqa: PLC0415

    policy = MatchPolicy()
    if args.policy is not None:
        with _reading(args.policy):
            policy = load_policy(args.policy)
    if args.strategy is not None:
        policy = MatchPolicy.model_validate(
            {**policy.model_dump(), "strategy": args.strategy}
        )
    return policy
