"""Exceptions raised by wushe (异常).

Every exception wushe raises on purpose derives from :class:`WusheError`, so one
``except WusheError`` catches them all::

    WusheError
    ├── DatasetError            a dataset breaks referential integrity (数据集完整性)
    ├── LoadError               a file could not be loaded; carries the full load report
    ├── StationNetworkError     the station hierarchy is not a valid network (社工站网络)
    ├── MatchingError           the matching engine was given an impossible request
    ├── ConsentError            no lawful basis for a purpose on a day (无合法性基础)
    ├── StoreError              a partitioned store is missing, damaged or inconsistent
    ├── RubricError             an evaluation rubric is malformed (评估细则)
    ├── EvaluationError         evaluation evidence is inconsistent (评估证据)
    └── MissingDependencyError  an optional extra is not installed (also an ImportError)

A :class:`pydantic.ValidationError` raised while building a single model passes through
unchanged: it already names the field. Messages never contain the value of a sensitive
field (names, ID numbers, phone numbers, addresses, health details).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:  # pragma: no cover
    from wushe.io import LoadReport

__all__ = [
    "ConsentError",
    "DatasetError",
    "EvaluationError",
    "IntegrityIssue",
    "LoadError",
    "MatchingError",
    "MissingDependencyError",
    "RubricError",
    "StationNetworkError",
    "StoreError",
    "WusheError",
]


class WusheError(Exception):
    """Base class of every error wushe raises on purpose (五社错误基类)."""


@attrs.frozen(kw_only=True)
class IntegrityIssue:
    """One broken rule inside a dataset (数据完整性问题).

    Names the record and the field so a user can find and fix it; never holds the value of a
    sensitive field.
    """

    collection: str
    """The dataset collection holding the record, e.g. ``"recipients"`` (数据集合)."""
    record_id: str
    """The id of the offending record (记录编号)."""
    field: str
    """The field that breaks the rule (字段)."""
    code: str
    """A stable snake_case reason code, e.g. ``"unknown_reference"`` (原因代码)."""
    message: str
    """A human-readable explanation (说明)."""

    def __str__(self) -> str:
        return f"{self.collection}[{self.record_id}].{self.field}: {self.message} [{self.code}]"


class DatasetError(WusheError):
    """A dataset breaks referential integrity (数据集完整性错误).

    Attributes:
        issues: Every problem found, each naming collection, record id and field.
    """

    def __init__(self, issues: Sequence[IntegrityIssue]) -> None:
        self.issues: tuple[IntegrityIssue, ...] = tuple(issues)
        shown = "\n".join(f"  - {issue}" for issue in self.issues[:20])
        more = len(self.issues) - 20
        tail = f"\n  … and {more} more" if more > 0 else ""
        super().__init__(
            f"dataset has {len(self.issues)} integrity issue(s):\n{shown}{tail}"
        )


class LoadError(WusheError):
    """A dataset file could not be loaded (加载失败); ``report`` lists every rejected record."""

    def __init__(self, report: LoadReport) -> None:
        self.report = report
        super().__init__(report.summary())


class StationNetworkError(WusheError):
    """The stations do not form a valid network (社工站网络错误); the message names the ids."""


class MatchingError(WusheError):
    """The matching engine was given an impossible or inconsistent request (匹配错误)."""


class ConsentError(WusheError):
    """A recipient's data was to be processed with no lawful basis for it (无合法性基础).

    Raised, for example, by :func:`wushe.models.refer` when the recipient has no consent or
    statutory basis for referral in force on the day it is sent. The message names the
    recipient id, the purpose and the day, never personal data.
    """

    def __init__(self, recipient_id: str, purpose: str, on: str, what: str) -> None:
        self.recipient_id = recipient_id
        self.purpose = purpose
        self.on = on
        super().__init__(
            f"recipient {recipient_id!r} has no lawful basis for {purpose} on {on}: "
            f"{what}; record their consent (or a guardian's, or the statutory duty) "
            "for it first (PIPL Arts. 13, 14)"
        )


class RubricError(WusheError):
    """An evaluation rubric is malformed (评估细则错误); the message names the item."""


class EvaluationError(WusheError):
    """Evaluation evidence is inconsistent or incomplete in a way that cannot be reported (评估错误).

    Raised, for example, when a score sheet rates an item the rubric does not have, or when
    indicator values to roll up cover misaligned periods; the message names the evaluator,
    item, indicator or unit ids involved.
    """


class MissingDependencyError(WusheError, ImportError):
    """An optional dependency is missing (缺少可选依赖); the message names the extra to install."""

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f"{purpose} needs the optional package {package!r}: "
            f"run  pip install 'wushe[{extra}]'"
        )


class StoreError(WusheError):
    """A partitioned store is missing, damaged or inconsistent (分区存储错误).

    The message names the store folder and, where it applies, the partition and file.
    """
