"""Service recipients and their needs (服务对象与需求)."""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from datetime import date
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Annotated, Any, ClassVar, Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, model_validator
from pydantic_core import CoreSchema

from wushe._types import CommunityId, HouseholdId, NeedId, RecipientId
from wushe.codes import (
    age_on,
    birth_date_from_id,
    gender_from_id,
    resident_id_columns,
)
from wushe.models._base import WusheModel
from wushe.models._common import Amount, TimeWindow
from wushe.models._consent import CONSENT_AGE, Consent, _minor_basis_problem
from wushe.privacy import (
    BirthDate,
    ColumnChecks,
    Sensitive,
    SensitiveAddress,
    SensitiveIdNumber,
    SensitiveName,
    SensitivePhone,
    SensitiveText,
    SpecialCategories,
    _unaudited,
    wrap_column,
)
from wushe.vocab import (
    DisabilityCategory,
    Gender,
    Qualification,
    ResourceKind,
    ServiceCategory,
    TargetGroup,
    Urgency,
    expand_target_groups,
)

__all__ = [
    "Disability",
    "LeadWorkerRole",
    "Need",
    "OrganizationRole",
    "Recipient",
    "ResourceRole",
    "Role",
    "SensitiveDisability",
    "VolunteerRole",
]

_UNDER_16 = frozenset({TargetGroup.LEFT_BEHIND_CHILD})
_UNDER_18 = frozenset(
    {
        TargetGroup.ORPHAN,
        TargetGroup.DE_FACTO_UNSUPPORTED_CHILD,
        TargetGroup.CHILD_IN_DIFFICULTY,
    }
)
_ELDER_60 = frozenset(
    {
        TargetGroup.LEFT_BEHIND_ELDER,
        TargetGroup.EMPTY_NEST_ELDER,
        TargetGroup.ELDER_LIVING_ALONE,
        TargetGroup.DISABLED_ELDER,
        TargetGroup.ELDER_AT_LIFE_RISK,
    }
)
_EXCLUSIVE = (
    (TargetGroup.ORPHAN, TargetGroup.DE_FACTO_UNSUPPORTED_CHILD),
    (TargetGroup.DIBAO, TargetGroup.NEAR_DIBAO),
    (TargetGroup.EXTREME_POVERTY_DISPERSED, TargetGroup.EXTREME_POVERTY_CENTRALISED),
    (TargetGroup.ORPHAN_SCATTERED, TargetGroup.ORPHAN_INSTITUTIONAL),
)


class Disability(WusheModel):
    """Disability category and grade as on the disability certificate (残疾类别与等级).

    Grade 1 is the most severe, 4 the least (GB/T 26341-2010).
    """

    category: DisabilityCategory
    """视力, 听力, 言语, 肢体, 智力, 精神 or 多重 (残疾类别)."""
    grade: Annotated[int, Field(ge=1, le=4)]
    """1 (most severe) to 4 (残疾等级)."""


class SensitiveDisability(Sensitive[Disability]):
    """Disability details (残疾信息): health information, fully masked by default."""

    __slots__ = ()
    _inner_type: ClassVar[Any] = Disability
    _sensitivity_reason = "disability"


