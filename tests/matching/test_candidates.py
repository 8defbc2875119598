"""The vectorised candidate builder gives exactly what the reference builder gave."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.matching import legacy_candidates
from tests.matching.strategies import AS_OF, worlds
from wushe import examples
from wushe.io import load_dataset
from wushe.matching import (
    CandidateGraph,
    Decline,
    DeclineReason,
    MatchPolicy,
    build_candidates,
    solve_candidates,
)
from wushe.matching._match import _solve_set, _unmatched
from wushe.vocab import ActorKind

_ARRAYS = (
    "left_capacity",
    "right_capacity",
    "left_amount",
    "edge_left",
    "edge_right",
    "edge_weight",
    "rejected_left",
    "rejected_right",
    "rejected_reason",
    "left_tier",
    "left_blocked",
    "left_category",
    "left_window",
    "category_supplied",
)


def assert_same_graph(new: CandidateGraph, old: CandidateGraph) -> None:
    assert [s.role for s in new.sets] == [s.role for s in old.sets]
    assert dict(new.needs) == dict(old.needs)
    for a, b in zip(new.sets, old.sets, strict=True):
        assert a.need_ids == b.need_ids
        assert a.actor_ids == b.actor_ids
        for name in _ARRAYS:
            x, y = getattr(a, name), getattr(b, name)
            assert np.array_equal(x, y), f"{a.role.value}: {name} differs"
        # Area ids are labels: compare what they mean, the points of every pair.
        for el, er in (
            (a.edge_left, a.edge_right),
            (a.rejected_left, a.rejected_right),
        ):
            assert np.array_equal(a.scorer.reach(el, er), b.scorer.reach(el, er))
            new_parts, old_parts = (
                a.scorer.components(el, er),
                b.scorer.components(el, er),
            )
            assert list(new_parts) == list(old_parts)
            for name, part in new_parts.items():
                assert np.array_equal(part, old_parts[name]), f"{name} differs"
            assert np.array_equal(a.scorer.weights(el, er), b.scorer.weights(el, er))
    plan = solve_candidates(new)
    assert plan == solve_candidates(old)
    # The unmatched reasons, now counted with arrays, equal the per-edge loop's.
    for cs in new.sets:
        for strategy in ("exact", "greedy"):
            chosen = _solve_set(cs, strategy)
            named = [attrs.evolve(u, taken=()) for u in _unmatched(cs, chosen)]
            assert named == legacy_candidates.unmatched(cs, chosen)


@st.composite
def extras(draw: st.DrawFn, world: dict[str, Any]) -> dict[str, Any]:
    """Declines, history and a policy over the world's ids."""
    actors = [
        (a.kind, getattr(a, "worker_id", None) or getattr(a, "volunteer_id", None))
        for a in world["actors"]
    ]
    actors = [(k, i) for k, i in actors if i is not None]
    rids = [r.recipient_id for r in world["recipients"]]
    declines = []
    history = []
    if actors:
        for _ in range(draw(st.integers(0, 4))):
            kind, aid = draw(st.sampled_from(actors))
            declines.append(
                Decline(
                    recipient_id=draw(st.sampled_from(rids)),
                    actor_kind=ActorKind(kind),
                    actor_id=aid,
                    declined_by=draw(st.sampled_from(["actor", "recipient"])),
                    reason=draw(st.sampled_from(list(DeclineReason))),
                    declined_on=AS_OF - timedelta(days=draw(st.integers(-2, 120))),
                )
            )
        history = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(rids), st.sampled_from([i for _, i in actors])
                ),
                max_size=4,
            )
        )
    policy = MatchPolicy(
        reach_adjacent=draw(st.booleans()),
        priority_mode=draw(st.sampled_from(["lexicographic", "weighted"])),
        require_insured_volunteers=draw(st.booleans()),
        max_volunteer_age=draw(st.sampled_from([None, 60])),
    )
    return {"declines": declines, "history": history, "policy": policy}


@settings(max_examples=60, deadline=None)
@given(data=st.data(), world=worlds())
def test_vectorised_candidates_equal_the_reference_builder(data, world):
    more = data.draw(extras(world))
    kwargs = {**world, **more, "as_of": AS_OF}
    assert_same_graph(
        build_candidates(**kwargs), legacy_candidates.build_candidates(**kwargs)
    )


@pytest.mark.parametrize("name", ["qixinggang", "jinniu"])
def test_vectorised_candidates_equal_the_reference_builder_on_examples(name):
    ds = load_dataset(examples.path(name))
    assert_same_graph(
        build_candidates(ds.needs, ds), legacy_candidates.build_candidates(ds.needs, ds)
    )
