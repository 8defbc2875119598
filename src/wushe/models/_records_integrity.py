"""Integrity rules of the station's own records (站点业务记录完整性).

Called once from :func:`wushe.models.check_integrity`, after ids are collected, so every
rule runs in the dataset's single integrity pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from wushe.exceptions import IntegrityIssue

if TYPE_CHECKING:  # pragma: no cover
    from wushe.models._dataset import Dataset
    from wushe.models._household import Household

__all__ = ["RecordCode"]


class RecordCode:
    """Stable reason codes for the station's records (业务记录完整性原因代码)."""

    MEMBER_ELSEWHERE = "member_elsewhere"
    """A household or grid member lives in another community than its own (成员不在本社区)."""
    TWO_HOUSEHOLDS = "two_households"
    """A recipient is a member of more than one household (重复入户)."""
    NOT_HOUSEHOLD_MEMBER = "not_household_member"
    """A record names a household its recipient is not a member of (非本户成员)."""
    LINKED_TWICE = "linked_twice"
    """A role record is linked to more than one person (身份重复关联)."""
    PERSON_MISMATCH = "person_mismatch"
    """Records linked as one person disagree on the date of birth (关联身份不一致)."""
    RECIPIENT_MISMATCH = "recipient_mismatch"
    """A record names a need or case of another recipient (服务对象不一致)."""
    OUTSIDE_CASE_PERIOD = "outside_case_period"
    """A session is dated before intake or after closure of its case (超出个案期间)."""
    TWO_GRIDS = "two_grids"
    """A household or recipient is placed in more than one grid (重复入格)."""
    UNKNOWN_TOWNSHIP = "unknown_township"
    """A township post names a township not listed in ``divisions`` (乡镇街道未登记)."""
    OUTSIDE_CONTRACT_PERIOD = "outside_contract_period"
    """A spending record is dated outside its contract's period (超出合同期限)."""


def _issue(
    collection: str, record_id: str, field: str, code: str, message: str
) -> IntegrityIssue:
    return IntegrityIssue(
        collection=collection,
        record_id=record_id,
        field=field,
        code=code,
        message=message,
    )


class _Refs:
    def __init__(self, ids: Mapping[str, set[str]]) -> None:
        self.ids = ids

    def one(
        self,
        collection: str,
        record_id: str,
        field: str,
        target: str,
        value: str | None,
    ) -> Iterator[IntegrityIssue]:
        if value is not None and value not in self.ids[target]:
            yield _issue(
                collection,
                record_id,
                field,
                "unknown_reference",
                f"refers to {target} id {value!r}, which is not in the dataset",
            )

    def many(
        self,
        collection: str,
        record_id: str,
        field: str,
        target: str,
        values: Iterable[str],
    ) -> Iterator[IntegrityIssue]:
        for value in sorted(values):
            yield from self.one(collection, record_id, field, target, value)


def check_records(ds: Dataset, ids: Mapping[str, set[str]]) -> Iterator[IntegrityIssue]:
    """Yield every integrity issue of the station's own records (业务记录完整性检查).

    Households, person links, cases and sessions, referrals, supervision and training.
    """
    refs = _Refs(ids)
    yield from _households(ds, refs)
    yield from _people(ds, refs)
    yield from _cases(ds, refs)
    yield from _referrals(ds, refs)
    yield from _supervision_and_training(ds, refs)
    yield from _contracts(ds, refs)
    yield from _incubation(ds, refs)
    yield from _child_welfare(ds, refs)
    yield from _grids(ds, refs)