class Recipient(WusheModel):
    """A resident who receives services, tagged with civil-affairs groups (服务对象).

    ``target_groups`` is a set because statuses overlap (特困 + 残疾 + 高龄); a narrower
    group brings its broader one (分散供养特困人员 adds 特困人员). Age rules are
    checked on ``assessed_on`` (or today): 留守儿童 under 16, 孤儿 / 事实无人抚养儿童 / 困境儿童
    under 18, 高龄老人 80 or over, other elder groups 60 or over; 孤儿 excludes 事实无人抚养儿童
    and 低保 excludes 低保边缘. A child under 14 needs a guardian's consent, a statutory
    duty or an emergency basis on record, and never consents for themself (PIPL Arts. 13, 31; see
    :func:`~wushe.models.has_basis`).
    """

    recipient_id: RecipientId
    """Identifier within the dataset; not the ID number (服务对象编号)."""
    name: SensitiveName
    """Full name; personal information, masked by default (姓名)."""
    community_id: CommunityId
    """Community of residence (所在社区)."""
    target_groups: SpecialCategories = frozenset()
    """Civil-affairs groups (special categories), withheld per person by default (对象类别)."""
    id_number: SensitiveIdNumber | None = None
    """Resident ID number; validated, masked by default (公民身份号码)."""
    birth_date: BirthDate | None = None
    """Date of birth; derived from ``id_number`` when omitted; shows its year only by default (出生日期)."""
    gender: Gender | None = None
    """Gender; derived from ``id_number`` when omitted (性别)."""
    phone: SensitivePhone | None = None
    """Mobile number of the person or their contact; masked by default (联系电话)."""
    address: SensitiveAddress | None = None
    """Home address; masked by default (住址)."""
    disability: SensitiveDisability | None = None
    """Disability category and grade; health information, masked by default (残疾情况)."""
    health_notes: SensitiveText | None = None
    """Health or hardship details; masked by default (健康状况)."""
    consents: tuple[Consent, ...] = ()
    """Consents and other lawful bases on record, one purpose each (知情同意与合法性基础)."""
    assessed_on: date | None = None
    """When the group statuses were last assessed (认定日期)."""

    @model_validator(mode="after")
    def _consistent(self) -> Recipient:
        later = ColumnChecks.active()
        if later is None:
            return self._check_alone()
        # Checked with its column by check_recipient_columns; the fields are read now,
        # while the record is in the processor's cache. A raw ID its own check will
        # still normalise fails the column and sends the record to be checked alone.
        later.records.append((self, _row(self)))
        return self

    def _check_alone(self) -> Recipient:
        """The cross-field rules for this record alone; the reference for the columns."""
        groups = expand_target_groups(self.target_groups)
        if groups is not self.target_groups:
            object.__setattr__(self, "target_groups", groups)
        born = self.birth_date
        if self.id_number is not None:
            raw_id = _unaudited(self.id_number)
            from_id = birth_date_from_id(raw_id)
            if born is not None and born != from_id:
                msg = "birth_date does not agree with the birth date in id_number"
                raise ValueError(msg)
            born = from_id
            object.__setattr__(self, "birth_date", from_id)
            if self.gender is None:
                object.__setattr__(self, "gender", gender_from_id(raw_id))
        for first, second in _EXCLUSIVE if len(groups) > 1 else ():
            if first in groups and second in groups:
                msg = f"target groups {first.zh} and {second.zh} exclude each other"
                raise ValueError(msg)
        if born is None:
            return self
        as_of = self.assessed_on or date.today()
        age = age_on(born, as_of)
        for group in self.target_groups:
            if group in _UNDER_16 and age >= 16:
                msg = f"{group.zh} applies to children under 16"
                raise ValueError(msg)
            if group in _UNDER_18 and age >= 18:
                msg = f"{group.zh} applies to children under 18"
                raise ValueError(msg)
            if group in _ELDER_60 and age < 60:
                msg = f"{group.zh} applies to people aged 60 or over"
                raise ValueError(msg)
            if group is TargetGroup.ADVANCED_AGE_ELDER and age < 80:
                msg = f"{group.zh} applies to people aged 80 or over"
                raise ValueError(msg)
        if self.consents or age < CONSENT_AGE:  # otherwise nothing to check
            problem = _minor_basis_problem(self.consents, born, as_of)
            if problem is not None:
                raise ValueError(problem)
        return self


def finish_column_checks() -> None:
    """Run the checks left for whole columns, if a column block is open (完成逐列校验).

    The block is a :class:`~wushe.privacy.ColumnChecks`.

    Called by :class:`~wushe.models.Dataset` before its integrity rules, which read the
    birth dates the columns derive.

    Raises:
        ValueError: as the first failing record or value raises when checked alone.
    """
    later = ColumnChecks.active()
    if later is not None:
        pairs = later.finish()
        records, rows = zip(*pairs, strict=True) if pairs else ((), ())
        check_recipient_columns(records, rows)


