"""plan_visits as it was before #15 split it: one long function (kept to check the split)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from wushe.care import (
    VISIT_PURPOSES,
    IncidentReport,
    PlannedVisit,
    VisitPlan,
    VisitPolicy,
    VisitRecord,
    schedule,
    visit_needs,
)
from wushe.care._needs import need_id_of
from wushe.matching import MatchPlan, MatchPolicy, MatchRole, match
from wushe.models import Period, Recipient
from wushe.network import StationNetwork
from wushe.vocab import ConsentPurpose


def legacy_plan_visits(
    recipients: Iterable[Recipient],
    visits: Iterable[VisitRecord],
    actors: Any,
    policy: VisitPolicy | None = None,
    *,
    period: Period,
    as_of: date | datetime | None = None,
    roles: Sequence[Any] = ("volunteers", "lead_social_worker"),
    incidents: Iterable[IncidentReport] = (),
    network: StationNetwork | None = None,
    match_policy: MatchPolicy | None = None,
    purposes: Mapping[Any, ConsentPurpose] = VISIT_PURPOSES,
) -> VisitPlan:
    people = list(recipients)
    log = list(visits)
    moment = as_of if as_of is not None else period.start - timedelta(days=1)
    due = schedule(
        people, log, policy, as_of=moment, incidents=incidents, network=network
    )
    history = sorted(
        {
            (v.recipient_id, actor)
            for v in log
            if v.outcome.is_contact
            for actor in (*v.worker_ids, *v.volunteer_ids)
        }
    )
    plan_date = moment.date() if isinstance(moment, datetime) else moment
    base = match_policy or MatchPolicy()
    gated = base.model_copy(
        update={
            "purposes": {
                **base.purposes,
                **{MatchRole(role): purpose for role, purpose in purposes.items()},
            }
        }
    )
    by_need = {need_id_of(d): d for d in due}
    pending = [d for d in due if d.due_on <= period.end]
    assigned: list[PlannedVisit] = []
    plans: list[MatchPlan] = []
    for role in roles:
        if not pending and plans:
            break
        result = match(
            visit_needs(pending, people, period=period, role=role),
            actors,
            recipients=people,
            network=network,
            policy=gated,
            as_of=plan_date,
            history=history,
        )
        plans.append(result)
        taken: set[str] = set()
        for assignment in result.assignments:
            item = by_need[assignment.need_id]
            taken.add(assignment.need_id)
            assigned.append(
                PlannedVisit(
                    need_id=assignment.need_id,
                    recipient_id=item.recipient_id,
                    due_on=item.due_on,
                    tier=item.tier,
                    station_id=item.station_id,
                    actor_kind=assignment.actor_kind,
                    actor_id=assignment.actor_id,
                )
            )
        pending = [d for d in pending if need_id_of(d) not in taken]
    assigned.sort(key=lambda v: (v.due_on, v.recipient_id, v.actor_id))
    return VisitPlan(
        start=period.start,
        end=period.end,
        visits=tuple(assigned),
        unassigned=tuple(pending),
        match_plans=tuple(plans),
    )
