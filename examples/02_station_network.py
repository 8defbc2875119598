"""Station networks of the seed localities, with their published figures recomputed (社工站网络).

For each seed locality in :mod:`wushe.examples` this builds the :class:`~wushe.network.StationNetwork`,
then computes coverage (应建尽建), six-haves compliance (六有) and the ledger roll-up, and
prints the figures the news reports publish beside the figures computed from the records.
It also draws each station tree to ``$WUSHE_OUTPUT_DIR`` (default ``out/``) when matplotlib
is installed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from wushe import StationLevel, examples
from wushe.exceptions import MissingDependencyError
from wushe.io import draw_station_tree
from wushe.models import Dataset
from wushe.network import (
    StationNetwork,
    compliance,
    coverage,
    ledger_metrics,
    output,
    rollup,
)
from wushe.vocab import ActivityType, OrganizationType, RegistrationMode

OUT = Path(os.environ.get("WUSHE_OUTPUT_DIR", "out"))
Figure = tuple[str, str, object]


def count_of(value: object) -> int:
    return value if isinstance(value, int) else 0


def count(net: StationNetwork, level: StationLevel) -> int:
    return sum(1 for s in net.stations if s.level is level)


def jinniu(_: Dataset, net: StationNetwork) -> list[Figure]:
    cov = coverage(net)
    six = compliance(net)
    books = output("books", "儿童绘本", unit="本")
    cultivated = output("volunteers_cultivated", "培育志愿者", unit="人")
    r = rollup(net, metrics=[*ledger_metrics(), books, cultivated])

    def total(metric: str) -> object:
        return r.total("jn-hub", metric)

    with_books = [s for s in net.stations if r.own(s.station_id, books)]
    return [
        ("街道社工站 streets with a station", "13", cov.summary(StationLevel.TOWNSHIP).built),
        ("社区社工室 community rooms", "90", cov.summary(StationLevel.VILLAGE).built),
        ("六有 compliant stations (13 + 90)", "103", sum(
            1 for row in six.rows if row.compliant and row.level is not StationLevel.COUNTY
        )),
        ("个案服务 cases", "21", total("case_service.sessions")),
        ("小组活动 group sessions", "300余", total("group_activity.sessions")),
        ("社区活动 community events", "900余", total("community_event.sessions")),
        ("志愿者培训 volunteer trainings", "80余", total("volunteer_training.sessions")),
        ("培育志愿者 volunteers cultivated", "600余", total("volunteers_cultivated")),
        ("政策宣传 policy publicity events", "180余", total("policy_publicity.sessions")),
        ("社工主题宣传 social-work theme publicity", "100余", total("social_work_publicity.sessions")),
        ("服务群众人次 residents served", "24万余", total("served_person_times")),
        ("培训督导人次 trained staff and volunteers, counted apart", "—", total("trained_person_times")),
        ("巡访 care-visit attendances", "25075", total("care_visit.person_times")),
        ("儿童绘本 books donated", "2400", total("books")),
        ("… to street stations", "4", sum(1 for s in with_books if s.level is StationLevel.TOWNSHIP)),
        ("… to community rooms", "14", sum(1 for s in with_books if s.level is StationLevel.VILLAGE)),
        ("实地督导 supervision visits", "13", total("supervision.sessions")),
        ("项目评估 project evaluations", "5", total("project_evaluation.sessions")),
    ]  # fmt: skip


def qianfeng(ds: Dataset, net: StationNetwork) -> list[Figure]:
    children = output("children_benefited", "受益儿童", unit="人")
    elders = output("elders_benefited", "受益老人", unit="人")
    r = rollup(net, metrics=[*ledger_metrics(), children, elders])
    school = [s.station_id for s in net.stations if s.level is StationLevel.SCHOOL]
    this_year = sum(a.sessions for a in ds.activities if a.station_id in school)
    agencies = [o for o in ds.organizations if o.is_social_work_agency]
    return [
        ("区级社工总站 district hub", "1", count(net, StationLevel.COUNTY)),
        ("镇（街道）社工站 town/street stations", "9", count(net, StationLevel.TOWNSHIP)),
        ("村（社区）社工室 rooms", "23", count(net, StationLevel.VILLAGE)),
        ("养老机构社工站 elderly-institution stations", "4", count(net, StationLevel.ELDERLY_INSTITUTION)),
        ("学校社工站 school stations", "2", count(net, StationLevel.SCHOOL)),
        ("school stations' sessions this year", "12", this_year),
        ("school stations' attendances", "1000余", sum(count_of(r.total(s, "person_times")) for s in school)),
        ("… at the hub, each school counted once", "1000余", r.total("qf-hub", "person_times")),
        ("老幼关爱活动 care activities", "100余", r.total("qf-hub", "community_event.sessions")),
        ("受益儿童 children benefiting", "6000余", r.total("qf-hub", children)),
        ("受益老人 elders benefiting", "3000余", r.total("qf-hub", elders)),
        ("社工机构 agencies (3 brought in + 3 local)", "6", len(agencies)),
    ]  # fmt: skip


def qixinggang(ds: Dataset, net: StationNetwork) -> list[Figure]:
    cov = coverage(net)
    meeting = next(a for a in ds.activities if a.activity_type is ActivityType.MEETING)
    return [
        ("街道社工站 street station", "1", cov.summary(StationLevel.TOWNSHIP).built),
        ("社区社工室 community rooms", "8", cov.summary(StationLevel.VILLAGE).built),
        ("rooms linked to the street station", "8", len(net.children("qxg-ts"))),
        ("协调会 attendees", "16", meeting.person_times),
    ]


def jiulong(ds: Dataset, net: StationNetwork) -> list[Figure]:
    community_workers = [w for w in ds.workers if w.is_community_worker]
    certified = [w for w in community_workers if w.qualification is not None]
    share = Decimal(len(certified)) / len(community_workers) * 100
    scope = net.scope("jl-ts")
    return [
        ("社工室 rooms", "10", count(net, StationLevel.VILLAGE)),
        ("持证社区工作者 certified community workers", "103", len(certified)),
        ("… share of community workers", "75%", f"{share:.0f}% of {len(community_workers)}"),
        ("入驻社会组织 organisations in the center", "15", sum(
            1 for o in ds.organizations
            if o.registration is RegistrationMode.REGISTERED and not o.is_hub
        )),
        ("登记备案社会团体 registered or filed community groups", "138", sum(
            1 for o in ds.organizations
            if o.org_type is OrganizationType.COMMUNITY_GROUP
        )),
        ("workers in the street station's scope", "—", len(scope.workers)),
    ]  # fmt: skip


def wengan(_: Dataset, net: StationNetwork) -> list[Figure]:
    towns = coverage(net).summary(StationLevel.TOWNSHIP)
    by_year = dict(towns.planned_by_year)
    first = sorted(
        s.name.removesuffix("社工站") for s in net.stations if s.planned_year == 2022
    )
    published = sorted(["珠藏镇", "银盏镇", "瓮水街道", "雍阳街道"])
    return [
        ("2022 年优先建设镇街社工站 planned for 2022", "4", by_year.get(2022, 0)),
        ("… which", " ".join(published), " ".join(first)),
        ("built so far (as of 2022-03)", "0", towns.built),
        (
            "townships covered once the plan is done (illustrative)",
            "—",
            f"{towns.planned_rate:.0%}",
        ),
    ]


LOCALITIES: list[tuple[str, Callable[[Dataset, StationNetwork], list[Figure]]]] = [
    ("jinniu", jinniu),
    ("qianfeng", qianfeng),
    ("qixinggang", qixinggang),
    ("jiulong", jiulong),
    ("wengan", wengan),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, figures in LOCALITIES:
        ds = examples.load(name)
        net = StationNetwork.from_dataset(ds)
        roots = (
            ", ".join(net.roots) if len(net.roots) <= 3 else f"{len(net.roots)} roots"
        )
        print(f"\n{ds.name} ({ds.division_code}): {len(net)} stations; {roots}")
        print(f"  {'figure':<44}{'published':>14}  computed")
        for label, published, computed in figures(ds, net):
            print(f"  {label:<44}{published:>14}  {computed}")
        try:
            png = draw_station_tree(net, OUT / f"{name}_stations.png")
        except MissingDependencyError as exc:
            print(f"  (no picture: {exc})")
        else:
            print(f"  tree drawn to {png}")


if __name__ == "__main__":
    main()
