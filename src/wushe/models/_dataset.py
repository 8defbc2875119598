"""One locality's records and their referential integrity (数据集)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Annotated, Any

from pydantic import Field, model_validator

from wushe.codes import DivisionCode, division_contains
from wushe.exceptions import DatasetError, IntegrityIssue
from wushe.models._base import WusheModel
from wushe.models._case import Case, CaseSession
from wushe.models._child_welfare import ChildWelfarePost
from wushe.models._community import Community, Division
from wushe.models._contract import PurchaseContract, Spending
from wushe.models._grid import Grid
from wushe.models._household import Household
from wushe.models._incubation import Incubation, Incubator
from wushe.models._organization import SocialOrganization
from wushe.models._person import PersonLink
from wushe.models._pilot import Pilot
from wushe.models._programme_integrity import check_programme_records
from wushe.models._project import Activity, ServiceProject
from wushe.models._recipient import Need, Recipient
from wushe.models._recognition import Honour
from wushe.models._records_integrity import check_records
from wushe.models._referral import Referral
from wushe.models._resource import CharitableResource
from wushe.models._station import Station
from wushe.models._supervision import Supervision, Training
from wushe.models._tally import Convening, VolunteerHoursRow
from wushe.models._timebank import TimeBank, TimeBankEntry
from wushe.models._volunteer import Volunteer, VolunteerTeam
from wushe.models._worker import SocialWorker
from wushe.vocab import StationLevel

__all__ = ["COLLECTIONS", "Dataset", "IntegrityCode", "check_integrity"]

COLLECTIONS: dict[str, tuple[type[WusheModel], str]] = {
    "divisions": (Division, "division_code"),
    "communities": (Community, "community_id"),
    "organizations": (SocialOrganization, "organization_id"),
    "workers": (SocialWorker, "worker_id"),
    "volunteers": (Volunteer, "volunteer_id"),
    "teams": (VolunteerTeam, "team_id"),
    "resources": (CharitableResource, "resource_id"),
    "recipients": (Recipient, "recipient_id"),
    "needs": (Need, "need_id"),
    "stations": (Station, "station_id"),
    "projects": (ServiceProject, "project_id"),
    "activities": (Activity, "activity_id"),
    "households": (Household, "household_id"),
    "person_links": (PersonLink, "person_id"),
    "cases": (Case, "case_id"),
    "case_sessions": (CaseSession, "session_id"),
    "referrals": (Referral, "referral_id"),
    "supervisions": (Supervision, "supervision_id"),
    "trainings": (Training, "training_id"),
    "contracts": (PurchaseContract, "contract_id"),
    "spendings": (Spending, "spending_id"),
    "incubators": (Incubator, "incubator_id"),
    "incubations": (Incubation, "incubation_id"),
    "child_welfare_posts": (ChildWelfarePost, "post_id"),
    "grids": (Grid, "grid_id"),
    "honours": (Honour, "honour_id"),
    "pilots": (Pilot, "pilot_id"),
    "volunteer_hours": (VolunteerHoursRow, "row_id"),
    "convenings": (Convening, "convening_id"),
    "time_banks": (TimeBank, "time_bank_id"),
    "time_bank_entries": (TimeBankEntry, "entry_id"),
}
"""Every record collection of a :class:`Dataset`: model class and id field (数据集合)."""


class IntegrityCode:
    """Stable reason codes of :class:`~wushe.exceptions.IntegrityIssue` (完整性原因代码)."""

    DUPLICATE_ID = "duplicate_id"
    """Two records in one collection share an id (编号重复)."""
    UNKNOWN_REFERENCE = "unknown_reference"
    """A field refers to a record that is not in the dataset (引用不存在)."""
    OUTSIDE_LOCALITY = "outside_locality"
    """A division code lies outside the dataset's own division (超出辖区)."""
    UNKNOWN_TOWNSHIP = "unknown_township"
    """A community's street or township is not listed in ``divisions`` (所属街道未登记)."""
    STATION_AREA_MISMATCH = "station_area_mismatch"
    """A station's area does not lie inside its parent's, or its communities outside its own (站点区域不符)."""
    OUTSIDE_PROJECT_PERIOD = "outside_project_period"
    """An activity is dated outside its project's period (超出项目周期)."""


