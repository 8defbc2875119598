"""Split one dataset into county partitions, naming every reference that crosses a border (按区县分区).

The split works on the revealed JSON form of the records (what :func:`~wushe.io.dump_dataset`
writes), so nothing is re-validated here; a partition is validated when it is loaded.

Each record gets one *home* partition, the county (first six digits of a division code) it
lives in:

* divisions, communities and stations by their own code; recipients by their community;
  needs by their recipient; workers by their station, else their home community; volunteers
  and teams by their community; organisations by their home community, else their service
  area; resources by their community, else their holder; projects by their first station;
  activities, cases, referrals, supervision and training by their station; case sessions by
  their case; households by their community; person links by their first role record;
  contracts by their project and spending by its contract; incubators by their station,
  community or operator and incubation records by their incubator; child-welfare posts by
  their community or township; grids by their community; honours by what they recognise,
  else their division; pilots by their station; platform rows by their team; gatherings by
  their organiser's division; time banks by their division and their entries by their
  volunteer;
  visits and incidents by their recipient;
* divisions and stations above the county tier (a city or province, code ``xxxx00``) live in
  a partition of their own code and are also *copied* into every partition below them, so
  that every county's tree reaches the top.

A reference that leaves the home partition is handled in one of two explicit ways and listed
in the manifest, never dropped in silence:

* **copied** — organisations, volunteer teams and projects carry no resident's data and no
  place of their own that would break the partition, so a partition that refers to one holds
  a copy (``StoreManifest.shared`` names its home and every copy). Copies of actors never
  take part in the copy partition's matching, so an organisation's capacity is not spent
  twice.
* **cut** — references to another county's communities, recipients, workers, volunteers or
  stations are removed from the partition's record (``StoreManifest.cut`` names record,
  field and target). Those records stay whole in their own partition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

__all__: list[str] = []  # internal: used by wushe.io.write_store and wushe.scale

Record = dict[str, Any]

# collection -> (id field, {reference field: target collection}); nested fields use dots.
_REFERENCES: dict[str, tuple[str, dict[str, str]]] = {
    "divisions": ("division_code", {}),
    "communities": ("community_id", {"adjacent_ids": "communities"}),
    "organizations": ("organization_id", {"home_community_id": "communities"}),
    "workers": (
        "worker_id",
        {
            "organization_id": "organizations",
            "station_id": "stations",
            "home_community_id": "communities",
        },
    ),
    "volunteers": (
        "volunteer_id",
        {"team_id": "teams", "home_community_id": "communities"},
    ),
    "teams": (
        "team_id",
        {"organization_id": "organizations", "community_id": "communities"},
    ),
    "resources": (
        "resource_id",
        {
            "holder_id": "organizations",
            "community_id": "communities",
            "restriction.beneficiary_ids": "recipients",
            "restriction.excluded_recipient_ids": "recipients",
        },
    ),
    "recipients": ("recipient_id", {"community_id": "communities"}),
    "needs": (
        "need_id",
        {
            "recipient_id": "recipients",
            "community_id": "communities",
            "household_id": "households",
        },
    ),
    "stations": (
        "station_id",
        {
            "parent_ids": "stations",
            "community_ids": "communities",
            "operator_id": "organizations",
        },
    ),
    "projects": (
        "project_id",
        {
            "operator_id": "organizations",
            "station_ids": "stations",
            "community_ids": "communities",
        },
    ),
    "activities": (
        "activity_id",
        {
            "station_id": "stations",
            "project_id": "projects",
            "community_id": "communities",
            "recipient_ids": "recipients",
            "worker_ids": "workers",
            "volunteer_ids": "volunteers",
            "household_ids": "households",
        },
    ),
    "households": (
        "household_id",
        {
            "community_id": "communities",
            "member_ids": "recipients",
            "head_id": "recipients",
        },
    ),
    "person_links": (
        "person_id",
        {
            "recipient_ids": "recipients",
            "volunteer_ids": "volunteers",
            "worker_ids": "workers",
        },
    ),
    "cases": (
        "case_id",
        {
            "recipient_id": "recipients",
            "worker_id": "workers",
            "station_id": "stations",
            "need_id": "needs",
            "household_id": "households",
        },
    ),
    "case_sessions": ("session_id", {"case_id": "cases", "worker_id": "workers"}),
    "referrals": (
        "referral_id",
        {
            "recipient_id": "recipients",
            "station_id": "stations",
            "organization_id": "organizations",
            "need_id": "needs",
            "case_id": "cases",
            "household_id": "households",
        },
    ),
    "supervisions": (
        "supervision_id",
        {
            "station_id": "stations",
            "supervisor_id": "workers",
            "supervisee_ids": "workers",
            "station_ids": "stations",
            "community_ids": "communities",
        },
    ),
    "trainings": (
        "training_id",
        {"station_id": "stations", "attendee_ids": "workers"},
    ),
    "contracts": (
        "contract_id",
        {"project_id": "projects", "provider_id": "organizations"},
    ),
    "spendings": ("spending_id", {"contract_id": "contracts"}),
    "incubators": (
        "incubator_id",
        {
            "operator_id": "organizations",
            "station_id": "stations",
            "community_id": "communities",
        },
    ),
    "incubations": (
        "incubation_id",
        {"organization_id": "organizations", "incubator_id": "incubators"},
    ),
    "child_welfare_posts": (
        "post_id",
        {"worker_id": "workers", "community_id": "communities"},
    ),
    "grids": (
        "grid_id",
        {
            "community_id": "communities",
            "grid_worker_ids": "workers",
            "household_ids": "households",
            "recipient_ids": "recipients",
        },
    ),
    "honours": (
        "honour_id",
        {
            "station_id": "stations",
            "organization_id": "organizations",
            "worker_id": "workers",
            "team_id": "teams",
            "project_id": "projects",
        },
    ),
    "pilots": ("pilot_id", {"station_id": "stations"}),
    "volunteer_hours": ("row_id", {"team_id": "teams"}),
    "convenings": ("convening_id", {}),
    "time_banks": ("time_bank_id", {}),
    "time_bank_entries": (
        "entry_id",
        {
            "volunteer_id": "volunteers",
            "activity_id": "activities",
            "for_recipient_id": "recipients",
        },
    ),
}
_RECORD_HOMES: dict[str, tuple[tuple[str, str], ...]] = {
    "households": (("communities", "community_id"),),
    "grids": (("communities", "community_id"),),
    "cases": (("stations", "station_id"),),
    "case_sessions": (("cases", "case_id"),),
    "referrals": (("stations", "station_id"),),
    "supervisions": (("stations", "station_id"),),
    "trainings": (("stations", "station_id"),),
    "contracts": (("projects", "project_id"),),
    "spendings": (("contracts", "contract_id"),),
    "incubators": (
        ("stations", "station_id"),
        ("communities", "community_id"),
        ("organizations", "operator_id"),
    ),
    "incubations": (("incubators", "incubator_id"),),
    "child_welfare_posts": (
        ("communities", "community_id"),
        ("divisions", "division_code"),
        ("workers", "worker_id"),
    ),
    "honours": (
        ("stations", "station_id"),
        ("organizations", "organization_id"),
        ("workers", "worker_id"),
        ("teams", "team_id"),
        ("projects", "project_id"),
        ("divisions", "division_code"),
    ),
    "pilots": (("stations", "station_id"),),
    "volunteer_hours": (("teams", "team_id"),),
    "convenings": (("divisions", "division_code"),),
    "time_banks": (("divisions", "division_code"),),
    "time_bank_entries": (("volunteers", "volunteer_id"),),
}
"""Where each station record lives: the first of these references that has a home."""
HOME_FIELDS: dict[str, Any] = {
    collection: {
        "__all__": {
            id_field,
            *(f.split(".")[0] for f in refs),
            "division_code",
            "service_area",
        }
    }
    for collection, (id_field, refs) in _REFERENCES.items()
} | {"division_code": True}
"""The fields that decide a record's home, per collection (``model_dump(include=...)``)."""
_COPYABLE = frozenset({"organizations", "teams", "projects"})
_SIDE = {"visits": "visit_id", "incidents": "incident_id"}


