"""Make an old keyword fail loudly, naming the new one (改名参数提示).

wushe renames a keyword without a deprecation period while it is at 0.x; the reference's
*Deprecations* page states the convention. An old call must never silently do something
else, and Python's own ``unexpected keyword argument`` does not say what to write instead,
so a renamed keyword raises a :class:`TypeError` that names its replacement.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import ParamSpec, TypeVar

__all__ = ["removed_attribute", "renamed_keywords"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def renamed_keywords(
    *, max_positional: int | None = None, **renamed: str
) -> Callable[[Callable[_P, _R]], Callable[_P, _R]]:
    """Reject each old keyword in ``renamed`` (old name → new name) with a clear TypeError.

    The wrapped function keeps its signature for type checkers and Sphinx, so a type
    checker flags the old keyword too; at run time the message reads
    ``reveal() got the keyword 'purpose', renamed to 'reason': write reason=...``.
    With ``max_positional``, a call with more positional arguments than that (the old
    form passed the renamed argument by position) gets the same kind of message.
    """
    new_names = ", ".join(f"{new}=..." for new in renamed.values())

    def decorate(func: Callable[_P, _R]) -> Callable[_P, _R]:
        name = func.__name__

        @functools.wraps(func)
        def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
            for old, new in renamed.items():
                if old in kwargs:
                    msg = (
                        f"{name}() got the keyword {old!r}, renamed to {new!r}: "
                        f"write {new}=... (see the reference's Deprecations page)"
                    )
                    raise TypeError(msg)
            if max_positional is not None and len(args) > max_positional:
                msg = (
                    f"{name}() takes {max_positional} positional arguments but "
                    f"{len(args)} were given; {', '.join(map(repr, renamed))} is now "
                    f"the keyword {new_names} (see the reference's Deprecations page)"
                )
                raise TypeError(msg)
            return func(*args, **kwargs)

        return wrapper

    return decorate


def removed_attribute(
    name: str, moved: Mapping[str, str], *, owner: str, since: str = " in 0.2"
) -> AttributeError:
    """The error for ``owner.name``: one naming its replacement when ``moved`` lists it.

    For a module's or a class's ``__getattr__``: ``raise removed_attribute(...)``. A name
    not in ``moved`` gets Python's own wording for a module (``owner`` with a dot) or the
    bare name for an object.
    """
    if name in moved:
        return AttributeError(f"{owner}.{name} was removed{since}: use {moved[name]}")
    if owner.startswith("wushe."):
        return AttributeError(f"module {owner!r} has no attribute {name!r}")
    return AttributeError(name)
