"""The README's usage example is what new users paste first: it must run as printed."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_readme_usage_example_runs_and_prints_what_its_comments_promise(
    monkeypatch, tmp_path
):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert block is not None
    code = block.group(1)
    assert len(code.strip().splitlines()) <= 16
    monkeypatch.chdir(tmp_path)  # the example data ships with the package
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - the README is ours
    printed = out.getvalue()
    assert "重庆市渝中区七星岗街道 9 stations" in printed
    assert "钱*芳" in printed
    assert "钱桂芳" not in printed