def _households(ds: Dataset, refs: _Refs) -> Iterator[IntegrityIssue]:
    home = (
        {r.recipient_id: r.community_id for r in ds.recipients} if ds.households else {}
    )
    household_of: dict[str, list[Household]] = {}
    for h in ds.households:
        hid = h.household_id
        yield from refs.one(
            "households", hid, "community_id", "communities", h.community_id
        )
        yield from refs.many(
            "households", hid, "member_ids", "recipients", h.member_ids
        )
        for member in sorted(h.member_ids):
            lives = home.get(member)
            left = h.membership_of(member).until is not None
            if lives is not None and lives != h.community_id and not left:
                yield _issue(
                    "households",
                    hid,
                    "member_ids",
                    RecordCode.MEMBER_ELSEWHERE,
                    f"member {member} lives in community {lives}, not {h.community_id}",
                )
            earlier = household_of.setdefault(member, [])
            other = next((o for o in earlier if _together(o, h, member)), None)
            earlier.append(h)
            if other is not None:
                yield _issue(
                    "households",
                    hid,
                    "member_ids",
                    RecordCode.TWO_HOUSEHOLDS,
                    f"member {member} is already a member of household "
                    f"{other.household_id} at the same time",
                )
    members = {h.household_id: h.member_ids for h in ds.households}
    for n in ds.needs:
        yield from _member_of(
            "needs", n.need_id, n.recipient_id, n.household_id, members
        )
    for a in ds.activities:
        yield from refs.many(
            "activities", a.activity_id, "household_ids", "households", a.household_ids
        )


def _together(a: Household, b: Household, member: str) -> bool:
    """Whether ``member``'s times in the two households share a day."""
    x, y = a.membership_of(member), b.membership_of(member)
    return (x.until is None or y.since is None or y.since <= x.until) and (
        y.until is None or x.since is None or x.since <= y.until
    )


def _member_of(
    collection: str,
    record_id: str,
    recipient_id: str,
    household_id: str | None,
    members: Mapping[str, frozenset[str]],
) -> Iterator[IntegrityIssue]:
    if household_id is None or household_id not in members:
        if household_id is not None:
            yield _issue(
                collection,
                record_id,
                "household_id",
                "unknown_reference",
                f"refers to households id {household_id!r}, which is not in the dataset",
            )
        return
    if recipient_id not in members[household_id]:
        yield _issue(
            collection,
            record_id,
            "household_id",
            RecordCode.NOT_HOUSEHOLD_MEMBER,
            f"recipient {recipient_id} is not a member of household {household_id}",
        )


def _people(ds: Dataset, refs: _Refs) -> Iterator[IntegrityIssue]:
    if not ds.person_links:
        return
    born = {r.recipient_id: r.birth_date for r in ds.recipients} | {
        v.volunteer_id: v.birth_date for v in ds.volunteers
    }
    owner: dict[tuple[str, str], str] = {}
    for link in ds.person_links:
        pid = link.person_id
        yield from refs.many(
            "person_links", pid, "recipient_ids", "recipients", link.recipient_ids
        )
        yield from refs.many(
            "person_links", pid, "volunteer_ids", "volunteers", link.volunteer_ids
        )
        yield from refs.many(
            "person_links", pid, "worker_ids", "workers", link.worker_ids
        )
        for collection, record_id in sorted(link.role_keys()):
            other = owner.setdefault((collection, record_id), pid)
            if other != pid:
                yield _issue(
                    "person_links",
                    pid,
                    f"{collection[:-1]}_ids",
                    RecordCode.LINKED_TWICE,
                    f"{collection} record {record_id} is already linked to person {other}",
                )
        dates = {
            born[i]
            for i in (*link.recipient_ids, *link.volunteer_ids)
            if born.get(i) is not None
        }
        if len(dates) > 1:
            yield _issue(
                "person_links",
                pid,
                "volunteer_ids" if link.volunteer_ids else "recipient_ids",
                RecordCode.PERSON_MISMATCH,
                "the linked records give different dates of birth",
            )


