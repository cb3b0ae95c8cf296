"""The budget view's arithmetic (costing.py) against hand-computed cases: every column, the three forecast
methods, totals, fen rounding, margin and grouping. Plain numbers: no database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.finance import costing
from tandem.finance.costing import AUTOMATIC, COLUMNS, LUMP_SUM, MANUAL, Figures, LineInputs

D = Decimal


def test_automatic_forecast_is_what_the_projected_budget_has_left():
    # 100,000 original − 5,000 transferred out + 12,000 approved → revised 107,000; + 3,000 pending → 110,000.
    # Cost: 60,000 committed + 15,000 direct + 8,000 pending → 83,000; 27,000 left to spend.
    f = costing.line_figures(
        LineInputs(
            original=D("100000.00"),
            modifications=D("-5000.00"),
            approved_changes=D("12000.00"),
            pending_changes=D("3000.00"),
            committed=D("60000.00"),
            direct=D("15000.00"),
            pending_cost=D("8000.00"),
        )
    )
    assert f.as_dict() == {
        "original": D("100000.00"),
        "modifications": D("-5000.00"),
        "approved_changes": D("12000.00"),
        "revised": D("107000.00"),
        "pending_changes": D("3000.00"),
        "projected_budget": D("110000.00"),
        "committed": D("60000.00"),
        "direct": D("15000.00"),
        "pending_cost": D("8000.00"),
        "projected_cost": D("83000.00"),
        "forecast_to_complete": D("27000.00"),
        "ecac": D("110000.00"),
        "over_under": D("0.00"),
    }
    assert not f.is_over


def test_automatic_forecast_is_floored_at_zero_and_the_line_shows_over_budget():
    # 50,000 budget; 48,000 committed + 7,500 direct = 55,500 spent or promised: nothing left, 5,500 over.
    f = costing.line_figures(LineInputs(original=D("50000.00"), committed=D("48000.00"), direct=D("7500.00")))
    assert f.revised == f.projected_budget == D("50000.00")
    assert f.projected_cost == D("55500.00")
    assert f.forecast_to_complete == D("0.00")
    assert f.ecac == D("55500.00")
    assert f.over_under == D("-5500.00")
    assert f.is_over


def test_pending_cost_counts_in_projected_cost_and_pending_changes_in_projected_budget():
    f = costing.line_figures(LineInputs(original=D("1000.00"), pending_changes=D("200.00"), pending_cost=D("1150.00")))
    assert f.revised == D("1000.00")  # pending changes are not revised budget yet
    assert f.projected_budget == D("1200.00")
    assert f.projected_cost == D("1150.00")
    assert f.forecast_to_complete == D("50.00")
    assert f.over_under == D("0.00")


def test_manual_forecast_is_taken_as_entered_and_may_show_an_overrun_before_any_cost_exceeds_the_budget():
    # 80,000 budget, 60,000 spent or promised; the PM expects 25,000 more (not the 20,000 left): 5,000 over.
    f = costing.line_figures(
        LineInputs(
            original=D("80000.00"),
            committed=D("50000.00"),
            direct=D("10000.00"),
            forecast_method=MANUAL,
            forecast_amount=D("25000.00"),
        )
    )
    assert f.projected_cost == D("60000.00")
    assert f.forecast_to_complete == D("25000.00")
    assert f.ecac == D("85000.00")
    assert f.over_under == D("-5000.00")


def test_lump_sum_forecast_of_zero_is_zero_not_the_remaining_budget():
    # The work is finished for 12,000 of a 30,000 budget: a lump sum of 0 frees the 18,000.
    f = costing.line_figures(
        LineInputs(original=D("30000.00"), direct=D("12000.00"), forecast_method=LUMP_SUM, forecast_amount=D("0.00"))
    )
    assert f.forecast_to_complete == D("0.00")
    assert f.ecac == D("12000.00")
    assert f.over_under == D("18000.00")
    assert not f.is_over


@pytest.mark.parametrize("method", [MANUAL, LUMP_SUM])
def test_manual_or_lump_sum_without_an_amount_falls_back_to_automatic(method):
    f = costing.line_figures(
        LineInputs(original=D("30000.00"), direct=D("12000.00"), forecast_method=method, forecast_amount=None)
    )
    assert f.forecast_to_complete == D("18000.00")
    assert f.ecac == D("30000.00")


def test_negative_changes_and_transfers_out_lower_the_revised_budget():
    f = costing.line_figures(
        LineInputs(original=D("20000.00"), modifications=D("-2500.50"), approved_changes=D("-1000.25"))
    )
    assert f.revised == D("16499.25")
    assert f.forecast_to_complete == D("16499.25")


def _lines():
    return [
        # under: automatic, 27,000 left
        costing.line_figures(
            LineInputs(original=D("100000.00"), committed=D("60000.00"), direct=D("13000.00"), pending_cost=D("0.00"))
        ),
        # over by 5,500 (automatic, floored)
        costing.line_figures(LineInputs(original=D("50000.00"), committed=D("48000.00"), direct=D("7500.00"))),
        # manual: over by 5,000
        costing.line_figures(
            LineInputs(
                original=D("80000.00"),
                committed=D("50000.00"),
                direct=D("10000.00"),
                forecast_method=MANUAL,
                forecast_amount=D("25000.00"),
            )
        ),
    ]


def test_totals_are_the_sum_of_the_lines_and_one_line_under_budget_does_not_hide_another_over():
    lines = _lines()
    t = costing.total(lines)
    for column in COLUMNS:
        assert getattr(t, column) == sum((getattr(f, column) for f in lines), D(0)), column
    assert t.original == t.revised == t.projected_budget == D("230000.00")
    assert t.projected_cost == D("188500.00")
    # Each line's own forecast: 27,000 + 0 + 25,000, not max(230,000 − 188,500, 0) = 41,500.
    assert t.forecast_to_complete == D("52000.00")
    assert t.ecac == D("240500.00")
    assert t.over_under == D("-10500.00")  # −5,500 − 5,000 + 0
    assert t.is_over


def test_total_of_nothing_is_zero_in_every_column():
    assert costing.total([]).as_dict() == dict.fromkeys(COLUMNS, D("0.00"))


def test_as_dict_keeps_the_view_order():
    assert list(Figures().as_dict()) == list(COLUMNS)
    assert set(costing.INPUT_COLUMNS) <= set(COLUMNS)


@pytest.mark.parametrize(
    ("quantity", "unit_price", "amount"),
    [
        ("3.333", "33.33", "111.09"),  # 111.08889
        ("0.5", "0.01", "0.01"),  # 0.005 half up (half even would give 0.00)
        ("2.5", "0.01", "0.03"),  # 0.025 half up (half even would give 0.02)
        ("1.005", "1.00", "1.01"),
        ("12.345", "1000.00", "12345.00"),
        ("0", "999.99", "0.00"),
        ("1250.000", "386.50", "483125.00"),  # 1,250 m² of ceiling at 386.50
    ],
)
def test_line_amount_is_quantity_times_unit_price_rounded_half_up_to_the_fen(quantity, unit_price, amount):
    assert costing.line_amount(D(quantity), D(unit_price)) == D(amount)
    assert costing.line_amount(quantity, unit_price) == D(amount)  # strings too
    assert costing.fen(D(quantity) * D(unit_price)) == D(amount)


def test_fen_rounding_is_per_line_and_the_total_is_the_sum_of_the_rounded_lines():
    # Three lines of 0.5 × 0.01 = 0.005 each: each line rounds to 0.01 and the total shows 0.03 — the sum of
    # what the lines show — not 0.02 (the unrounded 0.015 rounded once).
    amounts = [costing.line_amount("0.5", "0.01") for _ in range(3)]
    lines = [costing.line_figures(LineInputs(original=a)) for a in amounts]
    t = costing.total(lines)
    assert [f.original for f in lines] == [D("0.01")] * 3
    assert t.original == t.ecac == D("0.03")
    assert t.original != costing.fen(sum(D("0.5") * D("0.01") for _ in range(3)))


def test_margin_against_the_revised_contract_value():
    m = costing.margin(
        original_contract_value=D("1000000.00"), approved_contract_changes=D("50000.00"), ecac=D("980000.00")
    )
    assert m.contract_value == D("1050000.00")
    assert m.ecac == D("980000.00")
    assert m.amount == D("70000.00")
    assert m.percent == D("6.67")  # 6.666…


def test_negative_margin():
    m = costing.margin(original_contract_value=D("100000.00"), approved_contract_changes=D("0"), ecac=D("112500.00"))
    assert m.amount == D("-12500.00")
    assert m.percent == D("-12.50")


def test_margin_percent_rounds_half_up():
    # 0.02 of 400.00 is 0.005 %.
    m = costing.margin(original_contract_value=D("400.00"), approved_contract_changes=D("0"), ecac=D("399.98"))
    assert m.percent == D("0.01")


def test_margin_with_no_contract_value_has_an_amount_but_no_percent():
    m = costing.margin(original_contract_value=D("0.00"), approved_contract_changes=D("0.00"), ecac=D("5000.00"))
    assert m.contract_value == D("0.00")
    assert m.amount == D("-5000.00")
    assert m.percent is None


def test_a_deductive_prime_change_can_bring_the_contract_value_to_zero():
    m = costing.margin(original_contract_value=D("8000.00"), approved_contract_changes=D("-8000.00"), ecac=D("0"))
    assert m.contract_value == 0
    assert m.percent is None


@dataclass
class Row:
    code: str
    cost_type: str
    figures: Figures


def test_grouping_keeps_first_seen_order_and_subtotals_add_up_to_the_total():
    lines = _lines()
    rows = [
        Row("02.01", "labor", lines[0]),
        Row("01", "material", lines[1]),
        Row("02.01", "material", lines[2]),
        Row("01", "labor", costing.line_figures(LineInputs(original=D("999.99"), direct=D("0.01")))),
    ]
    by_code = costing.grouped(rows, key=lambda r: r.code)
    assert [g.key for g in by_code] == ["02.01", "01"]
    assert [[r.figures for r in g.lines] for g in by_code] == [[lines[0], lines[2]], [lines[1], rows[3].figures]]
    assert by_code[0].figures.original == D("180000.00")
    assert by_code[0].figures.over_under == D("-5000.00")
    assert by_code[1].figures.original == D("50999.99")
    assert by_code[1].figures.direct == D("7500.01")
    assert by_code[1].figures.over_under == D("-5500.00")

    by_type = costing.grouped(rows, key=lambda r: r.cost_type)
    assert [g.key for g in by_type] == ["labor", "material"]
    assert by_type[0].figures.original == D("100999.99")

    everything = costing.total(r.figures for r in rows)
    for groups in (by_code, by_type):
        assert costing.total(g.figures for g in groups) == everything


# Money in fen up to a hundred million yuan, signed where the column may be negative.
fen_amounts = st.integers(0, 10_000_000_000).map(lambda n: D(n).scaleb(-2))
signed_fen = st.integers(-1_000_000_000, 1_000_000_000).map(lambda n: D(n).scaleb(-2))


@st.composite
def line_inputs(draw):
    method = draw(st.sampled_from([AUTOMATIC, MANUAL, LUMP_SUM]))
    return LineInputs(
        original=draw(fen_amounts),
        modifications=draw(signed_fen),
        approved_changes=draw(signed_fen),
        pending_changes=draw(signed_fen),
        committed=draw(fen_amounts),
        direct=draw(fen_amounts),
        pending_cost=draw(fen_amounts),
        forecast_method=method,
        forecast_amount=None if method == AUTOMATIC else draw(st.one_of(st.none(), fen_amounts)),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(line_inputs(), max_size=30))
def test_property_totals_are_the_sum_of_lines_and_every_line_keeps_the_identities(inputs):
    lines = [costing.line_figures(i) for i in inputs]
    t = costing.total(lines)
    for column in COLUMNS:
        assert getattr(t, column) == sum((getattr(f, column) for f in lines), D(0))
        assert getattr(t, column) == costing.fen(getattr(t, column))  # still whole fen
    for i, f in zip(inputs, lines, strict=True):
        assert f.ecac == f.projected_cost + f.forecast_to_complete
        assert f.over_under == f.projected_budget - f.ecac
        assert f.forecast_to_complete >= 0 or i.forecast_method != AUTOMATIC
        if i.forecast_method == AUTOMATIC or i.forecast_amount is None:
            # Automatic: ECAC is the larger of budget and cost, so the line is never "under" by forecast alone.
            assert f.ecac == max(f.projected_budget, f.projected_cost)
            assert f.over_under == min(f.projected_budget - f.projected_cost, D(0))
    assert t.ecac == t.projected_cost + t.forecast_to_complete
    assert t.over_under == t.projected_budget - t.ecac


@settings(max_examples=200, deadline=None)
@given(
    st.integers(0, 10_000_000).map(lambda n: D(n).scaleb(-3)),
    st.integers(0, 100_000_000).map(lambda n: D(n).scaleb(-2)),
)
def test_property_line_amount_is_within_half_a_fen_of_the_exact_product(quantity, unit_price):
    amount = costing.line_amount(quantity, unit_price)
    assert amount == amount.quantize(D("0.01"))
    exact = quantity * unit_price
    assert abs(amount - exact) <= D("0.005")
    if abs(amount - exact) == D("0.005"):
        assert amount > exact  # the half goes up
