"""Validated domain models of 五社联动 (领域模型).

Every model is a frozen pydantic model that rejects unknown fields, masks sensitive
values and round-trips through JSON. :class:`Dataset` holds one locality and checks
referential integrity across all of them.
"""

from wushe.models._base import WusheModel
from wushe.models._case import CASE_TRANSITIONS, Case, CasePhaseEntry, CaseSession
from wushe.models._child_welfare import ChildWelfarePost
from wushe.models._common import (
    Amount,
    Capacity,
    Count,
    LocalDateTime,
    Measure,
    Period,
    Quantity,
    TimeWindow,
)
from wushe.models._community import Community, Division
from wushe.models._consent import (
    BASIS_COVERS,
    CHILD_GIVERS,
    CONSENT_AGE,
    Consent,
    GivenBy,
    basis_for,
    has_basis,
    minors_without_guardian_consent,
    refer,
    referrals_without_basis,
)
from wushe.models._contract import PaymentMilestone, PurchaseContract, Spending
from wushe.models._dataset import COLLECTIONS, Dataset, IntegrityCode, check_integrity
from wushe.models._grid import Grid
from wushe.models._household import (
    Household,
    HouseholdMembership,
    HouseholdStatusPeriod,
)
from wushe.models._incubation import Incubation, IncubationStageEntry, Incubator
from wushe.models._organization import SocialOrganization
from wushe.models._person import PersonIndex, PersonLink, count_people
from wushe.models._pilot import Pilot, PilotPhaseEntry
from wushe.models._programme_integrity import ProgrammeCode
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
from wushe.models._recognition import Honour
from wushe.models._records_integrity import RecordCode
from wushe.models._referral import Referral
from wushe.models._resource import CharitableResource, Restriction
from wushe.models._station import Station
from wushe.models._supervision import Supervision, Training
from wushe.models._tally import AttendanceCount, Convening, VolunteerHoursRow
from wushe.models._timebank import (
    TimeBank,
    TimeBankEntry,
    TimeBankProblem,
    time_bank_balances,
)
from wushe.models._volunteer import Volunteer, VolunteerTeam
from wushe.models._worker import SocialWorker

__all__ = [
    "BASIS_COVERS",
    "CASE_TRANSITIONS",
    "CHILD_GIVERS",
    "COLLECTIONS",
    "CONSENT_AGE",
    "Activity",
    "Amount",
    "AttendanceCount",
    "Capacity",
    "Case",
    "CasePhaseEntry",
    "CaseSession",
    "CharitableResource",
    "ChildWelfarePost",
    "Community",
    "Consent",
    "Convening",
    "Count",
    "Dataset",
    "Disability",
    "Division",
    "GivenBy",
    "Grid",
    "Honour",
    "Household",
    "HouseholdMembership",
    "HouseholdStatusPeriod",
    "Incubation",
    "IncubationStageEntry",
    "Incubator",
    "IndicatorTarget",
    "IntegrityCode",
    "LeadWorkerRole",
    "LocalDateTime",
    "Measure",
    "Need",
    "OrganizationRole",
    "PaymentMilestone",
    "Period",
    "PersonIndex",
    "PersonLink",
    "Pilot",
    "PilotPhaseEntry",
    "ProgrammeCode",
    "PurchaseContract",
    "Quantity",
    "Recipient",
    "RecordCode",
    "Referral",
    "ResourceRole",
    "Restriction",
    "Role",
    "SensitiveDisability",
    "ServiceProject",
    "SocialOrganization",
    "SocialWorker",
    "Spending",
    "Station",
    "Supervision",
    "TimeBank",
    "TimeBankEntry",
    "TimeBankProblem",
    "TimeWindow",
    "Training",
    "Volunteer",
    "VolunteerHoursRow",
    "VolunteerRole",
    "VolunteerTeam",
    "WusheModel",
    "basis_for",
    "check_integrity",
    "count_people",
    "has_basis",
    "minors_without_guardian_consent",
    "refer",
    "referrals_without_basis",
    "time_bank_balances",
]
