"""Generate the seed localities with no file of their own: ``hubei``, ``yibin``, ``shanxi``.

Each dataset holds as records what seeds 001 (湖北日报), 003 (四川新闻网, 叙州区 and 宜宾市)
and 004 (山西省民政厅) publish, so ``examples/09_seed_localities.py`` computes the published
figures back. Province, city and county codes are real; township and community codes are
synthetic and flagged ``synthetic_code``; every person, and every detail the seeds do not
give (titles of prize-winning papers, team names, pilot stations), is illustrative and
marked "（示例）" in its name or ``synthetic`` on its record. Big counts keep the grain a
department keeps them at: the volunteer platform's export rows per team and year (about a
thousand rows for 37.6万 volunteers) and sign-ins per city for a province's meetings.
Seeded, so reproducible::

    python examples/data/make_seeds.py
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[2] / "src" / "wushe" / "examples" / "data"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华玉兰桂珍凤琴平红梅志德宁淑贞"


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(
        rng.choice(GIVEN) for _ in range(rng.randint(1, 2))
    )


def spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """``parts`` positive integers summing to ``total``."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def division(code: str, title: str, *, synthetic: bool = False) -> dict[str, Any]:
    row: dict[str, Any] = {"division_code": code, "name": title}
    if synthetic:
        row["synthetic_code"] = True
    return row


# --- 001 湖北 ---------------------------------------------------------------------------