class Dataset(WusheModel):
    """All records of one locality, checked for referential integrity (数据集).

    A locality is a district, county or street; ``division_code`` is its own code and every
    other code in the dataset must lie inside it. Building a dataset checks that every id
    referenced exists, ids are unique per collection, communities sit under listed streets,
    stations sit inside their parents' areas and activities fall inside their projects'
    periods. Violations raise :class:`~wushe.exceptions.DatasetError` listing every issue
    with collection, record id and field.
    """

    name: Annotated[str, Field(min_length=1)]
    """Name of the locality, e.g. ``"成都市金牛区"`` (数据集名称)."""
    division_code: DivisionCode
    """Division code of the locality as a whole (辖区代码)."""
    description: str = ""
    """What the data describes and where it comes from (说明)."""
    synthetic: bool = True
    """Whether the people in it are fictitious, as in all example data (是否为合成数据)."""
    as_of: date | None = None
    """Date the data describes (数据日期)."""

    def __repr__(self) -> str:
        # A summary, as pandas and networkx print theirs: a district's records would run to
        # megabytes, and counts carry no personal data.
        counts = ", ".join(
            f"{name}={len(records)}"
            for name in COLLECTIONS
            if (records := getattr(self, name, ()))
        )
        as_of = f" as of {self.as_of}" if self.as_of else ""
        return (
            f"<Dataset {self.name} ({self.division_code}){as_of}: {counts or 'empty'}>"
        )

    def __str__(self) -> str:
        return repr(self)

    divisions: tuple[Division, ...] = ()
    """Streets, townships and the district itself (行政区划)."""
    communities: tuple[Community, ...] = ()
    """Communities and villages (社区)."""
    organizations: tuple[SocialOrganization, ...] = ()
    """Social organisations (社会组织)."""
    workers: tuple[SocialWorker, ...] = ()
    """Social workers (社会工作者)."""
    volunteers: tuple[Volunteer, ...] = ()
    """Volunteers (志愿者)."""
    teams: tuple[VolunteerTeam, ...] = ()
    """Volunteer teams (志愿服务队伍)."""
    resources: tuple[CharitableResource, ...] = ()
    """Charitable resources (慈善资源)."""
    recipients: tuple[Recipient, ...] = ()
    """Service recipients (服务对象)."""
    needs: tuple[Need, ...] = ()
    """Registered needs (服务需求)."""
    stations: tuple[Station, ...] = ()
    """Social-work stations (社工站)."""
    projects: tuple[ServiceProject, ...] = ()
    """Service projects (服务项目)."""
    activities: tuple[Activity, ...] = ()
    """Activity ledger (活动台账)."""
    households: tuple[Household, ...] = ()
    """Households and their assistance status history (家庭)."""
    person_links: tuple[PersonLink, ...] = ()
    """Role records that belong to one person (人员身份关联)."""
    cases: tuple[Case, ...] = ()
    """Cases with their phases (个案)."""
    case_sessions: tuple[CaseSession, ...] = ()
    """Case sessions (个案服务记录)."""
    referrals: tuple[Referral, ...] = ()
    """Referrals to other units (转介)."""
    supervisions: tuple[Supervision, ...] = ()
    """Supervision sessions (督导)."""
    trainings: tuple[Training, ...] = ()
    """Training events for workers (培训)."""
    contracts: tuple[PurchaseContract, ...] = ()
    """Government-purchase contracts (购买服务合同)."""
    spendings: tuple[Spending, ...] = ()
    """Spending records under the contracts (项目支出)."""
    incubators: tuple[Incubator, ...] = ()
    """Social-organisation incubators (孵化基地)."""
    incubations: tuple[Incubation, ...] = ()
    """Organisations' incubation records (孵化记录)."""
    child_welfare_posts: tuple[ChildWelfarePost, ...] = ()
    """儿童主任 and 儿童督导员 posts (儿童福利岗位)."""
    grids: tuple[Grid, ...] = ()
    """Grids of the communities and their grid workers (网格)."""
    honours: tuple[Honour, ...] = ()
    """Honours, demonstration sites, brands and prizes (荣誉与品牌)."""
    pilots: tuple[Pilot, ...] = ()
    """Stations' phases in pilot programmes (试点记录)."""
    volunteer_hours: tuple[VolunteerHoursRow, ...] = ()
    """The volunteer platform's export rows per team and period (志愿服务时长导出)."""
    convenings: tuple[Convening, ...] = ()
    """Civil-affairs departments' meetings and trainings (会议培训)."""
    time_banks: tuple[TimeBank, ...] = ()
    """Time banks and their redemption rules (时间银行)."""
    time_bank_entries: tuple[TimeBankEntry, ...] = ()
    """Hours deposited and redeemed (时间银行记录)."""

    @model_validator(mode="after")
    def _check_integrity(self) -> Dataset:
        issues = list(check_integrity(self))
        if issues:
            raise DatasetError(issues)
        return self

    def records(self, collection: str) -> tuple[Any, ...]:
        """Return the records of one collection by its name, e.g. ``"stations"`` (按集合取记录)."""
        if collection not in COLLECTIONS:
            msg = f"unknown collection {collection!r}; expected one of {sorted(COLLECTIONS)}"
            raise KeyError(msg)
        return getattr(self, collection)  # type: ignore[no-any-return]


