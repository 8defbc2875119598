"""``wushe export --for``: a purpose's columns, its people, the count of those left out (#10)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.test_cli import EXAMPLE, run, run_err
from wushe import examples
from wushe.cli import EXIT_OK, EXIT_USAGE
from wushe.io import EXPORT_FIELDS
from wushe.models import has_basis
from wushe.vocab import ConsentPurpose


def test_export_for_volunteers_writes_its_columns_and_counts_those_left_out(
    tmp_path: Path,
) -> None:
    code, out = run(
        "export", EXAMPLE, str(tmp_path), "--for", "volunteers", "--headers", "en",
        "--json",
    )  # fmt: skip
    assert code == EXIT_OK
    payload = json.loads(out)
    ds = examples.load("qixinggang")
    assert ds.as_of is not None
    purpose = ConsentPurpose.SHARE_WITH_VOLUNTEERS
    lacking = [r for r in ds.recipients if not has_basis(r, purpose, ds.as_of)]
    assert payload["withheld"] == len(lacking)
    assert payload["for"] == "volunteers"
    with (tmp_path / "recipients.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert set(rows[0]) <= EXPORT_FIELDS[purpose]["recipients"]
    assert {r["recipient_id"] for r in rows}.isdisjoint(r.recipient_id for r in lacking)


def test_export_for_says_how_many_were_left_out_never_who(tmp_path: Path) -> None:
    code, out, _ = run_err("export", EXAMPLE, str(tmp_path), "--for", "organizations")
    assert code == EXIT_OK
    assert "left out" in out or "未导出" in out
    for person in examples.load("qixinggang").recipients:
        assert person.recipient_id not in out


def test_export_for_refuses_hsds_and_a_ledger_the_purpose_does_not_share(
    tmp_path: Path,
) -> None:
    code, _, err = run_err(
        "export", EXAMPLE, str(tmp_path / "h"), "--hsds", "--for", "volunteers"
    )
    assert code == EXIT_USAGE
    assert "--for" in err
    code, _, err = run_err(
        "export", EXAMPLE, str(tmp_path / "x.xlsx"), "--for", "volunteers",
        "--kind", "workers",
    )  # fmt: skip
    assert code == EXIT_USAGE
    assert "workers" in err
