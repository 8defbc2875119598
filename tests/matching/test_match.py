"""Properties and rule-named examples of ``wushe.match``."""

from __future__ import annotations

import itertools
import random
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.matching.strategies import AS_OF, COMMUNITIES, worlds
from wushe.codes import age_on
from wushe.io import explain_plan, plan_to_dict
from wushe.matching import (
    AMOUNT_SCALE,
    MatchPlan,
    MatchPolicy,
    MatchRole,
    ReasonCode,
    build_candidates,
    match,
    tier_of,
)
from wushe.matching._match import _conflict_rows
from wushe.models import (
    CharitableResource,
    LeadWorkerRole,
    Need,
    Recipient,
    SocialOrganization,
    SocialWorker,
    Volunteer,
    VolunteerRole,
)

CODE = {c.community_id: c.division_code for c in COMMUNITIES}
ADJ = {c.community_id: c.adjacent_ids for c in COMMUNITIES}


def _reach(actor: Any, need_code: str) -> bool:
    area = set(getattr(actor, "service_area", frozenset()))
    if not area:
        if isinstance(actor, SocialOrganization | CharitableResource):
            return True
        home = actor.home_community_id
        area = {CODE[home], *(CODE[a] for a in ADJ[home])}
    return any(need_code.startswith(code) for code in area)


def violations(plan: MatchPlan, world: dict[str, Any]) -> list[str]:
    """Every hard rule or capacity the plan breaks, checked record by record."""
    needs = {n.need_id: n for n in world["needs"]}
    people = {r.recipient_id: r for r in world["recipients"]}
    actors: dict[tuple[str, str], Any] = {}
    for a in world["actors"]:
        key = getattr(a, "worker_id", None) or getattr(a, "volunteer_id", None)
        key = key or getattr(a, "organization_id", None) or a.resource_id
        actors[(a.kind, key)] = a
    bad: list[str] = []
    load: Counter[tuple[str, str]] = Counter()
    per_role: Counter[tuple[str, MatchRole]] = Counter()
    booked: dict[tuple[str, str], list[Any]] = {}
    for a in plan.assignments:
        need = needs[a.need_id]
        person = people[need.recipient_id]
        actor = actors[(a.actor_kind.value, a.actor_id)]
        minor = age_on(person.birth_date or AS_OF, AS_OF) < 18
        code = CODE[need.community_id or person.community_id]
        per_role[(a.need_id, a.role)] += 1
        tag = f"{a.need_id}/{a.role.value}/{a.actor_id}"
        if isinstance(actor, CharitableResource):
            load[("balance", a.actor_id)] += int((a.amount or 0) * AMOUNT_SCALE)
            r = actor.restriction
            if r is not None and r.purposes and need.category not in r.purposes:
                bad.append(f"{tag}: restricted purpose")
            if r is not None and need.recipient_id in r.excluded_recipient_ids:
                bad.append(f"{tag}: interested party")
            continue
        load[(a.actor_kind.value, a.actor_id)] += 1
        skills: Any = getattr(actor, "skills", None) or getattr(
            actor, "services", set()
        )
        if need.category not in skills:
            bad.append(f"{tag}: category")
        if not _reach(actor, code):
            bad.append(f"{tag}: area")
        role = (
            next(
                r
                for r in need.roles
                if isinstance(r, LeadWorkerRole | VolunteerRole)
                or a.role.value == r.role
            )
            if a.role is not MatchRole.SOCIAL_ORGANIZATION
            else None
        )
        if isinstance(actor, SocialWorker) and isinstance(role, LeadWorkerRole):
            need_rank = role.min_qualification.rank if role.min_qualification else 0
            if minor:
                need_rank = max(need_rank, 1)
            rank = actor.qualification.rank if actor.qualification else 0
            if rank < need_rank:
                bad.append(f"{tag}: qualification")
        if isinstance(actor, Volunteer):
            vetted_only = any(
                isinstance(r, VolunteerRole) and r.vetted_only for r in need.roles
            )
            if (minor or vetted_only) and not actor.vetted:
                bad.append(f"{tag}: vetted")
            if actor.birth_date and age_on(actor.birth_date, AS_OF) < 18:
                bad.append(f"{tag}: age")
        windows = getattr(actor, "availability", ())
        if (
            need.window is not None
            and windows
            and not any(w.contains(need.window) for w in windows)
        ):
            bad.append(f"{tag}: availability")
        if need.window is not None:
            booked.setdefault((a.actor_kind.value, a.actor_id), []).append(need.window)
    for (kind, actor_id), used in load.items():
        if kind == "balance":
            balance = actors[("charitable_resource", actor_id)].balance
            if used > balance * AMOUNT_SCALE:
                bad.append(f"{actor_id}: balance")
            continue
        actor = actors[(kind, actor_id)]
        cap: int = getattr(actor, "capacity", getattr(actor, "caseload", 0))
        if used > cap:
            bad.append(f"{actor_id}: capacity")
    for (need_id, role), n in per_role.items():
        asked = next(
            (r.count for r in needs[need_id].roles if isinstance(r, VolunteerRole)), 1
        )
        if n > (asked if role is MatchRole.VOLUNTEER else 1):
            bad.append(f"{need_id}: too many for {role.value}")
    for key, wins in booked.items():
        for x, y in itertools.combinations(wins, 2):
            if x.overlaps(y):
                bad.append(f"{key[1]}: double-booked")
    return bad


