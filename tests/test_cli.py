from __future__ import annotations

import io
import json
from pathlib import Path

from wushe.cli import EXIT_INVALID_DATA, EXIT_OK, EXIT_USAGE, main

EXAMPLE = str(Path(__file__).parents[1] / "examples" / "data" / "qixinggang.json")


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_validate_accepts_the_example():
    code, text = run("validate", EXAMPLE)
    assert code == EXIT_OK
    assert "no issues" in text


def test_validate_reports_bad_data_with_exit_code_1(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"name": "x", "division_code": "500103", "recipients": [{"recipient_id": "p"}]}',
        encoding="utf-8",
    )
    code, text = run("validate", str(bad), "--json")
    assert code == EXIT_INVALID_DATA
    issues = json.loads(text)["issues"]
    assert {i["field"] for i in issues} >= {"name", "community_id"}


def test_usage_errors_exit_with_2():
    assert run("no-such-command")[0] == EXIT_USAGE
    assert run("schema", "NoSuchModel")[0] == EXIT_USAGE


def test_schema_prints_json_schema_with_sensitive_markers():
    code, text = run("schema", "Recipient")
    assert code == EXIT_OK
    schema = json.loads(text)
    assert (
        schema["properties"]["id_number"]["anyOf"][0]["x-sensitive"]
        == "identity number"
    )
