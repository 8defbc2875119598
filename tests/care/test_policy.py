from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from wushe.care import (
    LOCAL_EXAMPLE_SOURCE,
    TierRule,
    VisitMethod,
    VisitPolicy,
    VisitTier,
    local_example_policy,
    national_monthly_policy,
)
from wushe.models import Recipient

ON = date(2024, 6, 30)


def person(groups: list[str], born: str | None = "1940-01-01") -> Recipient:
    return Recipient.model_validate(
        {
            "recipient_id": "p1",
            "name": "钱桂芳",
            "community_id": "c1",
            "target_groups": groups,
            "birth_date": born,
            "assessed_on": ON,
        }
    )


def test_default_policy_is_the_labelled_local_example():
    policy = VisitPolicy()
    assert policy == local_example_policy()
    assert policy.source == LOCAL_EXAMPLE_SOURCE
    assert "not a national standard" in policy.source
    assert [(t.code, t.max_interval_days) for t in policy.tiers] == [
        ("high_risk", 7),
        ("key", 30),
        ("general", 90),
    ]
    assert policy.tier_by_code("high_risk").incident_response_hours == 24


@pytest.mark.parametrize(
    ("groups", "born", "tier"),
    [
        (["独居老人"], "1940-01-01", "high_risk"),
        (["独居老人"], "1950-01-01", "general"),
        (["失能老人"], "1950-01-01", "key"),
        (["分散供养特困人员"], "1970-01-01", "key"),
        (["特困人员"], "1970-01-01", "general"),
        (["集中供养特困人员"], "1970-01-01", "general"),
        (["患危及生命病症老年人"], "1960-01-01", "high_risk"),
        (["独居老人", "失能老人"], "1940-01-01", "high_risk"),
        (["低保对象"], "1980-01-01", "general"),
        (["独居老人"], None, "general"),
    ],
)
def test_local_example_places_recipients_in_the_strictest_matching_tier(
    groups, born, tier
):
    found = VisitPolicy().tier_for(person(groups, born), ON)
    assert found is not None
    assert found.code == tier


def test_recipients_no_rule_matches_are_not_covered():
    assert VisitPolicy().tier_for(person(["临时救助对象"], "1980-01-01"), ON) is None


def test_rule_by_recipient_id_places_a_named_record():
    policy = VisitPolicy(
        tiers=(VisitTier(code="watch", name="关注", max_interval_days=3),),
        rules=(TierRule(tier="watch", recipient_ids=frozenset({"p1"})),),
    )
    tier = policy.tier_for(person([], None), ON)
    assert tier is not None
    assert tier.code == "watch"


def test_custom_tiers_do_not_inherit_the_example_rules():
    policy = VisitPolicy(tiers=(VisitTier(code="m", name="月", max_interval_days=30),))
    assert policy.rules == ()


def test_rule_naming_an_unknown_tier_is_rejected_with_the_rule_index():
    with pytest.raises(ValidationError, match=r"rules\[0\]\.tier 'nope'"):
        VisitPolicy(
            tiers=(VisitTier(code="m", name="月", max_interval_days=30),),
            rules=(TierRule(tier="nope"),),
        )


def test_tier_methods_must_be_accepted_by_the_policy():
    with pytest.raises(ValidationError, match="tier 'm' allows methods"):
        VisitPolicy(
            methods=frozenset({VisitMethod.PHONE}),
            tiers=(
                VisitTier(
                    code="m",
                    name="月",
                    max_interval_days=30,
                    methods=frozenset({VisitMethod.DOOR_VISIT}),
                ),
            ),
        )


def test_national_policy_is_monthly_for_elders_in_special_hardship():
    policy = national_monthly_policy()
    tier = policy.tier_for(person(["空巢老人"], "1950-01-01"), ON)
    assert tier is not None
    assert tier.calendar_month
    assert policy.tier_for(person(["残疾人"], "1980-01-01"), ON) is None


def test_national_monthly_policy_covers_severely_disabled_elders():
    policy = national_monthly_policy()
    assert policy.tier_for(person(["重度残疾人"], "1950-01-01"), ON) is not None
    assert policy.tier_for(person(["重度残疾人"], "1980-01-01"), ON) is None


def child(groups: list[str]) -> Recipient:
    return Recipient.model_validate(
        {
            "recipient_id": "k1",
            "name": "韩思琪",
            "community_id": "c1",
            "target_groups": groups,
            "birth_date": "2009-01-01",
            "assessed_on": ON,
        }
    )


@pytest.mark.parametrize(
    ("groups", "tier"),
    [
        (["散居孤儿"], "key"),
        (["困境儿童"], "key"),
        (["机构养育孤儿"], "general"),
        (["孤儿"], "general"),
        (["事实无人抚养儿童"], "general"),
    ],
)
def test_key_tier_takes_scattered_orphans_not_every_orphan_or_unsupported_child(
    groups, tier
):
    found = VisitPolicy().tier_for(child(groups), ON)
    assert found is not None
    assert found.code == tier


def test_every_tier_rule_of_the_local_example_says_where_it_comes_from():
    rules = VisitPolicy().rules
    assert all(rule.note for rule in rules)
    general = [r for r in rules if r.tier == "general"]
    assert all("wushe" in r.note for r in general)


def test_failed_contact_follow_up_is_an_extension_that_can_be_switched_off():
    tier = VisitPolicy().tier_by_code("high_risk")
    assert tier.follow_up_failed_contacts
    strict = tier.model_copy(update={"follow_up_failed_contacts": False})
    assert not strict.follow_up_failed_contacts


def test_policy_round_trips_through_json():
    policy = VisitPolicy()
    assert VisitPolicy.model_validate_json(policy.model_dump_json()) == policy


@pytest.mark.parametrize("days", [7, 27, 32, 90])
def test_calendar_month_tier_needs_a_month_long_interval(days):
    with pytest.raises(ValidationError, match="calendar-month"):
        VisitTier(code="m", name="月", max_interval_days=days, calendar_month=True)
