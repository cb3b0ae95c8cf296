"""The priority score of a resource conflict: how much it matters that this overload is fixed first.

Plain data in, plain data out. Each factor is a number from 0 to 1:

* tier — the customer's tier weight (VIP 100 … C 20 by default, per tenant) / 100;
* priority — the project's priority / 1000;
* float — 1 for a critical task (no total float), falling linearly to 0 at `FLOAT_HORIZON` working days;
* urgency — 1 for work starting today or earlier, falling linearly to 0 at `URGENCY_HORIZON` days ahead;
* overload — the peak load above capacity: 0 at 100 %, 1 at 200 % or more (or a day with no capacity at all).

score = Σ weight × factor / Σ weight × 100, from 0 to 100. A conflict takes the score of its most exposed task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tandem.resources.models.conflicts import DEFAULT_SCORE_WEIGHTS, DEFAULT_TIER_WEIGHTS, SCORE_FACTORS

FLOAT_HORIZON = 10  # working days of float at which float stops mattering
URGENCY_HORIZON = 30  # days ahead at which closeness stops mattering


@dataclass(frozen=True)
class Exposure:
    """One task in an overload: what the score is computed from."""

    task_id: int
    tier: str  # the customer's tier ("" without a customer)
    priority: int  # the project's priority, 0–1000
    float_days: float | None  # total float in working days; None when unscheduled
    starts: date  # when the task (or the overload, if later) starts


def factors(exposure: Exposure, peak_percent: int, today: date, tier_weights: dict) -> dict[str, float]:
    return _factors(exposure, today, tier_weights, _overload(peak_percent))


def _overload(peak_percent: int) -> float:
    """The overload factor, the same for every task of a conflict."""
    return round(min(1.0, max(0.0, (peak_percent - 100) / 100)), 4)


def _factors(exposure: Exposure, today: date, tier_weights: dict, overload: float) -> dict[str, float]:
    tier = tier_weights.get(exposure.tier, tier_weights.get("", DEFAULT_TIER_WEIGHTS[""]))
    slack = exposure.float_days
    float_factor = 1.0 if slack is None or slack <= 0 else max(0.0, 1 - slack / FLOAT_HORIZON)
    ahead = (exposure.starts - today).days
    return {
        "tier": min(1.0, max(0.0, float(tier) / 100)),
        "priority": min(1.0, max(0.0, exposure.priority / 1000)),
        "float": round(float_factor, 4),
        "urgency": round(1.0 if ahead <= 0 else max(0.0, 1 - ahead / URGENCY_HORIZON), 4),
        "overload": overload,
    }


def score(parts: dict[str, float], weights: dict) -> float:
    """The weighted mean of the factors, 0–100."""
    total = sum(max(0, float(weights.get(key, 0))) for key in SCORE_FACTORS) or 1
    value = sum(max(0, float(weights.get(key, 0))) * parts[key] for key in SCORE_FACTORS)
    return round(value * 100 / total, 2)


def formula(weights: dict) -> str:
    """The formula as shown on a warning, with the tenant's weights."""
    used = {key: weights.get(key, DEFAULT_SCORE_WEIGHTS[key]) for key in SCORE_FACTORS}
    total = sum(used.values()) or 1
    terms = " + ".join(f"{used[key]}×{key}" for key in SCORE_FACTORS)
    return f"({terms}) / {total} × 100"


def most_exposed(
    exposures: list[Exposure], peak_percent: int, today: date, tier_weights: dict, weights: dict
) -> tuple[Exposure, dict[str, float], float] | None:
    """The task whose overload matters most, with its factors and score; ties go to the earlier start, then id."""
    best = None
    used = [(key, max(0, float(weights.get(key, 0)))) for key in SCORE_FACTORS]  # `score`'s weights, read once
    total = sum(weight for _key, weight in used) or 1
    overload = _overload(peak_percent)
    for exposure in exposures:
        parts = _factors(exposure, today, tier_weights, overload)
        value = round(sum(weight * parts[key] for key, weight in used) * 100 / total, 2)
        key = (-value, exposure.starts, exposure.task_id)
        if best is None or key < best[0]:
            best = (key, exposure, parts, value)
    return None if best is None else best[1:]
