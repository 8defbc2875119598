"""Pilot phases, platform totals and honours counted from records (#12, #13)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.models.test_dataset import minimal
from tests.strategies import full_consents
from wushe.matching import match
from wushe.models import CharitableResource, Dataset, Need, Recipient
from wushe.network import honour_counts, pilot_status, volunteer_platform_totals
from wushe.vocab import HonourKind, PilotPhase

START = date(2021, 1, 1)


def _stations(n: int) -> list[dict[str, Any]]:
    return [
        {"station_id": f"s{i}", "name": f"社工站{i}", "level": "township",
         "division_code": "500103001", "parent_ids": []}
        for i in range(n)
    ]  # fmt: skip


histories = st.lists(
    st.tuples(st.booleans(), st.integers(0, 600), st.integers(0, 600) | st.none()),
    min_size=1,
    max_size=8,
)


def _pilot_world(rows: list[tuple[bool, int, int | None]]) -> Dataset:
    pilots = []
    for i, (is_pilot, first, later) in enumerate(rows):
        start = START + timedelta(days=first)
        phases = [
            {
                "phase": "pilot" if is_pilot else "expansion",
                "entered_on": start.isoformat(),
            }
        ]
        if is_pilot and later is not None:
            phases.append(
                {
                    "phase": "regular",
                    "entered_on": (start + timedelta(days=later)).isoformat(),
                }
            )
        pilots.append(
            {
                "pilot_id": f"p{i}",
                "programme": "试点",
                "station_id": f"s{i}",
                "phases": phases,
            }
        )
    base = minimal(pilots=pilots)
    base["stations"] = base["stations"][:1] + _stations(len(rows))
    return Dataset.model_validate(base)


@given(histories, st.integers(-10, 1300))
def test_every_station_counts_once_from_its_first_phase_on(rows, offset):
    ds = _pilot_world(rows)
    day = START + timedelta(days=offset)
    status = pilot_status(ds, day)
    begun = sum(1 for _, first, _ in rows if first <= offset)
    assert status.active == begun
    assert set(status.by_phase) == set(PilotPhase)
    assert sum(len(ids) for ids in status.station_ids.values()) == begun


@given(histories)
def test_a_pilot_that_became_regular_is_never_counted_as_expansion(rows):
    ds = _pilot_world(rows)
    late = pilot_status(ds, START + timedelta(days=1300))
    assert late.by_phase[PilotPhase.EXPANSION] == sum(1 for p, _, _ in rows if not p)


rows_strategy = st.lists(
    st.tuples(
        st.integers(0, 3), st.integers(0, 5), st.integers(0, 500), st.integers(0, 900)
    ),
    max_size=12,
    unique_by=lambda r: (r[0], r[1]),
)


def _platform_world(rows: list[tuple[int, int, int, int]]) -> Dataset:
    teams = [{"team_id": f"t{i}", "name": f"队{i}"} for i in range(4)]
    export = [
        {"row_id": f"r{n}", "team_id": f"t{team}", "registered": registered, "hours": str(hours),
         "period": {"start": f"{2015 + year}-01-01", "end": f"{2015 + year}-12-31"}}
        for n, (team, year, registered, hours) in enumerate(rows)
    ]  # fmt: skip
    return Dataset.model_validate(minimal(teams=teams, volunteer_hours=export))


@given(rows_strategy)
def test_registered_is_each_teams_latest_stock_and_hours_every_flow(rows):
    totals = volunteer_platform_totals(_platform_world(rows))
    latest: dict[int, tuple[int, int]] = {}
    for team, year, registered, _ in rows:
        if team not in latest or latest[team][0] < year:
            latest[team] = (year, registered)
    assert totals.registered == sum(r for _, r in latest.values())
    assert totals.hours == sum(Decimal(h) for *_, h in rows)
    assert totals.teams == len(latest)


@given(rows_strategy)
def test_a_cut_off_day_leaves_out_rows_ending_after_it(rows):
    ds = _platform_world(rows)
    cut = volunteer_platform_totals(ds, on=date(2017, 12, 31))
    assert cut.hours == sum(Decimal(h) for _, y, _, h in rows if y <= 2)


def test_honours_count_by_category_and_kind():
    honours = [
        {"honour_id": f"h{i}", "kind": kind, "title": "t", "category": cat, "station_id": "ts"}
        for i, (kind, cat) in enumerate(
            [("award", "论文"), ("award", "论文"), ("award", "摄影"), ("brand", "一站一品")]
        )
    ]  # fmt: skip
    ds = Dataset.model_validate(minimal(honours=honours))
    assert honour_counts(ds, kind=HonourKind.AWARD) == {"摄影": 1, "论文": 2}
    assert honour_counts(ds) == {"一站一品": 1, "摄影": 1, "论文": 2}


def test_a_fund_for_social_workers_is_never_matched_to_a_recipients_need():
    child = Recipient.model_validate(
        {"recipient_id": "p1", "name": "王小明", "community_id": "c1", "target_groups": ["困境儿童"],
         "consents": full_consents(guardian=False, on=date(2022, 1, 1))}
    )  # fmt: skip
    need = Need.model_validate(
        {"need_id": "n1", "recipient_id": "p1", "category": "social_assistance",
         "raised_on": "2022-03-16",
         "roles": [{"role": "resource", "resource_kind": "funds", "amount": "100", "unit": "CNY"}]}
    )  # fmt: skip

    def fund(for_workers: bool) -> CharitableResource:
        return CharitableResource.model_validate(
            {"resource_id": "f1", "name": "武汉社工关爱基金", "resource_kind": "funds",
             "total": "10000", "restriction": {"for_social_workers": for_workers}}
        )  # fmt: skip

    communities = Dataset.model_validate(minimal()).communities
    ordinary = match([need], [fund(False)], recipients=[child], communities=communities)
    assert ordinary.assignments  # the same fund without the flag would serve the need
    guarded = match([need], [fund(True)], recipients=[child], communities=communities)
    assert not guarded.assignments
    assert guarded.unmatched
