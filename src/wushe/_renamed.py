"""Make an old keyword fail loudly, naming the new one (改名参数提示).

wushe renames a keyword without a deprecation period while it is at 0.x; the reference's
*Deprecations* page states the convention. An old call must never silently do something
else, and Python's own ``unexpected keyword argument`` does not say what to write instead,
so a renamed keyword raises a :class:`TypeError` that names its replacement.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

__all__ = ["renamed_keywords"]

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
