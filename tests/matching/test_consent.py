"""The consent gate: no actor receives a recipient whose data they may not have (#10)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.matching.strategies import AS_OF, CATEGORIES, COMMUNITIES, worlds
from tests.strategies import ENGINE_PURPOSES, holds_personal_data
from wushe import examples
from wushe.exceptions import MatchingError
from wushe.io import explain_plan, plan_to_dict
from wushe.matching import (
    DEFAULT_PURPOSES,
    HANDOVER_FIELDS,
    MatchPlan,
    MatchPolicy,
    MatchRole,
    ReasonCode,
    build_candidates,
    match,
    plan_handovers,
    referral_for,
    solve_candidates,
)
from wushe.models import Need, Recipient, Volunteer, has_basis
from wushe.vocab import ConsentPurpose, ServiceCategory

GATE = ReasonCode.NO_LAWFUL_BASIS
WITH_REFERRALS = (*CATEGORIES, ServiceCategory.HEALTH, ServiceCategory.LEGAL_AID)
NOT_CONSENTED = frozenset(ConsentPurpose) - frozenset(ENGINE_PURPOSES)


@st.composite
def policies(draw: st.DrawFn) -> MatchPolicy:
    """Any strategy, priority and linkage mode, with some roles remapped or un-gated."""
    remap = draw(
        st.dictionaries(
            st.sampled_from(list(MatchRole)),
            st.none() | st.sampled_from(list(ConsentPurpose)),
            max_size=3,
        )
    )
    return MatchPolicy.model_validate(
        {
            "strategy": draw(st.sampled_from(["exact", "greedy", "stable"])),
            "priority_mode": draw(st.sampled_from(["lexicographic", "weighted"])),
            "linkage": draw(st.sampled_from(["independent", "resources", "all_roles"])),
            "purposes": {role.value: p for role, p in remap.items()},
        }
    )


def _role_of(raw: Any) -> MatchRole:
    return MatchRole(raw.resource_kind.value if raw.role == "resource" else raw.role)


def assert_gate_holds(world: dict[str, Any], policy: MatchPolicy, plan: MatchPlan):
    recipients = {r.recipient_id: r for r in world["recipients"]}
    needs = {n.need_id: n for n in world["needs"]}

    def lawful(need_id: str, role: MatchRole) -> bool:
        purpose = policy.purposes[role]
        person = recipients[needs[need_id].recipient_id]
        return purpose is None or has_basis(person, purpose, plan.as_of)

    for a in plan.assignments:
        assert lawful(a.need_id, a.role), f"{a.actor_id} got {a.need_id} unlawfully"
    open_roles = {(u.need_id, u.role): u for u in plan.unmatched}
    for need in world["needs"]:
        for raw in need.roles:
            role = _role_of(raw)
            u = open_roles.get((need.need_id, role))
            if lawful(need.need_id, role):
                assert u is None or GATE not in u.reasons
                continue
            assert u is not None, f"{need.need_id}/{role.value} is not open"
            assert GATE in u.reasons
            assert u.purpose is policy.purposes[role]
            assert u.missing == getattr(raw, "count", 1)
    for u in plan.unmatched:
        person = recipients[needs[u.need_id].recipient_id]
        may_refer = has_basis(person, ConsentPurpose.REFERRAL, plan.as_of)
        department = referral_for(needs[u.need_id].category)
        assert u.referral == (department if may_refer else None)
        assert u.referral_withheld == (None if may_refer else department)


@settings(max_examples=80)
@given(
    world=worlds(
        max_needs=6, max_actors=4, random_consents=True, categories=WITH_REFERRALS
    ),
    policy=policies(),
)
def test_no_plan_gives_a_role_to_an_actor_without_a_lawful_basis(world, policy):
    plan = match(**world, policy=policy, as_of=AS_OF)
    assert_gate_holds(world, policy, plan)
    # The two-phase path for power users passes the same gate.
    graph = build_candidates(**world, policy=policy, as_of=AS_OF)
    assert solve_candidates(graph) == plan
    for cs in graph.sets:
        gated = set(cs.left_gated.nonzero()[0].tolist())
        assert not gated & set(cs.edge_left.tolist())


@settings(max_examples=30)
@given(world=worlds(max_needs=5, max_actors=3), policy=policies())
def test_full_consent_leaves_the_gate_silent(world, policy):
    plan = match(**world, policy=policy, as_of=AS_OF)
    assert_gate_holds(world, policy, plan)
    # Every purpose the engines use is consented to, but a role remapped to publicity or
    # research is not; only those may be gated.
    for u in plan.unmatched:
        if GATE in u.reasons:
            assert u.purpose in NOT_CONSENTED


# ----------------------------------------------------------------------------------
# Rule-named examples

ELDER_BORN = date(1940, 1, 1)
NEED = Need.model_validate(
    {
        "need_id": "n1",
        "recipient_id": "p1",
        "category": "elderly_care",
        "roles": [{"role": "lead_social_worker"}, {"role": "volunteers", "count": 2}],
        "raised_on": AS_OF,
    }
)
VOLUNTEERS = [
    Volunteer.model_validate(
        {
            "volunteer_id": f"v{i}",
            "name": "陈静",
            "birth_date": "1985-01-01",
            "home_community_id": "c11",
            "skills": ["elderly_care"],
        }
    )
    for i in (1, 2)
]


def _elder(consents: list[dict[str, Any]]) -> Recipient:
    from tests.strategies import resident_id  # noqa: PLC0415

    return Recipient.model_validate(
        {
            "recipient_id": "p1",
            "name": "王小明",
            "community_id": "c11",
            "target_groups": ["elder_living_alone"],
            "id_number": resident_id("420116", ELDER_BORN, 1),
            "assessed_on": AS_OF,
            "consents": consents,
        }
    )


def _match(person: Recipient, **more: Any) -> MatchPlan:
    return match(
        [NEED],
        VOLUNTEERS,
        recipients=[person],
        communities=COMMUNITIES,
        as_of=AS_OF,
        **more,
    )


def _volunteer_consent(**more: Any) -> dict[str, Any]:
    return {
        "purpose": "share_with_volunteers",
        "valid_from": AS_OF - timedelta(days=90),
        **more,
    }


def test_a_consent_withdrawn_on_the_matching_date_gates_the_volunteers():
    plan = _match(_elder([_volunteer_consent(withdrawn_on=AS_OF)]))
    assert plan.assignments == ()
    by_role = {u.role: u for u in plan.unmatched}
    volunteers = by_role[MatchRole.VOLUNTEER]
    assert volunteers.reasons == (GATE,)
    assert volunteers.counts == ((GATE, 2),)  # both candidates were held back
    assert volunteers.missing == 2
    assert volunteers.purpose is ConsentPurpose.SHARE_WITH_VOLUNTEERS
    # No casework consent either: the worker role is gated too, even with no worker.
    assert by_role[MatchRole.LEAD_SOCIAL_WORKER].reasons == (GATE,)


def test_a_consent_withdrawn_the_day_after_still_counts():
    plan = _match(_elder([_volunteer_consent(withdrawn_on=AS_OF + timedelta(days=1))]))
    assert sorted(a.actor_id for a in plan.assignments) == ["v1", "v2"]


def test_a_recipient_with_no_consent_at_all_is_never_matched_with_a_volunteer():
    plan = _match(_elder([]))
    assert plan.assignments == ()
    assert all(GATE in u.reasons for u in plan.unmatched)


def test_the_open_role_is_explained_in_both_languages():
    plan = _match(_elder([]))
    assert "未取得向志愿者提供的同意或其他合法性基础" in explain_plan(
        plan, "n1", lang="zh"
    )
    assert "no consent or other lawful basis for share with volunteers" in explain_plan(
        plan, "n1", lang="en"
    )
    (row,) = [u for u in plan_to_dict(plan)["unmatched"] if u["role"] == "volunteers"]
    assert row["reasons"] == ["no_lawful_basis"]
    assert row["purpose"] == "share_with_volunteers"


def test_a_policy_can_lift_the_gate_for_a_role_and_keeps_the_other_defaults():
    policy = MatchPolicy.model_validate({"purposes": {"volunteers": None}})
    assert policy.purposes[MatchRole.LEAD_SOCIAL_WORKER] is ConsentPurpose.CASEWORK
    assert policy.purposes == {**DEFAULT_PURPOSES, MatchRole.VOLUNTEER: None}
    plan = _match(_elder([]), policy=policy)
    assert sorted(a.actor_id for a in plan.assignments) == ["v1", "v2"]


def test_statutory_duty_does_not_carry_casework_over_to_volunteers():
    statutory = {
        "basis": "statutory_duty",
        "valid_from": AS_OF - timedelta(days=90),
        "reference": "《社会救助暂行办法》",
    }
    person = _elder([{**statutory, "purpose": p} for p in ("casework", "referral")])
    plan = _match(person)
    (volunteers,) = [u for u in plan.unmatched if u.role is MatchRole.VOLUNTEER]
    assert volunteers.reasons == (GATE,)


def test_a_referral_is_suggested_only_with_a_basis_for_it():
    legal = Need.model_validate(
        {
            **NEED.model_dump(),
            "category": "legal_aid",
            "roles": [{"role": "volunteers"}],
        }
    )
    plain = _elder([])
    plan = match([legal], [], recipients=[plain], communities=COMMUNITIES, as_of=AS_OF)
    (u,) = plan.unmatched
    assert u.referral is None
    assert u.referral_withheld is not None
    assert "须先取得转介同意" in explain_plan(plan, "n1")
    consented = _elder([{"purpose": "referral", "valid_from": AS_OF}])
    plan = match(
        [legal], [], recipients=[consented], communities=COMMUNITIES, as_of=AS_OF
    )
    (u,) = plan.unmatched
    assert u.referral is not None
    assert u.referral_withheld is None


# ----------------------------------------------------------------------------------
# Minimum necessary: handovers, and plans that hold ids only


def test_a_volunteer_is_handed_contact_details_and_nothing_else():
    ds = examples.load("qixinggang")
    plan = match(ds.needs, ds)
    handovers = plan_handovers(plan, ds.needs, ds.recipients)
    assert len(handovers) == len(plan.assignments)
    personal = [
        *("name", "phone", "address", "age", "target_groups", "disability"),
        *("health_notes", "description"),
    ]
    for h in handovers:
        assert h.purpose is not None
        allowed = HANDOVER_FIELDS[h.purpose]
        for field in personal:
            if field not in allowed:
                assert getattr(h, field) is None, (h.role, field)
    volunteer = next(h for h in handovers if h.role is MatchRole.VOLUNTEER)
    assert volunteer.name is not None
    assert volunteer.target_groups is None
    assert volunteer.age is None
    assert "钱" not in repr(volunteer)


def test_no_handover_for_a_purpose_whose_consent_was_withdrawn():
    ds = examples.load("qixinggang")
    plan = match(ds.needs, ds)  # as of 2022-03-23
    publicity = MatchPolicy.model_validate({"purposes": {"volunteers": "publicity"}})
    # qxg-p01 withdrew consent to publicity on 2022-03-15.
    with pytest.raises(MatchingError, match="no lawful basis for publicity"):
        plan_handovers(plan, ds.needs, ds.recipients, policy=publicity)


def test_a_resource_provider_learns_no_personal_field():
    assert HANDOVER_FIELDS[ConsentPurpose.SHARE_WITH_RESOURCE_PROVIDERS] == frozenset()


@settings(max_examples=30)
@given(world=worlds(max_needs=5, max_actors=3, random_consents=True))
def test_a_plan_holds_ids_never_personal_data(world):
    plan = match(**world, as_of=AS_OF)
    assert not holds_personal_data(plan, set())


def test_a_role_without_a_gate_hands_over_ids_only():
    ds = examples.load("qixinggang")
    open_volunteers = MatchPolicy.model_validate({"purposes": {"volunteers": None}})
    plan = match(ds.needs, ds, policy=open_volunteers)
    handed = plan_handovers(plan, ds.needs, ds.recipients, policy=open_volunteers)
    volunteers = [h for h in handed if h.role is MatchRole.VOLUNTEER]
    assert volunteers
    for h in volunteers:
        assert (h.purpose, h.basis, h.name, h.phone, h.address) == (None,) * 5
        assert h.recipient_id.startswith("qxg-p")


def test_the_personal_data_walk_finds_what_it_looks_for():
    ds = examples.load("qixinggang")
    plan = match(ds.needs, ds)
    hidden = attrs.evolve(plan.assignments[0], need_id=ds.recipients[0].name)  # type: ignore[arg-type]
    assert holds_personal_data((1, {"k": [hidden]}), set())
    assert holds_personal_data(plan_handovers(plan, ds.needs, ds.recipients), set())
    assert not holds_personal_data(plan, set())


def test_a_role_held_for_the_whole_team_still_withholds_a_referral_without_basis():
    legal = Need.model_validate(
        {**NEED.model_dump(), "category": "legal_aid"}  # lead worker + two volunteers
    )
    helpers = [
        v.model_copy(update={"skills": frozenset({"legal_aid"})}) for v in VOLUNTEERS
    ]
    person = _elder(
        [
            _volunteer_consent(),
            {"purpose": "casework", "valid_from": AS_OF - timedelta(days=90)},
        ]
    )
    team = MatchPolicy.model_validate({"linkage": "all_roles"})
    plan = match(
        [legal],
        helpers,
        recipients=[person],
        communities=COMMUNITIES,
        as_of=AS_OF,
        policy=team,
    )
    assert plan.assignments == ()
    held = [u for u in plan.unmatched if ReasonCode.TEAM_INCOMPLETE in u.reasons]
    assert held
    for u in plan.unmatched:
        assert u.referral is None
        assert u.referral_withheld is not None
