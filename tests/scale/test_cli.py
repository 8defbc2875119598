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
    assert payload["facts"]["month"] == "2023-12"
    assert payload["failed"] == []


def test_run_on_a_folder_that_is_no_store_is_one_clear_line(tmp_path: Path) -> None:
    code, out, err = _run("run", str(tmp_path), "--as-of", "2024-06-30")
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert "not a wushe store" in err
