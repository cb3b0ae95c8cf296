"""Template helpers of the customer pages."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tandem.approvals.selectors.timelines import step_note
from tandem.core.templatetags.tandem import field_value
from tandem.crm.choices import ContractStatus, DealStatus, LeadStatus, MilestoneStatus

register = template.Library()


@register.filter
def money(value, places: int = 2) -> str:
    """An amount with thousands separators, the way Chinese offices write it: 1,234,567.00."""
    if value in (None, ""):
        return "—"
    try:
        return f"{Decimal(value):,.{int(places)}f}"
    except (InvalidOperation, ValueError, TypeError):
        return str(value)


CURRENCY_SIGNS = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$", "GBP": "£", "JPY": "¥"}


def _sign(currency: str) -> str:
    return CURRENCY_SIGNS.get(currency, f"{currency} ")


@register.filter
def money_sign(value, currency: str = "CNY") -> str:
    """An amount with its currency sign: ¥1,234,567.00."""
    return f"{_sign(currency)}{money(value)}"


@register.filter
def money_compact(value, currency: str = "CNY") -> str:
    """A short amount for headers and cards: ¥356.8万 / ¥1.25亿 in Chinese, ¥3.57M in English."""
    try:
        amount = Decimal(value or 0)
    except (InvalidOperation, ValueError, TypeError):
        return str(value)
    sign = _sign(currency)
    if (get_language() or "").startswith("zh"):
        steps = [(Decimal("1e8"), "亿"), (Decimal("1e4"), "万")]
    else:
        steps = [(Decimal("1e9"), "B"), (Decimal("1e6"), "M"), (Decimal("1e3"), "K")]
    for size, suffix in steps:
        if abs(amount) >= size:
            return f"{sign}{amount / size:,.2f}".rstrip("0").rstrip(".") + suffix
    return f"{sign}{amount:,.0f}"


@register.filter
def totals_compact(totals: list[dict]) -> str:
    """A kanban column's totals, one per currency: ¥356.8万 + $1.2万."""
    return " + ".join(money_compact(t["amount"], t["currency"]) for t in totals) or money_compact(0)


@register.filter
def can_do(access, code: str) -> bool:
    """`{% if access|can_do:"crm.change_deal" %}`: whether the caller's roles grant the permission."""
    return bool(access is not None and access.has_perm(code))


ACTIVITY_ICONS = {
    "call": "telephone",
    "visit": "geo-alt",
    "meeting": "people",
    "email": "envelope",
    "wechat": "chat-dots",
    "note": "journal-text",
    "task": "check2-square",
}


@register.filter
def activity_icon(kind: str) -> str:
    return ACTIVITY_ICONS.get(kind, "dot")


STATUS_CHOICES = {"crm.contract": ContractStatus, "crm.deal": DealStatus, "crm.lead": LeadStatus}


def register_status_choices(object_type: str, choices) -> None:
    """Let an upper app name the statuses of its records in timeline lines (`feedback.servicerequest`)."""
    STATUS_CHOICES[object_type] = choices


@register.filter
def change_note(entry) -> str:
    """What a recorded change says in a timeline line: an approval step, a stage move, a transfer's reason, a merge."""
    before, after = entry.before or {}, entry.after or {}
    if after.get("approval_step"):
        return step_note(after)
    if after.get("stage_name") and before.get("stage_name") and after["stage_name"] != before["stage_name"]:
        return f"{before['stage_name']} → {after['stage_name']}"
    if after.get("reason"):
        return _("Reason: %(reason)s") % {"reason": after["reason"]}
    if after.get("merged_from"):
        return _("Merged from #%(id)s") % {"id": after["merged_from"]}
    if after.get("status") and before.get("status") and after["status"] != before["status"]:
        choices = STATUS_CHOICES.get(entry.object_type)
        labels = dict(choices.choices) if choices else {}
        return f"{labels.get(before['status'], before['status'])} → {labels.get(after['status'], after['status'])}"
    return ""


@register.filter
def currency_sign(currency: str) -> str:
    return _sign(currency or "CNY")


@register.filter
def response_time(seconds) -> str:
    """A response time as hours and minutes: 2 h 05 min."""
    if seconds in (None, ""):
        return "—"
    minutes = int(seconds) // 60
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        return _("%(days)d days") % {"days": hours // 24}
    return _("%(h)d h %(m)02d min") % {"h": hours, "m": minutes}


@register.simple_tag(takes_context=True)
def shown(context, label: str, value, kind: str = "default"):
    """A personal field as the caller may see it (masked or hidden by rule), or a dash when empty."""
    if not value:
        return "—"
    return field_value(context, label, value, kind)


@register.filter
def outstanding(contract) -> Decimal:
    """What is still to be received on a contract annotated with `received`."""
    return max(contract.amount - (getattr(contract, "received", None) or Decimal("0")), Decimal("0"))


@register.filter
def collected_percent(contract) -> str:
    """Percent of the contract amount received, one decimal, for progress bars (dot decimal, any language)."""
    if not contract.amount:
        return "0"
    received = getattr(contract, "received", None) or Decimal("0")
    return f"{min(received * 100 / contract.amount, Decimal('100')):.1f}"


@register.filter
def milestone_status_label(status: str) -> str:
    return str(MilestoneStatus(status).label) if status in MilestoneStatus.values else status
