"""The load report: every rejected record with where and why (加载报告)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:  # pragma: no cover
    from wushe.models import Dataset

__all__ = ["LoadIssue", "LoadReport"]

ECHO_CHARS = 80
"""The longest piece of input a report repeats: ids, field paths, headers (回显上限)."""
MESSAGE_CHARS = 400
"""The longest message a report holds (说明长度上限)."""


def clip(value: object, limit: int = ECHO_CHARS) -> str:
    """``value`` as text, cut to ``limit`` characters with a trailing ``…``."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clip_message(value: object) -> str:
    return clip(value, MESSAGE_CHARS)


@attrs.frozen(kw_only=True)
class LoadIssue:
    """One rejected record or field found while loading (加载问题).

    ``row`` is the 1-based position of the record in its collection (or the spreadsheet row),
    ``code`` a stable snake_case reason: a pydantic error type such as ``missing`` or
    ``value_error``, or an integrity code such as ``unknown_reference``. The message never
    contains the rejected value, and what it repeats of the input is cut short: record
    ids and field paths to 80 characters, messages to 400 (ending in ``…``).
    """

    file: str
    """File the record came from (文件)."""
    collection: str
    """Collection, e.g. ``"recipients"``; empty for a problem with the file itself (数据集合)."""
    row: int | None
    """1-based position in the collection, when known (行号)."""
    record_id: str = attrs.field(converter=clip)
    """Id of the record, or empty when it has none; cut to 80 characters (记录编号)."""
    field: str = attrs.field(converter=clip)
    """Dotted path of the field, e.g. ``"roles.0.amount"``; cut to 80 characters (字段)."""
    code: str
    """Stable reason code (原因代码)."""
    message: str = attrs.field(converter=_clip_message)
    """Human-readable reason; cut to 400 characters (说明)."""
    column: str = attrs.field(default="", converter=clip)
    """Spreadsheet column header as the clerk typed it, for a ledger row; else empty (列)."""

    def __str__(self) -> str:
        where = self.collection or "(file)"
        if self.row is not None:
            where += f" row {self.row}"
        if self.record_id:
            where += f" [{self.record_id}]"
        field = f".{self.field}" if self.field else ""
        return f"{self.file}: {where}{field}: {self.message} ({self.code})"


@attrs.frozen(kw_only=True)
class LoadReport:
    """What loading a file produced: counts per collection and every issue (加载报告)."""

    file: str
    """The file loaded (文件)."""
    loaded: dict[str, int] = attrs.field(factory=dict)
    """Records accepted per collection (已加载数量)."""
    issues: tuple[LoadIssue, ...] = ()
    """Every rejected record or broken reference (问题列表)."""
    dataset: Dataset | None = attrs.field(default=None, repr=False)
    """The dataset, when there were no issues (数据集)."""
    notes: tuple[str, ...] = ()
    """What was skipped on purpose, e.g. blank spreadsheet rows or title rows (说明)."""
    warnings: tuple[LoadIssue, ...] = ()
    """Records that loaded but deserve a look, e.g. ``minor_without_guardian_consent`` (警告).

    A warning never stops loading and does not make the report fail."""

    @property
    def ok(self) -> bool:
        """Whether the file loaded without any issue (是否通过)."""
        return not self.issues

    def __repr__(self) -> str:
        return (
            f"<LoadReport {self.file}: {sum(self.loaded.values())} records loaded, "
            f"{len(self.issues)} issues>"
        )

    def summary(self) -> str:
        """A few lines for a terminal or an exception message (摘要)."""
        total = sum(self.loaded.values())
        notes = [f"  note: {note}" for note in self.notes]
        notes += [f"  warning: {w}" for w in self.warnings[:25]]
        if len(self.warnings) > 25:
            notes.append(f"  … and {len(self.warnings) - 25} more warnings")
        if self.ok:
            return "\n".join(
                [f"{self.file}: {total} records loaded, no issues", *notes]
            )
        lines = [
            f"{self.file}: {len(self.issues)} issue(s); {total} records were valid",
            *notes,
        ]
        lines += [f"  - {issue}" for issue in self.issues[:25]]
        if len(self.issues) > 25:
            lines.append(f"  … and {len(self.issues) - 25} more")
        return "\n".join(lines)
