"""Social organisations: the carriers of the linkage (社会组织)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from wushe._types import CommunityId, OrganizationId
from wushe.codes import CreditCode, DivisionCode
from wushe.models._base import WusheModel
from wushe.models._common import Capacity
from wushe.vocab import (
    IncubationStage,
    OrganizationType,
    OrgRating,
    RegistrationMode,
    ServiceCategory,
)

__all__ = ["SocialOrganization"]


class SocialOrganization(WusheModel):
    """A social organisation: social-work agency, association, foundation or community group (社会组织).

    Registered organisations have a unified social credit code; filed (备案) community
    organisations and informal groups usually do not.
    """

    kind: Literal["social_organization"] = "social_organization"
    """Discriminator for actor unions (类型标记)."""
    organization_id: OrganizationId
    """Identifier within the dataset (组织编号)."""
    name: Annotated[str, Field(min_length=1)]
    """Registered or common name, e.g. ``"巴渝公益"`` (组织名称)."""
    org_type: OrganizationType = OrganizationType.SOCIAL_SERVICE_INSTITUTION
    """Legal type: association, service institution, foundation (组织类型)."""
    registration: RegistrationMode = RegistrationMode.REGISTERED
    """Registered, filed or informal (登记方式)."""
    credit_code: CreditCode | None = None
    """Unified social credit code, for registered organisations (统一社会信用代码)."""
    is_social_work_agency: bool = False
    """Whether it is a professional social-work service agency (社工机构)."""
    is_charitable: bool = False
    """Registered or recognised as a charitable organisation (慈善组织)."""
    has_public_fundraising: bool = False
    """Holds the public-fundraising qualification (公开募捐资格)."""
    is_hub: bool = False
    """A hub (枢纽型) organisation that supports others (枢纽型社会组织)."""
    rating: OrgRating | None = None
    """Evaluation rating 5A–1A, if rated (评估等级)."""
    rating_valid_until: date | None = None
    """Ratings are valid five years (评估等级有效期)."""
    incubation_stage: IncubationStage | None = None
    """Stage in an incubator, for organisations being incubated (孵化阶段)."""
    home_community_id: CommunityId | None = None
    """The community a community-based organisation belongs to (所属社区)."""
    services: frozenset[ServiceCategory] = frozenset()
    """Fields it can serve (服务领域)."""
    service_area: frozenset[DivisionCode] = frozenset()
    """Division codes it serves; empty means no stated limit (服务区域)."""
    capacity: Capacity = 1
    """How many needs it can take on at once, 0 to 1,000,000 (可承接数量)."""

    @model_validator(mode="after")
    def _registration_consistent(self) -> SocialOrganization:
        if (
            self.registration is not RegistrationMode.REGISTERED
            and self.has_public_fundraising
        ):
            msg = "only registered organisations can hold the public-fundraising qualification"
            raise ValueError(msg)
        if self.rating_valid_until is not None and self.rating is None:
            msg = "rating_valid_until is set but rating is not"
            raise ValueError(msg)
        return self
