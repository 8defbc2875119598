"""Indicator actuals from a match plan (匹配成效指标)."""

from __future__ import annotations

from collections.abc import Callable, Collection

from wushe.evaluation._indicators import IndicatorActual
from wushe.matching import MatchPlan
from wushe.models import Period
from wushe.network import StationNetwork
from wushe.network._param import network_param

__all__ = ["match_actuals"]


def match_actuals(
    plan: MatchPlan,
    *,
    need_ids: Collection[str] | None = None,
    period: Period | None = None,
    network: StationNetwork | None = None,
) -> dict[str, IndicatorActual]:
    """Count needs met by a match plan as indicator actuals (需求满足指标).

    A need is *met* when at least one role was filled and none is left open, *partly met*
    when some roles were filled and some are open, and *unmet* when no role was filled.
    Restrict the count to a project's needs with ``need_ids``, and to the needs served in
    communities a built station of ``network`` covers with a network (one built from a
    street's stations counts that street's needs). Each actual lists the need ids it
    counted, so the report links back to the plan.

    Returns:
        ``needs.total``, ``needs.met``, ``needs.partly_met``, ``needs.unmet`` and
        ``needs.met_share`` (a ratio, with numerator and denominator for roll-ups).

    Raises:
        TypeError: if ``network`` is not a :class:`~wushe.network.StationNetwork`.

    Complexity: O(assignments + unmatched roles).
    """
    checked = network_param(network, caller="match_actuals")
    filled = {a.need_id for a in plan.assignments}
    open_ = {u.need_id for u in plan.unmatched}
    needs = filled | open_
    if need_ids is not None:
        needs &= frozenset(need_ids)
    if checked is not None:
        covered = _covered(checked)
        needs = {n for n in needs if covered(plan.linkage(n).community_id)}
    met = sorted(n for n in needs if n in filled and n not in open_)
    partly = sorted(n for n in needs if n in filled and n in open_)
    unmet = sorted(n for n in needs if n not in filled)
    everything = tuple(sorted(needs))

    def actual(
        name: str, ids: tuple[str, ...], value: float | None = None
    ) -> IndicatorActual:
        return IndicatorActual(
            indicator=name,
            value=float(len(ids)) if value is None else value,
            source="match",
            period=period,
            unit="个",
            record_ids=ids,
            observed_on=plan.as_of,
        )

    share = len(met) / len(everything) if everything else 0.0
    ratio = actual("needs.met_share", tuple(met), share)
    return {
        "needs.total": actual("needs.total", everything),
        "needs.met": actual("needs.met", tuple(met)),
        "needs.partly_met": actual("needs.partly_met", tuple(partly)),
        "needs.unmet": actual("needs.unmet", tuple(unmet)),
        "needs.met_share": IndicatorActual(
            indicator=ratio.indicator,
            value=ratio.value,
            source=ratio.source,
            period=period,
            unit="",
            record_ids=ratio.record_ids,
            numerator=float(len(met)),
            denominator=float(len(everything)),
            observed_on=plan.as_of,
        ),
    }


def _covered(network: StationNetwork) -> Callable[[str], bool]:
    """Whether a built station of the network covers a community (社区有站点覆盖)."""
    known = frozenset(c.community_id for c in network.dataset.communities)
    return lambda cid: cid in known and network.station_for_community(cid) is not None
