"""Small matching worlds: needs and actors with feasible and infeasible pairs mixed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import strategies as st
from pydantic import BaseModel

from tests.strategies import AS_OF, consent_records, full_consents, resident_id
from wushe.models import (
    CharitableResource,
    Community,
    Need,
    Recipient,
    Restriction,
    SocialOrganization,
    SocialWorker,
    TimeWindow,
    Volunteer,
)
from wushe.vocab import (
    Qualification,
    ResourceKind,
    ServiceCategory,
    TargetGroup,
)

DISTRICT = "420116"
CATEGORIES = (
    ServiceCategory.ELDERLY_CARE,
    ServiceCategory.CHILD_WELFARE,
    ServiceCategory.SOCIAL_ASSISTANCE,
)
DAY = datetime(2024, 7, 1, 9)
__all__ = ["AS_OF", "COMMUNITIES", "communities", "worlds"]
M = TypeVar("M", bound=BaseModel)


def _make(cls: type[M], **fields: Any) -> M:
    return cls.model_validate(fields)


def communities(n_streets: int = 2, per_street: int = 2) -> list[Community]:
    out = []
    for s in range(1, n_streets + 1):
        for c in range(1, per_street + 1):
            out.append(
                Community(
                    community_id=f"c{s}{c}",
                    name=f"社区{s}{c}",
                    division_code=f"{DISTRICT}{s:03d}{c:03d}",
                    adjacent_ids=tuple(
                        f"c{s}{k}" for k in (c - 1, c + 1) if 1 <= k <= per_street
                    ),
                )
            )
    return out


COMMUNITIES = communities()
CIDS = [c.community_id for c in COMMUNITIES]


@st.composite
def worlds(
    draw: st.DrawFn,
    *,
    max_needs: int = 5,
    max_actors: int = 3,
    resources: bool = True,
    windows: bool = True,
    random_consents: bool = False,
    categories: tuple[ServiceCategory, ...] = CATEGORIES,
) -> dict[str, Any]:
    """A dict with needs, actors, recipients and communities for ``match``.

    Recipients consent to every purpose, unless ``random_consents`` draws random consents,
    statutory bases, emergencies, withdrawals and expiries around ``AS_OF``. Needs and
    skills are drawn from ``categories``.
    """
    cats = st.sampled_from(categories)
    skills = st.frozensets(cats, min_size=1, max_size=2)
    workers = [
        _make(
            SocialWorker,
            worker_id=f"w{i}",
            name="王芳",
            qualification=draw(st.none() | st.sampled_from(list(Qualification))),
            home_community_id=draw(st.sampled_from(CIDS)),
            skills=draw(skills),
            caseload=draw(st.integers(0, 2)),
            availability=draw(st.sampled_from([(), _windows(0, 4)])) if windows else (),
        )
        for i in range(draw(st.integers(0, max_actors)))
    ]
    volunteers = [
        _make(
            Volunteer,
            volunteer_id=f"v{i}",
            name="李娜",
            birth_date=draw(st.sampled_from([date(1960, 1, 1), date(1990, 5, 5)])),
            home_community_id=draw(st.sampled_from(CIDS)),
            skills=draw(skills),
            vetted=draw(st.booleans()),
            capacity=draw(st.integers(0, 2)),
        )
        for i in range(draw(st.integers(0, max_actors)))
    ]
    organizations = [
        SocialOrganization(
            organization_id=f"o{i}",
            name=f"机构{i}",
            services=draw(skills),
            service_area=draw(
                st.sampled_from([frozenset(), frozenset({f"{DISTRICT}001"})])
            ),
            capacity=draw(st.integers(0, 2)),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    recipients = []
    needs = []
    for i in range(draw(st.integers(1, max_needs))):
        child = draw(st.booleans())
        born = date(2015, 3, 3) if child else date(1940, 2, 2)
        groups = (
            {draw(st.sampled_from([TargetGroup.LEFT_BEHIND_CHILD, TargetGroup.ORPHAN]))}
            if child
            else set(
                draw(
                    st.sets(
                        st.sampled_from(
                            [TargetGroup.ELDER_LIVING_ALONE, TargetGroup.DIBAO]
                        ),
                        max_size=1,
                    )
                )
            )
        )
        recipients.append(
            _make(
                Recipient,
                recipient_id=f"p{i}",
                name="张伟",
                community_id=draw(st.sampled_from(CIDS)),
                target_groups=frozenset(groups),
                id_number=resident_id(DISTRICT, born, i),
                assessed_on=AS_OF,
                consents=(
                    draw(consent_records(born))
                    if random_consents
                    else full_consents(guardian=child)
                ),
            )
        )
        roles: list[dict[str, Any]] = []
        if draw(st.booleans()):
            roles.append(
                {
                    "role": "lead_social_worker",
                    "min_qualification": draw(
                        st.none() | st.sampled_from(["assistant", "intermediate"])
                    ),
                }
            )
        if draw(st.booleans()):
            roles.append({"role": "volunteers", "count": draw(st.integers(1, 2))})
        if draw(st.booleans()):
            roles.append({"role": "social_organization"})
        if resources and draw(st.booleans()):
            roles.append(
                {
                    "role": "resource",
                    "resource_kind": "goods",
                    "amount": draw(
                        st.sampled_from([Decimal(1), Decimal(2), Decimal(3)])
                    ),
                    "unit": "份",
                }
            )
        if not roles:
            roles.append({"role": "lead_social_worker"})
        window = None
        if windows and draw(st.booleans()):
            start = DAY + timedelta(hours=draw(st.integers(0, 3)))
            window = {"start": start, "end": start + timedelta(hours=2)}
        needs.append(
            Need.model_validate(
                {
                    "need_id": f"n{i}",
                    "recipient_id": f"p{i}",
                    "category": draw(cats),
                    "roles": roles,
                    "urgency": draw(
                        st.sampled_from(["low", "medium", "high", "critical"])
                    ),
                    "raised_on": AS_OF - timedelta(days=draw(st.integers(0, 100))),
                    "window": window,
                }
            )
        )
    goods = []
    if resources:
        for i in range(draw(st.integers(0, 2))):
            restricted = draw(st.booleans())
            goods.append(
                CharitableResource(
                    resource_id=f"g{i}",
                    name="捐赠物资",
                    resource_kind=ResourceKind.GOODS,
                    unit="份",
                    total=Decimal(draw(st.integers(0, 5))),
                    restriction=(
                        Restriction(
                            purposes=frozenset({draw(cats)}),
                            excluded_recipient_ids=frozenset(
                                draw(st.sets(st.sampled_from(["p0", "p1"]), max_size=1))
                            ),
                        )
                        if restricted
                        else None
                    ),
                )
            )
    return {
        "needs": needs,
        "actors": [*workers, *volunteers, *organizations, *goods],
        "recipients": recipients,
        "communities": COMMUNITIES,
    }


def _windows(first: int, last: int) -> tuple[TimeWindow, ...]:
    return (
        TimeWindow(start=DAY + timedelta(hours=first), end=DAY + timedelta(hours=last)),
    )
