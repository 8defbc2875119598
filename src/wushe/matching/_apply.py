"""Write a plan back onto the records it drew from (方案落实).

:func:`apply_plan` returns new records, never changing the ones given: workers' caseloads,
volunteers' and organisations' capacities consumed, resources' balances reduced, venues'
bookings added, cases opened for lead workers, and the needs still open with only their
open roles, so the next run starts from the truth.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from wushe._renamed import renamed_keywords
from wushe.exceptions import MatchingError
from wushe.matching._inputs import Actor, check_network, role_of
from wushe.matching._open_case import open_case
from wushe.matching._plan import MatchPlan, MatchRole
from wushe.models import (
    Case,
    CharitableResource,
    Dataset,
    Need,
    SocialOrganization,
    SocialWorker,
    TimeWindow,
    Volunteer,
    VolunteerRole,
)
from wushe.network import StationNetwork
from wushe.vocab import ResourceKind

__all__ = ["AppliedPlan", "apply_plan"]

_ID_FIELD: dict[type, str] = {
    SocialWorker: "worker_id",
    Volunteer: "volunteer_id",
    SocialOrganization: "organization_id",
    CharitableResource: "resource_id",
}
_CAPACITY_FIELD: dict[type, str] = {
    SocialWorker: "caseload",
    Volunteer: "capacity",
    SocialOrganization: "capacity",
}


@attrs.frozen(kw_only=True)
class AppliedPlan:
    """The records after a plan is carried out (落实后的记录)."""

    actors: tuple[Actor, ...]
    """Every actor given, updated, sorted by kind then id (更新后的主体)."""
    open_needs: tuple[Need, ...]
    """Needs with a role still open, keeping only the open roles; a volunteer role asks for
    the volunteers still missing (仍待匹配的需求)."""
    history: tuple[tuple[str, str], ...]
    """``(recipient_id, actor_id)`` of every assignment, for continuity next time (服务历史)."""
    cases: tuple[Case, ...] = ()
    """Cases opened in 接案 on ``as_of`` for each lead-worker assignment, when ``as_of`` was given;
    ids ``case-<need_id>`` (新开个案)."""
    cases_not_opened: tuple[str, ...] = ()
    """Needs with a lead worker but no known station, so no case was opened (未开案需求)."""
    dataset: Dataset | None = None
    """The dataset with updated actors and the new cases, when a dataset was given; its
    needs stay as they were, as the record of what was asked: match ``open_needs`` next
    (更新后的数据集)."""


@renamed_keywords(opened_on="as_of")
def apply_plan(
    needs: Iterable[Need],
    actors: Dataset | Iterable[Actor],
    plan: MatchPlan,
    *,
    network: StationNetwork | None = None,
    as_of: date | None = None,
) -> AppliedPlan:
    """Consume what ``plan`` assigns and return the updated records (落实匹配方案).

    Guarantees: each worker's ``caseload``, each volunteer's and organisation's
    ``capacity`` drops by its assignments; each resource's ``remaining`` drops by the
    amounts drawn; a venue also gains the need's window in ``bookings``. Matching the open
    needs again on the returned actors can never use more than the original supply, nor a
    venue slot already booked. People's time is not recorded (their records have no
    bookings), so a re-match may place a worker in an overlapping window. With
    ``as_of``, the day the plan is carried out, each lead-worker assignment also opens a
    case on that day (接案, via :func:`open_case`) at the need's lowest station in the
    plan, else the lowest station ``network`` finds for the need's community, else the
    worker's station.

    Args:
        needs: The needs the plan was made for.
        actors: A dataset, or the actors the plan was made from.
        plan: The plan to carry out.
        network: The station hierarchy, to place cases when the plan names no station.
        as_of: The day the plan is carried out (落实日期): cases open on it. Without it
            no case is opened.

    Raises:
        MatchingError: An assignment names a need or actor that was not given, draws more
            than an actor has left, or a new case id is already in the dataset; the
            message names the need and actor.

    Examples:
        >>> from wushe import examples, match
        >>> ds = examples.load("qixinggang")
        >>> done = apply_plan(ds.needs, ds, match(ds.needs, ds))
        >>> len(done.open_needs) <= len(ds.needs)
        True
    """
    needs_by_id = {n.need_id: n for n in needs}
    dataset = actors if isinstance(actors, Dataset) else None
    if dataset is not None:
        pool: list[Any] = [
            *dataset.workers,
            *dataset.volunteers,
            *dataset.organizations,
            *dataset.resources,
        ]
    else:
        pool = list(actors)
    by_id = {(type(a), getattr(a, _ID_FIELD[type(a)])): a for a in pool}
    kinds = {
        MatchRole.LEAD_SOCIAL_WORKER: SocialWorker,
        MatchRole.VOLUNTEER: Volunteer,
        MatchRole.SOCIAL_ORGANIZATION: SocialOrganization,
    }
    history: list[tuple[str, str]] = []
    for a in plan.assignments:
        need = needs_by_id.get(a.need_id)
        key = (kinds.get(a.role, CharitableResource), a.actor_id)
        actor = by_id.get(key)
        if need is None or actor is None:
            what = "need" if need is None else "actor"
            msg = f"assignment {a.need_id}/{a.actor_id}: the {what} was not given"
            raise MatchingError(msg)
        by_id[key] = _consume(actor, a.amount, need.window, a.need_id)
        history.append((need.recipient_id, a.actor_id))
    updated = tuple(
        by_id[k] for k in sorted(by_id, key=lambda k: (k[0].__name__, k[1]))
    )
    open_needs = tuple(
        n for n in (_open_part(n, plan) for n in needs_by_id.values()) if n is not None
    )
    network = check_network(network)
    cases, skipped = (
        _open_cases(plan, needs_by_id, by_id, as_of, network)
        if as_of is not None
        else ((), ())
    )
    if dataset is not None:
        dataset = _updated(dataset, updated, cases)
    return AppliedPlan(
        actors=updated,
        open_needs=open_needs,
        history=tuple(sorted(set(history))),
        cases=cases,
        cases_not_opened=skipped,
        dataset=dataset,
    )


def _updated(
    dataset: Dataset, actors: tuple[Any, ...], cases: tuple[Case, ...]
) -> Dataset:
    """The dataset with the updated actors and the new cases (更新数据集)."""
    known = {c.case_id for c in dataset.cases}
    clash = sorted(known & {c.case_id for c in cases})
    if clash:
        msg = f"case_id {clash[0]!r} is already in the dataset"
        raise MatchingError(msg)
    return dataset.model_copy(
        update={
            "workers": tuple(a for a in actors if isinstance(a, SocialWorker)),
            "volunteers": tuple(a for a in actors if isinstance(a, Volunteer)),
            "organizations": tuple(
                a for a in actors if isinstance(a, SocialOrganization)
            ),
            "resources": tuple(a for a in actors if isinstance(a, CharitableResource)),
            "cases": (*dataset.cases, *cases),
        }
    )


def _open_cases(
    plan: MatchPlan,
    needs: dict[str, Need],
    pool: dict[tuple[type, str], Any],
    opened_on: date,
    network: StationNetwork | None,
) -> tuple[tuple[Case, ...], tuple[str, ...]]:
    cases: list[Case] = []
    skipped: list[str] = []
    for a in plan.assignments:
        if a.role is not MatchRole.LEAD_SOCIAL_WORKER:
            continue
        team = plan.linkage(a.need_id)
        worker = pool[(SocialWorker, a.actor_id)]
        station = (
            team.station_ids[0]
            if team.station_ids
            else (network and network.station_for_community(team.community_id))
            or worker.station_id
        )
        if station is None:
            skipped.append(a.need_id)
            continue
        case = open_case(
            a,
            needs[a.need_id],
            case_id=f"case-{a.need_id}",
            opened_on=opened_on,
            station_id=station,
        )
        cases.append(case)
    return tuple(cases), tuple(skipped)


def _consume(
    actor: Any, amount: Decimal | None, window: TimeWindow | None, need_id: str
) -> Any:
    where = f"assignment {need_id}/{getattr(actor, _ID_FIELD[type(actor)])}"
    if isinstance(actor, CharitableResource):
        left = actor.balance - (amount or Decimal(0))
        if left < 0:
            msg = f"{where}: draws more than the resource's balance {actor.balance}"
            raise MatchingError(msg)
        update: dict[str, Any] = {"remaining": left}
        if actor.resource_kind is ResourceKind.VENUE and window is not None:
            update["bookings"] = (*actor.bookings, window)
        return actor.model_copy(update=update)
    field = _CAPACITY_FIELD[type(actor)]
    left_places = int(getattr(actor, field)) - 1
    if left_places < 0:
        msg = f"{where}: the actor has no {field} left"
        raise MatchingError(msg)
    return actor.model_copy(update={field: left_places})


def _open_part(need: Need, plan: MatchPlan) -> Need | None:
    """The need with only its open roles; ``None`` when every role is filled."""
    try:
        _, open_ = plan.for_need(need.need_id)
    except MatchingError:
        return need  # not part of the match: still wholly open
    missing = {u.role: u.missing for u in open_}
    roles = []
    for role in need.roles:
        kind = role_of(role)
        if kind not in missing:
            continue
        if isinstance(role, VolunteerRole):
            role = role.model_copy(update={"count": missing[kind]})  # noqa: PLW2901
        roles.append(role)
    return need.model_copy(update={"roles": tuple(roles)}) if roles else None
