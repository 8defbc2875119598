"""The sdist carries the tests and docs, and installs exactly what the wheel installs.

The sdist is built by hatchling in a fresh environment, then installed by pip from that
archive into the same environment. Its installed package is compared file by file with the
wheel the other tests install and run, so every check made on the wheel holds for an
install from the sdist too, without a second round of commands.
"""

from __future__ import annotations

import subprocess
import tarfile
import zipfile
from pathlib import Path

import pytest

from tests.installed.environment import (
    ROOT,
    VERSION,
    make_venv,
    pip,
    site_packages,
)

pytestmark = pytest.mark.wheel


@pytest.fixture(scope="session")
def sdist_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The sdist built by hatchling, and the environment's python that built it."""
    base = tmp_path_factory.mktemp("sdist")
    python = make_venv(base / "venv")
    pip("--python", python, "install", "--quiet", "--no-compile", "hatchling")
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
    return archive, python


def test_the_sdist_carries_what_the_tests_and_docs_need(sdist_env):
    sdist, _ = sdist_env
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    for needed in ("conftest.py", "LICENSE", "README.md", "CHANGELOG.md", "Makefile"):
        assert needed in names
    assert "src/wushe/examples/data/jinniu.json" in names
    assert "tests/installed/test_sdist.py" in names
    assert "docs/index.md" in names
    assert not any(n.startswith(("docs/_build", ".venv")) for n in names)


def _wheel_files(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as archive:
        return {
            name: archive.read(name)
            for name in archive.namelist()
            if not name.endswith("/") and not name.endswith("dist-info/RECORD")
        }


def _installed_files(python: Path) -> dict[str, bytes]:
    package = site_packages(python.parents[1])
    found: dict[str, bytes] = {}
    for top in (package / "wushe", package / f"wushe-{VERSION}.dist-info"):
        for path in top.rglob("*"):
            name = path.relative_to(package).as_posix()
            if path.is_file() and "__pycache__" not in path.parts:
                found[name] = path.read_bytes()
    return found


def test_pip_installs_from_the_sdist_exactly_the_files_of_the_wheel(sdist_env, wheel):
    sdist, python = sdist_env
    pip("--python", python, "install", "--quiet", "--no-deps", "--no-compile",
        "--no-build-isolation", sdist)  # fmt: skip
    installed = _installed_files(python)
    expected = _wheel_files(wheel)
    # pip writes its own bookkeeping beside the wheel's metadata.
    extra = {n for n in installed.keys() - expected.keys() if n.endswith(
        ("/INSTALLER", "/RECORD", "/REQUESTED", "/direct_url.json"))}  # fmt: skip
    assert installed.keys() - extra == expected.keys()
    differing = [n for n in expected if installed[n] != expected[n]]
    assert differing == []
    assert f"wushe-{VERSION}.dist-info/entry_points.txt" in expected
    assert "wushe/examples/data/jinniu.json" in expected