def _row(recipient: Recipient) -> _Row:
    id_number = recipient.id_number
    return (*_FIELDS(recipient), None if id_number is None else _unaudited(id_number))


def check_recipient_columns(
    recipients: Sequence[Recipient], rows: Sequence[_Row] | None = None
) -> None:
    """Apply :class:`Recipient`'s cross-field rules to many records at once (逐列校验服务对象).

    Decides over whole columns which records certainly pass (their ID's birth date agrees,
    their groups fit their age and each other, no consent to look at, not a child) and
    derives birth date, gender and broader groups for those; every other record is checked
    alone by the very rule :meth:`Recipient.model_validate` runs, which raises its error.
    ``rows`` are the records' fields as gathered while parsing, if they were.

    Raises:
        ValueError: as the first failing record raises when validated alone.
    """
    rows = list(map(_row, recipients)) if rows is None else rows
    *fields, id_numbers = tuple(zip(*rows, strict=True)) if rows else ((),) * 5
    with_id = _given(id_numbers)
    today = date.today()
    ids = resident_id_columns([id_numbers[i] for i in with_id], today)
    _check_columns(recipients, _Columns(fields, with_id, ids, today))


def _given(column: Sequence[Any]) -> list[int]:
    """The positions in ``column`` (of plain values) that hold something, not ``None``."""
    if None not in column:
        return list(range(len(column)))
    return [index for index, value in enumerate(column) if value is not None]


def _store(records: Sequence[dict[str, Any]], name: str, values: Sequence[Any]) -> None:
    """Set field ``name`` of each record's ``__dict__`` to its value, in a loop in C."""
    deque(map(dict.__setitem__, records, repeat(name), values), maxlen=0)


def _check_columns(recipients: Sequence[Recipient], columns: _Columns) -> None:
    for index in np.flatnonzero(~columns.passes).tolist():
        recipients[index]._check_alone()
    columns.derive(recipients)


_DEFERRED = (
    ("name", SensitiveName),
    ("phone", SensitivePhone),
    ("id_number", SensitiveIdNumber),
)
"""The sensitive fields the deferred schema leaves as plain strings, with their classes."""
_CROSS_FIELDS = ("target_groups", "birth_date", "assessed_on", "consents")


def deferred_json_schema(schema: CoreSchema) -> CoreSchema:
    """Recipient's core schema for JSON with its Python calls left for the columns (延后逐列校验).

    ``schema`` is the one pydantic built for :class:`Recipient`. The copy builds the same
    records with name, phone and ID number left as plain (stripped) strings and without
    the cross-field validator, so that pydantic-core calls no Python per record for
    them; :func:`finish_recipients` must then run over every record it built before
    anything reads them. Raises ``TypeError`` if the schema is not shaped as expected.
    """
    function = schema.get("function", {}).get("function")
    inner = schema.get("schema", {})
    if (
        schema["type"] != "function-after"
        or getattr(function, "__qualname__", "") != "Recipient._consistent"
        or inner.get("type") != "model"
        or inner.get("cls") is not Recipient
    ):
        shape = "Recipient's core schema is not shaped as the deferred schema expects"
        raise TypeError(shape)
    fields = dict(inner["schema"]["fields"])
    for name, _ in _DEFERRED:
        fields[name] = {**fields[name], "schema": _plain_json(fields[name]["schema"])}
    return {**inner, "schema": {**inner["schema"], "fields": fields}}


def _plain_json(schema: Any) -> Any:
    """A sensitive field's schema with the JSON branch's inner string schema in its place."""
    if schema["type"] in ("default", "nullable"):
        return {**schema, "schema": _plain_json(schema["schema"])}
    wrapped = schema["json_schema"] if schema["type"] == "json-or-python" else {}
    if wrapped.get("type") != "function-after":
        shape = "a sensitive field's core schema is not shaped as expected"
        raise TypeError(shape)
    return wrapped["schema"]


