"""A project's recommended priority (0–1000, as in MS Project): how much its work should come first when people
are short. Plain data in, plain data out.

Each factor is a number from 0 to 1:

* tier — the customer's tier weight (VIP 100 … C 20 by default, per tenant) / 100; no customer counts as "";
* value — the customer's lifetime value (signed and completed contracts) against `VALUE_HALF`:
  value / (value + VALUE_HALF), so 1,000,000 counts 0.5 and it never reaches 1;
* health — an unhappy customer is not kept waiting: 1 − health score / 100 (0.5 without a score);
* margin — (revenue − cost) / revenue of the project, revenue its contract's amount (else its budget), cost the
  planned cost of its allocations (else its budget when a contract gives the revenue); 0.5 when unknown.

priority = round(1000 × Σ weight × factor / Σ weight).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tandem.resources.models.conflicts import DEFAULT_TIER_WEIGHTS

FACTORS = ("tier", "value", "health", "margin")
WEIGHTS = {"tier": 40, "value": 25, "health": 15, "margin": 20}
VALUE_HALF = Decimal(1_000_000)  # the lifetime value that counts half
NEUTRAL = 0.5  # a factor nothing is known about


@dataclass(frozen=True)
class Inputs:
    tier: str = ""  # the customer's tier ("" without a customer)
    lifetime_value: Decimal = Decimal(0)
    health: int | None = None  # 0–100, None when the customer has no health score
    revenue: Decimal | None = None
    cost: Decimal | None = None


@dataclass(frozen=True)
class Priority:
    value: int  # 0–1000
    parts: dict[str, float]  # factor → 0–1
    weights: dict[str, int]
    inputs: Inputs
    formula: str  # the formula with the numbers, as shown on the project page

    def as_json(self) -> dict:
        return {
            "value": self.value,
            "parts": self.parts,
            "weights": self.weights,
            "formula": self.formula,
            "inputs": {
                "tier": self.inputs.tier,
                "lifetime_value": str(self.inputs.lifetime_value),
                "health": self.inputs.health,
                "revenue": None if self.inputs.revenue is None else str(self.inputs.revenue),
                "cost": None if self.inputs.cost is None else str(self.inputs.cost),
            },
        }


def _clamp(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 4)


def factors(inputs: Inputs, tier_weights: dict | None = None) -> dict[str, float]:
    tiers = tier_weights or DEFAULT_TIER_WEIGHTS
    tier = tiers.get(inputs.tier, tiers.get("", DEFAULT_TIER_WEIGHTS[""]))
    ltv = max(Decimal(0), inputs.lifetime_value or Decimal(0))
    margin = NEUTRAL
    if inputs.revenue and inputs.revenue > 0 and inputs.cost is not None:
        margin = float((inputs.revenue - inputs.cost) / inputs.revenue)
    return {
        "tier": _clamp(float(tier) / 100),
        "value": _clamp(float(ltv / (ltv + VALUE_HALF))),
        "health": NEUTRAL if inputs.health is None else _clamp(1 - inputs.health / 100),
        "margin": _clamp(margin),
    }


def recommend(inputs: Inputs, *, tier_weights: dict | None = None, weights: dict | None = None) -> Priority:
    used = {key: max(0, int((weights or WEIGHTS).get(key, WEIGHTS[key]))) for key in FACTORS}
    parts = factors(inputs, tier_weights)
    total = sum(used.values()) or 1
    value = round(1000 * sum(used[key] * parts[key] for key in FACTORS) / total)
    terms = " + ".join(f"{used[key]}×{parts[key]:.2f}" for key in FACTORS)
    names = " + ".join(f"{used[key]}×{key}" for key in FACTORS)
    text = f"1000 × ({names}) / {total} = 1000 × ({terms}) / {total} = {value}"
    return Priority(min(1000, max(0, value)), parts, used, inputs, text)
