"""Which recipients a grid reaches and which communities have no grid (网格覆盖)."""

from __future__ import annotations

import attrs

from wushe.models import Dataset

__all__ = ["GridCoverage", "grid_coverage"]


@attrs.frozen(kw_only=True)
class GridCoverage:
    """Recipients placed in a grid, directly or through their household (网格覆盖情况)."""

    grid_of: dict[str, str]
    """Recipient id → the grid that holds them (服务对象所在网格)."""
    unplaced: frozenset[str]
    """Recipients in no grid (未入格服务对象)."""
    communities_without_grid: frozenset[str]
    """Communities with no grid at all (未划分网格的社区)."""


def grid_coverage(ds: Dataset) -> GridCoverage:
    """Place every recipient in their grid and list who and where is left out (网格覆盖).

    A recipient is in a grid when the grid lists them or their household. The dataset's
    integrity pass already guarantees each is in at most one grid either way; a member of a
    household in one grid who is listed directly in another is placed in the first by
    grid id.
    """
    members = {h.household_id: h.member_ids for h in ds.households}
    grid_of: dict[str, str] = {}
    for g in sorted(ds.grids, key=lambda g: g.grid_id):
        for household_id in sorted(g.household_ids):
            for r in members.get(household_id, ()):
                grid_of.setdefault(r, g.grid_id)
        for r in g.recipient_ids:
            grid_of.setdefault(r, g.grid_id)
    with_grid = {g.community_id for g in ds.grids}
    return GridCoverage(
        grid_of=dict(sorted(grid_of.items())),
        unplaced=frozenset(r.recipient_id for r in ds.recipients) - grid_of.keys(),
        communities_without_grid=frozenset(
            c.community_id for c in ds.communities if c.community_id not in with_grid
        ),
    )