def hubei() -> dict[str, Any]:
    """湖北 (seed 001): the 社工关爱基金, 蓝天使 team, 红安's 20 children, 12 agencies, prizes."""
    rng = random.Random(420000)
    divisions = [
        division("420000", "湖北省"),
        division("420100", "武汉市"),
        division("420116", "黄陂区"),
        division("420116001", "王家河街道", synthetic=True),
        division("420800", "荆门市"),
        division("420804", "掇刀区"),
        division("420804001", "掇刀区示例街道（示例）", synthetic=True),
        division("421000", "荆州市"),
        division("421003", "荆州区"),
        division("421003001", "荆州区示例街道（示例）", synthetic=True),
        division("421100", "黄冈市"),
        division("421122", "红安县"),
        division("421122101", "城关镇", synthetic=True),
    ]
    communities = [
        {"community_id": "hb-mq", "name": "名泉社区", "division_code": "420804001001", "synthetic_code": True},
        {"community_id": "hb-cg", "name": "城关镇示例社区（示例）", "division_code": "421122101001", "synthetic_code": True},
        {"community_id": "hb-jf", "name": "金凤广场所在社区（示例）", "division_code": "421003001001", "synthetic_code": True},
    ]  # fmt: skip
    stations = [
        {"station_id": "hb-mq-room", "name": "荆门市掇刀区名泉社区社工站", "level": "village",
         "division_code": "420804001001", "community_ids": ["hb-mq"]},
        {"station_id": "hb-cg-ts", "name": "红安县城关镇社工站", "level": "township",
         "division_code": "421122101", "community_ids": ["hb-cg"]},
        {"station_id": "hb-jz-ts", "name": "荆州区示例街道社工站（示例：报道未写站点）",
         "level": "township", "division_code": "421003001", "community_ids": ["hb-jf"]},
    ]  # fmt: skip
    organizations: list[dict[str, Any]] = [
        {"organization_id": "hb-whswl", "name": "武汉市社会工作联合会", "org_type": "social_association",
         "service_area": ["420100"]},
        {"organization_id": "hb-whcs", "name": "武汉市慈善总会", "org_type": "social_association",
         "is_charitable": True, "has_public_fundraising": True, "service_area": ["420100"]},
        {"organization_id": "hb-hbswl", "name": "湖北省社会工作联合会", "org_type": "social_association",
         "service_area": ["420000"]},
    ]  # fmt: skip
    agencies = [f"hb-jz-ag{i:02d}" for i in range(1, 13)]
    organizations += [
        {"organization_id": a, "name": f"荆州市社会工作服务机构{i}（示例）",
         "is_social_work_agency": True, "services": ["community_governance"], "home_community_id": "hb-jf"}
        for i, a in enumerate(agencies, start=1)
    ]  # fmt: skip
    workers = [
        {"worker_id": f"hb-w{i}", "name": name(rng), "qualification": "assistant", "station_id": s}
        for i, s in enumerate(["hb-mq-room", "hb-cg-ts", "hb-jz-ts"], start=1)
    ]  # fmt: skip
    # 名泉社区's 社会救助对象 who joined 蓝天使: how many is not published; five illustrate.
    recipients: list[dict[str, Any]] = []
    volunteers: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for i in range(1, 6):
        born = date(1960 + i * 3, i, 10 + i)
        person = name(rng)
        recipients.append({"recipient_id": f"hb-mq-p{i}", "name": person, "community_id": "hb-mq",
                           "target_groups": ["dibao"], "birth_date": born.isoformat()})  # fmt: skip
        volunteers.append({"volunteer_id": f"hb-mq-v{i}", "name": person, "birth_date": born.isoformat(),
                           "home_community_id": "hb-mq", "team_id": "hb-lts", "registered_on": "2022-03-01"})  # fmt: skip
        links.append({"person_id": f"hb-person{i}", "recipient_ids": [f"hb-mq-p{i}"],
                      "volunteer_ids": [f"hb-mq-v{i}"]})  # fmt: skip
    for i in range(6, 10):
        volunteers.append({"volunteer_id": f"hb-mq-v{i}", "name": name(rng), "home_community_id": "hb-mq",
                           "team_id": "hb-lts", "registered_on": "2021-10-01"})  # fmt: skip
    children = [f"hb-cg-c{i:02d}" for i in range(1, 21)]
    recipients += [
        {"recipient_id": c, "name": name(rng), "community_id": "hb-cg",
         "target_groups": ["child_in_difficulty", "left_behind_child"],
         "birth_date": date(2013 + i % 4, i % 12 + 1, 5).isoformat(),
         "consents": [{"purpose": purpose, "basis": "guardian_consent", "valid_from": "2022-03-01",
                       "given_by": "监护人"} for purpose in ("casework", "share_with_volunteers")]}
        for i, c in enumerate(children)
    ]  # fmt: skip
    activities = [
        {"activity_id": "hb-a-cg", "activity_type": "group_activity", "held_on": "2022-03-20",
         "station_id": "hb-cg-ts", "community_id": "hb-cg", "recipient_ids": children,
         "person_times": 20, "worker_ids": ["hb-w2"],
         "title": "“大手拉小手”关爱困境留守儿童暨“爱心志愿服务队”组建活动"},
        {"activity_id": "hb-a-jz", "activity_type": "volunteer_service", "held_on": "2022-03-19",
         "station_id": "hb-jz-ts", "community_id": "hb-jf", "organization_ids": agencies,
         "title": "金凤广场免费理发、义诊咨询志愿服务活动"},
    ]  # fmt: skip
    resources = [
        {"resource_id": "hb-whsg-fund", "name": "武汉社工关爱基金", "resource_kind": "funds",
         "donor": "武汉市社会工作联合会", "holder_id": "hb-whcs", "channel": "donation",
         "total": "0", "restriction": {"for_social_workers": True,
         "note": "社工遭遇重大疾病、重大生活困难时可申请资金帮扶；金额未公开，记为0（示例）"}},
    ]  # fmt: skip
    prizes = [("论文", 21), ("案例", 25), ("摄影", 26)]
    honours = [
        {"honour_id": f"hb-prize-{cat}-{i:02d}", "kind": "award", "category": cat,
         "title": f"获奖{cat}{i}（示例）", "awarded_by": "湖北省社会工作联合会", "year": 2022, "division_code": "420000",
         "synthetic": True}
        for cat, count in prizes
        for i in range(1, count + 1)
    ]  # fmt: skip
    return {
        "name": "湖北省（2022年社会工作主题宣传）",
        "division_code": "420000",
        "description": (
            "Seed 001 (湖北日报, 2022-04-06): 武汉社工关爱基金, a fund for social workers; "
            "荆门市掇刀区名泉社区's 蓝天使 team, which took in 社会救助对象 as volunteers "
            "(five illustrate; the number is not published); 红安县城关镇社工站's activity "
            "with 20 困境留守儿童; 荆州's event run by 12 agencies; and the prizes of 湖北省"
            "社会工作联合会 (21 papers, 25 cases, 26 photographs; titles illustrative). "
            "Province, city and county codes are real; township and community codes are "
            "synthetic; every person is fictitious. Generated by examples/data/make_seeds.py."
        ),
        "synthetic": True,
        "as_of": "2022-04-06",
        "divisions": divisions,
        "communities": communities,
        "organizations": organizations,
        "workers": workers,
        "volunteers": volunteers,
        "teams": [
            {
                "team_id": "hb-lts",
                "name": "社会救助关爱“蓝天使”志愿服务队",
                "community_id": "hb-mq",
            },
            {
                "team_id": "hb-cg-team",
                "name": "城关镇“爱心志愿服务队”",
                "community_id": "hb-cg",
            },
        ],
        "recipients": recipients,
        "person_links": links,
        "stations": stations,
        "activities": activities,
        "resources": resources,
        "honours": honours,
    }


