"""Configurable tie-breaks between plans of equal score (同分取舍).

With :attr:`MatchPolicy.tie_break` set, every edge weight ``w`` becomes ``w * M + r`` where
``r`` ranks the edge's need in the tie-break order (the first need highest) and ``M``
exceeds the largest total ``r`` any plan can collect. A plan of higher score therefore
still wins, and among plans of equal score the one that serves needs earlier in the order
wins. The plan's objective and scores stay the unscaled ones.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs
import numpy as np

from wushe.exceptions import MatchingError

_SAFE = 2**53
"""Edge weights and their total stay below this, so every engine (the float-valued integer
program included) compares them exactly."""


def tie_broken(cs: Any, graph: Any) -> Any:
    """``cs`` with weights scaled and ranked for the policy's tie-break (同分取舍权重)."""
    mode = graph.policy.tie_break
    if mode is None or cs.n_edges == 0:
        return cs
    n_left = len(cs.need_ids)
    if mode == "raised_first":
        far = date.max

        def key(i: int) -> tuple[date, str]:
            raised = graph.needs[cs.need_ids[i]].raised_on
            return (raised or far, cs.need_ids[i])
    else:

        def key(i: int) -> tuple[date, str]:
            return (date.min, cs.need_ids[i])

    order = sorted(range(n_left), key=key)
    rank = np.zeros(n_left, dtype=np.int64)
    rank[order] = np.arange(n_left - 1, -1, -1, dtype=np.int64)
    places = np.minimum(
        cs.left_capacity.astype(np.int64), np.bincount(cs.edge_left, minlength=n_left)
    )
    scale = int((rank * places).sum()) + 1
    weight = cs.edge_weight.astype(np.int64)
    top = int(weight.max()) * scale + n_left
    if top * cs.n_edges >= _SAFE:
        msg = (
            f"role {cs.role.value}: tie_break={mode!r} needs weights up to {top} over "
            f"{cs.n_edges} edges, beyond exact arithmetic; set tie_break to null for "
            "a problem this large"
        )
        raise MatchingError(msg)
    broken = weight * scale + rank[cs.edge_left]
    return attrs.evolve(cs, edge_weight=broken)