def _cases(ds: Dataset, refs: _Refs) -> Iterator[IntegrityIssue]:
    need_owner = {n.need_id: n.recipient_id for n in ds.needs}
    members = {h.household_id: h.member_ids for h in ds.households}
    for c in ds.cases:
        cid = c.case_id
        yield from refs.one("cases", cid, "recipient_id", "recipients", c.recipient_id)
        yield from refs.one("cases", cid, "worker_id", "workers", c.worker_id)
        yield from refs.one("cases", cid, "station_id", "stations", c.station_id)
        yield from refs.one("cases", cid, "need_id", "needs", c.need_id)
        yield from _same_recipient("cases", cid, c.recipient_id, c.need_id, need_owner)
        yield from _member_of("cases", cid, c.recipient_id, c.household_id, members)
    cases = {c.case_id: c for c in ds.cases}
    for s in ds.case_sessions:
        sid = s.session_id
        yield from refs.one("case_sessions", sid, "case_id", "cases", s.case_id)
        yield from refs.one("case_sessions", sid, "worker_id", "workers", s.worker_id)
        case = cases.get(s.case_id)
        if case is None:
            continue
        closed = case.closed_on
        if s.held_on < case.opened_on or (closed is not None and s.held_on > closed):
            yield _issue(
                "case_sessions",
                sid,
                "held_on",
                RecordCode.OUTSIDE_CASE_PERIOD,
                f"dated {s.held_on}, outside case {case.case_id}'s "
                f"{case.opened_on}..{closed or 'open'}",
            )


def _same_recipient(
    collection: str,
    record_id: str,
    recipient_id: str,
    need_id: str | None,
    need_owner: Mapping[str, str],
) -> Iterator[IntegrityIssue]:
    owner = need_owner.get(need_id) if need_id is not None else None
    if owner is not None and owner != recipient_id:
        yield _issue(
            collection,
            record_id,
            "need_id",
            RecordCode.RECIPIENT_MISMATCH,
            f"need {need_id} is recipient {owner}'s, not {recipient_id}'s",
        )


def _referrals(ds: Dataset, refs: _Refs) -> Iterator[IntegrityIssue]:
    need_owner = {n.need_id: n.recipient_id for n in ds.needs}
    case_owner = {c.case_id: c.recipient_id for c in ds.cases}
    members = {h.household_id: h.member_ids for h in ds.households}
    for r in ds.referrals:
        rid = r.referral_id
        yield from refs.one(
            "referrals", rid, "recipient_id", "recipients", r.recipient_id
        )
        yield from refs.one("referrals", rid, "station_id", "stations", r.station_id)
        yield from refs.one("referrals", rid, "need_id", "needs", r.need_id)
        yield from refs.one("referrals", rid, "case_id", "cases", r.case_id)
        yield from refs.one(
            "referrals", rid, "organization_id", "organizations", r.organization_id
        )
        yield from _same_recipient(
            "referrals", rid, r.recipient_id, r.need_id, need_owner
        )
        owner = case_owner.get(r.case_id) if r.case_id is not None else None
        if owner is not None and owner != r.recipient_id:
            yield _issue(
                "referrals",
                rid,
                "case_id",
                RecordCode.RECIPIENT_MISMATCH,
                f"case {r.case_id} is recipient {owner}'s, not {r.recipient_id}'s",
            )
        yield from _member_of("referrals", rid, r.recipient_id, r.household_id, members)


def _supervision_and_training(ds: Dataset, refs: _Refs) -> Iterator[IntegrityIssue]:
    for s in ds.supervisions:
        sid = s.supervision_id
        yield from refs.one("supervisions", sid, "station_id", "stations", s.station_id)
        yield from refs.one(
            "supervisions", sid, "supervisor_id", "workers", s.supervisor_id
        )
        yield from refs.many(
            "supervisions", sid, "supervisee_ids", "workers", s.supervisee_ids
        )
        yield from refs.many(
            "supervisions", sid, "station_ids", "stations", s.station_ids
        )
        yield from refs.many(
            "supervisions", sid, "community_ids", "communities", s.community_ids
        )
    for t in ds.trainings:
        tid = t.training_id
        yield from refs.one("trainings", tid, "station_id", "stations", t.station_id)
        yield from refs.many(
            "trainings", tid, "attendee_ids", "workers", t.attendee_ids
        )


