"""What an assigned actor is handed about a recipient: the minimum the purpose needs (最小必要交接).

Plans hold ids only. When a plan is carried out, each actor needs some of the recipient's
details; :func:`handover` builds that view for one assignment and :func:`plan_handovers` for
a whole plan. A view carries only the fields :data:`HANDOVER_FIELDS` lists for the purpose
the actor receives the data for (PIPL Art. 6, 最小必要), and only when a lawful basis for
that purpose is in force on the plan's date. Personal fields stay :mod:`wushe.privacy`
wrappers: masked in every default output until the handover is deliberately revealed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import attrs

from wushe.codes import age_on
from wushe.exceptions import MatchingError
from wushe.matching._plan import Assignment, MatchPlan, MatchRole
from wushe.matching._policy import MatchPolicy
from wushe.models import Need, Recipient, SensitiveDisability, TimeWindow, basis_for
from wushe.privacy import SensitiveAddress, SensitiveName, SensitivePhone, SensitiveText
from wushe.vocab import (
    ActorKind,
    ConsentPurpose,
    LawfulBasis,
    ServiceCategory,
    TargetGroup,
)

__all__ = ["HANDOVER_FIELDS", "Handover", "handover", "plan_handovers"]

_CONTACT = frozenset({"name", "phone", "address"})
HANDOVER_FIELDS: Mapping[ConsentPurpose, frozenset[str]] = {
    ConsentPurpose.CASEWORK: _CONTACT
    | {"age", "target_groups", "disability", "health_notes", "description"},
    ConsentPurpose.CARE_VISIT: _CONTACT | {"age", "disability", "health_notes"},
    ConsentPurpose.SHARE_WITH_VOLUNTEERS: _CONTACT,
    ConsentPurpose.SHARE_WITH_ORGANIZATIONS: _CONTACT | {"age", "target_groups"},
    ConsentPurpose.SHARE_WITH_RESOURCE_PROVIDERS: frozenset(),
    ConsentPurpose.REFERRAL: _CONTACT
    | {"age", "target_groups", "disability", "health_notes", "description"},
}
"""Personal fields an actor receives, per purpose; everything else stays home (最小必要字段).

The lead social worker holds the case, so casework carries contact details, age, the
assistance groups, disability, health notes and the need's description. A worker's care
visit needs contact details, age and health, not assistance status. A volunteer needs only
whom to meet and how to reach them: name, phone and address. An organisation also learns age
and the groups its project serves. A donor or resource provider learns no personal field:
the recipient id, community and amount are enough to draw the resource. Publicity and
research never receive a handover. Ids, the service category and the service window are in
every view.
"""


@attrs.frozen(kw_only=True)
class Handover:
    """The details one actor receives to carry out one assignment (信息交接单).

    Fields the purpose does not need are ``None``. Personal fields keep their masking
    wrappers and are left out of ``repr``.
    """

    need_id: str
    """The need served (需求编号)."""
    role: MatchRole
    """The role filled (角色)."""
    actor_kind: ActorKind
    """Kind of the actor receiving the details (接收主体类型)."""
    actor_id: str
    """Who receives the details (接收主体编号)."""
    purpose: ConsentPurpose | None
    """The purpose they receive them for; ``None`` when the policy lifts the gate (处理目的)."""
    basis: LawfulBasis | None
    """The lawful basis relied on, from the recipient's records (合法性基础)."""
    recipient_id: str
    """Whom the assignment serves (服务对象编号)."""
    community_id: str
    """Where the recipient lives (所在社区)."""
    category: ServiceCategory | None = None
    """The service field of the need (服务类别)."""
    window: TimeWindow | None = None
    """When the service takes place, if fixed (服务时段)."""
    name: SensitiveName | None = attrs.field(default=None, repr=False)
    """The recipient's name, masked until revealed (姓名)."""
    phone: SensitivePhone | None = attrs.field(default=None, repr=False)
    """A phone number, masked until revealed (联系电话)."""
    address: SensitiveAddress | None = attrs.field(default=None, repr=False)
    """The home address, masked until revealed (住址)."""
    age: int | None = attrs.field(default=None, repr=False)
    """Age in whole years on the plan's date (年龄)."""
    target_groups: frozenset[TargetGroup] | None = attrs.field(default=None, repr=False)
    """Civil-affairs groups; sensitive (PIPL Art. 28) (对象类别)."""
    disability: SensitiveDisability | None = attrs.field(default=None, repr=False)
    """Disability details, masked until revealed (残疾情况)."""
    health_notes: SensitiveText | None = attrs.field(default=None, repr=False)
    """Health notes, masked until revealed (健康状况)."""
    description: SensitiveText | None = attrs.field(default=None, repr=False)
    """The need's free-text description, masked until revealed (需求描述)."""


