"""Scores of candidate pairs: per-node parts and the edge weights (评分).

A pair's weight is ``1 +`` the sum of its criteria. Most criteria belong to one end of the
edge (the need's priority, urgency and waiting time; the actor's fit and load) and are kept
per node; proximity and continuity need both ends and are computed per edge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np
from numpy.typing import NDArray

from wushe.matching._inputs import I32, I64, RoleContext, member
from wushe.matching._plan import Proximity

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__: list[str] = []  # internal: the candidate builder and plan assembly use these


@attrs.frozen(kw_only=True, eq=False)
class Scorer:
    """Per-node score parts; an edge's criteria are rebuilt from its two ends (评分数据)."""

    left_priority: I64
    left_urgency: I64
    left_waiting: I64
    left_loc: I64  # (n_left, 3): community, street, district ids; -1 unknown
    left_recipient: I64
    right_fit: I64
    right_load: I64
    right_loc: I64  # (n_right, 3)
    proximity_weight: int
    continuity_weight: int
    continuity_keys: I64  # recipient * n_right + right, sorted
    n_right: int

    def reach(self, el: I32, er: I32) -> NDArray[np.int8]:
        """Proximity level per edge: 3 same community … 0 farther (就近等级).

        One column at a time, coarsest first, so no (edges x 3) temporary is built.
        """
        level = np.zeros(el.shape[0], dtype=np.int8)
        for col, value in ((2, 1), (1, 2), (0, 3)):
            lo = np.ascontiguousarray(self.left_loc[:, col], dtype=np.int32)
            ro = np.ascontiguousarray(self.right_loc[:, col], dtype=np.int32)
            ro_e = ro[er]
            level[(lo[el] == ro_e) & (ro_e >= 0)] = value
        return level

    def continuity(self, el: I32, er: I32) -> NDArray[np.bool_]:
        """Whether the actor served the recipient before, per edge (服务连续性)."""
        if self.continuity_keys.size == 0:
            return np.zeros(el.shape[0], dtype=bool)
        keys = self.left_recipient[el] * self.n_right + er
        return member(keys, self.continuity_keys)

    def components(self, el: I32, er: I32) -> dict[str, I64]:
        """Points per criterion for each edge (逐边评分)."""
        level = self.reach(el, er).astype(np.int64)
        return {
            "fit": self.right_fit[er],
            "proximity": (self.proximity_weight * level) // 3,
            "priority": self.left_priority[el],
            "urgency": self.left_urgency[el],
            "waiting": self.left_waiting[el],
            "continuity": self.continuity(el, er).astype(np.int64)
            * self.continuity_weight,
            "load": self.right_load[er],
        }

    def weights(self, el: I32, er: I32) -> I64:
        """Edge weights: 1 plus every criterion (逐边权重)."""
        # Per-node parts are summed per node first: one gather per side, not five.
        left_part = 1 + self.left_priority + self.left_urgency + self.left_waiting
        total = left_part[el]
        total += (self.right_fit + self.right_load)[er]
        if self.proximity_weight:
            total += (self.proximity_weight * self.reach(el, er).astype(np.int64)) // 3
        if self.continuity_keys.size:
            total += self.continuity(el, er) * self.continuity_weight
        return total


def load_points(weight: int, capacity: I64) -> I64:
    """Load-balance points per actor: more capacity, more points (负载均衡分)."""
    top = int(capacity.max()) if capacity.size else 0
    if top <= 0:
        return np.zeros(capacity.shape[0], dtype=np.int64)
    return (weight * capacity // top).astype(np.int64)


def make_scorer(ctx: RoleContext, history: Iterable[tuple[str, str]]) -> Scorer:
    """The role's per-node score parts (角色评分数据)."""
    policy = ctx.policy
    w = policy.weights
    left = ctx.left
    if ctx.role.actor_kind.value == "charitable_resource":
        fit = [w.fit if x.restriction is not None else w.fit // 3 for x in ctx.records]
    else:
        fit = [w.fit * (4 - min(max(m.bit_count(), 1), 3)) // 3 for m in ctx.pool.masks]
    base_max = 1 + w.fit + w.proximity + w.urgency + w.waiting + w.continuity + w.load
    tier = left.tier.astype(np.int64)
    if policy.priority_mode == "lexicographic":
        priority = tier * base_max
    else:
        priority = (w.priority * tier) // max(len(policy.priority_tiers), 1)
    return Scorer(
        left_priority=priority,
        left_urgency=(w.urgency * left.urgency_rank) // 3,
        left_waiting=(w.waiting * left.waited) // policy.waiting_cap_days,
        left_loc=left.loc,
        left_recipient=left.recipient,
        right_fit=np.array(fit, dtype=np.int64).reshape(len(ctx.records)),
        right_load=load_points(w.load, ctx.pool.capacity),
        right_loc=ctx.pool.loc,
        proximity_weight=w.proximity,
        continuity_weight=w.continuity,
        continuity_keys=ctx.pair_keys(history),
        n_right=ctx.n_right,
    )


def proximity_of(level: int) -> Proximity:
    """The :class:`Proximity` for a level 3…0 (就近程度)."""
    return _BY_LEVEL[level]


_BY_LEVEL = tuple(reversed(Proximity))
