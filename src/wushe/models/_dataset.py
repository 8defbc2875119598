"""One locality's records and their referential integrity (数据集)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from operator import attrgetter
from typing import Annotated, Any, TypeAlias

from pydantic import Field, model_validator
from pydantic_core import CoreSchema, SchemaValidator

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
from wushe.models._recipient import (
    Need,
    Recipient,
    deferred_json_schema,
    finish_column_checks,
    finish_recipients,
)
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
        finish_column_checks()  # integrity reads the birth dates they derive
        return self._integral()

    def _integral(self) -> Dataset:
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


def validate_json_columns(data: bytes) -> Dataset:
    """Validate dataset JSON checking the recipients as columns (逐列校验数据集 JSON).

    Builds the very records and dataset that ``Dataset.model_validate_json`` builds, but
    pydantic-core calls no Python per recipient: names, phones and ID numbers are left as
    plain strings and the cross-field rules unchecked (:func:`_columns_validator`), then
    checked and wrapped over whole columns
    (:func:`~wushe.models._recipient.finish_recipients`) once pydantic-core has let go
    of its parse of the text, and the integrity rules run last. Call it inside a
    :class:`~wushe.privacy.ColumnChecks` block, which must finish nothing else. Only for
    files then trusted as a whole: on any error, validate again with ``Dataset`` itself,
    whose errors say which record and field failed; these do not.

    Raises:
        ValueError: a ``ValidationError``, or the first failing value or record.
        DatasetError: an integrity issue.
    """
    ds: Dataset = _columns_validator().validate_json(data)
    finish_column_checks()
    finish_recipients(ds.recipients)
    return ds._integral()


@functools.cache
def _columns_validator() -> SchemaValidator:
    """Dataset's JSON validator without the recipients' Python calls or integrity check.

    :func:`validate_json_columns` runs them after it.
    """
    top: Any = dict(Dataset.__pydantic_core_schema__)
    holder = top if top["type"] == "definitions" else {"schema": top}
    after = holder["schema"]
    model = dict(after["schema"])
    if after["type"] != "function-after" or model.get("cls") is not Dataset:
        shape = "Dataset's core schema is not shaped as the columns validator expects"
        raise TypeError(shape)
    fields = dict(model["schema"]["fields"])
    field = fields["recipients"]
    default = field["schema"]
    items = default["schema"]
    (record,) = items["items_schema"]
    items = {**items, "items_schema": [deferred_json_schema(record)]}
    fields["recipients"] = {**field, "schema": {**default, "schema": items}}
    model["schema"] = {**model["schema"], "fields": fields}
    holder["schema"] = model
    schema: CoreSchema = top if top["type"] == "definitions" else model
    return SchemaValidator(schema)


class IntegrityPass:
    """What every integrity rule shares: the dataset and its ids per collection (完整性检查上下文).

    :func:`check_integrity` collects the ids once and hands this to each rule of
    ``INTEGRITY_RULES``; the helpers build issues with the stable codes.
    """

    __slots__ = ("ds", "ids")

    def __init__(self, ds: Dataset, ids: dict[str, set[str]]) -> None:
        self.ds = ds
        self.ids = ids

    def ref(
        self,
        collection: str,
        record_id: str,
        field: str,
        target: str,
        value: str | None,
    ) -> Iterator[IntegrityIssue]:
        """An issue when ``value`` is not an id of ``target`` (引用检查)."""
        if value is not None and value not in self.ids[target]:
            yield IntegrityIssue(
                collection=collection,
                record_id=record_id,
                field=field,
                code=IntegrityCode.UNKNOWN_REFERENCE,
                message=f"refers to {target} id {value!r}, which is not in the dataset",
            )

    def refs(
        self,
        collection: str,
        record_id: str,
        field: str,
        target: str,
        values: Iterable[str],
    ) -> Iterator[IntegrityIssue]:
        """An issue for each of ``values`` that is not an id of ``target``, in order."""
        for value in sorted(values):
            yield from self.ref(collection, record_id, field, target, value)

    def inside(
        self, collection: str, record_id: str, field: str, code: str
    ) -> Iterator[IntegrityIssue]:
        """An issue when division ``code`` lies outside the dataset's own (辖区检查)."""
        own = self.ds.division_code
        if not division_contains(own, code) and not division_contains(code, own):
            yield IntegrityIssue(
                collection=collection,
                record_id=record_id,
                field=field,
                code=IntegrityCode.OUTSIDE_LOCALITY,
                message=f"division code {code} lies outside the dataset's {own}",
            )


