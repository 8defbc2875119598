"""Hypothesis strategies that build *valid, consistent* wushe worlds.

The chain follows the domain: a district → its streets → communities → stations (a hub, a
station per street, a room per community) → organisations, workers, volunteers →
recipients (ages consistent with their groups, consent for every purpose the engines use,
given by a guardian under 14; ``consent_records`` draws random ones instead) → needs →
projects → activities. Every generated dataset passes ``Dataset`` integrity checks.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from wushe.codes import age_on, id_check_character
from wushe.models import BASIS_COVERS, Dataset, Recipient
from wushe.privacy import Sensitive
from wushe.vocab import (
    ActivityType,
    ConsentPurpose,
    LawfulBasis,
    Qualification,
    ServiceCategory,
    TargetGroup,
)

AS_OF = date(2024, 6, 30)
DISTRICTS = ("510106", "500103", "511603", "420116", "522725")
CHILD_GROUPS = (
    TargetGroup.LEFT_BEHIND_CHILD,
    TargetGroup.CHILD_IN_DIFFICULTY,
    TargetGroup.ORPHAN,
)
ELDER_GROUPS = (
    TargetGroup.ELDER_LIVING_ALONE,
    TargetGroup.EMPTY_NEST_ELDER,
    TargetGroup.DISABLED_ELDER,
    TargetGroup.ADVANCED_AGE_ELDER,
)
ADULT_GROUPS = (TargetGroup.DIBAO, TargetGroup.EXTREME_POVERTY, TargetGroup.DISABILITY)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"


def resident_id(area: str, born: date, seq: int) -> str:
    """A valid synthetic resident ID number."""
    first17 = f"{area}{born:%Y%m%d}{seq % 1000:03d}"
    return first17 + id_check_character(first17)


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    area = draw(st.sampled_from(DISTRICTS))
    born = draw(st.dates(date(1920, 1, 1), date(2020, 12, 31)))
    return resident_id(area, born, draw(st.integers(0, 999)))


def names() -> st.SearchStrategy[str]:
    return st.builds(
        lambda s, g: s + g,
        st.sampled_from(SURNAMES),
        st.text(alphabet=GIVEN, min_size=1, max_size=2),
    )


@st.composite
def datasets(
    draw: st.DrawFn,
    *,
    max_streets: int = 3,
    max_communities: int = 4,
    max_recipients: int = 8,
    max_activities: int = 12,
) -> Dataset:
    """A valid dataset for one district."""
    district = draw(st.sampled_from(DISTRICTS))
    n_streets = draw(st.integers(1, max_streets))
    divisions: list[dict[str, Any]] = [{"division_code": district, "name": "区"}]
    communities: list[dict[str, Any]] = []
    stations: list[dict[str, Any]] = [
        {
            "station_id": "hub",
            "name": "社工总站",
            "level": "county",
            "division_code": district,
        }
    ]
    for s in range(1, n_streets + 1):
        street = f"{district}{s:03d}"
        divisions.append({"division_code": street, "name": f"街道{s}"})
        has_station = draw(st.booleans()) or s == 1
        if has_station:
            stations.append(
                {
                    "station_id": f"ts{s}",
                    "name": f"街道{s}社工站",
                    "level": "township",
                    "division_code": street,
                    "parent_ids": ["hub"],
                }
            )
        for c in range(1, draw(st.integers(1, max_communities)) + 1):
            cid = f"c{s}-{c}"
            communities.append(
                {
                    "community_id": cid,
                    "name": f"社区{s}-{c}",
                    "division_code": f"{street}{c:03d}",
                }
            )
            if has_station and draw(st.booleans()):
                stations.append(
                    {
                        "station_id": f"r{s}-{c}",
                        "name": f"社区{s}-{c}社工室",
                        "level": "village",
                        "division_code": f"{street}{c:03d}",
                        "parent_ids": [f"ts{s}"],
                        "community_ids": [cid],
                    }
                )
    community_ids = [c["community_id"] for c in communities]
    station_ids = [s["station_id"] for s in stations]
    categories = st.frozensets(
        st.sampled_from(list(ServiceCategory)), min_size=1, max_size=3
    )
    organizations = [
        {
            "organization_id": f"o{i}",
            "name": f"社工机构{i}",
            "is_social_work_agency": True,
            "services": sorted(draw(categories)),
            "capacity": draw(st.integers(0, 5)),
        }
        for i in range(draw(st.integers(1, 3)))
    ]
    workers = [
        {
            "worker_id": f"w{i}",
            "name": draw(names()),
            "qualification": draw(st.none() | st.sampled_from(list(Qualification))),
            "station_id": draw(st.sampled_from(station_ids)),
            "home_community_id": draw(st.sampled_from(community_ids)),
            "skills": sorted(draw(categories)),
            "caseload": draw(st.integers(0, 4)),
        }
        for i in range(draw(st.integers(0, 6)))
    ]
    volunteers = [
        {
            "volunteer_id": f"v{i}",
            "name": draw(names()),
            "birth_date": draw(st.dates(date(1950, 1, 1), date(2000, 12, 31))),
            "home_community_id": draw(st.sampled_from(community_ids)),
            "skills": sorted(draw(categories)),
            "vetted": draw(st.booleans()),
            "capacity": draw(st.integers(0, 3)),
        }
        for i in range(draw(st.integers(0, 6)))
    ]
    recipients = [
        draw(_recipient(f"p{i}", draw(st.sampled_from(community_ids))))
        for i in range(draw(st.integers(0, max_recipients)))
    ]
    needs = []
    for i, person in enumerate(recipients):
        if draw(st.booleans()):
            roles: list[dict[str, Any]] = [{"role": "lead_social_worker"}]
            if draw(st.booleans()):
                roles.append({"role": "volunteers", "count": draw(st.integers(1, 2))})
            needs.append(
                {
                    "need_id": f"n{i}",
                    "recipient_id": person["recipient_id"],
                    "category": draw(st.sampled_from(list(ServiceCategory))),
                    "roles": roles,
                    "raised_on": AS_OF - timedelta(days=draw(st.integers(0, 120))),
                }
            )
    projects = [
        {
            "project_id": "proj",
            "name": "服务项目",
            "funder": "区民政局",
            "operator_id": "o0",
            "budget": Decimal(300000),
            "period": {"start": date(2024, 1, 1), "end": date(2024, 12, 31)},
            "station_ids": station_ids[:2],
        }
    ]
    activities = [
        {
            "activity_id": f"a{i}",
            "activity_type": draw(st.sampled_from(list(ActivityType))),
            "held_on": draw(st.dates(date(2024, 1, 1), date(2024, 12, 31))),
            "station_id": draw(st.sampled_from(station_ids)),
            "project_id": draw(st.none() | st.just("proj")),
            "sessions": draw(st.integers(1, 5)),
            "person_times": draw(st.integers(0, 200)),
        }
        for i in range(draw(st.integers(0, max_activities)))
    ]
    return Dataset.model_validate(
        {
            "name": "合成区",
            "division_code": district,
            "as_of": AS_OF,
            "divisions": divisions,
            "communities": communities,
            "organizations": organizations,
            "workers": workers,
            "volunteers": volunteers,
            "recipients": recipients,
            "needs": needs,
            "stations": stations,
            "projects": projects,
            "activities": activities,
        }
    )


@st.composite
def _recipient(draw: st.DrawFn, recipient_id: str, community_id: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(("child", "elder", "adult")))
    if kind == "child":
        born = draw(st.dates(date(2010, 7, 1), date(2020, 6, 30)))
        groups = draw(st.sets(st.sampled_from(CHILD_GROUPS[:2]), min_size=1))
    elif kind == "elder":
        born = draw(st.dates(date(1925, 1, 1), date(1944, 6, 30)))
        groups = draw(st.sets(st.sampled_from(ELDER_GROUPS), min_size=1))
    else:
        born = draw(st.dates(date(1965, 1, 1), date(2000, 12, 31)))
        groups = draw(st.sets(st.sampled_from(ADULT_GROUPS), max_size=2))
    record: dict[str, Any] = {
        "recipient_id": recipient_id,
        "name": draw(names()),
        "community_id": community_id,
        "target_groups": sorted(groups),
        "id_number": resident_id("510106", born, draw(st.integers(0, 999))),
        "assessed_on": AS_OF,
    }
    if draw(st.booleans()):
        record["phone"] = (
            "1"
            + draw(st.sampled_from("3456789"))
            + draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
        )
    record["consents"] = full_consents(guardian=kind == "child")
    return record


ENGINE_PURPOSES = tuple(
    p for p in ConsentPurpose if p in BASIS_COVERS[LawfulBasis.VITAL_INTERESTS]
)
"""The purposes matching, visits and referrals need a basis for."""


def full_consents(*, guardian: bool, on: date = AS_OF) -> list[dict[str, Any]]:
    """Consent from ``on`` for every purpose the engines use, so the gate lets all pass."""
    extra = {"basis": "guardian_consent", "given_by": "监护人"} if guardian else {}
    return [{"purpose": p.value, "valid_from": on, **extra} for p in ENGINE_PURPOSES]


@st.composite
def consent_records(
    draw: st.DrawFn, born: date, *, as_of: date = AS_OF
) -> list[dict[str, Any]]:
    """Random valid lawful bases around ``as_of``: any purpose, basis and withdrawal.

    Dates fall within 30 days either side of ``as_of`` so that validity on ``as_of`` is often
    decided by a single day; withdrawals and expiries may fall on ``as_of`` itself. A child
    under 14 on ``as_of`` never consents alone and always has a guardian's consent or a
    statutory basis on record (the model rejects anything else).
    """
    near = st.integers(-30, 30).map(lambda d: as_of + timedelta(days=d))
    records: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 5))):
        purpose = draw(st.sampled_from(ENGINE_PURPOSES))
        bases = [b for b in LawfulBasis if purpose in BASIS_COVERS[b]]
        basis = draw(st.sampled_from(bases))
        start = draw(near)
        if basis is LawfulBasis.CONSENT and age_on(born, start) < 14:
            basis = LawfulBasis.GUARDIAN_CONSENT
        record: dict[str, Any] = {
            "purpose": purpose.value,
            "basis": basis.value,
            "valid_from": start,
        }
        end = start + timedelta(days=draw(st.integers(0, 40)))
        if basis in (LawfulBasis.CONSENT, LawfulBasis.GUARDIAN_CONSENT):
            if draw(st.booleans()):
                record["withdrawn_on"] = end
        elif basis is LawfulBasis.VITAL_INTERESTS or draw(st.booleans()):
            record["expires_on"] = end
        if basis is LawfulBasis.GUARDIAN_CONSENT:
            record["given_by"] = "监护人"
        if basis is LawfulBasis.STATUTORY_DUTY:
            record["reference"] = "《社会救助暂行办法》"
        records.append(record)
    grounds = {LawfulBasis.GUARDIAN_CONSENT.value, LawfulBasis.STATUTORY_DUTY.value}
    if age_on(born, as_of) < 14 and not any(r["basis"] in grounds for r in records):
        records.append(
            {
                "purpose": "casework",
                "basis": "statutory_duty",
                "valid_from": as_of + timedelta(days=draw(st.integers(-30, 30))),
                "reference": "《社会救助暂行办法》",
            }
        )
    return records


def holds_personal_data(value: Any, seen: set[int]) -> bool:
    """Whether any attrs value, container or mapping reachable from ``value`` holds personal data."""
    if id(value) in seen:
        return False
    seen.add(id(value))
    if isinstance(value, Sensitive | Recipient):
        return True
    if isinstance(value, str | int | float | bytes | date | type(None)):
        return False
    if isinstance(value, dict):
        return any(holds_personal_data(v, seen) for v in value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return any(holds_personal_data(v, seen) for v in value)
    if attrs.has(type(value)):
        return any(
            holds_personal_data(getattr(value, f.name), seen)
            for f in attrs.fields(type(value))
        )
    return False


# --- The station's own records (#12) ----------------------------------------------------

CASE_NOTES = "独居老人近期情绪低落，需心理疏导"
"""A sensitive note planted in generated sessions, to be looked for in outputs."""


@st.composite
def station_records(draw: st.DrawFn, base: Dataset | None = None) -> Dataset:
    """A valid dataset whose households, person links, cases and sessions, referrals,
    supervision and training are consistent with the rest of it."""
    ds = base if base is not None else draw(datasets(max_recipients=10))
    recipients = sorted(ds.recipients, key=lambda r: r.recipient_id)
    households = _households(draw, recipients)
    member_of = {m: h["household_id"] for h in households for m in h["member_ids"]}
    links, born = _person_links(draw, ds, recipients)
    cases, sessions = _cases(draw, ds, member_of)
    referrals = _referrals(draw, ds)
    stations = sorted(s.station_id for s in ds.stations)
    workers = sorted(w.worker_id for w in ds.workers)
    communities = sorted(c.community_id for c in ds.communities)
    supervisions = [
        {
            "supervision_id": f"sv{i}",
            "held_on": draw(st.dates(date(2024, 1, 1), date(2024, 12, 31))),
            "station_id": "hub",
            "hours": draw(st.sampled_from(["1", "1.5", "2", "3"])),
            "mode": draw(st.sampled_from(["field", "online", "centralised"])),
            "supervisee_ids": draw(st.sets(st.sampled_from(workers), max_size=3))
            if workers
            else [],
            "station_ids": draw(st.sets(st.sampled_from(stations), max_size=3)),
            "community_ids": draw(st.sets(st.sampled_from(communities), max_size=3)),
        }
        for i in range(draw(st.integers(0, 4)))
    ]
    trainings = [
        {
            "training_id": f"tr{i}",
            "title": f"专业培训{i}",
            "held_on": draw(st.dates(date(2024, 1, 1), date(2024, 12, 31))),
            "station_id": draw(st.sampled_from(stations)),
            "hours": draw(st.sampled_from(["2", "3.5", "6", "12"])),
            "attendee_ids": draw(st.sets(st.sampled_from(workers), max_size=4))
            if workers
            else [],
            "counts_for_cpd": draw(st.booleans()),
        }
        for i in range(draw(st.integers(0, 4)))
    ]
    data = ds.model_dump(mode="json", context={"reveal_sensitive": True})
    for volunteer in data["volunteers"]:
        if volunteer["volunteer_id"] in born:
            volunteer["birth_date"] = born[volunteer["volunteer_id"]].isoformat()
    contracts, spendings = _contracts(draw, ds)
    incubators, incubations = _incubation(draw, ds)
    posts = _posts(draw, ds)
    grids = _grids(draw, ds, households)
    data.update(
        grids=grids,
        child_welfare_posts=posts,
        incubators=incubators,
        incubations=incubations,
        contracts=contracts,
        spendings=spendings,
        households=households,
        person_links=links,
        cases=cases,
        case_sessions=sessions,
        referrals=referrals,
        supervisions=supervisions,
        trainings=trainings,
    )
    return Dataset.model_validate(data)


def _households(draw: st.DrawFn, recipients: list[Any]) -> list[dict[str, Any]]:
    by_community: dict[str, list[str]] = {}
    for r in recipients:
        if draw(st.booleans()):
            by_community.setdefault(r.community_id, []).append(r.recipient_id)
    households = []
    for community_id, members in sorted(by_community.items()):
        status = draw(
            st.sampled_from(["dibao", "near_dibao", "family_planning_special"])
        )
        since = draw(st.dates(date(2015, 1, 1), date(2023, 12, 31)))
        statuses: list[dict[str, Any]] = [{"status": status, "since": since}]
        if draw(st.booleans()):
            statuses[0]["until"] = since + timedelta(days=draw(st.integers(0, 300)))
            statuses.append(
                {"status": "expenditure_hardship", "since": statuses[0]["until"]}
            )
        households.append(
            {
                "household_id": f"h-{community_id}",
                "community_id": community_id,
                "member_ids": members,
                "head_id": members[0],
                "statuses": statuses,
            }
        )
    return households


def _person_links(
    draw: st.DrawFn, ds: Dataset, recipients: list[Any]
) -> tuple[list[dict[str, Any]], dict[str, date]]:
    """Link adult recipients to volunteer records, giving the volunteer their birth date."""
    volunteers = sorted(v.volunteer_id for v in ds.volunteers)
    adults = [
        r
        for r in recipients
        if r.birth_date is not None and r.birth_date <= date(2000, 1, 1)
    ]
    links = []
    born: dict[str, date] = {}
    for i in range(draw(st.integers(0, min(len(volunteers), len(adults))))):
        links.append(
            {
                "person_id": f"person{i}",
                "recipient_ids": [adults[i].recipient_id],
                "volunteer_ids": [volunteers[i]],
            }
        )
        born[volunteers[i]] = adults[i].birth_date
    return links, born


def _cases(
    draw: st.DrawFn, ds: Dataset, member_of: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    workers = sorted(w.worker_id for w in ds.workers)
    stations = sorted(s.station_id for s in ds.stations)
    if not workers or not ds.recipients:
        return [], []
    order = [
        "intake",
        "assessment",
        "planning",
        "intervention",
        "evaluation",
        "closure",
    ]
    cases: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    for i in range(draw(st.integers(0, 5))):
        recipient = draw(st.sampled_from(sorted(r.recipient_id for r in ds.recipients)))
        opened = draw(st.dates(date(2024, 1, 1), date(2024, 9, 30)))
        steps = draw(st.integers(1, len(order)))
        day = opened
        phases: list[dict[str, Any]] = []
        for phase in order[:steps]:
            phases.append({"phase": phase, "entered_on": day})
            day += timedelta(days=draw(st.integers(0, 20)))
        case: dict[str, Any] = {
            "case_id": f"case{i}",
            "recipient_id": recipient,
            "worker_id": draw(st.sampled_from(workers)),
            "station_id": draw(st.sampled_from(stations)),
            "phases": phases,
        }
        if recipient in member_of and draw(st.booleans()):
            case["household_id"] = member_of[recipient]
        if steps == len(order):
            case["closing_reason"] = "goals_met"
        cases.append(case)
        last: date = phases[-1]["entered_on"]
        span = (last - opened).days
        for j in range(draw(st.integers(0, 3))):
            sessions.append(
                {
                    "session_id": f"case{i}-s{j}",
                    "case_id": f"case{i}",
                    "held_on": opened + timedelta(days=draw(st.integers(0, span))),
                    "duration_minutes": draw(st.integers(15, 180)),
                    "notes": CASE_NOTES,
                }
            )
    return cases, sessions


def _referrals(draw: st.DrawFn, ds: Dataset) -> list[dict[str, Any]]:
    stations = sorted(s.station_id for s in ds.stations)
    referrals = []
    for i, need in enumerate(sorted(ds.needs, key=lambda n: n.need_id)):
        if not draw(st.booleans()):
            continue
        sent = need.raised_on
        record: dict[str, Any] = {
            "referral_id": f"ref{i}",
            "recipient_id": need.recipient_id,
            "need_id": need.need_id,
            "station_id": draw(st.sampled_from(stations)),
            "unit": draw(
                st.sampled_from(["education", "health", "justice", "housing"])
            ),
            "sent_on": sent,
        }
        steps = draw(st.integers(0, 3))
        for step, field in enumerate(("accepted_on", "feedback_on", "closed_on")):
            if step < steps:
                record[field] = sent + timedelta(days=step + 1)
        record["status"] = ["sent", "accepted", "feedback", "closed"][steps]
        referrals.append(record)
    return referrals


def _contracts(
    draw: st.DrawFn, ds: Dataset
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One contract for the generated project, paid in instalments, with its spending."""
    if not ds.projects or not draw(st.booleans()):
        return [], []
    project = ds.projects[0]
    budget = draw(st.integers(10_000, 500_000))
    first = budget // 2
    contract = {
        "contract_id": "contract1",
        "project_id": project.project_id,
        "purchaser": project.funder,
        "provider_id": project.operator_id,
        "budget": str(budget),
        "period": project.period.model_dump(mode="json"),
        "milestones": [
            {"label": "签约后", "due_on": "2024-01-31", "amount": str(first),
             "paid_on": "2024-02-05"},
            {"label": "终期评估后", "due_on": "2024-12-31", "amount": str(budget - first)},
        ],
    }  # fmt: skip
    spendings = [
        {
            "spending_id": f"spend{i}",
            "contract_id": "contract1",
            "spent_on": draw(st.dates(date(2024, 1, 1), date(2024, 12, 31))),
            "amount": f"{draw(st.integers(1, 20_000))}.{draw(st.integers(0, 99)):02d}",
            "category": draw(
                st.sampled_from(["personnel", "activities", "administration"])
            ),
        }
        for i in range(draw(st.integers(0, 5)))
    ]
    return [contract], spendings


