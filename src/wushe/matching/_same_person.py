"""Hard rule: a person never serves themself in another role (本人不能服务本人).

A recipient who volunteers (seed 001) or a recipient who is also a worker keeps separate
role records tied by a :class:`~wushe.models.PersonLink`. Matching must never put that
volunteer or worker on their own need. One function gathers the links, one is the rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from wushe.matching._inputs import I32, Bools, RoleContext, member
from wushe.matching._plan import MatchRole
from wushe.models import Dataset, PersonLink

if TYPE_CHECKING:
    from wushe.network import StationNetwork

__all__: list[str] = []  # used by the candidate builder only


def gather_links(
    actors: Any, network: StationNetwork | None, people: Iterable[PersonLink]
) -> tuple[PersonLink, ...]:
    """The person links to honour: those given, else the dataset's (人员关联来源).

    Links come from ``people`` when given, else from ``actors`` when it is a dataset, else
    from the network's dataset.
    """
    given = tuple(people)
    if given:
        return given
    if isinstance(actors, Dataset):
        return actors.person_links
    return network.dataset.person_links if network is not None else ()


def same_person(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """The candidate is the need's recipient in another role (不能服务本人).

    Only workers and volunteers can be people; other roles never break this rule.
    """
    if not ctx.people:
        return None
    if ctx.role is MatchRole.VOLUNTEER:
        pairs = [
            (r, a)
            for link in ctx.people
            for a in link.volunteer_ids
            for r in link.recipient_ids
        ]
    elif ctx.role is MatchRole.LEAD_SOCIAL_WORKER:
        pairs = [
            (r, a)
            for link in ctx.people
            for a in link.worker_ids
            for r in link.recipient_ids
        ]
    else:
        return None
    keys = ctx.pair_keys(pairs)
    return member(ctx.edge_keys(el, er), keys) if keys.size else None