@given(worlds(), st.sampled_from(["exact", "greedy", "stable"]))
def test_never_violates_a_hard_constraint_or_capacity(world, strategy):
    plan = match(**world, as_of=AS_OF, policy=MatchPolicy(strategy=strategy))
    assert violations(plan, world) == []


@given(worlds(), st.randoms(use_true_random=False))
def test_shuffled_input_gives_the_identical_plan(world, rnd: random.Random):
    plan = match(**world, as_of=AS_OF)
    shuffled = {k: rnd.sample(v, len(v)) for k, v in world.items()}
    again = match(
        shuffled["needs"],
        shuffled["actors"],
        recipients=shuffled["recipients"],
        communities=shuffled["communities"],
        as_of=AS_OF,
    )
    assert plan_to_dict(plan) == plan_to_dict(again)


def _brute_force(cs) -> int:
    """The best total weight; where the integer program runs (unequal amounts, clashing
    windows), the best by tier first, highest tier down, as the docs promise."""
    n = cs.n_edges
    amounts = cs.left_amount[cs.edge_left]
    by_tier = bool(_conflict_rows(cs)) or (
        cs.is_resource and len(set(amounts.tolist())) > 1
    )
    tiers = sorted(set(cs.left_tier[cs.edge_left].tolist()), reverse=True)
    best_key: tuple[int, ...] = ()
    best = 0
    amount = cs.left_amount[cs.edge_left] if cs.is_resource else np.ones(n, dtype=int)
    for mask in range(1 << n):
        chosen = [e for e in range(n) if mask >> e & 1]
        lused = Counter(int(cs.edge_left[e]) for e in chosen)
        if any(lused[i] > cs.left_capacity[i] for i in lused):
            continue
        rused: Counter[int] = Counter()
        for e in chosen:
            rused[int(cs.edge_right[e])] += int(amount[e])
        if any(rused[j] > cs.right_capacity[j] for j in rused):
            continue
        clash = False
        if not cs.is_resource:
            for e, f in itertools.combinations(chosen, 2):
                if cs.edge_right[e] != cs.edge_right[f]:
                    continue
                we, wf = (
                    cs.left_window[cs.edge_left[e]],
                    cs.left_window[cs.edge_left[f]],
                )
                if we[0] >= 0 and wf[0] >= 0 and we[0] < wf[1] and wf[0] < we[1]:
                    clash = True
                    break
        if not clash:
            total = sum(int(cs.edge_weight[e]) for e in chosen)
            per_tier = [
                sum(
                    int(cs.edge_weight[e])
                    for e in chosen
                    if cs.left_tier[cs.edge_left[e]] == t
                )
                for t in tiers
            ]
            key = (*per_tier, total) if by_tier else (total,)
            if key > best_key:
                best_key, best = key, total
    return best


