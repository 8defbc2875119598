"""A referral goes only with a lawful basis for referral on the day it is sent (#10, #12)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import AS_OF, consent_records
from wushe import examples
from wushe.exceptions import ConsentError, WusheError
from wushe.models import Recipient, refer, referrals_without_basis
from wushe.network import StationNetwork, record_rollup
from wushe.privacy import REVEAL
from wushe.vocab import ConsentPurpose

BORN = date(1950, 5, 1)


def in_force(consent: dict[str, Any], day: date) -> bool:
    """PIPL Art. 15, written again as an oracle: from the grant, until withdrawal or end."""
    ends = [d for d in (consent.get("withdrawn_on"), consent.get("expires_on")) if d]
    return (
        consent["purpose"] == ConsentPurpose.REFERRAL.value
        and consent["valid_from"] <= day
        and all(day < end for end in ends)
    )


def person(consents: list[dict[str, Any]]) -> Recipient:
    return Recipient.model_validate(
        {
            "recipient_id": "p-ref",
            "name": "王芳",
            "community_id": "c1",
            "birth_date": BORN,
            "consents": consents,
        }
    )


@settings(max_examples=150)
@given(consent_records(BORN), st.integers(-40, 40))
def test_refer_succeeds_exactly_when_a_basis_for_referral_is_in_force_on_the_day_sent(
    consents: list[dict[str, Any]], offset: int
) -> None:
    sent = AS_OF + timedelta(days=offset)
    recipient = person(consents)
    lawful = any(in_force(c, sent) for c in consents)
    fields = {"referral_id": "r1", "station_id": "s1", "unit": "卫健", "sent_on": sent}
    if lawful:
        assert refer(recipient, **fields).recipient_id == "p-ref"
    else:
        with pytest.raises(ConsentError) as caught:
            refer(recipient, **fields)
        assert caught.value.recipient_id == "p-ref"
        assert caught.value.purpose == "referral"


def test_a_refused_referral_names_the_recipient_and_purpose_never_the_person() -> None:
    withdrawn = {
        "purpose": "referral",
        "valid_from": date(2024, 1, 1),
        "withdrawn_on": AS_OF,
    }
    with pytest.raises(WusheError) as caught:
        refer(
            person([withdrawn]),
            referral_id="r1",
            station_id="s1",
            unit="education",
            sent_on=AS_OF,
        )
    text = str(caught.value)
    assert "'p-ref'" in text
    assert "referral" in text
    assert AS_OF.isoformat() in text
    assert "王芳" not in text
    refer(
        person([withdrawn]),
        referral_id="r1",
        station_id="s1",
        unit="education",
        sent_on=AS_OF - timedelta(days=1),
    )


def test_the_record_rollup_counts_referrals_sent_without_a_basis_at_every_level() -> (
    None
):
    ds = examples.load("qixinggang")
    raw = [
        {
            "referral_id": f"ref-{rid}",
            "recipient_id": rid,
            "station_id": "qxg-ts",
            "unit": "卫健",
            "sent_on": date(2022, 3, 20),
        }
        for rid in ("qxg-p01", "qxg-p02")  # consent without referral; statutory duty
    ]
    ds = type(ds).model_validate(
        {**ds.model_dump(context=REVEAL, exclude={"referrals"}), "referrals": raw}
    )
    assert referrals_without_basis(ds.referrals, ds.recipients) == ("ref-qxg-p01",)
    result = record_rollup(StationNetwork.from_dataset(ds))
    assert result.total("qxg-ts", "referrals.without_basis") == 1
    assert result.total("qxg-ts", "referrals.sent") == 2
