"""The wheel works once installed: built, installed into a fresh environment, run from elsewhere.

The session fixture builds the wheel with ``pip wheel``, creates a virtual environment
without system site packages in a temporary folder outside the repository, installs the
wheel with its core dependencies only (from the pip cache or PyPI) and runs every check from
a temporary working directory, so nothing can come from the source tree. A second fixture
builds the sdist with hatchling and checks it carries what the tests and docs need. It
takes about a minute; run it alone with::

    .venv/bin/pytest tests/test_installed_wheel.py     # or: pytest -m wheel
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
    "project"
]["version"]

pytestmark = pytest.mark.wheel


@dataclass(frozen=True)
class Installed:
    wheel: Path
    bin: Path
    workdir: Path
    env: dict[str, str]

    def run(self, *argv: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(a) for a in argv],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )


def _clean_env(bindir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"}
    }
    env["PATH"] = os.pathsep.join([str(bindir), "/usr/bin", "/bin"])
    env["PYTHONNOUSERSITE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["WUSHE_LANG"] = "en"
    return env


def _pip(*argv: str | Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("installed-wheel")
    assert not base.is_relative_to(ROOT)
    _pip("wheel", ROOT, "--no-deps", "--quiet", "--wheel-dir", base / "dist")
    (wheel,) = (base / "dist").glob("wushe-*.whl")
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(base / "venv")
    bindir = base / "venv" / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    _pip("--python", python, "install", "--quiet", wheel)
    workdir = base / "work"
    workdir.mkdir()
    return Installed(wheel=wheel, bin=bindir, workdir=workdir, env=_clean_env(bindir))


@pytest.fixture(scope="session")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("sdist")
    venv.EnvBuilder(with_pip=False).create(base / "venv")
    python = base / "venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    _pip("--python", python, "install", "--quiet", "hatchling")
    result = subprocess.run(
        [python, "-m", "hatchling", "build", "-t", "sdist", "-d", base / "dist"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (archive,) = (base / "dist").glob("wushe-*.tar.gz")
    return archive


def test_the_sdist_carries_what_the_tests_and_docs_need(sdist):
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    for needed in ("conftest.py", "LICENSE", "README.md", "CHANGELOG.md", "Makefile"):
        assert needed in names
    assert "src/wushe/examples/data/jinniu.json" in names
    assert "tests/test_installed_wheel.py" in names
    assert "docs/index.md" in names
    assert not any(n.startswith(("docs/_build", ".venv")) for n in names)


def test_the_wheel_ships_the_example_data_the_license_and_the_type_marker(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    localities = ("hubei", "jinniu", "jiulong", "qianfeng", "qixinggang", "shanxi")
    for locality in (*localities, "wengan", "yibin"):
        assert f"wushe/examples/data/{locality}.json" in names
    assert "wushe/examples/data/jinniu_visits.json" in names
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