def finish_recipients(recipients: Sequence[Recipient]) -> None:
    """Wrap and check what :func:`deferred_json_schema` left, over whole columns (完成延后校验).

    Names, phones and ID numbers are checked and wrapped column by column
    (:func:`wushe.privacy.wrap_column`), each exactly as the wrapper checks it alone, and
    the records' cross-field rules run as :func:`check_recipient_columns` runs them; the
    ID numbers' columns are worked out once for both. Each record's fields are read in
    one step and written in one: a million records do not fit in the processor's cache,
    so every further pass over them would cost a fetch from memory each.

    Raises:
        ValueError: as the first failing value or record raises when checked alone.
    """
    records = list(map(attrgetter("__dict__"), recipients))
    rows = list(map(_GATHER, records))
    names, phones, raw_ids, *fields, genders = (
        zip(*rows, strict=True) if rows else ((),) * 8
    )
    del rows  # a tuple per record: freed before the wrappers are made
    today = date.today()
    with_id = _given(raw_ids)
    ids = resident_id_columns(_picked(raw_ids, with_id), today)
    wrapped = (
        _wrapped(SensitiveName, names, None, _given(names)),
        _wrapped(SensitivePhone, phones, None, _given(phones)),
        _wrapped(SensitiveIdNumber, raw_ids, ids[0], with_id),
    )
    columns = _Columns(fields, with_id, ids, today)
    born, gender = columns.birth_and_gender(fields[1], genders)
    for record, name, phone, id_number, day, sex in zip(
        records, *wrapped, born, gender, strict=True
    ):
        record["name"] = name
        record["phone"] = phone
        record["id_number"] = id_number
        record["birth_date"] = day
        record["gender"] = sex
    columns.expand(recipients)
    for index in np.flatnonzero(~columns.passes).tolist():
        recipients[index]._check_alone()


_GATHER = itemgetter("name", "phone", "id_number", *_CROSS_FIELDS, "gender")


def _picked(column: Sequence[Any], given: list[int]) -> list[Any]:
    """The values of ``column`` at ``given``."""
    if len(given) == len(column):
        return list(column)
    return list(map(column.__getitem__, given))


def _wrapped(
    cls: type[Sensitive[str]],
    column: Sequence[str | None],
    cleared: NDArray[np.bool_] | None,
    given: list[int],
) -> list[Any]:
    """``column`` with each value at ``given`` wrapped and checked, ``None`` elsewhere."""
    wrapped = wrap_column(cls, _picked(column, given), cleared)
    if len(given) == len(column):
        return wrapped
    full: list[Any] = [None] * len(column)
    for index, value in zip(given, wrapped, strict=True):
        full[index] = value
    return full


class _GroupRule:
    """What a set of target groups asks of a record, worked out once per distinct set."""

    __slots__ = ("adds", "clash", "expanded", "max_age", "min_age")

    def __init__(self, groups: frozenset[TargetGroup]) -> None:
        expanded = expand_target_groups(groups)
        self.expanded = expanded
        self.adds = expanded is not groups
        self.clash = any(a in expanded and b in expanded for a, b in _EXCLUSIVE)
        highs = [16 for g in expanded if g in _UNDER_16]
        highs += [18 for g in expanded if g in _UNDER_18]
        lows = [60 for g in expanded if g in _ELDER_60]
        lows += [80] if TargetGroup.ADVANCED_AGE_ELDER in expanded else []
        self.min_age = max(lows, default=-1)  # age >= min_age
        self.max_age = min(highs, default=1 << 20)  # age < max_age


class _GroupRules(dict[frozenset[TargetGroup], int]):
    """Each distinct set of groups numbered, with its rule."""

    def __init__(self) -> None:
        super().__init__()
        self.rules: list[_GroupRule] = []

    def __missing__(self, groups: frozenset[TargetGroup]) -> int:
        self[groups] = number = len(self.rules)
        self.rules.append(_GroupRule(groups))
        return number

    def column(self, name: str, numbers: NDArray[np.intp], kind: type) -> NDArray[Any]:
        """One attribute of each record's rule, as a column."""
        values: NDArray[Any] = np.array(
            [getattr(rule, name) for rule in self.rules], dtype=kind
        )
        column: NDArray[Any] = values[numbers]
        return column


