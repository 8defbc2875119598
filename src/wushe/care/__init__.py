"""Care visits, early warning and volunteer-service records (关爱巡访、预警与志愿服务记录).

A :class:`VisitPolicy` places recipients in visit tiers by target group and age;
:func:`schedule` gives every covered recipient's next due visit from the visit log
(:class:`VisitRecord`) and incident reports (:class:`IncidentReport`); :func:`overdue` and
:func:`warnings` raise early warnings through pluggable rules, each naming who, why, since
when and the responsible station; :func:`visit_rates` computes monthly visit rates and
person-times per station, rolled up the station network; :func:`plan_visits` shares a
period's due visits among workers or volunteers through the matching engine.

Volunteer service is recorded as :class:`VolunteerServiceRecord`, checked by
:func:`check_service_records`, totalled by :func:`hours_totals` and certified by
:func:`certificate` (志愿服务记录证明).

The default policy is a *local example* (Inner Mongolia, DOMAIN.md §11), not a national
standard; :func:`national_monthly_policy` is the national monthly target.
"""

from wushe.care._needs import visit_needs
from wushe.care._plan import (
    VISIT_PURPOSES,
    PlannedVisit,
    VisitPlan,
    plan_visits,
    visit_handovers,
)
from wushe.care._policy import (
    LOCAL_EXAMPLE_SOURCE,
    TierRule,
    VisitPolicy,
    VisitTier,
    local_example_policy,
    national_monthly_policy,
)
from wushe.care._rates import VisitRateRow, monthly_periods, visit_rates
from wushe.care._schedule import (
    DueReason,
    DueVisit,
    RecipientCare,
    care_records,
    overdue,
    responsible_stations,
    schedule,
)
from wushe.care._service import (
    CertificateLine,
    HoursTotal,
    ServiceCertificate,
    ServiceRecordCode,
    ServiceRecordError,
    ServiceRecordIssue,
    VolunteerServiceRecord,
    certificate,
    check_service_records,
    hours_totals,
)
from wushe.care._visits import (
    IncidentReport,
    VisitRecord,
    check_visit_households,
    visits_from_ledger,
)
from wushe.care._vocab import IncidentKind, VisitMethod, VisitOutcome, WarningCode
from wushe.care._warnings import (
    CareWarning,
    IncidentResponseRule,
    MissedContactsRule,
    OverdueVisitRule,
    WarningRule,
    default_rules,
    warnings,
)

__all__ = [
    "LOCAL_EXAMPLE_SOURCE",
    "VISIT_PURPOSES",
    "CareWarning",
    "CertificateLine",
    "DueReason",
    "DueVisit",
    "HoursTotal",
    "IncidentKind",
    "IncidentReport",
    "IncidentResponseRule",
    "MissedContactsRule",
    "OverdueVisitRule",
    "PlannedVisit",
    "RecipientCare",
    "ServiceCertificate",
    "ServiceRecordCode",
    "ServiceRecordError",
    "ServiceRecordIssue",
    "TierRule",
    "VisitMethod",
    "VisitOutcome",
    "VisitPlan",
    "VisitPolicy",
    "VisitRateRow",
    "VisitRecord",
    "VisitTier",
    "VolunteerServiceRecord",
    "WarningCode",
    "WarningRule",
    "care_records",
    "certificate",
    "check_service_records",
    "check_visit_households",
    "default_rules",
    "hours_totals",
    "local_example_policy",
    "monthly_periods",
    "national_monthly_policy",
    "overdue",
    "plan_visits",
    "responsible_stations",
    "schedule",
    "visit_handovers",
    "visit_needs",
    "visit_rates",
    "visits_from_ledger",
    "warnings",
]
