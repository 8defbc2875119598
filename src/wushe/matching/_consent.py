"""The lawful-basis gate: no role's actors receive data the recipient did not allow (同意门控).

The first entry of every role's hard-rule registry (``_rules.py``): before any candidate is
scored, each left node (one role of one need) is checked against :func:`wushe.models.has_basis` for the purpose the policy maps the role to
(:attr:`~wushe.matching.MatchPolicy.purposes`). A left node without a basis on ``as_of``
gets no feasible edge; every candidate it had is rejected with
:attr:`~wushe.matching.ReasonCode.NO_LAWFUL_BASIS`, and the role stays open with that code
even when there was no candidate at all. Referral suggestions pass the same gate for
:attr:`~wushe.vocab.ConsentPurpose.REFERRAL`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
from numpy.typing import NDArray

from wushe.matching._inputs import I32, Bools, RoleContext
from wushe.matching._plan import MatchRole
from wushe.matching._policy import MatchPolicy
from wushe.models import Recipient, has_basis
from wushe.vocab import ConsentPurpose

__all__: list[str] = []  # internal: the candidate builder calls these


def no_lawful_basis(ctx: RoleContext, el: I32, er: I32) -> Bools | None:
    """The need's recipient gave no basis for the role's purpose on ``as_of`` (无合法性基础).

    A need-level rule: it rejects every candidate of a gated left node, whoever the actor.
    """
    del er  # the actor plays no part
    gated = ctx.left_gated
    return gated[el] if gated.any() else None


def consent_gate(
    role: MatchRole,
    recipients: Sequence[Recipient],
    policy: MatchPolicy,
    as_of: date,
) -> NDArray[np.bool_]:
    """Mark the left nodes whose recipient gave no basis for ``role``'s purpose (同意门控).

    ``recipients[i]`` is the recipient of left node ``i``. Returns a boolean array, true
    where the role must stay open for want of a lawful basis on ``as_of``. A role the
    policy maps to ``None`` is never gated.
    """
    purpose = policy.purposes.get(role)
    if purpose is None:
        return np.zeros(len(recipients), dtype=bool)
    return ~_lookup(recipients, purpose, as_of)


def referable(recipients: Sequence[Recipient], as_of: date) -> NDArray[np.bool_]:
    """Mark the left nodes whose recipient may be referred to another department (可转介).

    True where a basis for :attr:`~wushe.vocab.ConsentPurpose.REFERRAL` (consent or a
    statutory duty) is in force on ``as_of``.
    """
    return _lookup(recipients, ConsentPurpose.REFERRAL, as_of)


def _lookup(
    recipients: Sequence[Recipient], purpose: ConsentPurpose, as_of: date
) -> NDArray[np.bool_]:
    return np.fromiter(
        (has_basis(r, purpose, as_of) for r in recipients),
        dtype=bool,
        count=len(recipients),
    )
