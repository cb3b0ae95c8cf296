"""The budget view's arithmetic (Procore's budget columns) on plain numbers: no ORM, no Django.

Per budget line, from what the selectors summed:

    revised            = original + modifications + approved changes
    projected budget   = revised + pending changes
    projected cost     = committed + direct + pending cost
    forecast to complete: automatic = max(projected budget − projected cost, 0); manual and lump sum = as entered
    ECAC (estimated cost at completion) = projected cost + forecast to complete
    projected over/under = projected budget − ECAC (negative = over budget)

Every input is a `Decimal` in yuan with two places (fen); sums of such values stay exact, so a total always
equals the sum of its lines. Totals add the lines' columns, forecast included (each line's own forecast, so a
line under budget does not hide another one over it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
FEN = Decimal("0.01")

AUTOMATIC, MANUAL, LUMP_SUM = "automatic", "manual", "lump_sum"

# The budget view's columns, in the order it shows them.
COLUMNS = (
    "original",
    "modifications",
    "approved_changes",
    "revised",
    "pending_changes",
    "projected_budget",
    "committed",
    "direct",
    "pending_cost",
    "projected_cost",
    "forecast_to_complete",
    "ecac",
    "over_under",
)
# The columns that are inputs (summed from records); the others are derived.
INPUT_COLUMNS = (
    "original",
    "modifications",
    "approved_changes",
    "pending_changes",
    "committed",
    "direct",
    "pending_cost",
)


def fen(value) -> Decimal:
    """A money value rounded half up to the fen, the way the line amounts are stored."""
    return Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def line_amount(quantity, unit_price) -> Decimal:
    """Quantity × unit price in fen."""
    return fen(Decimal(quantity) * Decimal(unit_price))


@dataclass
class Figures:
    """The budget view's columns of one line (or a group, or the total)."""

    original: Decimal = ZERO
    modifications: Decimal = ZERO
    approved_changes: Decimal = ZERO
    revised: Decimal = ZERO
    pending_changes: Decimal = ZERO
    projected_budget: Decimal = ZERO
    committed: Decimal = ZERO
    direct: Decimal = ZERO
    pending_cost: Decimal = ZERO
    projected_cost: Decimal = ZERO
    forecast_to_complete: Decimal = ZERO
    ecac: Decimal = ZERO
    over_under: Decimal = ZERO

    def add(self, other: Figures) -> None:
        for name in COLUMNS:  # the columns are the fields (fields() per call would cost more than the sums)
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, Decimal]:
        return {name: getattr(self, name) for name in COLUMNS}

    @property
    def is_over(self) -> bool:
        return self.over_under < 0


@dataclass(frozen=True)
class LineInputs:
    """What one line's records add up to, and how its forecast is found."""

    original: Decimal = ZERO
    modifications: Decimal = ZERO
    approved_changes: Decimal = ZERO
    pending_changes: Decimal = ZERO
    committed: Decimal = ZERO
    direct: Decimal = ZERO
    pending_cost: Decimal = ZERO
    forecast_method: str = AUTOMATIC
    forecast_amount: Decimal | None = None


def line_figures(inputs: LineInputs) -> Figures:
    """The line's thirteen columns."""
    revised = inputs.original + inputs.modifications + inputs.approved_changes
    projected_budget = revised + inputs.pending_changes
    projected_cost = inputs.committed + inputs.direct + inputs.pending_cost
    if inputs.forecast_method == AUTOMATIC or inputs.forecast_amount is None:
        forecast = max(projected_budget - projected_cost, ZERO)
    else:
        forecast = inputs.forecast_amount
    ecac = projected_cost + forecast
    return Figures(
        original=inputs.original,
        modifications=inputs.modifications,
        approved_changes=inputs.approved_changes,
        revised=revised,
        pending_changes=inputs.pending_changes,
        projected_budget=projected_budget,
        committed=inputs.committed,
        direct=inputs.direct,
        pending_cost=inputs.pending_cost,
        projected_cost=projected_cost,
        forecast_to_complete=forecast,
        ecac=ecac,
        over_under=projected_budget - ecac,
    )


def total(figures: Iterable[Figures]) -> Figures:
    out = Figures()
    for f in figures:
        out.add(f)
    return out


@dataclass
class Group:
    """Lines grouped under one key (a cost code or a cost type) with their subtotal."""

    key: object
    lines: list = field(default_factory=list)
    figures: Figures = field(default_factory=Figures)


def grouped(rows: Iterable, key) -> list[Group]:
    """Rows (each with `.figures`) grouped by `key(row)` in first-seen order, each group with its subtotal."""
    groups: dict[object, Group] = {}
    for row in rows:
        k = key(row)
        group = groups.get(k)
        if group is None:
            group = groups[k] = Group(k)
        group.lines.append(row)
        group.figures.add(row.figures)
    return list(groups.values())


@dataclass(frozen=True)
class Margin:
    """The margin against the revised contract value: amount and percent (None when there is no contract value)."""

    contract_value: Decimal
    ecac: Decimal
    amount: Decimal
    percent: Decimal | None


def margin(*, original_contract_value: Decimal, approved_contract_changes: Decimal, ecac: Decimal) -> Margin:
    """Margin = revised contract value − ECAC; percent of the revised contract value, to two places."""
    contract_value = original_contract_value + approved_contract_changes
    amount = contract_value - ecac
    percent = (amount * 100 / contract_value).quantize(FEN, rounding=ROUND_HALF_UP) if contract_value else None
    return Margin(contract_value=contract_value, ecac=ecac, amount=amount, percent=percent)
