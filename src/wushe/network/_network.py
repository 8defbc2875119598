"""The station network: structure, jurisdiction and scoped views (社工站网络).

Structure only. The analyses (coverage, compliance, roll-ups, plotting) are functions in
their own modules; :class:`StationNetwork` keeps one-line delegates to them.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import networkx as nx

from wushe._gc import paused_gc
from wushe.exceptions import StationNetworkError
from wushe.models import (
    Activity,
    Case,
    CaseSession,
    CharitableResource,
    ChildWelfarePost,
    Community,
    Convening,
    Dataset,
    Grid,
    Honour,
    Household,
    Incubation,
    Incubator,
    Need,
    PersonLink,
    Pilot,
    PurchaseContract,
    Recipient,
    Referral,
    ServiceProject,
    SocialOrganization,
    SocialWorker,
    Spending,
    Station,
    Supervision,
    TimeBank,
    TimeBankEntry,
    Training,
    Volunteer,
    VolunteerHoursRow,
    VolunteerTeam,
)
from wushe.network._scope_records import RECORD_COLLECTIONS, InScope, RecordIndex
from wushe.network._standard import SIX_HAVES, BuildStandard
from wushe.vocab import StationLevel, StationStatus

if TYPE_CHECKING:  # pragma: no cover
    from wushe.models import Period
    from wushe.network._compliance import Compliance
    from wushe.network._coverage import Coverage
    from wushe.network._metrics import Metric
    from wushe.network._rollup import Rollup

__all__ = ["DatasetScope", "StationNetwork"]

_log = logging.getLogger("wushe.network")

_R = TypeVar("_R")

_MAX_SHOWN = 10
_CODE_LENGTH = {
    StationLevel.CITY: 4,
    StationLevel.COUNTY: 6,
    StationLevel.TOWNSHIP: 9,
    StationLevel.VILLAGE: 12,
}


def _inside(area: str, code: str) -> bool:
    """Whether ``code`` lies in ``area``, a geographic station's city-or-lower code.

    County, township and village codes contain exactly the codes they prefix, and a city
    (prefecture) code ``510100`` the codes starting ``5101``, which is much faster than
    walking :func:`wushe.codes.division_contains`'s ancestor chain.
    """
    return code.startswith(_area_prefix(area))


def _area_prefix(area: str) -> str:
    """The prefix shared by every code inside ``area``: ``5101`` for the city ``510100``."""
    if len(area) == 6 and area.endswith("00") and not area.endswith("0000"):
        return area[:4]
    return area


def _ids(ids: Iterable[str]) -> str:
    listed = sorted(ids)
    shown = ", ".join(listed[:_MAX_SHOWN])
    more = len(listed) - _MAX_SHOWN
    return shown + (f" … and {more} more" if more > 0 else "")


class StationNetwork:
    """The network of social-work stations of one dataset (社工站网络).

    Edges run from a parent station to a child station. The geographic tiers nest by
    area — county hub (区县社工总站) → township or street station (乡镇（街道）社工站) →
    village or community room (村（社区）社工室), with a city's guidance centre
    (市级社会工作服务指导中心) above the county hubs where the city has one, as in 成都's
    四级网络 — and school and elderly-institution stations
    (学校社工站、养老机构社工站) hang beside them as leaves. Rules checked on construction,
    each failure raising :class:`~wushe.exceptions.StationNetworkError` that names the
    stations:

    * parents exist and no chain of parents comes back to where it started (no cycle);
    * a geographic station sits strictly below its parent's tier (a room never sits above
      a street station) and inside its parent's area;
    * a geographic station has at most one parent; only attached stations may report to
      several (the graph is then a DAG, not a tree, and roll-ups still count each station
      once);
    * attached stations have no children, and the communities they serve lie in the area
      of one of their parents;
    * a station's communities lie inside its own area (a room never serves a community of
      another street).

    Several roots are allowed: a street-level dataset has no county hub, and a dataset of a
    whole prefecture without a city centre has one hub per county. Planned stations are nodes too (coverage
    counts them by year) but never answer :meth:`station_for_community`.

    Build it with :meth:`from_dataset`; it is immutable afterwards.

        >>> from wushe import examples
        >>> net = StationNetwork.from_dataset(examples.load("qixinggang"))
        >>> net.roots
        ('qxg-ts',)
        >>> net.path_to_root("qxg-r03")
        ('qxg-r03', 'qxg-ts')
        >>> len(net.jurisdiction("qxg-ts"))
        8

    Complexity: construction is O(S + C) for S stations and C communities (one pass per
    rule, the area checks are string-prefix tests), plus networkx's graph build.
    """

    dataset: Dataset
    """The dataset the network was built from (数据集)."""
    standard: BuildStandard
    """Build standard :meth:`compliance` uses by default (默认建设标准)."""

    def __init__(
        self, dataset: Dataset, *, standard: BuildStandard = SIX_HAVES
    ) -> None:
        """Build and validate the network; prefer :meth:`from_dataset`."""
        with paused_gc():
            self._build(dataset, standard)

    def _build(self, dataset: Dataset, standard: BuildStandard) -> None:
        self.dataset = dataset
        self.standard = standard
        stations = sorted(dataset.stations, key=lambda s: s.station_id)
        self._station: dict[str, Station] = {s.station_id: s for s in stations}
        self._station_ids = tuple(self._station)
        self._check_parents_exist()
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from((s.station_id, {"station": s}) for s in stations)
        graph.add_edges_from(
            (parent_id, s.station_id) for s in stations for parent_id in s.parent_ids
        )
        self._community_code: dict[str, str] = {
            c.community_id: c.division_code for c in dataset.communities
        }
        problems = self._level_problems()
        if problems:
            # A cycle is the more useful report; without level problems there is none,
            # since every edge then climbs a tier or ends at an attached leaf.
            self._check_acyclic(graph)
            shown = "\n".join(f"  - {p}" for p in problems[:20])
            more = len(problems) - 20
            tail = f"\n  … and {more} more" if more > 0 else ""
            msg = (
                "the stations do not form a valid network "
                f"({len(problems)} problem(s)):\n{shown}{tail}"
            )
            raise StationNetworkError(msg)
        self._graph: nx.DiGraph[str] = nx.freeze(graph)
        children: dict[str, list[str]] = defaultdict(list)
        for s in stations:
            for parent_id in s.parent_ids:
                children[parent_id].append(s.station_id)
        self._children: dict[str, tuple[str, ...]] = {
            k: tuple(v) for k, v in children.items()
        }
        self._roots = tuple(s.station_id for s in stations if not s.parent_ids)
        self._depth = self._depths()
        self._by_area: dict[int, dict[str, list[str]]] = {4: {}, 6: {}, 9: {}, 12: {}}
        for c in dataset.communities:
            code = c.division_code
            for length in (4, 6, 9, 12):
                self._by_area[length].setdefault(code[:length], []).append(
                    c.community_id
                )
        self._jurisdiction: dict[str, frozenset[str]] = {}
        self._lowest: dict[str, str | None] | None = None
        self._by_prefix: dict[str, list[Station]] | None = None
        self._index: _ScopeIndex | None = None

    @classmethod
    def from_dataset(
        cls, ds: Dataset, *, standard: BuildStandard = SIX_HAVES
    ) -> StationNetwork:
        """Build the network of ``ds``'s stations and check its structure (构建社工站网络).

        Args:
            ds: A validated dataset.
            standard: The build standard :meth:`compliance` checks by default.

        Raises:
            StationNetworkError: if the stations do not form a valid network; the message
                names every offending station id.
        """
        network = cls(ds, standard=standard)
        _log.info(
            "station network of %s: %d stations under %d root(s)",
            ds.division_code,
            len(network),
            len(network.roots),
        )
        return network

    # -- validation ---------------------------------------------------------------------

    def _check_parents_exist(self) -> None:
        missing = {
            f"{s.station_id} → {parent_id}"
            for s in self._station.values()
            for parent_id in s.parent_ids
            if parent_id not in self._station
        }
        if missing:
            msg = f"stations list parents that are not stations: {_ids(missing)}"
            raise StationNetworkError(msg)

    @staticmethod
    def _check_acyclic(graph: nx.DiGraph[str]) -> None:
        if nx.is_directed_acyclic_graph(graph):
            return
        cycle = [u for u, _ in nx.find_cycle(graph)]
        path = " → ".join([*cycle, cycle[0]])
        msg = f"station parents form a cycle: {path}"
        raise StationNetworkError(msg)

    def _level_problems(self) -> list[str]:
        problems: list[str] = []
        for s in self._station.values():
            parents = [self._station[p] for p in s.parent_ids]
            if s.level.is_geographic and len(parents) > 1:
                problems.append(
                    f"{s.level.value} station {s.station_id} lists {len(parents)} parents "
                    f"({', '.join(s.parent_ids)}); only school and elderly-institution "
                    "stations may report to several"
                )
            for p in parents:
                if not p.level.is_geographic:
                    problems.append(
                        f"{p.level.value} station {p.station_id} is attached beside the "
                        f"tiers and cannot have child station {s.station_id}"
                    )
                elif s.level.is_geographic and p.level.rank >= s.level.rank:
                    problems.append(
                        f"{s.level.value} station {s.station_id} sits under "
                        f"{p.level.value} station {p.station_id}; a parent must be a "
                        "higher tier"
                    )
                elif s.level.is_geographic and not _inside(
                    p.division_code, s.division_code
                ):
                    problems.append(
                        f"station {s.station_id} ({s.division_code}) lies outside its "
                        f"parent {p.station_id}'s area ({p.division_code})"
                    )
            for community_id in s.community_ids:
                code = self._community_code.get(community_id)
                if code is None:
                    problems.append(
                        f"station {s.station_id} serves community {community_id}, "
                        "which is not in the dataset"
                    )
                elif s.level.is_geographic:
                    if not _inside(s.division_code, code):
                        problems.append(
                            f"station {s.station_id} ({s.division_code}) serves community "
                            f"{community_id}, which lies in another area ({code[:9]})"
                        )
                elif not any(
                    _inside(p.division_code, code)
                    for p in parents
                    if p.level.is_geographic
                ):
                    problems.append(
                        f"{s.level.value} station {s.station_id} serves community "
                        f"{community_id} ({code}), outside every parent's area "
                        f"({', '.join(s.parent_ids)})"
                    )
        return problems

    def _depths(self) -> dict[str, int]:
        depth: dict[str, int] = {}
        for root in self._roots:
            depth[root] = 0
        # Stations sorted by tier rank are processed after their primary parent:
        # parents are strictly higher tiers, and attached stations (rank 3) are leaves.
        for s in sorted(self._station.values(), key=lambda s: s.level.rank):
            if s.parent_ids:
                depth[s.station_id] = depth[s.parent_ids[0]] + 1
        return depth

    # -- structure ----------------------------------------------------------------------

    @property
    def graph(self) -> nx.DiGraph[str]:
        """The frozen graph, parent → child, node data ``{"station": Station}`` (网络图)."""
        return self._graph

    @property
    def station_ids(self) -> tuple[str, ...]:
        """Every station id, sorted (站点编号)."""
        return self._station_ids

    @property
    def stations(self) -> tuple[Station, ...]:
        """Every station, sorted by id (全部站点)."""
        return tuple(self._station.values())

    @property
    def roots(self) -> tuple[str, ...]:
        """Stations without a parent, sorted: the hubs, or the street stations of a street-level dataset (根站点)."""
        return self._roots

    def __len__(self) -> int:
        return len(self._station)

    def __contains__(self, station_id: object) -> bool:
        return station_id in self._station

    def __iter__(self) -> Iterator[str]:
        return iter(self._station_ids)

    def __repr__(self) -> str:
        counts: dict[str, int] = defaultdict(int)
        for s in self._station.values():
            counts[s.level.value] += 1
        shown = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
        return f"<StationNetwork {self.dataset.division_code} stations={len(self)} ({shown})>"

    def station(self, station_id: str) -> Station:
        """Return the station record with this id (站点).

        Raises:
            StationNetworkError: if there is no such station.
        """
        try:
            return self._station[station_id]
        except KeyError:
            msg = f"no station {station_id!r} in the network"
            raise StationNetworkError(msg) from None

    def parent(self, station_id: str) -> str | None:
        """Return the primary parent, the first of ``parent_ids``, or ``None`` for a root (上级站点)."""
        parents = self.station(station_id).parent_ids
        return parents[0] if parents else None

    def parents(self, station_id: str) -> tuple[str, ...]:
        """Return every parent in the station's own order (全部上级站点)."""
        return self.station(station_id).parent_ids

    def children(self, station_id: str) -> tuple[str, ...]:
        """Return the child stations, sorted by id (下级站点)."""
        self.station(station_id)
        return self._children.get(station_id, ())

    def descendants(self, station_id: str) -> frozenset[str]:
        """Return every station below this one, through any parent link (全部下级站点)."""
        self.station(station_id)
        seen: set[str] = set()
        stack = list(self._children.get(station_id, ()))
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self._children.get(current, ()))
        return frozenset(seen)

    def ancestors(self, station_id: str) -> frozenset[str]:
        """Return every station above this one, through any parent link (全部上级站点)."""
        seen: set[str] = set()
        stack = list(self.station(station_id).parent_ids)
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(self._station[current].parent_ids)
        return frozenset(seen)

    def depth(self, station_id: str) -> int:
        """Return the number of primary-parent links up to a root (深度)."""
        self.station(station_id)
        return self._depth[station_id]

    def path_to_root(self, station_id: str) -> tuple[str, ...]:
        """Return the station and its primary parents up to a root, the station first (到根路径)."""
        path = [station_id]
        parent = self.parent(station_id)
        while parent is not None:
            path.append(parent)
            parent = self.parent(parent)
        return tuple(path)

    # -- jurisdiction -------------------------------------------------------------------

    def jurisdiction(self, station_id: str) -> frozenset[str]:
        """Return the ids of the communities the station covers (辖区社区).

        A geographic station covers every community of the dataset inside its area: a
        city centre its city, a county hub its county, a street station its street, a
        room its own community.
        A school or elderly-institution station covers the communities it lists in
        ``community_ids`` (often none). Planned stations report the area they will cover.
        O(size of the answer) after the first call for a station.
        """
        cached = self._jurisdiction.get(station_id)
        if cached is not None:
            return cached
        s = self.station(station_id)
        length = _CODE_LENGTH.get(s.level)
        if length is None:
            result = frozenset(s.community_ids)
        else:
            result = frozenset(
                self._by_area[length].get(s.division_code[:length], ())
            ).union(s.community_ids)
        self._jurisdiction[station_id] = result
        return result

    def station_for_community(self, community_id: str) -> str | None:
        """Return the lowest built station covering a community, or ``None`` (社区所属站点).

        The community's own room if one is built, else its street station, else the
        county hub, else the city centre; attached stations and planned stations are
        never the answer. Ties at one tier go to the smallest station id.

        Raises:
            StationNetworkError: if the community is not in the dataset.
        """
        if community_id not in self._community_code:
            msg = f"no community {community_id!r} in the dataset"
            raise StationNetworkError(msg)
        if self._lowest is None:
            self._lowest = self._lowest_stations()
        return self._lowest[community_id]

    def stations_containing(self, division_code: str) -> tuple[str, ...]:
        """Return the geographic stations whose area holds a division code, lowest tier first (所在区域站点).

        A station's area is its own division code: a street station's area holds its
        street's code and every community code in the street, a city centre's every code
        of its city. Built and planned stations both count; school and
        elderly-institution stations have no area and never do. Ties at one tier go to
        the smallest station id. This is the containment rule the network checks its own
        structure with, so a drawing or a report that hangs an area under a station agrees
        with it. O(length of the code + size of the answer) after the first call.

        Examples:
            >>> from wushe import examples
            >>> net = StationNetwork.from_dataset(examples.load("qixinggang"))
            >>> net.stations_containing("500103001003")
            ('qxg-r03', 'qxg-ts')
        """
        if self._by_prefix is None:
            by_prefix: dict[str, list[Station]] = defaultdict(list)
            for s in self._station.values():
                if s.level.is_geographic:
                    by_prefix[_area_prefix(s.division_code)].append(s)
            self._by_prefix = dict(by_prefix)
        found = [
            s
            for n in range(1, len(division_code) + 1)
            for s in self._by_prefix.get(division_code[:n], ())
        ]
        found.sort(key=lambda s: (-s.level.rank, s.station_id))
        return tuple(s.station_id for s in found)

    def _lowest_stations(self) -> dict[str, str | None]:
        on_code: dict[str, str] = {}
        for s in self._station.values():  # sorted by id: the first one wins a tie
            if s.status is StationStatus.BUILT and s.level.is_geographic:
                on_code.setdefault(s.division_code, s.station_id)
                for community_id in s.community_ids:
                    on_code.setdefault(f"#{community_id}", s.station_id)
        lowest: dict[str, str | None] = {}
        for community_id, code in self._community_code.items():
            lowest[community_id] = (
                on_code.get(code)
                or on_code.get(f"#{community_id}")
                or on_code.get(code[:9])
                or on_code.get(code[:6])
                or on_code.get(code[:4] + "00")
            )
        return lowest

    def scope(self, station_id: str) -> DatasetScope:
        """Return a read-only view of the records inside the station's jurisdiction (辖区视图).

        See :class:`DatasetScope` for what belongs to a scope and what is cut from the
        records it keeps. Indexes are built on the first call (O(records)) and stay with
        the network; each view then costs O(size of the view) and holds its own records
        only.
        """
        self.station(station_id)
        if self._index is None:
            with paused_gc():
                self._index = _ScopeIndex(self.dataset)
        stations = self.descendants(station_id) | {station_id}
        return self._index.view(station_id, stations, self.jurisdiction(station_id))

    def subnetwork(self, station_id: str) -> StationNetwork:
        """Return the network of one station and every station below it (下级站点网络).

        What the station's own run would build: the station becomes a root, and a station
        below it that also reports outside (a school station under two streets) keeps only
        its parents inside, and serves only the communities in their areas. The result's
        dataset is this network's with only these stations and their ledger rows
        (``activities``); its other records stay as they are, so read them through
        :meth:`scope`. Communities outside the station's jurisdiction stay in the dataset
        with no station covering them: pass ``within=`` to :meth:`coverage`.

        Guarantees: every station reachable in the result (its stations, roots, parents,
        children, ancestors and graph) is ``station_id`` or below it, and each station's
        :meth:`rollup` equals its roll-up in this network. O(S + C + A) for S stations,
        C communities and A ledger rows.

        Raises:
            StationNetworkError: if there is no such station.

        Examples:
            >>> from wushe import examples
            >>> net = StationNetwork.from_dataset(examples.load("qixinggang"))
            >>> room = net.subnetwork("qxg-r03")
            >>> room.roots, len(room), len(net)
            (('qxg-r03',), 1, 9)
        """
        self.station(station_id)
        keep = self.descendants(station_id) | {station_id}
        stations = tuple(self._kept(self._station[s], keep) for s in sorted(keep))
        activities = tuple(a for a in self.dataset.activities if a.station_id in keep)
        part = self.dataset.model_copy(
            update={"stations": stations, "activities": activities}
        )
        return StationNetwork(part, standard=self.standard)

    def _kept(self, station: Station, keep: Collection[str]) -> Station:
        """``station`` with its parents outside ``keep`` dropped, and what they gave it."""
        parents = tuple(p for p in station.parent_ids if p in keep)
        if parents == station.parent_ids:
            return station
        areas = [
            self._station[p].division_code
            for p in parents
            if self._station[p].level.is_geographic
        ]
        served = (
            tuple(
                c
                for c in station.community_ids
                if any(_inside(area, self._community_code[c]) for area in areas)
            )
            if not station.level.is_geographic
            else station.community_ids
        )
        return station.model_copy(
            update={"parent_ids": parents, "community_ids": served}
        )

    # -- analyses (delegates) -----------------------------------------------------------

    def coverage(self, *, within: str | None = None) -> Coverage:
        """Coverage of areas by stations (应建尽建); see :func:`wushe.network.coverage`."""
        from wushe.network._coverage import coverage  # noqa: PLC0415

        return coverage(self, within=within)

    def compliance(self, standard: BuildStandard | None = None) -> Compliance:
        """Stations against a build standard (六有); see :func:`wushe.network.compliance`."""
        from wushe.network._compliance import compliance  # noqa: PLC0415

        return compliance(self, standard=standard)

    def rollup(
        self,
        activities: Iterable[Activity] | None = None,
        *,
        period: Period | Sequence[Period] | None = None,
        metrics: Sequence[Metric] | None = None,
    ) -> Rollup:
        """Ledger statistics summed up the hierarchy (统计汇总); see :func:`wushe.network.rollup`."""
        from wushe.network._rollup import rollup  # noqa: PLC0415

        return rollup(self, activities, period=period, metrics=metrics)

    def __getattr__(self, name: str) -> Any:
        # Drawing moved to wushe.io; say where instead of a bare AttributeError.
        if name == "draw":
            msg = (
                "StationNetwork.draw was removed in 0.2: use "
                "wushe.io.draw_station_tree(network, path, ...)"
            )
            raise AttributeError(msg)
        raise AttributeError(name)