IntegrityRule: TypeAlias = Callable[[IntegrityPass], Iterable[IntegrityIssue]]
"""One rule of the integrity pass: given the pass, yield its issues (完整性规则)."""

INTEGRITY_RULES: list[IntegrityRule] = []
"""The rules :func:`check_integrity` runs, in order (完整性规则表).

Add a rule with ``integrity_rule``; issues come out in the order of the rules.
"""


def integrity_rule(rule: IntegrityRule) -> IntegrityRule:
    """Register ``rule`` at the end of ``INTEGRITY_RULES`` (登记完整性规则)."""
    INTEGRITY_RULES.append(rule)
    return rule


def check_integrity(ds: Dataset) -> Iterator[IntegrityIssue]:
    """Yield every referential-integrity issue of ``ds`` (检查数据完整性).

    Collects each collection's ids, reporting duplicates, then runs every rule of
    ``INTEGRITY_RULES`` in order.
    """
    ids: dict[str, set[str]] = {}
    for collection, (_, id_field) in COLLECTIONS.items():
        keys = [getattr(record, id_field) for record in getattr(ds, collection)]
        seen = set(keys)
        ids[collection] = seen
        if len(seen) == len(keys):
            continue
        seen = set()
        for key in keys:
            if key in seen:
                yield IntegrityIssue(
                    collection=collection,
                    record_id=key,
                    field=id_field,
                    code=IntegrityCode.DUPLICATE_ID,
                    message=f"{id_field} {key!r} is used by more than one record",
                )
            seen.add(key)
    context = IntegrityPass(ds, ids)
    for rule in INTEGRITY_RULES:
        yield from rule(context)


_REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "organizations": (("home_community_id", "communities"),),
    "workers": (
        ("organization_id", "organizations"),
        ("station_id", "stations"),
        ("home_community_id", "communities"),
    ),
    "volunteers": (("team_id", "teams"), ("home_community_id", "communities")),
    "teams": (("organization_id", "organizations"), ("community_id", "communities")),
    "resources": (
        ("holder_id", "organizations"),
        ("community_id", "communities"),
        ("restriction.beneficiary_ids", "recipients"),
    ),
    "recipients": (("community_id", "communities"),),
    "needs": (("recipient_id", "recipients"), ("community_id", "communities")),
}
"""Plain references per collection: (field, target collection); a dotted field goes through
an optional sub-record, and a field holding several ids is checked id by id."""


def _field_value(record: Any, field: str) -> Any:
    value = record
    for part in field.split("."):
        value = getattr(value, part)
        if value is None:
            return None
    return value


def _column_ok(
    ctx: IntegrityPass, records: tuple[Any, ...], field: str, target: str
) -> bool:
    """Whether every id in one field of ``records`` is known: set algebra, not a loop."""
    if "." in field:
        values = {_field_value(record, field) for record in records}
    else:
        values = set(map(attrgetter(field), records))
    values.discard(None)
    if not values:
        return True
    if not isinstance(next(iter(values)), str):  # a field holding several ids
        values = set().union(*values)
    return values <= ctx.ids[target]


def _record_references(
    ctx: IntegrityPass,
    collection: str,
    record: Any,
    fields: tuple[tuple[str, str], ...],
) -> Iterator[IntegrityIssue]:
    record_id = getattr(record, COLLECTIONS[collection][1])
    for field, target in fields:
        value = _field_value(record, field)
        if value is None or isinstance(value, str):
            yield from ctx.ref(collection, record_id, field, target, value)
        else:
            yield from ctx.refs(collection, record_id, field, target, value)


