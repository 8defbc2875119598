"""Every seed locality's published figures, computed from its records (种子地区数据复算).

The five news reports in the seeds publish figures for eight localities. Each locality's
data file holds records — ledger rows, stations, honours, incubation records, the volunteer
platform's export rows, sign-ins — and one function per locality below computes each
figure from them and prints it beside the published one. Detail a report does not give is
illustrative and marked so in the data (``synthetic``, or "（示例）" in a name).
``tests/test_seed_localities.py`` asserts every figure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from wushe import examples
from wushe.models import Dataset
from wushe.network import (
    honour_counts,
    incubation_summary,
    pilot_status,
    supervision_summary,
    training_summary,
    volunteer_platform_totals,
)
from wushe.vocab import (
    ActivityType,
    ConveningKind,
    FundingChannel,
    HonourKind,
    IncubationStage,
    PilotPhase,
    ProjectOrigin,
    StationLevel,
    SupervisionMode,
    TargetGroup,
)

Figure = tuple[str, str, int | Decimal | bool | str]
"""(what is counted, the published figure as printed, the figure computed from records)."""


def qixinggang(ds: Dataset) -> list[Figure]:
    """七星岗 (seed 000): the publicity week's ledger, 17–23 March 2022."""
    week = [
        a for a in ds.activities if date(2022, 3, 17) <= a.held_on <= date(2022, 3, 23)
    ]
    level = {s.station_id: s.level for s in ds.stations}
    street = [a for a in week if level[a.station_id] is StationLevel.TOWNSHIP]
    own = [a for a in street if a.activity_type is ActivityType.SOCIAL_WORK_PUBLICITY]
    rooms = [a for a in week if level[a.station_id] is StationLevel.VILLAGE]
    meeting = next(a for a in ds.activities if a.activity_type is ActivityType.MEETING)
    quiz = any("问答" in a.title and a.held_on == date(2022, 3, 22) for a in own)
    return [
        ("街道社工站组织活动 street station's events", "2", len(own)),
        ("社区社工室单场活动 room events", "8", len(rooms)),
        ("联动社工室 rooms taking part", "8", len({a.station_id for a in rooms})),
        ("协调会参会 at the coordination meeting", "16", meeting.person_times),
        ("3月22日线上有奖知识问答 online quiz", "是", quiz),
    ]


def wengan(ds: Dataset) -> list[Figure]:
    """海珠→瓮安 (seed 000): the plan, the 东西部协作 project and the sites visited."""
    first = [s for s in ds.stations if s.planned_year == 2022]
    partnership = next(p for p in ds.projects if "东西部协作" in p.name)
    visits = [
        a for a in ds.activities if a.activity_type is ActivityType.NEEDS_ASSESSMENT
    ]
    return [
        ("2022年优先建设社工站 stations planned first", "4", len(first)),
        ("东西部协作跨省项目 cross-region project", "是", partnership.is_cross_region(ds.division_code)),
        ("实地走访社区 sites visited", "4", len({a.community_id for a in visits})),
    ]  # fmt: skip


def hubei(ds: Dataset) -> list[Figure]:
    """湖北 (seed 001): the 社工关爱基金, 蓝天使, 红安's children, 荆州's agencies, prizes."""
    fund = next(r for r in ds.resources if r.name == "武汉社工关爱基金")
    for_workers = fund.restriction is not None and fund.restriction.for_social_workers
    team = next(t for t in ds.teams if "蓝天使" in t.name)
    members = {v.volunteer_id for v in ds.volunteers if v.team_id == team.team_id}
    joined = [
        p for p in ds.person_links if p.recipient_ids and p.volunteer_ids & members
    ]
    hongan = next(a for a in ds.activities if a.station_id == "hb-cg-ts")
    kids = {TargetGroup.CHILD_IN_DIFFICULTY, TargetGroup.LEFT_BEHIND_CHILD}
    who = {r.recipient_id: r.target_groups for r in ds.recipients}
    children = [r for r in hongan.recipient_ids if kids <= who[r]]
    jingzhou = next(a for a in ds.activities if a.organization_ids)
    agency = {o.organization_id for o in ds.organizations if o.is_social_work_agency}
    prizes = honour_counts(ds, kind=HonourKind.AWARD)
    return [
        ("社工关爱基金受益人为社工 fund for social workers", "是", for_workers),
        ("救助对象成为志愿者 recipients turned volunteers", "是", bool(joined)),
        ("困境留守儿童 children at 红安's activity", "20", len(children)),
        ("社会工作服务机构 agencies at 荆州's event", "12", len(jingzhou.organization_ids & agency)),
        ("获奖论文 prize-winning papers", "21", prizes.get("论文", 0)),
        ("优秀案例 prize-winning cases", "25", prizes.get("案例", 0)),
        ("摄影作品 prize-winning photographs", "26", prizes.get("摄影", 0)),
    ]  # fmt: skip


