"""``wushe simulate``: what-if scenarios from a file (容量推演命令)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.test_cli import EXAMPLE, run
from wushe.cli import EXIT_INVALID_DATA, EXIT_OK


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
