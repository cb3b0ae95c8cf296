"""Earned value (evm.py) against hand-computed cases: a textbook PMI example, a project ahead of plan, zero
denominators, planned value spread over calendar days, earned value, month ends and the S-curve. No database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.finance import evm
from tandem.finance.evm import CurvePoint, Planned

D = Decimal


def _fen(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def test_pmi_textbook_example_behind_schedule_and_over_cost():
    # The classic: BAC 100,000; by the status date 50,000 of work was planned, 40,000 was done, 45,000 was spent.
    r = evm.indices(bac=D("100000.00"), pv=D("50000.00"), ev=D("40000.00"), ac=D("45000.00"))
    assert r.cv == D("-5000.00")  # EV − AC
    assert r.sv == D("-10000.00")  # EV − PV
    assert r.cpi == D("0.8889")  # 40,000 / 45,000 = 0.88888…
    assert r.spi == D("0.8000")
    # EAC = BAC / CPI with the exact CPI: 100,000 × 45,000 / 40,000 = 112,500 (dividing by the shown 0.8889
    # would give 112,498.59).
    assert r.eac_typical == D("112500.00")
    assert r.eac_typical == _fen(r.bac * r.ac / r.ev)
    assert r.etc == D("67500.00")  # EAC − AC
    assert r.vac == D("-12500.00")  # BAC − EAC
    assert r.eac_atypical == D("105000.00")  # AC + (BAC − EV)
    # AC + (BAC − EV) / (CPI × SPI) = 45,000 + 60,000 / (0.8889 × 0.8) = 45,000 + 60,000 / 0.71111… = 129,375
    assert r.eac_combined == D("129375.00")
    assert r.tcpi == D("1.0909")  # (100,000 − 40,000) / (100,000 − 45,000) = 60 / 55
    assert r.bac == D("100000.00") and r.pv == D("50000.00") and r.ev == D("40000.00") and r.ac == D("45000.00")


def test_project_ahead_of_plan_and_under_cost():
    r = evm.indices(bac=D("200000.00"), pv=D("80000.00"), ev=D("90000.00"), ac=D("75000.00"))
    assert (r.cv, r.sv) == (D("15000.00"), D("10000.00"))
    assert (r.cpi, r.spi) == (D("1.2000"), D("1.1250"))
    assert r.eac_typical == D("166666.67")  # 200,000 / 1.2
    assert r.etc == D("91666.67")
    assert r.vac == D("33333.33")
    assert r.eac_atypical == D("185000.00")
    assert r.eac_combined == D("156481.48")  # 75,000 + 110,000 / 1.35
    assert r.tcpi == D("0.8800")  # 110,000 / 125,000


def test_eacs_are_within_a_fen_of_the_exact_formulas_where_the_indices_round():
    # CPI 7/9 and SPI 7/11 have no four-place form; the EACs still agree with the exact arithmetic to the fen.
    bac, pv, ev, ac = D("123456.78"), D("77000.00"), D("49000.00"), D("63000.00")
    r = evm.indices(bac=bac, pv=pv, ev=ev, ac=ac)
    assert r.cpi == D("0.7778") and r.spi == D("0.6364")
    assert r.eac_typical == _fen(bac / (ev / ac))
    assert r.eac_combined == _fen(ac + (bac - ev) / ((ev / ac) * (ev / pv)))
    assert r.etc == r.eac_typical - ac
    assert r.vac == bac - r.eac_typical


def test_no_cost_yet_leaves_cpi_and_the_eacs_that_need_it_empty():
    r = evm.indices(bac=D("100000.00"), pv=D("10000.00"), ev=D("5000.00"), ac=D("0.00"))
    assert r.cpi is None
    assert r.eac_typical is None and r.etc is None and r.vac is None and r.eac_combined is None
    assert r.spi == D("0.5000")
    assert r.eac_atypical == D("95000.00")  # needs no ratio
    assert r.cv == D("5000.00")
    assert r.tcpi == D("0.9500")


def test_nothing_planned_yet_leaves_spi_and_the_combined_eac_empty():
    r = evm.indices(bac=D("100000.00"), pv=D("0.00"), ev=D("0.00"), ac=D("2000.00"))
    assert r.spi is None
    assert r.cpi == D("0.0000")  # spending with nothing earned: a CPI of zero, not unknown
    assert r.eac_typical is None  # but no finite EAC from it
    assert r.eac_combined is None
    assert r.eac_atypical == D("102000.00")


def test_tcpi_is_empty_when_the_budget_is_spent():
    r = evm.indices(bac=D("50000.00"), pv=D("50000.00"), ev=D("45000.00"), ac=D("50000.00"))
    assert r.tcpi is None
    assert r.cpi == D("0.9000")


def test_empty_project_has_no_ratios():
    r = evm.indices(bac=D("0.00"), pv=D("0.00"), ev=D("0.00"), ac=D("0.00"))
    assert (r.cpi, r.spi, r.tcpi, r.eac_typical, r.eac_combined) == (None, None, None, None, None)
    assert r.eac_atypical == D("0.00")


def test_as_dict_is_json_safe():
    data = evm.indices(bac=D("100000.00"), pv=D("0"), ev=D("40000.00"), ac=D("45000.00")).as_dict()
    assert data["cpi"] == "0.8889"
    assert data["spi"] is None
    assert data["eac_typical"] == "112500.00"
    assert set(data) >= {"bac", "pv", "ev", "ac", "cv", "sv", "tcpi", "etc", "vac", "eac_atypical", "eac_combined"}


MARCH = Planned(D("3100.00"), date(2026, 3, 1), date(2026, 3, 31))  # 31 days → 100 a day


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 2, 28), "0.00"),  # before the start
        (date(2026, 3, 1), "100.00"),  # the start day counts
        (date(2026, 3, 15), "1500.00"),
        (date(2026, 3, 30), "3000.00"),
        (date(2026, 3, 31), "3100.00"),  # the finish day: all of it
        (date(2026, 4, 10), "3100.00"),  # after
    ],
)
def test_planned_value_is_spread_evenly_over_calendar_days(as_of, expected):
    assert evm.planned_value([MARCH], as_of) == D(expected)


def test_planned_value_rounds_the_sum_once_to_the_fen():
    third = Planned(D("1000.00"), date(2026, 1, 1), date(2026, 1, 3))
    assert evm.planned_value([third], date(2026, 1, 1)) == D("333.33")
    assert evm.planned_value([third], date(2026, 1, 2)) == D("666.67")
    # Two items a third done each: 666.666… rounds once, not 333.33 + 333.33.
    assert evm.planned_value([third, third], date(2026, 1, 1)) == D("666.67")


def test_planned_value_of_a_one_day_task_and_of_items_without_dates():
    one_day = Planned(D("500.00"), date(2026, 5, 6), date(2026, 5, 6))
    undated = Planned(D("9999.00"), None, None)
    half_dated = Planned(D("9999.00"), date(2026, 5, 1), None)
    items = [one_day, undated, half_dated]
    assert evm.planned_value(items, date(2026, 5, 5)) == D("0.00")
    assert evm.planned_value(items, date(2026, 5, 6)) == D("500.00")
    assert evm.planned_value(items, date(2027, 1, 1)) == D("500.00")


def test_planned_value_across_a_year_end():
    winter = Planned(D("6200.00"), date(2026, 12, 1), date(2027, 1, 31))  # 62 days
    assert evm.planned_value([winter], date(2026, 12, 31)) == D("3100.00")
    assert evm.planned_value([winter, MARCH], date(2027, 1, 31)) == D("9300.00")  # March 2026 long done
    assert evm.planned_value([winter, MARCH], date(2026, 3, 31)) == D("3100.00")


def test_earned_value_is_budget_times_percent_complete():
    items = [
        Planned(D("100000.00"), date(2026, 1, 1), date(2026, 6, 30), D("40")),
        Planned(D("50000.00"), date(2026, 3, 1), date(2026, 9, 30), D("12.5")),
        Planned(D("20000.00"), None, None, D("0")),
        Planned(D("8000.00"), date(2026, 1, 1), date(2026, 1, 31), D("100")),
    ]
    assert evm.earned_value(items) == D("54250.00")
    assert evm.earned_value([]) == D("0.00")
    assert evm.earned_value([Planned(D("333.33"), None, None, D("33.3"))]) == D("111.00")  # 110.99889


def test_month_ends_across_a_year_end_and_a_leap_february():
    assert evm.month_ends(date(2026, 11, 15), date(2027, 2, 3)) == [
        date(2026, 11, 30),
        date(2026, 12, 31),
        date(2027, 1, 31),
        date(2027, 2, 28),
    ]
    assert evm.month_ends(date(2028, 2, 1), date(2028, 2, 29)) == [date(2028, 2, 29)]
    assert evm.month_ends(date(2026, 6, 1), date(2026, 5, 31)) == []  # last before first's month
    assert evm.month_ends(date(2026, 5, 31), date(2026, 5, 31)) == [date(2026, 5, 31)]


def test_s_curve_is_cumulative_and_stops_the_actuals_at_today():
    items = [Planned(D("3000.00"), date(2026, 1, 1), date(2026, 3, 31))]  # 90 days
    costs = [
        (date(2026, 2, 20), D("800.00")),
        (date(2026, 1, 10), D("500.00")),  # out of order on purpose
        (date(2026, 1, 31), D("50.00")),  # on the month end itself
        (date(2026, 4, 5), D("100.00")),  # after the plan: the curve runs on to April
    ]
    curve = evm.s_curve(items, costs, today=date(2026, 2, 15))
    assert curve == [
        CurvePoint(date(2026, 1, 31), D("1033.33"), D("550.00")),  # 31/90 of 3,000
        CurvePoint(date(2026, 2, 28), D("1966.67"), D("1350.00")),  # the current month shows its actuals so far
        CurvePoint(date(2026, 3, 31), D("3000.00"), None),
        CurvePoint(date(2026, 4, 30), D("3000.00"), None),
    ]


def test_s_curve_of_nothing_is_empty_and_of_costs_only_is_flat_planned():
    assert evm.s_curve([], [], today=date(2026, 1, 1)) == []
    curve = evm.s_curve([], [(date(2026, 1, 5), D("10.00"))], today=date(2026, 6, 1))
    assert curve == [CurvePoint(date(2026, 1, 31), D("0.00"), D("10.00"))]


planned_items = st.lists(
    st.builds(
        lambda amount, start, days: Planned(D(amount).scaleb(-2), start, start + timedelta(days=days)),
        st.integers(0, 1_000_000_00),
        st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
        st.integers(0, 400),
    ),
    min_size=1,
    max_size=15,
)


@settings(max_examples=150, deadline=None)
@given(planned_items, st.lists(st.integers(-30, 1300), min_size=2, max_size=8))
def test_property_planned_value_is_monotone_and_ends_at_the_budget(items, offsets):
    first = min(i.start for i in items)
    last = max(i.finish for i in items)
    bac = sum((i.amount for i in items), D(0))
    days = sorted(first + timedelta(days=o) for o in offsets)
    values = [evm.planned_value(items, d) for d in days]
    assert values == sorted(values)
    assert all(D(0) <= v <= bac for v in values)
    assert evm.planned_value(items, first - timedelta(days=1)) == D("0.00")
    assert evm.planned_value(items, last) == bac
    assert evm.planned_value(items, last + timedelta(days=365)) == bac
    curve = evm.s_curve(items, [], today=last)
    assert curve[-1].planned == bac
    assert [p.planned for p in curve] == sorted(p.planned for p in curve)
