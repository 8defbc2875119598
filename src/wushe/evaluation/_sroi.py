"""Social return on investment, as practised — not a standard (社会投资回报率，实践方法)."""

from __future__ import annotations

import attrs

__all__ = ["SroiResult", "sroi"]


@attrs.frozen(kw_only=True)
class SroiResult:
    """An SROI calculation, step by step (社会投资回报率计算结果).

    A *practice* figure following the SROI guide (Nicholls et al., 2012); no Chinese
    regulation prescribes it (DOMAIN.md §4.5). Report it beside the rubric score, never
    instead of it.
    """

    gross_value: float
    """Value of the outcomes per year before adjustments, CNY (年度成效价值)."""
    impact_per_year: tuple[float, ...]
    """Value per year after deadweight, attribution and drop-off, CNY (各年影响价值)."""
    present_value: float
    """Discounted sum of ``impact_per_year``, CNY (现值)."""
    investment: float
    """What was spent, CNY (投入)."""
    ratio: float
    """``present_value ÷ investment``: CNY of social value per CNY invested (投资回报率)."""


def sroi(
    value: float,
    investment: float,
    *,
    deadweight: float = 0.0,
    attribution: float = 0.0,
    drop_off: float = 0.0,
    years: int = 1,
    discount_rate: float = 0.0,
) -> SroiResult:
    """Compute a social return on investment ratio — practice, not standard (社会投资回报率).

    Steps (SROI guide, Nicholls et al. 2012):

    1. impact in year 1 = ``value`` * (1 - ``deadweight``) * (1 - ``attribution``):
       take away what would have happened anyway (无谓损失) and what others caused (归因);
    2. each later year keeps (1 - ``drop_off``) of the year before (衰减);
    3. discount year *t* (1-based) by (1 + ``discount_rate``)^t and add up (现值);
    4. ratio = present value ÷ ``investment``.

    Args:
        value: Monetised value of the outcomes in one year, CNY.
        investment: Total investment, CNY; positive.
        deadweight: Share that would have happened anyway, 0–1.
        attribution: Share caused by others, 0–1.
        drop_off: Share of the impact lost each year after the first, 0–1.
        years: Years the outcomes last, at least 1.
        discount_rate: Yearly discount rate, e.g. 0.035.

    Raises:
        ValueError: for a non-positive investment, shares outside 0–1 or fewer than one year.

    Examples:
        >>> result = sroi(500_000, 200_000, deadweight=0.2, attribution=0.25)
        >>> round(result.ratio, 2)
        1.5
    """
    if investment <= 0:
        msg = "investment must be positive"
        raise ValueError(msg)
    for name, share in (
        ("deadweight", deadweight),
        ("attribution", attribution),
        ("drop_off", drop_off),
    ):
        if not 0 <= share <= 1:
            msg = f"{name} must lie between 0 and 1"
            raise ValueError(msg)
    if years < 1:
        msg = "years must be at least 1"
        raise ValueError(msg)
    first = value * (1 - deadweight) * (1 - attribution)
    impacts = tuple(first * (1 - drop_off) ** t for t in range(years))
    present = sum(
        impact / (1 + discount_rate) ** (t + 1) for t, impact in enumerate(impacts)
    )
    return SroiResult(
        gross_value=value,
        impact_per_year=impacts,
        present_value=present,
        investment=investment,
        ratio=present / investment,
    )
