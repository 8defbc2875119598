"""``wushe run`` past the cluster's start: stores with damaged partitions (分区运行模糊测试).

``tests/test_cli_fuzz.py`` gives ``wushe run`` only what fails before a cluster starts. Here
the run gets a well-formed store with one or more damaged partitions (the damage of
``tests/io/test_fuzz_store.py``) and runs on the session's local cluster, the cheap way:
the cluster starts once for every scale test, and a case costs a connection and a few
small tasks. Every case must

- complete every partition that is not damaged, and name each one that is not in the
  result with its problems (``--json``: ``failed``), one ``wushe: error:`` line naming the
  store, exit code 1 (:data:`~wushe.cli.EXIT_INVALID_DATA`), and no traceback;
- leak nothing of a person planted in a damaged record: no name, given name, ID number,
  phone, nor the pieces (birth date, last digits) a masked form would add up to.

:func:`~wushe.scale.run_partition`, the task itself, is fuzzed in-process with
``FUZZ_EXAMPLES`` cases; the cluster runs ``WUSHE_RUN_FUZZ_CASES`` (default 6).
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import tempfile
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import attrs
import pytest
from distributed import LocalCluster
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.io.test_fuzz import FUZZ, bounded_call
from tests.io.test_fuzz_store import (
    KEYS,
    entry,
    fresh_copy,
    manifest,
    partition_damage,
    repeat_a_key,
    write_manifest,
)
from tests.scale.province import make_province
from tests.stores import edit_partition, partition_path, rewrite_partition
from tests.test_cli_fuzz import Case, check
from wushe.care import VisitRecord
from wushe.cli import EXIT_INVALID_DATA, main
from wushe.codes import id_check_character
from wushe.exceptions import StoreError
from wushe.io import write_store
from wushe.io._partition import encode_partition, partition_document
from wushe.models import COLLECTIONS, Dataset
from wushe.scale import MonthlyTotals, PartitionFailure, run_monthly, run_partition
from wushe.scale._run import _failure_of

AS_OF = "2024-06-30"
RUN_CASES = int(os.environ.get("WUSHE_RUN_FUZZ_CASES", "6"))

# A fictitious person planted in a damaged record. Distinctive values, so that finding
# any piece of them in the output cannot be chance.
BIRTH = "19370829"
ID_NUMBER = "510101" + BIRTH + "417" + id_check_character("510101" + BIRTH + "417")
PHONE = "13987654321"
NAME = "欧阳铁柱"
SECRETS = {
    "name": NAME,
    "given name": NAME[2:],
    "ID number": ID_NUMBER,
    "ID number's birth date": BIRTH,
    "birth date": "1937-08-29",
    "ID number's last four": ID_NUMBER[-4:],
    "phone": PHONE,
    "phone's last four": PHONE[-4:],
    "phone's middle": PHONE[3:7],
}


def _person(how: str) -> dict[str, Any]:
    """The planted recipient record, damaged in one way."""
    person: dict[str, Any] = {
        "recipient_id": "planted", "name": NAME, "community_id": "c510101-s1c1",
        "target_groups": ["独居老人"], "id_number": ID_NUMBER, "phone": PHONE,
    }  # fmt: skip
    if how == "reference":
        person["community_id"] = "nowhere"
    elif how == "id check":
        person["id_number"] = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")
    elif how == "phone":
        person["phone"] = PHONE[:-1] + "x"
    elif how == "type":
        person["target_groups"] = 12345
    elif how == "extra field":
        person["home_address"] = NAME + PHONE
    return person


HOW = ["reference", "id check", "phone", "type", "extra field", "repeated key"]


def plant(root: Path, how: str, key: str = "510101") -> None:
    """Add the planted person to partition ``key``, damaged, with counts and checksum kept."""
    person = _person(how)
    if key != "510101":
        person["community_id"] = person["community_id"].replace("510101", key)
    if how != "repeated key":
        edit_partition(
            root, key, lambda document: document["recipients"].append(person)
        )
    else:  # the name written twice in the planted record, in a line of whole records
        document = partition_document(partition_path(root, key).read_bytes())
        rows = [*document.pop("recipients"), person]
        header = {k: v for k, v in document.items() if k not in COLLECTIONS}
        body = {k: v for k, v in document.items() if k in COLLECTIONS}
        line = json.dumps(["rows", "recipients", rows], ensure_ascii=False)
        at = line.index('"recipient_id": "planted"')
        line = line[:at] + f'"name": "{NAME}", ' + line[at:]
        data = encode_partition(header, body) + line.encode() + b"\n"
        rewrite_partition(root, key, data)
    tree = manifest(root)
    entry(tree, key)["counts"]["recipients"] += 1
    write_manifest(root, tree)


def _leaks(text: str) -> list[str]:
    return [what for what, value in SECRETS.items() if value in text]


def _run(root: Path, cluster: LocalCluster, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    argv = [
        "run",
        str(root),
        "--as-of",
        AS_OF,
        "--scheduler",
        cluster.scheduler_address,
    ]
    code = main([*argv, *extra], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def three_counties(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of three small counties with visit logs."""
    root = tmp_path_factory.mktemp("three") / "store"
    data, log = make_province(3, streets=1, communities=1, recipients=2)
    visits = [VisitRecord.model_validate(v) for v in log["visits"]]
    write_store(root, Dataset.model_validate(data), visits=visits)
    return root


