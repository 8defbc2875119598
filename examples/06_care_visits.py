"""Care visits and early warning in 金牛区, 2023 (关爱巡访与预警).

Seed 002: 成都市金牛区 built a district → street station → community room visit system and
visited people in special hardship 25,075 times in 2023. This example loads the district
(``jinniu.json``) and its visit log (``jinniu_visits.json``, generated from the ledger by
``make_jinniu_visits.py``), recomputes the 25,075 person-times from the individual visits,
lists who is overdue at the end of the year (names masked) with the early warnings, plans
December's visits through the matching engine, and prints the monthly visit rate of every
street. The tiering is the local example policy
(Inner Mongolia), not a national standard.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from datetime import date
from pathlib import Path

from pydantic import TypeAdapter

from wushe import StationLevel, VisitPolicy, examples
from wushe.care import (
    IncidentReport,
    VisitRecord,
    monthly_periods,
    overdue,
    plan_visits,
    visit_rates,
    warnings,
)
from wushe.models import Period
from wushe.network import StationNetwork

AS_OF = date(2023, 12, 31)
VISITS = TypeAdapter(list[VisitRecord])
INCIDENTS = TypeAdapter(list[IncidentReport])


def pad(text: str, width: int) -> str:
    """Pad to a display width, counting a CJK character as two columns."""
    shown = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
    return text + " " * max(0, width - shown)


def main() -> None:
    ds = examples.load("jinniu")
    raw = json.loads(examples.path("jinniu_visits.json").read_text(encoding="utf-8"))
    visits = VISITS.validate_python(raw["visits"])
    incidents = INCIDENTS.validate_python(raw["incidents"])
    policy = VisitPolicy()
    network = StationNetwork.from_dataset(ds)
    names = {p.recipient_id: p.name for p in ds.recipients}

    print(
        f"{ds.name}: {len(ds.recipients):,} recipients, {len(visits):,} visit attempts"
    )
    print(f"policy: {policy.name} — {policy.source}")
    tiers = Counter(
        tier.code
        for p in ds.recipients
        if (tier := policy.tier_for(p, AS_OF)) is not None
    )
    print("covered by tier: " + ", ".join(f"{k} {v:,}" for k, v in tiers.items()))
    asked = sum(
        n * 365 // policy.tier_by_code(code).max_interval_days
        for code, n in tiers.items()
    )
    print(f"visits a year the policy asks for: about {asked:,}")

    year = monthly_periods(date(2023, 1, 1), AS_OF)
    rows = visit_rates(
        ds.recipients,
        visits,
        policy,
        periods=year,
        network=network,
        activities=ds.activities,
    )
    hub = [r for r in rows if r.station_id == "jn-hub"]
    print(
        f"2023 巡访人次 from the visit log: {sum(r.person_times for r in hub):,} "
        f"(ledger: {sum(r.ledger_person_times for r in hub):,}; published: 25,075)"
    )

    late = overdue(
        ds.recipients,
        visits,
        policy,
        as_of=AS_OF,
        incidents=incidents,
        network=network,
    )
    print(f"\noverdue on {AS_OF}: {len(late):,} recipients; the 10 most overdue:")
    for due in late[:10]:
        print(
            f"  {due.recipient_id}  {names[due.recipient_id].masked:<4}  {due.tier:<9}"
            f" due {due.due_on}  {due.overdue_days:>3} days late  station {due.station_id}"
        )
    found = warnings(
        ds.recipients,
        visits,
        policy,
        as_of=AS_OF,
        incidents=incidents,
        network=network,
        with_names=True,
    )
    counts = Counter(w.code for w in found)
    print("early warnings: " + ", ".join(f"{c.zh} {n}" for c, n in counts.items()))
    for warning in [w for w in found if w.code.value != "overdue_visit"][:4]:
        print(f"  [{warning.station_id}] {warning.message('zh')}")

    december = Period(start=date(2023, 12, 1), end=AS_OF)
    plan = plan_visits(
        ds.recipients,
        [v for v in visits if v.visited_at.date() < december.start],
        ds,
        policy,
        period=december,
        incidents=incidents,
        network=network,
    )
    kinds = Counter(v.actor_kind.zh for v in plan.visits)
    print(
        f"\nDecember plan (matching engine, within capacity): {len(plan.visits):,} visits "
        f"assigned ({', '.join(f'{k} {n}' for k, n in kinds.items())}), "
        f"{len(plan.unassigned):,} left open (reasons: plan.match_plans)"
    )

    print("\nmonthly visit rate per street (visited / due, incl. its community rooms):")
    streets = sorted(
        (s for s in ds.stations if s.level is StationLevel.TOWNSHIP),
        key=lambda s: s.station_id,
    )
    by_key = {(r.station_id, r.start.month): r for r in rows}
    print("  " + pad("street", 18) + "".join(f"{m:>5}月" for m in range(1, 13)))
    for station_id, label in [
        *((s.station_id, s.name.removesuffix("社工站")) for s in streets),
        ("jn-hub", "金牛区（合计）"),
    ]:
        rates = [by_key[(station_id, m)].rate for m in range(1, 13)]
        cells = "".join(f"{r:>7.0%}" if r is not None else "      -" for r in rates)
        print("  " + pad(label, 18) + cells)

    out = Path(os.environ.get("WUSHE_OUTPUT_DIR", "out"))
    out.mkdir(parents=True, exist_ok=True)
    with (out / "care_overdue.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["recipient_id", "name", "tier", "due_on", "days", "station"])
        for due in late:
            writer.writerow(
                [
                    due.recipient_id,
                    names[due.recipient_id].masked,
                    due.tier,
                    due.due_on,
                    due.overdue_days,
                    due.station_id,
                ]
            )
    print(f"\nwrote {out / 'care_overdue.csv'} (names masked)")


if __name__ == "__main__":
    main()
