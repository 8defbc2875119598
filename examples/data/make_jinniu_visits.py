"""Generate ``jinniu_visits.json``: 金牛区's 2023 care-visit log, one row per attempt (seed 002).

The district's ledger (``jinniu.json``) keeps care visits as monthly rows per community room
whose person-times add up to the published 25,075 巡访人次. This script turns every ledger row
into that many individual visits to recipients of the room's community, so that the figure
comes back from visit records. Visits go first to each covered recipient once (high-risk,
key, then general recipients due that quarter), then to more weekly visits for high-risk
elders; a room with fewer visits than that leaves someone overdue, as real ledgers do.
Failed phone attempts (not counted as visits), a few runs of missed contacts and a few
hospitalisations in late December are added for the early-warning example. Seeded, so the
file is reproducible::

    python examples/data/make_jinniu_visits.py

Visits carry no ``station_id``: each was made by the recipient's own community room, which
is what :func:`wushe.care.visit_rates` assumes when it is missing. Every person is
fictitious; notes are not generated.
"""

from __future__ import annotations

import calendar
import json
import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from wushe.care import VisitPolicy
from wushe.io import load_dataset
from wushe.vocab import ActivityType

HERE = Path(__file__).resolve().parents[2] / "src" / "wushe" / "examples" / "data"
OUT = HERE / "jinniu_visits.json"
YEAR = 2023


def main() -> None:
    rng = random.Random(25075)
    ds = load_dataset(HERE / "jinniu.json")
    policy = VisitPolicy()
    tier_of: dict[str, str] = {}
    for person in ds.recipients:
        found = policy.tier_for(person, date(YEAR, 12, 31))
        if found is not None:
            tier_of[person.recipient_id] = found.code
    people: dict[str, list[str]] = defaultdict(list)
    for person in ds.recipients:
        if person.recipient_id in tier_of:
            people[person.community_id].append(person.recipient_id)
    workers: dict[str, list[str]] = defaultdict(list)
    for worker in ds.workers:
        if worker.station_id is not None:
            workers[worker.station_id].append(worker.worker_id)
    parent = {s.station_id: s.parent_ids[0] for s in ds.stations if s.parent_ids}
    helpers: dict[str, list[str]] = defaultdict(list)
    for volunteer in ds.volunteers:
        if volunteer.home_community_id is not None:
            helpers[volunteer.home_community_id].append(volunteer.volunteer_id)
    all_volunteers = [v.volunteer_id for v in ds.volunteers]
    quarter_slot = {rid: rng.randrange(3) for rid in tier_of}

    visits: list[dict[str, Any]] = []

    def add(rid: str, at: datetime, room: str, community: str, **extra: Any) -> None:
        staff = workers.get(room) or workers.get(parent.get(room, ""), []) or ["-"]
        row: dict[str, Any] = {
            "visit_id": f"v{len(visits) + 1:05d}",
            "recipient_id": rid,
            "visited_at": at.isoformat(timespec="minutes"),
        }
        method = (
            extra.pop("method", None)
            or rng.choices(
                ["door_visit", "phone", "volunteer_pairing", "video"], (55, 25, 15, 5)
            )[0]
        )
        if method != "door_visit":
            row["method"] = method
        if method == "volunteer_pairing":
            row["volunteer_ids"] = [
                rng.choice(helpers.get(community) or all_volunteers)
            ]
        elif staff != ["-"]:
            row["worker_ids"] = [rng.choice(staff)]
        row.update(extra)
        visits.append(row)

    ledger = sorted(
        (a for a in ds.activities if a.activity_type is ActivityType.CARE_VISIT),
        key=lambda a: (a.held_on, a.activity_id),
    )
    for row in ledger:
        community = row.community_id or ""
        month = row.held_on.month
        days = calendar.monthrange(YEAR, month)[1]
        residents = sorted(people.get(community, ()))
        if not residents:
            continue
        rng.shuffle(residents)
        order = {"high_risk": 0, "key": 1, "general": 2}
        residents.sort(key=lambda rid: order[tier_of[rid]])
        demands: list[tuple[str, int]] = []
        for rid in residents:
            if tier_of[rid] != "general" or month % 3 == quarter_slot[rid]:
                demands.append((rid, rng.randint(1, 7)))
        for week in (1, 2, 3, 4):
            demands += [
                (rid, min(days, 1 + 7 * week + rng.randint(0, 2)))
                for rid in residents
                if tier_of[rid] == "high_risk"
            ]
        while len(demands) < row.person_times:
            demands.append((rng.choice(residents), rng.randint(1, days)))
        for rid, day in demands[: row.person_times]:
            at = datetime(
                YEAR, month, day, rng.randint(9, 16), rng.choice((0, 15, 30, 45))
            )
            room = row.station_id
            if rng.random() < 0.04:
                add(
                    rid,
                    at - timedelta(hours=2),
                    room,
                    community,
                    method="phone",
                    outcome="not_reached",
                )
            add(rid, at, room, community)
    incidents: list[dict[str, Any]] = []
    high_risk = sorted(rid for rid, tier in tier_of.items() if tier == "high_risk")
    community_of = {p.recipient_id: p.community_id for p in ds.recipients}
    room_of = {s.community_ids[0]: s.station_id for s in ds.stations if s.community_ids}
    for rid in rng.sample(high_risk, 6):
        for k in range(3):
            at = datetime(YEAR, 12, 28 + k, 10, 0)
            add(
                rid,
                at,
                room_of[community_of[rid]],
                community_of[rid],
                method="phone",
                outcome="not_reached",
            )
    for k, rid in enumerate(rng.sample(high_risk, 4)):
        incidents.append(
            {
                "incident_id": f"jn-i{k + 1:03d}",
                "recipient_id": rid,
                "kind": rng.choice(["hospitalisation", "fall", "bereavement"]),
                "occurred_at": datetime(YEAR, 12, 29, 8 + k, 0).isoformat(
                    timespec="minutes"
                ),
                "reported_by": room_of[community_of[rid]],
            }
        )
    visits.sort(key=lambda v: (v["visited_at"], v["visit_id"]))
    text = (
        "{\n"
        '  "description": "金牛区 2023 care-visit log, generated from the ledger by make_jinniu_visits.py; fictitious.",\n'
        '  "visits": [\n'
        + ",\n".join(
            "    " + json.dumps(v, ensure_ascii=False, separators=(",", ":"))
            for v in visits
        )
        + '\n  ],\n  "incidents": [\n'
        + ",\n".join(
            "    " + json.dumps(i, ensure_ascii=False, separators=(",", ":"))
            for i in incidents
        )
        + "\n  ]\n}\n"
    )
    OUT.write_text(text, encoding="utf-8")
    contacts = sum(v.get("outcome", "contacted") != "not_reached" for v in visits)
    print(
        f"wrote {OUT.name}: {len(visits)} attempts, {contacts} visits, {len(incidents)} incidents"
    )


if __name__ == "__main__":
    main()
