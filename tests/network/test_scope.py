from __future__ import annotations

import gc
from collections.abc import Iterator
from decimal import Decimal
from types import FunctionType, MethodType, ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.network.strategies import rich_datasets
from tests.strategies import station_records
from wushe import examples
from wushe.codes import division_contains
from wushe.models import (
    Activity,
    Case,
    CaseSession,
    CharitableResource,
    ChildWelfarePost,
    Community,
    Dataset,
    Grid,
    Honour,
    Household,
    Incubation,
    Incubator,
    Need,
    PurchaseContract,
    Recipient,
    Referral,
    Restriction,
    ServiceProject,
    SocialOrganization,
    SocialWorker,
    Spending,
    Station,
    Supervision,
    TimeBank,
    TimeBankEntry,
    Training,
    Volunteer,
    VolunteerTeam,
)
from wushe.network import DatasetScope, StationNetwork
from wushe.vocab import HonourKind, ResourceKind


def expected_jurisdiction(ds: Dataset, station: Station) -> set[str]:
    if station.level.is_geographic:
        return {
            c.community_id
            for c in ds.communities
            if division_contains(station.division_code, c.division_code)
        }
    return set(station.community_ids)


@given(rich_datasets())
def test_scope_never_yields_a_record_outside_the_jurisdiction(ds):
    net = StationNetwork.from_dataset(ds)
    residents = {r.recipient_id: r.community_id for r in ds.recipients}
    for station in ds.stations:
        view = net.scope(station.station_id)
        area = expected_jurisdiction(ds, station)
        below = {station.station_id} | {
            s.station_id
            for s in ds.stations
            if station.station_id in net.ancestors(s.station_id)
        }
        assert view.community_ids == area
        assert view.station_ids == below
        assert all(c.community_id in area for c in view.communities)
        assert all(s.station_id in below for s in view.stations)
        assert all(r.community_id in area for r in view.recipients)
        assert all(residents[n.recipient_id] in area for n in view.needs)
        assert all(
            a.station_id in below or a.community_id in area for a in view.activities
        )
        assert all(w.station_id in below for w in view.workers)
        assert all(v.home_community_id in area for v in view.volunteers)
        assert all(t.community_id in area for t in view.teams)
        assert all(r.community_id in area for r in view.resources)
        operators = {s.operator_id for s in ds.stations if s.station_id in below}
        assert all(
            o.home_community_id in area or o.organization_id in operators
            for o in view.organizations
        )
        # ...and it misses nothing that belongs.
        assert len(view.recipients) == sum(
            r.community_id in area for r in ds.recipients
        )
        assert len(view.activities) == sum(
            a.station_id in below or a.community_id in area for a in ds.activities
        )
        assert len(view.workers) == sum(w.station_id in below for w in ds.workers)


def test_scope_is_read_only():
    from wushe.io import load_dataset  # noqa: PLC0415

    net = StationNetwork.from_dataset(load_dataset(examples.path("qixinggang.json")))
    view = net.scope("qxg-r01")
    with pytest.raises(AttributeError, match="read-only"):
        view.community_ids = frozenset({"qxg-c02"})
    assert "dataset" not in dir(view)
    assert [c.community_id for c in view.communities] == ["qxg-c01"]
    assert "qxg-r01" in repr(view)


# -- nothing reachable from a scope leads outside it ----------------------------------


@st.composite
def crossing_datasets(
    draw: st.DrawFn, base: st.SearchStrategy[Dataset] | None = None
) -> Dataset:
    """Network datasets whose records cross jurisdictions on purpose: activities naming
    residents, workers and volunteers of other streets, needs served in another
    community, resources earmarked for or excluding people who live elsewhere."""
    ds = draw(base if base is not None else rich_datasets())
    people = sorted(r.recipient_id for r in ds.recipients)
    communities = sorted(c.community_id for c in ds.communities)

    def some(ids: list[str]) -> frozenset[str]:
        if not ids:
            return frozenset()
        return frozenset(draw(st.lists(st.sampled_from(ids), max_size=3)))

    workers = sorted(w.worker_id for w in ds.workers)
    volunteers = sorted(v.volunteer_id for v in ds.volunteers)
    activities = tuple(
        a.model_copy(
            update={"worker_ids": some(workers), "volunteer_ids": some(volunteers)}
        )
        for a in ds.activities
    )
    places = st.none() | st.sampled_from(communities)
    needs = tuple(n.model_copy(update={"community_id": draw(places)}) for n in ds.needs)
    resources = []
    for i in range(draw(st.integers(0, 4))):
        named = some(people)
        restriction = Restriction(
            beneficiary_ids=named, excluded_recipient_ids=some(people) - named
        )
        resources.append(
            CharitableResource(
                resource_id=f"res{i}",
                name=f"物资{i}",
                resource_kind=ResourceKind.GOODS,
                total=Decimal(10),
                unit="件",
                community_id=draw(places),
                restriction=restriction if draw(st.booleans()) else None,
            )
        )
    update = {"activities": activities, "needs": needs, "resources": tuple(resources)}
    return ds.model_copy(update=update)