def reference_issues(
    ctx: IntegrityPass, collection: str, fields: tuple[tuple[str, str], ...]
) -> Iterator[IntegrityIssue]:
    """Unknown references among ``fields`` of ``collection`` (引用检查).

    ``fields`` pairs a field (dotted through an optional sub-record) with the collection
    its ids belong to. Whole columns are checked first; only a collection with an unknown
    id is walked record by record, which gives its issues in record and field order.
    """
    records = ctx.ds.records(collection)
    if all(_column_ok(ctx, records, field, target) for field, target in fields):
        return
    for record in records:
        yield from _record_references(ctx, collection, record, fields)


@integrity_rule
def _divisions(ctx: IntegrityPass) -> Iterator[IntegrityIssue]:
    for division in ctx.ds.divisions:
        code = division.division_code
        yield from ctx.inside("divisions", code, "division_code", code)


@integrity_rule
def _communities(ctx: IntegrityPass) -> Iterator[IntegrityIssue]:
    for c in ctx.ds.communities:
        yield from ctx.inside(
            "communities", c.community_id, "division_code", c.division_code
        )
        township = c.division_code[:9]
        if township not in ctx.ids["divisions"]:
            yield IntegrityIssue(
                collection="communities",
                record_id=c.community_id,
                field="division_code",
                code=IntegrityCode.UNKNOWN_TOWNSHIP,
                message=f"its township {township} is not listed in divisions",
            )
        yield from ctx.refs(
            "communities", c.community_id, "adjacent_ids", "communities", c.adjacent_ids
        )


@integrity_rule
def _plain_references(ctx: IntegrityPass) -> Iterator[IntegrityIssue]:
    for collection, fields in _REFERENCES.items():
        yield from reference_issues(ctx, collection, fields)


@integrity_rule
def _stations(ctx: IntegrityPass) -> Iterator[IntegrityIssue]:
    ds = ctx.ds
    community_code = {c.community_id: c.division_code for c in ds.communities}
    stations = {s.station_id: s for s in ds.stations}
    for s in ds.stations:
        sid = s.station_id
        yield from ctx.inside("stations", sid, "division_code", s.division_code)
        yield from ctx.refs("stations", sid, "parent_ids", "stations", s.parent_ids)
        yield from ctx.refs(
            "stations", sid, "community_ids", "communities", s.community_ids
        )
        yield from ctx.ref(
            "stations", sid, "operator_id", "organizations", s.operator_id
        )
        yield from _station_areas(s, stations, community_code)


@integrity_rule
def _station_records(ctx: IntegrityPass) -> Iterator[IntegrityIssue]:
    yield from check_records(ctx.ds, ctx.ids)


@integrity_rule
def _programme_records(ctx: IntegrityPass) -> Iterator[IntegrityIssue]:
    yield from check_programme_records(ctx.ds, ctx.ids)


@integrity_rule
def _projects(ctx: IntegrityPass) -> Iterator[IntegrityIssue]:
    for pr in ctx.ds.projects:
        pid = pr.project_id
        yield from ctx.ref(
            "projects", pid, "operator_id", "organizations", pr.operator_id
        )
        yield from ctx.refs("projects", pid, "station_ids", "stations", pr.station_ids)
        yield from ctx.refs(
            "projects", pid, "community_ids", "communities", pr.community_ids
        )


_ACTIVITY_REFERENCES = (
    ("station_id", "stations"),
    ("project_id", "projects"),
    ("community_id", "communities"),
    ("recipient_ids", "recipients"),
    ("worker_ids", "workers"),
    ("volunteer_ids", "volunteers"),
)


@integrity_rule
def _activities(ctx: IntegrityPass) -> Iterator[IntegrityIssue]:
    records = ctx.ds.activities
    refs_ok = all(
        _column_ok(ctx, records, field, target)
        for field, target in _ACTIVITY_REFERENCES
    )
    project_period = {p.project_id: p.period for p in ctx.ds.projects}
    for a in records:
        if not refs_ok:
            yield from _record_references(ctx, "activities", a, _ACTIVITY_REFERENCES)
        period = project_period.get(a.project_id) if a.project_id is not None else None
        if period is not None and not period.includes(a.held_on):
            yield IntegrityIssue(
                collection="activities",
                record_id=a.activity_id,
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
