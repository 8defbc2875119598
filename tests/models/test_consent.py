"""Consent records, lawful bases and the one rule that reads them (PIPL Arts. 13–15, 31)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.strategies import AS_OF, ENGINE_PURPOSES, consent_records, resident_id
from wushe.codes import age_on
from wushe.models import (
    BASIS_COVERS,
    Consent,
    Recipient,
    Volunteer,
    basis_for,
    has_basis,
    minors_without_guardian_consent,
)
from wushe.vocab import ConsentPurpose, LawfulBasis

VOLUNTEERS = ConsentPurpose.SHARE_WITH_VOLUNTEERS
CHILD_BORN = date(2016, 5, 1)
ELDER_BORN = date(1941, 3, 15)


def person(born: date, consents: list[dict[str, Any]], **more: Any) -> Recipient:
    groups = ["留守儿童"] if age_on(born, AS_OF) < 16 else []
    return Recipient.model_validate(
        {
            "recipient_id": "p1",
            "name": "韩思琪",
            "community_id": "c1",
            "target_groups": groups,
            "id_number": resident_id("500103", born, 48),
            "assessed_on": AS_OF,
            "consents": consents,
            **more,
        }
    )


def statutory(purpose: str = "casework", **more: Any) -> dict[str, Any]:
    return {
        "purpose": purpose,
        "basis": "statutory_duty",
        "valid_from": AS_OF - timedelta(days=100),
        "reference": "《社会救助暂行办法》",
        **more,
    }


def test_purposes_and_bases_parse_from_their_chinese_labels():
    assert ConsentPurpose("向志愿者提供") is VOLUNTEERS
    assert LawfulBasis("法定职责") is LawfulBasis.STATUTORY_DUTY
    assert LawfulBasis("监护人同意") is LawfulBasis.GUARDIAN_CONSENT


def test_withdrawal_takes_effect_on_its_date_and_not_a_day_earlier():
    day = date(2024, 6, 1)
    c = Consent(purpose=VOLUNTEERS, valid_from=date(2024, 1, 1), withdrawn_on=day)
    assert c.is_valid_on(day - timedelta(days=1))
    assert not c.is_valid_on(day)
    assert not c.is_valid_on(day + timedelta(days=365))
    assert not c.is_valid_on(date(2023, 12, 31))  # nor before it was given


def test_consent_withdrawn_before_it_was_given_is_rejected():
    with pytest.raises(ValidationError, match="withdrawn_on is before valid_from"):
        Consent(
            purpose=VOLUNTEERS,
            valid_from=date(2024, 2, 1),
            withdrawn_on=date(2024, 1, 1),
        )


def test_consent_withdrawn_the_day_it_was_given_never_counts():
    day = date(2024, 2, 1)
    c = Consent(purpose=VOLUNTEERS, valid_from=day, withdrawn_on=day)
    assert not c.is_valid_on(day)


def test_a_statutory_duty_cannot_be_withdrawn_only_end():
    with pytest.raises(ValidationError, match="only a consent can be withdrawn"):
        Consent.model_validate(statutory(withdrawn_on=AS_OF))
    ended = Consent.model_validate(statutory(expires_on=AS_OF))
    assert not ended.is_valid_on(AS_OF)
    assert ended.is_valid_on(AS_OF - timedelta(days=1))


@pytest.mark.parametrize(
    "purpose",
    [p for p in ConsentPurpose if p not in BASIS_COVERS[LawfulBasis.STATUTORY_DUTY]],
)
def test_a_statutory_duty_never_covers_sharing_publicity_or_research(purpose):
    with pytest.raises(ValidationError, match="does not cover purpose"):
        Consent.model_validate(statutory(purpose.value))


def test_a_statutory_basis_names_its_statute():
    with pytest.raises(ValidationError, match="needs reference"):
        Consent.model_validate({**statutory(), "reference": ""})


def test_a_guardians_consent_says_who_gave_it():
    with pytest.raises(ValidationError, match="needs given_by"):
        Consent(
            purpose=VOLUNTEERS, basis=LawfulBasis.GUARDIAN_CONSENT, valid_from=AS_OF
        )


def test_an_emergency_basis_must_end_and_never_covers_publicity():
    with pytest.raises(ValidationError, match="needs expires_on"):
        Consent(purpose=VOLUNTEERS, basis=LawfulBasis.VITAL_INTERESTS, valid_from=AS_OF)
    with pytest.raises(ValidationError, match="does not cover purpose"):
        Consent(
            purpose=ConsentPurpose.PUBLICITY,
            basis=LawfulBasis.VITAL_INTERESTS,
            valid_from=AS_OF,
            expires_on=AS_OF + timedelta(days=3),
        )


def test_a_child_under_14_cannot_consent_for_themself():
    own = {"purpose": "share_with_volunteers", "valid_from": AS_OF}
    with pytest.raises(ValidationError, match="cannot consent for themself"):
        person(CHILD_BORN, [own, statutory()])


def test_a_child_with_no_lawful_basis_on_record_is_rejected():
    with pytest.raises(ValidationError, match="child under 14 needs a lawful basis"):
        person(CHILD_BORN, [])


def test_a_child_helped_in_an_emergency_loads_but_is_flagged():
    emergency = {
        "purpose": "care_visit",
        "basis": "vital_interests",
        "valid_from": AS_OF,
        "expires_on": AS_OF + timedelta(days=7),
    }
    child = person(CHILD_BORN, [emergency])
    assert has_basis(child, ConsentPurpose.CARE_VISIT, AS_OF)
    assert not has_basis(child, ConsentPurpose.CARE_VISIT, AS_OF + timedelta(days=7))
    assert minors_without_guardian_consent([child], AS_OF) == ("p1",)


def test_a_child_on_a_statutory_roster_loads_but_may_not_go_to_volunteers():
    child = person(CHILD_BORN, [statutory("casework"), statutory("care_visit")])
    assert has_basis(child, ConsentPurpose.CASEWORK, AS_OF)
    assert not has_basis(child, VOLUNTEERS, AS_OF)
    assert minors_without_guardian_consent([child], AS_OF) == ("p1",)


def test_a_guardians_consent_lets_a_child_go_to_volunteers():
    guardian = {
        "purpose": "share_with_volunteers",
        "basis": "guardian_consent",
        "valid_from": AS_OF,
        "given_by": "监护人（祖母）",
    }
    child = person(CHILD_BORN, [statutory(), guardian])
    found = basis_for(child, VOLUNTEERS, AS_OF)
    assert found is not None
    assert found.basis is LawfulBasis.GUARDIAN_CONSENT
    assert minors_without_guardian_consent([child], AS_OF) == ()


def test_a_withdrawn_guardian_consent_leaves_the_child_flagged():
    guardian = {
        "purpose": "share_with_volunteers",
        "basis": "guardian_consent",
        "valid_from": AS_OF - timedelta(days=30),
        "withdrawn_on": AS_OF,
        "given_by": "监护人",
    }
    child = person(CHILD_BORN, [guardian])
    assert not has_basis(child, VOLUNTEERS, AS_OF)
    assert minors_without_guardian_consent([child], AS_OF) == ("p1",)


def test_consent_for_one_purpose_does_not_cover_another():
    elder = person(ELDER_BORN, [{"purpose": "casework", "valid_from": AS_OF}])
    assert has_basis(elder, ConsentPurpose.CASEWORK, AS_OF)
    for purpose in ConsentPurpose:
        if purpose is not ConsentPurpose.CASEWORK:
            assert not has_basis(elder, purpose, AS_OF)


def _oracle(records: list[dict[str, Any]], born: date, purpose: Any, day: date) -> bool:
    """The rule, read straight from the law's wording, one record at a time."""
    for r in records:
        if r["purpose"] != purpose.value or r["valid_from"] > day:
            continue
        ends = [r[k] for k in ("withdrawn_on", "expires_on") if k in r]
        if any(day >= end for end in ends):
            continue
        if r["basis"] == "consent" and age_on(born, day) < 14:
            continue
        return True
    return False


