"""Account health maths, pure: no ORM. Each factor's value becomes points from 0 (bad) to 1 (good) on a fixed
scale; the score is the weighted mean of the points, 0–100. docs/feedback.md "Health score" gives the scales.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

NEUTRAL = 0.5
# NPS: −100 → 0 points, 0 → 0.5, +100 → 1 (no answers: neutral).
# Service requests: each open high-priority request costs 0.25, each urgent one 0.5.
REQUEST_COST = {"high": 0.25, "urgent": 0.5}
# Follow-up: full points up to 14 days since the last one, none from 90 days (or never).
RECENCY_FRESH_DAYS = 14
RECENCY_STALE_DAYS = 90
# Delay: full points on time, none from 30 days late.
DELAY_MAX_DAYS = 30


@dataclass(frozen=True)
class Factor:
    key: str
    value: float | int | str | None
    points: float
    weight: int
    detail: str

    def as_json(self) -> dict:
        return asdict(self)


def _round(value: float, places: str = "0.01") -> float:
    return float(Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP))


def _clamp(value: float) -> float:
    return _round(min(1.0, max(0.0, value)))


def nps_points(nps: int | None) -> float:
    """The account's NPS −100…100 mapped onto 0…1; no answers yet is neutral."""
    if nps is None:
        return NEUTRAL
    return _clamp((nps + 100) / 200)


def request_points(*, high: int, urgent: int) -> float:
    """Open high-priority and urgent service requests: 1 with none, less for each, never below 0."""
    return _clamp(1 - high * REQUEST_COST["high"] - urgent * REQUEST_COST["urgent"])


def receivable_points(*, overdue: Decimal, due: Decimal) -> float:
    """The share of what fell due that is still unpaid: nothing due or all paid → 1, all of it overdue → 0."""
    if due <= 0:
        return 1.0
    return _clamp(1 - float(overdue / due))


def recency_points(days: int | None) -> float:
    """Days since the last follow-up: full up to 14, falling to 0 at 90; never followed up → 0."""
    if days is None:
        return 0.0
    if days <= RECENCY_FRESH_DAYS:
        return 1.0
    return _clamp(1 - (days - RECENCY_FRESH_DAYS) / (RECENCY_STALE_DAYS - RECENCY_FRESH_DAYS))


def delay_points(days_late: int | None) -> float:
    """The most days any current project runs late: on time (or none running) → 1, 30 days or more → 0."""
    if not days_late:
        return 1.0
    return _clamp(1 - days_late / DELAY_MAX_DAYS)


def health_score(factors: list[Factor]) -> int:
    """round(100 × Σ(points × weight) / Σ weight), halves up; 0 weights → the plain mean."""
    total = sum(f.weight for f in factors)
    if not factors:
        return 0
    if total <= 0:
        value = 100 * sum(Decimal(str(f.points)) for f in factors) / len(factors)
    else:
        value = 100 * sum(Decimal(str(f.points)) * f.weight for f in factors) / total
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
