"""What-if simulation of supply changes against a baseline plan (容量推演).

A :class:`Scenario` lists changes in a small validated vocabulary: set or raise an actor's
capacity, add to a resource's balance, add actors, or clone an actor. :func:`simulate`
matches the baseline once and each scenario once, and reports what changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

import attrs
import numpy as np
from numpy.typing import NDArray
from pydantic import Field, model_validator

from wushe._types import Identifier
from wushe.exceptions import MatchingError
from wushe.matching._apply import _CAPACITY_FIELD, _ID_FIELD
from wushe.matching._candidates import CandidateGraph, CandidateSet, build_candidates
from wushe.matching._inputs import Actor, units
from wushe.matching._match import solve_candidates
from wushe.matching._plan import MatchPlan, MatchRole
from wushe.matching._policy import Decline, MatchPolicy
from wushe.models import (
    CharitableResource,
    Community,
    Dataset,
    Need,
    PersonLink,
    Recipient,
    SocialOrganization,
    SocialWorker,
    Station,
    Volunteer,
    WusheModel,
)
from wushe.models._common import MAX_AMOUNT, MAX_CAPACITY
from wushe.network import StationNetwork

__all__ = [
    "AddActors",
    "AmountChange",
    "CapacityChange",
    "CloneActor",
    "Scenario",
    "ScenarioOutcome",
    "Simulation",
    "simulate",
]

_PEOPLE_ROLE: dict[type, MatchRole] = {
    SocialWorker: MatchRole.LEAD_SOCIAL_WORKER,
    Volunteer: MatchRole.VOLUNTEER,
    SocialOrganization: MatchRole.SOCIAL_ORGANIZATION,
}


class CapacityChange(WusheModel):
    """Set or raise a worker's caseload, a volunteer's or an organisation's capacity (容量调整).

    >>> CapacityChange(actor_id="w1", set_to=30).set_to
    30
    """

    change: Literal["capacity"] = "capacity"
    """Discriminator (变化类型)."""
    actor_id: Identifier
    """The worker, volunteer or organisation (主体编号)."""
    set_to: Annotated[int, Field(ge=0)] | None = None
    """New capacity; give this or ``add`` (新容量)."""
    add: int | None = None
    """Capacity to add (negative removes); give this or ``set_to`` (增加容量)."""

    @model_validator(mode="after")
    def _one(self) -> CapacityChange:
        if (self.set_to is None) == (self.add is None):
            msg = "give exactly one of set_to and add"
            raise ValueError(msg)
        return self


class AmountChange(WusheModel):
    """Add to (or take from) a charitable resource's total and balance (资源增减)."""

    change: Literal["amount"] = "amount"
    """Discriminator (变化类型)."""
    resource_id: Identifier
    """The resource (资源编号)."""
    add: Decimal
    """Amount to add in the resource's unit; negative takes away (增加数量)."""


class AddActors(WusheModel):
    """Add new workers, volunteers, organisations or resources, e.g. a 50,000 CNY fund (新增主体)."""

    change: Literal["add"] = "add"
    """Discriminator (变化类型)."""
    actors: tuple[
        Annotated[
            SocialWorker | Volunteer | SocialOrganization | CharitableResource,
            Field(discriminator="kind"),
        ],
        ...,
    ]
    """The new records, with ids not yet in use (新增记录)."""


class CloneActor(WusheModel):
    """Add ``copies`` actors like an existing one, e.g. five more volunteers on a street (复制主体).

    Copies get ids ``<actor_id>~1``, ``<actor_id>~2`` … and every other field of the original.
    """

    change: Literal["clone"] = "clone"
    """Discriminator (变化类型)."""
    actor_id: Identifier
    """The actor to copy (原主体编号)."""
    copies: Annotated[int, Field(ge=1, le=10_000)]
    """How many copies (复制数量)."""


