"""Exports for a purpose carry its allowed fields and only the people who allowed it (#10)."""

from __future__ import annotations

import csv
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import AS_OF, consent_records, datasets
from wushe import examples
from wushe.exceptions import WusheError
from wushe.io import EXPORT_FIELDS, export_ledgers, ledger_spec
from wushe.models import Consent, Dataset, Recipient
from wushe.privacy import REVEAL, RevealEvent, audit_hook
from wushe.vocab import ConsentPurpose

PURPOSES = tuple(EXPORT_FIELDS)
HEALTH = "高血压需每日服药"
ADDRESS = "幸福路88号3栋2单元"


def in_force(consent: dict[str, Any], purpose: ConsentPurpose, day: date) -> bool:
    """The lawful-basis rule, written again from PIPL Art. 15 as an oracle."""
    end = min(
        (d for d in (consent.get("withdrawn_on"), consent.get("expires_on")) if d),
        default=None,
    )
    return (
        consent["purpose"] == purpose.value
        and consent["valid_from"] <= day
        and (end is None or day < end)
    )


@st.composite
def worlds(draw: st.DrawFn) -> tuple[Dataset, dict[str, list[dict[str, Any]]]]:
    """A generated dataset whose recipients hold random consents, addresses and health notes."""
    base = draw(datasets(max_recipients=6, max_activities=0))
    raw = base.model_dump(mode="json", context=REVEAL, exclude_none=True)
    consents: dict[str, list[dict[str, Any]]] = {}
    for person in raw["recipients"]:
        born = Recipient.model_validate(person).birth_date
        assert born is not None
        consents[person["recipient_id"]] = draw(consent_records(born))
        person["consents"] = consents[person["recipient_id"]]
        person["address"] = ADDRESS
        person["health_notes"] = HEALTH
    raw["referrals"] = [
        {
            "referral_id": f"ref-{n['need_id']}",
            "recipient_id": n["recipient_id"],
            "need_id": n["need_id"],
            "station_id": raw["stations"][0]["station_id"],
            "unit": "health",
            "sent_on": AS_OF - timedelta(days=draw(st.integers(-20, 20))),
        }
        for n in raw["needs"]
    ]
    return Dataset.model_validate(raw), consents


def read_folder(folder: Path) -> dict[str, list[dict[str, str]]]:
    tables = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as f:
            tables[path.stem] = list(csv.DictReader(f))
    return tables


@settings(max_examples=40)
@given(worlds(), st.sampled_from(PURPOSES), st.booleans())
def test_export_for_a_purpose_holds_only_allowed_fields_of_people_with_a_basis(
    world: tuple[Dataset, dict[str, list[dict[str, Any]]]],
    purpose: ConsentPurpose,
    reveal: bool,
) -> None:
    ds, consents = world
    allowed_people = {
        rid
        for rid, cs in consents.items()
        if any(in_force(c, purpose, AS_OF) for c in cs)
    }
    with tempfile.TemporaryDirectory() as folder:
        result = export_ledgers(
            ds, Path(folder), purpose=purpose, reveal=reveal, lang="en", reason="test"
        )
        tables = read_folder(Path(folder))
        text = "".join(p.read_text(encoding="utf-8-sig") for p in result.paths)
    assert result.withheld == len(ds.recipients) - len(allowed_people)
    assert set(tables) == set(EXPORT_FIELDS[purpose])
    for kind, rows in tables.items():
        assert set(result.fields[kind]) <= EXPORT_FIELDS[purpose][kind]
        for row in rows:
            assert set(row) <= EXPORT_FIELDS[purpose][kind], kind
            assert row.get("recipient_id", next(iter(allowed_people), "")) in (
                allowed_people
            )
    shown = {row["recipient_id"] for row in tables["recipients"]}
    assert shown == allowed_people
    lawful_needs = {n.need_id for n in ds.needs if n.recipient_id in allowed_people}
    assert {row["need_id"] for row in tables["needs"]} == lawful_needs
    if "health_notes" not in EXPORT_FIELDS[purpose]["recipients"]:
        assert HEALTH not in text
    if "address" not in EXPORT_FIELDS[purpose]["recipients"]:
        assert ADDRESS not in text
    for person in ds.recipients:
        number = person.id_number.reveal(reason="test") if person.id_number else None
        if number and "id_number" not in EXPORT_FIELDS[purpose]["recipients"]:
            assert number not in text
            assert number[6:14] not in text  # no birth date either


