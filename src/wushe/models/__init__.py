"""Validated domain models of 五社联动 (领域模型).

Every model is a frozen pydantic model that rejects unknown fields, masks sensitive
values and round-trips through JSON. :class:`Dataset` holds one locality and checks
referential integrity across all of them.
"""

from wushe.models._base import WusheModel
from wushe.models._common import (
    Amount,
    Capacity,
    Consent,
    Count,
    LocalDateTime,
    Measure,
    Period,
    Quantity,
    TimeWindow,
)
from wushe.models._community import Community, Division
from wushe.models._dataset import COLLECTIONS, Dataset, IntegrityCode, check_integrity
from wushe.models._organization import SocialOrganization
from wushe.models._project import Activity, IndicatorTarget, ServiceProject
from wushe.models._recipient import (
    Disability,
    LeadWorkerRole,
    Need,
    OrganizationRole,
    Recipient,
    ResourceRole,
    Role,
    SensitiveDisability,
    VolunteerRole,
)
from wushe.models._resource import CharitableResource, Restriction
from wushe.models._station import Station
from wushe.models._volunteer import Volunteer, VolunteerTeam
from wushe.models._worker import SocialWorker

__all__ = [
    "COLLECTIONS",
    "Activity",
    "Amount",
    "Capacity",
    "CharitableResource",
    "Community",
    "Consent",
    "Count",
    "Dataset",
    "Disability",
    "Division",
    "IndicatorTarget",
    "IntegrityCode",
    "LeadWorkerRole",
    "LocalDateTime",
    "Measure",
    "Need",
    "OrganizationRole",
    "Period",
    "Quantity",
    "Recipient",
    "ResourceRole",
    "Restriction",
    "Role",
    "SensitiveDisability",
    "ServiceProject",
    "SocialOrganization",
    "SocialWorker",
    "Station",
    "TimeWindow",
    "Volunteer",
    "VolunteerRole",
    "VolunteerTeam",
    "WusheModel",
    "check_integrity",
]
