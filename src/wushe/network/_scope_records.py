"""The station's own records inside a scope: households, cases, contracts … (辖区台账记录).

:class:`~wushe.network.DatasetScope` holds, beside the actors and the ledger, the records a
station keeps (#12). Each collection has one rule for what belongs to a jurisdiction and
what is cut from the records kept, so that nothing reachable from a scope names a person
outside it:

* a record about a person (a case, a referral, a child-welfare post, a time-bank entry) is
  kept only when the scope holds that person;
* a record about a place or a station (a household, a grid, a supervision, a training, an
  incubator, a pilot) is kept when it lies in the jurisdiction or involves a station in
  scope, and names only the people in scope;
* money follows its project: contracts of projects in scope, spending of those contracts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import attrs

from wushe.codes import division_contains
from wushe.models import (
    Case,
    Dataset,
    Grid,
    Honour,
    Household,
    PersonLink,
    Referral,
    Supervision,
    TimeBankEntry,
)

__all__: list[str] = []  # used by the network module only

_R = TypeVar("_R")

RECORD_COLLECTIONS = (
    "case_sessions",
    "cases",
    "child_welfare_posts",
    "contracts",
    "convenings",
    "grids",
    "honours",
    "households",
    "incubations",
    "incubators",
    "person_links",
    "pilots",
    "referrals",
    "spendings",
    "supervisions",
    "time_bank_entries",
    "time_banks",
    "trainings",
    "volunteer_hours",
)
"""The station-record collections a scope holds (辖区台账集合)."""


@attrs.frozen(kw_only=True)
class InScope:
    """What a scope already holds, by id: the basis for its station records (辖区编号集)."""

    station_code: str | None
    """The scope station's division code; ``None`` for an attached station."""
    below: frozenset[str]
    """The station and every station below it."""
    area: frozenset[str]
    """The communities of its jurisdiction."""
    residents: frozenset[str]
    """Recipients living in the jurisdiction."""
    workers: frozenset[str]
    """Workers posted to a station in scope."""
    volunteers: frozenset[str]
    """Volunteers living in the jurisdiction."""
    teams: frozenset[str]
    """Volunteer teams based in the jurisdiction."""
    organizations: frozenset[str]
    """Organisations in scope."""
    projects: frozenset[str]
    """Projects in scope."""

    def covers(self, code: str | None) -> bool:
        """Whether a division code lies inside the scope station's area."""
        return (
            code is not None
            and self.station_code is not None
            and division_contains(self.station_code, code)
        )


def _by(
    records: Sequence[Any], keys: Callable[[Any], Iterable[str]]
) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for position, record in enumerate(records):
        for key in keys(record):
            held = index[key]
            if not held or held[-1] != position:
                held.append(position)
    return index


def _take(
    records: Sequence[_R], index: dict[str, list[int]], keys: Iterable[str]
) -> list[_R]:
    """The records under any of ``keys``, in dataset order, each once."""
    positions: set[int] = set()
    for key in keys:
        positions.update(index.get(key, ()))
    return [records[i] for i in sorted(positions)]


def _cut(record: _R, **update: Any) -> _R:
    """``record`` with the fields that changed replaced; the record itself if none did."""
    changed = {k: v for k, v in update.items() if getattr(record, k) != v}
    return record.model_copy(update=changed) if changed else record  # type: ignore[attr-defined]


