"""The attacker: rebuild ID numbers and phones from every default output (重识别攻击).

For every recipient of a generated dataset, the attacker collects what every default output
shows about that record (repr, str, the model and dataset dumps, the CSV and XLSX ledger
exports), merges it (a character shown anywhere is known), and adds the strongest guesses
the dataset allows: the true six-digit area code (as if read off the community's division
code) and the age bounds of any civil-affairs group shown with its assessment date. It then
enumerates every ID number consistent with all that and with the MOD 11-2 check character.
At least ``MIN_CANDIDATES`` must remain; phones likewise. Outputs with nothing per person
(HSDS, match plans and explanations, the district report) must show no ID, phone or birth
date at all.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import AS_OF, datasets, resident_id
from wushe import match
from wushe.io import (
    district_sections,
    export_ledgers,
    sections_to_markdown,
    to_hsds,
)
from wushe.models import Dataset, Disability, Recipient, SensitiveDisability
from wushe.network import StationNetwork
from wushe.privacy import (
    MASK,
    MIN_CANDIDATES,
    SensitiveAddress,
    SensitivePhone,
    SensitiveText,
)
from wushe.vocab import DisabilityCategory, TargetGroup

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
EARLIEST = date(1900, 1, 1)


# --- what one output shows about one record ---------------------------------------------


@attrs.frozen
class View:
    """What one output shows about one recipient; ``None`` means not shown."""

    id_number: str | None = None
    birth: str | None = None  # "1941-03-15", "1941-**-**", "1941"
    gender: str | None = None
    groups: frozenset[str] | None = None
    assessed_on: date | None = None
    phone: str | None = None


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def _groups(value: Any) -> frozenset[str] | None:
    """Groups a dump shows, or ``None`` when withheld."""
    if value is None or value == MASK:
        return None
    if isinstance(value, str):
        return frozenset(v for v in re.split(r"[,、]", value) if v)
    return frozenset(str(getattr(v, "value", v)) for v in value)


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)
    return None


def view_of_dump(record: Mapping[str, Any]) -> View:
    """Read a dumped record (Python or JSON mode, or a ledger row with English headers)."""
    return View(
        id_number=_text(record.get("id_number")),
        birth=_text(record.get("birth_date")),
        gender=_text(record.get("gender")),
        groups=_groups(record.get("target_groups")),
        assessed_on=_date(record.get("assessed_on")),
        phone=_text(record.get("phone")),
    )


_REPR_FIELDS = {
    "id_number": r"id_number=SensitiveIdNumber\('([^']*)'\)",
    "phone": r"phone=SensitivePhone\('([^']*)'\)",
    "gender": r"gender=<Gender\.\w+: '(\w+)'>",
    "birth": r"birth_date=(datetime\.date\(\d+, \d+, \d+\)|'[^']*')",
    "groups": r"target_groups=(frozenset\(\{[^}]*\}\)|frozenset\(\)|'[^']*')",
    "assessed_on": r"assessed_on=datetime\.date\((\d+), (\d+), (\d+)\)",
}


def _repr_date(text: str) -> str:
    found = re.fullmatch(r"datetime\.date\((\d+), (\d+), (\d+)\)", text)
    if found:
        return date(*map(int, found.groups())).isoformat()
    return text.strip("'")


def view_of_repr(text: str) -> View:
    """Read a recipient's ``repr`` or ``str`` (or its segment of a dataset's)."""
    found = {k: re.search(p, text) for k, p in _REPR_FIELDS.items()}
    groups: frozenset[str] | None = None
    if found["groups"] and found["groups"].group(1).startswith("frozenset"):
        groups = frozenset(re.findall(r"<TargetGroup\.\w+: '(\w+)'>", text))
    assessed = found["assessed_on"]
    return View(
        id_number=found["id_number"].group(1) if found["id_number"] else None,
        birth=_repr_date(found["birth"].group(1)) if found["birth"] else None,
        gender=found["gender"].group(1) if found["gender"] else None,
        groups=groups,
        assessed_on=date(*map(int, assessed.groups())) if assessed else None,
        phone=found["phone"].group(1) if found["phone"] else None,
    )


def _segments(text: str, ids: Iterable[str]) -> dict[str, str]:
    """Split a dataset's repr into each recipient's part."""
    starts = {rid: text.find(f"Recipient(recipient_id='{rid}'") for rid in ids}
    ordered = sorted((pos, rid) for rid, pos in starts.items() if pos >= 0)
    ends = [pos for pos, _ in ordered[1:]] + [len(text)] * bool(ordered)
    return {rid: text[pos:end] for (pos, rid), end in zip(ordered, ends, strict=True)}


def _ledger_rows(ds: Dataset, folder: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    (csv_path,) = export_ledgers(
        ds, folder / "recipients.csv", kinds=["recipients"], lang="en"
    ).paths
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            yield "csv", row
    import openpyxl  # noqa: PLC0415 - the xlsx extra

    (book,) = export_ledgers(
        ds, folder / "ledgers.xlsx", kinds=["recipients"], lang="en"
    ).paths
    workbook = openpyxl.load_workbook(book, read_only=True)
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    for values in rows[1:]:
        yield "xlsx", dict(zip(map(str, rows[0]), values, strict=True))


def views(ds: Dataset) -> dict[str, dict[str, View]]:
    """Every default output's view of every recipient, by recipient id and output."""
    seen: dict[str, dict[str, View]] = {r.recipient_id: {} for r in ds.recipients}
    for person in ds.recipients:
        mine = seen[person.recipient_id]
        mine["repr"] = view_of_repr(repr(person))
        mine["str"] = view_of_repr(str(person))
        mine["model_dump"] = view_of_dump(person.model_dump())
        mine["model_dump(json)"] = view_of_dump(person.model_dump(mode="json"))
        mine["model_dump_json"] = view_of_dump(json.loads(person.model_dump_json()))
    for record in json.loads(ds.model_dump_json())["recipients"]:
        seen[record["recipient_id"]]["dataset json"] = view_of_dump(record)
    for rid, segment in _segments(repr(ds), seen).items():
        seen[rid]["dataset repr"] = view_of_repr(segment)
    with tempfile.TemporaryDirectory() as folder:
        for i, (kind, row) in enumerate(_ledger_rows(ds, Path(folder))):
            seen[row["recipient_id"]][f"{kind} row {i}"] = view_of_dump(row)
    return seen


