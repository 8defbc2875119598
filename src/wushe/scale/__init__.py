"""Many counties at once: the monthly run over a partitioned store, on Dask (分区规模运行).

A province or the ministry does not fit in one process, but its work partitions by county:
matching, care and evaluation are local to a county and roll-ups are sums up a tree.
:func:`wushe.io.write_store` splits a dataset into county partitions; :func:`run_monthly`
runs each partition's month as a task on a Dask cluster (a local one by default, or any
scheduler by address), writes each partition's facts to a file as it finishes, and adds
their totals up the national tree with :func:`combine_totals`. :func:`monthly_facts` is the
same month for one dataset in one process; :func:`combine` adds full facts up.

Needs the ``dask`` extra: ``pip install 'wushe[dask]'``.
"""

from wushe.scale._monthly import (
    MonthlyFacts,
    MonthlyTotals,
    combine,
    combine_totals,
    division_chain,
    monthly_facts,
)
from wushe.scale._results import read_facts
from wushe.scale._run import MonthlyRun, PartitionFailure, run_monthly, run_partition

__all__ = [
    "MonthlyFacts",
    "MonthlyRun",
    "MonthlyTotals",
    "PartitionFailure",
    "combine",
    "combine_totals",
    "division_chain",
    "monthly_facts",
    "read_facts",
    "run_monthly",
    "run_partition",
]
