"""Reading and writing wushe data (数据读写).

:func:`load_dataset` and :func:`dump_dataset` move a :class:`~wushe.models.Dataset` to and from
JSON (and YAML with the ``yaml`` extra) without loss; :func:`load_report` checks a file and
lists every rejected record with file, row, record id, field and reason.
:func:`load_rubric` reads an evaluation rubric from YAML or JSON and :func:`write_report`
writes an evaluation report as Markdown, HTML and a radar chart.
"""

from wushe.io._evaluation import load_rubric, write_report
from wushe.io._json import check_records, dump_dataset, load_dataset, load_report
from wushe.io._report import LoadIssue, LoadReport

__all__ = [
    "LoadIssue",
    "LoadReport",
    "check_records",
    "dump_dataset",
    "load_dataset",
    "load_report",
    "load_rubric",
    "write_report",
]