@settings(max_examples=40)
@given(worlds(max_needs=4, max_actors=2))
def test_objective_equals_brute_force_on_tiny_instances(world):
    graph = build_candidates(**world, as_of=AS_OF)
    if any(cs.n_edges > 12 for cs in graph.sets):
        return
    plan = match(**world, as_of=AS_OF)
    assert plan.objective == sum(_brute_force(cs) for cs in graph.sets)


@given(worlds(), st.sampled_from(["exact", "greedy", "stable"]))
def test_every_unmatched_role_has_at_least_one_reason(world, strategy):
    plan = match(**world, as_of=AS_OF, policy=MatchPolicy(strategy=strategy))
    for u in plan.unmatched:
        assert u.reasons, u
        assert u.missing >= 1
    for need in world["needs"]:
        for lang in ("zh", "en"):
            text = explain_plan(plan, need.need_id, lang=lang)
            assert need.need_id in text
            for u in plan.for_need(need.need_id)[1]:
                for r in u.reasons:  # the label a person reads, never the code
                    assert r.label(lang) in text
                    assert r.value not in text


@given(worlds(resources=False, windows=False))
def test_lower_priority_need_never_holds_an_actor_a_higher_unmatched_need_could_use(
    world,
):
    plan = match(**world, as_of=AS_OF)
    graph = build_candidates(**world, as_of=AS_OF)
    people = {r.recipient_id: r for r in world["recipients"]}
    needs = {n.need_id: n for n in world["needs"]}
    tier = {n: tier_of(people[needs[n].recipient_id], MatchPolicy()) for n in needs}
    holders: dict[tuple[MatchRole, str], list[str]] = {}
    for a in plan.assignments:
        holders.setdefault((a.role, a.actor_id), []).append(a.need_id)
    taken = {(a.need_id, a.role, a.actor_id) for a in plan.assignments}
    for u in plan.unmatched:
        cs = graph[u.role]
        i = cs.need_ids.index(u.need_id)
        for j in cs.edge_right[cs.edge_left == i].tolist():
            actor = cs.actor_ids[j]
            if (u.need_id, u.role, actor) in taken:
                continue
            for holder in holders.get((u.role, actor), []):
                assert tier[holder] >= tier[u.need_id], (u, holder, actor)


# ----------------------------------------------------------------------------------
# Rule-named examples


def _recipient(rid: str, cid: str, born: date, groups: set[Any]) -> Recipient:
    from tests.strategies import full_consents, resident_id  # noqa: PLC0415

    consents = full_consents(guardian=age_on(born, AS_OF) < 14)
    return Recipient.model_validate(
        {
            "recipient_id": rid,
            "name": "王小明",
            "community_id": cid,
            "target_groups": sorted(groups),
            "id_number": resident_id("420116", born, int(rid[1:]) % 1000),
            "assessed_on": AS_OF,
            "consents": consents,
        }
    )


def test_never_assigns_uncertified_worker_to_minor_casework():
    child = _recipient("p1", "c11", date(2014, 1, 1), {"left_behind_child"})
    need = Need.model_validate(
        {
            "need_id": "n1",
            "recipient_id": "p1",
            "category": "child_welfare",
            "roles": [{"role": "lead_social_worker"}],
            "raised_on": AS_OF,
        }
    )
    uncertified = SocialWorker.model_validate(
        {
            "worker_id": "w1",
            "name": "李强",
            "home_community_id": "c11",
            "skills": ["child_welfare"],
        }
    )
    plan = match(
        [need], [uncertified], recipients=[child], communities=COMMUNITIES, as_of=AS_OF
    )
    assert plan.assignments == ()
    assert plan.unmatched[0].reasons == (ReasonCode.NO_QUALIFIED_WORKER,)
    assert "no qualified worker" in explain_plan(plan, "n1", lang="en")


