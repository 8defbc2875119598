"""Candidate generation: indexes → columnar candidate edges with scores (候选生成).

Needs become *left* nodes (one per need and role), actors *right* nodes (one per actor of the
role's pool). Candidates come from an index keyed by (area, service category), never all
NxM pairs (``_index.py``). Every hard rule of the role's registry (``_rules.py``) is then
evaluated on the edge arrays with numpy; an edge that fails keeps the code of the first rule
it breaks, so explanations can count rejected candidates. Scores come from ``_scoring.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from wushe._gc import paused_gc
from wushe.matching._consent import consent_gate, referable
from wushe.matching._declines import reassessment_blocks
from wushe.matching._index import candidate_pairs
from wushe.matching._inputs import (
    AMOUNT_SCALE,
    POOL_KIND,
    Actor,
    Areas,
    NeedTable,
    PoolReader,
    RoleContext,
    check_network,
    gather,
    read_needs,
    tier_of,
    units,
)
from wushe.matching._plan import MatchRole
from wushe.matching._policy import Decline, MatchPolicy
from wushe.matching._reasons import CODES, ReasonCode
from wushe.matching._rules import first_broken
from wushe.matching._same_person import gather_links
from wushe.matching._scoring import make_scorer
from wushe.models import (
    Community,
    Dataset,
    Need,
    PersonLink,
    Recipient,
    Station,
)
from wushe.network import StationNetwork
from wushe.vocab import ConsentPurpose

__all__ = [
    "AMOUNT_SCALE",
    "CandidateEdge",
    "CandidateGraph",
    "CandidateSet",
    "build_candidates",
    "tier_of",
]


@attrs.frozen(kw_only=True)
class CandidateEdge:
    """One candidate pair as a row, for inspection (候选边).

    Built on demand by :meth:`CandidateSet.rows`; the engine itself keeps edges as arrays.
    """

    need_id: str
    """The need (需求编号)."""
    role: MatchRole
    """The role (角色)."""
    actor_id: str
    """The actor (主体编号)."""
    weight: int
    """The pair's score; 0 for a rejected pair (权重)."""
    reason: ReasonCode | None
    """The first hard rule the pair breaks, ``None`` when feasible (排除原因)."""


@attrs.frozen(kw_only=True, eq=False)
class CandidateSet:
    """One role's candidate graph as columnar integer arrays (候选边集).

    Left node ``i`` is role ``role`` of need ``need_ids[i]``; right node ``j`` is actor
    ``actor_ids[j]``. ``edge_*`` hold the feasible edges, ``rejected_*`` the candidates from
    the index that break a hard rule, with the rule's code. For resources capacities and
    amounts are in hundredths of the unit (``AMOUNT_SCALE``).
    """

    role: MatchRole
    """The role this graph fills (角色)."""
    need_ids: tuple[str, ...]
    """Need id of each left node (需求编号)."""
    actor_ids: tuple[str, ...]
    """Actor id of each right node (主体编号)."""
    left_capacity: NDArray[np.int32]
    """Places per left node: volunteers asked, else 1; 0 when blocked (需求容量)."""
    right_capacity: NDArray[np.int64]
    """Capacity per actor: caseload, capacity, or resource balance in hundredths (主体容量)."""
    left_amount: NDArray[np.int64]
    """Amount each left node draws per edge: 1 for people, hundredths for resources (需求量)."""
    edge_left: NDArray[np.int32]
    """Left node of each feasible edge (可行边需求端)."""
    edge_right: NDArray[np.int32]
    """Right node of each feasible edge (可行边主体端)."""
    edge_weight: NDArray[np.int64]
    """Score of each feasible edge, at least 1 (可行边权重)."""
    rejected_left: NDArray[np.int32]
    """Left node of each rejected candidate (被排除候选需求端)."""
    rejected_right: NDArray[np.int32]
    """Right node of each rejected candidate (被排除候选主体端)."""
    rejected_reason: NDArray[np.int8]
    """1-based index into :class:`ReasonCode` of the rule each rejected candidate breaks (排除原因)."""
    left_tier: NDArray[np.int32]
    """Priority tier of each left node, 0 lowest (优先级层级)."""
    left_blocked: NDArray[np.bool_]
    """Left nodes held back until the recipient is reassessed (待重新评估)."""
    left_category: NDArray[np.int8]
    """Service category index of each left node (服务类别)."""
    left_window: NDArray[np.int64]
    """Service window per left node as ``[start, end)`` seconds since 1900-01-01 Beijing time, ``-1`` when none (服务时段)."""
    category_supplied: NDArray[np.bool_]
    """Per category index, whether any actor of the pool serves it anywhere (类别有供给)."""
    scorer: Any = attrs.field(repr=False)
    """Per-node score parts that rebuild an edge's breakdown; internal (评分数据)."""
    purpose: ConsentPurpose | None
    """Purpose the role's actors need a lawful basis for; ``None`` when not gated (处理目的)."""
    left_gated: NDArray[np.bool_]
    """Left nodes without a lawful basis for ``purpose`` on ``as_of``: no edges (无合法性基础)."""
    left_referable: NDArray[np.bool_]
    """Left nodes whose recipient may be referred to another department (可转介)."""

    def __repr__(self) -> str:
        return (
            f"<CandidateSet {self.role.value}: {len(self.need_ids)} needs, "
            f"{len(self.actor_ids)} actors, {self.n_edges} edges, "
            f"{len(self.rejected_reason)} rejected>"
        )

    @property
    def n_edges(self) -> int:
        """Number of feasible edges (可行边数)."""
        return int(self.edge_left.shape[0])

    @property
    def is_resource(self) -> bool:
        """Whether right nodes are charitable resources with amounts (是否资源)."""
        return self.role not in POOL_KIND

    def rows(self, *, rejected: bool = False) -> Iterator[CandidateEdge]:
        """Yield feasible edges (or, with ``rejected=True``, rejected ones) as rows (逐行查看)."""
        if rejected:
            for i, j, code in zip(
                self.rejected_left.tolist(),
                self.rejected_right.tolist(),
                self.rejected_reason.tolist(),
                strict=True,
            ):
                yield CandidateEdge(
                    need_id=self.need_ids[i],
                    role=self.role,
                    actor_id=self.actor_ids[j],
                    weight=0,
                    reason=CODES[code - 1],
                )
            return
        for i, j, w in zip(
            self.edge_left.tolist(),
            self.edge_right.tolist(),
            self.edge_weight.tolist(),
            strict=True,
        ):
            yield CandidateEdge(
                need_id=self.need_ids[i],
                role=self.role,
                actor_id=self.actor_ids[j],
                weight=w,
                reason=None,
            )


