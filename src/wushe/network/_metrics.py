"""Roll-up metrics: what is counted from a ledger row and how it aggregates (统计指标)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from decimal import Decimal

import attrs

from wushe.models import Activity
from wushe.vocab import ActivityType, BilingualEnum

__all__ = [
    "DISTINCT_RECIPIENTS",
    "PERSON_TIMES",
    "SERVED_PERSON_TIMES",
    "TRAINED_PERSON_TIMES",
    "Aggregation",
    "Metric",
    "ledger_metrics",
    "output",
    "person_times",
    "sessions",
]


class Aggregation(BilingualEnum):
    """How a metric combines across stations and periods (汇总方式).

    Declared per metric, because the right way differs: sessions and attendances add up;
    distinct people do not (a person served by two rooms is one person at the street);
    a rate is the ratio of the summed numerator to the summed denominator, never a mean
    of the stations' rates.
    """

    SUM = "sum", "求和"
    DISTINCT_COUNT = "distinct_count", "去重计数"
    RATIO_OF_SUMS = "ratio_of_sums", "和之比"


def _no_value(_: Activity) -> int | Decimal:
    return 0


def _no_keys(_: Activity) -> Iterable[Hashable]:
    return ()


@attrs.frozen(kw_only=True)
class Metric:
    """One statistic of the activity ledger and its aggregation (统计指标).

    Build one with :meth:`sum`, :meth:`distinct_count` or :meth:`ratio_of_sums`; other
    engines (care visits, evaluation indicators) plug their own metrics into
    :func:`wushe.network.rollup` this way.

        >>> from wushe.vocab import ActivityType
        >>> hours = Metric.sum(
        ...     "volunteer_hours", "志愿服务时长", lambda a: a.person_times * 2, unit="小时"
        ... )
        >>> hours.aggregation.zh
        '求和'
    """

    name: str
    """Stable English name, e.g. ``"group_activity.sessions"`` (指标代号)."""
    zh: str
    """Chinese label, e.g. ``"小组活动场次"`` (指标名称)."""
    aggregation: Aggregation
    """How values combine across stations (汇总方式)."""
    unit: str = ""
    """Unit, e.g. ``"场"`` or ``"人次"`` (单位)."""
    value: Callable[[Activity], int | Decimal] = attrs.field(
        default=_no_value, eq=False
    )
    """For a sum: the amount one ledger row contributes (单条取值)."""
    keys: Callable[[Activity], Iterable[Hashable]] = attrs.field(
        default=_no_keys, eq=False
    )
    """For a distinct count: the keys one ledger row contributes (去重键)."""
    numerator: Metric | None = None
    """For a ratio: the summed metric on top (分子)."""
    denominator: Metric | None = None
    """For a ratio: the summed metric below (分母)."""

    def __attrs_post_init__(self) -> None:
        is_ratio = self.aggregation is Aggregation.RATIO_OF_SUMS
        if is_ratio != (self.numerator is not None and self.denominator is not None):
            msg = (
                f"metric {self.name}: numerator and denominator go with a ratio of sums"
            )
            raise ValueError(msg)
        for part in (self.numerator, self.denominator):
            if part is not None and part.aggregation is not Aggregation.SUM:
                msg = (
                    f"metric {self.name}: a ratio's parts must be sums, not {part.name}"
                )
                raise ValueError(msg)

    @classmethod
    def sum(
        cls,
        name: str,
        zh: str,
        value: Callable[[Activity], int | Decimal],
        *,
        unit: str = "",
    ) -> Metric:
        """A metric that adds ``value(activity)`` over the ledger (求和指标)."""
        return cls(
            name=name, zh=zh, aggregation=Aggregation.SUM, value=value, unit=unit
        )

    @classmethod
    def distinct_count(
        cls,
        name: str,
        zh: str,
        keys: Callable[[Activity], Iterable[Hashable]],
        *,
        unit: str = "",
    ) -> Metric:
        """A metric that counts the distinct keys over the ledger (去重计数指标)."""
        return cls(
            name=name,
            zh=zh,
            aggregation=Aggregation.DISTINCT_COUNT,
            keys=keys,
            unit=unit,
        )

    @classmethod
    def ratio_of_sums(
        cls,
        name: str,
        zh: str,
        numerator: Metric,
        denominator: Metric,
        *,
        unit: str = "",
    ) -> Metric:
        """A metric that divides one summed metric by another (比率指标)."""
        return cls(
            name=name,
            zh=zh,
            aggregation=Aggregation.RATIO_OF_SUMS,
            numerator=numerator,
            denominator=denominator,
            unit=unit,
        )


def sessions(activity_type: ActivityType) -> Metric:
    """Sessions of one activity type, named ``"<type>.sessions"`` (场次).

    The name matches :class:`wushe.models.IndicatorTarget`'s convention, so a project's
    target ``"group_activity.sessions"`` is this metric's total.
    """

    def value(a: Activity) -> int:
        return a.sessions if a.activity_type is activity_type else 0

    return Metric.sum(
        f"{activity_type.value}.sessions", f"{activity_type.zh}场次", value, unit="场"
    )


def person_times(activity_type: ActivityType | None = None) -> Metric:
    """Attendances (服务人次), of one activity type or of all rows when ``None``."""
    if activity_type is None:
        return Metric.sum(
            "person_times", "服务人次", lambda a: a.person_times, unit="人次"
        )

    def value(a: Activity) -> int:
        return a.person_times if a.activity_type is activity_type else 0

    return Metric.sum(
        f"{activity_type.value}.person_times",
        f"{activity_type.zh}人次",
        value,
        unit="人次",
    )


def output(name: str, zh: str = "", *, unit: str = "") -> Metric:
    """The summed amount of an ``outputs`` quantity, e.g. books delivered (产出数量).

    Rows whose :class:`wushe.models.Quantity` is named ``name`` contribute their amount;
    the metric has the quantity's name, so a project target such as
    ``"volunteers_cultivated"`` reads straight off the roll-up.
    """

    def value(a: Activity) -> Decimal:
        return sum((q.amount for q in a.outputs if q.name == name), Decimal(0))

    return Metric.sum(name, zh or name, value, unit=unit)


PERSON_TIMES = person_times()
"""All attendances of the ledger, staff-facing rows included (服务人次)."""

SERVED_PERSON_TIMES = Metric.sum(
    "served_person_times",
    "服务群众人次",
    lambda a: 0 if a.activity_type.is_staff_facing else a.person_times,
    unit="人次",
)
"""Attendances of residents served: rows that are not staff-facing (服务群众人次).

