"""Grids and grid workers within a community (网格与网格员).

Communities are divided into grids (网格), each with its grid workers (网格员) who know the
households in it; visits and early warnings are often organised by grid. A grid names its
community, its grid workers (worker records) and the households and recipients it holds.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from wushe._types import (
    CommunityId,
    HouseholdId,
    Identifier,
    RecipientId,
    SortedFrozenSet,
    WorkerId,
)
from wushe.models._base import WusheModel

__all__ = ["Grid"]


class Grid(WusheModel):
    """A grid of a community, with its grid workers, households and recipients (网格).

    The dataset checks that the households and recipients live in the grid's community
    and belong to one grid only.
    """

    grid_id: Identifier
    """Identifier within the dataset, e.g. ``"兴隆街社区第3网格"``'s number (网格编号)."""
    community_id: CommunityId
    """The community the grid divides (所属社区)."""
    name: Annotated[str, Field(min_length=1)]
    """Name, e.g. ``"第3网格"`` (网格名称)."""
    grid_worker_ids: SortedFrozenSet[WorkerId] = frozenset()
    """Grid workers, as worker records (网格员)."""
    household_ids: SortedFrozenSet[HouseholdId] = frozenset()
    """Households in the grid (网格内家庭)."""
    recipient_ids: SortedFrozenSet[RecipientId] = frozenset()
    """Recipients in the grid, besides the members of its households (网格内服务对象)."""
