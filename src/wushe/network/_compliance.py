"""Stations measured against a build standard: 六有 (建设标准达标)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import attrs

from wushe._gc import paused_gc
from wushe.vocab import BuildCriterion, StationLevel, StationStatus

if TYPE_CHECKING:  # pragma: no cover
    from wushe.network._network import StationNetwork
    from wushe.network._standard import BuildStandard

__all__ = ["Compliance", "ComplianceRow", "ComplianceSummary", "compliance"]


@attrs.frozen(kw_only=True)
class ComplianceRow:
    """One built station against the standard (站点达标情况)."""

    station_id: str
    """The station (站点编号)."""
    level: StationLevel
    """The station's level (层级)."""
    met: tuple[BuildCriterion, ...]
    """Items of the standard the station declares it meets, in the standard's order (已达标条目)."""
    missing: tuple[BuildCriterion, ...]
    """Items of the standard it does not meet, in the standard's order (缺项)."""
    unsupported: tuple[BuildCriterion, ...] = ()
    """Declared items the records contradict: 有人员 with no worker posted there, 有活动 with no ledger row (存疑条目)."""

    @property
    def compliant(self) -> bool:
        """Whether every item is met (是否达标)."""
        return not self.missing


@attrs.frozen(kw_only=True)
class ComplianceSummary:
    """Counts of one station level (分层达标汇总)."""

    level: StationLevel
    """The level (层级)."""
    assessed: int
    """Built stations of this level the standard applies to (参评站点数)."""
    compliant: int
    """Those meeting every item (达标站点数)."""
    missing_counts: tuple[tuple[BuildCriterion, int], ...]
    """For each item of the standard, how many stations miss it (各条目缺项数)."""

    @property
    def rate(self) -> float | None:
        """Compliant share, ``None`` when nothing was assessed (达标率)."""
        return self.compliant / self.assessed if self.assessed else None


@attrs.frozen(kw_only=True)
class Compliance:
    """The result of :func:`compliance` (达标结果)."""

    standard: BuildStandard
    """The standard applied (建设标准)."""
    rows: tuple[ComplianceRow, ...]
    """One row per assessed station, sorted by id (站点明细)."""
    summaries: tuple[ComplianceSummary, ...]
    """One summary per level with assessed stations, county hub first (分层汇总)."""
    not_assessed: tuple[str, ...]
    """Planned stations and stations of levels the standard does not cover (未参评站点)."""

    def __repr__(self) -> str:
        return (
            f"<Compliance {self.standard.name}: {self.compliant}/{len(self.rows)} "
            f"compliant, {len(self.not_assessed)} not assessed>"
        )

    def row(self, station_id: str) -> ComplianceRow:
        """The row of one station (单站明细).

        Raises:
            KeyError: if the station was not assessed.
        """
        for r in self.rows:
            if r.station_id == station_id:
                return r
        msg = f"station {station_id!r} was not assessed"
        raise KeyError(msg)

    @property
    def failing(self) -> tuple[ComplianceRow, ...]:
        """Rows of stations missing at least one item (未达标站点)."""
        return tuple(r for r in self.rows if not r.compliant)

    @property
    def compliant(self) -> int:
        """How many assessed stations meet the whole standard (达标站点数)."""
        return sum(1 for r in self.rows if r.compliant)


def compliance(
    network: StationNetwork, standard: BuildStandard | None = None
) -> Compliance:
    """Check every built station against a build standard (建设标准达标检查).

    Objective: for each built station of a level the standard covers, the items it meets
    and the items it misses, from the station's declared ``criteria_met``; declared items
    that the records contradict are flagged as ``unsupported`` (有人员 with no
    :class:`wushe.models.SocialWorker` posted there; 有活动 with no ledger row) but still
    count as met, since the ledger in a dataset may be partial.

    Args:
        network: The station network.
        standard: The standard; defaults to the network's, usually
            :data:`~wushe.network.SIX_HAVES`.

    Complexity: O(S·K + W + A) for stations, standard items, workers and ledger rows.

    >>> from wushe import examples
    >>> from wushe.network import FIVE_HAVES, StationNetwork
    >>> net = StationNetwork.from_dataset(examples.load("jinniu"))
    >>> compliance(net).row("jn-ts01").compliant
    True
    >>> [c.zh for c in compliance(net, FIVE_HAVES).row("jn-ts01").missing]
    ['有活动']
    """
    with paused_gc():
        return _compliance(network, standard)


def _compliance(
    network: StationNetwork, standard: BuildStandard | None = None
) -> Compliance:
    chosen = network.standard if standard is None else standard
    ds = network.dataset
    staffed = {w.station_id for w in ds.workers if w.station_id is not None}
    active = {a.station_id for a in ds.activities}
    rows: list[ComplianceRow] = []
    skipped: list[str] = []
    for s in network.stations:
        if s.status is not StationStatus.BUILT or s.level not in chosen.levels:
            skipped.append(s.station_id)
            continue
        met = tuple(c for c in chosen.criteria if c in s.criteria_met)
        missing = tuple(c for c in chosen.criteria if c not in s.criteria_met)
        doubt = []
        if BuildCriterion.STAFF in met and s.station_id not in staffed:
            doubt.append(BuildCriterion.STAFF)
        if BuildCriterion.ACTIVITIES in met and s.station_id not in active:
            doubt.append(BuildCriterion.ACTIVITIES)
        rows.append(
            ComplianceRow(
                station_id=s.station_id,
                level=s.level,
                met=met,
                missing=missing,
                unsupported=tuple(doubt),
            )
        )
    summaries = []
    for level in sorted({r.level for r in rows}, key=lambda lv: (lv.rank, lv.value)):
        tier = [r for r in rows if r.level is level]
        misses: Counter[BuildCriterion] = Counter(c for r in tier for c in r.missing)
        summaries.append(
            ComplianceSummary(
                level=level,
                assessed=len(tier),
                compliant=sum(1 for r in tier if r.compliant),
                missing_counts=tuple((c, misses[c]) for c in chosen.criteria),
            )
        )
    return Compliance(
        standard=chosen,
        rows=tuple(rows),
        summaries=tuple(summaries),
        not_assessed=tuple(skipped),
    )
