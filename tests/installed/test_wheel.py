"""The wheel works once installed with its core dependencies, run from elsewhere.

The fixtures (``conftest.py``) build the wheel and install it into a fresh virtual
environment outside the repository; every check runs from a temporary working directory.
The whole folder takes a minute or two; run it alone with::

    .venv/bin/pytest tests/installed     # or: pytest -m wheel
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from tests.installed.environment import ROOT, VERSION
from wushe import examples

pytestmark = pytest.mark.wheel


def test_the_wheel_ships_the_example_data_the_license_and_the_type_marker(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    localities = ("hubei", "jinniu", "jiulong", "qianfeng", "qixinggang", "shanxi")
    for locality in (*localities, "wengan", "yibin"):
        assert f"wushe/examples/data/{locality}.json" in names
    # Every file the examples module offers, the companions (visits, scores, YAML) too.
    for name in examples.files():
        assert f"wushe/examples/data/{name}" in names
    assert "wushe/py.typed" in names
    assert f"wushe-{VERSION}.dist-info/licenses/LICENSE" in names
    assert not any(n.startswith(("tests/", "docs/", "examples/")) for n in names)


def test_wushe_is_imported_from_the_environment_not_the_source_tree(installed):
    result = installed.run(
        installed.bin / "python", "-c", "import wushe; print(wushe.__file__)"
    )
    assert result.returncode == 0, result.stderr
    location = Path(result.stdout.strip())
    assert location.is_relative_to(installed.bin.parent)
    assert not location.is_relative_to(ROOT)


def test_installed_command_prints_its_version(installed):
    result = installed.run(installed.bin / "wushe", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"wushe {VERSION}"
    module = installed.run(installed.python, "-m", "wushe", "--version")
    assert module.stdout == result.stdout


def test_installed_demo_writes_the_report_and_says_what_the_plot_extra_would_add(
    installed,
):
    out = installed.workdir / "demo-report"
    result = installed.run(installed.bin / "wushe", "demo", "--out", out)
    assert result.returncode == 0, result.stderr
    for name in ("report.html", "report.md", "match-plan.json", "evaluation.html"):
        assert (out / name).is_file(), name
    assert "成都市金牛区" in (out / "report.md").read_text(encoding="utf-8")
    # Only the core is installed: the picture is skipped with a hint, never a traceback.
    assert "wushe[plot]" in result.stderr
    assert "Traceback" not in result.stderr


def test_installed_readme_example_runs_from_any_folder(installed):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(.*?)```", text, re.DOTALL)
    assert block is not None
    script = installed.workdir / "readme_example.py"
    script.write_text(block.group(1), encoding="utf-8")
    result = installed.run(installed.bin / "python", script)
    assert result.returncode == 0, result.stderr
    assert "重庆市渝中区七星岗街道 9 stations" in result.stdout
    assert "钱*芳" in result.stdout
