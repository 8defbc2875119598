"""Collect executable documentation: code blocks in docs/ and doctests in src/."""

from __future__ import annotations

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.myst import PythonCodeBlockParser
from sybil.parsers.rest import DocTestParser

_FLAGS = ELLIPSIS | NORMALIZE_WHITESPACE

pytest_collect_file = (
    Sybil(
        parsers=[PythonCodeBlockParser(doctest_optionflags=_FLAGS)],
        patterns=["*.md"],
        path="docs",
        excludes=["_build/*"],
    )
    + Sybil(parsers=[DocTestParser(optionflags=_FLAGS)], patterns=["*.py"], path="src")
).pytest()