class _Ymd(dict[date | None, int]):
    """Dates as integers ``yyyymmdd``, each worked out once; ``None`` as given."""

    def __init__(self, none: int) -> None:
        super().__init__({None: none})

    def __missing__(self, day: Any) -> int:  # a date: None is seeded
        value: int = day.year * 10_000 + day.month * 100 + day.day
        self[day] = value
        return value


_FIELDS = attrgetter("target_groups", "birth_date", "assessed_on", "consents")
_Row: TypeAlias = tuple[
    frozenset[TargetGroup], date | None, date | None, tuple[Consent, ...], str | None
]


class _Columns:
    """The recipients' columns and which records certainly pass their cross-field rules."""

    def __init__(
        self,
        fields: Sequence[Sequence[Any]],
        with_id: list[int],
        ids: tuple[NDArray[np.bool_], NDArray[np.int64], NDArray[np.bool_]],
        today: date,
    ) -> None:
        """Work out the columns and which records certainly pass.

        ``fields`` are the columns of ``_CROSS_FIELDS``; ``ids`` the ID numbers' columns
        (:func:`~wushe.codes.resident_id_columns`) of the records ``with_id``.
        """
        groups, given_on, assessed_on, consents = fields
        n = len(groups)
        self.rules = _GroupRules()
        self.numbers = np.array(
            list(map(self.rules.__getitem__, groups)), dtype=np.intp
        )
        given = np.array(list(map(_Ymd(-1).__getitem__, given_on)), dtype=np.int64)
        today_ymd = _Ymd(-1)[today]
        as_of = np.array(
            list(map(_Ymd(today_ymd).__getitem__, assessed_on)), dtype=np.int64
        )
        self.with_id = with_id
        valid, self.id_ymd, self.odd = ids
        born = given.copy()
        born[self.with_id] = self.id_ymd
        passes = np.ones(n, dtype=bool)
        passes[self.with_id] = valid & (
            (given[self.with_id] < 0) | (given[self.with_id] == self.id_ymd)
        )
        # Whole years: differences of yyyymmdd integers order as the dates do.
        age = (as_of - born) // 10_000
        fits = (
            (age >= self.rules.column("min_age", self.numbers, np.int64))
            & (age < self.rules.column("max_age", self.numbers, np.int64))
            & (age >= CONSENT_AGE)
            & ~np.array(list(map(bool, consents)), dtype=bool)
        )
        passes &= ~self.rules.column("clash", self.numbers, bool)
        passes &= (born < 0) | fits  # no birth date: no age rule
        self.passes = passes

    def derive(self, recipients: Sequence[Recipient]) -> None:
        """Set broader groups, birth date and gender on the records that certainly pass."""
        self.expand(recipients)
        records = list(map(attrgetter("__dict__"), recipients))
        born, gender = self.birth_and_gender(
            list(map(itemgetter("birth_date"), records)),
            list(map(itemgetter("gender"), records)),
        )
        _store(records, "birth_date", born)
        _store(records, "gender", gender)

    def expand(self, recipients: Sequence[Recipient]) -> None:
        """Set the broader groups on the records that certainly pass."""
        adds = self.rules.column("adds", self.numbers, bool) & self.passes
        expanded = [rule.expanded for rule in self.rules.rules]
        for index, number in zip(
            np.flatnonzero(adds).tolist(), self.numbers[adds].tolist(), strict=True
        ):
            recipients[index].__dict__["target_groups"] = expanded[number]

    def birth_and_gender(
        self, born: Sequence[date | None], gender: Sequence[Gender | None]
    ) -> tuple[list[date | None], list[Gender | None]]:
        """The birth date and gender columns with what passing records' IDs give.

        ``born`` and ``gender`` are the columns as given; a gender given stays.
        """
        chosen = np.asarray(self.with_id, dtype=np.intp)
        keep = self.passes[chosen]
        days: list[date | None] = list(
            map(_Days().__getitem__, self.id_ymd[keep].tolist())
        )
        odd = self.odd[keep].tolist()
        indices = chosen[keep].tolist()
        if len(indices) == len(born) and gender.count(None) == len(gender):
            return days, list(map(_GENDERS.__getitem__, odd))
        born, gender = list(born), list(gender)
        for index, day, male in zip(indices, days, odd, strict=True):
            born[index] = day
            if gender[index] is None:
                gender[index] = _GENDERS[male]
        return born, gender


