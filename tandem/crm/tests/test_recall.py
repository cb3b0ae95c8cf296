"""The recall dates as a pure function: both clocks, their starts, exemptions and the reminder day."""

from datetime import date

from tandem.crm.recall import NO_FOLLOW_UP, NO_WON_DEAL, AccountClock, Exemptions, RecallRule, recall_due, rule_for_tier

RULE = RecallRule(no_follow_up_days=30, no_won_deal_days=90, reminder_days=3)
NONE_EXEMPT = Exemptions(won_customers=False, open_deals=False)


def clock(**fields) -> AccountClock:
    fields.setdefault("created_on", date(2026, 1, 1))
    fields.setdefault("claimed_on", None)
    fields.setdefault("last_follow_up_on", None)
    fields.setdefault("last_won_on", None)
    return AccountClock(**fields)


def test_the_follow_up_clock_starts_at_the_later_of_last_follow_up_and_claim():
    after_follow_up = recall_due(
        clock(claimed_on=date(2026, 3, 1), last_follow_up_on=date(2026, 3, 10)), RULE, NONE_EXEMPT
    )
    assert after_follow_up.on == date(2026, 4, 9) and after_follow_up.reason == NO_FOLLOW_UP
    assert after_follow_up.remind_on == date(2026, 4, 6)
    # A follow-up logged before the account was claimed (by the previous owner) does not count.
    after_claim = recall_due(clock(claimed_on=date(2026, 3, 1), last_follow_up_on=date(2026, 2, 1)), RULE, NONE_EXEMPT)
    assert after_claim.on == date(2026, 3, 31)


def test_never_claimed_nor_followed_up_counts_from_creation():
    assert recall_due(clock(), RULE, NONE_EXEMPT).on == date(2026, 1, 31)


def test_the_won_deal_clock_runs_out_first_when_follow_ups_go_on():
    rule = RecallRule(no_follow_up_days=30, no_won_deal_days=60, reminder_days=5)
    due = recall_due(clock(claimed_on=date(2026, 1, 1), last_follow_up_on=date(2026, 2, 25)), rule, NONE_EXEMPT)
    assert (due.on, due.reason, due.days) == (date(2026, 3, 2), NO_WON_DEAL, 60)
    # A deal won later restarts that clock.
    later = recall_due(
        clock(claimed_on=date(2026, 1, 1), last_follow_up_on=date(2026, 2, 25), last_won_on=date(2026, 2, 20)),
        rule,
        NONE_EXEMPT,
    )
    assert (later.on, later.reason) == (date(2026, 3, 27), NO_FOLLOW_UP)


def test_a_rule_with_one_clock_only():
    only_won = RecallRule(no_follow_up_days=None, no_won_deal_days=45, reminder_days=2)
    assert recall_due(clock(), only_won, NONE_EXEMPT).reason == NO_WON_DEAL
    assert recall_due(clock(), None, NONE_EXEMPT) is None


def test_locked_accounts_are_never_due():
    assert recall_due(clock(locked=True), RULE, NONE_EXEMPT) is None


def test_won_customers_and_open_deals_are_exempt_only_when_switched_on():
    won = clock(has_won_deal=True, last_won_on=date(2026, 1, 5))
    assert recall_due(won, RULE, NONE_EXEMPT) is not None
    assert recall_due(won, RULE, Exemptions(won_customers=True, open_deals=False)) is None
    open_deal = clock(has_open_deal=True)
    assert recall_due(open_deal, RULE, Exemptions(won_customers=True, open_deals=False)) is not None
    assert recall_due(open_deal, RULE, Exemptions(won_customers=False, open_deals=True)) is None


def test_a_tier_rule_wins_over_the_rule_for_every_tier():
    every, vip = RecallRule(30, None, 3), RecallRule(60, None, 7)
    rules = {"": every, "vip": vip}
    assert rule_for_tier(rules, "vip") is vip
    assert rule_for_tier(rules, "c") is every
    assert rule_for_tier({"vip": vip}, "c") is None
