"""Guard the public surface: sorted, complete ``__all__`` and a Chinese term on every name."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal, get_origin

import pytest

import wushe

CJK = re.compile(r"[\u4e00-\u9fff]")
PUBLIC_MODULES = sorted(
    name
    for name in [f"wushe.{m.name}" for m in pkgutil.iter_modules(wushe.__path__)]
    if not name.rsplit(".", 1)[1].startswith("_")
)


def test_top_level_all_is_sorted_and_complete():
    assert wushe.__all__ == sorted(wushe.__all__)
    # Importing a subpackage binds its name on ``wushe``; compare everything else exactly.
    public = {
        name
        for name, obj in vars(wushe).items()
        if not name.startswith("_") and not isinstance(obj, types.ModuleType)
    }
    listed = {
        name
        for name in wushe.__all__
        if not isinstance(getattr(wushe, name), types.ModuleType)
    }
    assert listed - {"__version__"} == public


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_module_declares_a_sorted_all_of_reachable_names(module_name):
    module = importlib.import_module(module_name)
    names = module.__all__
    assert sorted(names, key=str) == sorted(set(names), key=str)
    for name in names:
        assert hasattr(module, name), f"{module_name}.{name} is listed but missing"


def _public_objects() -> Iterator[tuple[str, Any]]:
    for module_name in ["wushe", *PUBLIC_MODULES]:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if name.startswith("__") or isinstance(obj, (str, int, dict, frozenset)):
                continue
            yield f"{module_name}.{name}", obj


def _alias_docstring(alias: str) -> str:
    for path in Path(wushe.__file__).parent.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        marker = f"\n{alias}: TypeAlias"
        if marker in source:
            return source.split(marker, 1)[1].split('"""', 2)[1]
    return ""


@pytest.mark.parametrize(
    ("qualname", "obj"),
    list(_public_objects()),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_public_name_has_a_docstring_with_its_chinese_term(qualname, obj):
    if get_origin(obj) in (Annotated, Literal):  # aliases: an attribute docstring
        doc: str | None = _alias_docstring(qualname.rsplit(".", 1)[1])
    elif isinstance(obj, types.ModuleType):
        doc = obj.__doc__
    else:
        doc = inspect.getdoc(obj)
    assert doc, f"{qualname} has no docstring"
    assert CJK.search(doc), f"{qualname}'s docstring has no Chinese term"


def test_nothing_public_is_only_reachable_through_a_private_module():
    reachable = {id(obj) for _, obj in _public_objects()}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        if not hasattr(module, "__path__"):
            continue
        for info in pkgutil.iter_modules(module.__path__):
            private = importlib.import_module(f"{module_name}.{info.name}")
            for name in getattr(private, "__all__", []):
                obj = getattr(private, name)
                if isinstance(obj, type) or callable(obj):
                    assert id(obj) in reachable, (
                        f"{module_name}.{info.name}.{name} is not re-exported"
                    )
