"""Scores of candidate pairs, computed from the criteria registry (评分).

A pair's weight is ``1 +`` the points of every criterion in ``_criteria.CRITERIA``. Need
and actor criteria are computed once per node and gathered per edge; pair criteria
(proximity, continuity) are computed per edge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs
import numpy as np
from numpy.typing import NDArray

from wushe.matching._criteria import CRITERIA
from wushe.matching._inputs import I32, I64, NeedFeatures, Pool, RoleContext, member
from wushe.matching._plan import Proximity
from wushe.matching._policy import MatchPolicy, ScoreWeights

__all__: list[str] = []  # internal: the candidate builder and plan assembly use these


@attrs.frozen(kw_only=True, eq=False)
class Scorer:
    """Per-node points and what pair criteria read; rebuilds any edge's score (评分数据)."""

    policy: MatchPolicy
    left: NeedFeatures
    pool: Pool
    need_points: Mapping[str, I64]
    """Per need criterion, points per left node."""
    actor_points: Mapping[str, I64]
    """Per actor criterion, points per right node."""
    continuity_keys: I64  # recipient * n_right + right, sorted
    n_right: int

    @property
    def weights_config(self) -> ScoreWeights:
        """The policy's weights (评分权重)."""
        return self.policy.weights

    def reach(self, el: I32, er: I32) -> NDArray[np.int8]:
        """Proximity level per edge: 3 same community … 0 farther (就近等级).

        One column at a time, coarsest first, so no (edges x 3) temporary is built.
        """
        level = np.zeros(el.shape[0], dtype=np.int8)
        for col, value in ((2, 1), (1, 2), (0, 3)):
            lo = np.ascontiguousarray(self.left.loc[:, col], dtype=np.int32)
            ro = np.ascontiguousarray(self.pool.loc[:, col], dtype=np.int32)
            ro_e = ro[er]
            level[(lo[el] == ro_e) & (ro_e >= 0)] = value
        return level

    def continuity(self, el: I32, er: I32) -> NDArray[np.bool_]:
        """Whether the actor served the recipient before, per edge (服务连续性)."""
        if self.continuity_keys.size == 0:
            return np.zeros(el.shape[0], dtype=bool)
        keys = self.left.recipient[el] * self.n_right + er
        return member(keys, self.continuity_keys)

    def components(self, el: I32, er: I32) -> dict[str, I64]:
        """Points per criterion for each edge, in registry order (逐边评分)."""
        out: dict[str, I64] = {}
        for c in CRITERIA:
            if c.pair is not None:
                part = c.pair(self, el, er)
                out[c.name] = np.zeros(el.shape[0], np.int64) if part is None else part
            elif c.need is not None:
                out[c.name] = self.need_points[c.name][el]
            else:
                out[c.name] = self.actor_points[c.name][er]
        return out

    def weights(self, el: I32, er: I32) -> I64:
        """Edge weights: 1 plus every criterion (逐边权重)."""
        # Per-node points are summed per node first: one gather per side.
        left_part = 1 + sum(
            self.need_points.values(), np.zeros(len(self.left.tier), np.int64)
        )
        right_part = sum(
            self.actor_points.values(), np.zeros(len(self.pool.records), np.int64)
        )
        total: I64 = left_part[el]
        total += right_part[er]
        for c in CRITERIA:
            part = c.pair(self, el, er) if c.pair is not None else None
            if part is not None:
                total += part
        return total

    def with_capacity(self, capacity: I64) -> Scorer:
        """The scorer with actors' capacities (and so their points) replaced (更新容量)."""
        pool = attrs.evolve(self.pool, capacity=capacity)
        return attrs.evolve(
            self, pool=pool, actor_points=_actor_points(self.policy, pool)
        )


def _actor_points(policy: MatchPolicy, pool: Pool) -> dict[str, I64]:
    return {
        c.name: c.actor(policy.weights, pool) for c in CRITERIA if c.actor is not None
    }


def make_scorer(ctx: RoleContext, history: Iterable[tuple[str, str]]) -> Scorer:
    """The role's scorer: every node criterion computed once (角色评分数据)."""
    return Scorer(
        policy=ctx.policy,
        left=ctx.left,
        pool=ctx.pool,
        need_points={
            c.name: c.need(ctx.policy, ctx.left) for c in CRITERIA if c.need is not None
        },
        actor_points=_actor_points(ctx.policy, ctx.pool),
        continuity_keys=ctx.pair_keys(history),
        n_right=ctx.n_right,
    )


def proximity_of(level: int) -> Proximity:
    """The :class:`Proximity` for a level 3…0 (就近程度)."""
    return _BY_LEVEL[level]


_BY_LEVEL = tuple(reversed(Proximity))