def test_hongan_left_behind_children_get_only_vetted_volunteers():
    """红安县城关镇 (seed 001): 20 left-behind children need vetted volunteers."""
    children = [
        _recipient(f"p{i}", "c11", date(2013, 1, 1 + i), {"left_behind_child"})
        for i in range(20)
    ]
    needs = [
        Need.model_validate(
            {
                "need_id": f"n{i:02d}",
                "recipient_id": f"p{i}",
                "category": "child_welfare",
                "roles": [{"role": "volunteers", "count": 1}],
                "raised_on": AS_OF,
            }
        )
        for i in range(20)
    ]
    volunteers = [
        Volunteer.model_validate(
            {
                "volunteer_id": f"v{i:02d}",
                "name": "陈静",
                "birth_date": "1985-01-01",
                "home_community_id": "c11",
                "skills": ["child_welfare"],
                "vetted": i < 15,
                "capacity": 1,
            }
        )
        for i in range(30)
    ]
    plan = match(
        needs, volunteers, recipients=children, communities=COMMUNITIES, as_of=AS_OF
    )
    assert len(plan.assignments) == 15
    assert all(int(a.actor_id[1:]) < 15 for a in plan.assignments)
    for u in plan.unmatched:
        assert ReasonCode.NO_VETTED_VOLUNTEER in u.reasons
        assert ReasonCode.CAPACITY_EXHAUSTED in u.reasons


def test_wangjiahe_elders_living_alone_get_a_visit_and_donated_goods():
    """黄陂区王家河街 (seed 001): visits to elders living alone, with donated goods."""
    elders = [
        _recipient(f"p{i}", "c21", date(1940, 1, 1 + i), {"elder_living_alone"})
        for i in range(4)
    ]
    needs = [
        Need.model_validate(
            {
                "need_id": f"n{i}",
                "recipient_id": f"p{i}",
                "category": "elderly_care",
                "roles": [
                    {"role": "volunteers", "count": 1},
                    {
                        "role": "resource",
                        "resource_kind": "goods",
                        "amount": "1",
                        "unit": "份",
                    },
                ],
                "raised_on": AS_OF,
            }
        )
        for i in range(4)
    ]
    goods = CharitableResource.model_validate(
        {
            "resource_id": "g1",
            "name": "慰问物资",
            "resource_kind": "goods",
            "unit": "份",
            "total": "3",
            "restriction": {
                "purposes": ["elderly_care"],
                "target_groups": ["独居老人"],
            },
        }
    )
    visitor = Volunteer.model_validate(
        {
            "volunteer_id": "v1",
            "name": "赵敏",
            "birth_date": "1970-01-01",
            "home_community_id": "c21",
            "skills": ["elderly_care"],
            "capacity": 4,
        }
    )
    plan = match(
        needs, [goods, visitor], recipients=elders, communities=COMMUNITIES, as_of=AS_OF
    )
    drawn = [a for a in plan.assignments if a.role is MatchRole.GOODS]
    assert sum(a.amount or 0 for a in drawn) == Decimal(3)
    assert len([a for a in plan.assignments if a.role is MatchRole.VOLUNTEER]) == 4
    (short,) = [u for u in plan.unmatched if u.role is MatchRole.GOODS]
    assert short.reasons == (ReasonCode.CAPACITY_EXHAUSTED,)
    team = plan.linkage(drawn[0].need_id)
    assert team.volunteer_ids == ("v1",)
    assert team.resources == (("g1", Decimal(1)),)
    assert team.community_id == "c21"
