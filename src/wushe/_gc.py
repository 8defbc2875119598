"""Pause the cyclic garbage collector around bulk engine work (暂停循环垃圾回收)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__: list[str] = []


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector paused, restoring its previous state.

    The engines allocate millions of small acyclic objects (rows, tuples, index lists,
    attrs values) while a dataset's many models are alive; every collection then
    re-examines the survivors, which measured 40-50% of network construction and roll-up
    and seconds of a 100k-need match. None of these objects form reference cycles, so
    reference counting frees them and nothing accumulates while the collector is off. The
    switch is process-wide: it is restored on the way out, even on error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