@attrs.frozen(kw_only=True, eq=False)
class CandidateGraph:
    """Every role's candidate graph for one matching run (候选图).

    Role graphs are independent given the hard constraints: no actor belongs to two pools.
    """

    sets: tuple[CandidateSet, ...]
    """One graph per role that some need asks for, in :class:`MatchRole` order (各角色候选)."""
    as_of: date
    """The date rules were evaluated on (匹配日期)."""
    policy: MatchPolicy
    """The policy used (匹配策略)."""
    needs: Mapping[str, Any] = attrs.field(repr=False)
    """Per need id: category, community and stations; internal (需求信息)."""

    @property
    def n_edges(self) -> int:
        """Feasible edges over all roles (可行边总数)."""
        return sum(s.n_edges for s in self.sets)

    def __repr__(self) -> str:
        return (
            f"<CandidateGraph as of {self.as_of}: {len(self.needs)} needs, "
            f"{self.n_edges} edges in {len(self.sets)} role sets>"
        )

    def __getitem__(self, role: MatchRole) -> CandidateSet:
        for s in self.sets:
            if s.role is role:
                return s
        msg = f"no need asks for role {role.value!r}"
        raise KeyError(msg)


# ---------------------------------------------------------------------------------------
# Building


def build_candidates(
    needs: Iterable[Need],
    actors: Dataset | Iterable[Actor],
    *,
    recipients: Iterable[Recipient] = (),
    communities: Iterable[Community] = (),
    stations: Iterable[Station] = (),
    network: StationNetwork | None = None,
    policy: MatchPolicy | None = None,
    as_of: date | None = None,
    declines: Iterable[Decline] = (),
    history: Iterable[tuple[str, str]] = (),
    people: Iterable[PersonLink] = (),
) -> CandidateGraph:
    """Build every role's candidate graph as columnar arrays, with scores (构建候选图).

    Objective: list, for each role of each need, the actors that may fill it, the hard rule
    each excluded candidate breaks, and an integer score per feasible pair.

    Guarantees: candidates come from an index by (area, category), never from all NxM
    pairs; feasible edges satisfy every hard rule; the arrays depend only on the *set* of
    inputs (records are sorted by id first), not their order.

    Complexity: O(N + M + E) numpy work for E index candidates, plus O(N + M) Python to read
    the records; memory about 20 bytes per candidate.

    Args:
        needs: The needs to fill (服务需求).
        actors: Workers, volunteers, organisations and resources, or a whole
            :class:`~wushe.models.Dataset` (which also supplies recipients, communities and
            stations).
        recipients: The needs' recipients, for age, groups and priority (服务对象).
        communities: Communities with their 12-digit codes and neighbours (社区).
        stations: Stations, for a worker's posting area and base (社工站).
        network: The station network (社工站网络): a worker's default area becomes its
            station's ``jurisdiction`` and linkage lists ``path_to_root``.
        policy: Rules and weights; ``MatchPolicy()`` when omitted (匹配策略).
        as_of: Date to evaluate ages, expiry and declines on; the dataset's date or today.
        declines: Earlier refusals to honour (拒绝记录).
        history: ``(recipient_id, actor_id)`` pairs that served before, for continuity.
        people: Links of role records to one person; a recipient is never served by
            their own volunteer or worker record. Defaults to the dataset's
            ``person_links`` (人员身份关联).

    Raises:
        MatchingError: A need names a recipient or community not given, or ids repeat; the
            message names the need id and field.
    """
    with paused_gc():
        run = prepare(
            needs,
            actors,
            recipients=recipients,
            communities=communities,
            stations=stations,
            network=network,
            policy=policy,
            as_of=as_of,
            declines=declines,
            history=history,
            people=people,
        )
        return _graph(run)