# --- the enumeration --------------------------------------------------------------------


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


_UNDER = {
    TargetGroup.LEFT_BEHIND_CHILD.value: 16,
    TargetGroup.ORPHAN.value: 18,
    TargetGroup.DE_FACTO_UNSUPPORTED_CHILD.value: 18,
    TargetGroup.CHILD_IN_DIFFICULTY.value: 18,
}
_AT_LEAST = {
    TargetGroup.LEFT_BEHIND_ELDER.value: 60,
    TargetGroup.EMPTY_NEST_ELDER.value: 60,
    TargetGroup.ELDER_LIVING_ALONE.value: 60,
    TargetGroup.DISABLED_ELDER.value: 60,
    TargetGroup.ADVANCED_AGE_ELDER.value: 80,
}


def birth_range(
    birth: str | None, groups: frozenset[str] | None, assessed: date | None
) -> tuple[date, date]:
    """The birth dates the shown birth field and age-bound groups leave open."""
    low, high = EARLIEST, AS_OF
    if birth and re.fullmatch(r"\d{4}-\d{2}-\d{2}", birth):
        low = high = date.fromisoformat(birth)
    elif birth and re.match(r"\d{4}", birth):
        year = int(birth[:4])
        low, high = date(year, 1, 1), date(year, 12, 31)
    if groups and assessed:
        for group in groups:
            if group in _UNDER:
                low = max(low, _years_back(assessed, _UNDER[group]) + timedelta(1))
            if group in _AT_LEAST:
                high = min(high, _years_back(assessed, _AT_LEAST[group]))
    return low, high


def count_ids(
    shown: str, *, area: str, low: date, high: date, gender: str | None, limit: int
) -> int:
    """How many valid ID numbers fit ``shown`` (``*`` hidden), stopping at ``limit``.

    ``area`` is the attacker's guess for hidden address-code digits.
    """
    known = [None if c == "*" else c for c in shown]
    guess = [k if k is not None else a for k, a in zip(known[:6], area, strict=True)]
    parity = {"male": 1, "female": 0}.get(gender or "")
    by_residue = [0] * 11
    for seq in range(1000):
        digits = f"{seq:03d}"
        if any(k not in (None, c) for k, c in zip(known[14:17], digits, strict=True)):
            continue
        if parity is not None and int(digits[2]) % 2 != parity:
            continue
        residue = sum(int(c) * w for c, w in zip(digits, WEIGHTS[14:], strict=True))
        by_residue[residue % 11] += 1
    total = 0
    day = low
    while day <= high and total < limit:
        first14 = "".join(guess) + f"{day:%Y%m%d}"
        if all(k in (None, c) for k, c in zip(known[6:14], first14[6:], strict=True)):
            partial = sum(int(c) * w for c, w in zip(first14, WEIGHTS, strict=False))
            total += sum(
                n
                for r, n in enumerate(by_residue)
                if known[17] in (None, CHECK[(partial + r) % 11])
            )
        day += timedelta(1)
    return total


