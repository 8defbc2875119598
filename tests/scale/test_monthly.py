from __future__ import annotations

from datetime import date

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.scale.province import county_codes, make_county, make_province
from wushe.care import VisitRecord
from wushe.models import Dataset
from wushe.scale import (
    MonthlyFacts,
    MonthlyTotals,
    combine,
    combine_totals,
    division_chain,
    monthly_facts,
)

AS_OF = date(2024, 6, 30)


def _facts_of(data, log, **kwargs) -> MonthlyFacts:
    ds = Dataset.model_validate(data)
    visits = [VisitRecord.model_validate(v) for v in log["visits"]]
    return monthly_facts(ds, as_of=AS_OF, visits=visits, **kwargs)


@given(counties=st.integers(1, 3), seed=st.integers(0, 5))
def test_counties_combined_equal_the_province_in_one_process(counties, seed) -> None:
    whole = _facts_of(
        *make_province(counties, streets=2, communities=2, recipients=4, seed=seed)
    )
    parts = [
        _facts_of(
            *make_county(code, streets=2, communities=2, recipients=4, seed=seed),
            partition=code,
        )
        for code in county_codes(counties)
    ]
    combined = combine(parts)
    assert combined.partitions == tuple(county_codes(counties))
    assert attrs_equal(combined, whole)


def attrs_equal(a: MonthlyFacts, b: MonthlyFacts) -> bool:
    """Equal facts; an open role's *reasons* may differ, see ``docs/explanation/partitions.md``.

    A county explains an open role against the actors it holds ("no actor with the skill"),
    one process against the whole province ("none in the area"): the same role stays open.
    """
    left, right = attrs.asdict(a), attrs.asdict(b)
    for side in (left, right):
        side.pop("partitions")
        side["unmatched"] = [u[:3] for u in side["unmatched"]]
    assert all(u[3] for u in a.unmatched)
    assert left == right
    return True


def test_division_totals_add_up_the_tree() -> None:
    facts = _facts_of(*make_province(3, streets=1, communities=2, recipients=2))
    counties = county_codes(3)
    for metric, value in facts.divisions["national"].items():
        assert value == sum(facts.divisions[c][metric] for c in counties)
        assert (
            value
            == facts.divisions["510000"][metric]
            == facts.divisions["510100"][metric]
        )


@given(
    counties=st.integers(1, 4),
    seed=st.integers(0, 5),
    shared=st.sets(st.integers(0, 5)),
)
def test_combined_totals_are_the_totals_of_the_combined_facts(
    counties: int, seed: int, shared: set[int]
) -> None:
    parts = [
        _facts_of(
            *make_county(code, streets=2, communities=2, recipients=3, seed=seed),
            partition=code,
        )
        for code in county_codes(counties)
    ]
    # Any stations may be named shared: hubs, street stations, rooms that do not exist.
    ids = [f"c{code}-s{1 + i % 2}" if i < 4 else f"c{code}-hub"
           for code in county_codes(counties) for i in shared]  # fmt: skip
    combined = combine(parts)
    assert combine_totals(p.totals(ids) for p in parts) == combined.totals(ids)
    totals = combined.totals(ids)
    assert totals.warnings == len(combined.warnings)
    assert totals.assignments == len(combined.assignments)
    assert set(totals.stations) == set(ids) & set(combined.stations)


def test_totals_keep_only_the_shared_stations_and_counts_of_the_lists() -> None:
    facts = _facts_of(
        *make_county("510101", streets=2, communities=2, recipients=6),
        partition="510101",
    )
    totals = facts.totals(["c510101-hub"])
    assert set(totals.stations) == set(totals.visit_rates) == {"c510101-hub"}
    assert len(facts.stations) > 1
    assert (totals.warnings, totals.assignments, totals.unmatched) == (
        len(facts.warnings), len(facts.assignments), len(facts.unmatched)
    )  # fmt: skip
    assert totals.divisions == facts.divisions
    assert totals.partitions == ("510101",)


def test_months_do_not_mix() -> None:
    with pytest.raises(ValueError, match="different months"):
        combine([MonthlyFacts(month="2024-05"), MonthlyFacts(month="2024-06")])
    with pytest.raises(ValueError, match="different months"):
        combine_totals([MonthlyTotals(month="2024-05"), MonthlyTotals(month="2024-06")])


def test_serialisation_left_the_facts_and_says_where_it_went() -> None:
    facts = MonthlyFacts(month="2024-06")
    with pytest.raises(AttributeError, match=r"attrs\.asdict"):
        facts.as_dict()
    with pytest.raises(AttributeError, match="read_facts"):
        MonthlyFacts(month="2024-06").from_dict  # noqa: B018
    assert not hasattr(facts, "no_such_name")


def test_division_chain_stops_at_the_nation() -> None:
    assert division_chain("510106") == ("510106", "510100", "510000", "national")
    assert division_chain("510000") == ("510000", "national")
