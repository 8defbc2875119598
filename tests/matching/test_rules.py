"""Every registered hard rule, and the whole candidate graph, agree with a brute-force oracle."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.matching.oracle import PREDICATES, Pair, World, expected_graph, pool_of
from tests.matching.strategies import AS_OF, CIDS, DAY, DISTRICT, worlds
from wushe import examples
from wushe.matching import (
    CandidateGraph,
    Decline,
    DeclineReason,
    MatchPolicy,
    MatchRole,
    build_candidates,
)
from wushe.matching._assemble import unmatched as _unmatched
from wushe.matching._candidates import _context, prepare
from wushe.matching._match import _solve_set
from wushe.matching._rules import HARD_RULES
from wushe.models import (
    CharitableResource,
    Dataset,
    Period,
    PersonLink,
    ResourceRole,
    Restriction,
    SocialWorker,
    TimeWindow,
    Volunteer,
)
from wushe.network import StationNetwork
from wushe.vocab import ActorKind, ResourceKind, TargetGroup


@st.composite
def extras(draw: st.DrawFn, world: dict[str, Any]) -> dict[str, Any]:
    """Declines, history, person links and a policy over the world's ids."""
    actors = [
        (a.kind, getattr(a, "worker_id", None) or getattr(a, "volunteer_id", None))
        for a in world["actors"]
    ]
    actors = [(k, i) for k, i in actors if i is not None]
    rids = [r.recipient_id for r in world["recipients"]]
    declines, history, people = [], [], []
    if actors:
        for _ in range(draw(st.integers(0, 4))):
            kind, aid = draw(st.sampled_from(actors))
            declines.append(
                Decline(
                    recipient_id=draw(st.sampled_from(rids)),
                    actor_kind=ActorKind(kind),
                    actor_id=aid,
                    declined_by=draw(st.sampled_from(["actor", "recipient"])),
                    reason=draw(st.sampled_from(list(DeclineReason))),
                    declined_on=AS_OF - timedelta(days=draw(st.integers(-2, 120))),
                )
            )
        ids = [i for _, i in actors]
        history = draw(
            st.lists(st.tuples(st.sampled_from(rids), st.sampled_from(ids)), max_size=4)
        )
        for k in range(draw(st.integers(0, 2))):
            kind, aid = draw(st.sampled_from(actors))
            field = "volunteer_ids" if kind == "volunteer" else "worker_ids"
            link = {
                "person_id": f"h{k}",
                "recipient_ids": [draw(st.sampled_from(rids))],
            }
            people.append(PersonLink.model_validate({**link, field: [aid]}))
    policy = MatchPolicy(
        reach_adjacent=draw(st.booleans()),
        priority_mode=draw(st.sampled_from(["lexicographic", "weighted"])),
        require_insured_volunteers=draw(st.booleans()),
        max_volunteer_age=draw(st.sampled_from([None, 60])),
    )
    return {
        "declines": declines,
        "history": history,
        "people": people,
        "policy": policy,
    }


def _window(draw: st.DrawFn) -> TimeWindow:
    start = DAY + timedelta(hours=draw(st.integers(0, 3)))
    return TimeWindow(start=start, end=start + timedelta(hours=2))


@st.composite
def resources(draw: st.DrawFn, rids: list[str]) -> list[CharitableResource]:
    """Funds with restrictions, venues with bookings, goods that expire."""
    out = []
    for i in range(draw(st.integers(0, 2))):
        restriction = draw(
            st.none()
            | st.builds(
                Restriction,
                target_groups=st.sampled_from(
                    [frozenset(), frozenset({TargetGroup.DIBAO})]
                ),
                service_area=st.sampled_from(
                    [frozenset(), frozenset({f"{DISTRICT}001"})]
                ),
                beneficiary_ids=st.sampled_from([frozenset(), frozenset(rids[:1])]),
            )
        )
        out.append(
            CharitableResource(
                resource_id=f"f{i}",
                name="善款",
                resource_kind=ResourceKind.FUNDS,
                unit="元",
                total=Decimal(draw(st.sampled_from(["0", "50", "100.5", "300"]))),
                restriction=restriction,
            )
        )
    for i in range(draw(st.integers(0, 2))):
        out.append(
            CharitableResource(
                resource_id=f"r{i}",
                name="活动室",
                resource_kind=ResourceKind.VENUE,
                unit=draw(st.sampled_from(["小时", "次"])),
                total=Decimal(10),
                community_id=draw(st.sampled_from(CIDS)),
                bookings=tuple(_window(draw) for _ in range(draw(st.integers(0, 1)))),
            )
        )
    if draw(st.booleans()):
        lo = AS_OF - timedelta(days=draw(st.integers(-5, 5)))
        out.append(
            CharitableResource(
                resource_id="gx",
                name="药品",
                resource_kind=ResourceKind.GOODS,
                unit="份",
                total=Decimal(5),
                expires_on=draw(st.none() | st.just(lo)),
                available=draw(
                    st.none() | st.just(Period(start=lo, end=lo + timedelta(days=3)))
                ),
            )
        )
    return out