class _ScopeIndex:
    """Record positions by community and by station, built once per network.

    It stays on the network: :meth:`view` copies out the records a scope may hold, and the
    scope never sees the index or the dataset behind it.
    """

    def __init__(self, ds: Dataset) -> None:
        self.ds = ds
        self.recipients = _group(ds.recipients, lambda r: (r.community_id,))
        recipient_community = {r.recipient_id: r.community_id for r in ds.recipients}
        self.needs = _group(
            ds.needs, lambda n: (recipient_community.get(n.recipient_id, ""),)
        )
        self.communities = _group(ds.communities, lambda c: (c.community_id,))
        self.activities_by_station = _group(ds.activities, lambda a: (a.station_id,))
        self.activities_by_community = _group(
            ds.activities, lambda a: (a.community_id or "",)
        )
        self.workers = _group(ds.workers, lambda w: (w.station_id or "",))
        self.volunteers = _group(ds.volunteers, lambda v: (v.home_community_id or "",))
        self.teams = _group(ds.teams, lambda t: (t.community_id or "",))
        self.resources = _group(ds.resources, lambda r: (r.community_id or "",))
        self.organizations_by_community = _group(
            ds.organizations, lambda o: (o.home_community_id or "",)
        )
        operators = {o.organization_id: i for i, o in enumerate(ds.organizations)}
        self.organizations_by_station: dict[str, list[int]] = defaultdict(list)
        for s in ds.stations:
            if s.operator_id is not None and s.operator_id in operators:
                self.organizations_by_station[s.station_id].append(
                    operators[s.operator_id]
                )
        self.projects_by_station = _group(ds.projects, lambda p: p.station_ids)
        self.projects_by_community = _group(ds.projects, lambda p: p.community_ids)
        self.stations = _group(ds.stations, lambda s: (s.station_id,))
        self.records = RecordIndex(ds)
        self.naming = frozenset(
            i
            for i, a in enumerate(ds.activities)
            if a.recipient_ids or a.worker_ids or a.volunteer_ids
        )

    def view(
        self,
        station_id: str,
        station_ids: frozenset[str],
        community_ids: frozenset[str],
    ) -> DatasetScope:
        """The scope of one station: its records, with out-of-scope people cut out."""
        ds, below, area = self.ds, station_ids, community_ids
        recipients = _pick(ds.recipients, (self.recipients, area))
        workers = _pick(ds.workers, (self.workers, below))
        volunteers = _pick(ds.volunteers, (self.volunteers, area))
        residents = frozenset(r.recipient_id for r in recipients)
        people = (
            ("recipient_ids", residents),
            ("worker_ids", frozenset(w.worker_id for w in workers)),
            ("volunteer_ids", frozenset(v.volunteer_id for v in volunteers)),
        )
        stations = _pick(ds.stations, (self.stations, below))
        teams = _pick(ds.teams, (self.teams, area))
        organizations = _pick(
            ds.organizations,
            (self.organizations_by_station, below),
            (self.organizations_by_community, area),
        )
        projects = _pick(
            ds.projects,
            (self.projects_by_station, below),
            (self.projects_by_community, area),
        )
        station = next(s for s in stations if s.station_id == station_id)
        held = InScope(
            station_code=station.division_code if station.level.is_geographic else None,
            below=below,
            area=area,
            residents=residents,
            workers=dict(people)["worker_ids"],
            volunteers=dict(people)["volunteer_ids"],
            teams=frozenset(t.team_id for t in teams),
            organizations=frozenset(o.organization_id for o in organizations),
            projects=frozenset(p.project_id for p in projects),
        )
        return DatasetScope(
            station_id=station_id,
            station_ids=station_ids,
            community_ids=community_ids,
            communities=_pick(ds.communities, (self.communities, area)),
            stations=stations,
            recipients=recipients,
            needs=_pick(ds.needs, (self.needs, area)),
            activities=self._activities(below, area, people),
            workers=workers,
            volunteers=volunteers,
            teams=teams,
            organizations=organizations,
            resources=self._resources(area, residents),
            projects=projects,
            **self.records.view(held),
        )

    def _activities(
        self,
        below: frozenset[str],
        area: frozenset[str],
        people: tuple[tuple[str, frozenset[str]], ...],
    ) -> tuple[Activity, ...]:
        """Activities of the stations below or in the area, cut to the people in scope."""
        everything = self.ds.activities
        return tuple(
            _cut_activity(everything[i], people) if i in self.naming else everything[i]
            for i in _positions(
                (self.activities_by_station, below),
                (self.activities_by_community, area),
            )
        )

    def _resources(
        self, area: frozenset[str], residents: frozenset[str]
    ) -> tuple[CharitableResource, ...]:
        """Resources of the area, each restriction cut to the residents in scope."""
        resources = (
            _cut_resource(r, residents)
            for r in _pick(self.ds.resources, (self.resources, area))
        )
        return tuple(r for r in resources if r is not None)