@given(
    data=st.data(),
    born=st.sampled_from([CHILD_BORN, date(2010, 7, 1), ELDER_BORN]),
)
def test_has_basis_agrees_with_the_rule_on_every_day(data, born):
    records = data.draw(consent_records(born))
    # Ask about a purpose on record, on a day where the answer flips or the day before.
    named = [ConsentPurpose(r["purpose"]) for r in records]
    purpose = data.draw(st.sampled_from(named or list(ENGINE_PURPOSES)))
    edges = [
        r[k] - timedelta(days=back)
        for r in records
        for k in ("valid_from", "withdrawn_on", "expires_on")
        if k in r
        for back in (0, 1)
    ]
    anywhere = st.integers(-40, 80).map(lambda d: AS_OF + timedelta(days=d))
    day = data.draw(st.sampled_from(edges) if edges else anywhere)
    recipient = person(born, records)
    assert has_basis(recipient, purpose, day) == _oracle(records, born, purpose, day)


def test_a_minor_volunteer_needs_a_guardians_consent_to_volunteering():
    young = {
        "volunteer_id": "v1",
        "name": "孙雨",
        "birth_date": date.today().replace(year=date.today().year - 15),
    }
    guardian = {"basis": "guardian_consent", "valid_from": AS_OF, "given_by": "母亲"}
    with pytest.raises(ValidationError, match="purpose volunteering"):
        Volunteer.model_validate(
            {**young, "guardian_consent": {**guardian, "purpose": "casework"}}
        )
    ok = Volunteer.model_validate(
        {**young, "guardian_consent": {**guardian, "purpose": "参与志愿服务"}}
    )
    assert ok.guardian_consent is not None
