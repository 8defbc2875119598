"""Honours, pilots, platform rows and gatherings each live in one store partition (#12, #13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_seed_localities import seed
from wushe.io import open_store, write_store
from wushe.models import COLLECTIONS

NEW = ("honours", "pilots", "volunteer_hours", "convenings")


@pytest.mark.parametrize("stem", ["hubei", "shanxi", "jiulong"])
def test_no_new_record_is_dropped_or_doubled_by_a_store(tmp_path: Path, stem: str):
    ds = seed(stem)
    write_store(tmp_path, ds)
    store = open_store(tmp_path)
    for collection in NEW:
        id_field = COLLECTIONS[collection][1]
        stored = sorted(
            getattr(r, id_field)
            for key in store.keys
            for r in store.load(key).records(collection)
        )
        assert stored == sorted(getattr(r, id_field) for r in ds.records(collection))
