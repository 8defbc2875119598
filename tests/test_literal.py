"""User text shows literally in Markdown and charts: nothing in a name becomes markup."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from wushe._literal import escape_markdown, literal_labels

markdown_it = pytest.importorskip("markdown_it")

MD = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
ATTACKS = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "![x](http://evil.example/p.png)",
    "# heading",
    "a | b",
    "line\nbreak",
    "1. first",
    "- item",
    "---",
    "===",
    "    indented code",
    "`code` **bold** _em_ ~~gone~~",
    "&lt;not a tag&gt; &amp;",
    "<http://evil.example>",
    "trailing backslash\\",
    "[ref]: http://evil.example",
    "$x$ \\{ }",
]
# Markdown punctuation, HTML, line breaks and controls, mixed with ordinary text.
markdownish = st.text(
    st.one_of(
        st.sampled_from(
            list("\\`*_[]()!|~$#<>&:;/.=+-0123456789 \t\n\r\x00\x0b\u2028")
        ),
        st.characters(codec="utf-8"),
    ),
    max_size=40,
)


def _shown(text: str) -> str:
    """What a reader should see: the text on one line, controls as spaces, edges trimmed."""
    flat = " ".join(text.splitlines())
    flat = "".join(" " if ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 else c for c in flat)
    return flat.strip()


def _inline_text(tokens: list[Any]) -> str:
    """The plain text of an inline token; fails on anything but text (a link, a tag …)."""
    kinds = {child.type for child in tokens}
    assert kinds <= {"text"}, kinds
    return "".join(child.content for child in tokens)


@given(markdownish)
@example("a\n| b")
@example("&amp; &#x3c;")
def test_an_escaped_table_cell_is_one_cell_of_plain_text(text):
    source = f"| h |\n| --- |\n| {escape_markdown(text)} |\n"
    tokens = MD.parse(source)
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 1
    inline = tokens[tokens.index(cells[0]) + 1]
    assert _inline_text(inline.children or []) == _shown(text)


@given(markdownish)
@example("- x")
@example("1. x")
@example("---")
@example("=")
def test_an_escaped_line_is_one_paragraph_of_plain_text_after_another_line(text):
    # A second line in a paragraph is where "---" or "===" would turn the first into a
    # heading and "- " or "1. " would start a list.
    tokens = MD.parse(f"before\n{escape_markdown(text)}\n")
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]
    children = [c for c in tokens[1].children or [] if c.type != "softbreak"]
    assert _inline_text(children) == "before" + _shown(text)


@given(markdownish)
def test_an_escaped_heading_shows_the_whole_text(text):
    tokens = MD.parse(f"## {escape_markdown(text)}\n")
    assert tokens[0].type == "heading_open"
    assert _inline_text(tokens[1].children or []) == _shown(text)


@pytest.mark.parametrize("attack", ATTACKS)
def test_known_markdown_and_html_attacks_render_as_text(attack):
    page = MD.render(f"| h |\n| --- |\n| {escape_markdown(attack)} |\n")
    assert page.count("<tr>") == 2
    for tag in ("<script", "<a ", "<img", "<h1", "<code", "<strong", "<em", "<s>"):
        assert tag not in page


def test_bare_urls_are_not_left_for_autolinking():
    assert "http://" not in escape_markdown("see http://evil.example")
    assert "www." not in escape_markdown("www.evil.example").lower()


@pytest.mark.parametrize("label", ["a$b$", "$$", "x\\y", "a{b", "$\\frac{1}{$"])
def test_charts_draw_math_characters_literally(tmp_path, label):
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure  # noqa: PLC0415

    with literal_labels():
        fig = Figure()
        ax = fig.add_subplot()
        ax.set_title(label)
        ax.set_xticks([0, 1], [label, label])
        ax.plot([0, 1], [0, 1], label=label)
        ax.legend()
        fig.savefig(tmp_path / "x.png")
    assert (tmp_path / "x.png").exists()