def reachable(root: object) -> Iterator[object]:
    """Every object reachable from ``root``: referents, ``__dict__`` and ``__slots__``
    (private ones too), closures and bound methods' ``__self__``; not classes, modules or
    a function's globals (shared by the whole program, not held by the view)."""
    seen: dict[int, object] = {}
    stack: list[object] = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, type | ModuleType):
            continue
        seen[id(obj)] = obj  # kept alive, so ids are never reused during the walk
        yield obj
        if isinstance(obj, FunctionType):
            children: list[Any] = [
                obj.__closure__,
                obj.__defaults__,
                obj.__kwdefaults__,
            ]
        else:
            children = list(gc.get_referents(obj))
            for cls in type(obj).__mro__:
                for name in getattr(cls, "__slots__", ()):
                    children.append(getattr(obj, name, None))
            children.append(getattr(obj, "__dict__", None))
        stack.extend(c for c in children if c is not None)


def test_the_walk_finds_private_and_hidden_records():
    # The walk itself must see through private slots, closures and bound methods.
    class Hidden:
        __slots__ = ("_secret",)

        def __init__(self, secret: object) -> None:
            self._secret = secret

    def closure(value: object) -> Any:
        return lambda: value

    target = object()
    for holder in (Hidden(target), closure(target), MethodType(len, Hidden([target]))):
        assert any(o is target for o in reachable(holder))


def belongs(ds: Dataset, record: object, below: set[str], area: set[str]) -> bool:
    """Whether a record is one the scope of (below, area) may hold."""
    home = {r.recipient_id: r.community_id for r in ds.recipients}
    operators = {s.operator_id for s in ds.stations if s.station_id in below}
    checks: dict[type, Any] = {
        Recipient: lambda r: r.community_id in area,
        Need: lambda n: home[n.recipient_id] in area,
        Community: lambda c: c.community_id in area,
        Station: lambda s: s.station_id in below,
        Activity: lambda a: a.station_id in below or a.community_id in area,
        SocialWorker: lambda w: w.station_id in below,
        Volunteer: lambda v: v.home_community_id in area,
        VolunteerTeam: lambda t: t.community_id in area,
        CharitableResource: lambda r: r.community_id in area,
        SocialOrganization: lambda o: (
            o.home_community_id in area or o.organization_id in operators
        ),
        ServiceProject: lambda p: (
            bool(set(p.station_ids) & below) or bool(set(p.community_ids) & area)
        ),
        Dataset: lambda _: False,
    }
    check = checks.get(type(record)) or _record_checks(ds, below, area).get(
        type(record)
    )
    return check is None or bool(check(record))


def _record_checks(ds: Dataset, below: set[str], area: set[str]) -> dict[type, Any]:
    """What the station's own records (#12) a scope may hold look like."""
    home = {r.recipient_id: r.community_id for r in ds.recipients}
    posted = {w.worker_id: w.station_id for w in ds.workers}
    lives = {v.volunteer_id: v.home_community_id for v in ds.volunteers}
    projects = {p.project_id: p for p in ds.projects}
    contracts = {c.contract_id: c for c in ds.contracts}
    cases = {c.case_id: c for c in ds.cases}
    incubators = {i.incubator_id: i for i in ds.incubators}
    orgs = {o.organization_id: o for o in ds.organizations}

    def project_in(project_id: str) -> bool:
        return bool(belongs(ds, projects[project_id], below, area))

    def incubator_in(i: Incubator) -> bool:
        return i.station_id in below or i.community_id in area

    return {
        Household: lambda h: (
            h.community_id in area and all(home[m] in area for m in h.member_ids)
        ),
        Case: lambda c: home[c.recipient_id] in area and posted[c.worker_id] in below,
        CaseSession: lambda x: home[cases[x.case_id].recipient_id] in area,
        Referral: lambda r: home[r.recipient_id] in area,
        Supervision: lambda x: (
            x.station_id in below
            or bool(x.station_ids & below)
            or bool(x.community_ids & area)
        ),
        Training: lambda t: (
            t.station_id in below or any(posted[w] in below for w in t.attendee_ids)
        ),
        PurchaseContract: lambda c: project_in(c.project_id),
        Spending: lambda x: project_in(contracts[x.contract_id].project_id),
        Incubator: incubator_in,
        Incubation: lambda i: (
            incubator_in(incubators[i.incubator_id])
            or bool(belongs(ds, orgs[i.organization_id], below, area))
        ),
        ChildWelfarePost: lambda p: posted[p.worker_id] in below,
        Grid: lambda g: g.community_id in area,
        Honour: lambda h: posted[h.worker_id] in below if h.worker_id else True,
        TimeBankEntry: lambda e: lives[e.volunteer_id] in area,
    }