# --- 003 叙州区 and 宜宾市 ---------------------------------------------------------------

YIBIN = "511500"
XUZHOU = "511504"
AS_OF_YIBIN = date(2020, 9, 23)


def _xuzhou_places() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """叙州区's streets and towns (synthetic codes) and 80 communities, 72 of them served."""
    towns = ["南岸街道", "赵场街道（示例）", "柏溪街道（示例）", "南岸示例镇一（示例）",
             "南岸示例镇二（示例）", "南岸示例镇三（示例）", "南岸示例镇四（示例）", "南岸示例镇五（示例）"]  # fmt: skip
    divisions = [division(YIBIN, "宜宾市"), division(XUZHOU, "叙州区")]
    communities: list[dict[str, Any]] = []
    for t, town in enumerate(towns, start=1):
        block = 0 if "街道" in town else 100
        code = f"{XUZHOU}{block + t:03d}"
        divisions.append(division(code, town, synthetic=True))
        for c in range(1, 11):
            title = (
                "金鱼社区"
                if (t, c) == (1, 1)
                else f"{town.removesuffix('（示例）')}社区{c}（示例）"
            )
            communities.append({"community_id": f"xz-c{t}{c:02d}", "name": title,
                                "division_code": f"{code}{c:03d}", "synthetic_code": True})  # fmt: skip
    return divisions, communities


