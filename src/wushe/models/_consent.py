"""Consents and other lawful bases, and the one rule that reads them (知情同意与合法性基础).

A :class:`Consent` record names one :class:`~wushe.vocab.ConsentPurpose` and the
:class:`~wushe.vocab.LawfulBasis` it rests on. :func:`basis_for` answers the question every
engine asks before it hands a recipient's data to someone: is there a basis for purpose P
on day D? The answer follows PIPL (个人信息保护法):

- a basis covers only the purposes in :data:`BASIS_COVERS` (Arts. 6, 13, 14);
- a consent is in force from ``valid_from`` up to, not including, ``withdrawn_on`` or
  ``expires_on`` (Art. 15: withdrawal does not undo what was done before it);
- a child under 14 cannot consent for themself: only a guardian's consent, a statutory duty
  or an emergency counts for them (Art. 31).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import model_validator

from wushe.codes import age_on
from wushe.exceptions import ConsentError
from wushe.models._base import WusheModel
from wushe.models._referral import Referral
from wushe.privacy import SensitiveText
from wushe.vocab import ConsentGiver, ConsentPurpose, Lang, LawfulBasis, in_lang

if TYPE_CHECKING:  # pragma: no cover
    from wushe.models._recipient import Recipient

__all__ = [
    "BASIS_COVERS",
    "CHILD_GIVERS",
    "CONSENT_AGE",
    "Consent",
    "GivenBy",
    "basis_for",
    "has_basis",
    "minors_without_guardian_consent",
    "refer",
    "referrals_without_basis",
]

CONSENT_AGE = 14
"""Age from which a person consents for themself (PIPL Art. 31) (自主同意年龄)."""

_SHARING = frozenset(
    {
        ConsentPurpose.CASEWORK,
        ConsentPurpose.CARE_VISIT,
        ConsentPurpose.SHARE_WITH_VOLUNTEERS,
        ConsentPurpose.SHARE_WITH_ORGANIZATIONS,
        ConsentPurpose.SHARE_WITH_RESOURCE_PROVIDERS,
        ConsentPurpose.REFERRAL,
    }
)
BASIS_COVERS: Mapping[LawfulBasis, frozenset[ConsentPurpose]] = {
    LawfulBasis.CONSENT: frozenset(ConsentPurpose),
    LawfulBasis.GUARDIAN_CONSENT: frozenset(ConsentPurpose),
    LawfulBasis.STATUTORY_DUTY: frozenset(
        {ConsentPurpose.CASEWORK, ConsentPurpose.CARE_VISIT, ConsentPurpose.REFERRAL}
    ),
    LawfulBasis.VITAL_INTERESTS: _SHARING,
}
"""Which purposes each lawful basis can cover (合法性基础适用目的).

