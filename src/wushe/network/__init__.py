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
* :func:`record_rollup` and :func:`household_rollup` — cases and sessions, referrals and
  referral rates, supervision, training and households summed the same way;
* :func:`supervision_summary`, :func:`training_summary`, :func:`cpd_status` and
  :func:`cpd_term_status` — which streets and communities supervision reached, training
  attendances (人次) and each worker's continuing-education hours, per year or per
  registration term;
* :func:`incubation_summary` — an incubator's organisations by stage, cohort and
  follow-up (孵化培育);
* :func:`child_welfare_coverage` — communities without a 儿童主任 and townships without a
  儿童督导员;
* :func:`grid_coverage` — recipients placed in a grid (网格) and communities without one;
* :func:`pilot_status`, :func:`volunteer_platform_totals` and :func:`honour_counts` —
  stations in each phase of a pilot (试点), volunteers and hours from the platform's export
  rows, and honours, brands and prizes by category;
* :meth:`StationNetwork.scope` — a read-only view of one station's jurisdiction.

The pictures of the tree are drawn by :mod:`wushe.io` (:func:`wushe.io.station_tree_svg`,
:func:`wushe.io.draw_station_tree`).
"""

from wushe._renamed import removed_attribute
from wushe.network._child_welfare import ChildWelfareCoverage, child_welfare_coverage
from wushe.network._compliance import (
    Compliance,
    ComplianceRow,
    ComplianceSummary,
    compliance,
)
from wushe.network._coverage import Coverage, CoverageRow, CoverageSummary, coverage
from wushe.network._grids import GridCoverage, grid_coverage
from wushe.network._incubation import IncubationSummary, incubation_summary
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
from wushe.network._programmes import (
    PilotStatus,
    VolunteerTotals,
    honour_counts,
    pilot_status,
    volunteer_platform_totals,
)
from wushe.network._records import (
    HOUSEHOLDS_SERVED,
    HOUSEHOLDS_VISITED,
    RecordRow,
    distinct_people,
    household_rollup,
    record_metrics,
    record_rollup,
    record_rows,
)
from wushe.network._rollup import Rollup, RollupRow, calendar_periods, rollup
from wushe.network._standard import FIVE_HAVES, SIX_HAVES, BuildStandard
from wushe.network._training import (
    CpdRequirement,
    CpdRow,
    SupervisionSummary,
    TrainingSummary,
    cpd_status,
    cpd_term_status,
    supervision_summary,
    training_summary,
)

__all__ = [
    "DISTINCT_RECIPIENTS",
    "FIVE_HAVES",
    "HOUSEHOLDS_SERVED",
    "HOUSEHOLDS_VISITED",
    "PERSON_TIMES",
    "SERVED_PERSON_TIMES",
    "SIX_HAVES",
    "TRAINED_PERSON_TIMES",
    "Aggregation",
    "BuildStandard",
    "ChildWelfareCoverage",
    "Compliance",
    "ComplianceRow",
    "ComplianceSummary",
    "Coverage",
    "CoverageRow",
    "CoverageSummary",
    "CpdRequirement",
    "CpdRow",
    "DatasetScope",
    "GridCoverage",
    "IncubationSummary",
    "Metric",
    "PilotStatus",
    "RecordRow",
    "Rollup",
    "RollupRow",
    "StationNetwork",
    "SupervisionSummary",
    "TrainingSummary",
    "VolunteerTotals",
    "calendar_periods",
    "child_welfare_coverage",
    "compliance",
    "coverage",
    "cpd_status",
    "cpd_term_status",
    "distinct_people",
    "grid_coverage",
    "honour_counts",
    "household_rollup",
    "incubation_summary",
    "ledger_metrics",
    "output",
    "person_times",
    "pilot_status",
    "record_metrics",
    "record_rollup",
    "record_rows",
    "rollup",
    "sessions",
    "supervision_summary",
    "training_summary",
    "volunteer_platform_totals",
]


_MOVED = {
    "station_tree_svg": "wushe.io.station_tree_svg",
    "draw_station_tree": "wushe.io.draw_station_tree",
}


def __getattr__(name: str) -> object:
    raise removed_attribute(name, _MOVED, owner="wushe.network")
