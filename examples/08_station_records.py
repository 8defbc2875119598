"""金牛区's cases, supervision and training, counted from the station's records (站点业务记录).

Seed 002 reports for 2023: "开展个案服务21个", "实地督导13次，覆盖了13个街道、32个社区" and
"共计服务全区社工270余人次". ``wushe.examples.load("jinniu")`` holds the cases with their
sessions, the hub's supervision sessions and its trainings as records; this script computes
each figure from them and prints it beside the published one, then lists the workers
short of this year's continuing-education hours.
"""

from __future__ import annotations

from wushe import examples
from wushe.models import Dataset
from wushe.network import (
    StationNetwork,
    cpd_status,
    record_rollup,
    supervision_summary,
    training_summary,
)
from wushe.vocab import SupervisionMode

HUB = "jn-hub"


def figures(ds: Dataset) -> list[tuple[str, str, object]]:
    """(figure, published, computed) for the report's casework, supervision and training."""
    totals = record_rollup(StationNetwork.from_dataset(ds))
    field = supervision_summary(ds, station_id=HUB, mode=SupervisionMode.FIELD)
    trained = training_summary(ds, station_id=HUB)
    return [
        ("个案 cases", "21", totals.total(HUB, "cases.opened")),
        ("实地督导 field supervisions", "13", field.sessions),
        ("覆盖街道 streets reached", "13", field.streets),
        ("覆盖社区 communities reached", "32", field.communities),
        ("培训人次 training attendances", "270余", trained.person_times),
    ]


def main() -> None:
    ds = examples.load("jinniu")
    print(f"{ds.name}, {ds.as_of}")
    for label, published, computed in figures(ds):
        print(f"  {label:<34} published {published:>6}  computed {computed}")
    totals = record_rollup(StationNetwork.from_dataset(ds))
    print(
        f"  个案服务次数 case sessions (apart from cases): {totals.total(HUB, 'case_sessions')}"
    )
    year = ds.as_of.year if ds.as_of else 2023
    short = [row for row in cpd_status(ds, year) if not row.met]
    print(f"  继续教育未达标 workers short of {year} hours: {len(short)}")
    for row in short[:3]:
        level = row.qualification.zh if row.qualification else "未持证"
        print(f"    {row.worker_id} ({level}): {row.hours} of {row.required} hours")


if __name__ == "__main__":
    main()