def _contracts(ds: Dataset, refs: _Refs) -> Iterator[IntegrityIssue]:
    for c in ds.contracts:
        kid = c.contract_id
        yield from refs.one("contracts", kid, "project_id", "projects", c.project_id)
        yield from refs.one(
            "contracts", kid, "provider_id", "organizations", c.provider_id
        )
    periods = {c.contract_id: c.period for c in ds.contracts}
    for s in ds.spendings:
        yield from refs.one(
            "spendings", s.spending_id, "contract_id", "contracts", s.contract_id
        )
        period = periods.get(s.contract_id)
        if period is not None and not period.includes(s.spent_on):
            yield _issue(
                "spendings",
                s.spending_id,
                "spent_on",
                RecordCode.OUTSIDE_CONTRACT_PERIOD,
                f"dated {s.spent_on}, outside contract {s.contract_id}'s period "
                f"{period.start}..{period.end}",
            )


def _incubation(ds: Dataset, refs: _Refs) -> Iterator[IntegrityIssue]:
    for b in ds.incubators:
        bid = b.incubator_id
        yield from refs.one(
            "incubators", bid, "operator_id", "organizations", b.operator_id
        )
        yield from refs.one("incubators", bid, "station_id", "stations", b.station_id)
        yield from refs.one(
            "incubators", bid, "community_id", "communities", b.community_id
        )
    for i in ds.incubations:
        iid = i.incubation_id
        yield from refs.one(
            "incubations", iid, "organization_id", "organizations", i.organization_id
        )
        yield from refs.one(
            "incubations", iid, "incubator_id", "incubators", i.incubator_id
        )


def _child_welfare(ds: Dataset, refs: _Refs) -> Iterator[IntegrityIssue]:
    townships = {d.division_code for d in ds.divisions}
    for p in ds.child_welfare_posts:
        yield from refs.one(
            "child_welfare_posts", p.post_id, "worker_id", "workers", p.worker_id
        )
        yield from refs.one(
            "child_welfare_posts",
            p.post_id,
            "community_id",
            "communities",
            p.community_id,
        )
        if p.division_code is not None and p.division_code not in townships:
            yield _issue(
                "child_welfare_posts",
                p.post_id,
                "division_code",
                RecordCode.UNKNOWN_TOWNSHIP,
                f"township {p.division_code} is not listed in divisions",
            )


def _grids(ds: Dataset, refs: _Refs) -> Iterator[IntegrityIssue]:
    lives = {r.recipient_id: r.community_id for r in ds.recipients} | {
        h.household_id: h.community_id for h in ds.households
    }
    placed: dict[str, str] = {}
    for g in ds.grids:
        gid = g.grid_id
        yield from refs.one("grids", gid, "community_id", "communities", g.community_id)
        yield from refs.many(
            "grids", gid, "grid_worker_ids", "workers", g.grid_worker_ids
        )
        for field, target, members in (
            ("household_ids", "households", g.household_ids),
            ("recipient_ids", "recipients", g.recipient_ids),
        ):
            yield from refs.many("grids", gid, field, target, members)
            for member in sorted(members):
                home = lives.get(member)
                if home is not None and home != g.community_id:
                    yield _issue(
                        "grids",
                        gid,
                        field,
                        RecordCode.MEMBER_ELSEWHERE,
                        f"{target} {member} lives in community {home}, not {g.community_id}",
                    )
                other = placed.setdefault(f"{target}:{member}", gid)
                if other != gid:
                    yield _issue(
                        "grids",
                        gid,
                        field,
                        RecordCode.TWO_GRIDS,
                        f"{target} {member} is already in grid {other}",
                    )