class Scenario(WusheModel):
    """A named set of supply changes to try against the baseline (推演情景).

    >>> Scenario.model_validate(
    ...     {"name": "more", "changes": [{"change": "capacity", "actor_id": "w1", "add": 5}]}
    ... ).changes[0].add
    5
    """

    name: Annotated[str, Field(min_length=1)]
    """Label shown in results (情景名称)."""
    changes: tuple[
        Annotated[
            CapacityChange | AmountChange | AddActors | CloneActor,
            Field(discriminator="change"),
        ],
        ...,
    ]
    """The changes, applied in order (变化列表)."""


@attrs.frozen(kw_only=True)
class ScenarioOutcome:
    """One scenario's plan and its difference against the baseline (推演结果)."""

    name: str
    """The scenario's name (情景名称)."""
    plan: MatchPlan
    """The plan under the scenario (情景方案)."""
    rebuilt: bool
    """Whether the candidate graph was rebuilt; ``False`` when only capacities changed and the
    baseline graph was reused (是否重建候选图)."""
    needs_met: int
    """Change in needs with every role filled (满足需求数变化)."""
    roles_filled: int
    """Change in need-roles filled completely (落实角色数变化)."""
    objective: int
    """Change in the objective (目标值变化)."""
    newly_met: tuple[str, ...]
    """Needs fully met under the scenario but not in the baseline (新满足需求)."""
    newly_unmet: tuple[str, ...]
    """Needs fully met in the baseline but not under the scenario (新未满足需求)."""
    per_community: tuple[tuple[str, int], ...]
    """Change in needs met per community, non-zero only, by id (分社区变化)."""
    per_station: tuple[tuple[str, int], ...]
    """Change in needs met per station on each need's path to the hub, non-zero only;
    empty without a network (分社工站变化)."""


@attrs.frozen(kw_only=True)
class Simulation:
    """The baseline plan and one outcome per scenario, in the order given (推演)."""

    baseline: MatchPlan
    """The plan on the unchanged data (基线方案)."""
    outcomes: tuple[ScenarioOutcome, ...]
    """One per scenario (各情景结果)."""


def _actor_id(actor: Any) -> str:
    return str(getattr(actor, _ID_FIELD[type(actor)]))


def _apply_change(
    pool: dict[str, Any], change: Any, where: str
) -> tuple[dict[str, Any], bool]:
    """The changed pool and whether the change alters capacities only (变化应用)."""
    if isinstance(change, AddActors | CloneActor):
        new = dict(pool)
        if isinstance(change, AddActors):
            added = list(change.actors)
        else:
            original = _known(pool, change.actor_id, where)
            field = _ID_FIELD[type(original)]
            added = [
                original.model_copy(update={field: f"{change.actor_id}~{k}"})
                for k in range(1, change.copies + 1)
            ]
        for actor in added:
            if _actor_id(actor) in new:
                msg = f"{where}: actor id {_actor_id(actor)!r} is already in use"
                raise MatchingError(msg)
            new[_actor_id(actor)] = actor
        return new, False
    if isinstance(change, AmountChange):
        res = _known(pool, change.resource_id, where)
        if not isinstance(res, CharitableResource):
            msg = f"{where}: resource_id {change.resource_id!r} is not a resource"
            raise MatchingError(msg)
        total, balance = res.total + change.add, res.balance + change.add
        if balance < 0 or total < 0:
            msg = f"{where}: resource {change.resource_id!r} would fall below zero"
            raise MatchingError(msg)
        if total > MAX_AMOUNT:  # model_copy checks nothing; the engines need the bound
            msg = (
                f"{where}: resource {change.resource_id!r} would exceed {MAX_AMOUNT:,}"
            )
            raise MatchingError(msg)
        remaining = None if res.remaining is None else balance
        update = {"total": total, "remaining": remaining}
        return {**pool, change.resource_id: res.model_copy(update=update)}, True
    actor = _known(pool, change.actor_id, where)
    if type(actor) not in _CAPACITY_FIELD:
        msg = f"{where}: actor {change.actor_id!r} is a resource; use an amount change"
        raise MatchingError(msg)
    field = _CAPACITY_FIELD[type(actor)]
    old = int(getattr(actor, field))
    new_cap = change.set_to if change.set_to is not None else old + (change.add or 0)
    if new_cap < 0:
        msg = f"{where}: {field} of {change.actor_id!r} would fall below zero"
        raise MatchingError(msg)
    if new_cap > MAX_CAPACITY:  # model_copy checks nothing; the engines need the bound
        msg = f"{where}: {field} of {change.actor_id!r} would exceed {MAX_CAPACITY:,}"
        raise MatchingError(msg)
    # A capacity of zero is a hard rule (no_capacity): crossing zero needs a rebuild.
    return {
        **pool,
        change.actor_id: actor.model_copy(update={field: new_cap}),
    }, old > 0 and new_cap > 0