_GENDERS = (Gender.FEMALE, Gender.MALE)  # by whether the 17th digit is odd


class _Days(dict[int, date]):
    """Dates from integers ``yyyymmdd``, each made once and shared."""

    def __missing__(self, ymd: int) -> date:
        day = self[ymd] = date(ymd // 10_000, ymd // 100 % 100, ymd % 100)
        return day


class LeadWorkerRole(WusheModel):
    """Ask for a lead social worker to take the case (主责社工)."""

    role: Literal["lead_social_worker"] = "lead_social_worker"
    """Discriminator (角色类型)."""
    min_qualification: Qualification | None = None
    """Lowest certificate level acceptable; ``None`` accepts uncertified workers (资质要求)."""


class VolunteerRole(WusheModel):
    """Ask for one or more volunteers (志愿者)."""

    role: Literal["volunteers"] = "volunteers"
    """Discriminator (角色类型)."""
    count: Annotated[int, Field(ge=1, le=50)] = 1
    """How many volunteers (人数)."""
    vetted_only: bool = False
    """Only vetted volunteers; always enforced when the recipient is a minor (仅限已审查)."""


class OrganizationRole(WusheModel):
    """Ask for a social organisation to carry the service (承接组织)."""

    role: Literal["social_organization"] = "social_organization"
    """Discriminator (角色类型)."""


class ResourceRole(WusheModel):
    """Ask for an amount of a charitable resource (慈善资源)."""

    role: Literal["resource"] = "resource"
    """Discriminator (角色类型)."""
    resource_kind: ResourceKind
    """Funds, goods, service hours or a venue (资源类型)."""
    amount: Annotated[Amount, Field(gt=0)]
    """How much, in the resource's unit; above 0, at most 10**12 with two decimals (数量)."""
    unit: str = ""
    """The unit expected; must equal the resource's unit when given (单位)."""


Role: TypeAlias = Annotated[
    LeadWorkerRole | VolunteerRole | OrganizationRole | ResourceRole,
    Field(discriminator="role"),
]
"""One role a need asks to be filled (需求角色)."""


class Need(WusheModel):
    """A recipient's need and the roles that must be filled to meet it (服务需求).

    The team that fills the roles, anchored on the recipient's community, is the five-society
    bundle for this need (五社联动).
    """

    need_id: NeedId
    """Identifier within the dataset (需求编号)."""
    recipient_id: RecipientId
    """Whose need it is (服务对象)."""
    category: ServiceCategory
    """Service field of the need (服务类别)."""
    roles: Annotated[tuple[Role, ...], Field(min_length=1)]
    """Roles asked for: lead worker, volunteers, organisation, resources (所需角色)."""
    urgency: Urgency = Urgency.MEDIUM
    """How urgent it is (紧急程度)."""
    raised_on: date
    """When the need was registered; waiting time ages it (登记日期)."""
    window: TimeWindow | None = None
    """When the service must take place, if fixed (服务时段)."""
    community_id: CommunityId | None = None
    """Where the service takes place; defaults to the recipient's community (服务地点)."""
    description: SensitiveText | None = None
    """Free-text description; may hold health details, masked by default (需求描述)."""
    household_id: HouseholdId | None = None
    """The recipient's household, when the need is the household's (所属家庭)."""

    @model_validator(mode="after")
    def _one_of_each_person_role(self) -> Need:
        seen: set[str] = set()
        kinds: set[ResourceKind] = set()
        for role in self.roles:
            if isinstance(role, ResourceRole):
                if role.resource_kind in kinds:
                    msg = (
                        f"roles ask twice for resource kind {role.resource_kind.value}"
                    )
                    raise ValueError(msg)
                kinds.add(role.resource_kind)
            elif role.role in seen:
                msg = f"roles ask twice for {role.role}"
                raise ValueError(msg)
            else:
                seen.add(role.role)
        return self
