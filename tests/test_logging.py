"""wushe logs its long operations and decisions, never personal data, and configures nothing.

Loggers are named ``wushe.<namespace>``; counts go out at INFO, record ids at DEBUG at
most, and the package adds only a :class:`logging.NullHandler` (the library convention).
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from datetime import date
from functools import cache

from wushe import examples
from wushe.care import warnings
from wushe.evaluation import Evidence, builtin_rubric, evaluate, indicator_actuals
from wushe.io import load_dataset, load_report, load_score_sheets, load_visit_log
from wushe.matching import match
from wushe.models import Dataset
from wushe.network import StationNetwork


def test_importing_wushe_adds_a_null_handler_and_configures_nothing_else():
    code = """
import json, logging
before = list(logging.root.handlers), logging.root.level
import wushe, wushe.io, wushe.matching, wushe.care, wushe.evaluation, wushe.examples
after = list(logging.root.handlers), logging.root.level
log = logging.getLogger("wushe")
print(json.dumps({
    "root_unchanged": before == after,
    "handlers": [type(h).__name__ for h in log.handlers],
    "level": log.level,
    "propagate": log.propagate,
    "children": sorted(
        name for name, child in logging.root.manager.loggerDict.items()
        if name.startswith("wushe.") and getattr(child, "handlers", [])
    ),
}))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    facts = json.loads(result.stdout)
    assert facts == {
        "root_unchanged": True,
        "handlers": ["NullHandler"],
        "level": logging.NOTSET,
        "propagate": True,
        "children": [],
    }


def _run_the_district() -> Dataset:
    ds = load_dataset(examples.path("jinniu"))
    network = StationNetwork.from_dataset(ds)
    match(ds.needs, ds, network=network, as_of=ds.as_of)
    network.rollup()
    project = next(p for p in ds.projects if p.targets)
    evidence = Evidence(
        actuals=indicator_actuals(project, ds.activities),
        sheets=load_score_sheets(examples.path("jinniu_scores.json")),
        period=project.period,
    )
    evaluate(project, builtin_rubric("default_project"), evidence)
    visits, incidents = load_visit_log(examples.path("jinniu_visits.json"))
    warnings(ds.recipients, visits, as_of=date(2023, 12, 31), incidents=incidents)
    return ds


@cache
def _personal_values() -> tuple[str, ...]:
    ds = examples.load("jinniu")
    values: list[str] = []
    for person in ds.recipients:
        values.append(person.name.reveal())
        for field in (person.id_number, person.phone, person.address):
            if field is not None:
                values.append(str(field.reveal()))
    values += [w.name.reveal() for w in ds.workers]
    values += [v.name.reveal() for v in ds.volunteers]
    return tuple(v for v in values if len(v) >= 2)


def test_a_district_run_reports_each_long_operation_at_info(caplog):
    with caplog.at_level(logging.INFO, logger="wushe"):
        _run_the_district()
    loggers = {r.name for r in caplog.records}
    assert {
        "wushe.io",
        "wushe.network",
        "wushe.matching",
        "wushe.evaluation",
        "wushe.care",
    } <= loggers
    text = caplog.text
    assert "records in" in text  # load
    assert "assignments" in text  # match
    assert "rolled up" in text  # rollup
    assert "early warnings" in text  # care


def test_no_log_line_carries_personal_data_even_at_debug(caplog):
    with caplog.at_level(logging.DEBUG, logger="wushe"):
        ds = _run_the_district()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert text
    for value in _personal_values():
        assert value not in text
    info = "\n".join(
        r.getMessage() for r in caplog.records if r.levelno >= logging.INFO
    )
    for person in ds.recipients:
        assert person.recipient_id not in info
    for need in ds.needs:
        assert need.need_id not in info


def test_rejected_records_are_counted_in_the_log_not_shown(tmp_path, caplog):
    raw = json.loads(examples.path("qixinggang").read_text(encoding="utf-8"))
    person = raw["recipients"][0]
    secret = person["id_number"][:-1] + ("0" if person["id_number"][-1] != "0" else "1")
    person["id_number"] = secret
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with caplog.at_level(logging.DEBUG, logger="wushe"):
        report = load_report(bad)
    assert not report.ok
    assert f"{len(report.issues)} issues" in caplog.text
    assert secret not in caplog.text
    assert person["name"] not in caplog.text


def test_a_quiet_run_logs_nothing_above_info(caplog):
    with caplog.at_level(logging.WARNING, logger="wushe"):
        _run_the_district()
    assert not caplog.records