Consent and guardian consent cover any purpose they name. A statutory duty (Art. 13(3))
covers the station's own casework, care visits and referral to another department, not
handing data to volunteers, organisations, donors, publicity or research: those need
consent (wushe's reading of DOMAIN §13.1, stated there as unconfirmed). An emergency
(Art. 13(4)) covers every form of help, never publicity or research.
"""


_GIVER_TEXT = re.compile(
    r"^\s*(?P<role>[^(（)）]*?)\s*(?:[(（]\s*(?P<note>[^()（）]*?)\s*[)）])?\s*$"
)
_PARENTS = frozenset(
    {"父亲", "母亲", "父母", "爸爸", "妈妈", "father", "mother", "parent"}
)
_RELATIVES = frozenset(
    {
        "祖父", "祖母", "外祖父", "外祖母", "爷爷", "奶奶", "外公", "外婆", "姥姥", "姥爷",
        "配偶", "丈夫", "妻子", "子女", "儿子", "女儿", "哥哥", "姐姐", "弟弟", "妹妹",
        "兄弟姐妹", "孙子", "孙女", "外孙", "外孙女", "grandmother", "grandfather",
        "spouse", "son", "daughter", "brother", "sister",
    }
)  # fmt: skip
CHILD_GIVERS = frozenset({ConsentGiver.GUARDIAN, ConsentGiver.LEGAL_REPRESENTATIVE})
"""Who may consent for a child under 14 (PIPL Art. 31) (可代未成年人同意者)."""


class GivenBy(WusheModel):
    """Who gave a consent, and an optional note such as the relationship (同意人).

    Ledgers and older files write it as one text, ``监护人（祖母）``: the role from
    :class:`~wushe.vocab.ConsentGiver`, then a note in brackets. A parent's or relative's
    word alone reads as the role it implies: ``母亲`` is 监护人 (note 母亲), ``祖母`` is
    近亲属 (note 祖母). The note is masked like any sensitive text, since a clerk may write
    a name there.

    >>> g = GivenBy.model_validate("监护人（祖母）")
    >>> g.role.zh, g.note
    ('监护人', SensitiveText('******'))
    >>> GivenBy.model_validate("母亲").role
    <ConsentGiver.GUARDIAN: 'guardian'>
    """

    role: ConsentGiver
    """The person, a guardian, a close relative or a legal representative (同意人身份)."""
    note: SensitiveText | None = None
    """Relationship or other note, e.g. ``祖母``; masked until revealed (同意人说明)."""

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        return parse_given_by(data) if isinstance(data, str) else data

    def text(self, *, lang: Lang = "zh", reveal: bool = False) -> str:
        """One text, ``监护人（祖母）`` (``guardian (祖母)`` in English) (同意人文字).

        The note shows masked unless ``reveal`` (an audited reveal).
        """
        role = in_lang(lang, self.role.zh, self.role.value)
        if self.note is None:
            return role
        note = self.note.reveal(reason="consent text") if reveal else str(self.note)
        return in_lang(lang, f"{role}（{note}）", f"{role} ({note})")


def parse_given_by(text: str) -> dict[str, Any]:
    """Read ``监护人（祖母）``, ``guardian (grandmother)``, ``母亲`` … into role and note.

    The message of a text that cannot be read never repeats it: it may hold a name.
    """
    found = _GIVER_TEXT.match(text)
    word = found["role"] if found else ""
    note = (found["note"] or None) if found else None
    try:
        role = ConsentGiver(word)
    except ValueError:
        if note is None and word in _PARENTS:
            role, note = ConsentGiver.GUARDIAN, word
        elif note is None and word.casefold() in _RELATIVES:
            role, note = ConsentGiver.CLOSE_RELATIVE, word
        else:
            msg = (
                "given_by names who gave the consent: 本人, 监护人, 近亲属 or 法定代理人 "
                "(self, guardian, close_relative, legal_representative), optionally with "
                "a note in brackets, e.g. 监护人（祖母）; a parent's word such as 母亲 "
                "reads as 监护人"
            )
            raise ValueError(msg) from None
    return {"role": role, "note": note}


class Consent(WusheModel):
    """One purpose a recipient's information may be processed for, and on what basis (知情同意记录).

    A consent (or guardian's consent) is in force from ``valid_from`` until it is withdrawn
    or expires; a statutory duty or an emergency cannot be withdrawn by the person, only end
    (``expires_on``). PIPL Arts. 13, 14, 15, 29 and 31.

    >>> c = Consent(purpose=ConsentPurpose.SHARE_WITH_VOLUNTEERS,
    ...             valid_from=date(2024, 1, 1), withdrawn_on=date(2024, 6, 1))
    >>> c.basis.zh, c.purpose.zh
    ('个人同意', '向志愿者提供')
    >>> c.is_valid_on(date(2024, 5, 31)), c.is_valid_on(date(2024, 6, 1))
    (True, False)
    """

    purpose: ConsentPurpose
    """What the record covers, from the purpose vocabulary (处理目的)."""
    basis: LawfulBasis = LawfulBasis.CONSENT
    """The lawful basis: consent, guardian consent, statutory duty or emergency (合法性基础)."""
    valid_from: date
    """First day the basis applies: the day consent was given (生效日期)."""
    withdrawn_on: date | None = None
    """Day a consent was withdrawn, effective that day; not before ``valid_from`` (撤回日期)."""
    expires_on: date | None = None
    """First day the basis no longer applies; required for an emergency (失效日期)."""
    given_by: GivenBy | None = None
    """Who gave it: 本人, 监护人, 近亲属 or 法定代理人 and a note; a text such as
    ``"监护人（祖母）"`` is read into role and note (同意人)."""
    reference: str = ""
    """The statute or document relied on; required for a statutory duty (依据)."""

    @model_validator(mode="after")
    def _coherent(self) -> Consent:
        problem = _record_problem(self)
        if problem is not None:
            raise ValueError(problem)
        return self

    def is_valid_on(self, day: date) -> bool:
        """Whether the basis is in force on ``day`` (是否有效)."""
        withdrawn, expires = self.withdrawn_on, self.expires_on
        return (
            self.valid_from <= day
            and (withdrawn is None or day < withdrawn)
            and (expires is None or day < expires)
        )


def _record_problem(c: Consent) -> str | None:
    if c.purpose not in BASIS_COVERS[c.basis]:
        return (
            f"lawful basis {c.basis.value} does not cover purpose {c.purpose.value}; "
            "record the person's or guardian's consent for it (PIPL Art. 13)"
        )
    for name in ("withdrawn_on", "expires_on"):
        end = getattr(c, name)
        if end is not None and end < c.valid_from:
            return f"{name} is before valid_from"
    consented = c.basis in (LawfulBasis.CONSENT, LawfulBasis.GUARDIAN_CONSENT)
    if c.withdrawn_on is not None and not consented:
        return (
            f"only a consent can be withdrawn; end a {c.basis.value} basis "
            "with expires_on (PIPL Art. 15)"
        )
    if c.basis is LawfulBasis.STATUTORY_DUTY and not c.reference:
        return "a statutory basis needs reference naming the statute or duty"
    if c.basis is LawfulBasis.VITAL_INTERESTS and c.expires_on is None:
        return "an emergency basis needs expires_on: it lasts only while the emergency does"
    return _giver_problem(c)


def _giver_problem(c: Consent) -> str | None:
    role = None if c.given_by is None else c.given_by.role
    if c.basis is LawfulBasis.GUARDIAN_CONSENT and role is None:
        return "a guardian's consent needs given_by, e.g. 监护人（母亲）"
    if c.basis is LawfulBasis.GUARDIAN_CONSENT and role is ConsentGiver.SELF:
        return "a consent given by the person themself (本人) is basis consent, not guardian_consent"
    if c.basis is LawfulBasis.CONSENT and role not in (None, ConsentGiver.SELF):
        return (
            "basis consent is the person's own; a consent given for them by a "
            f"{role.value if role else ''} is basis guardian_consent"
        )
    return None


def basis_for(
    recipient: Recipient, purpose: ConsentPurpose, on: date
) -> Consent | None:
    """Return the record that makes ``purpose`` lawful on day ``on``, if any (查找合法性基础).

    Among the records in force that cover ``purpose``, a consent is preferred to a guardian's
    consent, then a statutory duty, then an emergency. Withdrawal takes effect on its date.
    A child's own consent never counts: :class:`~wushe.models.Recipient` rejects a consent
    recorded as the person's own before they turned 14 (PIPL Art. 31).
    """
    best: Consent | None = None
    for c in recipient.consents:
        better = best is None or _RANK[c.basis] < _RANK[best.basis]
        if better and c.purpose is purpose and c.is_valid_on(on):
            best = c
    return best


_RANK = {basis: k for k, basis in enumerate(LawfulBasis)}


def has_basis(recipient: Recipient, purpose: ConsentPurpose, on: date) -> bool:
    """Whether ``recipient``'s data may be processed for ``purpose`` on ``on`` (是否有合法性基础).

    See :func:`basis_for`.
    """
    return any(c.purpose is purpose and c.is_valid_on(on) for c in recipient.consents)


def _minor_basis_problem(
    consents: Iterable[Consent], born: date, as_of: date
) -> str | None:
    """Say what is wrong with a child's records under PIPL Art. 31, if anything (未成年人同意检查).

    A child under 14 on ``as_of`` needs a lawful basis on record other than their own
    consent (a guardian's consent, a statutory duty or an emergency), no consent may be
    recorded as the child's own while they were under 14, and a consent given for the
    child then must come from a guardian or legal representative (:data:`CHILD_GIVERS`),
    not a close relative who is not the guardian. Returns ``None`` when the records are
    acceptable.
    """
    records = tuple(consents)
    for c in records:
        if age_on(born, c.valid_from) >= CONSENT_AGE:
            continue
        if c.basis is LawfulBasis.CONSENT:
            return (
                "a child under 14 cannot consent for themself; record the guardian's "
                "consent (basis guardian_consent, PIPL Art. 31)"
            )
        giver = None if c.given_by is None else c.given_by.role
        if c.basis is LawfulBasis.GUARDIAN_CONSENT and giver not in CHILD_GIVERS:
            return (
                f"only a guardian (监护人) or legal representative (法定代理人) consents "
                f"for a child under 14, not a {giver.value if giver else 'nobody'} "
                "(PIPL Art. 31)"
            )
    if age_on(born, as_of) >= CONSENT_AGE:
        return None
    if not records:
        return (
            "a child under 14 needs a lawful basis on record: a guardian's consent, a "
            "statutory duty or an emergency (PIPL Arts. 13, 31)"
        )
    return None


def minors_without_guardian_consent(
    recipients: Iterable[Recipient], as_of: date
) -> tuple[str, ...]:
    """Ids of children under 14 on ``as_of`` with no guardian's consent in force (缺监护人同意的未成年人).

    Such a child may be on a roster kept under a statutory duty (PIPL Art. 13(3)), so the
    record loads, but nothing that needs consent (volunteers, organisations, donors,
    publicity, research) may receive their data. The loader reports each as a warning
    with code ``minor_without_guardian_consent``.
    """
    out = []
    for r in recipients:
        if r.birth_date is None or age_on(r.birth_date, as_of) >= CONSENT_AGE:
            continue
        if not any(
            c.basis is LawfulBasis.GUARDIAN_CONSENT and c.is_valid_on(as_of)
            for c in r.consents
        ):
            out.append(r.recipient_id)
    return tuple(sorted(out))


def referrals_without_basis(
    referrals: Iterable[Referral], recipients: Iterable[Recipient]
) -> tuple[str, ...]:
    """Ids of referrals sent on a day the recipient gave no basis for referral (无依据转介).

    A referral hands the recipient's details to another department, so it needs consent or a
    statutory duty for :attr:`~wushe.vocab.ConsentPurpose.REFERRAL` in force on
    ``sent_on``, as matching's referral suggestions do. Referrals of recipients not given
    are left to the integrity check.
    """
    people = {r.recipient_id: r for r in recipients}
    out = []
    for ref in referrals:
        person = people.get(ref.recipient_id)
        if person is not None and not has_basis(
            person, ConsentPurpose.REFERRAL, ref.sent_on
        ):
            out.append(ref.referral_id)
    return tuple(sorted(out))


def refer(recipient: Recipient, **fields: Any) -> Referral:
    """Record a referral of ``recipient`` to another unit, only with a basis for it (转介).

    ``fields`` are the :class:`~wushe.models.Referral` fields other than ``recipient_id``
    (``referral_id``, ``station_id``, ``unit``, ``sent_on`` …). A referral hands the
    recipient's details to another department, so a consent or a statutory duty for
    :attr:`~wushe.vocab.ConsentPurpose.REFERRAL` must be in force on ``sent_on``, the
    check matching's referral suggestions and a referral export make.

    >>> from wushe import examples
    >>> person = examples.load("qixinggang").recipients[0]
    >>> refer(person, referral_id="ref-1", station_id="qxg-ts", unit="卫健",
    ...       sent_on=date(2010, 1, 1))
    Traceback (most recent call last):
    ...
    wushe.exceptions.ConsentError: recipient 'qxg-p01' has no lawful basis for referral on 2010-01-01: ...

    Raises:
        ConsentError: No basis for referral is in force on ``sent_on``.
        pydantic.ValidationError: The fields do not make a valid referral.
    """
    referral = Referral.model_validate(
        {**fields, "recipient_id": recipient.recipient_id}
    )
    if not has_basis(recipient, ConsentPurpose.REFERRAL, referral.sent_on):
        raise ConsentError(
            recipient.recipient_id,
            ConsentPurpose.REFERRAL.value,
            referral.sent_on.isoformat(),
            f"referral {referral.referral_id!r} to {referral.unit.value} cannot be sent",
        )
    return referral
