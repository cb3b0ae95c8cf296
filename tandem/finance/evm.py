"""Earned value management (挣值分析, PMI's formulas) on plain numbers: no ORM, no Django.

    PV (planned value)   the budget of the work scheduled by the date, on the active baseline's dates
    EV (earned value)    the budget of the work done: each line's budget × its task's % complete
    AC (actual cost)     what was spent by the date
    CV = EV − AC          SV = EV − PV          CPI = EV / AC          SPI = EV / PV
    EAC (typical)  = BAC / CPI                     future work at today's cost efficiency
    EAC (atypical) = AC + (BAC − EV)               the overrun so far was a one-off; the rest goes to plan
    EAC (CPI×SPI)  = AC + (BAC − EV) / (CPI × SPI) schedule pressure costs money too
    ETC = EAC − AC        VAC = BAC − EAC        TCPI = (BAC − EV) / (BAC − AC)

BAC is the revised budget. Ratios are None when their denominator is zero (no cost yet, nothing planned yet);
the EACs that need a ratio fall back to None with it. A line's budget is planned evenly over its baseline task's
calendar days from start to finish (a line with no task, or a task missing from the baseline, over the whole
baseline's span).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
RATIO = Decimal("0.0001")


def _fen(value: Decimal) -> Decimal:
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (numerator / denominator).quantize(RATIO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Planned:
    """A budget amount planned from `start` to `finish` (dates inclusive) and how much of it is done."""

    amount: Decimal
    start: date | None
    finish: date | None
    percent_complete: Decimal = ZERO  # 0–100


def planned_value(items: Iterable[Planned], as_of: date) -> Decimal:
    """The budget scheduled to be done by the end of `as_of`, spread evenly over each item's calendar days."""
    total = Decimal(0)
    for item in items:
        if item.start is None or item.finish is None:
            continue
        if as_of >= item.finish:
            total += item.amount
        elif as_of >= item.start:
            days = (item.finish - item.start).days + 1
            total += item.amount * ((as_of - item.start).days + 1) / days
    return _fen(total)


def earned_value(items: Iterable[Planned]) -> Decimal:
    """The budget of the work done: Σ amount × % complete."""
    return _fen(sum((item.amount * item.percent_complete / 100 for item in items), Decimal(0)))


@dataclass(frozen=True)
class EarnedValue:
    bac: Decimal
    pv: Decimal
    ev: Decimal
    ac: Decimal
    cv: Decimal
    sv: Decimal
    cpi: Decimal | None
    spi: Decimal | None
    eac_typical: Decimal | None
    eac_atypical: Decimal
    eac_combined: Decimal | None
    etc: Decimal | None
    vac: Decimal | None
    tcpi: Decimal | None

    def as_dict(self) -> dict[str, str | None]:
        """JSON-safe: every figure as a string (None stays None)."""
        return {k: (None if v is None else str(v)) for k, v in self.__dict__.items()}


def indices(*, bac: Decimal, pv: Decimal, ev: Decimal, ac: Decimal) -> EarnedValue:
    """Every earned-value figure from the four inputs; ETC and VAC follow the typical EAC (BAC / CPI).

    CPI, SPI and TCPI are shown to four places; the EACs are worked out from the exact ratios and rounded once,
    to the fen."""
    cpi = _ratio(ev, ac)
    spi = _ratio(ev, pv)
    # The EACs divide by the exact indices, not by the four-place ones shown: BAC / CPI = BAC × AC / EV, and
    # CPI × SPI = EV² / (AC × PV). Dividing by the rounded CPI would be off by up to a few yuan per 100,000.
    eac_typical = _fen(bac * ac / ev) if ev and ac else None
    eac_atypical = ac + bac - ev
    eac_combined = _fen(ac + (bac - ev) * ac * pv / (ev * ev)) if ev and ac and pv else None
    return EarnedValue(
        bac=bac,
        pv=pv,
        ev=ev,
        ac=ac,
        cv=ev - ac,
        sv=ev - pv,
        cpi=cpi,
        spi=spi,
        eac_typical=eac_typical,
        eac_atypical=eac_atypical,
        eac_combined=eac_combined,
        etc=eac_typical - ac if eac_typical is not None else None,
        vac=bac - eac_typical if eac_typical is not None else None,
        tcpi=_ratio(bac - ev, bac - ac),
    )


def month_ends(first: date, last: date) -> list[date]:
    """The last day of every month from `first`'s month to `last`'s month."""
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass(frozen=True)
class CurvePoint:
    """One month end of the S-curve: planned value (cumulative) and actual cost (cumulative, None in the future)."""

    month_end: date
    planned: Decimal
    actual: Decimal | None


def s_curve(items: list[Planned], costs: Iterable[tuple[date, Decimal]], today: date) -> list[CurvePoint]:
    """Cumulative planned value and actual cost per month end over the plan's span and the costs' dates."""
    costs = sorted(costs)
    dates = [d for item in items for d in (item.start, item.finish) if d] + [d for d, _ in costs]
    if not dates:
        return []
    points, spent, i = [], Decimal(0), 0
    for end in month_ends(min(dates), max(dates)):
        while i < len(costs) and costs[i][0] <= end:
            spent += costs[i][1]
            i += 1
        past = end - timedelta(days=end.day - 1) <= today
        points.append(CurvePoint(end, planned_value(items, end), spent if past else None))
    return points
