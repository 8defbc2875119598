"""Early warnings from pluggable rules (预警规则)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Annotated, Protocol

import attrs
from pydantic import Field

from wushe._types import Progress
from wushe.care._policy import VisitPolicy
from wushe.care._schedule import (
    RecipientCare,
    _as_moment,
    care_records,
)
from wushe.care._visits import IncidentReport, VisitRecord
from wushe.care._vocab import IncidentKind, VisitOutcome, WarningCode
from wushe.models import Recipient, WusheModel
from wushe.network import StationNetwork
from wushe.network._param import network_param

__all__ = [
    "CareWarning",
    "IncidentResponseRule",
    "MissedContactsRule",
    "OverdueVisitRule",
    "WarningRule",
    "default_rules",
    "warnings",
]

_log = logging.getLogger("wushe.care")
_PROGRESS_EVERY = 256

_TEMPLATES = {
    WarningCode.OVERDUE_VISIT: (
        "{who}已逾期{days}天未巡访（{tier}），自{since}起",
        "{who} has not been reached for {days} day(s) past the {tier} interval, since {since}",
    ),
    WarningCode.MISSED_CONTACTS: (
        "{who}连续{count}次未联系上，自{since}起",
        "{who} was not reached {count} times in a row, since {since}",
    ),
    WarningCode.INCIDENT_RESPONSE: (
        "{who}发生{trigger}后未在{hours}小时内联系，自{since}起",
        "{who} was not contacted within {hours} h of a {trigger_en}, since {since}",
    ),
}


@attrs.frozen(kw_only=True)
class CareWarning:
    """An early warning about one recipient (巡访预警).

    Says who (recipient id; the masked name only when asked for), why (a stable
    :class:`WarningCode` and a zh/en message), since when, and which station is responsible.
    """

    code: WarningCode
    """Stable reason code (预警代码)."""
    recipient_id: str
    """Whom it concerns (服务对象编号)."""
    community_id: str
    """The recipient's community (所在社区)."""
    station_id: str | None
    """Station responsible for the recipient's community, if known (责任站点)."""
    tier: str
    """Code of the recipient's tier (巡访等级)."""
    since: date
    """First day the condition held (预警起始日)."""
    days: int = 0
    """Days overdue, for overdue warnings (逾期天数)."""
    count: int = 0
    """Failed contacts in a row, for missed-contact warnings (连续未联系次数)."""
    hours: int = 0
    """The response time that was missed, for incident warnings (响应时限小时数)."""
    trigger: str = ""
    """What triggered an incident warning: an incident kind or ``"not_reached"`` (触发事件)."""
    recipient_name: str | None = None
    """The recipient's masked name, only when asked for (脱敏姓名)."""

    def message(self, lang: str = "zh") -> str:
        """Explain the warning in ``lang``, ``"zh"`` or ``"en"`` (预警说明)."""
        zh, en = _TEMPLATES[self.code]
        who = self.recipient_id
        if self.recipient_name is not None:
            who = f"{self.recipient_name}（{self.recipient_id}）"
        trigger_zh, trigger_en = _trigger_labels(self.trigger)
        return (zh if lang == "zh" else en).format(
            who=who,
            days=self.days,
            tier=self.tier,
            since=self.since.isoformat(),
            count=self.count,
            hours=self.hours,
            trigger=trigger_zh,
            trigger_en=trigger_en,
        )


def _trigger_labels(trigger: str) -> tuple[str, str]:
    if trigger == VisitOutcome.NOT_REACHED.value:
        return "未联系上", "failed contact"
    try:
        kind = IncidentKind(trigger)
    except ValueError:
        return trigger, trigger
    return kind.zh, kind.en


class WarningRule(Protocol):
    """A pluggable early-warning rule (预警规则).

    Any callable taking one recipient's :class:`RecipientCare` and the moment of the check
    and returning zero or more warnings fits.
    """

    def __call__(
        self, care: RecipientCare, as_of: datetime
    ) -> Iterable[CareWarning]:  # pragma: no cover - protocol
        """Return the warnings this rule raises for ``care`` (生成预警)."""
        ...


def _warning(care: RecipientCare, code: WarningCode, since: date) -> CareWarning:
    return CareWarning(
        code=code,
        recipient_id=care.due.recipient_id,
        community_id=care.due.community_id,
        station_id=care.due.station_id,
        tier=care.tier.code,
        since=since,
    )


class OverdueVisitRule(WusheModel):
    """Warn when the gap since the last contact exceeds the tier's interval (逾期预警).

    The warning appears exactly when the interval is exceeded: on the day after the due
    date, with ``since`` that day. A recipient never reached is measured from the
    assessment date.
    """

    grace_days: Annotated[int, Field(ge=0, le=60)] = 0
    """Extra days tolerated before warning (宽限天数)."""

    def __call__(self, care: RecipientCare, as_of: datetime) -> Iterable[CareWarning]:
        """Return an overdue warning when the regular visit is late (生成逾期预警)."""
        regular = care.regular_due_on
        late = (as_of.date() - regular).days
        if late <= self.grace_days:
            return ()
        warning = _warning(care, WarningCode.OVERDUE_VISIT, regular + timedelta(days=1))
        return (attrs.evolve(warning, days=late),)


