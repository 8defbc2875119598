from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.scale.province import county_codes, make_county, make_province
from wushe.care import VisitRecord
from wushe.models import Dataset
from wushe.scale import MonthlyFacts, combine, division_chain, monthly_facts

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
    left, right = a.as_dict(), b.as_dict()
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


def test_facts_survive_their_json_form() -> None:
    facts = _facts_of(*make_county("510101", streets=1, communities=2, recipients=3))
    assert MonthlyFacts.from_dict(facts.as_dict()) == facts


def test_months_do_not_mix() -> None:
    with pytest.raises(ValueError, match="different months"):
        combine([MonthlyFacts(month="2024-05"), MonthlyFacts(month="2024-06")])


def test_division_chain_stops_at_the_nation() -> None:
    assert division_chain("510106") == ("510106", "510100", "510000", "national")
    assert division_chain("510000") == ("510000", "national")
