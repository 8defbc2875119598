"""``wushe simulate``: what-if scenarios from a file (容量推演命令)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import EXAMPLE, run
from wushe import examples
from wushe.cli import EXIT_INVALID_DATA, EXIT_OK
from wushe.exceptions import MatchingError
from wushe.matching import Scenario, simulate


def _scenarios(tmp_path: Path, body: object) -> str:
    path = tmp_path / "scenarios.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    return str(path)


def test_simulate_reports_every_scenario_against_the_baseline(tmp_path):
    file = _scenarios(
        tmp_path,
        {
            "scenarios": [
                {
                    "name": "more volunteers",
                    "changes": [
                        {"change": "clone", "actor_id": "qxg-v01", "copies": 5}
                    ],
                },
                {
                    "name": "caseload 30",
                    "changes": [
                        {"change": "capacity", "actor_id": "qxg-w01", "set_to": 30}
                    ],
                },
            ]
        },
    )
    code, text = run("simulate", EXAMPLE, "--scenario", file, "--json")
    assert code == EXIT_OK
    data = json.loads(text)
    assert [s["scenario"] for s in data["scenarios"]] == [
        "more volunteers",
        "caseload 30",
    ]
    assert [s["rebuilt"] for s in data["scenarios"]] == [True, False]
    code, text = run("simulate", EXAMPLE, "--scenario", file, "--lang", "zh")
    assert code == EXIT_OK
    assert "情景" in text


def test_simulate_names_the_bad_field_or_the_unknown_actor(tmp_path, capsys):
    bad = [{"name": "x", "changes": [{"change": "capacity", "actor_id": "w"}]}]
    code, _ = run("simulate", EXAMPLE, "--scenario", _scenarios(tmp_path, bad))
    assert code == EXIT_INVALID_DATA
    assert "scenarios.0.changes.0" in capsys.readouterr().err
    unknown = [
        {
            "name": "x",
            "changes": [{"change": "clone", "actor_id": "nobody", "copies": 1}],
        }
    ]
    code, _ = run("simulate", EXAMPLE, "--scenario", _scenarios(tmp_path, unknown))
    assert code == EXIT_INVALID_DATA
    assert "'nobody'" in capsys.readouterr().err


def test_an_unknown_actor_names_the_scenario_file_too(tmp_path, capsys):
    unknown = [{"name": "x", "changes": [{"change": "clone", "actor_id": "nobody", "copies": 1}]}]  # fmt: skip
    file = _scenarios(tmp_path, unknown)
    code, _ = run("simulate", EXAMPLE, "--scenario", file)
    assert code == EXIT_INVALID_DATA
    [line] = capsys.readouterr().err.splitlines()
    assert file in line


JINNIU = str(examples.path("jinniu.json"))


@pytest.mark.parametrize(
    ("dataset", "change"),
    [
        (EXAMPLE, {"change": "capacity", "actor_id": "qxg-w01", "set_to": 2**63}),
        (EXAMPLE, {"change": "capacity", "actor_id": "qxg-v01", "add": 10**7}),
        (JINNIU, {"change": "amount", "resource_id": "jn-res-community-fund", "add": "1e999999"}),
    ],
)  # fmt: skip
def test_a_change_past_the_model_bounds_is_refused_not_a_crash(
    tmp_path, capsys, dataset, change
):
    """model_copy validates nothing: a capacity of 2**63 used to overflow (#11)."""
    file = _scenarios(tmp_path, [{"name": "big", "changes": [change]}])
    code, _ = run("simulate", dataset, "--scenario", file)
    err = capsys.readouterr().err
    assert code == EXIT_INVALID_DATA, err
    assert "would exceed" in err
    assert "Traceback" not in err


def test_a_long_scenario_name_is_clipped_in_the_engine_message():

    ds = examples.load("qixinggang")
    bad = Scenario.model_validate({"name": "n" * 5000, "changes": [{"change": "clone", "actor_id": "nobody", "copies": 1}]})  # fmt: skip
    with pytest.raises(MatchingError) as info:
        simulate(ds.needs, ds, [bad])
    assert len(str(info.value)) < 300
