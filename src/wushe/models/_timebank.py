"""Time banks: service hours deposited and redeemed under local rules (时间银行).

A volunteer banks the hours served and later redeems them as service for themself or, where
the rules allow, a family member. Every rule here is local configuration — cities write
their own 时间银行 measures — so :class:`TimeBank` carries its rules and their ``source``,
and the dataset's integrity pass checks each redemption against them
(:func:`time_bank_balances` replays the ledger).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Annotated

import attrs
from pydantic import Field

from wushe._types import ActivityId, Identifier, RecipientId, VolunteerId
from wushe.codes import DivisionCode
from wushe.models._base import WusheModel
from wushe.models._common import Amount
from wushe.vocab import TimeBankEntryKind

__all__ = ["TimeBank", "TimeBankEntry", "TimeBankProblem", "time_bank_balances"]


class TimeBank(WusheModel):
    """A time bank and its redemption rules, all local configuration (时间银行及兑换规则)."""

    time_bank_id: Identifier
    """Identifier within the dataset (时间银行编号)."""
    name: Annotated[str, Field(min_length=1)]
    """Name, e.g. ``"某街道时间银行（示例）"`` (名称)."""
    division_code: DivisionCode
    """The locality that runs it (所属区划)."""
    source: str = ""
    """The local measure the rules come from, or "示例" for illustrative rules (规则来源)."""
    valid_years: Annotated[int, Field(ge=1, le=100)] | None = None
    """Years a deposit stays redeemable; ``None`` means it never expires (有效期（年）)."""
    min_redeem_age: Annotated[int, Field(ge=0, le=120)] | None = None
    """Age a volunteer must reach to redeem for themself, e.g. 60 (兑换年龄)."""
    annual_cap: Amount | None = None
    """Most hours one volunteer may redeem in a calendar year (年度兑换上限)."""
    family_redemption: bool = False
    """Whether hours may be redeemed for a recipient other than the volunteer (可转赠家人)."""


class TimeBankEntry(WusheModel):
    """One deposit or redemption of hours (时间银行记录)."""

    entry_id: Identifier
    """Identifier within the dataset (记录编号)."""
    time_bank_id: Identifier
    """The time bank (时间银行)."""
    volunteer_id: VolunteerId
    """The volunteer whose account it is (账户志愿者)."""
    kind: TimeBankEntryKind
    """Deposit or redemption (类型)."""
    on: date
    """The day (日期)."""
    hours: Annotated[Amount, Field(gt=0)]
    """Hours deposited or redeemed (时长)."""
    activity_id: ActivityId | None = None
    """The ledger row the hours were served in, for a deposit (对应活动)."""
    for_recipient_id: RecipientId | None = None
    """Who received the service of a redemption, if not the volunteer (受益服务对象)."""


@attrs.frozen(kw_only=True)
class TimeBankProblem:
    """A redemption the rules do not allow (兑换违规)."""

    entry_id: str
    """The redemption (记录编号)."""
    field: str
    """The field at fault (字段)."""
    code: str
    """``overdrawn``, ``over_annual_cap``, ``under_redeem_age`` or ``not_transferable``."""
    message: str
    """What is wrong (说明)."""


def _expire(lots: deque[tuple[date, Decimal]], day: date, years: int | None) -> None:
    while lots and years is not None:
        start = lots[0][0]
        if date(start.year + years, start.month, min(start.day, 28)) > day:
            break
        lots.popleft()


def time_bank_balances(
    bank: TimeBank,
    entries: Iterable[TimeBankEntry],
    birth_dates: dict[str, date | None] | None = None,
    on: date | None = None,
) -> tuple[dict[str, Decimal], list[TimeBankProblem]]:
    """Replay a time bank's entries in date order: balances and rule breaches (时间银行结余).

    Deposits are spent oldest first and expire ``valid_years`` after they were made. A
    redemption is checked against the balance, the annual cap, the redemption age (for
    the volunteer's own use, when ``birth_dates`` gives the date of birth) and whether
    hours may go to someone else. With ``on``, entries after it are left out and deposits
    expired by then no longer count.
    """
    lots: dict[str, deque[tuple[date, Decimal]]] = {}
    redeemed: dict[tuple[str, int], Decimal] = {}
    problems: list[TimeBankProblem] = []
    mine = sorted(
        (
            e
            for e in entries
            if e.time_bank_id == bank.time_bank_id and (on is None or e.on <= on)
        ),
        key=lambda e: (e.on, e.kind is TimeBankEntryKind.REDEEM, e.entry_id),
    )
    for e in mine:
        queue = lots.setdefault(e.volunteer_id, deque())
        _expire(queue, e.on, bank.valid_years)
        if e.kind is TimeBankEntryKind.DEPOSIT:
            queue.append((e.on, e.hours))
            continue
        problems.extend(_breaches(bank, e, queue, redeemed, birth_dates or {}))
        _spend(queue, e.hours)
        key = (e.volunteer_id, e.on.year)
        redeemed[key] = redeemed.get(key, Decimal(0)) + e.hours
    if on is not None:
        for queue in lots.values():
            _expire(queue, on, bank.valid_years)
    balances = {v: sum((lot[1] for lot in q), Decimal(0)) for v, q in lots.items()}
    return balances, problems


def _spend(queue: deque[tuple[date, Decimal]], hours: Decimal) -> None:
    left = hours
    while queue and left > 0:
        made, lot_hours = queue[0]
        if lot_hours <= left:
            left -= lot_hours
            queue.popleft()
        else:
            queue[0] = (made, lot_hours - left)
            left = Decimal(0)


def _breaches(
    bank: TimeBank,
    e: TimeBankEntry,
    queue: deque[tuple[date, Decimal]],
    redeemed: dict[tuple[str, int], Decimal],
    birth_dates: dict[str, date | None],
) -> Iterator[TimeBankProblem]:
    def problem(field: str, code: str, message: str) -> TimeBankProblem:
        return TimeBankProblem(
            entry_id=e.entry_id, field=field, code=code, message=message
        )

    balance = sum((lot[1] for lot in queue), Decimal(0))
    if e.hours > balance:
        yield problem(
            "hours", "overdrawn", f"redeems {e.hours} hours with {balance} banked"
        )
    year = redeemed.get((e.volunteer_id, e.on.year), Decimal(0)) + e.hours
    if bank.annual_cap is not None and year > bank.annual_cap:
        yield problem(
            "hours",
            "over_annual_cap",
            f"{year} hours redeemed in {e.on.year}, above the cap of {bank.annual_cap}",
        )
    if e.for_recipient_id is not None and not bank.family_redemption:
        yield problem(
            "for_recipient_id",
            "not_transferable",
            f"{bank.name} does not let hours be redeemed for someone else",
        )
    born = birth_dates.get(e.volunteer_id)
    if (
        e.for_recipient_id is None
        and bank.min_redeem_age is not None
        and born is not None
    ):
        age = e.on.year - born.year - ((e.on.month, e.on.day) < (born.month, born.day))
        if age < bank.min_redeem_age:
            yield problem(
                "volunteer_id",
                "under_redeem_age",
                f"the volunteer is {age}, under the redemption age {bank.min_redeem_age}",
            )