def _known(pool: dict[str, Any], actor_id: str, where: str) -> Any:
    try:
        return pool[actor_id]
    except KeyError:
        msg = f"{where}: actor_id {actor_id!r} is not among the actors given"
        raise MatchingError(msg) from None


def _reuse(graph: CandidateGraph, pool: dict[str, Any]) -> CandidateGraph | None:
    """The baseline graph with capacities, balances and load scores updated (复用候选图).

    ``None`` when a changed balance would flip the balance rule for some candidate pair
    (or the role holds needs awaiting reassessment): then the graph must be rebuilt.
    """
    sets: list[CandidateSet] = []
    for cs in graph.sets:
        if cs.is_resource:
            cap = np.array(
                [units(pool[a].balance, up=False) for a in cs.actor_ids],
                dtype=np.int64,
            )
            if np.array_equal(cap, cs.right_capacity):
                sets.append(cs)
                continue
            if cs.left_blocked.any() or _balance_rule_flips(cs, cap):
                return None
        else:
            field = next(
                f for k, f in _CAPACITY_FIELD.items() if _PEOPLE_ROLE[k] is cs.role
            )
            cap = np.array(
                [int(getattr(pool[a], field)) for a in cs.actor_ids], dtype=np.int64
            )
        scorer = cs.scorer.with_capacity(cap)
        sets.append(
            attrs.evolve(
                cs,
                right_capacity=cap,
                scorer=scorer,
                edge_weight=scorer.weights(cs.edge_left, cs.edge_right),
            )
        )
    return attrs.evolve(graph, sets=tuple(sets))


def _balance_rule_flips(cs: CandidateSet, cap: NDArray[np.int64]) -> bool:
    """Whether ``balance >= amount`` changes for any candidate pair, feasible or not."""
    for left, right in (
        (cs.edge_left, cs.edge_right),
        (cs.rejected_left, cs.rejected_right),
    ):
        amount = cs.left_amount[left]
        if np.any((cs.right_capacity[right] >= amount) != (cap[right] >= amount)):
            return True
    return False


def simulate(
    needs: Iterable[Need],
    actors: Dataset | Iterable[Actor],
    scenarios: Sequence[Scenario],
    *,
    recipients: Iterable[Recipient] = (),
    communities: Iterable[Community] = (),
    stations: Iterable[Station] = (),
    network: StationNetwork | None = None,
    policy: MatchPolicy | None = None,
    as_of: date | None = None,
    declines: Iterable[Decline] = (),
    history: Iterable[tuple[str, str]] = (),
    people: Iterable[PersonLink] = (),
) -> Simulation:
    """Match the baseline and each scenario, and report what changes (容量推演).

    Guarantees: each outcome's plan equals :func:`~wushe.matching.match` run on the changed
    data with the same arguments. When a scenario only changes capacities and amounts, the
    baseline candidate graph is reused, with capacities, balances and load scores updated,
    and ``rebuilt`` is ``False``. Added or cloned actors, a capacity crossing zero (the
    ``no_capacity`` rule) and a balance crossing an amount some candidate pair asks for (the
    ``insufficient_balance`` rule) rebuild the graph, and ``rebuilt`` is ``True``.

    Args: as for :func:`~wushe.matching.match`, plus ``scenarios`` (推演情景). A
    dataset's ``person_links`` are honoured as :func:`~wushe.matching.match` honours them.

    Raises:
        MatchingError: A change names an unknown actor, reuses an id or would make a
            capacity or balance negative; the message names the scenario and change.

    Examples:
        >>> from wushe import examples
        >>> ds = examples.load("qixinggang")
        >>> more = Scenario(name="more", changes=[CloneActor(
        ...     actor_id=ds.volunteers[0].volunteer_id, copies=5)])
        >>> sim = simulate(ds.needs, ds, [more])
        >>> sim.outcomes[0].needs_met >= 0
        True
    """
    needs = list(needs)
    pool_list, common = _common(
        actors,
        recipients=recipients,
        communities=communities,
        stations=stations,
        network=network,
        policy=policy,
        as_of=as_of,
        declines=declines,
        history=history,
        people=people,
    )
    pool = {_actor_id(a): a for a in pool_list}
    graph = build_candidates(needs, pool_list, **common)
    baseline = solve_candidates(graph)
    outcomes = []
    for s in scenarios:
        changed, reuse = pool, True
        for k, change in enumerate(s.changes):
            where = f"scenario {s.name[:80]!r}, change {k + 1} ({change.change})"
            changed, only_capacity = _apply_change(changed, change, where)
            reuse = reuse and only_capacity
        reused = _reuse(graph, changed) if reuse else None
        reuse = reused is not None
        plan = solve_candidates(
            reused
            if reused is not None
            else build_candidates(needs, list(changed.values()), **common)
        )
        outcomes.append(_outcome(s.name, baseline, plan, rebuilt=not reuse))
    return Simulation(baseline=baseline, outcomes=tuple(outcomes))


