"""儿童主任 and 儿童督导员 posts and the places still without one (儿童福利岗位)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from pydantic import ValidationError

from tests.models.test_dataset import issues_of, minimal
from tests.strategies import station_records
from wushe.models import ChildWelfarePost, Dataset
from wushe.network import child_welfare_coverage


def post(post_id: str, role: str, **place: Any) -> dict[str, Any]:
    return {"post_id": post_id, "role": role, "worker_id": "w1", **place}


WORKER = [{"worker_id": "w1", "name": "李敏", "is_community_worker": True}]


@pytest.mark.parametrize(
    "data",
    [
        post("p", "儿童主任", division_code="500103001"),
        post("p", "儿童主任"),
        post("p", "儿童督导员", community_id="c1"),
        post("p", "儿童督导员", division_code="500103"),
    ],
)
def test_a_post_names_the_place_its_role_covers(data):
    with pytest.raises(ValidationError):
        ChildWelfarePost.model_validate(data)


def test_coverage_lists_communities_and_townships_without_their_post():
    ds = Dataset.model_validate(
        minimal(
            workers=WORKER,
            communities=[
                {
                    "community_id": "c2",
                    "name": "民生路社区",
                    "division_code": "500103001002",
                }
            ],
            child_welfare_posts=[
                post("d1", "儿童主任", community_id="c1", since="2022-01-01"),
                post("s1", "儿童督导员", division_code="500103001", until="2021-12-31"),
            ],
        )
    )
    cov = child_welfare_coverage(ds, on=date(2022, 6, 1))
    assert cov.communities_covered == {"c1"}
    assert cov.communities_missing == {"c2"}
    assert cov.townships_missing == {"500103001"}
    assert child_welfare_coverage(ds, on=date(2021, 6, 1)).townships_covered == {
        "500103001"
    }


def test_a_post_in_an_unlisted_township_is_named():
    data = minimal(
        workers=WORKER,
        child_welfare_posts=[post("s1", "儿童督导员", division_code="500103002")],
    )
    assert (
        "child_welfare_posts",
        "s1",
        "division_code",
        "unknown_township",
    ) in issues_of(data)


@given(station_records())
def test_every_community_is_either_covered_or_missing(ds):
    cov = child_welfare_coverage(ds)
    assert cov.communities_covered | cov.communities_missing == {
        c.community_id for c in ds.communities
    }
    assert not cov.communities_covered & cov.communities_missing
    directed = {p.community_id for p in ds.child_welfare_posts if p.community_id}
    assert cov.communities_covered == directed
