"""A visit plan for a period, assigned by the matching engine (巡访计划)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Literal

import attrs

from wushe.care._needs import need_id_of, visit_needs
from wushe.care._policy import VisitPolicy
from wushe.care._schedule import DueVisit, schedule
from wushe.care._visits import IncidentReport, VisitRecord
from wushe.exceptions import MatchingError
from wushe.matching import (
    Assignment,
    Handover,
    MatchPlan,
    MatchPolicy,
    MatchRole,
    handover,
    match,
)
from wushe.models import Dataset, Period, Recipient, SocialWorker, Volunteer
from wushe.network import StationNetwork
from wushe.network._param import network_param
from wushe.vocab import ActorKind, ConsentPurpose

__all__ = [
    "VISIT_PURPOSES",
    "PlannedVisit",
    "VisitPlan",
    "plan_visits",
    "visit_handovers",
]

Role = Literal["volunteers", "lead_social_worker"]

VISIT_PURPOSES: Mapping[Role, ConsentPurpose] = {
    "volunteers": ConsentPurpose.SHARE_WITH_VOLUNTEERS,
    "lead_social_worker": ConsentPurpose.CARE_VISIT,
}
"""The purpose a visit by each role needs a lawful basis for (巡访处理目的).

A social worker's visit is the station's own care visit (探访关爱), which a statutory duty
covers; a volunteer's visit hands the person's details to a volunteer and needs consent to
that (向志愿者提供), as in matching.
"""


@attrs.frozen(kw_only=True)
class PlannedVisit:
    """One due visit and the worker or volunteer assigned to make it (计划巡访)."""

    need_id: str
    """The need the visit became, ``"visit-<recipient_id>-<YYYYMMDD>"`` (需求编号)."""
    recipient_id: str
    """Whom to visit (服务对象编号)."""
    due_on: date
    """Last day the visit is on time (应巡访日期)."""
    tier: str
    """The recipient's tier (巡访等级)."""
    station_id: str | None
    """Station responsible for the recipient (责任站点)."""
    actor_kind: ActorKind
    """Social worker or volunteer (主体类型)."""
    actor_id: str
    """Who makes the visit (巡访人编号)."""


@attrs.frozen(kw_only=True)
class VisitPlan:
    """The visits of a period, assigned within capacity, and those left open (巡访计划).

    ``match_plans`` holds the matching engine's full answer for each role tried in turn:
    scores, the objective and the reasons for every visit left open
    (``match_plans[-1].explain(need_id)``).
    """

    start: date
    """First day of the period (起始日)."""
    end: date
    """Last day of the period (截止日)."""
    visits: tuple[PlannedVisit, ...]
    """Assigned visits, by due date then recipient id (已分派巡访)."""
    unassigned: tuple[DueVisit, ...]
    """Due visits no one could take, by due date then recipient id (未分派巡访)."""
    match_plans: tuple[MatchPlan, ...]
    """The matching engine's plans, one per role tried, in order (匹配方案)."""

    def __repr__(self) -> str:
        return (
            f"<VisitPlan {self.start} to {self.end}: {len(self.visits)} visits, "
            f"{len(self.unassigned)} unassigned>"
        )


def plan_visits(
    recipients: Iterable[Recipient],
    visits: Iterable[VisitRecord],
    actors: Dataset | Iterable[SocialWorker | Volunteer],
    policy: VisitPolicy | None = None,
    *,
    period: Period,
    as_of: date | datetime | None = None,
    network: StationNetwork | None = None,
    roles: Sequence[Role] = ("volunteers", "lead_social_worker"),
    incidents: Iterable[IncidentReport] = (),
    match_policy: MatchPolicy | None = None,
    purposes: Mapping[Role, ConsentPurpose] = VISIT_PURPOSES,
) -> VisitPlan:
    """Plan a period's care visits and assign them to workers or volunteers (制定巡访计划).

    Objective: every visit due by ``period.end`` (overdue ones included) is assigned to
    one volunteer or social worker so that the matching engine's objective is optimal at
    each step; there is no second matcher. Steps: :func:`wushe.care.schedule` as of
    ``as_of`` (default: the day before the period); :func:`wushe.care.visit_needs` turns
    the due visits into needs for the first role in ``roles`` (default: volunteers, the
    helpers of the linkage); :func:`wushe.matching.match` assigns them, with the visit
    log as history so that whoever visited a recipient before is preferred (continuity)
    and with ``network`` for the station hierarchy; the visits left open go to the next
    role (default: lead social workers), and so on.

    Every visit passes the consent gate of :func:`wushe.matching.match`: a role gets a
    visit only when the recipient has a lawful basis on the planning date for the role's
    purpose in ``purposes`` (default :data:`VISIT_PURPOSES`); otherwise the visit stays
    open with ``no_lawful_basis``.

    Guarantees: those of :func:`wushe.matching.match` — no hard constraint broken, no
    actor over capacity (``capacity`` of volunteers, ``caseload`` of workers, counted as
    visits in the period), deterministic; every due visit is either in ``visits`` or in
    ``unassigned``, and the reasons for an unassigned one come from the last plan's
    ``explain``.

    Args:
        recipients: The recipients.
        visits: The visit log up to the planning date.
        actors: Workers and volunteers, or a :class:`~wushe.models.Dataset` that also
            supplies communities and stations for proximity.
        policy: Tiers and rules; default :class:`VisitPolicy` (the local example).
        period: The period to plan.
        as_of: Planning date; default the day before ``period.start``.
        network: The station network: each visit names the station responsible for the
            recipient's community, and matching uses the hierarchy for proximity.
        roles: The roles to try in turn: ``"volunteers"`` and/or ``"lead_social_worker"``.
        incidents: Incident reports.
        match_policy: Rules and weights for the matching engine; its ``purposes`` for
            the two roles are replaced by ``purposes``.
        purposes: The purpose a visit by each role needs a basis for.

    Raises:
        MatchingError: When the matching engine rejects the input; the message names the
            record and field.
        ValueError: When ``roles`` is empty.
        TypeError: When ``network`` is not a :class:`~wushe.network.StationNetwork`.
    """
    if not roles:
        msg = "roles must name at least one role to assign visits to"
        raise ValueError(msg)
    network_param(network, caller="plan_visits")
    people = list(recipients)
    log = list(visits)
    moment = as_of if as_of is not None else period.start - timedelta(days=1)
    due = schedule(
        people, log, policy, as_of=moment, incidents=incidents, network=network
    )
    rounds = _Rounds(
        people=people,
        actors=actors,
        period=period,
        network=network,
        policy=_gated(match_policy or MatchPolicy(), purposes),
        on=moment.date() if isinstance(moment, datetime) else moment,
        history=_history(log),
        by_need={need_id_of(d): d for d in due},
    )
    pending = [d for d in due if d.due_on <= period.end]
    assigned: list[PlannedVisit] = []
    plans: list[MatchPlan] = []
    for role in roles:
        if not pending and plans:
            break
        plan, made, pending = rounds.assign(role, pending)
        plans.append(plan)
        assigned += made
    assigned.sort(key=lambda v: (v.due_on, v.recipient_id, v.actor_id))
    return VisitPlan(
        start=period.start,
        end=period.end,
        visits=tuple(assigned),
        unassigned=tuple(pending),
        match_plans=tuple(plans),
    )


