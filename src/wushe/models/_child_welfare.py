"""Child-welfare posts: village 儿童主任 and township 儿童督导员 (儿童福利工作队伍).

Every village or community has a child-welfare director (儿童主任) and every township or
street a child-welfare supervisor (儿童督导员); they check households and keep the children's
registers (一人一表，两表一册). A post names the role, the worker who holds it and the place
it covers, so :func:`wushe.network.child_welfare_coverage` can list the places without one.
"""

from __future__ import annotations

from datetime import date

from pydantic import model_validator

from wushe._types import CommunityId, Identifier, WorkerId
from wushe.codes import DivisionCode
from wushe.models._base import WusheModel
from wushe.models._history import check_span, in_span
from wushe.vocab import ChildWelfareRole

__all__ = ["ChildWelfarePost"]


class ChildWelfarePost(WusheModel):
    """A worker appointed 儿童主任 of a community or 儿童督导员 of a township (儿童福利岗位).

    A director covers ``community_id``; a supervisor covers the township or street whose
    9-digit code is ``division_code``.
    """

    post_id: Identifier
    """Identifier within the dataset (岗位编号)."""
    role: ChildWelfareRole
    """儿童主任 or 儿童督导员 (岗位)."""
    worker_id: WorkerId
    """The worker who holds the post, often a community worker (任职人员)."""
    community_id: CommunityId | None = None
    """For a 儿童主任: the community or village covered (所在村居)."""
    division_code: DivisionCode | None = None
    """For a 儿童督导员: the township or street covered (所在乡镇街道)."""
    since: date | None = None
    """Appointment date (任职日期)."""
    until: date | None = None
    """Last day in the post; ``None`` while held (离任日期)."""

    @model_validator(mode="after")
    def _place_fits_role(self) -> ChildWelfarePost:
        if self.role is ChildWelfareRole.DIRECTOR:
            if self.community_id is None or self.division_code is not None:
                msg = "a 儿童主任 post names community_id and no division_code"
                raise ValueError(msg)
        elif self.division_code is None or len(self.division_code) != 9:
            msg = "a 儿童督导员 post names the 9-digit division_code of its township"
            raise ValueError(msg)
        check_span(self.since, self.until)
        return self

    def held_on(self, day: date) -> bool:
        """Whether the post was held on ``day`` (当日在岗)."""
        return in_span(self.since, self.until, day)
