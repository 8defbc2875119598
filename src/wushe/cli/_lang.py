"""The language of messages and labels, from ``--lang`` or the environment (语言)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import get_args

from wushe.vocab import Lang

LANGS: tuple[Lang, ...] = get_args(Lang)
"""The values ``--lang`` (and ``export --headers``) accept, default first."""


def parse_lang(value: str | None) -> Lang | None:
    """``value`` as a :data:`Lang`, or ``None`` when it is not exactly one."""
    return next((lang for lang in LANGS if value == lang), None)


def default_lang(environ: Mapping[str, str] | None = None) -> Lang:
    """The language of the environment: ``WUSHE_LANG``, then ``LC_ALL``, then ``LANG``.

    The first of them that is set decides: Chinese when it starts with ``zh`` (``zh``,
    ``zh_CN.UTF-8``), English otherwise; English when none is set.
    """
    env = os.environ if environ is None else environ
    for var in ("WUSHE_LANG", "LC_ALL", "LANG"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def argv_lang(argv: Sequence[str]) -> Lang:
    """The ``--lang`` of a command line that may not parse, for its error message."""
    for i, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        lang = parse_lang(value)
        if lang is not None:
            return lang
    return default_lang()