def _incubation(
    draw: st.DrawFn, ds: Dataset
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """An incubator at the hub and forward-moving stage histories for some organisations."""
    if not draw(st.booleans()):
        return [], []
    stages = ["seed", "start_up", "growing", "mature"]
    records = []
    for i, org in enumerate(sorted(o.organization_id for o in ds.organizations)):
        first = draw(st.dates(date(2023, 1, 1), date(2024, 6, 30)))
        reached = draw(st.integers(0, len(stages)))
        history = [
            {"stage": stage, "entered_on": first + timedelta(days=60 * k)}
            for k, stage in enumerate(stages[:reached])
        ]
        follow = (
            [first + timedelta(days=30)] if draw(st.booleans()) or not history else []
        )
        records.append(
            {
                "incubation_id": f"inc{i}",
                "organization_id": org,
                "incubator_id": "incubator1",
                "cohort": draw(st.sampled_from(["2023年第一批", "2024年第一批", ""])),
                "stages": history,
                "resident": draw(st.booleans()),
                "follow_ups": follow,
            }
        )
    return [
        {"incubator_id": "incubator1", "name": "社会组织培育中心", "station_id": "hub"}
    ], records


def _posts(draw: st.DrawFn, ds: Dataset) -> list[dict[str, Any]]:
    """儿童主任 for some communities and 儿童督导员 for some streets, held by workers."""
    workers = sorted(w.worker_id for w in ds.workers)
    if not workers:
        return []
    posts: list[dict[str, Any]] = []
    for c in sorted(ds.communities, key=lambda c: c.community_id):
        if draw(st.booleans()):
            posts.append({"post_id": f"post-{c.community_id}", "role": "director",
                          "worker_id": draw(st.sampled_from(workers)),
                          "community_id": c.community_id})  # fmt: skip
    for d in sorted(ds.divisions, key=lambda d: d.division_code):
        if len(d.division_code) == 9 and draw(st.booleans()):
            posts.append({"post_id": f"post-{d.division_code}", "role": "儿童督导员",
                          "worker_id": draw(st.sampled_from(workers)),
                          "division_code": d.division_code})  # fmt: skip
    return posts


def _grids(
    draw: st.DrawFn, ds: Dataset, households: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """At most one grid per community holding its households and some other recipients."""
    workers = sorted(w.worker_id for w in ds.workers)
    in_household = {m for h in households for m in h["member_ids"]}
    grids = []
    for c in sorted(ds.communities, key=lambda c: c.community_id):
        if not draw(st.booleans()):
            continue
        loose = sorted(
            r.recipient_id
            for r in ds.recipients
            if r.community_id == c.community_id and r.recipient_id not in in_household
        )
        grids.append(
            {
                "grid_id": f"grid-{c.community_id}",
                "community_id": c.community_id,
                "name": "第1网格",
                "grid_worker_ids": draw(st.sets(st.sampled_from(workers), max_size=2))
                if workers
                else [],
                "household_ids": [
                    h["household_id"]
                    for h in households
                    if h["community_id"] == c.community_id
                ],
                "recipient_ids": draw(st.sets(st.sampled_from(loose))) if loose else [],
            }
        )
    return grids
