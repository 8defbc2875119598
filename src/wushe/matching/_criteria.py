"""Score criteria as one registry: names, labels and how points are computed (评分标准).

:data:`CRITERIA` lists the criteria in their fixed order. Everything else derives from
it: the scorer's per-node and per-edge points (``_scoring.py``), the edge weight
(``1 +`` every criterion), :meth:`ScoreBreakdown.items` and ``total``, the labels in
explanations, and the lexicographic tier offset (one more than the largest score the other
criteria can give). :class:`~wushe.matching.ScoreWeights` and
:class:`~wushe.matching.ScoreBreakdown` declare one field per criterion, in the same order,
so that they stay typed; a test holds them to this registry.

A criterion's points belong to one side of an edge (the need's, or the actor's, kept per
node and gathered per edge) or to the pair (computed per edge).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs
import numpy as np
from numpy.typing import NDArray

from wushe.models import CharitableResource

if TYPE_CHECKING:
    from wushe.matching._inputs import NeedFeatures, Pool
    from wushe.matching._policy import MatchPolicy, ScoreWeights
    from wushe.matching._scoring import Scorer

__all__: list[str] = []  # internal: ScoreWeights, ScoreBreakdown and the scorer use it

I32 = NDArray[np.int32]
I64 = NDArray[np.int64]
NeedPoints = Callable[["MatchPolicy", "NeedFeatures"], I64]
ActorPoints = Callable[["ScoreWeights", "Pool"], I64]
PairPoints = Callable[["Scorer", I32, I32], "I64 | None"]


@attrs.frozen(kw_only=True)
class Criterion:
    """One scoring criterion (评分标准).

    Exactly one of ``need``, ``actor`` and ``pair`` computes its points. A pair function
    may return ``None`` when the criterion gives no pair any point in this run.
    """

    name: str
    zh: str
    en: str
    need: NeedPoints | None = None
    actor: ActorPoints | None = None
    pair: PairPoints | None = None


def _fit(w: ScoreWeights, pool: Pool) -> I64:
    """Restricted resources first; people with fewer skills fit better."""
    points = [
        (w.fit if x.restriction is not None else w.fit // 3)
        if isinstance(x, CharitableResource)
        else w.fit * (4 - min(max(m.bit_count(), 1), 3)) // 3
        for x, m in zip(pool.records, pool.masks, strict=True)
    ]
    return np.array(points, dtype=np.int64).reshape(len(points))


def _proximity(scorer: Scorer, el: I32, er: I32) -> I64 | None:
    """Same community 100%, same street 2/3, same district 1/3."""
    weight = scorer.weights_config.proximity
    if not weight:
        return None
    points: I64 = (weight * scorer.reach(el, er).astype(np.int64)) // 3
    return points


def _priority(policy: MatchPolicy, left: NeedFeatures) -> I64:
    """Lexicographic: a tier offset above any other score; weighted: a share of the weight."""
    tier = left.tier.astype(np.int64)
    if policy.priority_mode == "lexicographic":
        return tier * top_score(policy.weights)
    return (policy.weights.priority * tier) // max(len(policy.priority_tiers), 1)


def _urgency(policy: MatchPolicy, left: NeedFeatures) -> I64:
    """Critical 100%, high 2/3, medium 1/3, low 0."""
    return (policy.weights.urgency * left.urgency_rank) // 3


def _waiting(policy: MatchPolicy, left: NeedFeatures) -> I64:
    """Linear in days waited, up to ``waiting_cap_days``."""
    return (policy.weights.waiting * left.waited) // policy.waiting_cap_days


def _continuity(scorer: Scorer, el: I32, er: I32) -> I64 | None:
    """The full weight when the actor served this recipient before."""
    if scorer.continuity_keys.size == 0:
        return None
    served = scorer.continuity(el, er).astype(np.int64)
    points: I64 = served * scorer.weights_config.continuity
    return points


def _load(w: ScoreWeights, pool: Pool) -> I64:
    """More capacity, more points: the actor with the most capacity gets the weight."""
    return load_points(w.load, pool.capacity)


def load_points(weight: int, capacity: I64) -> I64:
    """Load-balance points per actor: ``weight * capacity // max capacity`` (负载均衡分)."""
    top = int(capacity.max()) if capacity.size else 0
    if top <= 0:
        return np.zeros(capacity.shape[0], dtype=np.int64)
    return (weight * capacity // top).astype(np.int64)


CRITERIA: tuple[Criterion, ...] = (
    Criterion(name="fit", zh="适配", en="fit", actor=_fit),
    Criterion(name="proximity", zh="就近", en="proximity", pair=_proximity),
    Criterion(name="priority", zh="优先级", en="priority", need=_priority),
    Criterion(name="urgency", zh="紧急", en="urgency", need=_urgency),
    Criterion(name="waiting", zh="等待", en="waiting", need=_waiting),
    Criterion(name="continuity", zh="连续服务", en="continuity", pair=_continuity),
    Criterion(name="load", zh="负载均衡", en="load", actor=_load),
)
"""The scoring criteria in their fixed order (评分标准)."""

NAMES: tuple[str, ...] = tuple(c.name for c in CRITERIA)
"""Criterion names in order (评分项名称)."""

LABELS: dict[str, tuple[str, str]] = {c.name: (c.zh, c.en) for c in CRITERIA}
"""Per criterion name, its ``(zh, en)`` label for explanations (评分项标签)."""


def top_score(weights: ScoreWeights) -> int:
    """One more than the most any pair can score without priority (不含优先级的满分)."""
    rest: int = sum(
        getattr(weights, c.name) for c in CRITERIA if c.need is not _priority
    )
    return 1 + rest