def _graph(run: Run) -> CandidateGraph:
    sets = [
        s
        for role in MatchRole
        if role in run.table.lefts and (s := _build_role(run, role)).need_ids
    ]
    return CandidateGraph(
        sets=tuple(sets), as_of=run.as_of, policy=run.policy, needs=run.table.meta
    )


def prepare(
    needs: Iterable[Need],
    actors: Dataset | Iterable[Actor],
    *,
    recipients: Iterable[Recipient] = (),
    communities: Iterable[Community] = (),
    stations: Iterable[Station] = (),
    network: StationNetwork | None = None,
    policy: MatchPolicy | None = None,
    as_of: date | None = None,
    declines: Iterable[Decline] = (),
    history: Iterable[tuple[str, str]] = (),
    people: Iterable[PersonLink] = (),
) -> Run:
    """Read the records into what every role's rules and scores share (构建准备).

    Takes the arguments of :func:`build_candidates`.
    """
    policy = policy or MatchPolicy()
    if as_of is None:
        as_of = (
            actors.as_of
            if isinstance(actors, Dataset) and actors.as_of is not None
            else date.today()
        )
    network = check_network(network)
    links = gather_links(actors, network, people)
    data = gather(needs, actors, recipients, communities, stations)
    areas = Areas()
    declines = list(declines)
    blocked = reassessment_blocks(declines, data.recipients, policy, as_of)
    return Run(
        table=read_needs(
            data, areas, network=network, policy=policy, as_of=as_of, blocked=blocked
        ),
        pools=PoolReader(data=data, areas=areas, policy=policy, network=network),
        policy=policy,
        as_of=as_of,
        declines=declines,
        history=list(history),
        people=links,
    )


@attrs.frozen(kw_only=True, eq=False)
class Run:
    """What every role of one run shares (单次构建)."""

    table: NeedTable
    pools: PoolReader
    policy: MatchPolicy
    as_of: date
    declines: list[Decline]
    history: list[tuple[str, str]]
    people: tuple[PersonLink, ...]


def _context(run: Run, role: MatchRole) -> RoleContext:
    """One role's left nodes and pool, as the hard rules read them (角色上下文)."""
    lefts = run.table.lefts[role]
    n_left = len(lefts)
    need_of = np.fromiter((n for n, _ in lefts), dtype=np.intp, count=n_left)
    left = run.table.features.take(need_of)
    places = np.ones(n_left, dtype=np.int32)
    amount = np.ones(n_left, dtype=np.int64)
    if role is MatchRole.VOLUNTEER:
        places[:] = [r.count for _, r in lefts]
    elif role not in POOL_KIND:
        amount[:] = [units(r.amount, up=True) for _, r in lefts]
    whose = [run.table.recipients[n] for n, _ in lefts]
    return RoleContext(
        role=role,
        policy=run.policy,
        as_of=run.as_of,
        inputs=run.pools.data,
        areas=run.pools.areas,
        lefts=lefts,
        left=left,
        left_places=np.where(left.blocked, 0, places).astype(np.int32),
        left_amount=amount,
        left_gated=consent_gate(role, whose, run.policy, run.as_of),
        pool=run.pools.read(role),
        declines=run.declines,
        people=run.people,
    )


def _build_role(run: Run, role: MatchRole) -> CandidateSet:
    """Index candidates, apply the role's hard rules in order, score what is feasible."""
    ctx = _context(run, role)
    el, er, supplied = candidate_pairs(ctx.areas, ctx.pool, ctx.left)
    reason = first_broken(ctx, el, er)
    scorer = make_scorer(ctx, run.history)
    ok = (reason == 0) & ~ctx.left.blocked[el]
    fe_l, fe_r = el[ok], er[ok]
    bad = reason != 0
    whose = [run.table.recipients[n] for n, _ in ctx.lefts]
    return CandidateSet(
        role=role,
        need_ids=tuple(run.pools.data.needs[n].need_id for n, _ in ctx.lefts),
        actor_ids=ctx.pool.ids,
        left_capacity=ctx.left_places,
        right_capacity=ctx.pool.capacity,
        left_amount=ctx.left_amount,
        edge_left=fe_l,
        edge_right=fe_r,
        edge_weight=scorer.weights(fe_l, fe_r),
        rejected_left=el[bad],
        rejected_right=er[bad],
        rejected_reason=reason[bad],
        left_tier=ctx.left.tier,
        left_blocked=ctx.left.blocked,
        left_category=ctx.left.category,
        left_window=ctx.left.window,
        category_supplied=supplied,
        scorer=scorer,
        purpose=run.policy.purposes.get(role),
        left_gated=ctx.left_gated,
        left_referable=referable(whose, run.as_of),
    )