def _group(records: Sequence[Any], keys: Any) -> dict[str, list[int]]:
    index: dict[str, list[int]] = defaultdict(list)
    for position, record in enumerate(records):
        for key in keys(record):
            held = index[key]
            if not held or held[-1] != position:  # sorted, each position once
                held.append(position)
    return index


def _positions(
    *lookups: tuple[dict[str, list[int]], Collection[str]],
) -> list[int]:
    if len(lookups) == 1 and len(lookups[0][1]) == 1:  # a room: one key, already sorted
        index, (key,) = lookups[0]
        return index.get(key, [])
    positions: set[int] = set()
    for index, keys in lookups:
        for key in keys:
            positions.update(index.get(key, ()))
    return sorted(positions)


def _pick(
    records: Sequence[_R], *lookups: tuple[dict[str, list[int]], Collection[str]]
) -> tuple[_R, ...]:
    return tuple(records[i] for i in _positions(*lookups))


def _cut_activity(
    activity: Activity, people: tuple[tuple[str, frozenset[str]], ...]
) -> Activity:
    """The activity naming only the people the scope holds; counts stay as recorded."""
    update: dict[str, frozenset[str]] = {}
    for field, kept in people:
        named: frozenset[str] = getattr(activity, field)
        if not named <= kept:
            update[field] = named & kept
    return activity.model_copy(update=update) if update else activity


