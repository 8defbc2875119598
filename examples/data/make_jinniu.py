"""Generate ``jinniu.json``: 成都市金牛区's social-work system in 2023 (seed 002).

The district code 510106 is real. Street and community codes, community names and every
person are synthetic; the generator is seeded, so the file is reproducible::

    python examples/data/make_jinniu.py

The ledger is built so that the figures the report publishes come back from the records:
个案 21, 小组 312 (300余), 社区活动 918 (900余), 志愿者培训 84 (80余), 培育志愿者 626 (600余),
政策宣传 186 (180余), 服务 241,575 人次 (24万余), 巡访 25,075 人次, 2,400 children's books to
4 street stations and 14 community rooms, 13 supervision visits and 5 project evaluations.

The station's own records (#12) come back too: the 21 cases with their sessions, the hub's
13 field supervisions covering 13 streets and 32 communities (实地督导13次，覆盖13个街道、32个
社区) and its 5 trainings of 272 attendances (服务全区社工270余人次). They are drawn from a
second seeded generator, after the ledger, so the ledger stays as it was.

Each of the five purchased projects has its government-purchase contract (政府购买服务合同)
with three payment milestones and a year of monthly spending records (支出台账), from a
third seeded generator, so budget execution (预算执行率) is computed from records.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

DISTRICT = "510106"
YEAR = 2023
OUT = (
    Path(__file__).resolve().parents[2]
    / "src"
    / "wushe"
    / "examples"
    / "data"
    / "jinniu.json"
)
# Street names as listed for 金牛区 after the 2019 adjustment; codes are synthetic.
STREETS = [
    "西华", "人民北路", "荷花池", "驷马桥", "茶店子", "抚琴", "九里堤",
    "营门口", "金泉", "沙河源", "天回镇", "凤凰山", "西安路",
]  # fmt: skip
NUMERALS = "一二三四五六七八"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华玉兰桂珍凤琴建国平红梅志德福寿康宁淑贞永"
)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(born: date, seq: int) -> str:
    first17 = f"{DISTRICT}{born:%Y%m%d}{seq % 1000:03d}"
    return (
        first17
        + "10X98765432"[
            sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11
        ]
    )


def spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """Split ``total`` into ``parts`` non-negative integers that sum to it exactly."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


STAFF_FACING = {"staff_training", "volunteer_training", "supervision", "capacity_building",
                "project_evaluation", "meeting"}  # fmt: skip
"""Activity types whose attendances are staff or volunteers, not residents served."""


STATUTE = "《社会救助暂行办法》（特困人员供养、最低生活保障）"
CHILD_STATUTE = "《关于进一步加强事实无人抚养儿童保障工作的意见》及孤儿保障政策"
SHARING = ["share_with_volunteers", "share_with_organizations", "share_with_resource_providers"]  # fmt: skip


def consents_for(
    born: date, groups: list[str], assessed: date, rng: random.Random
) -> list[dict[str, Any]]:
    """The lawful bases on record for one recipient (PIPL Arts. 13, 15, 31).

    Assistance recipients (特困, 低保) and orphans are served under the station's statutory
    duty for casework, care visits and referral; everyone else consents to those. Sharing
    with volunteers, organisations and donors always needs consent: most give it, orphans
    under 14 have none on record (a statutory roster: it loads with a warning), and about
    one in thirty withdrew the volunteers' consent during the year.
    """
    age = (
        assessed.year
        - born.year
        - ((assessed.month, assessed.day) < (born.month, born.day))
    )
    child = age < 14
    start = assessed.isoformat()
    orphan = any("孤儿" in g for g in groups)
    statutory = orphan or any("特困" in g or g == "低保对象" for g in groups)
    out: list[dict[str, Any]] = []
    for purpose in ("casework", "care_visit", "referral"):
        if statutory:
            reference = CHILD_STATUTE if orphan else STATUTE
            out.append({"purpose": purpose, "basis": "statutory_duty", "valid_from": start, "reference": reference})  # fmt: skip
        elif child:
            out.append({"purpose": purpose, "basis": "guardian_consent", "valid_from": start, "given_by": "监护人"})  # fmt: skip
        else:
            out.append({"purpose": purpose, "valid_from": start})
    if child and orphan:
        return out
    withdrawn = rng.random() < 1 / 30
    for purpose in SHARING:
        entry: dict[str, Any] = {"purpose": purpose, "valid_from": start}
        if child:
            entry |= {"basis": "guardian_consent", "given_by": "监护人"}
        if withdrawn and purpose == "share_with_volunteers":
            entry["withdrawn_on"] = date(YEAR, rng.randint(2, 11), rng.randint(1, 28)).isoformat()  # fmt: skip
        out.append(entry)
    return out