def check_integrity(ds: Dataset) -> Iterator[IntegrityIssue]:
    """Yield every referential-integrity issue of ``ds`` (检查数据完整性)."""
    ids: dict[str, set[str]] = {}
    for collection, (_, id_field) in COLLECTIONS.items():
        seen: set[str] = set()
        for record in getattr(ds, collection):
            key = getattr(record, id_field)
            if key in seen:
                yield IntegrityIssue(
                    collection=collection,
                    record_id=key,
                    field=id_field,
                    code=IntegrityCode.DUPLICATE_ID,
                    message=f"{id_field} {key!r} is used by more than one record",
                )
            seen.add(key)
        ids[collection] = seen

    def ref(
        collection: str, record_id: str, field: str, target: str, value: str | None
    ) -> Iterator[IntegrityIssue]:
        if value is not None and value not in ids[target]:
            yield IntegrityIssue(
                collection=collection,
                record_id=record_id,
                field=field,
                code=IntegrityCode.UNKNOWN_REFERENCE,
                message=f"refers to {target} id {value!r}, which is not in the dataset",
            )

    def refs(
        collection: str, record_id: str, field: str, target: str, values: Iterable[str]
    ) -> Iterator[IntegrityIssue]:
        for value in sorted(values):
            yield from ref(collection, record_id, field, target, value)

    def inside(
        collection: str, record_id: str, field: str, code: str
    ) -> Iterator[IntegrityIssue]:
        if not division_contains(ds.division_code, code) and not division_contains(
            code, ds.division_code
        ):
            yield IntegrityIssue(
                collection=collection,
                record_id=record_id,
                field=field,
                code=IntegrityCode.OUTSIDE_LOCALITY,
                message=f"division code {code} lies outside the dataset's {ds.division_code}",
            )

    for division in ds.divisions:
        yield from inside(
            "divisions", division.division_code, "division_code", division.division_code
        )

    community_code = {c.community_id: c.division_code for c in ds.communities}
    for c in ds.communities:
        yield from inside(
            "communities", c.community_id, "division_code", c.division_code
        )
        township = c.division_code[:9]
        if township not in ids["divisions"]:
            yield IntegrityIssue(
                collection="communities",
                record_id=c.community_id,
                field="division_code",
                code=IntegrityCode.UNKNOWN_TOWNSHIP,
                message=f"its township {township} is not listed in divisions",
            )
        yield from refs(
            "communities", c.community_id, "adjacent_ids", "communities", c.adjacent_ids
        )

    for o in ds.organizations:
        yield from ref(
            "organizations",
            o.organization_id,
            "home_community_id",
            "communities",
            o.home_community_id,
        )
    for w in ds.workers:
        yield from ref(
            "workers",
            w.worker_id,
            "organization_id",
            "organizations",
            w.organization_id,
        )
        yield from ref("workers", w.worker_id, "station_id", "stations", w.station_id)
        yield from ref(
            "workers",
            w.worker_id,
            "home_community_id",
            "communities",
            w.home_community_id,
        )
    for v in ds.volunteers:
        yield from ref("volunteers", v.volunteer_id, "team_id", "teams", v.team_id)
        yield from ref(
            "volunteers",
            v.volunteer_id,
            "home_community_id",
            "communities",
            v.home_community_id,
        )
    for t in ds.teams:
        yield from ref(
            "teams", t.team_id, "organization_id", "organizations", t.organization_id
        )
        yield from ref(
            "teams", t.team_id, "community_id", "communities", t.community_id
        )
    for r in ds.resources:
        yield from ref(
            "resources", r.resource_id, "holder_id", "organizations", r.holder_id
        )
        yield from ref(
            "resources", r.resource_id, "community_id", "communities", r.community_id
        )
        if r.restriction is not None:
            yield from refs(
                "resources",
                r.resource_id,
                "restriction.beneficiary_ids",
                "recipients",
                r.restriction.beneficiary_ids,
            )
    for p in ds.recipients:
        yield from ref(
            "recipients", p.recipient_id, "community_id", "communities", p.community_id
        )
    for n in ds.needs:
        yield from ref("needs", n.need_id, "recipient_id", "recipients", n.recipient_id)
        yield from ref(
            "needs", n.need_id, "community_id", "communities", n.community_id
        )

    stations = {s.station_id: s for s in ds.stations}
    for s in ds.stations:
        yield from inside("stations", s.station_id, "division_code", s.division_code)
        yield from refs(
            "stations", s.station_id, "parent_ids", "stations", s.parent_ids
        )
        yield from refs(
            "stations", s.station_id, "community_ids", "communities", s.community_ids
        )
        yield from ref(
            "stations", s.station_id, "operator_id", "organizations", s.operator_id
        )
        yield from _station_areas(s, stations, community_code)

    yield from check_records(ds, ids)
    yield from check_programme_records(ds, ids)

    project_period = {p.project_id: p.period for p in ds.projects}
    for pr in ds.projects:
        yield from ref(
            "projects", pr.project_id, "operator_id", "organizations", pr.operator_id
        )
        yield from refs(
            "projects", pr.project_id, "station_ids", "stations", pr.station_ids
        )
        yield from refs(
            "projects", pr.project_id, "community_ids", "communities", pr.community_ids
        )
    for a in ds.activities:
        aid = a.activity_id
        yield from ref("activities", aid, "station_id", "stations", a.station_id)
        yield from ref("activities", aid, "project_id", "projects", a.project_id)
        yield from ref("activities", aid, "community_id", "communities", a.community_id)
        yield from refs(
            "activities", aid, "recipient_ids", "recipients", a.recipient_ids
        )
        yield from refs("activities", aid, "worker_ids", "workers", a.worker_ids)
        yield from refs(
            "activities", aid, "volunteer_ids", "volunteers", a.volunteer_ids
        )
        period = project_period.get(a.project_id) if a.project_id is not None else None
        if period is not None and not period.includes(a.held_on):
            yield IntegrityIssue(
                collection="activities",
                record_id=aid,
                field="held_on",
                code=IntegrityCode.OUTSIDE_PROJECT_PERIOD,
                message=f"dated {a.held_on}, outside project {a.project_id}'s period "
                f"{period.start}..{period.end}",
            )


def _station_areas(
    station: Station, stations: dict[str, Station], community_code: dict[str, str]
) -> Iterator[IntegrityIssue]:
    def issue(field: str, message: str) -> IntegrityIssue:
        return IntegrityIssue(
            collection="stations",
            record_id=station.station_id,
            field=field,
            code=IntegrityCode.STATION_AREA_MISMATCH,
            message=message,
        )

    for parent_id in station.parent_ids:
        parent = stations.get(parent_id)
        if parent is None or not parent.level.is_geographic:
            continue
        if not division_contains(parent.division_code, station.division_code):
            yield issue(
                "parent_ids",
                f"lies in {station.division_code}, outside parent {parent_id}'s area "
                f"{parent.division_code}",
            )
    if (
        station.level is StationLevel.SCHOOL
        or station.level is StationLevel.ELDERLY_INSTITUTION
    ):
        return
    for community_id in station.community_ids:
        code = community_code.get(community_id)
        if code is not None and not division_contains(station.division_code, code):
            yield issue(
                "community_ids",
                f"serves community {community_id} ({code}) outside its area {station.division_code}",
            )