def jinniu(ds: Dataset) -> list[Figure]:
    """金牛区 (seed 002): supervision, meetings, training, brands, honours, 荷花池's fund."""
    field = supervision_summary(ds, station_id="jn-hub", mode=SupervisionMode.FIELD)
    meetings = [
        a.title for a in ds.activities if a.activity_type is ActivityType.MEETING
    ]
    brands = [
        h for h in ds.honours if h.kind is HonourKind.BRAND and h.category == "一站一品"
    ]
    named = honour_counts(ds)
    return [
        ("实地督导 field supervisions", "13", field.sessions),
        ("督导覆盖街道 streets reached", "13", field.streets),
        ("督导覆盖社区 communities reached", "32", field.communities),
        ("季度工作交流汇报 quarterly meetings", "3", sum("季度" in t for t in meetings)),
        ("推进会 promotion meetings", "2", sum("推进会" in t for t in meetings)),
        ("培训服务社工 training attendances", "270余", training_summary(ds, station_id="jn-hub").person_times),
        ("一站一品 station brands", "4", len({h.station_id for h in brands})),
        ("示范社会工作服务站 demonstration stations", "5", named.get("示范社会工作服务站", 0)),
        ("示范社区社会工作服务室 demonstration rooms", "4", named.get("示范社区社会工作服务室", 0)),
        ("优秀社工 outstanding social workers", "13", named.get("优秀社工", 0)),
        ("荷花池街道级未成年人慈善基金 street-level minors' fund", "是", _street_minors_fund(ds, "荷花池街道")),
    ]  # fmt: skip


def _street_minors_fund(ds: Dataset, street: str) -> bool:
    code = next(d.division_code for d in ds.divisions if d.name == street)
    children = {
        TargetGroup.CHILD_IN_DIFFICULTY,
        TargetGroup.DE_FACTO_UNSUPPORTED_CHILD,
        TargetGroup.ORPHAN,
        TargetGroup.LEFT_BEHIND_CHILD,
    }
    return any(
        r.channel is FundingChannel.COMMUNITY_FUND
        and r.restriction is not None
        and r.restriction.service_area == {code}
        and bool(r.restriction.target_groups)
        and r.restriction.target_groups <= children
        for r in ds.resources
    )


def qianfeng(ds: Dataset) -> list[Figure]:
    """前锋区 (seed 002): organisations introduced and incubated, the district's brands."""
    incubated = incubation_summary(ds)
    brands = "、".join(h.title for h in ds.honours if h.kind is HonourKind.BRAND)
    return [
        ("引进社工机构 agencies introduced", "3", sum(o.introduced_on is not None for o in ds.organizations)),
        ("孵化培育本土社工机构 local agencies incubated", "3", sum(incubated.by_stage.values())),
        ("服务品牌 brands", "五微服务、苔花行动", brands),
    ]  # fmt: skip


def jiulong(ds: Dataset) -> list[Figure]:
    """九龙坡 (seed 003): projects, groups, volunteers, person-times, the troupe's squads."""
    troupe = next(o for o in ds.organizations if o.name == "彩云湖社区艺术团")
    team = next(t for t in ds.teams if t.organization_id == troupe.organization_id)
    squads = [t for t in ds.teams if t.parent_team_id == team.team_id]
    operator = next(s.operator_id for s in ds.stations if s.station_id == "jl-ts")
    groups = [o for o in ds.organizations if o.organization_id != operator]
    return [
        ("市、区级社会工作项目 projects", "41", len(ds.projects)),
        ("培育引进社团组织 groups cultivated", "150余", len(groups)),
        ("注册志愿者 registered volunteers", "2万余", volunteer_platform_totals(ds).registered),
        ("服务居民 person-times served", "5万余", sum(a.person_times for a in ds.activities)),
        ("艺术团组建志愿者服务队 troupe became a team", "是", team.organization_id == troupe.organization_id),
        ("下设小分队 squads", "6", len(squads)),
    ]  # fmt: skip


