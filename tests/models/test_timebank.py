"""Time banks: deposits, redemptions and the local rules they are checked against (#12)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tests.models.test_dataset import issues_of, minimal
from wushe.models import Dataset, TimeBank, TimeBankEntry, time_bank_balances
from wushe.privacy import REVEAL

BANK: dict[str, Any] = {
    "time_bank_id": "tb",
    "name": "七星岗时间银行（示例）",
    "division_code": "500103001",
    "source": "示例",
}


def _entry(eid: str, kind: str, on: str, hours: str, **extra: Any) -> dict[str, Any]:
    return {"entry_id": eid, "time_bank_id": "tb", "volunteer_id": "v1", "kind": kind,
            "on": on, "hours": hours, **extra}  # fmt: skip


def _replay(rules: dict[str, Any], *rows: dict[str, Any], **kw: Any) -> Any:
    bank = TimeBank.model_validate({**BANK, **rules})
    return time_bank_balances(
        bank, [TimeBankEntry.model_validate(r) for r in rows], **kw
    )


def test_redemptions_spend_the_oldest_deposit_and_deposits_expire():
    rows = (
        _entry("d1", "存入", "2020-01-10", "10"),
        _entry("d2", "存入", "2022-06-01", "5"),
        _entry("r1", "兑换", "2022-07-01", "4"),
    )
    balances, problems = _replay({"valid_years": 3}, *rows)
    assert balances == {"v1": Decimal(11)}
    assert not problems
    later, _ = _replay({"valid_years": 3}, *rows, on=date(2023, 2, 1))
    assert later == {"v1": Decimal(5)}  # d1's remaining 6 hours expired on 2023-01-10


def test_an_overdraft_counts_only_unexpired_hours():
    rows = (
        _entry("d1", "存入", "2019-01-10", "10"),
        _entry("r1", "兑换", "2022-07-01", "4"),
    )
    _, problems = _replay({"valid_years": 3}, *rows)
    assert [(p.entry_id, p.field, p.code) for p in problems] == [
        ("r1", "hours", "overdrawn")
    ]
    _, forever = _replay({}, *rows)
    assert not forever


def test_the_annual_cap_age_and_transfer_rules_each_name_their_field():
    rows = (
        _entry("d1", "存入", "2020-01-10", "100"),
        _entry("r1", "兑换", "2022-03-01", "30"),
        _entry("r2", "兑换", "2022-04-01", "30"),
        _entry("r3", "兑换", "2023-04-01", "1", for_recipient_id="p1"),
    )
    rules = {"annual_cap": "50", "min_redeem_age": 60}
    _, problems = _replay(rules, *rows, birth_dates={"v1": date(1970, 1, 1)})
    found = {(p.entry_id, p.field, p.code) for p in problems}
    assert found == {
        ("r1", "volunteer_id", "under_redeem_age"),
        ("r2", "volunteer_id", "under_redeem_age"),
        ("r2", "hours", "over_annual_cap"),
        ("r3", "for_recipient_id", "not_transferable"),
    }


def test_a_breach_is_an_integrity_issue_of_the_entry():
    data = minimal(
        volunteers=[{"volunteer_id": "v1", "name": "孙雨", "birth_date": "1950-01-01"}],
        time_banks=[BANK],
        time_bank_entries=[_entry("r1", "兑换", "2022-07-01", "4")],
    )
    assert issues_of(data) == [("time_bank_entries", "r1", "hours", "overdrawn")]


def test_an_entry_of_an_unknown_volunteer_is_reported():
    data = minimal(
        time_banks=[BANK], time_bank_entries=[_entry("d1", "存入", "2022-01-01", "2")]
    )
    assert (
        "time_bank_entries",
        "d1",
        "volunteer_id",
        "unknown_reference",
    ) in issues_of(data)


flows = st.lists(
    st.tuples(st.booleans(), st.integers(1, 40), st.integers(0, 2000)), max_size=15
)


@given(flows)
def test_without_rules_the_balance_is_deposits_less_redemptions_when_never_overdrawn(
    rows,
):
    entries = []
    balance = 0
    for n, (deposit, hours, day) in enumerate(
        sorted(rows, key=lambda r: (r[2], not r[0]))
    ):
        if not deposit and hours > balance:
            continue
        balance += hours if deposit else -hours
        on = (date(2018, 1, 1) + timedelta(days=day)).isoformat()
        entries.append(
            _entry(f"e{n}", "deposit" if deposit else "redeem", on, str(hours))
        )
    balances, problems = _replay({}, *entries)
    assert not problems
    assert balances.get("v1", Decimal(0)) == balance


@given(flows)
def test_every_redemption_beyond_the_running_balance_is_reported(rows):
    entries = [
        _entry(f"e{n}", "deposit" if d else "redeem",
               (date(2018, 1, 1) + timedelta(days=day)).isoformat(), str(h))
        for n, (d, h, day) in enumerate(rows)
    ]  # fmt: skip
    _, problems = _replay({}, *entries)
    ordered = sorted(
        rows and list(enumerate(rows)), key=lambda x: (x[1][2], not x[1][0], f"e{x[0]}")
    )
    running, over = 0, set()
    for n, (deposit, hours, _) in ordered:
        if deposit:
            running += hours
        else:
            if hours > running:
                over.add(f"e{n}")
            running = max(0, running - hours)
    assert {p.entry_id for p in problems} == over


def test_a_dataset_with_a_time_bank_round_trips():
    data = minimal(
        volunteers=[{"volunteer_id": "v1", "name": "孙雨", "birth_date": "1950-01-01"}],
        time_banks=[{**BANK, "valid_years": 3, "annual_cap": "50", "min_redeem_age": 60}],
        time_bank_entries=[_entry("d1", "存入", "2022-01-01", "2"), _entry("r1", "兑换", "2022-02-01", "1")],
    )  # fmt: skip
    ds = Dataset.model_validate(data)
    assert Dataset.model_validate_json(ds.model_dump_json(context=REVEAL)) == ds
    assert "孙雨" not in ds.model_dump_json()  # masked by default
