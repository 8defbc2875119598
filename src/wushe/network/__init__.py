"""The network of social-work stations (社工站网络).

:class:`StationNetwork` builds the hierarchy of a dataset's stations — county hub
(区县社工总站) → township or street station (乡镇（街道）社工站) → village or community room
(村（社区）社工室), with school and elderly-institution stations attached beside them — and
checks it. Functions over it answer the questions civil-affairs bureaus ask:

* :func:`coverage` — which streets and communities have their station (应建尽建), built or
  planned by year;
* :func:`compliance` — which stations meet the build standard (六有, or a local
  :class:`BuildStandard`);
* :func:`rollup` — ledger statistics summed from rooms to streets to the district, with
  pluggable :class:`Metric` definitions;
* :meth:`StationNetwork.scope` — a read-only view of one station's jurisdiction;
* :func:`draw_station_tree` — a PNG of the tree (extra ``plot``).
"""

from wushe.network._compliance import (
    Compliance,
    ComplianceRow,
    ComplianceSummary,
    compliance,
)
from wushe.network._coverage import Coverage, CoverageRow, CoverageSummary, coverage
from wushe.network._metrics import (
    DISTINCT_RECIPIENTS,
    PERSON_TIMES,
    SERVED_PERSON_TIMES,
    TRAINED_PERSON_TIMES,
    Aggregation,
    Metric,
    ledger_metrics,
    output,
    person_times,
    sessions,
)
from wushe.network._network import DatasetScope, StationNetwork
from wushe.network._plot import draw_station_tree
from wushe.network._rollup import Rollup, RollupRow, calendar_periods, rollup
from wushe.network._standard import FIVE_HAVES, SIX_HAVES, BuildStandard

__all__ = [
    "DISTINCT_RECIPIENTS",
    "FIVE_HAVES",
    "PERSON_TIMES",
    "SERVED_PERSON_TIMES",
    "SIX_HAVES",
    "TRAINED_PERSON_TIMES",
    "Aggregation",
    "BuildStandard",
    "Compliance",
    "ComplianceRow",
    "ComplianceSummary",
    "Coverage",
    "CoverageRow",
    "CoverageSummary",
    "DatasetScope",
    "Metric",
    "Rollup",
    "RollupRow",
    "StationNetwork",
    "calendar_periods",
    "compliance",
    "coverage",
    "draw_station_tree",
    "ledger_metrics",
    "output",
    "person_times",
    "rollup",
    "sessions",
]