def test_the_planted_values_appear_nowhere_in_a_clean_run(
    three_counties: Path, cluster: LocalCluster
) -> None:
    code, out, err = _run(three_counties, cluster, "--json", "--no-reuse")
    assert code == 0, err
    assert json.loads(out)["completed"] == ["510101", "510102", "510103"]
    assert _leaks(out + err) == []  # so that finding one below is no coincidence


def test_an_intact_planted_person_runs_and_leaks_nothing(
    tmp_path: Path, three_counties: Path, cluster: LocalCluster
) -> None:
    """The planted record is valid but for its damage: without it, the run completes."""
    root = tmp_path / "store"
    shutil.copytree(three_counties, root)
    plant(root, "none")
    code, out, err = _run(root, cluster, "--json")
    assert code == 0, err
    assert json.loads(out)["completed"] == ["510101", "510102", "510103"]
    assert _leaks(out + err) == []


@pytest.mark.parametrize("how", HOW)
def test_a_partition_with_a_damaged_person_is_named_and_leaks_nothing(
    tmp_path: Path,
    three_counties: Path,
    cluster: LocalCluster,
    caplog: pytest.LogCaptureFixture,
    how: str,
) -> None:
    root = tmp_path / "store"
    shutil.copytree(three_counties, root)
    plant(root, how)
    caplog.set_level(logging.DEBUG)
    code, out, err = _run(root, cluster, "--json")
    assert code == EXIT_INVALID_DATA, err
    assert "Traceback" not in out + err
    payload = json.loads(out)
    assert payload["completed"] == ["510102", "510103"]
    [failed] = payload["failed"]
    assert (failed["key"], failed["kind"]) == ("510101", "invalid")
    assert failed["issues"], failed
    [line] = err.splitlines()
    assert line.startswith("wushe: error: ")
    assert str(root) in line
    text_code, text_out, text_err = _run(root, cluster)  # the table, for people
    assert text_code == EXIT_INVALID_DATA
    assert "510101" in text_err
    as_of = date.fromisoformat(AS_OF)
    result = run_monthly(root, as_of=as_of, scheduler=cluster.scheduler_address)
    shown = out + err + text_out + text_err + repr(result) + repr(result.failed)
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("wushe")]
    assert _leaks(shown + "\n".join(ours)) == [], (
        shown
    )  # Dask's lines hold port numbers


