from __future__ import annotations

import io
import json
from pathlib import Path

from distributed import LocalCluster

from wushe import examples
from wushe.cli import main

DATA = examples.path("jinniu").parent


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_store_then_run_reports_the_month(
    tmp_path: Path, cluster: LocalCluster
) -> None:
    store = tmp_path / "store"
    code, out, _ = _run("store", str(DATA / "jinniu.json"), "--out", str(store),
                        "--visits", str(DATA / "jinniu_visits.json"), "--lang", "zh")  # fmt: skip
    assert code == 0
    assert "510106" in out
    assert "1 个分区" in out
    code, out, _ = _run("run", str(store), "--as-of", "2023-12-31", "--json",
                        "--scheduler", cluster.scheduler_address)  # fmt: skip
    assert code == 0
    payload = json.loads(out)
    assert payload["completed"] == ["510106"]
    assert payload["totals"]["month"] == "2023-12"
    assert payload["failed"] == []
    [name] = payload["files"].values()
    assert (Path(payload["folder"]) / name).is_file()
    assert Path(payload["folder"]).parent == store / "runs"


def test_run_writes_the_facts_where_it_is_told(
    tmp_path: Path, cluster: LocalCluster
) -> None:
    store, out = tmp_path / "store", tmp_path / "facts"
    _run("store", str(DATA / "jinniu.json"), "--out", str(store))
    code, text, _ = _run("run", str(store), "--as-of", "2023-12-31", "--results", str(out),
                         "--scheduler", cluster.scheduler_address)  # fmt: skip
    assert code == 0
    assert str(out / "2023-12-31") in text
    assert [p.name for p in (out / "2023-12-31").glob("510106-*.json")]
    assert not (store / "runs").exists()


def test_run_into_a_results_folder_it_cannot_write_is_one_clear_line(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    _run("store", str(DATA / "jinniu.json"), "--out", str(store))
    (tmp_path / "taken").write_text("a file where the folder should go")
    code, out, err = _run("run", str(store), "--as-of", "2023-12-31",
                          "--results", str(tmp_path / "taken"))  # fmt: skip
    assert code != 0
    assert out == ""
    assert err.count("\n") == 1
    assert str(tmp_path / "taken") in err


def test_run_on_a_folder_that_is_no_store_is_one_clear_line(tmp_path: Path) -> None:
    code, out, err = _run("run", str(tmp_path), "--as-of", "2024-06-30")
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert "not a wushe store" in err