def _incubation(rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    """The centre opened in April: 19 萌芽型, 17 初创型, 66 registered visited, 14 resident."""
    opened = date(2020, 4, 1)
    orgs: list[dict[str, Any]] = [
        {"organization_id": "xz-centre-op", "name": "宜宾叙州社会组织培育服务中心运营方（示例）"},
        {"organization_id": "xz-jdyg", "name": "宜宾市酒都义工联合会", "org_type": "social_association",
         "is_hub": True, "home_community_id": "xz-c101"},
    ]  # fmt: skip
    records: list[dict[str, Any]] = []

    def day(lo: int, hi: int) -> str:
        return (opened + timedelta(days=rng.randint(lo, hi))).isoformat()

    for i in range(1, 20):
        org = f"xz-seed{i:02d}"
        orgs.append({"organization_id": org, "name": f"萌芽型社区社会组织{i}（示例）",
                     "org_type": "community_group", "registration": "filed"})  # fmt: skip
        records.append({"incubation_id": f"xz-inc-{org}", "organization_id": org, "incubator_id": "xz-centre",
                        "cohort": "2020年第一批", "stages": [{"stage": "seed", "entered_on": day(5, 120)}]})  # fmt: skip
    for i in range(1, 18):
        org = f"xz-start{i:02d}"
        orgs.append({"organization_id": org, "name": f"初创型社区社会组织{i}（示例）",
                     "org_type": "community_group", "registration": "filed"})  # fmt: skip
        records.append({"incubation_id": f"xz-inc-{org}", "organization_id": org, "incubator_id": "xz-centre",
                        "cohort": "2020年第一批", "stages": [{"stage": "seed", "entered_on": day(5, 40)},
                                                        {"stage": "start_up", "entered_on": day(60, 150)}]})  # fmt: skip
    # 66 registered organisations visited; the 14 resident ones (3 of them hubs) are among them.
    for i in range(1, 67):
        org = "xz-jdyg" if i == 1 else f"xz-reg{i:02d}"
        if i > 1:
            orgs.append({"organization_id": org, "name": f"已登记社会组织{i}（示例）",
                         "org_type": "social_association", "is_hub": i in (2, 3)})  # fmt: skip
        records.append({"incubation_id": f"xz-inc-{org}", "organization_id": org, "incubator_id": "xz-centre",
                        "resident": i <= 14, "follow_ups": [day(10, 170)]})  # fmt: skip
    return {
        "organizations": orgs,
        "incubators": [
            {
                "incubator_id": "xz-centre",
                "name": "宜宾叙州社会组织培育服务中心",
                "operator_id": "xz-centre-op",
                "community_id": "xz-c101",
                "opened_on": opened.isoformat(),
            }
        ],
        "incubations": records,
    }


def _projects(rng: random.Random, communities: list[str]) -> list[dict[str, Any]]:
    """7 packaged + 4 introduced projects; 9 landed, together covering 72 communities."""
    served = communities[:72]
    shares = spread(72, 9, rng)
    projects = []
    start = 0
    for p in range(1, 12):
        origin = "packaged" if p <= 7 else "introduced"
        landed = p not in (7, 11)
        row: dict[str, Any] = {"project_id": f"xz-proj{p:02d}", "name": f"{'包装' if p <= 7 else '引进'}社会服务项目{p}（示例）",
                               "funder": "叙州区民政局", "operator_id": "xz-centre-op", "budget": str(rng.randint(5, 30) * 10000),
                               "period": {"start": "2020-05-01", "end": "2021-04-30"}, "origin": origin}  # fmt: skip
        if landed:
            n = shares.pop()
            row["community_ids"] = served[start : start + n]
            row["launched_on"] = (
                date(2020, 5, 1) + timedelta(days=rng.randint(0, 100))
            ).isoformat()
            start += n
        projects.append(row)
    return projects


def _platform(rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    """宜宾市's volunteer platform export: one row per team and year, 2019 and 2020."""
    teams_n = 480
    registered = spread(376_012, teams_n, rng)
    hours_2019 = spread(1_905_300, teams_n, rng)
    hours_2020 = spread(1_876_800, teams_n, rng)
    teams = [
        {
            "team_id": "yb-t001",
            "name": "宜宾市酒都义工联合会志愿服务队",
            "organization_id": "xz-jdyg",
        }
    ]
    teams += [
        {"team_id": f"yb-t{i:03d}", "name": f"宜宾市志愿服务队{i}（示例）"}
        for i in range(2, teams_n + 1)
    ]
    rows = []
    for i, team in enumerate(teams):
        stock_2019 = registered[i] * rng.randint(70, 95) // 100
        rows.append({"row_id": f"yb-h19-{i + 1:03d}", "team_id": team["team_id"], "platform": "志愿四川（示例）",
                     "period": {"start": "2019-01-01", "end": "2019-12-31"},
                     "registered": stock_2019, "hours": str(hours_2019[i])})  # fmt: skip
        rows.append({"row_id": f"yb-h20-{i + 1:03d}", "team_id": team["team_id"], "platform": "志愿四川（示例）",
                     "period": {"start": "2020-01-01", "end": AS_OF_YIBIN.isoformat()},
                     "registered": registered[i], "hours": str(hours_2020[i])})  # fmt: skip
    return {"teams": teams, "volunteer_hours": rows}


def yibin() -> dict[str, Any]:
    """宜宾市 and 叙州区 (seed 003): the incubator, its projects, the platform, 807 workers."""
    rng = random.Random(511504)
    divisions, communities = _xuzhou_places()
    inc = _incubation(rng)
    agencies = [{"organization_id": f"yb-ag{i:02d}", "name": f"宜宾市专业社工机构{i}（示例）",
                 "is_social_work_agency": True} for i in range(1, 14)]  # fmt: skip
    workers = [
        {"worker_id": f"yb-w{i:03d}", "name": name(rng),
         "qualification": "intermediate" if i % 5 == 0 else "assistant",
         "organization_id": f"yb-ag{i % 13 + 1:02d}" if i % 3 else None}
        for i in range(1, 808)
    ]  # fmt: skip
    return {
        "name": "四川省宜宾市（叙州区社会组织培育服务中心）",
        "division_code": YIBIN,
        "description": (
            "Seed 003 (四川新闻网, 2020): 叙州社会组织培育服务中心 in 金鱼社区 — opened in "
            "April, 19 萌芽型 and 17 初创型 organisations incubated, 66 registered "
            "organisations visited, 14 resident (3 hubs); 7 packaged and 4 introduced "
            "projects, 9 landed in 72 communities — and 宜宾市's 37.6万 registered volunteers "
            "with 378.2万 hours, kept as the volunteer platform's export rows per team and "
            "year (480 illustrative teams), 13 agencies and 807 certified workers. City and "
            "district codes are real; street, town and community codes are synthetic; "
            "organisation, team and project names marked （示例） and every person are "
            "illustrative. Generated by examples/data/make_seeds.py."
        ),
        "synthetic": True,
        "as_of": AS_OF_YIBIN.isoformat(),
        "divisions": divisions,
        "communities": communities,
        "organizations": inc["organizations"] + agencies,
        "workers": workers,
        "incubators": inc["incubators"],
        "incubations": inc["incubations"],
        "projects": _projects(rng, [c["community_id"] for c in communities]),
        **_platform(rng),
    }


# --- 004 山西 ---------------------------------------------------------------------------

SHANXI_CITIES = [
    ("140100", "太原市"), ("140200", "大同市"), ("140300", "阳泉市"), ("140400", "长治市"),
    ("140500", "晋城市"), ("140600", "朔州市"), ("140700", "晋中市"), ("140800", "运城市"),
    ("140900", "忻州市"), ("141000", "临汾市"), ("141100", "吕梁市"),
]  # fmt: skip
SUMMING_UP = date(2022, 3, 15)


def shanxi() -> dict[str, Any]:
    """山西 (seed 004): township stations piloted, summed up on 15 March 2022, widened."""
    rng = random.Random(140000)
    divisions = [division("140000", "山西省")]
    stations: list[dict[str, Any]] = []
    pilots: list[dict[str, Any]] = []
    programme = "乡镇（街道）社会工作服务站建设试点"
    for c, (city, city_name) in enumerate(SHANXI_CITIES, start=1):
        county = f"{city[:4]}21"
        divisions += [
            division(city, city_name),
            division(county, f"{city_name}示例县（示例）", synthetic=True),
        ]
        for t in range(1, 6):
            town = f"{county}{100 + t:03d}"
            divisions.append(
                division(town, f"{city_name}示例镇{t}（示例）", synthetic=True)
            )
            sid = f"sx-{c:02d}-{t}"
            stations.append({"station_id": sid, "name": f"{city_name}示例镇{t}社会工作服务站（示例）",
                             "level": "township", "division_code": town})  # fmt: skip
            if (
                t <= 2
            ):  # two pilots per city, chosen in 2021, carried on after the summing-up
                phases = [{"phase": "pilot", "entered_on": f"2021-{4 + c % 6:02d}-01"},
                          {"phase": "regular", "entered_on": SUMMING_UP.isoformat()}]  # fmt: skip
            else:  # three more per city when the programme widened
                joined = SUMMING_UP + timedelta(days=rng.randint(17, 200))
                phases = [{"phase": "expansion", "entered_on": joined.isoformat()}]
            pilots.append({"pilot_id": f"sx-pilot-{sid}", "programme": programme, "station_id": sid,
                           "designated_by": "山西省民政厅", "phases": phases})  # fmt: skip
    meeting = spread(1_288 - 46, len(SHANXI_CITIES), rng)
    trained = spread(9_870, len(SHANXI_CITIES), rng)
    convenings = [
        {"convening_id": "sx-meeting-2022-03-15", "kind": "meeting", "held_on": SUMMING_UP.isoformat(),
         "organiser": "山西省民政厅", "division_code": "140000",
         "title": "全省乡镇（街道）社会工作服务站建设试点工作总结暨扩面工作推进视频会",
         "attendance": [{"division_code": "140000", "count": 46}]
         + [{"division_code": city, "count": n} for (city, _), n in zip(SHANXI_CITIES, meeting, strict=True)]},
        {"convening_id": "sx-training-2022", "kind": "training", "held_on": "2022-03-21",
         "organiser": "民政部培训中心（山西省民政厅组织参训）", "division_code": "140000",
         "title": "2022年开展社会工作教育助力社会工作主题宣传培训班",
         "attendance": [{"division_code": city, "count": n}
                        for (city, _), n in zip(SHANXI_CITIES, trained, strict=True)]},
    ]  # fmt: skip
    return {
        "name": "山西省（乡镇（街道）社工站建设试点与扩面）",
        "division_code": "140000",
        "description": (
            "Seed 004 (山西省民政厅, 2022): township social-work stations piloted, the pilot "
            "summed up and widened at the video conference of 15 March 2022 (近1300 from "
            "province, cities and counties, counted per city's sign-ins) and 近万 trained in "
            "the 民政部培训中心 course (counted per city's registrations). The seed names no "
            "pilot station: two pilots and three expansion stations per city are "
            "ILLUSTRATIVE, as are the per-city counts; province and city codes are real, "
            "county and township codes synthetic. Generated by examples/data/make_seeds.py."
        ),
        "synthetic": True,
        "as_of": "2022-12-31",
        "divisions": divisions,
        "stations": stations,
        "pilots": pilots,
        "convenings": convenings,
    }


BUILDERS: dict[str, Callable[[], dict[str, Any]]] = {
    "hubei": hubei,
    "yibin": yibin,
    "shanxi": shanxi,
}
"""Every dataset this script writes, by file stem."""


def main() -> None:
    for stem, build in BUILDERS.items():
        data = build()
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        (HERE / f"{stem}.json").write_text(text + "\n", encoding="utf-8")
        print(f"wrote {stem}.json")


if __name__ == "__main__":
    main()
