"""Community volunteers and volunteer teams: the helpers of the linkage (社区志愿者)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from wushe._types import (
    CommunityId,
    OrganizationId,
    SortedFrozenSet,
    TeamId,
    VolunteerId,
)
from wushe.codes import DivisionCode, age_on
from wushe.models._base import WusheModel
from wushe.models._common import Capacity, TimeWindow
from wushe.models._consent import Consent
from wushe.privacy import BirthDate, SensitiveName, SensitivePhone
from wushe.vocab import ConsentPurpose, LawfulBasis, ServiceCategory

__all__ = ["Volunteer", "VolunteerTeam"]


class Volunteer(WusheModel):
    """A registered community volunteer (社区志愿者).

    The 志愿服务条例 (State Council Order No. 685, 2017) asks that assignments fit the
    volunteer's age, knowledge, skills and condition (Art. 15) and that organisers insure
    volunteers for risky activities (Art. 17); it sets no age limit. The age rules here come
    from elsewhere: a volunteer under 18 needs a guardian's consent on record, as the Youth
    League's 《中国注册志愿者管理办法》 (2014) asks for 14–18-year-olds and city volunteer
    federations ask of every minor (DOMAIN.md §6.1). That only vetted volunteers serve
    minors, and the age range for one-to-one service, are wushe's matching defaults
    (:class:`~wushe.matching.MatchPolicy`), not rules of any of these texts.
    """

    kind: Literal["volunteer"] = "volunteer"
    """Discriminator for actor unions (类型标记)."""
    volunteer_id: VolunteerId
    """Identifier within the dataset (志愿者编号)."""
    name: SensitiveName
    """Full name; personal information, masked by default (姓名)."""
    birth_date: BirthDate | None = None
    """Date of birth, for the age rules; shows its year only by default (出生日期)."""
    phone: SensitivePhone | None = None
    """Mobile number; personal information, masked by default (手机号码)."""
    home_community_id: CommunityId | None = None
    """Community where the volunteer lives or serves (所在社区)."""
    team_id: TeamId | None = None
    """Volunteer team the volunteer belongs to (所属队伍)."""
    skills: SortedFrozenSet[ServiceCategory] = frozenset()
    """Fields the volunteer can help in (服务技能)."""
    service_area: SortedFrozenSet[DivisionCode] = frozenset()
    """Division codes the volunteer serves; empty means the home community (服务区域)."""
    vetted: bool = False
    """Background-checked and trained to serve minors (已审查); what vetting means is local practice."""
    insured: bool = False
    """Personal accident insurance bought by the organiser (意外保险)."""
    capacity: Capacity = 2
    """How many needs the volunteer can help with at once, 0 to 1,000,000 (可服务数量)."""
    availability: tuple[TimeWindow, ...] = ()
    """When the volunteer is available; empty means always (可服务时段)."""
    registered_on: date | None = None
    """Real-name registration date (注册日期)."""
    guardian_consent: Consent | None = None
    """Guardian's consent to volunteering, required under 18 (监护人同意).

    Basis ``guardian_consent``, purpose ``volunteering``."""

    @model_validator(mode="after")
    def _minor_needs_guardian(self) -> Volunteer:
        if self.birth_date is not None and age_on(self.birth_date, date.today()) < 18:
            consent = self.guardian_consent
            if (
                consent is None
                or consent.basis is not LawfulBasis.GUARDIAN_CONSENT
                or consent.purpose is not ConsentPurpose.VOLUNTEERING
            ):
                msg = (
                    "a volunteer under 18 needs guardian_consent with basis "
                    "guardian_consent and purpose volunteering"
                )
                raise ValueError(msg)
        return self


class VolunteerTeam(WusheModel):
    """A volunteer service team, e.g. a community's 志愿服务队 (志愿服务队伍)."""

    team_id: TeamId
    """Identifier within the dataset (队伍编号)."""
    name: Annotated[str, Field(min_length=1)]
    """Team name, e.g. ``"蓝天使志愿服务队"`` (队伍名称)."""
    organization_id: OrganizationId | None = None
    """Organisation the team belongs to (所属组织)."""
    community_id: CommunityId | None = None
    """Community the team is based in (所在社区)."""
    skills: SortedFrozenSet[ServiceCategory] = frozenset()
    """Fields the team serves (服务领域)."""
    parent_team_id: TeamId | None = None
    """The team this one is a squad of, e.g. a 小分队 of a 服务队 (上级队伍)."""

    @model_validator(mode="after")
    def _not_own_squad(self) -> VolunteerTeam:
        if self.parent_team_id == self.team_id:
            msg = "a team cannot be a squad of itself"
            raise ValueError(msg)
        return self