def build() -> dict[str, Any]:
    """The whole dataset as a JSON-ready dict."""
    rng = random.Random(2023)

    def name() -> str:
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        return rng.choice(SURNAMES) + given

    divisions: list[dict[str, Any]] = [{"division_code": DISTRICT, "name": "金牛区"}]
    communities: list[dict[str, Any]] = []
    stations: list[dict[str, Any]] = [
        {
            "station_id": "jn-hub", "name": "金牛区社会工作总站", "level": "county",
            "division_code": DISTRICT, "operator_id": "jn-org-hub", "local_name": "社工总站",
        }
    ]  # fmt: skip
    # The seed states 六有 for the 13 street stations and 90 rooms only, not for the hub.
    six = ["site", "equipment", "staff", "service_functions", "workflow", "rules"]
    rooms_per_street = [7] * 12 + [6]
    for s, street in enumerate(STREETS, start=1):
        code = f"{DISTRICT}{s:03d}"
        divisions.append(
            {"division_code": code, "name": f"{street}街道", "synthetic_code": True}
        )
        stations.append(
            {
                "station_id": f"jn-ts{s:02d}", "name": f"{street}街道社工站", "level": "township",
                "division_code": code, "parent_ids": ["jn-hub"], "operator_id": f"jn-org-{1 + s % 4}",
                "criteria_met": six,
            }
        )  # fmt: skip
        for c in range(1, rooms_per_street[s - 1] + 1):
            cid = f"jn-c{s:02d}{c}"
            communities.append(
                {
                    "community_id": cid, "name": f"{street}{NUMERALS[c - 1]}社区",
                    "division_code": f"{code}{c:03d}", "synthetic_code": True,
                    "population": rng.randint(6000, 18000),
                    "adjacent_ids": [f"jn-c{s:02d}{k}" for k in (c - 1, c + 1) if 1 <= k <= rooms_per_street[s - 1]],
                }
            )  # fmt: skip
            stations.append(
                {
                    "station_id": f"jn-r{s:02d}{c}", "name": f"{street}{NUMERALS[c - 1]}社区社工室",
                    "level": "village", "division_code": f"{code}{c:03d}",
                    "parent_ids": [f"jn-ts{s:02d}"], "community_ids": [cid], "criteria_met": six,
                }
            )  # fmt: skip
    rooms = [st for st in stations if st["level"] == "village"]
    street_stations = [st for st in stations if st["level"] == "township"]
    community_ids = [c["community_id"] for c in communities]

    organizations: list[dict[str, Any]] = [
        {"organization_id": "jn-org-hub", "name": "金牛区社会工作总站运营中心（示例）", "is_social_work_agency": True,
         "services": ["community_governance", "social_assistance", "elderly_care", "child_welfare"], "capacity": 10,
         "service_area": [DISTRICT]},
        {"organization_id": "jn-org-psy", "name": "金牛区社会心理服务指导中心", "org_type": "other",
         "services": ["psychosocial"], "capacity": 6, "service_area": [DISTRICT]},
        {"organization_id": "jn-org-charity", "name": "金牛区慈善会", "org_type": "social_association",
         "is_charitable": True, "has_public_fundraising": True, "services": ["social_assistance"], "capacity": 0},
        {"organization_id": "jn-org-cd-charity", "name": "成都市慈善总会", "org_type": "social_association",
         "is_charitable": True, "has_public_fundraising": True, "capacity": 0},
        {"organization_id": "jn-org-dahuo", "name": "沙河源街道“搭伙计划”互助队", "registration": "filed",
         "org_type": "community_group", "home_community_id": "jn-c101", "services": ["elderly_care"], "capacity": 4,
         "service_area": [f"{DISTRICT}010"], "incubation_stage": "start_up"},
    ]  # fmt: skip
    fields = [
        ["elderly_care", "social_assistance"],
        ["child_welfare", "education"],
        ["disability_support", "psychosocial"],
        ["community_governance", "housing"],
    ]
    for k in range(1, 5):
        organizations.append(
            {
                "organization_id": f"jn-org-{k}", "name": f"金牛区示例社会工作服务中心{NUMERALS[k - 1]}",
                "is_social_work_agency": True, "services": fields[k - 1], "capacity": 8,
                "service_area": [DISTRICT], "rating": ["5A", "4A", "3A", "4A"][k - 1],
            }
        )  # fmt: skip

    skills_pool = [
        "elderly_care",
        "social_assistance",
        "child_welfare",
        "disability_support",
        "psychosocial",
        "community_governance",
        "education",
        "housing",
        "health",
        "legal_aid",
    ]
    workers: list[dict[str, Any]] = []
    for i in range(1, 5):
        workers.append({"worker_id": f"jn-w-hub{i}", "name": name(), "qualification": ["senior", "intermediate"][i % 2],
                        "is_supervisor": True, "organization_id": "jn-org-hub", "station_id": "jn-hub",
                        "skills": rng.sample(skills_pool, 3), "caseload": 3})  # fmt: skip
    for st in street_stations:
        for k in range(1, 4):
            workers.append({"worker_id": f"{st['station_id']}-w{k}", "name": name(),
                            "qualification": ["intermediate", "assistant", None][k - 1],
                            "organization_id": st["operator_id"], "station_id": st["station_id"],
                            "skills": rng.sample(skills_pool, rng.randint(1, 3)), "caseload": rng.randint(3, 6)})  # fmt: skip
    for st in rooms:
        workers.append({"worker_id": f"{st['station_id']}-w1", "name": name(), "is_community_worker": True,
                        "qualification": rng.choice(["assistant", "assistant", "intermediate", None, None]),
                        "station_id": st["station_id"], "home_community_id": st["community_ids"][0],
                        "skills": rng.sample(skills_pool, rng.randint(1, 3)), "caseload": rng.randint(2, 5)})  # fmt: skip
    workers = [{k: v for k, v in w.items() if v is not None} for w in workers]

    teams = [{"team_id": f"jn-team{s:02d}", "name": f"{street}街道志愿服务队", "community_id": f"jn-c{s:02d}1",
              "skills": ["elderly_care", "community_governance"]} for s, street in enumerate(STREETS, start=1)]  # fmt: skip
    volunteers = []
    for i in range(1, 181):
        home = rng.choice(community_ids)
        volunteers.append({"volunteer_id": f"jn-v{i:03d}", "name": name(),
                           "birth_date": date(rng.randint(1952, 2000), rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
                           "home_community_id": home, "team_id": f"jn-team{home[4:6]}",
                           "skills": rng.sample(skills_pool[:6], rng.randint(1, 3)), "vetted": rng.random() < 0.4,
                           "insured": True, "capacity": rng.randint(1, 3), "registered_on": f"{rng.randint(2019, 2023)}-03-05"})  # fmt: skip

    recipients: list[dict[str, Any]] = []
    plan = (
        [("elder", ["独居老人"])] * 640 + [("old80", ["独居老人", "高龄老人"])] * 260 + [("elder", ["空巢老人"])] * 420
        + [("elder", ["失能老人", "分散供养特困人员"])] * 120 + [("adult", ["低保对象"])] * 300
        + [("adult", ["分散供养特困人员", "残疾人"])] * 150
        + [("elder", ["计划生育特殊家庭", "空巢老人"])] * 60 + [("child", ["困境儿童"])] * 70
        + [("child", ["事实无人抚养儿童"])] * 40 + [("child", ["散居孤儿"])] * 10 + [("adult", ["残疾人"])] * 20
    )  # fmt: skip
    # Recipients of a community ledger live at home: their 特困 support is 分散供养 and their
    # orphans are 散居 (the visit tiers of DOMAIN.md §11 name exactly these).
    assessed = date(YEAR, 1, 5)
    crng = random.Random(YEAR + 10)  # its own stream: the other draws stay as they were
    for i, (kind, groups) in enumerate(plan, start=1):
        if kind == "child":
            born = date(rng.randint(2008, 2019), rng.randint(1, 12), rng.randint(1, 28))
        elif kind == "old80":
            born = date(rng.randint(1925, 1942), rng.randint(1, 12), rng.randint(1, 28))
        elif kind == "elder":
            born = date(rng.randint(1930, 1962), rng.randint(1, 12), rng.randint(1, 28))
        else:
            born = date(rng.randint(1960, 1995), rng.randint(1, 12), rng.randint(1, 28))
        record: dict[str, Any] = {"recipient_id": f"jn-p{i:04d}", "name": name(), "community_id": rng.choice(community_ids),
                                  "target_groups": groups, "id_number": resident_id(born, rng.randint(0, 999)), "assessed_on": assessed.isoformat()}  # fmt: skip
        if rng.random() < 0.5:
            record["phone"] = f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}"
        if "残疾人" in groups or "失能老人" in groups:
            record["disability"] = {
                "category": rng.choice(
                    ["physical", "visual", "hearing", "intellectual", "mental"]
                ),
                "grade": rng.randint(1, 4),
            }
        record["consents"] = consents_for(born, groups, assessed, crng)
        recipients.append(record)

    categories = {"独居老人": "elderly_care", "空巢老人": "elderly_care", "高龄老人": "elderly_care", "失能老人": "elderly_care",
                  "低保对象": "social_assistance", "分散供养特困人员": "social_assistance", "残疾人": "disability_support",
                  "计划生育特殊家庭": "psychosocial", "困境儿童": "child_welfare", "事实无人抚养儿童": "education", "散居孤儿": "child_welfare"}  # fmt: skip
    needs = []
    for n, person in enumerate(rng.sample(recipients, 320), start=1):
        category = categories[person["target_groups"][0]]
        roles: list[dict[str, Any]] = [{"role": "lead_social_worker"}]
        if person["target_groups"][0] in ("困境儿童", "事实无人抚养儿童", "散居孤儿"):
            roles = [
                {"role": "lead_social_worker", "min_qualification": "assistant"},
                {"role": "volunteers", "count": 1, "vetted_only": True},
            ]
        elif category == "elderly_care" and rng.random() < 0.5:
            roles.append({"role": "volunteers", "count": rng.randint(1, 2)})
            if rng.random() < 0.3:
                roles.append(
                    {
                        "role": "resource",
                        "resource_kind": "goods",
                        "amount": "1",
                        "unit": "份",
                    }
                )
        if category == "disability_support" and rng.random() < 0.3:
            category = "housing"
        if rng.random() < 0.1:
            roles.append({"role": "social_organization"})
        needs.append({"need_id": f"jn-n{n:03d}", "recipient_id": person["recipient_id"], "category": category,
                      "urgency": rng.choice(["low", "medium", "medium", "high", "critical"]),
                      "raised_on": (date(YEAR, 11, 30) - timedelta(days=rng.randint(0, 200))).isoformat(), "roles": roles})  # fmt: skip

    hehuachi = f"{DISTRICT}003"
    resources = [
        {"resource_id": "jn-res-books", "name": "儿童绘本", "resource_kind": "goods", "donor": "金牛区慈善会",
         "holder_id": "jn-org-charity", "unit": "本", "total": "2400", "remaining": "0",
         "restriction": {"purposes": ["child_welfare"], "note": "捐赠给4个街道社工站、14个社区社工室"}},
        {"resource_id": "jn-res-goods", "name": "爱心企业捐赠生活物资", "resource_kind": "goods", "donor": "爱心企业（示例）",
         "holder_id": "jn-org-charity", "unit": "份", "total": "400", "remaining": "180", "expires_on": f"{YEAR + 1}-06-30",
         "restriction": {"purposes": ["elderly_care"], "target_groups": ["独居老人", "空巢老人", "高龄老人", "失能老人"]}},
        {"resource_id": "jn-res-hhc-fund", "name": "荷花池街道未成年人慈善基金", "resource_kind": "funds", "donor": "辖区爱心单位（示例）",
         "holder_id": "jn-org-cd-charity", "channel": "community_fund", "unit": "CNY", "total": "50000", "remaining": "42000",
         "restriction": {"purposes": ["child_welfare", "education"], "target_groups": ["困境儿童", "事实无人抚养儿童", "孤儿", "留守儿童"],
                         "service_area": [hehuachi]}},
        {"resource_id": "jn-res-community-fund", "name": "社区慈善基金（示例）", "resource_kind": "funds", "channel": "community_fund",
         "holder_id": "jn-org-cd-charity", "unit": "CNY", "total": "100000", "remaining": "64000"},
        {"resource_id": "jn-res-venue", "name": "驷马桥街道社工站活动室", "resource_kind": "venue", "unit": "场次", "total": "100",
         "remaining": "60", "community_id": "jn-c041"},
    ]  # fmt: skip

    period = {"start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}
    projects = [
        {"project_id": "jn-proj-system", "name": "金牛区社会工作服务体系运营项目（2023）", "funder": "金牛区民政局",
         "operator_id": "jn-org-hub", "budget": "1200000", "period": period, "station_ids": ["jn-hub"],
         "categories": ["social_assistance", "elderly_care", "child_welfare", "community_governance"],
         "targets": [
             {"indicator": "case_service.sessions", "target": "20", "unit": "个", "name": "个案服务"},
             {"indicator": "group_activity.sessions", "target": "300", "unit": "场", "name": "小组活动"},
             {"indicator": "community_event.sessions", "target": "900", "unit": "场", "name": "社区活动"},
             {"indicator": "volunteer_training.sessions", "target": "80", "unit": "场", "name": "志愿者培训"},
             {"indicator": "policy_publicity.sessions", "target": "180", "unit": "次", "name": "政策宣传"},
             {"indicator": "care_visit.person_times", "target": "24000", "unit": "人次", "name": "关爱巡访"},
             {"indicator": "person_times", "target": "240000", "unit": "人次", "name": "服务人次"},
             {"indicator": "volunteers_cultivated", "target": "600", "unit": "人", "name": "培育志愿者"},
         ]},
        {"project_id": "jn-proj-hhc", "name": "荷花池街道“15分钟养老服务圈”老年友好社区项目", "funder": "荷花池街道办事处",
         "operator_id": "jn-org-1", "budget": "300000", "period": period, "station_ids": ["jn-ts03"], "categories": ["elderly_care"]},
        {"project_id": "jn-proj-cdz", "name": "茶店子街道困难群众“四大行动”关爱项目", "funder": "茶店子街道办事处",
         "operator_id": "jn-org-2", "budget": "260000", "period": period, "station_ids": ["jn-ts05"], "categories": ["social_assistance"]},
        {"project_id": "jn-proj-shy", "name": "沙河源街道“搭伙计划”", "funder": "沙河源街道办事处",
         "operator_id": "jn-org-3", "budget": "180000", "period": period, "station_ids": ["jn-ts10"], "categories": ["elderly_care"]},
        {"project_id": "jn-proj-smq", "name": "驷马桥街道“研+培+巡”关爱巡访项目", "funder": "成都市民政局",
         "operator_id": "jn-org-4", "budget": "220000", "period": period, "station_ids": ["jn-ts04"], "categories": ["elderly_care"]},
    ]  # fmt: skip

    activities: list[dict[str, Any]] = []

    def add(kind: str, station: str, day: date, **extra: Any) -> None:
        activities.append({"activity_id": f"jn-a{len(activities) + 1:05d}", "activity_type": kind, "station_id": station,
                           "held_on": day.isoformat(), "project_id": extra.pop("project_id", "jn-proj-system"), **extra})  # fmt: skip

    def day_in(month: int) -> date:
        return date(YEAR, month, rng.randint(1, 28))

    all_units = [st["station_id"] for st in street_stations + rooms]
    for _ in range(21):
        st = rng.choice(rooms)
        add("case_service", st["station_id"], day_in(rng.randint(1, 12)), community_id=st["community_ids"][0],
            person_times=rng.randint(6, 14), title="个案服务")  # fmt: skip
    for kind, total, per, title in (("group_activity", 312, (8, 15), "小组活动"), ("policy_publicity", 186, (120, 260), "政策宣传"),
                                   ("volunteer_training", 84, (12, 30), "志愿者培训")):  # fmt: skip
        months = spread(total, 48, rng)
        for idx, sessions in enumerate(months):
            if sessions:
                station = all_units[(idx * 7) % len(all_units)]
                add(
                    kind,
                    station,
                    day_in(idx % 12 + 1),
                    sessions=sessions,
                    person_times=sessions * rng.randint(*per),
                    title=title,
                )
    cultivated = spread(
        626,
        sum(1 for a in activities if a["activity_type"] == "volunteer_training"),
        rng,
    )
    for a, count in zip(
        (a for a in activities if a["activity_type"] == "volunteer_training"),
        cultivated,
        strict=True,
    ):
        if count:
            a["outputs"] = [
                {"name": "volunteers_cultivated", "amount": count, "unit": "人"}
            ]
    visits = spread(25075, len(rooms) * 12, rng)
    for r, st in enumerate(rooms):
        for month in range(1, 13):
            person_times = visits[r * 12 + month - 1]
            if person_times:
                add("care_visit", st["station_id"], date(YEAR, month, 25), community_id=st["community_ids"][0],
                    person_times=person_times, sessions=max(1, person_times // 20), title="关爱巡访（月度台账）")  # fmt: skip
    for k in range(13):
        add(
            "supervision",
            "jn-hub",
            day_in(k % 12 + 1),
            title="社工站（室）实地督导",
            person_times=rng.randint(4, 10),
        )
    for k in range(5):
        add(
            "project_evaluation",
            "jn-hub",
            day_in(6 + k),
            title="项目评估（评审）",
            project_id=None,
        )
    for k, people in enumerate(spread(272, 5, rng)):
        add("staff_training", "jn-hub", day_in(3 + 2 * k), person_times=people,
            title=["专业素养提升课程", "外出研学参访"][k >= 3])  # fmt: skip
    # 社会心理关爱 for the workforce: trains station heads, 社工, 社区工作者, 网格员 and
    # volunteers, so it is capacity building, not 心理疏导 for residents.
    for k in range(3):
        add(
            "capacity_building",
            "jn-hub",
            day_in(4 + 3 * k),
            person_times=rng.randint(80, 120),
            title="社会心理关爱活动（社工、网格员等）",
        )
    book_units = [st["station_id"] for st in rng.sample(street_stations, 4)] + [
        st["station_id"] for st in rng.sample(rooms, 14)
    ]
    for station, books in zip(book_units, spread(2400 - 18 * 60, 18, rng), strict=True):
        add("donation_delivery", station, date(YEAR, 6, 1), title="链接区慈善会捐赠儿童绘本",
            outputs=[{"name": "books", "amount": books + 60, "unit": "本"}], person_times=0)  # fmt: skip
    # 社工主题宣传活动100余次 (国际社工日 and the theme publicity), counted apart from the
    # 180余 政策宣传.
    for idx, sessions in enumerate(spread(104, 26, rng)):
        add("social_work_publicity", all_units[(idx * 3) % len(all_units)], day_in(idx % 12 + 1),
            sessions=max(1, sessions), person_times=max(1, sessions) * rng.randint(30, 90),
            title="社工主题宣传活动")  # fmt: skip
    extra = (
        sum(
            a["sessions"]
            for a in activities
            if a["activity_type"] == "social_work_publicity"
        )
        - 104
    )
    max((a for a in activities if a["activity_type"] == "social_work_publicity"),
        key=lambda a: a["sessions"])["sessions"] -= extra  # fmt: skip
    # Community events take the rest of the 241,575 residents served (服务群众24万余人次);
    # trainings, supervision, evaluations and capacity building count apart.
    so_far = sum(
        a.get("person_times", 0)
        for a in activities
        if a["activity_type"] not in STAFF_FACING
    )
    events = spread(918, 52, rng)
    event_people = spread(241575 - so_far, 52, rng)
    for idx, (sessions, people) in enumerate(zip(events, event_people, strict=True)):
        add("community_event", all_units[(idx * 5) % len(all_units)], day_in(idx % 12 + 1),
            sessions=max(1, sessions), person_times=people, title="社区活动")  # fmt: skip
    # max(1, …) may add a session or two; take them back from the largest row to keep 918.
    extra = (
        sum(
            a["sessions"] for a in activities if a["activity_type"] == "community_event"
        )
        - 918
    )
    biggest = max(
        (a for a in activities if a["activity_type"] == "community_event"),
        key=lambda a: a["sessions"],
    )
    biggest["sessions"] -= extra

    dataset = {
        "name": "成都市金牛区",
        "division_code": DISTRICT,
        "description": (
            "Seed 002 (中国日报网, 2024): 金牛区 social-work system in 2023 — the district hub (社工总站), "
            "13 street stations and 90 community rooms, all meeting the six-haves standard, with the year's "
            "ledger; the 24万余 person-times are residents served, trainings and supervision counted apart. The district code 510106 is real; street and community codes and community names are "
            "synthetic; every person is fictitious. Generated by examples/data/make_jinniu.py."
        ),
        "synthetic": True,
        "as_of": f"{YEAR}-12-31",
        "divisions": divisions,
        "communities": communities,
        "organizations": organizations,
        "workers": workers,
        "volunteers": volunteers,
        "teams": teams,
        "resources": resources,
        "recipients": recipients,
        "needs": needs,
        "stations": stations,
        "projects": projects,
        "activities": activities,
    }
    dataset.update(station_records(dataset))
    dataset.update(recognitions(dataset))
    dataset.update(purchase_contracts(dataset))
    return dataset


def purchase_contracts(dataset: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """A contract per purchased project, three milestones, and monthly spending (#12).

    Milestones of 40 % on signing, 30 % after the mid-term and 30 % after the final
    evaluation, a common shape; the final one falls due on the last day and is unpaid at
    year end. Spending runs month by month to between 88 % and 99 % of the budget.
    """
    rng = random.Random(126)
    contracts: list[dict[str, Any]] = []
    spendings: list[dict[str, Any]] = []
    shares = (("签约后", "01-15", 40, "01-20"), ("中期评估合格后", "07-15", 30, "07-28"),
              ("终期评估合格后", "12-31", 30, None))  # fmt: skip
    for project in dataset["projects"]:
        key = project["project_id"].removeprefix("jn-proj-")
        budget = int(project["budget"])
        cid = f"jn-ht-{key}"
        contracts.append({"contract_id": cid, "project_id": project["project_id"], "purchaser": project["funder"],
                          "provider_id": project["operator_id"], "budget": str(budget), "period": project["period"],
                          "signed_on": f"{YEAR}-01-10",
                          "milestones": [{"label": label, "due_on": f"{YEAR}-{due}", "amount": str(budget * pct // 100),
                                          **({"paid_on": f"{YEAR}-{paid}"} if paid else {})}
                                         for label, due, pct, paid in shares]})  # fmt: skip
        spent = budget * rng.randint(88, 99) // 100
        months = [spent // 12 * rng.randint(85, 115) // 100 for _ in range(11)]
        months.append(spent - sum(months))
        for month, amount in enumerate(months, start=1):
            staff = amount * 6 // 10
            for n, (category, value, note) in enumerate(
                (("personnel", staff, "驻站社工薪酬（合成）"),
                 ("activities", amount - staff, "活动物资与场地（合成）")), start=1):  # fmt: skip
                if value > 0:
                    spendings.append({"spending_id": f"jn-zc-{key}-{month:02d}{n}", "contract_id": cid,
                                      "spent_on": f"{YEAR}-{month:02d}-{rng.randint(20, 28)}", "amount": str(value),
                                      "category": category, "note": note})  # fmt: skip
    return {"contracts": contracts, "spendings": spendings}


def recognitions(dataset: dict[str, Any]) -> dict[str, Any]:
    """The hub's meetings, the 一站一品 brands, demonstration sites and honours (#13)."""
    rng = random.Random(13)
    meetings = [("季度工作交流汇报", f"{YEAR}-{m:02d}-25") for m in (3, 6, 9)]
    meetings += [("社工服务体系推进会", f"{YEAR}-{m:02d}-15") for m in (5, 11)]
    activities = dataset["activities"] + [
        {"activity_id": f"jn-mtg{i}", "activity_type": "meeting", "held_on": day,
         "station_id": "jn-hub", "title": title}
        for i, (title, day) in enumerate(meetings, start=1)
    ]  # fmt: skip
    brands = [("jn-ts03", "15分钟养老服务圈"), ("jn-ts05", "初心、安心、暖心、欢心四大行动"),
              ("jn-ts04", "“研+培+巡”三级常态化关爱巡访"), ("jn-ts10", "搭伙计划")]  # fmt: skip
    honours: list[dict[str, Any]] = [
        {"honour_id": f"jn-brand-{sid}", "kind": "brand", "category": "一站一品", "title": title,
         "station_id": sid, "year": YEAR}
        for sid, title in brands
    ]  # fmt: skip
    # Which five stations and four rooms were named, and which 13 workers, is not published.
    streets = [s["station_id"] for s in dataset["stations"] if s["level"] == "township"]
    rooms = [s["station_id"] for s in dataset["stations"] if s["level"] == "village"]
    named = [("示范社会工作服务站", sid) for sid in rng.sample(streets, 5)]
    named += [("示范社区社会工作服务室", sid) for sid in rng.sample(rooms, 4)]
    honours += [
        {"honour_id": f"jn-demo-{sid}", "kind": "demonstration", "category": category,
         "title": f"{YEAR}年成都市“四级网络”{category}", "awarded_by": "成都市民政局",
         "station_id": sid, "year": YEAR, "synthetic": True}
        for category, sid in named
    ]  # fmt: skip
    workers = [w["worker_id"] for w in dataset["workers"]]
    honours += [
        {"honour_id": f"jn-best-{wid}", "kind": "honour", "category": "优秀社工",
         "title": f"{YEAR}年度金牛区关爱援助服务“优秀社工”", "awarded_by": "金牛区",
         "worker_id": wid, "year": YEAR, "synthetic": True}
        for wid in rng.sample(workers, 13)
    ]  # fmt: skip
    return {"activities": activities, "honours": honours}


def station_records(dataset: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Cases and sessions, supervision and training that mirror the ledger's rows."""
    rng = random.Random(12)
    rows = dataset["activities"]
    people: dict[str, list[str]] = {}
    for r in dataset["recipients"]:
        people.setdefault(r["community_id"], []).append(r["recipient_id"])
    cases: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    for n, row in enumerate(a for a in rows if a["activity_type"] == "case_service"):
        last = date.fromisoformat(row["held_on"])
        opened = max(date(YEAR, 1, 2), last - timedelta(days=rng.randint(30, 90)))
        span = (last - opened).days
        steps = [opened + timedelta(days=span * k // 6) for k in range(6)]
        phases = ["intake", "assessment", "planning", "intervention", "evaluation"]
        history = [
            {"phase": p, "entered_on": d.isoformat()}
            for p, d in zip(phases, steps, strict=False)
        ]
        case = {"case_id": f"jn-k{n + 1:02d}", "recipient_id": rng.choice(people[row["community_id"]]),
                "worker_id": f"{row['station_id']}-w1", "station_id": row["station_id"], "phases": history,
                "category": rng.choice(["elderly_care", "child_welfare", "social_assistance", "psychosocial"])}  # fmt: skip
        if last.month < 12:
            history.append({"phase": "closure", "entered_on": last.isoformat()})
            case["closing_reason"] = rng.choice(
                ["goals_met", "goals_met", "goals_met", "referred"]
            )
        cases.append(case)
        for k in range(row["person_times"]):
            sessions.append({"session_id": f"{case['case_id']}-s{k + 1:02d}", "case_id": case["case_id"],
                             "held_on": (opened + timedelta(days=span * k // row["person_times"])).isoformat(),
                             "duration_minutes": rng.choice([45, 60, 60, 90]), "notes": "个案面谈记录（合成）"})  # fmt: skip
    # One field visit per street; 32 communities in all: six visits reach three rooms, seven reach two.
    visits = [a for a in rows if a["activity_type"] == "supervision"]
    supervisors = [w["worker_id"] for w in dataset["workers"] if w.get("is_supervisor")]
    supervisions = []
    for s, row in enumerate(visits, start=1):
        rooms = [
            st["station_id"]
            for st in dataset["stations"]
            if st["station_id"].startswith(f"jn-r{s:02d}")
        ]
        reached = rng.sample(rooms, 3 if s <= 6 else 2)
        supervisions.append({"supervision_id": f"jn-sv{s:02d}", "held_on": row["held_on"], "station_id": "jn-hub",
                             "hours": "3", "mode": "field", "supervisor_id": supervisors[s % len(supervisors)],
                             "supervisee_ids": [f"jn-ts{s:02d}-w{k}" for k in range(1, 4)],
                             "station_ids": [f"jn-ts{s:02d}", *reached], "person_times": max(row["person_times"], 3),
                             "topic": rng.choice(["岗位适应性", "社工工作压力", "伦理困境"])})  # fmt: skip
    staff = [w["worker_id"] for w in dataset["workers"]]
    trainings = []
    for t, row in enumerate(
        (a for a in rows if a["activity_type"] == "staff_training"), start=1
    ):
        visit = row["title"] == "外出研学参访"
        trainings.append({"training_id": f"jn-t{t}", "title": row["title"], "held_on": row["held_on"],
                          "station_id": "jn-hub", "hours": "8" if visit else "3",
                          "kind": "study_visit" if visit else "course", "counts_for_cpd": not visit,
                          "attendee_ids": sorted(rng.sample(staff, min(row["person_times"], 40))),
                          "person_times": row["person_times"]})  # fmt: skip
    return {
        "cases": cases,
        "case_sessions": sessions,
        "supervisions": supervisions,
        "trainings": trainings,
    }


def main() -> None:
    dataset = build()
    OUT.write_text(
        json.dumps(dataset, ensure_ascii=False, indent=None, separators=(",", ":"))
        + "\n",
        encoding="utf-8",
    )
    print(
        f"wrote {OUT} ({OUT.stat().st_size // 1024} KiB, "
        f"{len(dataset['activities'])} ledger rows)"
    )


if __name__ == "__main__":
    main()
