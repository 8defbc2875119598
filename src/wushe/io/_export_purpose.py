"""Exports made for a purpose: the fields it needs, the people who allowed it (按目的导出).

An export for a :class:`~wushe.vocab.ConsentPurpose` hands recipients' details to someone
outside the station: a volunteer team, a social organisation, a donor, another department.
PIPL Art. 6 (最小必要) limits it to the fields that purpose needs, and Arts. 13 and 14 to the
people with a lawful basis for it. :data:`EXPORT_FIELDS` is the one table of allowed ledger
columns per purpose; :func:`select_for_purpose` applies the same check as matching's consent
gate (:func:`wushe.models.has_basis`) and counts, never names, the people left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from wushe.exceptions import WusheError
from wushe.models import Dataset, Recipient, Referral, has_basis
from wushe.vocab import ConsentPurpose

__all__ = ["EXPORT_FIELDS", "LedgerExport"]

_CONTACT = frozenset({"recipient_id", "community_id", "name", "phone", "address"})
_NEED = frozenset({"need_id", "recipient_id", "community_id", "category", "roles"})

EXPORT_FIELDS: Mapping[ConsentPurpose, Mapping[str, frozenset[str]]] = {
    ConsentPurpose.SHARE_WITH_VOLUNTEERS: {
        "recipients": _CONTACT,
        "needs": _NEED | {"window"},
    },
    ConsentPurpose.SHARE_WITH_ORGANIZATIONS: {
        "recipients": _CONTACT | {"target_groups"},
        "needs": _NEED | {"window", "urgency", "raised_on"},
    },
    ConsentPurpose.SHARE_WITH_RESOURCE_PROVIDERS: {
        "recipients": frozenset({"recipient_id", "community_id"}),
        "needs": _NEED,
    },
    ConsentPurpose.REFERRAL: {
        "recipients": _CONTACT
        | {
            "id_number",
            "gender",
            "birth_date",
            "target_groups",
            "disability",
            "health_notes",
        },
        "needs": _NEED | {"urgency", "raised_on", "description"},
        "referrals": frozenset(
            {
                "referral_id",
                "recipient_id",
                "station_id",
                "unit",
                "unit_name",
                "sent_on",
                "need_id",
                "reason",
            }
        ),
    },
}
"""Ledger columns an export for each purpose may carry, per collection (按目的导出字段).

Only the collections listed are exported for a purpose, and only these fields of them;
a purpose not listed here (casework, care visits, publicity, research, a minor's
volunteering) has no export: the station keeps those records itself. The choices follow
:data:`wushe.matching.HANDOVER_FIELDS`:

- **volunteers** learn whom to meet, where and how to reach them: name, phone, address,
  community, and the need's category, roles and service window;
- **social organisations** also learn the civil-affairs groups their project serves, the
  urgency and the date the need was raised; no birth date (a ledger column cannot hold
  an age without the date it comes from);
- **donors and resource providers** learn no personal field: recipient id, community and
  the need's category and roles (the amount to draw);
- **another department** receiving a referral learns what it needs to take the case
  over: identity (name, ID number, gender, birth date), contact details, groups,
  disability and health notes, the need and its description, and the referral itself.

Every table keeps the record ids, so rows can be matched back to the station's ledgers.
"""


@attrs.frozen(kw_only=True)
class LedgerExport:
    """What :func:`~wushe.io.export_ledgers` wrote, and whom it left out (台账导出结果).

    ``withheld`` counts the recipients left out for want of a lawful basis for ``purpose``
    on ``as_of``; it never names them, so the count can go into a log or a cover note.
    """

    paths: tuple[Path, ...]
    """The files written (已写出文件)."""
    purpose: ConsentPurpose | None = None
    """What the export was made for; ``None`` for the station's own full ledgers (导出目的)."""
    as_of: date | None = None
    """The day each recipient's basis was checked on; ``None`` without a purpose (核验日期)."""
    withheld: int = 0
    """Recipients left out: no basis for ``purpose`` in force on ``as_of`` (未导出人数)."""
    fields: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """Per ledger kind, the fields written, in column order (导出字段)."""


def purpose_of(value: ConsentPurpose | str | None) -> ConsentPurpose | None:
    """Read ``purpose`` as a consent purpose, or say that free text is now ``reason``."""
    if value is None or isinstance(value, ConsentPurpose):
        return value
    try:
        return ConsentPurpose(value)
    except ValueError:
        choices = ", ".join(p.value for p in EXPORT_FIELDS)
        msg = (
            f"purpose {value!r} is not a consent purpose: export_ledgers' purpose names "
            f"what the export is shared for ({choices}); pass the audit note for a "
            "revealed export as reason=..."
        )
        raise WusheError(msg) from None


def allowed_fields(purpose: ConsentPurpose) -> Mapping[str, frozenset[str]]:
    """The registry row for ``purpose``, or a clear error when it has none."""
    table = EXPORT_FIELDS.get(purpose)
    if table is None:
        choices = ", ".join(p.value for p in EXPORT_FIELDS)
        msg = (
            f"there is no export for purpose {purpose.value} ({purpose.zh}): the station "
            f"keeps those records itself; exports exist for {choices}"
        )
        raise WusheError(msg)
    return table


def check_kinds(purpose: ConsentPurpose, kinds: Iterable[tuple[str, str]]) -> None:
    """Refuse a ledger ``(kind, collection)`` that ``purpose`` does not share."""
    table = allowed_fields(purpose)
    refused = [kind for kind, collection in kinds if collection not in table]
    if refused:
        msg = (
            f"ledger(s) {refused} are not shared for purpose {purpose.value} "
            f"({purpose.zh}); an export for it carries only {sorted(table)}"
        )
        raise WusheError(msg)


def select_for_purpose(
    ds: Dataset, purpose: ConsentPurpose, as_of: date
) -> tuple[frozenset[str], int]:
    """Recipient ids with a basis for ``purpose`` on ``as_of``, and how many lack one.

    The check is :func:`wushe.models.has_basis`, the one matching's consent gate uses.
    """
    kept = frozenset(
        r.recipient_id for r in ds.recipients if has_basis(r, purpose, as_of)
    )
    return kept, len(ds.recipients) - len(kept)


def shared_record(
    record: Any, kept: frozenset[str], people: Mapping[str, Recipient]
) -> bool:
    """Whether ``record`` may go into an export for a purpose.

    A record about a recipient goes only when the recipient has a basis (``kept``); a
    referral also needs a basis for :attr:`~wushe.vocab.ConsentPurpose.REFERRAL` in force
    on the day it was sent, or it should not have been sent at all.
    """
    who = getattr(record, "recipient_id", None)
    if who is not None and who not in kept:
        return False
    if isinstance(record, Referral):
        return has_basis(
            people[record.recipient_id], ConsentPurpose.REFERRAL, record.sent_on
        )
    return True
