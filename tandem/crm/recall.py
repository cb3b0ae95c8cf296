"""When an owned account goes back to its public pool: a pure function over plain data, no ORM.

Two clocks run per account, counted in calendar days of the tenant's time zone:

* the follow-up clock starts at the later of the last follow-up and the claim (or assignment, or owner
  transfer: the day the owner got the account; its creation when it never changed hands) and recalls after
  N days;
* the won-deal clock starts at the later of the last won deal and that same day, and recalls after M days.

The account is recalled on the first day either clock runs out (exactly N days after its start: an account
last followed up on 1 March with N = 30 goes back on 31 March) and its owner is reminded K days before.
Locked accounts are never recalled; customers with a won deal and accounts with open deals are exempt when
the pool says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class RecallRule:
    no_follow_up_days: int | None
    no_won_deal_days: int | None
    reminder_days: int


@dataclass(frozen=True)
class Exemptions:
    won_customers: bool
    open_deals: bool


@dataclass(frozen=True)
class AccountClock:
    created_on: date
    claimed_on: date | None  # the day the current owner got the account: claim, assignment or transfer
    last_follow_up_on: date | None
    last_won_on: date | None
    locked: bool = False
    has_won_deal: bool = False
    has_open_deal: bool = False


NO_FOLLOW_UP = "no_follow_up"
NO_WON_DEAL = "no_won_deal"


@dataclass(frozen=True)
class RecallDue:
    on: date  # the day the account goes back to the pool
    reason: str  # NO_FOLLOW_UP or NO_WON_DEAL
    days: int  # the N or M of the rule that runs out first
    remind_on: date


def _later(*days: date | None) -> date | None:
    present = [d for d in days if d is not None]
    return max(present) if present else None


def recall_due(clock: AccountClock, rule: RecallRule | None, exemptions: Exemptions) -> RecallDue | None:
    """The day the account goes back and why, or None when no rule applies or it is exempt."""
    if rule is None or clock.locked:
        return None
    if exemptions.won_customers and clock.has_won_deal:
        return None
    if exemptions.open_deals and clock.has_open_deal:
        return None
    base = clock.claimed_on or clock.created_on
    candidates = []
    if rule.no_follow_up_days:
        start = _later(clock.last_follow_up_on, base)
        candidates.append((start + timedelta(days=rule.no_follow_up_days), NO_FOLLOW_UP, rule.no_follow_up_days))
    if rule.no_won_deal_days:
        start = _later(clock.last_won_on, base)
        candidates.append((start + timedelta(days=rule.no_won_deal_days), NO_WON_DEAL, rule.no_won_deal_days))
    if not candidates:
        return None
    on, reason, days = min(candidates)
    return RecallDue(on=on, reason=reason, days=days, remind_on=on - timedelta(days=rule.reminder_days))


def rule_for_tier(rules: dict[str, RecallRule], tier: str) -> RecallRule | None:
    """The pool's rule for this tier, else its rule for every tier (stored with an empty tier)."""
    return rules.get(tier) or rules.get("")
