"""A roster kept under a statutory duty loads, with a warning per child (PIPL Arts. 13, 31)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from wushe import examples
from wushe.cli import main
from wushe.exceptions import LoadError
from wushe.io import load_dataset, load_report
from wushe.matching import ReasonCode, match

EXAMPLE = examples.path("qixinggang")
CHILD = "qxg-p03"  # 韩思琪, born 2012: nine on the example's date


def _with_child_consents(tmp_path: Path, consents: list[dict[str, Any]]) -> Path:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    for record in data["recipients"]:
        if record["recipient_id"] == CHILD:
            record["consents"] = consents
    path = tmp_path / "roster.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


STATUTORY = [
    {
        "purpose": purpose,
        "basis": "statutory_duty",
        "valid_from": "2022-01-10",
        "reference": "《关于进一步加强困境儿童保障工作的意见》",
    }
    for purpose in ("casework", "care_visit", "referral")
]


def test_the_seed_localities_load_without_warnings_but_jinniu_flags_its_orphans():
    assert load_report(EXAMPLE).warnings == ()
    jinniu = load_report(EXAMPLE.with_name("jinniu.json"))
    assert jinniu.ok
    assert {w.code for w in jinniu.warnings} == {"minor_without_guardian_consent"}
    assert len(jinniu.warnings) == 10


def test_a_statutory_roster_loads_with_a_warning_naming_the_record(tmp_path):
    path = _with_child_consents(tmp_path, STATUTORY)
    report = load_report(path)
    assert report.ok
    [warning] = report.warnings
    assert (warning.record_id, warning.field, warning.code) == (
        CHILD,
        "consents",
        "minor_without_guardian_consent",
    )
    assert warning.row == 3
    assert "warning:" in report.summary()
    assert "韩思琪" not in report.summary()
    assert load_dataset(path).recipients[2].recipient_id == CHILD


def test_a_statutory_child_gets_a_worker_but_no_volunteer(tmp_path):
    ds = load_dataset(_with_child_consents(tmp_path, STATUTORY))
    plan = match(ds.needs, ds)
    done, open_roles = plan.for_need("qxg-n03")
    assert [a.role.value for a in done] == ["lead_social_worker"]
    [volunteers] = open_roles
    assert volunteers.reasons == (ReasonCode.NO_LAWFUL_BASIS,)


def test_a_child_with_no_basis_at_all_is_still_rejected(tmp_path):
    path = _with_child_consents(tmp_path, [])
    with pytest.raises(LoadError) as caught:
        load_dataset(path)
    issue = caught.value.report.issues[0]
    assert (issue.record_id, issue.code) == (CHILD, "value_error")
    assert "child under 14 needs a lawful basis" in issue.message


def test_wushe_validate_shows_the_warning_and_still_succeeds(tmp_path, capsys):
    path = _with_child_consents(tmp_path, STATUTORY)
    assert main(["validate", str(path), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is True
    assert [w["code"] for w in payload["warnings"]] == [
        "minor_without_guardian_consent"
    ]


def test_a_referral_sent_without_a_basis_for_it_is_flagged(tmp_path):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["referrals"] = [
        {
            "referral_id": f"ref-{rid}",
            "recipient_id": rid,
            "station_id": "qxg-ts",
            "unit": "卫健",
            "sent_on": "2022-03-20",
        }
        for rid in ("qxg-p01", "qxg-p02")  # consent without referral; statutory duty
    ]
    path = tmp_path / "referrals.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    report = load_report(path)
    assert report.ok, report.summary()
    [warning] = report.warnings
    assert (warning.record_id, warning.code) == (
        "ref-qxg-p01",
        "referral_without_lawful_basis",
    )
