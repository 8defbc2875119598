"""Which communities have a 儿童主任 and which townships a 儿童督导员 (儿童福利岗位覆盖)."""

from __future__ import annotations

from datetime import date

import attrs

from wushe.models import Dataset
from wushe.vocab import ChildWelfareRole

__all__ = ["ChildWelfareCoverage", "child_welfare_coverage"]

_TOWNSHIP_CODE = 9


@attrs.frozen(kw_only=True)
class ChildWelfareCoverage:
    """Communities and townships with and without their child-welfare post (儿童福利岗位覆盖)."""

    on: date
    """The day counted (统计日期)."""
    communities_covered: frozenset[str]
    """Communities with a 儿童主任 on the day (已配儿童主任的村居)."""
    communities_missing: frozenset[str]
    """Communities without one (未配儿童主任的村居)."""
    townships_covered: frozenset[str]
    """Township codes with a 儿童督导员 on the day (已配儿童督导员的乡镇街道)."""
    townships_missing: frozenset[str]
    """Township codes without one (未配儿童督导员的乡镇街道)."""


def child_welfare_coverage(
    ds: Dataset, *, on: date | None = None
) -> ChildWelfareCoverage:
    """List the communities without a 儿童主任 and townships without a 儿童督导员 (儿童福利岗位覆盖).

    A post counts on ``on`` (default: the dataset's ``as_of``, else today) when it is held
    that day. Townships are the 9-digit ``divisions`` of the dataset.
    """
    day = on or ds.as_of or date.today()
    held = [p for p in ds.child_welfare_posts if p.held_on(day)]
    directed = {
        p.community_id
        for p in held
        if p.role is ChildWelfareRole.DIRECTOR and p.community_id is not None
    }
    supervised = {
        p.division_code
        for p in held
        if p.role is ChildWelfareRole.SUPERVISOR and p.division_code is not None
    }
    communities = {c.community_id for c in ds.communities}
    townships = {
        d.division_code for d in ds.divisions if len(d.division_code) == _TOWNSHIP_CODE
    }
    return ChildWelfareCoverage(
        on=day,
        communities_covered=frozenset(communities & directed),
        communities_missing=frozenset(communities - directed),
        townships_covered=frozenset(townships & supervised),
        townships_missing=frozenset(townships - supervised),
    )
