"""#15: indicator_actuals() split into steps counts exactly as the one long function did."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.evaluation.legacy_indicators import legacy_indicator_actuals
from tests.strategies import datasets
from wushe.evaluation import indicator_actuals
from wushe.models import Period
from wushe.network import StationNetwork


@settings(max_examples=60)
@given(datasets(max_recipients=4), st.data())
def test_the_split_counts_as_before(ds, data):
    network = data.draw(st.none() | st.just(StationNetwork.from_dataset(ds)))
    as_of = data.draw(st.none() | st.dates(date(2023, 1, 1), date(2025, 12, 31)))
    start = data.draw(st.dates(date(2022, 1, 1), date(2025, 12, 31)))
    period = data.draw(st.none() | st.just(Period(start=start, end=date(2025, 12, 31))))
    for subject in (*ds.projects, *ds.stations):
        kw = {"period": period, "network": network, "as_of": as_of}
        assert indicator_actuals(subject, ds.activities, **kw) == (
            legacy_indicator_actuals(subject, ds.activities, **kw)
        )