@settings(max_examples=60)
@given(worlds())
def test_a_referral_export_holds_only_referrals_lawful_both_when_sent_and_today(
    world: tuple[Dataset, dict[str, list[dict[str, Any]]]],
) -> None:
    ds, consents = world
    purpose = ConsentPurpose.REFERRAL

    def lawful(rid: str, day: date) -> bool:
        return any(in_force(c, purpose, day) for c in consents[rid])

    expected = {
        ref.referral_id
        for ref in ds.referrals
        if lawful(ref.recipient_id, AS_OF) and lawful(ref.recipient_id, ref.sent_on)
    }
    with tempfile.TemporaryDirectory() as folder:
        export_ledgers(ds, Path(folder), purpose=purpose, lang="en")
        rows = read_folder(Path(folder))["referrals"]
    assert {row["referral_id"] for row in rows} == expected


def test_an_export_for_volunteers_leaves_out_withdrawn_expired_and_missing_consent(
    tmp_path: Path,
) -> None:
    ds = examples.load("qixinggang")
    purpose = ConsentPurpose.SHARE_WITH_VOLUNTEERS
    day = ds.as_of
    assert day is not None
    first, second, third, *rest = ds.recipients
    start = day - timedelta(days=30)
    changed = (
        first.model_copy(
            update={
                "consents": (
                    Consent(purpose=purpose, valid_from=start, withdrawn_on=day),
                )
            }
        ),
        second.model_copy(
            update={
                "consents": (
                    Consent(purpose=purpose, valid_from=start, expires_on=day),
                )
            }
        ),
        third.model_copy(update={"consents": ()}),
    )
    ds = ds.model_copy(update={"recipients": (*changed, *rest)})
    result = export_ledgers(ds, tmp_path, purpose=purpose, lang="en")
    shown = {r["recipient_id"] for r in read_folder(tmp_path)["recipients"]}
    assert {p.recipient_id for p in changed}.isdisjoint(shown)
    assert result.withheld >= 3
    assert result.withheld == len(ds.recipients) - len(shown)


def test_an_export_for_a_purpose_refuses_a_ledger_that_purpose_does_not_share(
    tmp_path: Path,
) -> None:
    ds = examples.load("qixinggang")
    with pytest.raises(
        WusheError, match="not shared for purpose share_with_volunteers"
    ):
        export_ledgers(
            ds, tmp_path, kinds=["volunteers"], purpose="share_with_volunteers"
        )


def test_a_purpose_without_an_export_or_free_text_in_purpose_is_refused(
    tmp_path: Path,
) -> None:
    ds = examples.load("qixinggang")
    with pytest.raises(WusheError, match="no export for purpose research"):
        export_ledgers(ds, tmp_path, purpose=ConsentPurpose.RESEARCH)
    with pytest.raises(WusheError, match="reason="):
        export_ledgers(ds, tmp_path, purpose="handover to the street office")
    assert not list(tmp_path.iterdir())


def test_a_purpose_can_be_named_by_its_chinese_label(tmp_path: Path) -> None:
    ds = examples.load("qixinggang")
    result = export_ledgers(ds, tmp_path / "v.xlsx", purpose="向志愿者提供")
    assert result.purpose is ConsentPurpose.SHARE_WITH_VOLUNTEERS
    zh = ledger_spec("recipients").headers("zh")
    assert set(result.fields["recipients"]) <= {
        zh[f] for f in EXPORT_FIELDS[result.purpose]["recipients"]
    }


def test_an_export_without_a_purpose_keeps_every_recipient(tmp_path: Path) -> None:
    ds = examples.load("qixinggang")
    result = export_ledgers(ds, tmp_path / "r.csv", kinds=["recipients"])
    assert result.purpose is None
    assert result.withheld == 0


def test_a_revealed_export_for_a_purpose_audits_only_what_it_carries(
    tmp_path: Path,
) -> None:
    ds = examples.load("qixinggang")
    events: list[RevealEvent] = []
    with audit_hook(events.append):
        result = export_ledgers(
            ds,
            tmp_path,
            purpose=ConsentPurpose.SHARE_WITH_VOLUNTEERS,
            reveal=True,
            reason="volunteer visit list",
        )
    [event] = events
    assert event.reason == "volunteer visit list"
    assert event.records == len(ds.recipients) - result.withheld
    assert "identity number" not in event.kinds
    assert "personal name" in event.kinds