@st.composite
def rich_worlds(draw: st.DrawFn) -> dict[str, Any]:
    """Matching inputs reaching every registered rule."""
    world = draw(worlds(max_needs=4, max_actors=3, random_consents=draw(st.booleans())))
    more = draw(extras(world))
    rids = [r.recipient_id for r in world["recipients"]]
    needs = []
    for n in world["needs"]:
        roles = list(n.roles)
        if draw(st.booleans()):
            amount = Decimal(draw(st.sampled_from(["50", "100.5"])))
            roles.append(
                ResourceRole(resource_kind=ResourceKind.FUNDS, amount=amount, unit="元")
            )
        if draw(st.booleans()):
            unit = draw(st.sampled_from(["小时", ""]))
            roles.append(
                ResourceRole(
                    resource_kind=ResourceKind.VENUE, amount=Decimal(1), unit=unit
                )
            )
        needs.append(n.model_copy(update={"roles": tuple(roles)}))
    actors = []
    for a in world["actors"]:
        if isinstance(a, SocialWorker) and draw(st.booleans()):
            a = a.model_copy(update={"registered_until": AS_OF - timedelta(days=1)})  # noqa: PLW2901
        if isinstance(a, Volunteer) and draw(st.booleans()):
            a = a.model_copy(update={"insured": True})  # noqa: PLW2901
        actors.append(a)
    actors += draw(resources(rids))
    return {**world, **more, "needs": needs, "actors": actors, "as_of": AS_OF}


def _world(kwargs: dict[str, Any], run: Any) -> World:
    data = run.pools.data
    return World(
        recipients=data.recipients,
        communities=data.communities,
        stations=data.stations,
        policy=run.policy,
        as_of=run.as_of,
        declines=list(kwargs.get("declines", ())),
        history=list(kwargs.get("history", ())),
        people=run.people,
        network=kwargs.get("network"),
    )


def assert_rules_agree(kwargs: dict[str, Any]) -> None:
    """Each registered rule, on every (left, actor) pair, equals the oracle's predicate."""
    run = prepare(**kwargs)
    w = _world(kwargs, run)
    for role, lefts in run.table.lefts.items():
        ctx = _context(run, role)
        n_left, n_right = len(lefts), len(ctx.records)
        el = np.repeat(np.arange(n_left, dtype=np.int32), n_right)
        er = np.tile(np.arange(n_right, dtype=np.int32), n_left)
        pairs = [
            Pair(need=run.pools.data.needs[n], role=role, record=rec, actor=x)
            for n, rec in lefts
            for x in ctx.records
        ]
        for rule in HARD_RULES[role]:
            got = rule.check(ctx, el, er)
            got_list = [False] * len(pairs) if got is None else got.tolist()
            want = [PREDICATES[rule.code](w, p) for p in pairs]
            assert got_list == want, f"{role.value}: {rule.code.value}"


def assert_graph_agrees(kwargs: dict[str, Any], graph: CandidateGraph) -> None:
    """Feasible edges with weights and rejected candidates with codes equal the oracle's."""
    run = prepare(**kwargs)
    w = _world(kwargs, run)
    actors = [*run.pools.data.workers, *run.pools.data.volunteers]
    actors += [*run.pools.data.organizations, *run.pools.data.resources]
    pools = {role: pool_of(role, actors) for role in MatchRole}
    pairs = [
        Pair(need=n, role=role, record=rec, actor=x)
        for n in run.pools.data.needs
        for rec in n.roles
        for role in [_role(rec)]
        for x in pools[role]
    ]
    order = {role: [r.code for r in rules] for role, rules in HARD_RULES.items()}
    feasible, rejected = expected_graph(w, pairs, pools, order)
    got_feasible: dict[tuple[str, str, str], int] = {}
    got_rejected = {}
    for cs in graph.sets:
        for e in cs.rows():
            got_feasible[(e.need_id, cs.role.value, e.actor_id)] = e.weight
        for e in cs.rows(rejected=True):
            got_rejected[(e.need_id, cs.role.value, e.actor_id)] = e.reason
    assert got_rejected == rejected
    assert got_feasible == feasible


def _role(record: Any) -> MatchRole:
    if record.role == "resource":
        return MatchRole(record.resource_kind.value)
    return MatchRole(record.role)


def assert_reasons_counted(graph: CandidateGraph) -> None:
    """An open role's counts of rejection codes equal a loop over its rejected candidates."""
    for cs in graph.sets:
        for strategy in ("exact", "greedy"):
            rejected = list(cs.rows(rejected=True))
            for u in _unmatched(cs, _solve_set(cs, strategy)):
                want = Counter(e.reason for e in rejected if e.need_id == u.need_id)
                got = {c: n for c, n in u.counts if c in want}
                assert got == dict(want)


def test_every_registered_rule_has_an_oracle_predicate():
    codes = {r.code for rules in HARD_RULES.values() for r in rules}
    assert codes == set(PREDICATES)


@settings(max_examples=80, deadline=None)
@given(kwargs=rich_worlds())
def test_every_registered_rule_agrees_with_the_oracle_pair_by_pair(kwargs):
    assert_rules_agree(kwargs)


@settings(max_examples=80, deadline=None)
@given(kwargs=rich_worlds())
def test_candidate_graph_equals_the_oracles(kwargs):
    graph = build_candidates(**kwargs)
    assert_graph_agrees(kwargs, graph)
    assert_reasons_counted(graph)


@pytest.mark.parametrize("with_network", [False, True], ids=["alone", "network"])
@pytest.mark.parametrize("name", ["qixinggang", "jinniu"])
def test_candidate_graph_equals_the_oracles_on_examples(name, with_network):
    ds: Dataset = examples.load(name)
    kwargs: dict[str, Any] = {"needs": ds.needs, "actors": ds}
    if with_network:
        kwargs["network"] = StationNetwork.from_dataset(ds)
    assert_rules_agree(kwargs)
    graph = build_candidates(**kwargs)
    assert_graph_agrees(kwargs, graph)
    assert_reasons_counted(graph)
