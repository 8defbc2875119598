"""Installed with its core dependencies only, a command that needs an extra says which.

Each command below needs an optional extra for the input or output it is given. From the
installed wheel, without the extra, it must end with exit code 2 (``EXIT_USAGE``, see
docs/reference/cli.md) and one line on standard error that names the
``pip install 'wushe[extra]'`` to run, never a traceback; it prints nothing on standard
output and leaves no output file or folder behind.
The inputs are real: a store written by the installed ``wushe store`` (which needs no
extra), an XLSX workbook and a folder of CSV ledgers written by the repository's exporter.
The commands run a few at a time to keep the wall time down.
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.installed.environment import Installed
from wushe import examples
from wushe.cli import EXIT_OK, EXIT_USAGE
from wushe.io import export_ledgers

pytestmark = pytest.mark.wheel

# (case, extra, arguments): {data} is the installed example folder, {work} holds the
# inputs and {out} is the case's own output folder, which must not come to exist.
CASES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("run a store", "dask", ("run", "{work}/store", "--as-of", "2024-06-30")),
    ("export a workbook", "xlsx",
     ("export", "{data}/qixinggang.json", "{out}/ledgers.xlsx")),
    ("validate a workbook, in Chinese", "xlsx",
     ("validate", "{work}/ledgers.xlsx", "--base", "{data}/qixinggang.json",
      "--lang", "zh")),
    ("import a workbook", "xlsx",
     ("import", "{work}/ledgers.xlsx", "--base", "{data}/qixinggang.json",
      "--out", "{out}/imported.json")),
    ("match with a YAML policy", "yaml",
     ("match", "{data}/qixinggang.json", "--policy", "{data}/policy.yaml")),
    ("evaluate with a YAML rubric", "yaml",
     ("evaluate", "{data}/jinniu.json", "--project", "jn-proj-system",
      "--rubric", "{data}/rubric_station_review.yaml")),
    ("import into a YAML dataset", "yaml",
     ("import", "{work}/csv", "--base", "{data}/qixinggang.json",
      "--out", "{out}/imported.yaml")),
)  # fmt: skip


@pytest.fixture(scope="session")
def outcomes(
    installed: Installed,
) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every case's command, run from the core environment."""
    work = installed.workdir / "missing-extras"
    work.mkdir()
    county = examples.load("qixinggang")
    export_ledgers(county, work / "ledgers.xlsx")
    export_ledgers(county, work / "csv", reveal=True, reason="test input")
    data = installed.data
    stored = installed.run(
        installed.wushe, "store", data / "qixinggang.json", "--out", work / "store"
    )
    assert stored.returncode == EXIT_OK, stored.stderr

    def run(case: str, argv: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
        out = work / "out" / case.replace(" ", "-")
        filled = [a.format(data=data, work=work, out=out) for a in argv]
        return installed.run(installed.wushe, *filled)

    with ThreadPoolExecutor(max_workers=3) as pool:
        done = pool.map(
            run, *zip(*[(case, argv) for case, _, argv in CASES], strict=True)
        )
        return {case: result for (case, _, _), result in zip(CASES, done, strict=True)}


@pytest.mark.parametrize(("case", "extra"), [(case, extra) for case, extra, _ in CASES])
def test_a_command_needing_a_missing_extra_names_it_in_one_line(
    outcomes, installed, case, extra
):
    result = outcomes[case]
    assert result.returncode == EXIT_USAGE, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(("wushe: error: ", "wushe: 错误："))
    assert f"pip install 'wushe[{extra}]'" in lines[0]
    assert result.stdout == ""
    assert not (
        installed.workdir / "missing-extras" / "out" / case.replace(" ", "-")
    ).exists()


def test_in_chinese_the_missing_extra_line_is_chinese(outcomes):
    line = outcomes["validate a workbook, in Chinese"].stderr
    assert line.startswith("wushe: 错误：缺少可选依赖 openpyxl")


def test_evaluate_without_the_plot_extra_writes_the_report_and_says_what_is_missing(
    installed: Installed,
):
    out = installed.workdir / "evaluation"
    data = installed.data
    result = installed.run(
        installed.wushe, "evaluate", data / "jinniu.json",
        "--project", "jn-proj-system", "--scores", data / "jinniu_scores.json",
        "--out", out,
    )  # fmt: skip
    assert result.returncode == EXIT_OK, result.stderr
    assert "Traceback" not in result.stderr
    (hint,) = result.stderr.splitlines()
    assert "pip install 'wushe[plot]'" in hint
    written = {p.suffix for p in Path(out).iterdir()}
    assert written == {".md", ".html", ".json"}