class MissedContactsRule(WusheModel):
    """Warn after several failed contacts in a row since the last contact (失联预警)."""

    in_a_row: Annotated[int, Field(ge=1, le=100)] = 3
    """How many failed contacts in a row raise the warning (连续未联系次数)."""

    def __call__(self, care: RecipientCare, as_of: datetime) -> Iterable[CareWarning]:  # noqa: ARG002 - part of the rule signature
        """Return a warning when the last attempts all failed (生成失联预警)."""
        failed: list[VisitRecord] = []
        for attempt in reversed(care.attempts):
            if attempt.outcome is not VisitOutcome.NOT_REACHED:
                break
            failed.append(attempt)
        if len(failed) < self.in_a_row:
            return ()
        since = failed[-1].visited_at.date()
        warning = _warning(care, WarningCode.MISSED_CONTACTS, since)
        return (attrs.evolve(warning, count=len(failed)),)


class IncidentResponseRule(WusheModel):
    """Warn when an incident or failed contact is not followed up in time (应急响应预警).

    Applies to tiers with ``incident_response_hours`` (high-risk in the default policy):
    the first incident or failed contact after the last contact must be followed by a
    contact within that many hours.
    """

    def __call__(self, care: RecipientCare, as_of: datetime) -> Iterable[CareWarning]:
        """Return a warning when the follow-up deadline has passed (生成应急预警)."""
        respond_by = care.due.respond_by
        trigger = care.pending_trigger
        if respond_by is None or trigger is None or as_of <= respond_by:
            return ()
        label = (
            trigger.kind.value
            if isinstance(trigger, IncidentReport)
            else VisitOutcome.NOT_REACHED.value
        )
        warning = _warning(care, WarningCode.INCIDENT_RESPONSE, respond_by.date())
        return (
            attrs.evolve(
                warning,
                hours=care.tier.incident_response_hours or 0,
                trigger=label,
            ),
        )


def default_rules() -> tuple[WarningRule, ...]:
    """Return the built-in rules: overdue visit, 3 missed contacts, incident response (默认预警规则)."""
    return (OverdueVisitRule(), MissedContactsRule(), IncidentResponseRule())


def warnings(
    recipients: Iterable[Recipient],
    visits: Iterable[VisitRecord],
    policy: VisitPolicy | None = None,
    *,
    as_of: date | datetime,
    incidents: Iterable[IncidentReport] = (),
    network: StationNetwork | None = None,
    rules: Sequence[WarningRule] | None = None,
    with_names: bool = False,
    progress: Progress | None = None,
) -> tuple[CareWarning, ...]:
    """Run the early-warning rules over every covered recipient (巡访预警).

    Args:
        recipients: The recipients to check.
        visits: The visit log.
        policy: Tiers and rules; default :class:`VisitPolicy` (the local example).
        as_of: Moment of the check; a bare date means the end of that day.
        incidents: Incident reports.
        network: The station network; each warning then names the station responsible
            for the recipient's community.
        rules: Warning rules; default :func:`default_rules`.
        with_names: Add each recipient's *masked* name to the warnings.
        progress: Told the recipients checked, stage ``"care.warnings"``; see
            :class:`~wushe.Progress`.

    Returns:
        Warnings sorted by station, code, since and recipient id. Deterministic.

    Raises:
        TypeError: if ``network`` is not a :class:`~wushe.network.StationNetwork`.

    Complexity: O(R + V log V + I log I) plus the rules' own cost.
    """
    network_param(network, caller="warnings")
    chosen = default_rules() if rules is None else tuple(rules)
    moment = _as_moment(as_of)
    found: list[CareWarning] = []
    people = tuple(recipients)
    if progress is not None:
        progress("care.warnings", 0, len(people))
    for checked, care in enumerate(
        care_records(
            people,
            visits,
            policy,
            as_of=moment,
            incidents=incidents,
            network=network,
        ),
        start=1,
    ):
        if progress is not None and checked % _PROGRESS_EVERY == 0:
            progress("care.warnings", checked, len(people))
        for rule in chosen:
            for warning in rule(care, moment):
                if with_names:
                    warning = attrs.evolve(  # noqa: PLW2901 - refine the yielded value
                        warning, recipient_name=care.recipient.name.masked
                    )
                found.append(warning)
    found.sort(
        key=lambda w: (w.station_id or "", w.code.value, w.since, w.recipient_id)
    )
    if progress is not None:
        progress("care.warnings", len(people), len(people))
    counts = Counter(w.code.value for w in found)
    _log.info(
        "early warnings as of %s: %d raised, %d recipients checked (%s)",
        moment.date(),
        len(found),
        len(people),
        ", ".join(f"{code} {n}" for code, n in sorted(counts.items())) or "none",
    )
    return tuple(found)
