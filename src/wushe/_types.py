"""Shared type aliases for identifiers and scores (类型别名)."""

from __future__ import annotations

from typing import Annotated, Any, Final, Protocol, TypeAlias, TypeVar

from pydantic import Field, GetCoreSchemaHandler, SerializerFunctionWrapHandler
from pydantic_core import core_schema

__all__ = [
    "SORTED_IN_JSON",
    "ActivityId",
    "CaseId",
    "CommunityId",
    "ContractId",
    "HouseholdId",
    "Identifier",
    "IncubationId",
    "IncubatorId",
    "NeedId",
    "OrganizationId",
    "PersonId",
    "Progress",
    "ProjectId",
    "RecipientId",
    "ReferralId",
    "ResourceId",
    "SessionId",
    "SortedFrozenSet",
    "SpendingId",
    "StationId",
    "SupervisionId",
    "TeamId",
    "TrainingId",
    "VolunteerId",
    "WorkerId",
]

Identifier: TypeAlias = Annotated[
    str, Field(min_length=1, max_length=128, pattern=r"^[^\s/\\]+$")
]
"""A record identifier: 1–128 characters, no whitespace or slashes (记录编号)."""

StationId: TypeAlias = Identifier
CommunityId: TypeAlias = Identifier
OrganizationId: TypeAlias = Identifier
WorkerId: TypeAlias = Identifier
VolunteerId: TypeAlias = Identifier
TeamId: TypeAlias = Identifier
ResourceId: TypeAlias = Identifier
RecipientId: TypeAlias = Identifier
NeedId: TypeAlias = Identifier
ProjectId: TypeAlias = Identifier
ActivityId: TypeAlias = Identifier
HouseholdId: TypeAlias = Identifier
PersonId: TypeAlias = Identifier
CaseId: TypeAlias = Identifier
SessionId: TypeAlias = Identifier
ReferralId: TypeAlias = Identifier
SupervisionId: TypeAlias = Identifier
TrainingId: TypeAlias = Identifier
ContractId: TypeAlias = Identifier
SpendingId: TypeAlias = Identifier
IncubatorId: TypeAlias = Identifier
IncubationId: TypeAlias = Identifier


class _SortedInJson:
    """The marker that writes a set's members in sorted order in JSON (集合有序输出).

    A ``frozenset`` has no order of its own and iterates in an order that depends on the
    interpreter's hash seed (``PYTHONHASHSEED``), so the same data written by two
    processes would differ byte for byte. Put this marker in the ``Annotated`` metadata
    after any other serialiser of the set (e.g. after
    ``SPECIAL_CATEGORY`` in :mod:`wushe.privacy`): in JSON mode the set, once serialised as
    a list, is sorted by its members' JSON values (strings for ids, codes and
    enumerations); members of mixed types are sorted by their string form.
    Python-mode dumps keep the set, and the JSON Schema is that of the set.
    """

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        inner = handler(source)
        schema = dict(inner)
        schema["serialization"] = core_schema.wrap_serializer_function_ser_schema(
            _sorted_members, schema=inner, when_used="json"
        )
        return schema

    def __repr__(self) -> str:
        return "SORTED_IN_JSON"


def _sorted_members(value: Any, serialise: SerializerFunctionWrapHandler) -> Any:
    members = serialise(value)
    if type(members) is list:  # a fresh list; a masked set is a string such as "******"
        try:
            members.sort()  # ids, codes and enumeration values are strings in JSON
        except TypeError:
            members.sort(key=str)
    return members


SORTED_IN_JSON: Final = _SortedInJson()
"""The marker for a set written in sorted order in JSON (集合有序输出标记).

Put it after any other serialiser in a set's ``Annotated`` metadata, as in
``Annotated[frozenset[TargetGroup], SPECIAL_CATEGORY, SORTED_IN_JSON]``; plain set
fields use :data:`SortedFrozenSet`.
"""

_Member = TypeVar("_Member")

SortedFrozenSet: TypeAlias = Annotated[frozenset[_Member], SORTED_IN_JSON]
"""A set field written in sorted order in JSON, a set in Python (有序集合).

Every set-valued field of a model users load or save uses it, e.g.
``skills: SortedFrozenSet[ServiceCategory]``, so dataset files, exports and a store's
checksums are the same whatever the hash seed.
"""


class Progress(Protocol):
    """A callback told how far a long operation has got (进度回调).

    Pass one as the keyword-only ``progress`` argument of :func:`~wushe.io.load_dataset`,
    :func:`~wushe.io.load_report`, :func:`~wushe.matching.match` or
    :func:`~wushe.care.warnings`. wushe calls it positionally as
    ``progress(stage, done, total)``:

    * ``stage`` is a stable name: ``"load"`` (records checked), ``"match.candidates"``
      (building the candidate graph), ``"match.solve"`` (role graphs solved; the total stays
      ``None`` when a team-linkage policy solves in rounds) or
      ``"care.warnings"`` (recipients checked);
    * ``done`` counts the units finished, from ``0`` when the stage starts;
    * ``total`` is the number of units, or ``None`` while it is not yet known.

    A stage that finishes ends with a call where ``done == total``; one that fails may stop
    earlier. Calls come from the thread that runs the operation, at most a few hundred
    times per stage, and never carry personal data. A callback should return quickly; an
    exception it raises aborts the operation.

    Examples:
        >>> seen = []
        >>> def record(stage: str, done: int, total: int | None) -> None:
        ...     seen.append((stage, done, total))
        >>> from wushe import examples
        >>> from wushe.io import load_report
        >>> report = load_report(examples.path("qixinggang"), progress=record)
        >>> seen[0][:2], seen[-1][0], seen[-1][1] == seen[-1][2]
        (('load', 0), 'load', True)
    """

    def __call__(self, stage: str, done: int, total: int | None, /) -> None:
        """Report that ``done`` of ``total`` units of ``stage`` are finished (报告进度)."""
