from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from pydantic import BaseModel, ValidationError

from tests.strategies import AS_OF, datasets, resident_id
from wushe.codes import credit_code_check_character
from wushe.models import (
    CharitableResource,
    Community,
    Need,
    Recipient,
    SocialOrganization,
    SocialWorker,
    Station,
    TimeWindow,
    Volunteer,
)
from wushe.privacy import REVEAL
from wushe.vocab import Gender, OrganizationType, ResourceKind, TargetGroup


def recipient(**overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "recipient_id": "p1",
        "name": "钱桂芳",
        "community_id": "c1",
        "assessed_on": AS_OF,
    }
    record.update(overrides)
    return record


@given(datasets())
def test_every_model_round_trips_through_json(ds):
    for collection in (
        "communities",
        "organizations",
        "workers",
        "volunteers",
        "recipients",
        "needs",
        "stations",
        "projects",
        "activities",
    ):
        for record in getattr(ds, collection):
            model: type[BaseModel] = type(record)
            again = model.model_validate_json(record.model_dump_json(context=REVEAL))
            assert again == record


def test_models_are_frozen_and_reject_unknown_fields():
    community = Community(
        community_id="c1", name="兴隆街社区", division_code="500103001001"
    )
    with pytest.raises(ValidationError):
        community.name = "x"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="extra"):
        Community.model_validate(
            {
                "community_id": "c1",
                "name": "x",
                "division_code": "500103001001",
                "size": 3,
            }
        )


def test_recipient_derives_birth_date_and_gender_from_the_id_number():
    value = resident_id("500103", date(1941, 3, 15), 21)
    person = Recipient.model_validate(
        recipient(id_number=value, target_groups=["独居老人", "高龄老人"])
    )
    assert person.birth_date == date(1941, 3, 15)
    assert person.gender is Gender.MALE
    assert person.target_groups == {
        TargetGroup.ELDER_LIVING_ALONE,
        TargetGroup.ADVANCED_AGE_ELDER,
    }


def test_birth_date_must_agree_with_the_id_number():
    value = resident_id("500103", date(1941, 3, 15), 21)
    with pytest.raises(ValidationError, match="birth_date does not agree"):
        Recipient.model_validate(
            recipient(id_number=value, birth_date=date(1941, 3, 16))
        )


@pytest.mark.parametrize(
    ("groups", "born", "reason"),
    [
        (["留守儿童"], date(2007, 1, 1), "under 16"),
        (["孤儿"], date(2005, 1, 1), "under 18"),
        (["高龄老人"], date(1950, 1, 1), "80 or over"),
        (["独居老人"], date(1980, 1, 1), "60 or over"),
        (["孤儿", "事实无人抚养儿童"], date(2012, 1, 1), "exclude each other"),
        (["低保", "低保边缘"], date(1970, 1, 1), "exclude each other"),
        (["散居孤儿"], date(2005, 1, 1), "under 18"),
        (
            ["分散供养特困人员", "集中供养特困人员"],
            date(1950, 1, 1),
            "exclude each other",
        ),
        (["散居孤儿", "机构养育孤儿"], date(2012, 1, 1), "exclude each other"),
        (["散居孤儿", "事实无人抚养儿童"], date(2012, 1, 1), "exclude each other"),
        (["患危及生命病症老年人"], date(1980, 1, 1), "60 or over"),
    ],
)
def test_target_groups_must_fit_age_and_exclusions(groups, born, reason):
    with pytest.raises(ValidationError, match=reason):
        Recipient.model_validate(recipient(target_groups=groups, birth_date=born))


def test_child_under_14_needs_a_guardian_consent_or_a_statutory_basis():
    child = recipient(target_groups=["留守儿童"], birth_date=date(2015, 5, 1))
    with pytest.raises(ValidationError, match="child under 14 needs a lawful basis"):
        Recipient.model_validate(child)
    consent = {
        "basis": "监护人同意",
        "purpose": "社工服务",
        "valid_from": AS_OF,
        "given_by": "监护人",
    }
    assert (
        Recipient.model_validate({**child, "consents": [consent]})
        .consents[0]
        .valid_from
        == AS_OF
    )


def test_volunteer_under_18_needs_guardian_consent():
    with pytest.raises(ValidationError, match="guardian_consent"):
        Volunteer.model_validate(
            {
                "volunteer_id": "v1",
                "name": "孙雨",
                "birth_date": date.today().replace(year=date.today().year - 15),
            }
        )


def test_need_roles_are_a_discriminated_union_and_not_repeated():
    need = Need.model_validate(
        {
            "need_id": "n1",
            "recipient_id": "p1",
            "category": "养老服务",
            "raised_on": AS_OF,
            "roles": [
                {"role": "lead_social_worker", "min_qualification": "社会工作师"},
                {"role": "volunteers", "count": 2},
                {"role": "resource", "resource_kind": "物资", "amount": "20"},
            ],
        }
    )
    assert need.roles[2].amount == Decimal(20)  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="twice"):
        Need.model_validate(
            {
                **need.model_dump(),
                "roles": [{"role": "volunteers"}, {"role": "volunteers"}],
            }
        )
    with pytest.raises(ValidationError, match="roles"):
        Need.model_validate({**need.model_dump(), "roles": []})


