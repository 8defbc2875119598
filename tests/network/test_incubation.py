"""Incubation records and what an incubator has cultivated (孵化培育)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from pydantic import ValidationError

from tests.models.test_dataset import issues_of, minimal
from tests.strategies import station_records
from wushe.models import Dataset, Incubation
from wushe.network import incubation_summary
from wushe.vocab import IncubationStage


def record(i: int, org: str, **extra: Any) -> dict[str, Any]:
    return {
        "incubation_id": f"i{i}",
        "organization_id": org,
        "incubator_id": "b1",
        **extra,
    }


def test_stages_move_forward_with_dates_in_order():
    with pytest.raises(ValidationError, match="forward only"):
        Incubation.model_validate(
            record(1, "o1", stages="初创型 2023-04-01；萌芽型 2023-05-01")
        )
    with pytest.raises(ValidationError, match="dated before"):
        Incubation.model_validate(
            record(1, "o1", stages="萌芽型 2023-05-01；初创型 2023-04-01")
        )
    with pytest.raises(ValidationError, match="at least one"):
        Incubation.model_validate(record(1, "o1"))
    i = Incubation.model_validate(
        record(1, "o1", stages="萌芽型 2023-04-01；初创型 2023-09-01")
    )
    assert i.stage_on(date(2023, 6, 1)) is IncubationStage.SEED
    assert i.stage_on(date(2023, 3, 1)) is None


def xuzhou() -> Dataset:
    """叙州区's centre in miniature: 3 seed, 2 start-up, 4 registered organisations visited."""
    orgs = [
        {"organization_id": f"s{k}", "name": f"萌芽组织{k}", "registration": "informal",
         "org_type": "community_group"}
        for k in range(3)
    ] + [
        {"organization_id": f"u{k}", "name": f"初创组织{k}", "registration": "filed",
         "org_type": "community_group", "is_hub": k == 0}
        for k in range(2)
    ] + [{"organization_id": f"r{k}", "name": f"已登记组织{k}"} for k in range(4)]  # fmt: skip
    incubations = (
        [record(k, f"s{k}", cohort="2023年第一批", stages="萌芽型 2023-04-10", resident=True)
         for k in range(3)]
        + [record(3 + k, f"u{k}", cohort="2023年第一批",
                  stages="萌芽型 2023-04-10；初创型 2023-08-01", resident=True)
           for k in range(2)]
        + [record(5 + k, f"r{k}", follow_ups=["2023-06-01"]) for k in range(4)]
    )  # fmt: skip
    return Dataset.model_validate(
        minimal(
            organizations=orgs,
            incubators=[{"incubator_id": "b1", "name": "培育中心", "station_id": "ts"}],
            incubations=incubations,
        )
    )


def test_the_centre_counts_organisations_by_stage_and_follow_up():
    s = incubation_summary(xuzhou(), on=date(2023, 12, 31))
    assert s.by_stage[IncubationStage.SEED] == 3
    assert s.by_stage[IncubationStage.START_UP] == 2
    assert s.followed_up_registered == 4
    assert (s.resident, s.hubs) == (5, 1)
    assert s.by_cohort == {"2023年第一批": 5}
    earlier = incubation_summary(xuzhou(), on=date(2023, 5, 1))
    assert earlier.by_stage[IncubationStage.SEED] == 5
    assert earlier.followed_up_registered == 0


def test_incubation_of_an_unknown_organisation_is_named():
    data = minimal(
        incubators=[{"incubator_id": "b1", "name": "培育中心"}],
        incubations=[record(1, "ghost", stages="萌芽型 2023-04-10")],
    )
    assert ("incubations", "i1", "organization_id", "unknown_reference") in issues_of(
        data
    )


@given(station_records())
def test_each_organisation_counts_once_at_its_stage_on_the_day(ds):
    day = date(2024, 6, 30)
    s = incubation_summary(ds, on=day)
    staged = {i.organization_id for i in ds.incubations if i.stage_on(day) is not None}
    assert sum(s.by_stage.values()) == len(staged)