def count_phones(shown: str) -> int:
    """How many mainland mobile numbers fit ``shown`` (``*`` hidden)."""
    total = 1
    for position, char in enumerate(shown):
        if char == "*":
            total *= 7 if position == 1 else 1 if position == 0 else 10
    return total


def merge(shown: Iterable[str | None]) -> str | None:
    """Every character any output shows, ``*`` where none does."""
    texts = [s for s in shown if s]
    if not texts:
        return None
    merged = ["*"] * max(len(t) for t in texts)
    for text in texts:
        for i, char in enumerate(text):
            if char != "*":
                merged[i] = char
    return "".join(merged)


def most_specific(births: Iterable[str | None]) -> str | None:
    return max((b for b in births if b), key=lambda b: -b.count("*"), default=None)


def candidates(person: Recipient, seen: Mapping[str, View]) -> tuple[int, int | None]:
    """ID and phone candidates left for ``person`` after every output is combined."""
    assert person.id_number is not None
    raw = person.id_number.reveal()
    shown_id = merge(v.id_number for v in seen.values())
    assert shown_id is not None
    groups = frozenset().union(*(v.groups for v in seen.values() if v.groups))
    assessed = next((v.assessed_on for v in seen.values() if v.assessed_on), None)
    low, high = birth_range(
        most_specific(v.birth for v in seen.values()), groups, assessed
    )
    gender = next((v.gender for v in seen.values() if v.gender), None)
    ids = count_ids(
        shown_id, area=raw[:6], low=low, high=high, gender=gender, limit=MIN_CANDIDATES
    )
    shown_phone = merge(v.phone for v in seen.values())
    return ids, count_phones(shown_phone) if shown_phone else None


# --- the worlds -------------------------------------------------------------------------


@st.composite
def exposed_datasets(draw: st.DrawFn) -> Dataset:
    """Generated datasets whose recipients also carry phones, addresses and health data."""
    ds = draw(datasets())
    people = []
    for person in ds.recipients:
        extra: dict[str, Any] = {
            "address": SensitiveAddress(draw(st.sampled_from(ADDRESSES))),
            "health_notes": SensitiveText("高血压，独居，行动不便"),
        }
        if draw(st.booleans()):
            extra["phone"] = SensitivePhone(f"139{draw(st.integers(0, 10**8 - 1)):08d}")
        if draw(st.booleans()):
            extra["disability"] = SensitiveDisability(
                Disability(category=DisabilityCategory.PHYSICAL, grade=2)
            )
        people.append(person.model_copy(update=extra))
    return ds.model_copy(update={"recipients": tuple(people)})


ADDRESSES = (
    "重庆市渝中区七星岗街道兴隆街8号",
    "兴隆街8号3单元",
    "四川省成都市金牛区西安路街道抚琴西路12号",
    "幸福小区3栋2单元401",
)


@given(exposed_datasets())
def test_every_default_output_combined_leaves_at_least_k_ids_and_phones(ds):
    seen = views(ds)
    for person in ds.recipients:
        ids, phones = candidates(person, seen[person.recipient_id])
        assert ids >= MIN_CANDIDATES, (
            f"{person.recipient_id}: only {ids} ID numbers fit the default outputs"
        )
        if phones is not None:
            assert phones >= MIN_CANDIDATES


@given(exposed_datasets())
def test_no_default_output_shows_a_special_category_of_one_person(ds):
    seen = views(ds)
    for person in ds.recipients:
        for output, view in seen[person.recipient_id].items():
            assert view.groups is None, f"{output} shows {person.recipient_id}'s groups"
    for person in ds.recipients:
        text = repr(person) + person.model_dump_json() + str(person.model_dump())
        assert "高血压" not in text
        assert "physical" not in text
        assert "肢体" not in text
    with tempfile.TemporaryDirectory() as folder:
        (path,) = export_ledgers(
            ds, Path(folder) / "对象.csv", kinds=["recipients"]
        ).paths
        # The rows, not the header: a header names a field, not a person's status.
        lines = path.read_text(encoding="utf-8-sig").splitlines()[1:]
    ledger = "\n".join(lines)
    # Whole cell items, not substrings: 其他 (a group) is also inside 转介其他部门 (a
    # consent purpose), which says nothing about the person.
    items = {
        item.strip()
        for row in csv.reader(lines)
        for cell in row
        for item in re.split(r"[、,;；]", cell)
    }
    assert not items & {g.zh for g in TargetGroup}
    assert "高血压" not in ledger
    assert "肢体" not in ledger


