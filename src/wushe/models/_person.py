"""One person in several roles (一人多角色).

A recipient who joins a volunteer team (seed 001: 荆门's 社会救助对象 who became
volunteers of the 蓝天使 team), a community worker who is also a certified social worker
(seed 003: 九龙街道's 103 community workers with the certificate). Each role keeps its own
record; a :class:`PersonLink` ties the records together by id only, so no personal data is
copied, people are counted once and matching never pairs a person with themself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import model_validator

from wushe._types import PersonId, RecipientId, SortedFrozenSet, VolunteerId, WorkerId
from wushe.models._base import WusheModel

if TYPE_CHECKING:  # pragma: no cover
    from wushe.models._dataset import Dataset

__all__ = ["PersonIndex", "PersonLink", "count_people"]


class PersonLink(WusheModel):
    """The role records that belong to one person (人员身份关联).

    Holds ids only, never a name or an ID number. A link names at least two role
    records; the dataset checks that each exists and belongs to no other link.
    """

    person_id: PersonId
    """Identifier of the person within the dataset (人员编号)."""
    recipient_ids: SortedFrozenSet[RecipientId] = frozenset()
    """The person's recipient records (服务对象身份)."""
    volunteer_ids: SortedFrozenSet[VolunteerId] = frozenset()
    """The person's volunteer records (志愿者身份)."""
    worker_ids: SortedFrozenSet[WorkerId] = frozenset()
    """The person's social-worker records (社工身份)."""

    @model_validator(mode="after")
    def _two_roles_at_least(self) -> PersonLink:
        if len(self.recipient_ids) + len(self.volunteer_ids) + len(self.worker_ids) < 2:
            msg = "a person link names at least two role records"
            raise ValueError(msg)
        return self

    def role_keys(self) -> frozenset[tuple[str, str]]:
        """The linked records as ``(collection, id)`` pairs (关联记录)."""
        return frozenset(
            [("recipients", i) for i in self.recipient_ids]
            + [("volunteers", i) for i in self.volunteer_ids]
            + [("workers", i) for i in self.worker_ids]
        )


class PersonIndex:
    """Which person each role record belongs to, for counting people once (人员索引).

    A role record without a link is a person of its own.

        >>> index = PersonIndex([PersonLink(person_id="x", recipient_ids={"p1"},
        ...                                 volunteer_ids={"v1"})])
        >>> index.count(recipient_ids=["p1", "p2"], volunteer_ids=["v1"])
        2
        >>> index.same_person("recipients", "p1", "volunteers", "v1")
        True
    """

    __slots__ = ("_person",)

    def __init__(self, links: Iterable[PersonLink]) -> None:
        self._person: dict[tuple[str, str], str] = {}
        for link in links:
            for key in link.role_keys():
                self._person[key] = link.person_id

    @classmethod
    def from_dataset(cls, ds: Dataset) -> PersonIndex:
        """The index of a dataset's ``person_links`` (数据集人员索引)."""
        return cls(ds.person_links)

    def person_of(self, collection: str, record_id: str) -> tuple[str, str]:
        """A key standing for the person behind one role record (人员键)."""
        person = self._person.get((collection, record_id))
        return ("person", person) if person is not None else (collection, record_id)

    def same_person(
        self, collection: str, record_id: str, other: str, other_id: str
    ) -> bool:
        """Whether two role records belong to one person (是否同一人)."""
        return self.person_of(collection, record_id) == self.person_of(other, other_id)

    def people(
        self,
        *,
        recipient_ids: Iterable[str] = (),
        volunteer_ids: Iterable[str] = (),
        worker_ids: Iterable[str] = (),
    ) -> frozenset[tuple[str, str]]:
        """The distinct people behind the role records given (去重人员)."""
        return frozenset(
            [self.person_of("recipients", i) for i in recipient_ids]
            + [self.person_of("volunteers", i) for i in volunteer_ids]
            + [self.person_of("workers", i) for i in worker_ids]
        )

    def count(
        self,
        *,
        recipient_ids: Iterable[str] = (),
        volunteer_ids: Iterable[str] = (),
        worker_ids: Iterable[str] = (),
    ) -> int:
        """How many distinct people the role records stand for (去重人数)."""
        return len(
            self.people(
                recipient_ids=recipient_ids,
                volunteer_ids=volunteer_ids,
                worker_ids=worker_ids,
            )
        )


def count_people(ds: Dataset) -> int:
    """How many people a dataset's recipients, volunteers and workers are (人员去重计数).

    A person linked in several roles counts once, so a recipient who volunteers is one
    person, not two.
    """
    return PersonIndex.from_dataset(ds).count(
        recipient_ids=(r.recipient_id for r in ds.recipients),
        volunteer_ids=(v.volunteer_id for v in ds.volunteers),
        worker_ids=(w.worker_id for w in ds.workers),
    )
