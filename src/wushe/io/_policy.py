"""Matching policy files (匹配策略文件)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from wushe.exceptions import LoadError
from wushe.io._parse import DocumentProblem, read_document
from wushe.io._report import LoadIssue, LoadReport
from wushe.matching import MatchPolicy

__all__ = ["load_policy"]


def load_policy(path: str | Path) -> MatchPolicy:
    """Load a :class:`~wushe.matching.MatchPolicy` from a JSON or YAML file (加载匹配策略).

    The file holds one object with the policy's fields; every field may be left out and
    takes its default, unknown fields are rejected. YAML (``.yaml``/``.yml``) needs the
    ``yaml`` extra.

    Args:
        path: The policy file (策略文件).

    Returns:
        The validated policy.

    Raises:
        LoadError: The file is unreadable, not JSON/YAML, or a field is invalid;
            ``error.report`` names the file, the dotted field and the reason of each problem.
        MissingDependencyError: For a YAML file without the ``yaml`` extra.

    Examples:
        >>> import json, tempfile, pathlib
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> file = folder / "policy.json"
        >>> _ = file.write_text(json.dumps({"weights": {"proximity": 60}}))
        >>> load_policy(file).weights.proximity
        60
        >>> _ = file.write_text(json.dumps({"strategy": "fastest"}))
        >>> try:
        ...     load_policy(file)
        ... except LoadError as error:
        ...     issue = error.report.issues[0]
        ...     print(issue.field, issue.code)
        strategy literal_error
    """
    path = Path(path)
    name = str(path)
    try:
        raw = read_document(path, empty={}).data
    except DocumentProblem as problem:
        raise problem.error(name) from None
    try:
        return MatchPolicy.model_validate({} if raw is None else raw)
    except ValidationError as exc:
        issues = tuple(
            LoadIssue(
                file=name,
                collection="policy",
                row=None,
                record_id="",
                field=".".join(str(part) for part in error["loc"]),
                code=error["type"],
                message=error["msg"],
            )
            for error in exc.errors(include_input=False, include_url=False)
        )
        raise LoadError(LoadReport(file=name, issues=issues)) from None
