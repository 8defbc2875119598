"""Show user text literally in Markdown and in charts (原样显示用户文本).

Names of stations, communities and projects come from users' files and can hold anything:
``<script>``, ``[link](javascript:…)``, ``![image](…)``, a ``#`` heading, a newline that
ends a table row, or ``$`` signs that matplotlib would read as math. Every Markdown renderer
passes such text through :func:`escape_markdown`, and every chart is drawn inside
:func:`literal_labels`, so what the user typed is what the reader sees, and nothing more.
"""

from __future__ import annotations

import functools
import re
from contextlib import AbstractContextManager
from typing import Any

from wushe.exceptions import MissingDependencyError

__all__ = ["cjk_font", "escape_markdown", "literal_labels"]

# Characters with a meaning anywhere in a line: backslash escapes, code spans, emphasis,
# links and images, table cells, strikethrough, headings (and their closing #s) and the $
# of math extensions.
_INLINE = re.compile(r"([\\`*_\[\]|~$#])")
# Characters that open a block only at the start of a line: bullet lists, setext
# underlines, and an ordered list's "1." or "1)".
_LINE_START = re.compile(r"^([+=-]|\d{1,9}(?=[.)]))")
# Bare URLs that GitHub-flavoured Markdown turns into links by itself.
_WWW = re.compile(r"(?i)\b(www)\.")
# Bidirectional overrides can make a name display as different text (CVE-2021-42574).
_INVISIBLE = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F], " "
)


def escape_markdown(text: str) -> str:
    r"""``text`` as one line of Markdown that renders exactly as written (Markdown 转义).

    Safe in a table cell, a heading, a bullet or a paragraph: line breaks and control
    characters become spaces, ``& < >`` become HTML entities (so no tag or autolink
    survives), Markdown punctuation is backslash-escaped, and ``://`` and ``www.`` are
    escaped so that no bare URL turns into a link. The result is stripped: Markdown would
    not show leading or trailing spaces, and leading ones would start a code block.

    Examples:
        >>> escape_markdown("<script>alert(1)</script>")
        '&lt;script&gt;alert(1)&lt;/script&gt;'
        >>> print(escape_markdown("# a|b\n![x](javascript:y)"))
        \# a\|b !\[x\](javascript:y)
    """
    flat = " ".join(text.translate(_INVISIBLE).splitlines())
    flat = "".join(" " if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in flat)
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Leading spaces would make an indented code block; edges are not shown anyway.
    flat = _INLINE.sub(r"\\\1", flat.strip())
    flat = _WWW.sub(r"\1\\.", flat.replace("://", r"\://"))
    return _LINE_START.sub(_escape_line_start, flat, count=1)


def _escape_line_start(match: re.Match[str]) -> str:
    mark = match.group(1)
    if mark.isdigit():  # "1." starts an ordered list: escape the dot or parenthesis
        return f"{mark}\\"
    return f"\\{mark}"


def literal_labels() -> AbstractContextManager[Any]:
    """A context in which matplotlib draws every text literally (图表文字不解析公式).

    Turns off mathtext (``$…$``) and TeX for titles, tick labels, annotations and legends
    created and drawn inside it, so an id such as ``a$b$`` or ``x{`` is drawn as typed
    instead of failing to parse. Needs the ``plot`` extra; callers import matplotlib first.
    """
    import matplotlib as mpl  # noqa: PLC0415 - optional dependency, imported on use

    return mpl.rc_context({"text.parse_math": False, "text.usetex": False})


@functools.cache
def cjk_font() -> str | None:
    """The name of an installed font that can draw Chinese, or ``None`` (中文字体探测).

    Checks each font matplotlib knows for three distinct glyphs of 社, 工 and 站, so any
    CJK font counts (Noto Sans CJK, WenQuanYi, Source Han …) whatever its name, while
    fallback fonts that draw one placeholder box for everything do not.

    Raises:
        MissingDependencyError: without the ``plot`` extra.
    """
    try:
        import matplotlib as mpl  # noqa: F401, PLC0415 - optional dependency
    except ImportError as exc:  # pragma: no cover - depends on the environment
        purpose = "Finding a Chinese font"
        raise MissingDependencyError("matplotlib", "plot", purpose) from exc  # noqa: EM101 - the error composes its message
    from matplotlib import font_manager  # noqa: PLC0415 - optional dependency
    from matplotlib.ft2font import FT2Font  # noqa: PLC0415 - optional dependency

    for entry in sorted(font_manager.fontManager.ttflist, key=lambda f: f.name):
        try:
            face = FT2Font(entry.fname)
        except (OSError, RuntimeError):  # unreadable font files are skipped
            continue
        glyphs = {face.get_char_index(ord(char)) for char in "社工站"}
        # Fallback fonts such as "Last Resort" map every character to one placeholder box.
        if 0 not in glyphs and len(glyphs) == 3:
            return str(entry.name)
    return None
