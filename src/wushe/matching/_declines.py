"""Earlier declines: pairs excluded and recipients held for reassessment (拒绝记录规则).

The policy's ``decline_rules`` turn each :class:`~wushe.matching.Decline` into a
consequence on ``as_of``: a cool-down or "never again" excludes the pair (the hard rule
``declined_pair``), and "reassess first" holds every role of the recipient's needs until
the recipient's ``assessed_on`` is later than the decline (``awaiting_reassessment``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from wushe.matching._inputs import I32, POOL_KIND, Bools, RoleContext, member
from wushe.matching._policy import Decline, DeclineConsequence, MatchPolicy
from wushe.models import Recipient
from wushe.vocab import ActorKind

__all__: list[str] = []  # internal: registered in _rules.py


def reassessment_blocks(
    declines: Iterable[Decline],
    recipients: Mapping[str, Recipient],
    policy: MatchPolicy,
    as_of: date,
) -> set[str]:
    """Recipients whose needs wait for a reassessment after a decline (待重新评估)."""
    blocked: set[str] = set()
    for d in declines:
        rule = policy.decline_rules.get(d.reason)
        if rule is None or rule.consequence is not DeclineConsequence.REASSESS:
            continue
        if d.declined_on > as_of:
            continue
        recipient = recipients.get(d.recipient_id)
        assessed = recipient.assessed_on if recipient is not None else None
        if assessed is None or assessed <= d.declined_on:
            blocked.add(d.recipient_id)
    return blocked


def excluded_pairs(
    declines: Iterable[Decline],
    kind: ActorKind,
    policy: MatchPolicy,
    as_of: date,
) -> set[tuple[str, str]]:
    """``(recipient_id, actor_id)`` pairs a decline still excludes on ``as_of`` (排除配对)."""
    pairs: set[tuple[str, str]] = set()
    for d in declines:
        if d.actor_kind is not kind or d.declined_on > as_of:
            continue
        rule = policy.decline_rules.get(d.reason)
        if rule is None or rule.consequence is DeclineConsequence.REASSESS:
            continue
        if rule.consequence is DeclineConsequence.NEVER or (
            rule.days is not None and (as_of - d.declined_on).days < rule.days
        ):
            pairs.add((d.recipient_id, d.actor_id))
    return pairs


def declined_pair(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """An earlier decline excludes the pair: cool-down running or never again (曾被拒绝)."""
    kind = POOL_KIND.get(ctx.role, ActorKind.CHARITABLE_RESOURCE)
    pairs = excluded_pairs(ctx.declines, kind, ctx.policy, ctx.as_of)
    if not pairs:
        return None
    return member(ctx.edge_keys(el, er), ctx.pair_keys(pairs))
