"""What an incubator has cultivated, counted from incubation records (孵化培育统计)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import attrs

from wushe.models import Dataset
from wushe.vocab import IncubationStage, RegistrationMode

__all__ = ["IncubationSummary", "incubation_summary"]


@attrs.frozen(kw_only=True)
class IncubationSummary:
    """Organisations by stage, residents, cohorts and follow-ups on one day (孵化培育情况)."""

    on: date
    """The day counted (统计日期)."""
    by_stage: dict[IncubationStage, int]
    """Organisations at each stage on the day; every stage is present (各阶段组织数)."""
    resident: int
    """Organisations housed in the incubator (入驻组织数)."""
    hubs: int
    """Resident organisations that are hub organisations (枢纽型组织数)."""
    by_cohort: dict[str, int]
    """Organisations per intake, ``""`` for records without one (各批次组织数)."""
    graduated: int
    """Organisations that left as ready by the day (出壳组织数)."""
    followed_up_registered: int
    """Registered organisations visited at least once by the day (回访已登记组织数)."""


def incubation_summary(
    ds: Dataset, *, incubator_id: str | None = None, on: date | None = None
) -> IncubationSummary:
    """Count an incubator's organisations by stage, cohort and follow-up (孵化培育统计).

    Each organisation counts once, at the stage its record shows on ``on`` (default: the
    dataset's ``as_of``, else today). Registered organisations count as followed up when
    a visit is dated on or before ``on``.

    Args:
        ds: The dataset.
        incubator_id: Only this incubator's records; ``None`` counts every incubator.
        on: The day to count on (统计日期).
    """
    day = on or ds.as_of or date.today()
    orgs = {o.organization_id: o for o in ds.organizations}
    chosen = [
        i
        for i in ds.incubations
        if incubator_id is None or i.incubator_id == incubator_id
    ]
    stage_of: dict[str, IncubationStage] = {}
    cohort_of: dict[str, str] = {}
    resident: set[str] = set()
    graduated: set[str] = set()
    visited: set[str] = set()
    for i in sorted(chosen, key=lambda i: i.incubation_id):
        org = i.organization_id
        stage = i.stage_on(day)
        if stage is not None:
            stage_of[org] = stage
            cohort_of.setdefault(org, i.cohort)
        if i.resident:
            resident.add(org)
        if i.graduated_on is not None and i.graduated_on <= day:
            graduated.add(org)
        if any(v <= day for v in i.follow_ups):
            visited.add(org)
    counts = Counter(stage_of.values())
    return IncubationSummary(
        on=day,
        by_stage={s: counts.get(s, 0) for s in IncubationStage},
        resident=len(resident),
        hubs=sum(1 for o in resident if o in orgs and orgs[o].is_hub),
        by_cohort=dict(sorted(Counter(cohort_of.values()).items())),
        graduated=len(graduated),
        followed_up_registered=sum(
            1
            for o in visited
            if o in orgs and orgs[o].registration is RegistrationMode.REGISTERED
        ),
    )
