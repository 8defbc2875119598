"""Social organisations: the carriers of the linkage (社会组织)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator

from wushe._types import CommunityId, OrganizationId, SortedFrozenSet
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

    Validation rules:

    * 社会团体, 社会服务机构 and 基金会 exist only by registration, and a filed or informal
      group has no legal personality (DOMAIN.md §8): those types must be ``registered``,
      and a filed or informal group takes ``org_type`` 备案社区社会组织 (``community_group``).
    * Only a charitable organisation (慈善组织) can hold the public-fundraising
      qualification (Charity Law Art. 22), and only a registered one can be charitable.
    * A credit code's first two characters name the registration authority and type
      (GB 32100-2015, DOMAIN.md §12.4): 51 社会团体, 52 社会服务机构, 53 基金会, all
      registered with civil affairs (5).
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
    services: SortedFrozenSet[ServiceCategory] = frozenset()
    """Fields it can serve (服务领域)."""
    service_area: SortedFrozenSet[DivisionCode] = frozenset()
    """Division codes it serves; empty means no stated limit (服务区域)."""
    capacity: Capacity = 1
    """How many needs it can take on at once, 0 to 1,000,000 (可承接数量)."""
    introduced_on: date | None = None
    """When the locality brought it in from elsewhere, e.g. by purchase (引进日期)."""

    @model_validator(mode="after")
    def _registration_consistent(self) -> SocialOrganization:
        registered = self.registration is RegistrationMode.REGISTERED
        if self.org_type.is_legal_person_by_registration and not registered:
            msg = (
                f"a {self.org_type.zh} exists only by registration; a filed or informal "
                "group has no legal personality: use org_type 'community_group' "
                "(备案社区社会组织)"
            )
            raise ValueError(msg)
        if self.org_type is OrganizationType.COMMUNITY_GROUP and registered:
            msg = (
                "a registered community organisation is a 社会团体 or 社会服务机构; "
                "community_group is for filed or informal groups"
            )
            raise ValueError(msg)
        if self.is_charitable and not registered:
            msg = "only a registered organisation can be a charitable organisation (慈善组织)"
            raise ValueError(msg)
        if self.has_public_fundraising and not self.is_charitable:
            msg = (
                "only a charitable organisation (is_charitable) can hold the "
                "public-fundraising qualification (Charity Law Art. 22)"
            )
            raise ValueError(msg)
        prefix = _CREDIT_PREFIX.get(self.org_type)
        if prefix and self.credit_code is not None and self.credit_code[:2] != prefix:
            msg = (
                f"credit_code of a {self.org_type.zh} starts with {prefix} "
                "(registered with civil affairs, GB 32100-2015); for a body registered "
                "elsewhere use org_type 'other'"
            )
            raise ValueError(msg)
        if self.rating_valid_until is not None and self.rating is None:
            msg = "rating_valid_until is set but rating is not"
            raise ValueError(msg)
        return self


_CREDIT_PREFIX = {
    OrganizationType.SOCIAL_ASSOCIATION: "51",
    OrganizationType.SOCIAL_SERVICE_INSTITUTION: "52",
    OrganizationType.FOUNDATION: "53",
}
