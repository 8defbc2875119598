"""Generate the seed localities ``qianfeng.json``, ``jiulong.json`` and ``wengan.json``.

Each file expresses one news report in ``../shared/seeds/`` as records, with the figures the
report publishes; ``examples/02_station_network.py`` computes those figures back. County
codes are real (511603 前锋区, 500107 九龙坡区, 522725 瓮安县); township and village codes are
synthetic but valid and flagged ``synthetic_code``, and follow the NBS township blocks
(GB/T 10114-2003, DOMAIN.md §12.3): streets 001–099, towns 100–199, townships 200–399. Names of townships the seeds do not
mention, and every person, are illustrative or fictitious. Seeded, so reproducible::

    python examples/data/make_localities.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[2] / "src" / "wushe" / "examples" / "data"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华玉兰桂珍凤琴平红梅志德宁淑贞"


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.randint(1, 2))
    )


def township_code(county: str, town: str, number: int) -> str:
    """A synthetic township code in the block its kind takes: 街道 001-, 镇 101-, 乡 201-."""
    block = 0 if town.endswith("街道") else 200 if town.endswith("乡") else 100
    return f"{county}{block + number:03d}"


def write(filename: str, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1)
    (HERE / filename).write_text(text + "\n", encoding="utf-8")
    print(f"wrote {filename}: {len(data['stations'])} stations")


def _qianfeng_base() -> dict[str, Any]:
    """广安市前锋区 (seed 002): 1 hub, 9 town/street stations, 23 rooms, 4 + 2 attached."""
    rng = random.Random(511603)
    district = "511603"
    # Towns and streets of 前锋区 as commonly listed; which 9 hold the stations is illustrative.
    towns = ["奎阁街道", "大佛寺街道", "龙塘街道", "代市镇", "观塘镇", "护安镇", "观阁镇", "广兴镇", "桂兴镇"]  # fmt: skip
    rooms_per_town = [3, 3, 3, 3, 3, 2, 2, 2, 2]  # 23 rooms
    divisions: list[dict[str, Any]] = [{"division_code": district, "name": "前锋区"}]
    communities: list[dict[str, Any]] = []
    stations: list[dict[str, Any]] = [
        {
            "station_id": "qf-hub",
            "name": "前锋区社会工作总站",
            "level": "county",
            "division_code": district,
            "local_name": "区级社工总站",
            "operator_id": "qf-org-cq",
        }
    ]
    codes = {
        town: township_code(district, town, t) for t, town in enumerate(towns, start=1)
    }
    for t, (town, rooms) in enumerate(zip(towns, rooms_per_town, strict=True), start=1):
        code = codes[town]
        divisions.append({"division_code": code, "name": town, "synthetic_code": True})
        stations.append(
            {
                "station_id": f"qf-ts{t:02d}",
                "name": f"{town}社工站",
                "level": "township",
                "division_code": code,
                "parent_ids": ["qf-hub"],
                "operator_id": ("qf-org-cq", "qf-org-1", "qf-org-2")[(t - 1) % 3],
            }
        )
        street = town.endswith("街道")
        for r in range(1, rooms + 1):
            cid = f"qf-c{t}{r:02d}"
            # Village block hint (DOMAIN.md §12.3): residents' committees 0xx, villagers' 2xx.
            village = f"{code}{(0 if street else 200) + r:03d}"
            label = (
                f"{town[:-2] if street else town[:-1]}{'社区' if street else '村'}{r}"
            )
            communities.append(
                {
                    "community_id": cid,
                    "name": f"{label}（示例）",
                    "division_code": village,
                    "committee": "residents" if street else "villagers",
                    "synthetic_code": True,
                }
            )
            stations.append(
                {
                    "station_id": f"qf-r{t}{r:02d}",
                    "name": f"{label}社会工作室",
                    "level": "village",
                    "division_code": village,
                    "parent_ids": [f"qf-ts{t:02d}"],
                    "community_ids": [cid],
                }
            )
    elderly = [
        ("qf-eld1", "前锋区社会福利中心社工站", "qf-hub", district),
        ("qf-eld2", "代市镇中心敬老院社工站", "qf-ts04", codes["代市镇"]),
        ("qf-eld3", "观塘镇敬老院社工站", "qf-ts05", codes["观塘镇"]),
        ("qf-eld4", "广兴镇敬老院社工站", "qf-ts08", codes["广兴镇"]),
    ]
    for sid, title, parent, code in elderly:
        stations.append(
            {
                "station_id": sid,
                "name": title,
                "level": "elderly_institution",
                "division_code": code,
                "parent_ids": [parent],
            }
        )
    # The two pilot school stations, attached to a street station (which one is
    # illustrative: the seed does not say how they report).
    for sid, title, town_no in (
        ("qf-sch1", "代市中学前锋校区学校社工站", 1),
        ("qf-sch2", "前锋思源实验小学校区学校社工站", 2),
    ):
        stations.append(
            {
                "station_id": sid,
                "name": title,
                "level": "school",
                "division_code": codes[towns[town_no - 1]],
                "parent_ids": [f"qf-ts{town_no:02d}"],
                "operator_id": "qf-org-cq",
            }
        )
    organizations = [
        {
            "organization_id": "qf-org-cq",
            "name": "重庆某枢纽型社工机构（示例）",
            "is_social_work_agency": True,
            "is_hub": True,
            "services": ["child_welfare", "psychosocial", "education"],
        },
        *(
            {
                "organization_id": f"qf-org-{i}",
                "name": f"引进社工机构{i}（示例）",
                "is_social_work_agency": True,
                "services": ["social_assistance", "elderly_care", "child_welfare"],
            }
            for i in (1, 2)
        ),
        *(
            {
                "organization_id": f"qf-org-local{i}",
                "name": f"前锋区本土社工机构{i}（示例）",
                "is_social_work_agency": True,
                "incubation_stage": "start_up",
                "services": ["elderly_care", "disability_support"],
            }
            for i in (1, 2, 3)
        ),
    ]
    workers = [
        {
            "worker_id": f"qf-w{i:02d}",
            "name": name(rng),
            "qualification": rng.choice(["assistant", "intermediate", None]),
            "station_id": s["station_id"],
            "organization_id": s.get("operator_id", "qf-org-1"),
        }
        for i, s in enumerate(
            (s for s in stations if s["level"] in ("county", "township", "school")),
            start=1,
        )
    ]
    project = {
        "project_id": "qf-proj-yltx",
        "name": "五社联动·益路童行",
        "funder": "前锋区民政局",
        "operator_id": "qf-org-cq",
        "budget": "300000",
        "period": {"start": "2023-01-01", "end": "2023-12-31"},
        "station_ids": ["qf-sch1", "qf-sch2"],
        "categories": ["child_welfare", "psychosocial"],
    }
    # This year's school ledger: 12 themed sessions, 1,000+ student attendances. 日常探访
    # here is the school workers' routine outreach to learn students' needs (the seed: 走访、
    # 问卷 摸清需求), not the civil-affairs 关爱巡访 counted in 月探访率; a 知识讲座 is a
    # lecture, not group work (小组).
    school_rows = [
        ("needs_assessment", "日常探访"),
        ("policy_publicity", "宣传教育"),
        ("lecture", "知识讲座"),
    ]
    activities: list[dict[str, Any]] = []
    attendances = [92, 85, 88, 80, 91, 86, 84, 90, 83, 87, 89, 81]  # 1,036
    for i, attend in enumerate(attendances):
        kind, title = school_rows[i % 3]
        activities.append(
            {
                "activity_id": f"qf-a{i + 1:03d}",
                "activity_type": kind,
                "held_on": f"2023-{3 + i // 2:02d}-{10 + i % 2 * 10}",
                "station_id": "qf-sch1" if i % 2 == 0 else "qf-sch2",
                "project_id": "qf-proj-yltx",
                "title": title,
                "person_times": attend,
            }
        )
    # 100+ care activities over three years (助困、助学、助医、助残), 6,000+ children and
    # 3,000+ elders benefiting: recorded as outputs rather than 9,000 person records.
    towns_ts = [f"qf-ts{t:02d}" for t in range(1, 10)]
    for i in range(104):
        activities.append(
            {
                "activity_id": f"qf-b{i + 1:03d}",
                "activity_type": "community_event",
                "held_on": f"{2021 + i % 3}-{1 + i % 12:02d}-15",
                "station_id": towns_ts[i % 9],
                "title": ["助困", "助学", "助医", "助残"][i % 4] + "老幼关爱活动",
                "outputs": [
                    {"name": "children_benefited", "amount": 58 + i % 3, "unit": "人"},
                    {"name": "elders_benefited", "amount": 29 + i % 2, "unit": "人"},
                ],
            }
        )
    return {
        "name": "广安市前锋区",
        "division_code": district,
        "description": (
            "Seed 002 (金台资讯): the station network 前锋区 built in three years — 1 district "
            "hub, 9 town/street stations, 23 village/community rooms, 4 elderly-institution "
            "stations and 2 pilot school stations (代市中学前锋校区, 前锋思源实验小学校区) — "
            "with the school ledger of the year and the three years' care activities. "
            "511603 is real; township and village codes, room names and the choice of towns "
            "are illustrative; every person is fictitious. Only communities with a room are "
            "listed, so room coverage is not a published figure. Generated by "
            "examples/data/make_localities.py."
        ),
        "synthetic": True,
        "as_of": "2023-12-31",
        "divisions": divisions,
        "communities": communities,
        "organizations": organizations,
        "workers": workers,
        "stations": stations,
        "projects": [project],
        "activities": activities,
    }


def _jiulong_base() -> dict[str, Any]:
    """九龙坡区九龙街道 (seed 003): the street station, 10 rooms, 137 community workers."""
    rng = random.Random(500107)
    street = "500107001"
    names = ["彩云湖社区", "广厦城社区"] + [f"九龙示例社区{i}" for i in range(3, 11)]
    communities = [
        {
            "community_id": f"jl-c{i:02d}",
            "name": title,
            "division_code": f"{street}{i:03d}",
            "synthetic_code": True,
        }
        for i, title in enumerate(names, start=1)
    ]
    stations: list[dict[str, Any]] = [
        {
            "station_id": "jl-ts",
            "name": "九龙街道社工站（九龙社工）",
            "level": "township",
            "division_code": street,
            "local_name": "九龙社工中心",
            "operator_id": "jl-org",
            "opened_on": "2019-04-01",
        }
    ] + [
        {
            "station_id": f"jl-r{i:02d}",
            "name": f"{c['name']}社工室",
            "level": "village",
            "division_code": c["division_code"],
            "parent_ids": ["jl-ts"],
            "community_ids": [c["community_id"]],
        }
        for i, c in enumerate(communities, start=1)
    ]
    # 137 community workers, 103 of them certified (75%); spread over the 10 rooms.
    workers = []
    for i in range(137):
        certified = i < 103
        workers.append(
            {
                "worker_id": f"jl-w{i + 1:03d}",
                "name": name(rng),
                "qualification": rng.choice(["assistant", "intermediate"])
                if certified
                else None,
                "is_community_worker": True,
                "station_id": f"jl-r{i % 10 + 1:02d}",
                "home_community_id": f"jl-c{i % 10 + 1:02d}",
            }
        )
    organizations: list[dict[str, Any]] = [
        {
            "organization_id": "jl-org",
            "name": "九龙社工",
            "is_social_work_agency": True,
            "is_hub": True,
            "services": ["elderly_care", "child_welfare", "disability_support"],
        }
    ]
    organizations += [
        {
            "organization_id": f"jl-res{i:02d}",
            "name": f"入驻社会组织{i}（示例）",
            "services": [
                "legal_aid" if i % 3 == 0 else "psychosocial",
                "disability_support",
            ],
        }
        for i in range(1, 16)
    ]
    # The seed's 登记备案社会团体 are registered *or* filed; it does not give the split, so
    # all 138 are recorded as filed community groups (illustrative).
    organizations += [
        {
            "organization_id": f"jl-grp{i:03d}",
            "name": f"社区社会团体{i}（示例）",
            "org_type": "community_group",
            "registration": "filed",
            "home_community_id": f"jl-c{i % 10 + 1:02d}",
        }
        for i in range(1, 139)
    ]
    organizations[16]["name"] = "彩云湖社区艺术团"
    organizations[16]["home_community_id"] = "jl-c01"
    return {
        "name": "重庆市九龙坡区九龙街道",
        "division_code": street,
        "description": (
            "Seed 003 (重庆晚报): 九龙街道's 九龙社工 — the street station (center opened "
            "April 2019) and its 10 community rooms; 137 community workers of whom 103 hold "
            "the social-work certificate (75%); 15 organisations based in the center and 138 "
            "registered or filed community groups (the split is not published; recorded as "
            "filed). 500107 is real; street and community codes and eight "
            "community names are synthetic; every person is fictitious. Generated by "
            "examples/data/make_localities.py."
        ),
        "synthetic": True,
        "as_of": "2020-12-31",
        "divisions": [
            {"division_code": "500107", "name": "九龙坡区"},
            {"division_code": street, "name": "九龙街道", "synthetic_code": True},
        ],
        "communities": communities,
        "organizations": organizations,
        "workers": workers,
        "stations": stations,
    }


def _wengan_base() -> dict[str, Any]:
    """瓮安县 (seed 000): the three-year plan, four township stations first in 2022."""
    district = "522725"
    # The four 2022 stations are from the seed; the rest of the plan is an illustration.
    first = [("雍阳街道", "映山红社区"), ("瓮水街道", "河西社区"), ("珠藏镇", "珠藏社区"), ("银盏镇", "江口坝社区")]  # fmt: skip
    later = [("玉山镇", 2023), ("草塘镇", 2023), ("猴场镇", 2023), ("建中镇", 2023),
             ("江界河镇", 2024), ("天文镇", 2024), ("中坪镇", 2024), ("岚关乡", 2024)]  # fmt: skip
    divisions: list[dict[str, Any]] = [{"division_code": district, "name": "瓮安县"}]
    communities = []
    stations = []
    for t, (town, community) in enumerate(first, start=1):
        code = township_code(district, town, t)
        divisions.append({"division_code": code, "name": town, "synthetic_code": True})
        communities.append(
            {
                "community_id": f"wa-c{t}",
                "name": community,
                "division_code": f"{code}001",
                "synthetic_code": True,
            }
        )
        stations.append(
            {
                "station_id": f"wa-ts{t:02d}",
                "name": f"{town}社工站",
                "level": "township",
                "division_code": code,
                "status": "planned",
                "planned_year": 2022,
                "address": f"选址调研：{community}",
            }
        )
    for t, (town, year) in enumerate(later, start=len(first) + 1):
        code = township_code(district, town, t)
        divisions.append({"division_code": code, "name": town, "synthetic_code": True})
        stations.append(
            {
                "station_id": f"wa-ts{t:02d}",
                "name": f"{town}社工站（规划示意）",
                "level": "township",
                "division_code": code,
                "status": "planned",
                "planned_year": year,
            }
        )
    return {
        "name": "贵州省黔南州瓮安县",
        "division_code": district,
        "description": (
            "Seed 000 (中国社会报, 2022): 瓮安县民政局's three-year plan for township "
            "social-work stations, with the four stations to be built first in 2022 — "
            "珠藏镇, 银盏镇, 瓮水街道 and 雍阳街道 — and the sites visited on 24 March 2022. "
            "The seed gives no figures for 2023–2024: the remaining eight townships and "
            "their years are an ILLUSTRATION, marked '规划示意' in their names. 522725 is "
            "real; township and community codes are synthetic. Generated by "
            "examples/data/make_localities.py."
        ),
        "synthetic": True,
        "as_of": "2022-03-24",
        "divisions": divisions,
        "communities": communities,
        "organizations": [
            {
                "organization_id": "wa-xma",
                "name": "广州市心明爱社会工作服务中心",
                "is_social_work_agency": True,
                "home_community_id": "wa-c1",
                "services": [
                    "community_governance",
                    "social_assistance",
                    "child_welfare",
                ],
            }
        ],
        "stations": stations,
    }


def qianfeng() -> dict[str, Any]:
    """前锋区 with the organisations it introduced and incubated and its brands (#13)."""
    data = _qianfeng_base()
    introduced = {
        "qf-org-cq": "2021-03-01",
        "qf-org-1": "2021-09-01",
        "qf-org-2": "2022-03-01",
    }
    for org in data["organizations"]:
        if org["organization_id"] in introduced:
            org["introduced_on"] = introduced[org["organization_id"]]
    # The seed says 前锋区 incubated three local agencies; the base and dates are illustrative.
    data["incubators"] = [{"incubator_id": "qf-incubator", "name": "前锋区社会工作总站孵化基地（示例）",
                           "operator_id": "qf-org-cq", "station_id": "qf-hub", "opened_on": "2021-03-01"}]  # fmt: skip
    data["incubations"] = [
        {"incubation_id": f"qf-inc{i}", "organization_id": f"qf-org-local{i}", "incubator_id": "qf-incubator",
         "cohort": "本土社工机构培育（示例）", "stages": [{"stage": "seed", "entered_on": f"2021-0{3 + i}-01"},
                                                  {"stage": "start_up", "entered_on": f"2022-0{3 + i}-01"}]}
        for i in range(1, 4)
    ]  # fmt: skip
    data["description"] += (
        " The three introduced and three incubated agencies are recorded with an "
        "illustrative incubator and dates; the brands 五微服务 and 苔花行动 are the seed's."
    )
    # The brands are the district's; the seed names no station, so they hang on the hub.
    data["honours"] = [
        {"honour_id": f"qf-brand{i}", "kind": "brand", "category": "服务品牌", "title": title,
         "station_id": "qf-hub"}
        for i, title in enumerate(["五微服务", "苔花行动"], start=1)
    ]  # fmt: skip
    return data


def _jiulong_projects(
    rng: random.Random,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """41 city and district projects over seven years and their ledger, 5万余 served."""
    projects = []
    for p in range(1, 42):
        year = 2014 + p % 7
        projects.append({"project_id": f"jl-proj{p:02d}", "name": f"九龙社工{'市' if p % 3 == 0 else '区'}级社会工作项目{p}（示例）",
                         "funder": "重庆市民政局" if p % 3 == 0 else "九龙坡区民政局", "operator_id": "jl-org",
                         "budget": str(rng.randint(5, 40) * 10000), "station_ids": ["jl-ts"],
                         "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"}})  # fmt: skip
    people = spread(50_640, 82, rng)
    activities = [
        {"activity_id": f"jl-a{k + 1:03d}", "activity_type": ("community_event", "group_activity")[k % 2],
         "held_on": f"{2014 + (k // 2 + 1) % 7}-{3 + k % 8:02d}-15", "station_id": "jl-ts",
         "project_id": f"jl-proj{k // 2 + 1:02d}", "person_times": n, "title": "项目服务活动（示例）"}
        for k, n in enumerate(people)
    ]  # fmt: skip
    return projects, activities


def _jiulong_volunteers(
    rng: random.Random,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The art troupe's volunteer team with six squads, other teams, the platform's rows."""
    teams: list[dict[str, Any]] = [{"team_id": "jl-cgmx", "name": "草根明星志愿者服务队",
                                    "organization_id": "jl-grp001", "community_id": "jl-c01"}]  # fmt: skip
    squads = ["纠纷调解小分队", "安全小分队", "法律咨询小分队",
              "文艺宣传小分队（示例）", "环境卫生小分队（示例）", "助老小分队（示例）"]  # fmt: skip
    teams += [{"team_id": f"jl-cgmx-{i}", "name": squad, "parent_team_id": "jl-cgmx",
               "community_id": "jl-c01"} for i, squad in enumerate(squads, start=1)]  # fmt: skip
    teams += [{"team_id": f"jl-team{i:02d}", "name": f"九龙街道志愿服务队{i}（示例）",
               "community_id": f"jl-c{i % 10 + 1:02d}"} for i in range(1, 35)]  # fmt: skip
    # The umbrella team has no row of its own: its members are registered in its squads.
    counted = [t["team_id"] for t in teams if t["team_id"] != "jl-cgmx"]
    registered = spread(20_350, len(counted), rng)
    rows = [
        {"row_id": f"jl-h{i + 1:02d}", "team_id": team, "platform": "志愿重庆（示例）",
         "period": {"start": "2020-01-01", "end": "2020-12-31"}, "registered": n,
         "hours": str(n * rng.randint(3, 9))}
        for i, (team, n) in enumerate(zip(counted, registered, strict=True))
    ]  # fmt: skip
    return teams, rows


def jiulong() -> dict[str, Any]:
    """九龙街道 with its projects, ledger, volunteer teams and platform rows (#13)."""
    rng = random.Random(5001071)
    data = _jiulong_base()
    data["projects"], data["activities"] = _jiulong_projects(rng)
    data["teams"], data["volunteer_hours"] = _jiulong_volunteers(rng)
    data["description"] += (
        " Seven years' 41 city and district projects, their ledger (5万余 person-times) and "
        "2万余 volunteers as the platform's rows per team are illustrative in every detail "
        "but the totals; the art troupe's 草根明星 team and its six squads (three named) are "
        "from the seed."
    )
    data["honours"] = [{"honour_id": "jl-hon-lll", "kind": "honour", "category": "终身学习品牌项目",
                        "title": "九龙社工", "year": 2020, "organization_id": "jl-org"}]  # fmt: skip
    return data


def wengan() -> dict[str, Any]:
    """瓮安县 with the 东西部协作 partnership and the four sites visited (#13)."""
    data = _wengan_base()
    data["projects"] = [{
        "project_id": "wa-haiweng", "name": "海珠区对口帮扶瓮安县社区治理项目（东西部协作）",
        "funder": "广州市海珠区乡村振兴局", "funder_division_code": "440105", "channel": "other",
        "operator_id": "wa-xma", "budget": "0", "community_ids": ["wa-c1"],
        "period": {"start": "2021-01-01", "end": "2022-12-31"},
        "categories": ["community_governance"],
    }]  # fmt: skip
    data["activities"] = [
        {"activity_id": f"wa-visit{t}", "activity_type": "needs_assessment", "held_on": "2022-03-24",
         "station_id": f"wa-ts{t:02d}", "community_id": f"wa-c{t}", "project_id": "wa-haiweng",
         "organization_ids": ["wa-xma"], "title": "社工站选址实地调研"}
        for t in range(1, 5)
    ]  # fmt: skip
    data["description"] += (
        " The 东西部协作 partnership is a project bought from 广州市海珠区 (440105); its "
        "budget is not published and is recorded as 0."
    )
    return data


def spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """``parts`` positive integers summing to ``total``."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def main() -> None:
    write("qianfeng.json", qianfeng())
    write("jiulong.json", jiulong())
    write("wengan.json", wengan())


if __name__ == "__main__":
    main()
