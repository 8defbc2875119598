"""Fresh environments holding the built wheel, outside the repository: the helpers.

The session builds the wheel once with ``pip wheel`` and installs it into virtual
environments without system site packages in a temporary folder outside the repository:
one with the core dependencies only and, when a selected test asks for it, one with the
extras that change what a command can do (``dask``, ``xlsx``, ``plot``, ``yaml``). Both
installs take their packages from the pip cache or the configured package index, skip
byte-compiling (the commands compile what they import on first use), and run side by side.
Every command then runs from a temporary working directory with ``PYTHONPATH`` unset, so
nothing can come from the source tree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import venv
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
    "project"
]["version"]
# The extras a user installs to run a province, read Excel ledgers and draw the pictures.
EXTRAS = "dask,plot,xlsx,yaml"
# PYTHONDONTWRITEBYTECODE goes too: the environment is ours, and without its byte code
# every command would compile each module it imports again.
_UNSET = {
    "PYTHONPATH",
    "PYTHONHOME",
    "VIRTUAL_ENV",
    "PYTHONSTARTUP",
    "PYTHONDONTWRITEBYTECODE",
}
# Imported once after installing, so the commands that then run side by side find the
# byte code written instead of each compiling the same modules.
_WARM = (
    "wushe.cli, wushe.io, wushe.matching, wushe.network, wushe.evaluation, wushe.care"
)
_WARM_EXTRAS = "wushe.scale, distributed, openpyxl, matplotlib.pyplot, yaml"


@dataclass(frozen=True)
class Installed:
    """One virtual environment holding the wheel, and a working folder outside the repo."""

    wheel: Path
    bin: Path
    workdir: Path
    env: dict[str, str]

    @property
    def wushe(self) -> Path:
        return self.bin / ("wushe.exe" if os.name == "nt" else "wushe")

    @property
    def python(self) -> Path:
        return self.bin / ("python.exe" if os.name == "nt" else "python")

    @property
    def data(self) -> Path:
        """The example files as installed in this environment."""
        return site_packages(self.bin.parent) / "wushe" / "examples" / "data"

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


def site_packages(prefix: Path) -> Path:
    """The site-packages folder of the virtual environment at ``prefix``."""
    (folder,) = (
        *prefix.glob("lib/python3*/site-packages"),
        *prefix.glob("Lib/site-packages"),
    )
    return folder


def _clean_env(bindir: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _UNSET and not k.startswith(("DASK_", "WUSHE_"))
    }
    env["PATH"] = os.pathsep.join([str(bindir), "/usr/bin", "/bin"])
    env["PYTHONNOUSERSITE"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    env["WUSHE_LANG"] = "en"
    return env


def pip(*argv: str | Path) -> None:
    """Run pip from the test's interpreter; ``--python`` points it at another one."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, argv)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def make_venv(folder: Path) -> Path:
    """A fresh virtual environment without pip or system site packages; its python."""
    venv.EnvBuilder(with_pip=False, system_site_packages=False).create(folder)
    return folder / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def install(base: Path, wheel: Path, extras: str) -> Installed:
    """Install ``wheel`` with ``extras`` into a fresh environment under ``base``."""
    python = make_venv(base / "venv")
    requirement = f"{wheel}[{extras}]" if extras else str(wheel)
    pip("--python", python, "install", "--quiet", "--no-compile", requirement)
    workdir = base / "work"
    workdir.mkdir()
    env = Installed(
        wheel=wheel, bin=python.parent, workdir=workdir, env=_clean_env(python.parent)
    )
    modules = f"{_WARM}, {_WARM_EXTRAS}" if extras else _WARM
    warmed = env.run(python, "-c", f"import {modules}")
    assert warmed.returncode == 0, warmed.stderr
    return env
