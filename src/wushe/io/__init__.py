"""Reading and writing wushe data (数据读写).

:func:`load_dataset` and :func:`dump_dataset` move a :class:`~wushe.models.Dataset` to and from
JSON (and YAML with the ``yaml`` extra) without loss; :func:`load_report` checks a file and
lists every rejected record with file, row, record id, field and reason.

Spreadsheet ledgers (台账) in CSV, or XLSX with the ``xlsx`` extra, come in through
:func:`load_ledgers` and :func:`ledger_report` and go out through :func:`export_ledgers`,
whole for the station or, for a purpose, only the fields :data:`~wushe.io.EXPORT_FIELDS` allows it;
:class:`LedgerSpec` maps their Chinese or English headers to fields. :func:`to_hsds` and
:func:`export_hsds` publish the service directory as Open Referral HSDS 3.0 JSON.
:func:`load_rubric` reads an evaluation rubric from YAML or JSON, :func:`write_report`
writes an evaluation report as Markdown, HTML, JSON and a radar chart, and
:func:`evaluation_to_dict` / :func:`evaluation_from_dict` turn a report into data and back,
:func:`evaluation_to_markdown` / :func:`evaluation_to_html` into text.
Charts are drawn here too: :func:`radar_svg` and :func:`station_tree_svg` as inline SVG,
:func:`radar_chart` and :func:`draw_station_tree` as PNGs with the ``plot`` extra.
A match plan becomes data with :func:`plan_to_dict` and an explanation with
:func:`explain_plan`; :func:`match_section`, :func:`evaluation_section`,
:func:`care_section` and :func:`district_sections` build the report sections that the
``wushe`` commands print and ``wushe demo`` writes.
:func:`load_policy` reads a matching policy (匹配策略) from JSON or YAML.
:func:`write_store` splits a dataset into county partitions with a manifest and
:func:`open_store` opens one (分区存储), for :mod:`wushe.scale`.
"""

from wushe.io._care import load_visit_log
from wushe.io._care_section import care_section
from wushe.io._evaluation import (
    evaluation_from_dict,
    evaluation_to_dict,
    load_rubric,
    load_score_sheets,
    write_report,
)
from wushe.io._evaluation_text import evaluation_to_html, evaluation_to_markdown
from wushe.io._hsds import HSDS_VERSION, export_hsds, to_hsds
from wushe.io._json import check_records, dump_dataset, load_dataset, load_report
from wushe.io._plan import explain_plan, plan_to_dict
from wushe.io._policy import load_policy
from wushe.io._radar import RadarChart, cjk_font, radar_chart, radar_svg
from wushe.io._render import (
    Section,
    district_sections,
    evaluation_section,
    match_section,
    sections_to_html,
    sections_to_markdown,
)
from wushe.io._report import LoadIssue, LoadReport
from wushe.io._station_tree import draw_station_tree
from wushe.io._store import (
    STORE_SCHEMA_VERSION,
    CrossReference,
    PartitionEntry,
    SharedRecord,
    Store,
    StoreManifest,
    StoreWriter,
    open_store,
    write_store,
)
from wushe.io._tables import (
    EXPORT_FIELDS,
    LedgerExport,
    LedgerSpec,
    export_ledgers,
    ledger_report,
    ledger_spec,
    load_ledgers,
)
from wushe.io._tree_svg import station_tree_svg

__all__ = [
    "EXPORT_FIELDS",
    "HSDS_VERSION",
    "STORE_SCHEMA_VERSION",
    "CrossReference",
    "LedgerExport",
    "LedgerSpec",
    "LoadIssue",
    "LoadReport",
    "PartitionEntry",
    "RadarChart",
    "Section",
    "SharedRecord",
    "Store",
    "StoreManifest",
    "StoreWriter",
    "care_section",
    "check_records",
    "cjk_font",
    "district_sections",
    "draw_station_tree",
    "dump_dataset",
    "evaluation_from_dict",
    "evaluation_section",
    "evaluation_to_dict",
    "evaluation_to_html",
    "evaluation_to_markdown",
    "explain_plan",
    "export_hsds",
    "export_ledgers",
    "ledger_report",
    "ledger_spec",
    "load_dataset",
    "load_ledgers",
    "load_policy",
    "load_report",
    "load_rubric",
    "load_score_sheets",
    "load_visit_log",
    "match_section",
    "open_store",
    "plan_to_dict",
    "radar_chart",
    "radar_svg",
    "sections_to_html",
    "sections_to_markdown",
    "station_tree_svg",
    "to_hsds",
    "write_report",
    "write_store",
]
