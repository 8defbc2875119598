"""Installed with its extras, the wheel runs a province, reads Excel and draws its pictures.

The same wheel, installed with ``wushe[dask,plot,xlsx,yaml]`` into its own fresh
environment, runs from a temporary folder:

- a store of two counties written by the installed package, run with ``wushe run`` on a
  local cluster of two worker processes that the installed package starts (each worker
  imports wushe from the environment, as nothing else provides it), then run again from
  the facts it kept;
- an XLSX workbook written by ``wushe export`` and read back by ``wushe import`` into a
  base without records: the dataset comes back equal, collection by collection;
- ``wushe demo``, whose report now holds the two pictures the core install skips.

The three run side by side. The run's facts are compared with the repository's own
computation of the same store's partitions in this process, so the installed package on a
cluster works the same as the source tree does in one process.
"""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

from tests.installed.environment import Installed
from wushe import examples
from wushe.cli import EXIT_OK
from wushe.io import load_dataset, open_store
from wushe.models import COLLECTIONS
from wushe.scale import (
    MonthlyTotals,
    combine,
    combine_totals,
    read_facts,
    run_partition,
)

pytestmark = pytest.mark.wheel

AS_OF = date(2023, 12, 31)
EMPTY_BASE = {"name": "成都市金牛区", "division_code": "510106", "as_of": "2023-12-31"}
Results = dict[str, subprocess.CompletedProcess[str]]

# Written and run by the installed interpreter: the how-to's StoreWriter, two counties.
STORE_SCRIPT = """
import sys
from wushe import examples
from wushe.io import StoreWriter, load_visit_log

with StoreWriter(sys.argv[1], name="两个区县", division_code="000000") as writer:
    jinniu = examples.load("jinniu")
    log = examples.path("jinniu_visits.json")
    visits, incidents = load_visit_log(log, dataset=jinniu)
    writer.add(jinniu, visits=visits, incidents=incidents)
    writer.add(examples.load("qixinggang"))
print(" ".join(writer.manifest.keys))
"""


def _province(env: Installed) -> Results:
    script = env.workdir / "write_store.py"
    script.write_text(STORE_SCRIPT, encoding="utf-8")
    store = env.workdir / "store"
    results = {"store": env.run(env.python, script, store)}
    if results["store"].returncode != EXIT_OK:
        return results
    run = (env.wushe, "run", store, "--as-of", AS_OF.isoformat(), "--workers", "2")
    results["run"] = env.run(*run, "--json")
    results["again"] = env.run(*run)
    return results


def _workbook(env: Installed) -> Results:
    jinniu, workbook = env.data / "jinniu.json", env.workdir / "ledgers.xlsx"
    results = {"export": env.run(env.wushe, "export", jinniu, workbook, "--reveal")}
    # A base with no records, so every record of the dataset comes from the workbook.
    base = env.workdir / "empty-base.json"
    base.write_text(json.dumps(EMPTY_BASE, ensure_ascii=False), encoding="utf-8")
    out = env.workdir / "from-workbook.json"
    results["import"] = env.run(
        env.wushe, "import", workbook, "--base", base, "--out", out
    )
    return results


def _demo(env: Installed) -> Results:
    return {"demo": env.run(env.wushe, "demo", "--out", env.workdir / "demo-report")}


@pytest.fixture(scope="session")
def outcomes(installed_extras: Installed) -> Results:
    """Each command's result, by name; the three groups run side by side."""
    with ThreadPoolExecutor(max_workers=3) as pool:
        groups = [
            pool.submit(f, installed_extras) for f in (_province, _workbook, _demo)
        ]
        return {name: r for g in groups for name, r in g.result().items()}


def _expected(store: Path, results: Path) -> tuple[Any, Any]:
    """The month of every partition of ``store``, computed by the repository in this
    process without Dask, and added up as ``wushe run`` adds them: (totals, facts)."""
    keys = open_store(store).manifest.keys
    totals = [
        run_partition(str(store), k, AS_OF.isoformat(), str(results)) for k in keys
    ]
    assert all(isinstance(t, MonthlyTotals) for t in totals)
    facts = combine(read_facts(next(results.glob(f"{k}-*.json"))) for k in keys)
    return _plain(combine_totals(totals)), _plain(facts)  # type: ignore[arg-type]


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(attrs.asdict(value)))


def test_the_installed_package_writes_a_store_of_two_counties(outcomes):
    result = outcomes["store"]
    assert result.returncode == EXIT_OK, result.stderr
    assert result.stdout.split() == ["500103", "510106"]


def test_wushe_run_on_a_local_cluster_gives_the_facts_of_one_process(
    outcomes, installed_extras
):
    result = outcomes["run"]
    assert result.returncode == EXIT_OK, result.stderr
    assert "Traceback" not in result.stderr
    payload = json.loads(result.stdout)
    assert payload["completed"] == ["500103", "510106"]
    assert payload["recomputed"] == ["500103", "510106"]
    assert payload["failed"] == []
    totals = payload["totals"]
    assert totals["divisions"]["national"]["person_times"] > 0
    assert totals["warnings"] > 0
    folder = Path(payload["folder"])
    facts = combine(read_facts(folder / name) for name in payload["files"].values())
    expected_totals, expected_facts = _expected(
        installed_extras.workdir / "store", installed_extras.workdir / "repo-results"
    )
    assert totals == expected_totals
    assert _plain(facts) == expected_facts


def test_a_second_run_reads_the_unchanged_partitions_back(outcomes):
    result = outcomes["again"]
    assert result.returncode == EXIT_OK, result.stderr
    first = json.loads(outcomes["run"].stdout)
    national = first["totals"]["divisions"]["national"]["person_times"]
    assert "2023-12: 2 partition(s) in the result (0 computed" in result.stdout
    assert f"service person-times  {national}" in result.stdout


def test_an_exported_workbook_reads_back_into_the_same_dataset(
    outcomes, installed_extras
):
    exported = outcomes["export"]
    assert exported.returncode == EXIT_OK, exported.stderr
    result = outcomes["import"]
    assert result.returncode == EXIT_OK, result.stderr
    assert "no issues" in result.stdout
    back = load_dataset(installed_extras.workdir / "from-workbook.json")
    jinniu = examples.load("jinniu")
    assert len(back.recipients) == 2090
    for collection in COLLECTIONS:
        assert back.records(collection) == jinniu.records(collection), collection


def test_installed_demo_with_the_plot_extra_draws_both_pictures(
    outcomes, installed_extras
):
    result = outcomes["demo"]
    assert result.returncode == EXIT_OK, result.stderr
    assert "wushe[" not in result.stderr
    assert "Traceback" not in result.stderr
    out = installed_extras.workdir / "demo-report"
    for picture in ("station-tree.png", "evaluation.png"):
        assert (out / picture).read_bytes().startswith(b"\x89PNG\r\n\x1a\n"), picture
    for name in ("report.html", "report.md", "match-plan.json", "evaluation.html"):
        assert (out / name).is_file(), name
    assert "成都市金牛区" in (out / "report.md").read_text(encoding="utf-8")
