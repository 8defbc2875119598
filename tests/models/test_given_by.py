"""Who gave a consent is structured, and only a guardian consents for a child (PIPL Art. 31)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.models.test_consent import CHILD_BORN, ELDER_BORN, person
from tests.strategies import AS_OF
from wushe.io._cell_text import format_consents, parse_consents
from wushe.models import CHILD_GIVERS, Consent, GivenBy
from wushe.privacy import REVEAL
from wushe.vocab import ConsentGiver, Lang

GUARDIAN = ConsentGiver.GUARDIAN


def guardian_consent(given_by: Any, *, start: date = AS_OF) -> dict[str, Any]:
    return {
        "purpose": "share_with_volunteers",
        "basis": "guardian_consent",
        "valid_from": start,
        "given_by": given_by,
    }


@pytest.mark.parametrize(
    ("text", "role", "note"),
    [
        ("监护人（祖母）", GUARDIAN, "祖母"),
        ("监护人", GUARDIAN, None),
        ("监护人 (祖母)", GUARDIAN, "祖母"),
        ("母亲", GUARDIAN, "母亲"),
        ("祖母", ConsentGiver.CLOSE_RELATIVE, "祖母"),
        ("近亲属（外婆）", ConsentGiver.CLOSE_RELATIVE, "外婆"),
        ("法定代理人", ConsentGiver.LEGAL_REPRESENTATIVE, None),
        ("guardian (grandmother)", GUARDIAN, "grandmother"),
        ("本人", ConsentGiver.SELF, None),
    ],
)
def test_old_free_text_given_by_reads_as_role_and_note(
    text: str, role: ConsentGiver, note: str | None
) -> None:
    given_by = GivenBy.model_validate(text)
    assert given_by.role is role
    assert (
        None if given_by.note is None else given_by.note.reveal(reason="test")
    ) == note


def test_an_unreadable_given_by_is_refused_without_repeating_it() -> None:
    with pytest.raises(ValidationError) as caught:
        Consent.model_validate(guardian_consent("张三丰"))
    assert "张三丰" not in str(caught.value)
    assert "监护人" in str(caught.value)


def test_the_note_is_masked_in_default_outputs() -> None:
    c = Consent.model_validate(guardian_consent("监护人（王秀英）"))
    assert "王秀英" not in repr(c)
    assert "王秀英" not in c.model_dump_json()
    assert c.model_dump(mode="json", context=REVEAL)["given_by"] == {
        "role": "guardian",
        "note": "王秀英",
    }


def test_only_a_guardian_or_legal_representative_consents_for_a_child() -> None:
    for ok in ("监护人（母亲）", "法定代理人", "父亲"):
        person(CHILD_BORN, [guardian_consent(ok)])
    for refused in ("近亲属（祖母）", "祖母", "本人"):
        with pytest.raises(ValidationError, match="guardian"):
            person(CHILD_BORN, [guardian_consent(refused)])


def test_a_close_relative_may_still_give_a_guardians_consent_for_an_adult() -> None:
    elder = person(ELDER_BORN, [guardian_consent("近亲属（女儿）")])
    given_by = elder.consents[0].given_by
    assert given_by is not None
    assert given_by.role is ConsentGiver.CLOSE_RELATIVE


def test_the_basis_and_who_gave_it_agree() -> None:
    with pytest.raises(ValidationError, match="basis guardian_consent"):
        Consent.model_validate(
            {"purpose": "casework", "valid_from": AS_OF, "given_by": "监护人"}
        )
    with pytest.raises(ValidationError, match="basis consent"):
        Consent.model_validate(guardian_consent("本人"))
    Consent.model_validate(
        {"purpose": "casework", "valid_from": AS_OF, "given_by": "本人"}
    )


@given(
    st.lists(
        st.tuples(
            st.sampled_from([g for g in ConsentGiver if g is not ConsentGiver.SELF]),
            st.integers(-3000, 30),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_a_child_loads_exactly_when_every_consent_given_under_14_came_from_a_guardian(
    records: list[tuple[ConsentGiver, int]],
) -> None:
    consents = [
        guardian_consent(giver.value, start=AS_OF + timedelta(days=days))
        for giver, days in records
    ]
    born = date(2010, 7, 1)  # 14 on 2024-07-01, the day after AS_OF, within the starts
    lawful = all(
        giver in CHILD_GIVERS or date(2024, 7, 1) <= AS_OF + timedelta(days=days)
        for giver, days in records
    )
    if lawful:
        person(born, consents)
    else:
        with pytest.raises(ValidationError, match="only a guardian"):
            person(born, consents)


notes = (
    st.text(st.characters(categories=["Lo", "Ll", "Nd"]), min_size=1, max_size=8)
    | st.none()
)


@given(st.sampled_from(list(ConsentGiver)), notes, st.sampled_from(["zh", "en"]))
def test_who_gave_it_round_trips_through_its_text_and_the_ledger_grammar(
    role: ConsentGiver, note: str | None, lang: Lang
) -> None:
    given_by = GivenBy(role=role, note=note)  # type: ignore[arg-type]
    assert GivenBy.model_validate(given_by.text(lang=lang, reveal=True)) == given_by
    basis = "consent" if role is ConsentGiver.SELF else "guardian_consent"
    consent = Consent.model_validate(
        {
            "purpose": "casework",
            "basis": basis,
            "valid_from": AS_OF,
            "given_by": given_by,
        }
    )
    written = format_consents([consent.model_dump(mode="json", context=REVEAL)], lang)
    assert written is not None
    [read] = parse_consents(written)
    assert Consent.model_validate(read) == consent
