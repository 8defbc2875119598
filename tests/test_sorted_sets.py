"""Set-valued fields serialise in sorted order, whatever the hash seed (集合有序输出)."""

from __future__ import annotations

import collections.abc
import importlib
import pkgutil
import types
from collections.abc import Iterator
from enum import Enum
from typing import Annotated, Any, Optional, get_args, get_origin

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

import wushe
from wushe._types import SORTED_IN_JSON, SortedFrozenSet
from wushe.privacy import REVEAL, SPECIAL_CATEGORY

_SET_ORIGINS = (frozenset, set, collections.abc.Set, collections.abc.MutableSet)


def _wushe_models() -> list[type[pydantic.BaseModel]]:
    found: dict[str, type[pydantic.BaseModel]] = {}
    for info in pkgutil.walk_packages(wushe.__path__, "wushe."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, pydantic.BaseModel)
                and obj.__module__.startswith("wushe")
            ):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[name] for name in sorted(found)]


MODELS = _wushe_models()


def _unsorted_sets(tp: Any, metadata: tuple[Any, ...], where: str) -> Iterator[str]:
    """Yield the path of every set inside ``tp`` whose metadata lacks the marker."""
    origin = get_origin(tp)
    if origin is Annotated:
        inner, *extra = get_args(tp)
        yield from _unsorted_sets(inner, tuple(extra), where)
        return
    is_set = tp in _SET_ORIGINS or origin in _SET_ORIGINS
    if is_set and SORTED_IN_JSON not in metadata:
        yield where
    for i, arg in enumerate(get_args(tp)):
        yield from _unsorted_sets(arg, (), f"{where}[{i}]")
    if isinstance(tp, type) and issubclass(tp, pydantic.BaseModel):
        return  # nested models are walked as models of their own


def _field_paths(model: type[pydantic.BaseModel]) -> Iterator[str]:
    for name, field in model.model_fields.items():
        where = f"{model.__module__}.{model.__qualname__}.{name}"
        yield from _unsorted_sets(field.annotation, tuple(field.metadata), where)


def test_the_guard_walks_the_models_users_load_and_save():
    names = {m.__name__ for m in MODELS}
    assert {
        "Volunteer",
        "SocialWorker",
        "ServiceProject",
        "Household",
        "Dataset",
    } <= names
    assert len(MODELS) > 50


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__qualname__)
def test_every_set_field_of_a_model_serialises_sorted(model: type[pydantic.BaseModel]):
    assert list(_field_paths(model)) == []


def test_the_guard_catches_a_bare_set_anywhere_in_a_field():
    class Bare(pydantic.BaseModel):
        plain: frozenset[str] = frozenset()
        nested: tuple[frozenset[str], ...] = ()
        optional: frozenset[str] | None = None
        mapped: dict[str, Annotated[frozenset[str], pydantic.Field(min_length=1)]] = {}
        fine: SortedFrozenSet[str] = frozenset()
        fine_nested: tuple[SortedFrozenSet[str], ...] = ()

    assert [p.rsplit(".", 1)[1] for p in _field_paths(Bare)] == [
        "plain",
        "nested[0]",
        "optional[0]",
        "mapped[1]",
    ]


class _Letter(Enum):
    Z = "zeta"
    A = "alpha"
    M = "mid"


class _Holder(pydantic.BaseModel):
    letters: SortedFrozenSet[_Letter] = frozenset()
    words: tuple[SortedFrozenSet[str], ...] = ()


def test_a_sorted_set_is_a_sorted_list_in_json_and_a_set_in_python():
    held = _Holder(
        letters=frozenset(_Letter), words=(frozenset({"pear", "apple", "fig"}),)
    )
    assert held.model_dump_json() == (
        '{"letters":["alpha","mid","zeta"],"words":[["apple","fig","pear"]]}'
    )
    assert held.model_dump(mode="json")["letters"] == ["alpha", "mid", "zeta"]
    assert held.model_dump()["letters"] == frozenset(_Letter)
    assert _Holder.model_validate_json(held.model_dump_json()) == held


def test_a_sorted_set_keeps_the_json_schema_of_a_set():
    class Plain(pydantic.BaseModel):
        letters: frozenset[_Letter] = frozenset()
        words: tuple[frozenset[str], ...] = ()

    for mode in ("validation", "serialization"):
        sorted_schema = _Holder.model_json_schema(mode=mode)
        plain_schema = Plain.model_json_schema(mode=mode)
        assert sorted_schema["properties"] == plain_schema["properties"]
        assert sorted_schema["$defs"] == plain_schema["$defs"]


def test_the_guard_looks_inside_both_spellings_of_an_optional_set():
    assert list(_unsorted_sets(frozenset[str] | None, (), "u")) == ["u[0]"]
    assert list(_unsorted_sets(Optional[frozenset[str]], (), "u")) == ["u[0]"]  # noqa: UP045
    assert isinstance(frozenset[str] | None, types.UnionType)


class _Mixed(pydantic.BaseModel):
    members: SortedFrozenSet[int | str] = frozenset()
    groups: Annotated[frozenset[_Letter], SPECIAL_CATEGORY, SORTED_IN_JSON] = (
        frozenset()
    )


_TEXTS = st.text(max_size=4)
_NUMBERS = st.integers(-50, 50)


@given(
    st.frozensets(_TEXTS, max_size=8)
    | st.frozensets(_NUMBERS, max_size=8)
    | st.frozensets(_TEXTS | _NUMBERS, max_size=8)
)
def test_members_come_out_in_order_of_value_and_mixed_ones_by_string(
    members: frozenset[int | str],
):
    dumped = _Mixed(members=members).model_dump(mode="json")["members"]
    if len({type(m) for m in members}) == 1:
        assert dumped == sorted(members)
    else:
        assert dumped == sorted(members, key=str)


def test_a_withheld_set_stays_masked_and_is_sorted_when_revealed():
    held = _Mixed(groups=frozenset(_Letter))
    assert held.model_dump_json() == '{"members":[],"groups":"******"}'
    assert held.model_dump(mode="json", context=REVEAL)["groups"] == [
        "alpha",
        "mid",
        "zeta",
    ]
    assert held.model_dump(context=REVEAL)["groups"] == frozenset(_Letter)