def is_above_county(code: str) -> bool:
    """Whether a division code names a province or city rather than a county (县级以上)."""
    return len(code) == 6 and code[4:6] == "00"


def _prefix(code: str) -> str:
    """The digits every code under a province (``xx0000``) or city (``xxyy00``) starts with."""
    return code[:2] if code[2:6] == "0000" else code[:4]


def county_of(code: str) -> str:
    """Return the partition key of a division code: its first six digits (区县代码)."""
    return code[:6]


class CutReference:
    """A reference removed at a partition border (跨区引用切断), as plain data."""

    __slots__ = ("collection", "field", "partition", "record_id", "target", "target_id")

    def __init__(
        self,
        *,
        partition: str,
        collection: str,
        record_id: str,
        field: str,
        target: str,
        target_id: str,
    ) -> None:
        self.partition = partition
        self.collection = collection
        self.record_id = record_id
        self.field = field
        self.target = target
        self.target_id = target_id

    def as_dict(self) -> dict[str, str]:
        """Return the reference as a JSON-ready mapping (转为字典)."""
        return {name: getattr(self, name) for name in self.__slots__}


class SplitResult:
    """Partitions, copies and cuts of one split (分区结果)."""

    def __init__(self) -> None:
        self.partitions: dict[str, dict[str, list[Record]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self.shared: dict[tuple[str, str], dict[str, Any]] = {}
        self.cut: list[CutReference] = []


class _Homes:
    """The home partition of every record, by collection and id."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        own = str(data.get("division_code", ""))
        self.default = None if not own or is_above_county(own) else county_of(own)
        """A county-level dataset's own county: home of records that name no place."""
        self.by: dict[str, dict[str, str | None]] = {}
        self.active: set[tuple[str, str]] = set()
        self.cycled = False
        self.index = {
            name: {r[id_field]: r for r in data.get(name, [])}
            for name, (id_field, _) in _REFERENCES.items()
        }

    def of(self, collection: str, record_id: str | None) -> str | None:
        if record_id is None:
            return None
        homes = self.by.setdefault(collection, {})
        if record_id in homes:
            return homes[record_id]
        if (collection, record_id) in self.active:
            self.cycled = True  # a record whose home depends on itself: no answer here
            return None
        record = self.index[collection].get(record_id)
        if record is None:
            return None
        self.active.add((collection, record_id))
        outer, self.cycled = self.cycled, False
        home = self._home(collection, record)
        self.active.discard((collection, record_id))
        if home is not None or not self.cycled:
            homes[record_id] = home  # an answer cut short by a cycle is not remembered
        self.cycled = self.cycled or outer
        return home

    def _home(self, collection: str, r: Record) -> str | None:
        match collection:
            case "divisions" | "communities" | "stations":
                return county_of(r["division_code"])
            case "recipients":
                return self.of("communities", r["community_id"])
            case "needs":
                return self.of("recipients", r["recipient_id"])
            case "workers":
                return (
                    self.of("stations", r.get("station_id"))
                    or self.of("communities", r.get("home_community_id"))
                    or self.of("organizations", r.get("organization_id"))
                )
            case "volunteers":
                return self.of("communities", r.get("home_community_id")) or self.of(
                    "teams", r.get("team_id")
                )
            case "teams":
                return self.of("communities", r.get("community_id")) or self.of(
                    "organizations", r.get("organization_id")
                )
            case "organizations":
                area = sorted(r.get("service_area") or ())
                return (
                    self.of("communities", r.get("home_community_id"))
                    or (county_of(area[0]) if area else None)
                    or self._first_user(r["organization_id"])
                )
            case "resources":
                return self.of("communities", r.get("community_id")) or self.of(
                    "organizations", r.get("holder_id")
                )
            case "projects":
                for station_id in sorted(r.get("station_ids") or ()):
                    if (home := self.of("stations", station_id)) is not None:
                        return home
                return self.of("organizations", r.get("operator_id"))
            case "activities":
                return self.of("stations", r["station_id"])
            case _:  # the station's own records (#12)
                return self._record_home(collection, r)

    def _record_home(self, collection: str, r: Record) -> str | None:
        """The home of a station record: the first of its places that has one."""
        if collection == "person_links":
            return self._first_role(r)
        for target, field in _RECORD_HOMES[collection]:
            if target == "divisions":
                code = r.get(field)
                home = county_of(code) if code else None
            else:
                home = self.of(target, r.get(field))
            if home is not None:
                return home
        return self.default if collection == "incubators" else None

    def _first_role(self, link: Record) -> str | None:
        """A person link lives with the first of its role records that has a home."""
        for collection, field in (
            ("recipients", "recipient_ids"),
            ("volunteers", "volunteer_ids"),
            ("workers", "worker_ids"),
        ):
            for record_id in sorted(link.get(field) or ()):
                if (home := self.of(collection, record_id)) is not None:
                    return home
        return None

    def _first_user(self, organization_id: str) -> str | None:
        """The first county whose stations, workers or teams name the organisation."""
        users = [
            self.of(collection, record[_REFERENCES[collection][0]])
            for collection, field in (
                ("stations", "operator_id"),
                ("workers", "organization_id"),
                ("teams", "organization_id"),
                ("projects", "operator_id"),
                ("resources", "holder_id"),
            )
            for record in self.data.get(collection, [])
            if record.get(field) == organization_id
        ]
        homes = sorted(u for u in users if u is not None)
        return homes[0] if homes else self.default


def county_homes(data: Mapping[str, Any]) -> _Homes:
    """The home county of every record of ``data`` (a dataset's JSON form), on demand (记录归属区县)."""
    return _Homes(data)


def _get(record: Record, field: str) -> Any:
    head, _, rest = field.partition(".")
    value = record.get(head)
    if rest and isinstance(value, dict):
        return value.get(rest)
    return None if rest else value


def _set(record: Record, field: str, value: Any) -> None:
    head, _, rest = field.partition(".")
    if rest:
        record[head] = {**record[head], rest: value}
    elif value is None:
        record.pop(head, None)
    else:
        record[head] = value


def _targets(value: Any) -> list[str]:
    if value is None:
        return []
    return sorted(value) if isinstance(value, list) else [value]


def split_records(
    data: Mapping[str, Any], side: Mapping[str, Iterable[Record]] | None = None
) -> SplitResult:
    """Split revealed dataset records (and visit-log records) into county partitions (按区县分区).

    Args:
        data: A dataset as ``Dataset.model_dump(mode="json", context=REVEAL)`` gives it.
        side: Optional ``{"visits": [...], "incidents": [...]}`` records, placed with their
            recipient.

    Returns:
        The partitions' records, the shared copies and the cut references.

    Raises:
        ValueError: if a record has no home (it refers to nothing placed), naming it.
    """
    homes = _Homes(data)
    out = SplitResult()
    tops = sorted(
        d["division_code"]
        for d in data.get("divisions", [])
        if is_above_county(d["division_code"])
    )
    for collection, (id_field, _) in _REFERENCES.items():
        for record in data.get(collection, []):
            if collection == "divisions" and is_above_county(record[id_field]):
                continue  # the tree above the counties is copied into each partition below
            home = homes.of(collection, record[id_field])
            if home is None:
                msg = (
                    f"{collection} {record[id_field]!r} has no county: give it a place"
                )
                raise ValueError(msg)
            out.partitions[home][collection].append(record)
    for collection, id_field in _SIDE.items():
        for record in (side or {}).get(collection, ()):
            home = homes.of("recipients", record["recipient_id"])
            if home is None:
                msg = f"{collection} {record[id_field]!r} names unknown recipient {record['recipient_id']!r}"
                raise ValueError(msg)
            out.partitions[home][collection].append(record)
    for key in sorted(out.partitions):
        _close(out, homes, key, tops)
    return out


def _close(out: SplitResult, homes: _Homes, key: str, tops: list[str]) -> None:
    """Copy what partition ``key`` refers to, cut what cannot be copied, add the tree above."""
    records = out.partitions[key]
    for code in tops:
        if key.startswith(_prefix(code)):
            records["divisions"].append(homes.index["divisions"][code])
    pending = [(c, r) for c in _REFERENCES for r in records.get(c, [])]
    present = {
        c: {r[_REFERENCES[c][0]] for r in records.get(c, [])} for c in _REFERENCES
    }
    while pending:
        collection, record = pending.pop()
        for field, target in _REFERENCES[collection][1].items():
            kept, changed = [], False
            for target_id in _targets(_get(record, field)):
                if target_id in present[target] or homes.of(target, target_id) == key:
                    kept.append(target_id)
                elif target in _COPYABLE or (
                    target == "stations" and _is_top_station(homes, target_id)
                ):
                    copy = _copy(out, homes, key, target, target_id)
                    present[target].add(target_id)
                    pending.append((target, copy))
                    kept.append(target_id)
                else:
                    changed = True
                    out.cut.append(
                        CutReference(
                            partition=key,
                            collection=collection,
                            record_id=record[_REFERENCES[collection][0]],
                            field=field,
                            target=target,
                            target_id=target_id,
                        )
                    )
            if changed:
                record = _replace(records[collection], collection, record, field, kept)


def _is_top_station(homes: _Homes, station_id: str) -> bool:
    station = homes.index["stations"].get(station_id)
    return station is not None and is_above_county(station["division_code"])


def _copy(
    out: SplitResult, homes: _Homes, key: str, target: str, target_id: str
) -> Record:
    original = homes.index[target][target_id]
    copy = dict(original)
    out.partitions[key][target].append(copy)
    entry = out.shared.setdefault(
        (target, target_id),
        {
            "collection": target,
            "record_id": target_id,
            "home": homes.of(target, target_id),
            "copies": [],
        },
    )
    entry["copies"].append(key)
    return copy


def _replace(
    records: list[Record], collection: str, record: Record, field: str, kept: list[str]
) -> Record:
    """Swap ``record`` in ``records`` for a copy whose ``field`` holds only ``kept``."""
    id_field = _REFERENCES[collection][0]
    fresh = dict(record)
    value = _get(record, field)
    _set(fresh, field, kept if isinstance(value, list) else (kept[0] if kept else None))
    for i, r in enumerate(records):
        if r is record or r[id_field] == record[id_field]:
            records[i] = fresh
            break
    return fresh


def iter_cut(result: SplitResult) -> Iterator[dict[str, str]]:
    """Yield every cut reference as a mapping, in a stable order (切断的引用)."""
    for c in sorted(
        result.cut,
        key=lambda c: (c.partition, c.collection, c.record_id, c.field, c.target_id),
    ):
        yield c.as_dict()
