"""Social workers: the professional support of the linkage (社会工作者)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import model_validator

from wushe._types import (
    CommunityId,
    OrganizationId,
    SortedFrozenSet,
    StationId,
    WorkerId,
)
from wushe.codes import DivisionCode
from wushe.models._base import WusheModel
from wushe.models._common import Capacity, TimeWindow
from wushe.privacy import SensitiveName, SensitivePhone
from wushe.vocab import Qualification, ServiceCategory

__all__ = ["SocialWorker"]


class SocialWorker(WusheModel):
    """A social worker or community worker doing social work (社会工作者).

    ``qualification`` is the national certificate level (职业水平证书); a worker without one
    is uncertified. Community workers (社区工作者) who hold the certificate count as certified
    social workers, as in seed 003's 九龙街道 (103 of them, 75%).
    """

    kind: Literal["social_worker"] = "social_worker"
    """Discriminator for actor unions (类型标记)."""
    worker_id: WorkerId
    """Identifier within the dataset (社工编号)."""
    name: SensitiveName
    """Full name; personal information, masked by default (姓名)."""
    qualification: Qualification | None = None
    """Certificate level, or ``None`` when uncertified (职业水平等级)."""
    certificate_no: str | None = None
    """Certificate number, when certified (证书编号)."""
    registered_until: date | None = None
    """End of the three-year certificate registration (登记有效期)."""
    is_community_worker: bool = False
    """Whether the person is a community worker rather than agency staff (社区工作者)."""
    is_supervisor: bool = False
    """Whether the person acts as a supervisor (督导)."""
    organization_id: OrganizationId | None = None
    """Employing organisation, e.g. the station operator (所属机构)."""
    station_id: StationId | None = None
    """Station the worker is posted to (驻站)."""
    home_community_id: CommunityId | None = None
    """Community where the worker is based, for proximity (所在社区)."""
    phone: SensitivePhone | None = None
    """Mobile number; personal information, masked by default (手机号码)."""
    skills: SortedFrozenSet[ServiceCategory] = frozenset()
    """Fields the worker can serve (专长领域)."""
    service_area: SortedFrozenSet[DivisionCode] = frozenset()
    """Division codes the worker serves; empty means the posting station's area (服务区域)."""
    caseload: Capacity = 5
    """How many needs the worker can lead at once, 0 to 1,000,000 (个案容量)."""
    availability: tuple[TimeWindow, ...] = ()
    """When the worker is available; empty means always (可服务时段)."""

    @model_validator(mode="after")
    def _certificate_needs_level(self) -> SocialWorker:
        if self.certificate_no is not None and self.qualification is None:
            msg = "certificate_no is set but qualification is not"
            raise ValueError(msg)
        return self