@st.composite
def crossing_records(draw: st.DrawFn) -> Dataset:
    """Crossing datasets with the station's own records (#12) too, plus honours of workers
    and a time bank whose entries name volunteers and recipients of any street."""
    ds = draw(crossing_datasets(station_records()))
    workers = sorted(w.worker_id for w in ds.workers)
    volunteers = sorted(v.volunteer_id for v in ds.volunteers)
    people = sorted(r.recipient_id for r in ds.recipients)
    honours = [
        Honour(honour_id=f"hon{i}", kind=HonourKind.HONOUR, title="优秀社工", worker_id=w)
        for i, w in enumerate(draw(st.lists(st.sampled_from(workers), max_size=3)))
    ] if workers else []  # fmt: skip
    bank = TimeBank(
        time_bank_id="tb", name="时间银行", division_code=ds.division_code[:6]
    )
    entries = [
        TimeBankEntry.model_validate(
            {"entry_id": f"e{i}", "time_bank_id": "tb", "volunteer_id": v,
             "kind": "deposit", "on": "2024-03-01", "hours": "2",
             "for_recipient_id": draw(st.sampled_from(people)) if people else None}
        )
        for i, v in enumerate(draw(st.lists(st.sampled_from(volunteers), max_size=3)))
    ] if volunteers else []  # fmt: skip
    update = {
        "honours": tuple(honours),
        "time_banks": (bank,),
        "time_bank_entries": tuple(entries),
    }
    return ds.model_copy(update=update)


@given(crossing_records())
def test_nothing_reachable_from_a_scope_lies_outside_its_jurisdiction(ds):
    net = StationNetwork.from_dataset(ds)
    for station_id in net.station_ids:
        view = net.scope(station_id)
        below, area = set(view.station_ids), set(view.community_ids)
        outsiders = {
            r.recipient_id for r in ds.recipients if r.community_id not in area
        }
        outsiders |= {
            h.household_id for h in ds.households if h.community_id not in area
        }
        outsiders |= {w.worker_id for w in ds.workers if w.station_id not in below}
        outsiders |= {
            v.volunteer_id for v in ds.volunteers if v.home_community_id not in area
        }
        for obj in reachable(view):
            assert obj is not net, f"{station_id}: the network is reachable"
            assert belongs(ds, obj, below, area), f"{station_id}: {obj!r}"
            if isinstance(obj, str):
                assert obj not in outsiders, f"{station_id}: names outsider {obj!r}"


@given(crossing_datasets())
def test_a_scope_cuts_outsiders_but_keeps_every_answer_about_its_own_residents(ds):
    net = StationNetwork.from_dataset(ds)
    by_id = {a.activity_id: a for a in ds.activities}
    resources = {r.resource_id: r for r in ds.resources}
    for station_id in net.station_ids:
        view = net.scope(station_id)
        residents = {r.recipient_id for r in view.recipients}
        for a in view.activities:
            full = by_id[a.activity_id]
            assert a.recipient_ids == full.recipient_ids & residents
            assert (a.sessions, a.person_times) == (full.sessions, full.person_times)
        kept = {r.resource_id for r in view.resources}
        for r in ds.resources:
            rule = r.restriction
            serves_none = (
                rule is not None
                and bool(rule.beneficiary_ids)
                and not (rule.beneficiary_ids & residents)
            )
            in_area = r.community_id in view.community_ids
            assert (r.resource_id in kept) == (in_area and not serves_none)
        for r in view.resources:
            full_rule, rule = resources[r.resource_id].restriction, r.restriction
            if full_rule is None:
                assert rule is None
                continue
            assert rule is not None
            for p in residents:
                assert (p in rule.beneficiary_ids) == (p in full_rule.beneficiary_ids)
                assert (p in rule.excluded_recipient_ids) == (
                    p in full_rule.excluded_recipient_ids
                )


def test_a_room_scope_of_jinniu_holds_its_own_residents_only():
    from wushe.io import load_dataset  # noqa: PLC0415

    ds = load_dataset(examples.path("jinniu.json"))
    net = StationNetwork.from_dataset(ds)
    view = net.scope("jn-r011")
    area = view.community_ids
    expected = sum(r.community_id in area for r in ds.recipients)
    assert len(view.recipients) == expected < len(ds.recipients)
    held = [o for o in reachable(view) if isinstance(o, Recipient)]
    assert {id(r) for r in held} == {id(r) for r in view.recipients}
    assert not any(isinstance(o, Dataset) for o in reachable(view))


def test_a_scope_cannot_be_built_with_unknown_collections():
    with pytest.raises(TypeError, match="unknown scope collection"):
        DatasetScope(
            station_id="s",
            station_ids=frozenset(),
            community_ids=frozenset(),
            dataset=(),
        )
