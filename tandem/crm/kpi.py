"""Sales figures as plain arithmetic, no ORM: percentiles of response times, target completion, month spans."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The value below which `fraction` of the values lie, interpolating between neighbours (the median is 0.5).

    Same definition as numpy's default ("linear"), so p90 of 1..10 is 9.1.
    """
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    if low == high:
        return float(ordered[low])
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def share(part: int, whole: int) -> float | None:
    """`part` of `whole` as a percentage with one decimal, or None when there is nothing to divide."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


def completion(actual: Decimal, target: Decimal | None) -> Decimal | None:
    """Actual against target in percent, one decimal (over 100 when the target is beaten); None without a target."""
    if not target:
        return None
    return (Decimal(actual) * 100 / Decimal(target)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def period_span(year: int, month: int) -> tuple[date, date]:
    """The first day of the period and the first day after it; month 0 is the whole year."""
    if month == 0:
        return date(year, 1, 1), date(year + 1, 1, 1)
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, 1), end
