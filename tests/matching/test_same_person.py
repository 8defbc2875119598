"""A person never serves themself: person links in matching, and opening a case."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.matching.strategies import worlds
from tests.models.test_station_records import world
from wushe.exceptions import MatchingError
from wushe.io import explain_plan
from wushe.matching import (
    MatchRole,
    ReasonCode,
    build_candidates,
    match,
    open_case,
)
from wushe.models import Dataset, Need, PersonLink
from wushe.network import StationNetwork
from wushe.vocab import ActorKind, CasePhase


@st.composite
def linked_worlds(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[PersonLink, ...]]:
    w = draw(worlds(resources=False, windows=False))
    recipients = [r.recipient_id for r in w["recipients"]]
    volunteers = [a.volunteer_id for a in w["actors"] if a.kind == "volunteer"]
    workers = [a.worker_id for a in w["actors"] if a.kind == "social_worker"]
    links = []
    roles = [("volunteer_ids", v) for v in volunteers] + [
        ("worker_ids", x) for x in workers
    ]
    for i, recipient in enumerate(recipients):
        if not roles or not draw(st.booleans()):
            continue
        field, actor = roles.pop(draw(st.integers(0, len(roles) - 1)))
        links.append(
            PersonLink.model_validate(
                {"person_id": f"x{i}", "recipient_ids": [recipient], field: [actor]}
            )
        )
    return w, tuple(links)


def _self_pairs(links: tuple[PersonLink, ...]) -> set[tuple[str, str]]:
    return {
        (r, a)
        for link in links
        for r in link.recipient_ids
        for a in (*link.volunteer_ids, *link.worker_ids)
    }


@given(linked_worlds())
def test_no_plan_pairs_a_recipient_with_their_own_other_role(case):
    w, links = case
    plan = match(**w, people=links, as_of=date(2024, 6, 30))
    owner = {n.need_id: n.recipient_id for n in w["needs"]}
    forbidden = _self_pairs(links)
    for a in plan.assignments:
        assert (owner[a.need_id], a.actor_id) not in forbidden


@given(linked_worlds())
def test_every_self_pair_in_the_index_is_rejected_as_same_person(case):
    w, links = case
    graph = build_candidates(**w, people=links, as_of=date(2024, 6, 30))
    owner = {n.need_id: n.recipient_id for n in w["needs"]}
    forbidden = _self_pairs(links)
    for cs in graph.sets:
        for edge in cs.rows():
            assert (owner[edge.need_id], edge.actor_id) not in forbidden
        for edge in cs.rows(rejected=True):
            pair = (owner[edge.need_id], edge.actor_id)
            assert (pair in forbidden) == (edge.reason is ReasonCode.SAME_PERSON)


def need_for(recipient: str, role: dict[str, Any]) -> dict[str, Any]:
    return {
        "need_id": "n9",
        "recipient_id": recipient,
        "category": "elderly_care",
        "roles": [role],
        "raised_on": "2024-03-01",
    }


def volunteering_recipient(linked: bool) -> Dataset:
    data = world(
        needs=[need_for("p1", {"role": "volunteers"})],
        person_links=(
            [{"person_id": "x", "recipient_ids": ["p1"], "volunteer_ids": ["v1"]}]
            if linked
            else []
        ),
    )
    data["volunteers"][0].update(home_community_id="c1", skills=["elderly_care"])
    return Dataset.model_validate(data)


def test_a_recipient_who_volunteers_is_not_sent_to_themself():
    unlinked = volunteering_recipient(linked=False)
    plan = match([n for n in unlinked.needs if n.need_id == "n9"], unlinked)
    assert [a.actor_id for a in plan.assignments] == ["v1"]

    linked = volunteering_recipient(linked=True)
    plan = match([n for n in linked.needs if n.need_id == "n9"], linked)
    assert plan.assignments == ()
    (open_role,) = plan.unmatched
    assert open_role.role is MatchRole.VOLUNTEER
    assert ReasonCode.SAME_PERSON in open_role.reasons
    assert "本人" in explain_plan(plan, "n9")


def test_links_come_from_the_networks_dataset_when_actors_are_a_list():
    ds = volunteering_recipient(linked=True)
    needs = [n for n in ds.needs if n.need_id == "n9"]
    plan = match(
        needs,
        list(ds.volunteers),
        recipients=ds.recipients,
        communities=ds.communities,
        network=StationNetwork.from_dataset(ds),
    )
    assert plan.assignments == ()


# --- opening a case ---------------------------------------------------------------------


def worker_world() -> Dataset:
    data = world(needs=[need_for("p1", {"role": "lead_social_worker"})])
    data["workers"][0].update(skills=["elderly_care"], caseload=3)
    return Dataset.model_validate(data)


def test_a_matched_lead_worker_opens_a_case_at_the_needs_station():
    ds = worker_world()
    need = next(n for n in ds.needs if n.need_id == "n9")
    plan = match([need], ds, network=StationNetwork.from_dataset(ds))
    case = open_case(plan, need, case_id="k9", opened_on=date(2024, 3, 2))
    assert (case.worker_id, case.recipient_id, case.station_id) == ("w1", "p1", "r1")
    assert case.phase is CasePhase.INTAKE
    assert case.need_id == "n9"
    Dataset.model_validate(
        {
            **ds.model_dump(mode="json", context={"reveal_sensitive": True}),
            "cases": [case.model_dump(mode="json")],
        }
    )


def test_opening_a_case_needs_a_lead_worker_assignment():
    ds = worker_world()
    need = next(n for n in ds.needs if n.need_id == "n9")
    plan = match([need], ds, network=StationNetwork.from_dataset(ds))
    (lead,) = plan.assignments
    case = open_case(
        lead, need, case_id="k", opened_on=date(2024, 3, 2), station_id="ts"
    )
    assert case.station_id == "ts"
    other = Need.model_validate(
        need_for("p2", {"role": "lead_social_worker"}) | {"need_id": "n8"}
    )
    with pytest.raises(MatchingError, match="lead-worker assignment"):
        open_case(lead, other, case_id="k", opened_on=date(2024, 3, 2), station_id="ts")
    with pytest.raises(MatchingError, match="no station"):
        open_case(lead, need, case_id="k", opened_on=date(2024, 3, 2))
    empty = match(
        [need],
        list(ds.volunteers),
        recipients=ds.recipients,
        communities=ds.communities,
    )
    with pytest.raises(MatchingError, match="no lead social worker"):
        open_case(empty, need, case_id="k", opened_on=date(2024, 3, 2))


def test_a_volunteer_link_does_not_block_workers():
    ds = worker_world()
    links = (
        PersonLink(
            person_id="x",
            recipient_ids=frozenset({"p1"}),
            volunteer_ids=frozenset({"v1"}),
        ),
    )
    need = next(n for n in ds.needs if n.need_id == "n9")
    plan = match([need], ds, people=links)
    assert [a.actor_kind for a in plan.assignments] == [ActorKind.SOCIAL_WORKER]
