"""Load a locality and summarise it (加载一个街道的数据).

Seed 000: 重庆市渝中区七星岗街道 — one street social-work station run by 巴渝公益 and the eight
community social-work rooms that took part in the sixth 巴渝社会工作宣传周 (March 2022).
"""

from __future__ import annotations

from collections import Counter

from wushe import ActivityType, StationLevel, examples


def main() -> None:
    ds = examples.load("qixinggang")
    print(f"{ds.name} ({ds.division_code})")
    street = next(s for s in ds.stations if s.level is StationLevel.TOWNSHIP)
    rooms = [s for s in ds.stations if s.level is StationLevel.VILLAGE]
    operator = next(
        o for o in ds.organizations if o.organization_id == street.operator_id
    )
    print(f"{street.name}, operated by {operator.name}; {len(rooms)} community rooms:")
    for room in rooms:
        print(f"  - {room.name}")
    types = Counter(a.activity_type for a in ds.activities for _ in range(a.sessions))
    print("publicity-week ledger:")
    for activity_type, sessions in types.most_common():
        print(f"  {activity_type.zh:<8}{sessions:>3} sessions")
    publicity = sum(
        a.sessions
        for a in ds.activities
        if a.activity_type is ActivityType.POLICY_PUBLICITY
    )
    print(
        f"recipients: {len(ds.recipients)} (names masked, e.g. {ds.recipients[0].name})"
    )
    print(f"publicity sessions in the week: {publicity}")


if __name__ == "__main__":
    main()
