"""Open a case from a matched lead worker (匹配结果开案)."""

from __future__ import annotations

from datetime import date

from wushe.exceptions import MatchingError
from wushe.matching._plan import Assignment, MatchPlan, MatchRole
from wushe.models import Case, CasePhaseEntry, Need
from wushe.vocab import CasePhase

__all__ = ["open_case"]


def open_case(
    source: MatchPlan | Assignment,
    need: Need,
    *,
    case_id: str,
    opened_on: date,
    station_id: str | None = None,
) -> Case:
    """Open a case (接案) for ``need`` with the lead worker matching assigned (匹配开案).

    The case starts in 接案 on ``opened_on``, led by the assigned worker, for the need's
    recipient, category and household. Its station is ``station_id``, else the lowest
    station of the need's community in the plan (given when matching had a network).

    Args:
        source: The plan, or the lead-worker assignment itself.
        need: The need served.
        case_id: The new case's id (个案编号).
        opened_on: The intake date (接案日期).
        station_id: The station whose ledger keeps the case (所属站点).

    Raises:
        MatchingError: the plan has no lead worker for the need, the assignment is not a
            lead-worker assignment of this need, or no station is known.

    Examples:
        >>> from wushe import examples, match
        >>> from wushe.network import StationNetwork
        >>> ds = examples.load("qixinggang")
        >>> plan = match(ds.needs, ds, network=StationNetwork.from_dataset(ds))
        >>> need = next(n for n in ds.needs if plan.linkage(n.need_id).lead_worker_id)
        >>> case = open_case(plan, need, case_id="case-1", opened_on=date(2022, 4, 1))
        >>> case.phase.zh, case.worker_id == plan.linkage(need.need_id).lead_worker_id
        ('接案', True)
    """
    stations: tuple[str, ...] = ()
    if isinstance(source, MatchPlan):
        done, _ = source.for_need(need.need_id)
        lead = next((a for a in done if a.role is MatchRole.LEAD_SOCIAL_WORKER), None)
        if lead is None:
            msg = f"need {need.need_id!r} has no lead social worker in this plan"
            raise MatchingError(msg)
        stations = source.linkage(need.need_id).station_ids
    else:
        lead = source
        if (
            lead.role is not MatchRole.LEAD_SOCIAL_WORKER
            or lead.need_id != need.need_id
        ):
            msg = (
                f"assignment of {lead.role.value} for need {lead.need_id!r} cannot open "
                f"a case for need {need.need_id!r}: a lead-worker assignment is needed"
            )
            raise MatchingError(msg)
    station = station_id or (stations[0] if stations else None)
    if station is None:
        msg = (
            f"need {need.need_id!r}: no station is known for the case; pass station_id "
            "or match with a network"
        )
        raise MatchingError(msg)
    return Case(
        case_id=case_id,
        recipient_id=need.recipient_id,
        worker_id=lead.actor_id,
        station_id=station,
        phases=(CasePhaseEntry(phase=CasePhase.INTAKE, entered_on=opened_on),),
        category=need.category,
        need_id=need.need_id,
        household_id=need.household_id,
    )