@FUZZ
@given(data=st.data())
def test_the_partition_task_returns_facts_or_a_named_failure_never_raises(data):
    """``run_partition`` in-process: what a worker does with a damaged partition."""
    with tempfile.TemporaryDirectory() as parent:
        root = fresh_copy(Path(parent))
        if data.draw(st.booleans(), label="planted"):  # then damaged on top, perhaps
            plant(root, data.draw(st.sampled_from(HOW)), KEYS[0])
        _, note = data.draw(partition_damage(root), label="damage")
        results = Path(parent) / "results"
        for k in KEYS:
            task = partial(run_partition, str(root), k, AS_OF, str(results))
            result = bounded_call(task)
            if isinstance(result, PartitionFailure):
                assert result.key == k
                assert result.kind == "invalid"
                assert len(result.message) <= 500
                assert (
                    _leaks(json.dumps(attrs.asdict(result), ensure_ascii=False)) == []
                )
            else:
                assert isinstance(result, MonthlyTotals), (note, result)
        for written in results.rglob("*.json"):  # the facts files hold no one's data
            assert _leaks(written.read_text(encoding="utf-8")) == [], written


@st.composite
def damaged_store(draw: st.DrawFn, root: Path) -> set[str]:
    """Damage one or two partitions of the three-county store; return their keys."""
    damaged: set[str] = set()
    if draw(st.booleans()):
        plant(root, draw(st.sampled_from(HOW)), "510102")
        damaged.add("510102")
    key, _ = draw(partition_damage(root))
    damaged.add(key or KEYS[0])
    return damaged


@settings(max_examples=RUN_CASES, deadline=None, database=None)
@given(data=st.data())
def test_wushe_run_on_damaged_partitions_completes_the_others(
    tmp_path_factory: pytest.TempPathFactory, three_counties: Path, cluster: LocalCluster,
    data: st.DataObject,
) -> None:  # fmt: skip
    root = tmp_path_factory.mktemp("run") / "store"
    shutil.copytree(three_counties, root)
    damaged = data.draw(damaged_store(root), label="damaged")
    argv = ("run", str(root), "--as-of", AS_OF, "--scheduler",
            cluster.scheduler_address, "--json")  # fmt: skip
    check(Case(argv, str(root), f"damaged {sorted(damaged)}"))
    code, out, err = _run(root, cluster, "--json")
    payload = json.loads(out)
    failed = {f["key"] for f in payload["failed"]}
    assert set(payload["completed"]) | failed == {"510101", "510102", "510103"}
    assert failed <= damaged
    assert "510103" in payload["completed"]
    assert code == (EXIT_INVALID_DATA if failed else 0)
    assert all(f["kind"] == "invalid" for f in payload["failed"]), payload["failed"]
    assert _leaks(out + err) == []


def test_the_repeated_key_helper_repeats_a_key() -> None:
    assert repeat_a_key('{"a": 1}', 0) == '{"a": null, "a": 1}'


class _Failed:
    """A future whose task raised ``exc`` (what ``as_completed`` hands back)."""

    def __init__(self, exc: BaseException) -> None:
        self._exc = exc

    def exception(self) -> BaseException:
        return self._exc


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:  # noqa: BLE001 - keep its traceback
        return caught


def test_an_unexpected_error_in_a_task_is_named_without_its_message() -> None:
    """A bug's message may quote the data; the failure names its type and place only."""
    exc = _raised(ValueError(f"cannot rank {NAME} ({ID_NUMBER}, {PHONE})"))
    failure = _failure_of(_Failed(exc), "510101")
    assert failure.kind == "error"
    assert failure.message.startswith("ValueError in test_run_fuzz.py:")
    assert _leaks(repr(failure)) == []
    store_error = _failure_of(
        _Failed(StoreError("partition 510101: damaged")), "510101"
    )
    assert store_error.message == "StoreError: partition 510101: damaged"