_ID_LIKE = re.compile(r"(?<![0-9A-Za-z*])[0-9*]{17}[0-9Xx*](?![0-9A-Za-z*])")
_PHONE_LIKE = re.compile(r"(?<!\d)1[3-9][0-9*]{9}(?!\d)")


@settings(max_examples=25)
@given(exposed_datasets())
def test_aggregate_outputs_hold_nothing_of_a_person(ds):
    plan = match(ds.needs, ds)
    network = StationNetwork.from_dataset(ds)
    texts = {
        "hsds": json.dumps(to_hsds(ds), ensure_ascii=False),
        "plan": json.dumps(plan.as_dict(), ensure_ascii=False),
        "explanations": "\n".join(
            plan.explain(n.need_id, lang) for n in ds.needs for lang in ("zh", "en")
        ),
        "report": sections_to_markdown(district_sections(ds, network)),
    }
    for person in ds.recipients:
        born = person.birth_date
        assert born is not None
        for output, text in texts.items():
            assert not _ID_LIKE.search(text), output
            assert not _PHONE_LIKE.search(text), output
            assert born.isoformat() not in text, output
            assert person.name.masked not in text, output


# --- the attacker is sharp enough -------------------------------------------------------


def test_attacker_rebuilds_an_id_from_the_old_mask_and_a_clear_birth_date():
    # What main showed before #10: 4 + 4 characters beside the full birth date.
    low = high = date(1941, 3, 15)
    number = resident_id("510106", low, 22)
    found = count_ids(
        number[:4] + "*" * 10 + number[-4:],
        area="510106",
        low=low,
        high=high,
        gender="female",
        limit=MIN_CANDIDATES,
    )
    assert found == 1


def test_attacker_narrows_a_birth_year_with_an_age_bound_group():
    low, high = birth_range("1944-**-**", frozenset({"advanced_age_elder"}), AS_OF)
    assert (low, high) == (date(1944, 1, 1), date(1944, 6, 30))


def test_the_rule_leaves_about_sixteen_thousand_ids_for_a_birth_year():
    found = count_ids(
        "51***************0",
        area="510106",
        low=date(1941, 1, 1),
        high=date(1941, 12, 31),
        gender="female",
        limit=10**9,
    )
    assert 15_000 < found < 18_000


def test_the_rule_still_leaves_dozens_if_the_exact_birth_date_leaked():
    day = date(1941, 3, 15)
    found = count_ids(
        "51***************0",
        area="510106",
        low=day,
        high=day,
        gender="female",
        limit=10**9,
    )
    assert found >= 30


@st.composite
def staffed_datasets(draw: st.DrawFn) -> Dataset:
    """Generated datasets whose workers and volunteers carry phones."""
    ds = draw(datasets())

    def phone() -> SensitivePhone:
        return SensitivePhone(f"13{draw(st.integers(0, 10**9 - 1)):09d}")

    return ds.model_copy(
        update={
            "workers": tuple(
                w.model_copy(update={"phone": phone()}) for w in ds.workers
            ),
            "volunteers": tuple(
                v.model_copy(update={"phone": phone()}) for v in ds.volunteers
            ),
        }
    )


@settings(max_examples=25)
@given(staffed_datasets())
def test_workers_and_volunteers_phones_leave_at_least_k_candidates(ds):
    shown: dict[str, list[str]] = {}
    people = {
        "workers": ("worker_id", ds.workers),
        "volunteers": ("volunteer_id", ds.volunteers),
    }
    with tempfile.TemporaryDirectory() as folder:
        for kind, (id_field, records) in people.items():
            if not records:
                continue
            (path,) = export_ledgers(
                ds, Path(folder) / f"{kind}.csv", kinds=[kind], lang="en"
            ).paths
            with path.open(encoding="utf-8-sig", newline="") as handle:
                for row in csv.DictReader(handle):
                    shown.setdefault(row[id_field], []).append(row["phone"])
            for person in records:
                key = getattr(person, id_field)
                found = re.search(r"phone=SensitivePhone\('([^']*)'\)", repr(person))
                assert found is not None
                shown.setdefault(key, []).append(found.group(1))
                shown[key].append(person.model_dump()["phone"])
            for record in json.loads(ds.model_dump_json())[kind]:
                shown[record[id_field]].append(record["phone"])
    for key, views_of_phone in shown.items():
        merged = merge(views_of_phone)
        assert merged is not None
        assert count_phones(merged) >= MIN_CANDIDATES, key