def yibin(ds: Dataset) -> list[Figure]:
    """叙州区 and 宜宾市 (seed 003): the incubator, its projects, volunteers, workers."""
    inc = incubation_summary(ds, incubator_id="xz-centre")
    origin = [p.origin for p in ds.projects]
    landed = [p for p in ds.projects if p.launched_on is not None]
    platform = volunteer_platform_totals(ds)
    certified = [w for w in ds.workers if w.qualification is not None]
    return [
        ("萌芽型社会组织 seed-stage organisations", "19", inc.by_stage[IncubationStage.SEED]),
        ("初创型社会组织 start-up organisations", "17", inc.by_stage[IncubationStage.START_UP]),
        ("回访已登记社会组织 registered organisations visited", "66", inc.followed_up_registered),
        ("入驻社会组织 resident organisations", "14", inc.resident),
        ("其中枢纽型 of them hubs", "3", inc.hubs),
        ("包装社会服务项目 projects packaged", "7", origin.count(ProjectOrigin.PACKAGED)),
        ("引进成熟项目 projects introduced", "4", origin.count(ProjectOrigin.INTRODUCED)),
        ("已落地项目 projects landed", "9", len(landed)),
        ("覆盖社区 communities covered", "72", len({c for p in landed for c in p.community_ids})),
        ("实名注册志愿者 registered volunteers", "37.6万", platform.registered),
        ("累计有效服务时长 service hours", "378.2万", platform.hours),
        ("专业社工机构 social-work agencies", "13", sum(o.is_social_work_agency for o in ds.organizations)),
        ("持证社工 certified social workers", "807", len(certified)),
    ]  # fmt: skip


def shanxi(ds: Dataset) -> list[Figure]:
    """山西 (seed 004): pilots summed up and widened; the meeting and the training."""
    before = pilot_status(ds, date(2022, 3, 14))
    after = pilot_status(ds, ds.as_of or date(2022, 12, 31))
    pilot, regular, expansion = (
        PilotPhase.PILOT,
        PilotPhase.REGULAR,
        PilotPhase.EXPANSION,
    )
    staged = (
        before.by_phase[pilot] > 0
        and before.by_phase[expansion] == 0
        and after.by_phase[regular] == before.by_phase[pilot]
        and after.by_phase[expansion] > 0
    )
    meeting, training = (
        next(c for c in ds.convenings if c.kind is kind)
        for kind in (ConveningKind.MEETING, ConveningKind.TRAINING)
    )  # fmt: skip
    return [
        ("试点先行、总结后扩面 pilot, then expansion", "是", staged),
        ("视频会参会 at the video conference", "近1300", meeting.attendance_total),
        ("参加培训 trained", "近万", training.attendance_total),
    ]


LOCALITIES: dict[str, Callable[[Dataset], list[Figure]]] = {
    "qixinggang": qixinggang,
    "wengan": wengan,
    "hubei": hubei,
    "jinniu": jinniu,
    "qianfeng": qianfeng,
    "jiulong": jiulong,
    "yibin": yibin,
    "shanxi": shanxi,
}
"""Each seed locality's data file stem and the function computing its figures."""

_NUMBER = re.compile(r"^(?P<near>近)?(?P<n>\d+(?:\.\d+)?)?(?P<wan>万)?(?P<more>余)?$")


def matches(published: str, computed: int | Decimal | bool | str) -> bool:
    """Whether ``computed`` is what a report means by ``published`` (与公布数字相符).

    ``"16"`` is exactly 16; ``"270余"`` is 270–279 and ``"2万余"`` 20,000–29,999 (余: more
    than, below the next step of the last digit written); ``"37.6万"`` is what rounds to
    37.6万; ``"近1300"`` is 95–100% of 1,300 and ``"近万"`` of 10,000; ``"是"`` is true;
    any other text must be equal.
    """
    if isinstance(computed, bool) or published == "是":
        return published == "是" and computed is True
    found = _NUMBER.match(published)
    if isinstance(computed, str) or found is None or not published:
        return str(computed) == published
    unit = Decimal(10_000) if found["wan"] else Decimal(1)
    base = Decimal(found["n"] or "1") * unit
    value = Decimal(computed)
    if found["near"]:
        return base * Decimal("0.95") <= value <= base
    if found["more"]:
        digits = found["n"] or "1"
        step = Decimal(10) ** (len(digits) - len(digits.rstrip("0"))) * unit
        return base <= value < base + step
    if "." in (found["n"] or ""):
        places = len(found["n"].split(".")[1])
        step = unit / Decimal(10) ** places
        return base - step / 2 <= value < base + step / 2
    return value == base


def main() -> None:
    for stem, figures in LOCALITIES.items():
        ds = examples.load(stem)
        print(ds.name)
        for label, published, computed in figures(ds):
            mark = "✓" if matches(published, computed) else "✗"
            print(f"  {mark} {label}: published {published}, computed {computed}")


if __name__ == "__main__":
    main()