class RecordIndex:
    """Record positions by the keys scopes ask for, built once per network (台账索引)."""

    def __init__(self, ds: Dataset) -> None:
        """Index ``ds``'s station records."""
        self.ds = ds
        self.households = _by(ds.households, lambda h: (h.community_id,))
        self.links = _by(
            ds.person_links,
            lambda p: (
                *(f"r:{i}" for i in p.recipient_ids),
                *(f"v:{i}" for i in p.volunteer_ids),
                *(f"w:{i}" for i in p.worker_ids),
            ),
        )
        self.cases = _by(ds.cases, lambda c: (c.recipient_id,))
        self.sessions = _by(ds.case_sessions, lambda s: (s.case_id,))
        self.referrals = _by(ds.referrals, lambda r: (r.recipient_id,))
        self.supervisions = _by(
            ds.supervisions,
            lambda s: (
                f"s:{s.station_id}",
                *(f"s:{i}" for i in s.station_ids),
                *(f"c:{i}" for i in s.community_ids),
            ),
        )
        self.trainings = _by(
            ds.trainings,
            lambda t: (f"s:{t.station_id}", *(f"w:{i}" for i in t.attendee_ids)),
        )
        self.contracts = _by(ds.contracts, lambda c: (c.project_id,))
        self.spendings = _by(ds.spendings, lambda s: (s.contract_id,))
        self.incubators = _by(
            ds.incubators, lambda i: (f"s:{i.station_id}", f"c:{i.community_id}")
        )
        self.incubations = _by(
            ds.incubations, lambda i: (f"i:{i.incubator_id}", f"o:{i.organization_id}")
        )
        self.posts = _by(ds.child_welfare_posts, lambda p: (p.worker_id,))
        self.grids = _by(ds.grids, lambda g: (g.community_id,))
        self.pilots = _by(ds.pilots, lambda p: (p.station_id,))
        self.volunteer_hours = _by(ds.volunteer_hours, lambda r: (r.team_id,))
        self.entries = _by(ds.time_bank_entries, lambda e: (e.volunteer_id,))

    def view(self, s: InScope) -> dict[str, tuple[Any, ...]]:
        """The station records the scope ``s`` holds, cut to its people (辖区台账)."""
        ds = self.ds
        households = self._households(s)
        kept = frozenset(h.household_id for h in households)
        cases = self._cases(s, kept)
        case_ids = frozenset(c.case_id for c in cases)
        contracts = _take(ds.contracts, self.contracts, s.projects)
        incubators = _take(
            ds.incubators,
            self.incubators,
            [*(f"s:{b}" for b in s.below), *(f"c:{a}" for a in s.area)],
        )
        entries = self._entries(s)
        banks = {e.time_bank_id for e in entries}
        return {
            "households": tuple(households),
            "person_links": self._links(s),
            "cases": tuple(cases),
            "case_sessions": tuple(
                _cut(x, worker_id=x.worker_id if x.worker_id in s.workers else None)
                for x in _take(ds.case_sessions, self.sessions, case_ids)
            ),
            "referrals": self._referrals(s, kept, case_ids),
            "supervisions": self._supervisions(s),
            "trainings": tuple(
                _cut(t, attendee_ids=t.attendee_ids & s.workers)
                for t in _take(
                    ds.trainings,
                    self.trainings,
                    [*(f"s:{b}" for b in s.below), *(f"w:{w}" for w in s.workers)],
                )
            ),
            "contracts": tuple(contracts),
            "spendings": tuple(
                _take(ds.spendings, self.spendings, [c.contract_id for c in contracts])
            ),
            "incubators": tuple(incubators),
            "incubations": tuple(
                _take(
                    ds.incubations,
                    self.incubations,
                    [
                        *(f"i:{i.incubator_id}" for i in incubators),
                        *(f"o:{o}" for o in s.organizations),
                    ],
                )
            ),
            "child_welfare_posts": tuple(
                _take(ds.child_welfare_posts, self.posts, s.workers)
            ),
            "grids": self._grids(s, kept),
            "honours": tuple(h for h in ds.honours if _honour_in(h, s)),
            "pilots": tuple(_take(ds.pilots, self.pilots, s.below)),
            "volunteer_hours": tuple(
                _take(ds.volunteer_hours, self.volunteer_hours, s.teams)
            ),
            "time_banks": tuple(
                b
                for b in ds.time_banks
                if b.time_bank_id in banks or s.covers(b.division_code)
            ),
            "time_bank_entries": tuple(entries),
            "convenings": tuple(c for c in ds.convenings if s.covers(c.division_code)),
        }

    def _households(self, s: InScope) -> list[Household]:
        kept: list[Household] = []
        for h in _take(self.ds.households, self.households, s.area):
            members = h.member_ids & s.residents
            if members:
                # A member who left may live in another street now: cut with their dates.
                kept.append(
                    _cut(
                        h,
                        member_ids=members,
                        head_id=h.head_id if h.head_id in members else None,
                        memberships=tuple(
                            m for m in h.memberships if m.recipient_id in members
                        ),
                    )
                )
        return kept

    def _links(self, s: InScope) -> tuple[PersonLink, ...]:
        keys = [
            *(f"r:{i}" for i in s.residents),
            *(f"v:{i}" for i in s.volunteers),
            *(f"w:{i}" for i in s.workers),
        ]
        kept: list[PersonLink] = []
        for link in _take(self.ds.person_links, self.links, keys):
            cut = _cut(
                link,
                recipient_ids=link.recipient_ids & s.residents,
                volunteer_ids=link.volunteer_ids & s.volunteers,
                worker_ids=link.worker_ids & s.workers,
            )
            # One role left links nothing, and would only say "this person has another role".
            if (
                len(cut.recipient_ids) + len(cut.volunteer_ids) + len(cut.worker_ids)
                > 1
            ):
                kept.append(cut)
        return tuple(kept)

    def _cases(self, s: InScope, households: frozenset[str]) -> list[Case]:
        return [
            _cut(
                c, household_id=c.household_id if c.household_id in households else None
            )
            for c in _take(self.ds.cases, self.cases, s.residents)
            if c.worker_id in s.workers
        ]

    def _referrals(
        self, s: InScope, households: frozenset[str], cases: frozenset[str]
    ) -> tuple[Referral, ...]:
        return tuple(
            _cut(
                r,
                household_id=r.household_id if r.household_id in households else None,
                case_id=r.case_id if r.case_id in cases else None,
            )
            for r in _take(self.ds.referrals, self.referrals, s.residents)
        )

    def _supervisions(self, s: InScope) -> tuple[Supervision, ...]:
        keys = [*(f"s:{b}" for b in s.below), *(f"c:{a}" for a in s.area)]
        return tuple(
            _cut(
                x,
                supervisor_id=x.supervisor_id if x.supervisor_id in s.workers else None,
                supervisee_ids=x.supervisee_ids & s.workers,
            )
            for x in _take(self.ds.supervisions, self.supervisions, keys)
        )

    def _grids(self, s: InScope, households: frozenset[str]) -> tuple[Grid, ...]:
        return tuple(
            _cut(
                g,
                grid_worker_ids=g.grid_worker_ids & s.workers,
                household_ids=g.household_ids & households,
                recipient_ids=g.recipient_ids & s.residents,
            )
            for g in _take(self.ds.grids, self.grids, s.area)
        )

    def _entries(self, s: InScope) -> list[TimeBankEntry]:
        return [
            _cut(
                e,
                for_recipient_id=(
                    e.for_recipient_id if e.for_recipient_id in s.residents else None
                ),
            )
            for e in _take(self.ds.time_bank_entries, self.entries, s.volunteers)
        ]


def _honour_in(h: Honour, s: InScope) -> bool:
    """A honour about a person needs that person in scope; others need an anchor in it."""
    if h.worker_id is not None:
        return h.worker_id in s.workers
    return (
        h.station_id in s.below
        or h.organization_id in s.organizations
        or h.team_id in s.teams
        or h.project_id in s.projects
        or s.covers(h.division_code)
    )
