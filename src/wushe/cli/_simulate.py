"""``wushe simulate``: what-if scenarios against the baseline plan (容量推演)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from wushe.cli._app import _date, command
from wushe.cli._errors import EXIT_OK, _blaming, _reading
from wushe.cli._load import _load_or_report
from wushe.cli._output import Console, status
from wushe.io import LoadReport


def _configure_simulate(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="dataset file (JSON or YAML)")
    parser.add_argument(
        "--scenario", type=Path, required=True,
        help="scenario file: a list of scenarios, or {'scenarios': [...]} (JSON or YAML)",
    )  # fmt: skip
    parser.add_argument("--policy", type=Path, help="a MatchPolicy file (YAML or JSON)")
    parser.add_argument("--as-of", type=_date, help="date the rules are evaluated on")


def _load_scenarios(path: Path) -> list[Any]:
    """Scenarios from a JSON or YAML file; a bad field is a LoadError naming it."""
    from pydantic import TypeAdapter, ValidationError  # noqa: PLC0415

    from wushe.exceptions import LoadError  # noqa: PLC0415
    from wushe.io import LoadIssue  # noqa: PLC0415
    from wushe.io._json import _YAML_SUFFIXES, _yaml  # noqa: PLC0415
    from wushe.matching import Scenario  # noqa: PLC0415

    name = str(path)

    def fail(code: str, message: str, field: str = "") -> LoadError:
        issue = LoadIssue(file=name, collection="scenarios", row=None, record_id="",
                          field=field, code=code, message=message)  # fmt: skip
        return LoadError(LoadReport(file=name, issues=(issue,)))

    try:
        text = path.read_text(encoding="utf-8")
        raw = (
            _yaml().safe_load(text)
            if path.suffix.lower() in _YAML_SUFFIXES
            else json.loads(text)
        )
    except (OSError, UnicodeDecodeError) as exc:
        code, why = "unreadable", f"cannot read: {exc.__class__.__name__}"
        raise fail(code, why) from exc
    except ValueError as exc:
        code, why = "invalid_syntax", f"not valid JSON/YAML: {exc}"
        raise fail(code, why) from exc
    if isinstance(raw, dict) and set(raw) == {"scenarios"}:
        raw = raw["scenarios"]
    try:
        return TypeAdapter(list[Scenario]).validate_python(raw)
    except ValidationError as exc:
        error = exc.errors(include_input=False)[0]
        field = ".".join(str(p) for p in error["loc"])
        raise fail(error["type"], error["msg"], field) from None


@command(
    "simulate",
    help="what-if: how many more needs are met under each scenario (容量推演)",
    configure=_configure_simulate,
    inputs={"path": "file", "scenario": "file", "policy": "file"},
)
def _simulate(args: argparse.Namespace, console: Console) -> int:
    from wushe.matching import MatchPolicy, simulate  # noqa: PLC0415 - heavy
    from wushe.network import StationNetwork  # noqa: PLC0415

    ds = _load_or_report(args.path, console)
    from wushe.io import load_policy  # noqa: PLC0415

    with _reading(args.scenario):
        scenarios = _load_scenarios(args.scenario)
    policy = MatchPolicy()
    if args.policy is not None:
        with _reading(args.policy):
            policy = load_policy(args.policy)
    with (
        _blaming(
            args.path, args.scenario
        ),  # an unknown actor may be either file's fault
        status(console.text("simulating", "推演中"), stream=console.err),
    ):
        network = StationNetwork.from_dataset(ds)
        sim = simulate(
            ds.needs, ds, scenarios, network=network, policy=policy, as_of=args.as_of
        )
    rows = [
        {"scenario": o.name, "needs_met": o.needs_met, "roles_filled": o.roles_filled,
         "objective": o.objective, "newly_met": list(o.newly_met),
         "newly_unmet": list(o.newly_unmet), "rebuilt": o.rebuilt,
         "per_community": dict(o.per_community), "per_station": dict(o.per_station)}
        for o in sim.outcomes
    ]  # fmt: skip
    if console.json:
        console.emit({"baseline_objective": sim.baseline.objective, "scenarios": rows})
        return EXIT_OK
    console.table(
        [console.text("scenario", "情景"), console.text("needs met", "满足需求"),
         console.text("roles filled", "落实角色"), console.text("objective", "目标值"),
         console.text("newly met", "新满足")],
        [(o.name, f"{o.needs_met:+d}", f"{o.roles_filled:+d}", f"{o.objective:+d}",
          " ".join(o.newly_met) or "-") for o in sim.outcomes],
    )  # fmt: skip
    return EXIT_OK