def handover(
    assignment: Assignment,
    recipient: Recipient,
    *,
    on: date,
    need: Need | None = None,
    purpose: ConsentPurpose | None,
) -> Handover:
    """Build the minimum-necessary view of ``recipient`` for one assignment (生成交接单).

    Args:
        assignment: The assignment to carry out.
        recipient: Its recipient.
        on: The date the handover happens; the basis must be in force on it.
        need: The need, for its category, window and description.
        purpose: What the actor receives the data for; ``None`` hands over ids only.

    Raises:
        MatchingError: No lawful basis for ``purpose`` is in force on ``on``.
    """
    basis = None
    fields: frozenset[str] = frozenset()
    if purpose is not None:
        record = basis_for(recipient, purpose, on)
        if record is None:
            msg = (
                f"need {assignment.need_id!r}: recipient {recipient.recipient_id!r} has "
                f"no lawful basis for {purpose.value} on {on.isoformat()}; nothing may "
                "be handed over"
            )
            raise MatchingError(msg)
        basis = record.basis
        fields = HANDOVER_FIELDS.get(purpose, frozenset())

    def keep(field: str) -> bool:
        return field in fields

    born = recipient.birth_date
    return Handover(
        need_id=assignment.need_id,
        role=assignment.role,
        actor_kind=assignment.actor_kind,
        actor_id=assignment.actor_id,
        purpose=purpose,
        basis=basis,
        recipient_id=recipient.recipient_id,
        community_id=(need.community_id if need else None) or recipient.community_id,
        category=None if need is None else need.category,
        window=None if need is None else need.window,
        name=recipient.name if keep("name") else None,
        phone=recipient.phone if keep("phone") else None,
        address=recipient.address if keep("address") else None,
        age=age_on(born, on) if keep("age") and born is not None else None,
        target_groups=recipient.target_groups if keep("target_groups") else None,
        disability=recipient.disability if keep("disability") else None,
        health_notes=recipient.health_notes if keep("health_notes") else None,
        description=need.description if keep("description") and need else None,
    )


def plan_handovers(
    plan: MatchPlan,
    needs: Iterable[Need],
    recipients: Iterable[Recipient],
    *,
    policy: MatchPolicy | None = None,
) -> tuple[Handover, ...]:
    """Build the handover of every assignment in ``plan``, in the plan's order (方案交接单).

    ``policy`` must be the one the plan was made with: its ``purposes`` say what each role
    receives data for. Each handover is checked against the recipient's records on the
    plan's ``as_of``.

    Raises:
        MatchingError: A need or recipient is missing, or a basis is not in force.
    """
    purposes = (policy or MatchPolicy()).purposes
    by_need = {n.need_id: n for n in needs}
    by_recipient = {r.recipient_id: r for r in recipients}
    out = []
    for a in plan.assignments:
        need = by_need.get(a.need_id)
        recipient = None if need is None else by_recipient.get(need.recipient_id)
        if need is None or recipient is None:
            msg = f"need {a.need_id!r} or its recipient is not among those given"
            raise MatchingError(msg)
        out.append(
            handover(
                a, recipient, on=plan.as_of, need=need, purpose=purposes.get(a.role)
            )
        )
    return tuple(out)
