"""Grids (网格), their members and the recipients no grid reaches."""

from __future__ import annotations

from hypothesis import given

from tests.models.test_dataset import issues_of
from tests.models.test_station_records import HOUSEHOLD, world
from tests.strategies import station_records
from wushe.models import Dataset
from wushe.network import grid_coverage

GRID = {
    "grid_id": "g1",
    "community_id": "c1",
    "name": "第1网格",
    "grid_worker_ids": ["w1"],
}


def test_recipients_are_placed_through_their_household_or_directly():
    ds = Dataset.model_validate(
        world(households=[HOUSEHOLD], grids=[{**GRID, "household_ids": ["h1"]}])
    )
    cov = grid_coverage(ds)
    assert cov.grid_of == {"p1": "g1", "p2": "g1"}
    assert cov.unplaced == {"p3"}
    assert cov.communities_without_grid == {"c2"}


def test_a_grid_member_from_another_community_is_named():
    data = world(grids=[{**GRID, "recipient_ids": ["p3"]}])
    assert ("grids", "g1", "recipient_ids", "member_elsewhere") in issues_of(data)


def test_a_household_in_two_grids_is_named_on_the_second():
    second = {**GRID, "grid_id": "g2", "household_ids": ["h1"]}
    data = world(
        households=[HOUSEHOLD], grids=[{**GRID, "household_ids": ["h1"]}, second]
    )
    assert ("grids", "g2", "household_ids", "two_grids") in issues_of(data)


@given(station_records())
def test_every_recipient_is_placed_or_unplaced_once(ds):
    cov = grid_coverage(ds)
    everyone = {r.recipient_id for r in ds.recipients}
    assert set(cov.grid_of) | cov.unplaced == everyone
    assert not set(cov.grid_of) & cov.unplaced
    grids = {g.grid_id: g for g in ds.grids}
    for recipient, grid_id in cov.grid_of.items():
        assert grids[grid_id].community_id == next(
            r.community_id for r in ds.recipients if r.recipient_id == recipient
        )
