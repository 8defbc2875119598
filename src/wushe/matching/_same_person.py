"""Hard rule: a person never serves themself in another role (本人不能服务本人).

A recipient who volunteers (seed 001) or a recipient who is also a worker keeps separate
role records tied by a :class:`~wushe.models.PersonLink`. Matching must never put that
volunteer or worker on their own need. The rule is self-contained: one function gathers
the links, one builds the mask of forbidden candidate edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wushe.models import Dataset, PersonLink
from wushe.vocab import ActorKind

__all__: list[str] = []  # used by the candidate builder only


def gather_links(
    actors: Any, network: Any, people: Iterable[PersonLink]
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
    dataset = getattr(network, "dataset", None)
    return dataset.person_links if isinstance(dataset, Dataset) else ()


def same_person_mask(
    links: Sequence[PersonLink],
    kind: ActorKind | None,
    edge_left_recipient: NDArray[np.int64],
    edge_right: NDArray[np.int32],
    recipient_index: Mapping[str, int],
    actor_ids: Sequence[str],
) -> NDArray[np.bool_]:
    """Which candidate edges pair a recipient with their own volunteer or worker record.

    Args:
        links: Person links.
        kind: The role's actor kind; only volunteers and social workers can be people.
        edge_left_recipient: Per edge, the index of the need's recipient.
        edge_right: Per edge, the index of the actor in ``actor_ids``.
        recipient_index: Recipient id → index.
        actor_ids: The role's actor ids, in index order.
    """
    forbidden = np.zeros(edge_right.shape[0], dtype=bool)
    if not links or kind not in (ActorKind.VOLUNTEER, ActorKind.SOCIAL_WORKER):
        return forbidden
    right_index = {a: j for j, a in enumerate(actor_ids)}
    width = max(len(actor_ids), 1)
    keys = sorted(
        recipient_index[r] * width + right_index[a]
        for link in links
        for a in (
            link.volunteer_ids if kind is ActorKind.VOLUNTEER else link.worker_ids
        )
        if a in right_index
        for r in link.recipient_ids
        if r in recipient_index
    )
    if not keys:
        return forbidden
    table = np.array(keys, dtype=np.int64)
    edge_keys = edge_left_recipient.astype(np.int64) * width + edge_right
    found = np.searchsorted(table, edge_keys)
    found[found == table.size] = 0
    return np.asarray(table[found] == edge_keys, dtype=bool)