def _history(log: Sequence[VisitRecord]) -> list[tuple[str, str]]:
    """Who reached whom before: (recipient id, worker or volunteer id), sorted."""
    return sorted(
        {
            (v.recipient_id, actor)
            for v in log
            if v.outcome.is_contact
            for actor in (*v.worker_ids, *v.volunteer_ids)
        }
    )


def _gated(base: MatchPolicy, purposes: Mapping[Role, ConsentPurpose]) -> MatchPolicy:
    """The match policy with each visiting role's purpose replaced."""
    update = {MatchRole(role): purpose for role, purpose in purposes.items()}
    return base.model_copy(update={"purposes": {**base.purposes, **update}})


@attrs.frozen(kw_only=True)
class _Rounds:
    """What every round of :func:`plan_visits` shares: one round per role."""

    people: list[Recipient]
    actors: Dataset | Iterable[SocialWorker | Volunteer]
    period: Period
    network: StationNetwork | None
    policy: MatchPolicy
    on: date
    history: list[tuple[str, str]]
    by_need: dict[str, DueVisit]

    def assign(
        self, role: Role, pending: list[DueVisit]
    ) -> tuple[MatchPlan, list[PlannedVisit], list[DueVisit]]:
        """Match the pending visits to one role: the plan, the visits made, those left."""
        plan = match(
            visit_needs(pending, self.people, period=self.period, role=role),
            self.actors,
            recipients=self.people,
            network=self.network,
            policy=self.policy,
            as_of=self.on,
            history=self.history,
        )
        made = [
            _planned(assignment, self.by_need[assignment.need_id])
            for assignment in plan.assignments
        ]
        taken = {visit.need_id for visit in made}
        left = [d for d in pending if need_id_of(d) not in taken]
        return plan, made, left


def _planned(assignment: Assignment, item: DueVisit) -> PlannedVisit:
    return PlannedVisit(
        need_id=assignment.need_id,
        recipient_id=item.recipient_id,
        due_on=item.due_on,
        tier=item.tier,
        station_id=item.station_id,
        actor_kind=assignment.actor_kind,
        actor_id=assignment.actor_id,
    )


def visit_handovers(
    plan: VisitPlan,
    recipients: Iterable[Recipient],
    *,
    purposes: Mapping[Role, ConsentPurpose] = VISIT_PURPOSES,
) -> tuple[Handover, ...]:
    """What each visitor is handed about whom they visit, and no more (巡访交接单).

    One :class:`~wushe.matching.Handover` per planned visit, in the plan's order, with the
    fields :data:`~wushe.matching.HANDOVER_FIELDS` lists for the role's purpose in
    ``purposes`` (pass the ones given to :func:`plan_visits`). A volunteer gets name, phone
    and address; a worker's care visit adds age and health.

    Raises:
        MatchingError: A recipient is missing or has no basis in force on the plan's date.
    """
    people = {r.recipient_id: r for r in recipients}
    made = {a.need_id: (a, p.as_of) for p in plan.match_plans for a in p.assignments}
    out = []
    for visit in plan.visits:
        assignment, on = made[visit.need_id]
        person = people.get(visit.recipient_id)
        if person is None:
            msg = f"recipient {visit.recipient_id!r} is not among those given"
            raise MatchingError(msg)
        role: Role = (
            "volunteers"
            if assignment.role is MatchRole.VOLUNTEER
            else "lead_social_worker"
        )
        out.append(handover(assignment, person, on=on, purpose=purposes[role]))
    return tuple(out)
