from __future__ import annotations

import logging
import pickle

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.strategies import datasets, resident_ids
from wushe.models import Recipient
from wushe.privacy import (
    REVEAL,
    SensitiveAddress,
    SensitiveIdNumber,
    SensitiveName,
    SensitivePhone,
    _has_visible_character,
    _visible_characters,
    mask_id_number,
    mask_name,
    reveal,
)


def test_masks_look_like_civil_affairs_publications():
    assert mask_name("张晓华") == "张*华"
    assert mask_name("张华") == "张*"
    assert mask_name("欧阳晓华") == "欧**华"
    assert mask_id_number("510106194103150220") == "51***************0"
    assert SensitivePhone("13800001234").masked == "138****1234"
    assert (
        SensitiveAddress("重庆市渝中区七星岗街道兴隆街8号").masked == "重庆市渝中区****"
    )


@given(resident_ids())
def test_id_number_never_appears_in_repr_str_format_or_log(value):
    secret = SensitiveIdNumber(value)
    assert value not in repr(secret)
    assert value not in str(secret)
    assert value not in f"{secret}"
    assert value not in "%s" % (secret,)  # noqa: UP031 - logging still formats this way
    assert secret.reveal() == value
    assert reveal(secret) == value


def test_logging_a_sensitive_value_writes_the_mask(caplog):
    with caplog.at_level(logging.INFO):
        logging.getLogger("wushe.test").info("recipient %s", SensitiveName("张晓华"))
    assert "张晓华" not in caplog.text
    assert "张*华" in caplog.text


def test_equality_and_pickling_use_the_raw_value():
    assert SensitiveName("张晓华") == SensitiveName("张晓华")
    assert SensitiveName("张晓华") != SensitiveName("张小华")
    assert pickle.loads(pickle.dumps(SensitiveName("张晓华"))) == SensitiveName(
        "张晓华"
    )


@given(datasets())
def test_no_id_number_or_phone_leaks_into_default_dumps_or_reprs(ds):
    text = ds.model_dump_json() + repr(ds) + str(ds.model_dump())
    for person in ds.recipients:
        assert person.id_number is not None
        assert person.id_number.reveal() not in text
        assert person.name.reveal() not in text
        if person.phone is not None:
            assert person.phone.reveal() not in text
    revealed = ds.model_dump_json(context=REVEAL)
    for person in ds.recipients:
        assert person.id_number is not None
        assert person.id_number.reveal() in revealed


def test_invalid_id_error_names_the_field_but_not_the_value():
    bad = "51010619410315022X"
    with pytest.raises(ValidationError) as info:
        Recipient.model_validate(
            {
                "recipient_id": "p1",
                "name": "钱桂芳",
                "community_id": "c1",
                "id_number": bad,
            }
        )
    text = str(info.value) + repr(info.value)
    assert "id_number" in text
    assert bad not in text
    assert "钱桂芳" not in text


@given(
    st.text(
        st.sampled_from("\u3164\u115f\u037a\u00aa\u2460\u0301\u200b a张")
        | st.characters(),
        max_size=6,
    )
)
@example("\u3164")  # a Hangul filler: a letter by category that renders as nothing
@example("\u037a ")  # NFKC turns it into a space and a combining mark
def test_a_name_is_accepted_exactly_when_a_character_survives_normalisation(text):
    assert _has_visible_character(text) is bool(_visible_characters(text))
