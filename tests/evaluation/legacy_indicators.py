"""indicator_actuals() as one long function, before #15 split it (kept to check the split)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import attrs

from wushe.evaluation import IndicatorActual, is_known_indicator
from wushe.evaluation._indicators import (
    _LEDGER_COUNT,
    _UNITS,
    _canonical,
    _from_ledger,
    _ledger_keys,
)
from wushe.exceptions import EvaluationError
from wushe.models import Activity, Period, ServiceProject, Station
from wushe.network import StationNetwork
from wushe.vocab import ActivityType


def legacy_indicator_actuals(
    subject: ServiceProject | Station,
    activities: Iterable[Activity],
    *,
    period: Period | None = None,
    network: StationNetwork | None = None,
    as_of: date | None = None,
) -> dict[str, IndicatorActual]:
    key, wanted, stations = _ledger_keys(subject, network)
    if isinstance(subject, ServiceProject):
        period = period or subject.period
    first = period.start if period is not None else date.min
    last = min(period.end if period is not None else date.max, as_of or date.max)

    sessions: dict[ActivityType, int] = defaultdict(int)
    persons: dict[ActivityType, int] = defaultdict(int)
    rows_by_type: dict[ActivityType, list[str]] = defaultdict(list)
    amounts: dict[str, Decimal] = defaultdict(Decimal)
    rows_by_output: dict[str, list[str]] = defaultdict(list)
    output_units: dict[str, str] = {}
    recipients: set[str] = set()
    volunteers: set[str] = set()
    recipient_rows: list[str] = []
    volunteer_rows: list[str] = []
    # One pass with plain attribute reads: this loop is the cost of evaluating a big ledger.
    for row in activities:
        if key(row) not in wanted or not first <= row.held_on <= last:
            continue
        if stations is not None and row.station_id not in stations:
            continue
        kind = row.activity_type
        rows_by_type[kind].append(row.activity_id)
        sessions[kind] += row.sessions
        persons[kind] += row.person_times
        for output in row.outputs:
            name = f"outputs.{output.name}"
            seen = output_units.setdefault(name, output.unit)
            if seen != output.unit:
                msg = (
                    f"activity {row.activity_id!r}: output {output.name!r} is recorded "
                    f"in {output.unit!r} here and in {seen!r} elsewhere"
                )
                raise EvaluationError(msg)
            amounts[name] += output.amount
            rows_by_output[name].append(row.activity_id)
        if row.recipient_ids:
            recipients.update(row.recipient_ids)
            recipient_rows.append(row.activity_id)
        if row.volunteer_ids:
            volunteers.update(row.volunteer_ids)
            volunteer_rows.append(row.activity_id)
    # Sort each id list once and share the tuple: sorting is most of the cost at 10^6 rows.
    by_type = {kind: tuple(sorted(ids)) for kind, ids in rows_by_type.items()}
    all_rows = tuple(sorted(row_id for ids in by_type.values() for row_id in ids))

    def actual(
        name: str, value: float, ids: tuple[str, ...] | list[str], unit: str
    ) -> IndicatorActual:
        return IndicatorActual(
            indicator=name,
            value=float(value),
            source="ledger",
            period=period,
            unit=unit,
            record_ids=ids if isinstance(ids, tuple) else tuple(sorted(ids)),
        )

    result: dict[str, IndicatorActual] = {}
    for kind, ids in by_type.items():
        name = kind.value
        result[f"{name}.sessions"] = actual(
            f"{name}.sessions", sessions[kind], ids, "场次"
        )
        result[f"{name}.person_times"] = actual(
            f"{name}.person_times", persons[kind], ids, "人次"
        )
    for name, amount in amounts.items():
        result[name] = actual(
            name, float(amount), rows_by_output[name], output_units[name]
        )
    result["total.sessions"] = actual(
        "total.sessions", sum(sessions.values()), all_rows, "场次"
    )
    result["total.person_times"] = actual(
        "total.person_times", sum(persons.values()), all_rows, "人次"
    )
    result["recipients.distinct"] = actual(
        "recipients.distinct", len(recipients), recipient_rows, "人"
    )
    result["volunteers.distinct"] = actual(
        "volunteers.distinct", len(volunteers), volunteer_rows, "人"
    )
    targeted = subject.targets if isinstance(subject, ServiceProject) else ()
    for target in targeted:
        name = target.indicator
        if name in result or not is_known_indicator(name) or not _from_ledger(name):
            continue
        full = _canonical(name)
        if full in result:
            result[name] = attrs.evolve(result[full], indicator=name)
        else:  # the ledger was searched and holds none: a recorded zero
            match = _LEDGER_COUNT.match(full)
            unit = _UNITS[match.group(2)] if match else target.unit
            result[name] = actual(name, 0, (), unit)
    return dict(sorted(result.items()))
