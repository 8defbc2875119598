"""``wushe care`` (关爱巡访)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from wushe import models
from wushe.cli._app import _count, _date, command
from wushe.cli._errors import EXIT_OK, _reading
from wushe.cli._load import _load_or_report, add_source_arguments
from wushe.cli._output import Console
from wushe.cli._paths import _check_input

if TYPE_CHECKING:  # the engines load on use
    from wushe.network import StationNetwork


@attrs.frozen(kw_only=True)
class _CareFacts:
    policy: Any
    late: tuple[Any, ...]
    warnings: tuple[Any, ...]
    rates: tuple[Any, ...]


def _care_facts(
    ds: models.Dataset,
    network: StationNetwork,
    visits: Any,
    incidents: Any,
    as_of: date,
    periods: Any,
) -> _CareFacts:
    """Overdue visits, warnings and visit rates under the default (local example) policy."""
    from wushe.care import VisitPolicy, overdue, visit_rates, warnings  # noqa: PLC0415

    policy = VisitPolicy()
    common = {"as_of": as_of, "incidents": incidents, "network": network}
    return _CareFacts(
        policy=policy,
        late=overdue(ds.recipients, visits, policy, **common),
        warnings=warnings(ds.recipients, visits, policy, **common),
        rates=visit_rates(ds.recipients, visits, policy, periods=periods, network=network,
                          activities=ds.activities),
    )  # fmt: skip


def _configure_care(parser: argparse.ArgumentParser) -> None:
    add_source_arguments(parser)
    parser.add_argument(
        "--as-of", type=_date, required=True, help="the day to check (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--visits", type=Path,
        help="visit log {visits, incidents} (default: <dataset>_visits.json beside the dataset)",
    )  # fmt: skip
    parser.add_argument(
        "--top", type=_count, default=10, help="how many overdue recipients to list"
    )


@command(
    "care",
    help="overdue care visits, early warnings and this month's visit rates",
    configure=_configure_care,
    inputs={"path": "either", "base": "file", "visits": "file"},
)
def _care(args: argparse.Namespace, console: Console) -> int:
    from wushe.care import monthly_periods  # noqa: PLC0415 - load the engine on use
    from wushe.io import load_visit_log  # noqa: PLC0415
    from wushe.network import StationNetwork  # noqa: PLC0415

    ds = _load_or_report(args.path, console, args.base)
    log = args.visits or args.path.with_name(f"{args.path.stem}_visits.json")
    visits: tuple[Any, ...] = ()
    incidents: tuple[Any, ...] = ()
    if log.exists():
        _check_input(log, "file")
        with _reading(log):
            visits, incidents = load_visit_log(log, dataset=ds)
    else:
        console.warn(
            f"no visit log at {log}; everyone is due",
            f"未找到巡访记录 {log}，所有对象均视为待访",
        )
    network = StationNetwork.from_dataset(ds)
    as_of: date = args.as_of
    month = monthly_periods(as_of.replace(day=1), as_of)
    facts = _care_facts(ds, network, visits, incidents, as_of, month)
    streets = {s.station_id for s in network.stations if s.level.rank <= 1}
    shown = [r for r in facts.rates if r.station_id in streets]
    late, policy = facts.late, facts.policy
    if console.json:
        console.emit({
            "as_of": as_of.isoformat(),
            "policy": policy.name,
            "overdue": [attrs.asdict(d) for d in late],
            "warnings": [{"recipient_id": w.recipient_id, "code": w.code.value, "station_id": w.station_id,
                          "since": w.since, "message": w.message(console.lang)} for w in facts.warnings],
            "rates": [attrs.asdict(r) | {"rate": r.rate} for r in shown],
        })  # fmt: skip
        return EXIT_OK
    from wushe.io import care_section  # noqa: PLC0415

    console.say(f"{ds.name}, {month[0].start} – {month[0].end}",
                f"{ds.name}，{month[0].start} 至 {month[0].end}")  # fmt: skip
    console.section(
        care_section(network=network, policy=policy, late=late, warnings=facts.warnings,
                     rates=facts.rates, as_of=as_of, top=args.top, lang=console.lang)
    )  # fmt: skip
    return EXIT_OK
