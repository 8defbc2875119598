"""The visit log and incident reports (巡访记录与突发事件)."""

from __future__ import annotations

from datetime import datetime

from wushe._types import Identifier, RecipientId, StationId, VolunteerId, WorkerId
from wushe.care._vocab import IncidentKind, VisitMethod, VisitOutcome
from wushe.models import WusheModel
from wushe.privacy import SensitiveText

__all__ = ["IncidentReport", "VisitRecord"]


class VisitRecord(WusheModel):
    """One entry of the care-visit log: one attempt to reach one recipient (巡访记录).

    A row with outcome ``contacted`` or ``incident`` is a visit (一人次); ``not_reached`` is a
    failed contact. Naive datetimes are local (Beijing) time.
    """

    visit_id: Identifier
    """Identifier within the log (巡访编号)."""
    recipient_id: RecipientId
    """Who was visited (服务对象)."""
    visited_at: datetime
    """When the visit or call took place (巡访时间)."""
    method: VisitMethod = VisitMethod.DOOR_VISIT
    """Door visit, phone, video, volunteer pairing … (巡访方式)."""
    outcome: VisitOutcome = VisitOutcome.CONTACTED
    """Contacted, not reached, or contacted and an incident found (巡访结果)."""
    worker_ids: frozenset[WorkerId] = frozenset()
    """Social workers who made the visit (巡访社工)."""
    volunteer_ids: frozenset[VolunteerId] = frozenset()
    """Volunteers who made the visit (巡访志愿者)."""
    station_id: StationId | None = None
    """Station that made and records the visit (记录站点)."""
    notes: SensitiveText | None = None
    """Observations, which may hold health details; masked by default (巡访情况)."""


class IncidentReport(WusheModel):
    """A major event in a recipient's life that calls for a prompt visit (突发事件报告).

    For tiers with an incident response time, a contact must follow within that many hours
    of ``occurred_at``.
    """

    incident_id: Identifier
    """Identifier within the log (事件编号)."""
    recipient_id: RecipientId
    """Whom it concerns (服务对象)."""
    kind: IncidentKind
    """Hospitalisation, bereavement, a fall … (事件类型)."""
    occurred_at: datetime
    """When it happened or became known (发生时间)."""
    reported_by: Identifier | None = None
    """Id of the worker, volunteer or station that reported it (报告人)."""
    notes: SensitiveText | None = None
    """Details, which may hold health information; masked by default (事件情况)."""
