"""The synthetic province generator behind ``benchmarks/scale.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.scale.province import cached_province, county_shape, write_province
from wushe.exceptions import StoreError
from wushe.io import StoreWriter, open_store


@given(recipients=st.integers(1, 60_000), stations=st.integers(3, 600))
def test_a_county_shape_holds_the_recipients_and_about_the_stations(
    recipients: int, stations: int
) -> None:
    shape = county_shape(recipients, stations)
    communities = shape["streets"] * shape["communities"]
    held = communities * shape["recipients"]
    assert recipients <= held < recipients + communities
    built = 1 + shape["streets"] + communities  # hub, street stations, community rooms
    assert abs(built - stations) <= (shape["communities"] + 1) / 2


def test_a_county_shape_refuses_what_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="≥ 3 stations"):
        county_shape(100, 2)


def test_the_province_is_written_county_by_county_with_the_totals_counted(
    tmp_path: Path,
) -> None:
    seen: list[int] = []
    totals = write_province(tmp_path, counties=3, recipients=40, stations=10,
                            progress=lambda done, _: seen.append(done))  # fmt: skip
    store = open_store(tmp_path)
    assert seen == [1, 2, 3]
    assert store.keys == ("510101", "510102", "510103")
    for name in ("recipients", "needs", "stations", "visits"):
        assert totals[name] == sum(
            p.counts.get(name, 0) for p in store.manifest.partitions
        )
    assert totals["recipients"] >= 3 * 40
    assert store.load("510102").stations  # each partition loads as a dataset


def test_a_cached_province_is_reused_and_a_half_built_one_is_rebuilt(
    tmp_path: Path,
) -> None:
    first, totals = cached_province(tmp_path, counties=2, recipients=10, stations=5)
    manifest = first / "manifest.json"
    stamp = manifest.stat().st_mtime_ns
    again, same = cached_province(tmp_path, counties=2, recipients=10, stations=5)
    assert (again, same) == (first, totals)
    assert manifest.stat().st_mtime_ns == stamp  # not generated twice
    (first / "totals.json").unlink()  # as if generation had been cut off
    (first / "partitions" / "510101" / "dataset.jsonl").write_text("{")
    rebuilt, _ = cached_province(tmp_path, counties=2, recipients=10, stations=5)
    assert rebuilt == first
    assert open_store(rebuilt).load("510101").recipients
    other, _ = cached_province(tmp_path, counties=2, recipients=10, stations=5, seed=1)
    assert other != first


def _files(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_a_province_is_the_same_byte_for_byte_whatever_the_number_of_workers(
    tmp_path: Path,
) -> None:
    """Counties written in parallel and adopted in order give the serial store exactly."""
    stores = {}
    for workers in (1, 2):
        root = tmp_path / f"w{workers}"
        totals = write_province(root, counties=5, recipients=30, stations=8, seed=3,
                                workers=workers)  # fmt: skip
        assert totals["workers"] == workers
        assert totals["county_cpu_s"] > 0
        stores[workers] = _files(root)
    assert "manifest.json" in stores[1]
    assert len(stores[1]) == 1 + 2 * 5  # the manifest, a dataset and visits per county
    assert stores[2] == stores[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w1", "w2"]  # no pieces


def test_a_store_adopting_a_partition_it_already_holds_refuses_it(
    tmp_path: Path,
) -> None:
    write_province(tmp_path / "a", counties=1, recipients=5, stations=5)
    write_province(tmp_path / "b", counties=1, recipients=5, stations=5)
    with StoreWriter(tmp_path / "c", name="合成省", division_code="510000") as writer:
        writer.adopt(tmp_path / "a")
        with pytest.raises(StoreError, match="both hold partition 510101"):
            writer.adopt(tmp_path / "b")
    assert not (tmp_path / "a").exists()  # moved into c
    assert (tmp_path / "b" / "manifest.json").exists()  # left as it was
    assert open_store(tmp_path / "c").keys == ("510101",)