def test_resource_balance_cannot_exceed_total():
    with pytest.raises(ValidationError, match="remaining cannot exceed total"):
        CharitableResource(
            resource_id="r1",
            name="善款",
            resource_kind=ResourceKind.FUNDS,
            total=Decimal(100),
            remaining=Decimal(101),
        )


def test_time_window_end_after_start():
    with pytest.raises(ValidationError, match="end must be later"):
        TimeWindow(start=datetime(2024, 1, 1, 10), end=datetime(2024, 1, 1, 9))


@pytest.mark.parametrize(
    ("level", "code", "reason"),
    [
        ("township", "510106", "division code"),
        ("village", "510106001", "division code"),
        ("school", "510106001", "parent"),
    ],
)
def test_station_level_must_fit_its_division_code(level, code, reason):
    with pytest.raises(ValidationError, match=reason):
        Station.model_validate(
            {"station_id": "s", "name": "站", "level": level, "division_code": code}
        )


def test_planned_station_needs_a_year():
    with pytest.raises(ValidationError, match="planned_year"):
        Station.model_validate(
            {
                "station_id": "s",
                "name": "站",
                "level": "township",
                "division_code": "522725001",
                "status": "planned",
            }
        )


def test_worker_certificate_needs_a_level():
    with pytest.raises(ValidationError, match="qualification"):
        SocialWorker.model_validate(
            {"worker_id": "w", "name": "周敏", "certificate_no": "A123"}
        )


def test_filed_organisation_cannot_fundraise_publicly():
    with pytest.raises(ValidationError, match="public-fundraising"):
        SocialOrganization.model_validate(
            {
                "organization_id": "o",
                "name": "队",
                "org_type": "community_group",
                "registration": "备案",
                "has_public_fundraising": True,
            }
        )


def test_narrower_target_group_brings_its_broader_group():
    person = Recipient.model_validate(
        recipient(
            target_groups=["分散供养特困人员", "重度残疾人"],
            birth_date=date(1950, 1, 1),
        )
    )
    assert person.target_groups == {
        TargetGroup.EXTREME_POVERTY_DISPERSED,
        TargetGroup.EXTREME_POVERTY,
        TargetGroup.SEVERE_DISABILITY,
        TargetGroup.DISABILITY,
    }
    again = Recipient.model_validate_json(person.model_dump_json(context=REVEAL))
    assert again.target_groups == person.target_groups


def organization(**overrides: Any) -> dict[str, Any]:
    return {"organization_id": "o", "name": "巴渝公益", **overrides}


def credit_code(prefix: str) -> str:
    first17 = f"{prefix}500103MJ000001"[:17].ljust(17, "0")
    return first17 + credit_code_check_character(first17)


@pytest.mark.parametrize("org_type", ["社会团体", "社会服务机构", "基金会"])
@pytest.mark.parametrize("registration", ["备案", "未登记"])
def test_legal_person_types_cannot_be_filed_or_informal(org_type, registration):
    with pytest.raises(ValidationError, match="community_group"):
        SocialOrganization.model_validate(
            organization(org_type=org_type, registration=registration)
        )


def test_filed_community_group_is_its_own_type_and_cannot_be_registered():
    group = SocialOrganization.model_validate(
        organization(org_type="备案社区社会组织", registration="备案")
    )
    assert group.org_type is OrganizationType.COMMUNITY_GROUP
    with pytest.raises(ValidationError, match="社会团体 or 社会服务机构"):
        SocialOrganization.model_validate(organization(org_type="community_group"))


def test_public_fundraising_needs_a_charitable_organisation():
    with pytest.raises(ValidationError, match=r"Charity Law Art\. 22"):
        SocialOrganization.model_validate(organization(has_public_fundraising=True))
    charity = SocialOrganization.model_validate(
        organization(is_charitable=True, has_public_fundraising=True)
    )
    assert charity.has_public_fundraising


def test_only_registered_organisations_are_charitable():
    with pytest.raises(ValidationError, match="慈善组织"):
        SocialOrganization.model_validate(
            organization(
                org_type="community_group", registration="filed", is_charitable=True
            )
        )


@pytest.mark.parametrize(
    ("org_type", "prefix"),
    [("社会团体", "51"), ("社会服务机构", "52"), ("基金会", "53")],
)
def test_credit_code_prefix_must_match_the_organisation_type(org_type, prefix):
    ok = SocialOrganization.model_validate(
        organization(org_type=org_type, credit_code=credit_code(prefix))
    )
    assert ok.credit_code is not None
    for wrong in {"51", "52", "53", "59", "91"} - {prefix}:
        with pytest.raises(ValidationError, match=f"starts with {prefix}"):
            SocialOrganization.model_validate(
                organization(org_type=org_type, credit_code=credit_code(wrong))
            )


def test_other_bodies_keep_whatever_credit_code_their_registrar_gave():
    company = SocialOrganization.model_validate(
        organization(org_type="other", credit_code=credit_code("91"))
    )
    assert company.credit_code is not None
    assert company.credit_code.startswith("91")