def _common(
    actors: Dataset | Iterable[Actor], **given: Any
) -> tuple[list[Any], dict[str, Any]]:
    """The actors as a list and the other arguments, a dataset's records filled in.

    Scenarios change the actors, so they are passed as a list; whatever else a dataset
    supplies to :func:`~wushe.matching.match` (recipients, communities, stations, person
    links, its date) is passed explicitly.
    """
    common = {k: list(v) if k in _LISTS else v for k, v in given.items()}
    if not isinstance(actors, Dataset):
        return list(actors), common
    ds = actors
    for key, field in _FROM_DATASET:
        common[key] = common[key] or list(getattr(ds, field))
    common["as_of"] = common["as_of"] or ds.as_of
    return [*ds.workers, *ds.volunteers, *ds.organizations, *ds.resources], common


_LISTS = ("recipients", "communities", "stations", "declines", "history", "people")
_FROM_DATASET = (
    ("recipients", "recipients"),
    ("communities", "communities"),
    ("stations", "stations"),
    ("people", "person_links"),
)


def _met(plan: MatchPlan) -> tuple[set[str], int]:
    """Needs with every role filled, and need-roles filled completely."""
    met: set[str] = set()
    roles = 0
    for need_id, info in plan._needs.items():
        asked = {a.role for a in info.assignments} | {u.role for u in info.unmatched}
        roles += len(asked) - len(info.unmatched)
        if not info.unmatched:
            met.add(need_id)
    return met, roles


def _outcome(
    name: str, base: MatchPlan, plan: MatchPlan, *, rebuilt: bool
) -> ScenarioOutcome:
    base_met, base_roles = _met(base)
    met, roles = _met(plan)
    gained, lost = met - base_met, base_met - met
    by_community: dict[str, int] = {}
    by_station: dict[str, int] = {}
    for need_id, sign in [*((n, 1) for n in gained), *((n, -1) for n in lost)]:
        info = plan._needs[need_id]
        by_community[info.community_id] = by_community.get(info.community_id, 0) + sign
        for sid in info.station_ids:
            by_station[sid] = by_station.get(sid, 0) + sign
    return ScenarioOutcome(
        name=name,
        plan=plan,
        rebuilt=rebuilt,
        needs_met=len(met) - len(base_met),
        roles_filled=roles - base_roles,
        objective=plan.objective - base.objective,
        newly_met=tuple(sorted(gained)),
        newly_unmet=tuple(sorted(lost)),
        per_community=tuple(sorted((k, v) for k, v in by_community.items() if v)),
        per_station=tuple(sorted((k, v) for k, v in by_station.items() if v)),
    )