Reports such as 金牛区's "全年共计服务群众24万余人次" count these; trainings, supervision and
meetings are counted apart (:data:`TRAINED_PERSON_TIMES`).
"""

TRAINED_PERSON_TIMES = Metric.sum(
    "trained_person_times",
    "培训督导人次",
    lambda a: a.person_times if a.activity_type.is_staff_facing else 0,
    unit="人次",
)
"""Attendances of staff and volunteers at trainings, supervision and meetings (培训督导人次)."""

DISTINCT_RECIPIENTS = Metric.distinct_count(
    "distinct_recipients", "服务对象人数", lambda a: a.recipient_ids, unit="人"
)
"""Registered recipients served, each counted once at every level (服务对象人数)."""

_LEDGER_METRICS: tuple[Metric, ...] = (
    sessions(ActivityType.CASE_SERVICE),
    sessions(ActivityType.GROUP_ACTIVITY),
    sessions(ActivityType.COMMUNITY_EVENT),
    sessions(ActivityType.VOLUNTEER_TRAINING),
    sessions(ActivityType.POLICY_PUBLICITY),
    sessions(ActivityType.SOCIAL_WORK_PUBLICITY),
    sessions(ActivityType.CARE_VISIT),
    sessions(ActivityType.SUPERVISION),
    sessions(ActivityType.PROJECT_EVALUATION),
    PERSON_TIMES,
    SERVED_PERSON_TIMES,
    TRAINED_PERSON_TIMES,
    person_times(ActivityType.CARE_VISIT),
    DISTINCT_RECIPIENTS,
)


def ledger_metrics() -> tuple[Metric, ...]:
    """The counts civil-affairs reports publish, the default of :func:`wushe.network.rollup` (台账统计指标).

    Sessions of 个案、小组、社区活动、志愿者培训、政策宣传、社工主题宣传、巡访、督导 and 项目评估,
    then 服务人次
    (all rows), 服务群众人次 (residents served) and 培训督导人次 (staff-facing rows) apart,
    巡访人次 and the number of distinct recipients served.
    """
    return _LEDGER_METRICS
