"""The candidate index: (area, service category) → actors, never all N x M pairs (候选索引).

Each actor gets one index row per (area it serves, category it serves). A need looks up
its community, street, district, city, province and "anywhere" in its own category; the
rows found are its candidates. Areas an actor lists inside one another are normalised
first, so a need meets each actor at most once.
"""

from __future__ import annotations

import itertools

import numpy as np

from wushe.matching._inputs import CATS, I32, I64, Areas, Bools, NeedFeatures, Pool

__all__: list[str] = []  # internal: the candidate builder calls candidate_pairs


def candidate_pairs(
    areas: Areas, pool: Pool, left: NeedFeatures
) -> tuple[I32, I32, Bools]:
    """Every (left, actor) pair the index finds, and per category whether anyone serves it.

    Pairs come grouped by left node, actors in index order within each (a stable order).
    """
    n_cat = len(CATS)
    n_right = len(pool.records)
    normal = [areas.normalise(area) for area in pool.areas]
    per_actor = np.fromiter(map(len, normal), dtype=np.int64, count=n_right)
    flat_area = np.fromiter(
        itertools.chain.from_iterable(normal),
        dtype=np.int64,
        count=int(per_actor.sum()),
    )
    actor_rep = np.repeat(np.arange(n_right, dtype=np.int32), per_actor)
    masks = np.array(pool.masks, dtype=np.int64).reshape(n_right)
    bits = ((masks[:, None] >> np.arange(n_cat)) & 1).astype(bool)
    row, cat = np.nonzero(bits[actor_rep])
    keys = flat_area[row] * n_cat + cat
    order = np.argsort(keys, kind="stable")
    index_actor = actor_rep[row][order]
    uniq, starts = np.unique(keys[order], return_index=True)
    ends = np.append(starts[1:], keys.size)
    supplied = np.zeros(n_cat, dtype=bool)
    served = int(np.bitwise_or.reduce(masks)) if n_right else 0
    for c in range(n_cat):
        supplied[c] = bool(served >> c & 1)
    el, er = _expand(left.chains, left.category, uniq, starts, ends, index_actor)
    return el, er, supplied


def _expand(
    chain_arr: I64,
    l_cat: np.ndarray,
    uniq: I64,
    starts: I64,
    ends: I64,
    index_actor: I32,
) -> tuple[I32, I32]:
    """Look every left's (area, category) keys up in the index and list the actors found."""
    n_cat = len(CATS)
    n_left, width = chain_arr.shape
    if uniq.size == 0 or n_left == 0:
        empty = np.zeros(0, dtype=np.int32)
        return empty, empty
    lk = np.where(chain_arr >= 0, chain_arr * n_cat + l_cat[:, None], -1).ravel()
    pos = np.minimum(np.searchsorted(uniq, lk), uniq.size - 1)
    found = (lk >= 0) & (uniq[pos] == lk)
    first = np.where(found, starts[pos], 0)
    count = np.where(found, ends[pos] - starts[pos], 0)
    rows = np.repeat(np.repeat(np.arange(n_left, dtype=np.int32), width), count)
    # Index position of candidate k: first[q] + (k - start of q's block), built in place,
    # in int32 when it fits (the edge count and the index size are below 2**31).
    small = rows.size < 2**31 and index_actor.size < 2**31
    position = np.arange(rows.size, dtype=np.int32 if small else np.int64)
    shift = np.repeat(first - (np.cumsum(count) - count), count)
    np.add(position, shift, out=position, casting="unsafe")
    del shift
    return rows, index_actor[position]
