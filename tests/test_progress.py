"""Long operations report progress through the documented ``Progress`` protocol.

Each stage starts at ``done == 0``, never goes back, never passes a known total and, when
it finishes, ends with ``done == total``.
"""

from __future__ import annotations

import typing
from datetime import date
from itertools import groupby

import pytest
from hypothesis import given, settings

from wushe import Progress, examples
from wushe.care import warnings
from wushe.io import check_records, load_dataset, load_report
from wushe.matching import MatchPolicy, match
from wushe.models import Dataset
from wushe.privacy import REVEAL

from .strategies import datasets

Call = tuple[str, int, int | None]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[Call] = []

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        self.calls.append((stage, done, total))

    def stages(self) -> list[str]:
        return [stage for stage, _ in groupby(c[0] for c in self.calls)]


def assert_well_formed(calls: list[Call]) -> None:
    assert calls
    for _, group in groupby(calls, key=lambda c: c[0]):
        events = list(group)
        assert events[0][1] == 0
        dones = [done for _, done, _ in events]
        assert dones == sorted(dones)
        for _, done, total in events:
            assert total is None or 0 <= done <= total
        _, last_done, last_total = events[-1]
        assert last_total is not None
        assert last_done == last_total


def test_a_recorder_is_a_progress_callback():
    callback: Progress = Recorder()  # mypy checks the protocol here
    callback("load", 0, None)


@settings(max_examples=25)
@given(datasets())
def test_every_long_operation_reports_well_formed_stages(ds):
    loading = Recorder()
    check_records(ds.model_dump(mode="json", context=REVEAL), progress=loading)
    assert loading.stages() == ["load"]
    assert_well_formed(loading.calls)
    assert loading.calls[-1][2] == sum(
        len(getattr(ds, name)) for name in ("recipients", "needs", "stations")
    ) + sum(
        len(getattr(ds, name))
        for name in (
            "divisions",
            "communities",
            "organizations",
            "workers",
            "volunteers",
            "teams",
            "resources",
            "projects",
            "activities",
        )
    )

    matching = Recorder()
    match(ds.needs, ds, progress=matching)
    assert matching.stages() == ["match.candidates", "match.solve"]
    assert_well_formed(matching.calls)

    caring = Recorder()
    warnings(ds.recipients, (), as_of=date(2024, 1, 1), progress=caring)
    assert caring.stages() == ["care.warnings"]
    assert_well_formed(caring.calls)
    assert caring.calls[-1][2] == len(ds.recipients)


def test_loading_the_district_reports_progress_on_both_paths():
    fast = Recorder()
    load_dataset(examples.path("jinniu"), progress=fast)
    assert_well_formed(fast.calls)
    checked = Recorder()
    report = load_report(examples.path("jinniu"), progress=checked)
    assert_well_formed(checked.calls)
    assert checked.calls[-1][1] == sum(report.loaded.values()) == fast.calls[-1][1]
    # At most one call per collection and one at the end: cheap on a million records.
    fields = Dataset.model_fields.values()
    collections = [f for f in fields if typing.get_origin(f.annotation) is tuple]
    assert len(checked.calls) <= len(collections) + 1 < 40


def test_an_exception_in_the_callback_aborts_the_operation():
    ds = examples.load("qixinggang")

    def stop(stage: str, done: int, total: int | None) -> None:
        if stage == "match.solve":
            msg = "cancelled by the user"
            raise KeyboardInterrupt(msg)

    with pytest.raises(KeyboardInterrupt, match="cancelled"):
        match(ds.needs, ds, progress=stop)


@pytest.mark.parametrize("linkage", ["independent", "resources", "all_roles"])
def test_solving_in_team_rounds_still_reports_a_well_formed_stage(linkage):
    ds = examples.load("qixinggang")
    recorder = Recorder()
    match(ds.needs, ds, policy=MatchPolicy(linkage=linkage), progress=recorder)
    assert recorder.stages() == ["match.candidates", "match.solve"]
    assert_well_formed(recorder.calls)
