"""Validated domain models of 五社联动 (领域模型).

Every model is a frozen pydantic model that rejects unknown fields, masks sensitive
values and round-trips through JSON. :class:`Dataset` holds one locality and checks
referential integrity across all of them.
"""

from wushe.models._base import WusheModel
from wushe.models._common import Period, Quantity, TimeWindow
from wushe.models._community import Community, Division
from wushe.models._consent import (
    BASIS_COVERS,
    CONSENT_AGE,
    Consent,
    basis_for,
    has_basis,
    minors_without_guardian_consent,
)
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
    "BASIS_COVERS",
    "COLLECTIONS",
    "CONSENT_AGE",
    "Activity",
    "CharitableResource",
    "Community",
    "Consent",
    "Dataset",
    "Disability",
    "Division",
    "IndicatorTarget",
    "IntegrityCode",
    "LeadWorkerRole",
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
    "basis_for",
    "check_integrity",
    "has_basis",
    "minors_without_guardian_consent",
]