def _cut_resource(
    resource: CharitableResource, residents: frozenset[str]
) -> CharitableResource | None:
    """The resource naming only residents in scope, or ``None`` if it serves none of them.

    For every resident in scope the cut restriction answers "may this resource serve
    them?" exactly as the full one does; a resource whose named beneficiaries all live
    elsewhere serves nobody here and is left out.
    """
    rule = resource.restriction
    if rule is None or (
        rule.beneficiary_ids <= residents and rule.excluded_recipient_ids <= residents
    ):
        return resource
    named = rule.beneficiary_ids & residents
    if rule.beneficiary_ids and not named:
        return None
    cut = rule.model_copy(
        update={
            "beneficiary_ids": named,
            "excluded_recipient_ids": rule.excluded_recipient_ids & residents,
        }
    )
    return resource.model_copy(update={"restriction": cut})


_COLLECTIONS = (
    "activities",
    "communities",
    "needs",
    "organizations",
    "projects",
    "recipients",
    "resources",
    "stations",
    "teams",
    "volunteers",
    "workers",
    *RECORD_COLLECTIONS,
)


class DatasetScope:
    """A read-only view of one station's jurisdiction (站点辖区视图).

    What belongs to the scope of station *S*, whose jurisdiction is the set of communities
    *J* (:meth:`StationNetwork.jurisdiction`) and whose stations are *S* and everything
    below it:

    * communities in *J*; recipients living in *J* and those recipients' needs, wherever
      the service takes place (a need served in another street keeps that community's
      id; a need served in *J* for someone living elsewhere belongs to that person's
      station, not to *S*);
    * stations *S* and below; workers posted to one of them; organisations operating one of
      them or based in *J*;
    * activities recorded by one of those stations or held in *J* — including the ones a
      station of *S* recorded in another street;
    * volunteers living in *J*, volunteer teams and charitable resources based in *J*;
    * projects delivered by one of those stations or covering a community in *J*;
    * the station's own records (#12), each by its own rule: households of *J*; cases of
      residents in scope handled by a worker in scope, and their sessions; residents'
      referrals; supervision and training held by or reaching a station in scope;
      contracts of projects in scope and their spending; incubators, grids, pilots,
      child-welfare posts, honours, time-bank entries and convenings in scope (see each
      attribute). Every one of them names only the people the scope holds.

    People outside the scope are cut from the records it keeps. An activity names only the
    recipients living in *J*, the workers and the volunteers the scope holds; its
    ``sessions``, ``person_times`` and outputs stay as recorded, so counts add up while
    ``recipient_ids`` may list fewer people than the full ledger. A resource's restriction
    names only beneficiaries and excluded parties living in *J*, which answers "may it
    serve this resident?" exactly as the full record does for everyone in scope; a
    resource whose named beneficiaries all live elsewhere serves nobody here and is left
    out. Ids of communities, stations, organisations, projects and teams are not personal
    and stay as they are (a room's scope still says which street station is its parent).

    The view is built when :meth:`StationNetwork.scope` is called and holds these records
    only: nothing reachable from it — attributes, private or not — leads to the full
    dataset, the network or another street's people. Each collection is a tuple in
    dataset order.
    """

    __slots__ = ("community_ids", "station_id", "station_ids", *_COLLECTIONS)

    station_id: str
    """The station whose jurisdiction this is (站点编号)."""
    station_ids: frozenset[str]
    """The station and every station below it (所辖站点)."""
    community_ids: frozenset[str]
    """The station's jurisdiction (辖区社区)."""
    communities: tuple[Community, ...]
    """Communities in the jurisdiction (辖区社区)."""
    stations: tuple[Station, ...]
    """The station and the stations below it (所辖站点)."""
    recipients: tuple[Recipient, ...]
    """Recipients living in the jurisdiction (辖区服务对象)."""
    needs: tuple[Need, ...]
    """Needs of the recipients in scope, wherever served (辖区服务需求)."""
    activities: tuple[Activity, ...]
    """Activities recorded by a station in scope or held in the jurisdiction, naming only people in scope (辖区活动)."""
    workers: tuple[SocialWorker, ...]
    """Social workers posted to a station in scope (驻站社工)."""
    volunteers: tuple[Volunteer, ...]
    """Volunteers living in the jurisdiction (辖区志愿者)."""
    teams: tuple[VolunteerTeam, ...]
    """Volunteer teams based in the jurisdiction (辖区志愿服务队伍)."""
    organizations: tuple[SocialOrganization, ...]
    """Organisations operating a station in scope or based in the jurisdiction (辖区社会组织)."""
    resources: tuple[CharitableResource, ...]
    """Charitable resources based in the jurisdiction that may serve someone in it (辖区慈善资源)."""
    projects: tuple[ServiceProject, ...]
    """Projects delivered by a station in scope or covering a community in it (辖区项目)."""
    households: tuple[Household, ...]
    """Households of the jurisdiction, listing only members living in it (辖区家庭)."""
    person_links: tuple[PersonLink, ...]
    """Links between roles the scope holds, cut to those roles; a link left with one role is dropped (一人多角色)."""
    cases: tuple[Case, ...]
    """Cases of residents in scope whose worker the scope holds (辖区个案)."""
    case_sessions: tuple[CaseSession, ...]
    """Sessions of those cases, naming the worker only when in scope (个案服务记录)."""
    referrals: tuple[Referral, ...]
    """Referrals of residents in scope (辖区转介)."""
    supervisions: tuple[Supervision, ...]
    """Supervision held by or reaching a station in scope or a community in the jurisdiction, naming only workers in scope (督导记录)."""
    trainings: tuple[Training, ...]
    """Training held by a station in scope or attended by its workers, listing only those workers (培训记录)."""
    contracts: tuple[PurchaseContract, ...]
    """Purchase contracts of projects in scope (购买服务合同)."""
    spendings: tuple[Spending, ...]
    """Spending under those contracts (支出记录)."""
    incubators: tuple[Incubator, ...]
    """Incubators run by a station in scope or based in the jurisdiction (孵化基地)."""
    incubations: tuple[Incubation, ...]
    """Incubations in those incubators or of organisations in scope (孵化记录)."""
    child_welfare_posts: tuple[ChildWelfarePost, ...]
    """Child-welfare posts held by workers in scope (儿童福利岗位)."""
    grids: tuple[Grid, ...]
    """Grids of the jurisdiction, naming only grid workers, households and recipients in scope (网格)."""
    honours: tuple[Honour, ...]
    """Honours of a worker in scope, or of a station, organisation, team, project or area in scope (荣誉)."""
    pilots: tuple[Pilot, ...]
    """Pilot designations of stations in scope (试点)."""
    volunteer_hours: tuple[VolunteerHoursRow, ...]
    """Volunteer-hour tallies of teams in scope (志愿服务时长统计)."""
    time_banks: tuple[TimeBank, ...]
    """Time banks with entries in scope or set up inside the station's area (时间银行)."""
    time_bank_entries: tuple[TimeBankEntry, ...]
    """Entries of volunteers in scope, naming a recipient only when in scope (时间银行记录)."""
    convenings: tuple[Convening, ...]
    """Meetings convened inside the station's area (会议)."""

    def __init__(
        self,
        *,
        station_id: str,
        station_ids: frozenset[str],
        community_ids: frozenset[str],
        **records: tuple[Any, ...],
    ) -> None:
        """Hold the given records; :meth:`StationNetwork.scope` builds them."""
        unknown = sorted(set(records) - set(_COLLECTIONS))
        if unknown:
            msg = f"unknown scope collection(s): {', '.join(unknown)}"
            raise TypeError(msg)
        object.__setattr__(self, "station_id", station_id)
        object.__setattr__(self, "station_ids", station_ids)
        object.__setattr__(self, "community_ids", community_ids)
        for name in _COLLECTIONS:
            object.__setattr__(self, name, tuple(records.get(name, ())))

    def __setattr__(self, name: str, value: object) -> None:
        msg = "a DatasetScope is read-only"
        raise AttributeError(msg)

    def __delattr__(self, name: str) -> None:
        msg = "a DatasetScope is read-only"
        raise AttributeError(msg)

    def __repr__(self) -> str:
        return (
            f"<DatasetScope {self.station_id}: {len(self.station_ids)} station(s), "
            f"{len(self.community_ids)} community(ies)>"
        )
