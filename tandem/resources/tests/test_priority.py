"""The priority formula: plain numbers in, the value with its parts and formula out."""

from decimal import Decimal

from tandem.resources.priority import Inputs, recommend


def test_vip_customer_ranks_above_c_tier_and_the_formula_shows_the_numbers():
    vip = recommend(Inputs(tier="vip"))
    c = recommend(Inputs(tier="c"))
    assert vip.value > c.value
    assert vip.parts["tier"] == 1.0 and c.parts["tier"] == 0.2
    # Nothing else known: value 0, health and margin neutral.
    assert vip.parts == {"tier": 1.0, "value": 0.0, "health": 0.5, "margin": 0.5}
    assert vip.value == round(1000 * (40 * 1.0 + 25 * 0 + 15 * 0.5 + 20 * 0.5) / 100) == 575
    assert vip.formula.endswith("= 575") and "40×1.00" in vip.formula


def test_value_health_and_margin_each_move_the_priority():
    base = recommend(Inputs(tier="b"))
    rich = recommend(Inputs(tier="b", lifetime_value=Decimal(1_000_000)))
    unhappy = recommend(Inputs(tier="b", health=20))
    happy = recommend(Inputs(tier="b", health=95))
    thin = recommend(Inputs(tier="b", revenue=Decimal(100), cost=Decimal(95)))
    fat = recommend(Inputs(tier="b", revenue=Decimal(100), cost=Decimal(40)))
    assert rich.parts["value"] == 0.5 and rich.value > base.value
    assert unhappy.parts["health"] == 0.8 and unhappy.value > base.value > happy.value
    assert fat.parts["margin"] == 0.6 and thin.parts["margin"] == 0.05 and fat.value > thin.value
    # Loss-making work is not negative, a huge customer does not pass 1000.
    assert recommend(Inputs(tier="vip", revenue=Decimal(10), cost=Decimal(50))).parts["margin"] == 0
    top = recommend(Inputs(tier="vip", lifetime_value=Decimal(10**12), health=0, revenue=Decimal(1), cost=Decimal(0)))
    assert top.value == 1000


def test_tenant_tier_weights_are_used():
    assert recommend(Inputs(tier="c"), tier_weights={"c": 100, "": 10}).parts["tier"] == 1.0
    assert recommend(Inputs(tier=""), tier_weights={"vip": 100}).parts["tier"] == 0.1
