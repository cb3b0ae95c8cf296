"""Columns of the crm list exports; masked fields are masked and hidden ones left out, per the caller's field rules."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tandem.core.exports import Column
from tandem.core.masking import mask

OWNER = pgettext_lazy("record owner", "Owner")
CREATED_AT = gettext_lazy("Created at")  # the time; "Created" (新建) is the action


def _yes_no(value) -> str:
    return str(_("Yes")) if value else str(_("No"))


def _ruled(access, label: str, header, value: Callable, kind: str = "default") -> list[Column]:
    rule = access.field_rule(label) if access is not None else None
    if rule == "hidden":
        return []
    if rule == "masked":
        return [Column(header, lambda row: mask(value(row), kind))]
    return [Column(header, value)]


def account_columns(access) -> list[Column]:
    return [
        Column(gettext_lazy("ID"), lambda a: a.pk),
        Column(gettext_lazy("Account name"), lambda a: a.name),
        Column(gettext_lazy("Unified social credit code"), lambda a: a.credit_code),
        Column(gettext_lazy("Tier"), lambda a: a.get_tier_display()),
        Column(gettext_lazy("Industry"), lambda a: a.get_industry_display()),
        Column(gettext_lazy("Region"), lambda a: a.get_region_display()),
        Column(gettext_lazy("Province"), lambda a: a.province),
        Column(gettext_lazy("City"), lambda a: a.city),
        Column(gettext_lazy("Address"), lambda a: a.address),
        Column(gettext_lazy("Parent account"), lambda a: a.parent.name if a.parent else ""),
        Column(OWNER, lambda a: str(a.owner) if a.owner_id else ""),
        Column(gettext_lazy("Tags"), lambda a: ", ".join(a.tags)),
        Column(gettext_lazy("High risk"), lambda a: _yes_no(a.risk_flag)),
        Column(gettext_lazy("Risk reason"), lambda a: a.risk_reason),
        Column(gettext_lazy("Last follow-up"), lambda a: a.last_activity_at),
        Column(gettext_lazy("Last follow-up summary"), lambda a: a.last_activity_summary),
        Column(CREATED_AT, lambda a: a.created_at),
    ]


def contact_columns(access) -> list[Column]:
    return [
        Column(gettext_lazy("ID"), lambda c: c.pk),
        Column(gettext_lazy("Name"), lambda c: c.name),
        Column(gettext_lazy("Job title"), lambda c: c.title),
        Column(gettext_lazy("Accounts"), lambda c: ", ".join(link.account.name for link in c.account_links.all())),
        *_ruled(access, "crm.contact.mobile", gettext_lazy("Mobile phone"), lambda c: c.mobile, "phone"),
        *_ruled(access, "crm.contact.phone", gettext_lazy("Office phone"), lambda c: c.phone, "phone"),
        *_ruled(access, "crm.contact.email", gettext_lazy("Email"), lambda c: c.email),
        *_ruled(access, "crm.contact.wechat", gettext_lazy("WeChat ID"), lambda c: c.wechat),
        Column(OWNER, lambda c: str(c.owner)),
        Column(CREATED_AT, lambda c: c.created_at),
    ]


def lead_columns(access) -> list[Column]:
    return [
        Column(gettext_lazy("ID"), lambda x: x.pk),
        Column(gettext_lazy("Company"), lambda x: x.company),
        Column(gettext_lazy("Contact person"), lambda x: x.contact_name),
        *_ruled(access, "crm.lead.phone", gettext_lazy("Phone"), lambda x: x.phone, "phone"),
        *_ruled(access, "crm.lead.email", gettext_lazy("Email"), lambda x: x.email),
        Column(gettext_lazy("Source"), lambda x: x.get_source_display()),
        Column(gettext_lazy("Status"), lambda x: x.get_status_display()),
        Column(OWNER, lambda x: str(x.owner)),
        Column(gettext_lazy("Respond by"), lambda x: x.response_due_at),
        Column(gettext_lazy("First response"), lambda x: x.first_response_at),
        Column(gettext_lazy("First response overdue"), lambda x: _yes_no(x.is_response_overdue)),
        Column(CREATED_AT, lambda x: x.created_at),
    ]


def deal_columns(access) -> list[Column]:
    return [
        Column(gettext_lazy("Number"), lambda d: d.number),
        Column(gettext_lazy("Deal name"), lambda d: d.name),
        Column(gettext_lazy("Account"), lambda d: d.account.name),
        Column(gettext_lazy("Pipeline"), lambda d: d.pipeline.name),
        Column(gettext_lazy("Stage"), lambda d: d.stage.name),
        Column(gettext_lazy("Status"), lambda d: d.get_status_display()),
        Column(gettext_lazy("Amount"), lambda d: d.amount),
        Column(gettext_lazy("Currency"), lambda d: d.currency),
        Column(gettext_lazy("Probability (%)"), lambda d: d.stage.probability),
        Column(
            gettext_lazy("Weighted amount"),
            lambda d: (d.amount * d.stage.probability / 100).quantize(Decimal("0.01")),
        ),
        Column(gettext_lazy("Expected close date"), lambda d: d.expected_close_date),
        Column(gettext_lazy("Deal type"), lambda d: d.get_deal_type_display()),
        Column(OWNER, lambda d: str(d.owner)),
        Column(gettext_lazy("Won at"), lambda d: d.won_at),
        Column(gettext_lazy("Lost at"), lambda d: d.lost_at),
        Column(gettext_lazy("Reason won or lost"), lambda d: d.close_reason),
        Column(CREATED_AT, lambda d: d.created_at),
    ]


def activity_columns(access) -> list[Column]:
    return [
        Column(gettext_lazy("Time"), lambda a: a.occurred_at),
        Column(gettext_lazy("Kind"), lambda a: a.get_kind_display()),
        Column(gettext_lazy("Subject"), lambda a: a.subject),
        Column(gettext_lazy("Content"), lambda a: a.content),
        Column(gettext_lazy("Account"), lambda a: a.account.name if a.account else ""),
        Column(gettext_lazy("Contact"), lambda a: a.contact.name if a.contact else ""),
        Column(gettext_lazy("Lead"), lambda a: str(a.lead) if a.lead else ""),
        Column(gettext_lazy("Deal"), lambda a: str(a.deal) if a.deal else ""),
        Column(OWNER, lambda a: str(a.owner)),
        Column(gettext_lazy("Due at"), lambda a: a.due_at),
        Column(gettext_lazy("Done"), lambda a: _yes_no(a.done)),
        Column(gettext_lazy("Next contact on"), lambda a: a.next_contact_on),
    ]


def _percent(contract) -> Decimal:
    if not contract.amount:
        return Decimal("0.0")
    return (Decimal(contract.received) * 100 / contract.amount).quantize(Decimal("0.1"))


def contract_columns(access) -> list[Column]:
    return [
        Column(gettext_lazy("Number"), lambda c: c.number),
        Column(gettext_lazy("Contract name"), lambda c: c.name),
        Column(gettext_lazy("Account"), lambda c: c.account.name),
        Column(gettext_lazy("Type"), lambda c: c.get_contract_type_display()),
        Column(gettext_lazy("Status"), lambda c: c.get_status_display()),
        Column(gettext_lazy("Amount"), lambda c: c.amount),
        Column(gettext_lazy("Currency"), lambda c: c.currency),
        Column(gettext_lazy("Tax rate (%)"), lambda c: c.tax_rate),
        Column(gettext_lazy("Received"), lambda c: Decimal(c.received).quantize(Decimal("0.01"))),
        Column(gettext_lazy("Outstanding"), lambda c: max(c.amount - c.received, 0)),
        Column(gettext_lazy("Collected (%)"), _percent),
        Column(gettext_lazy("Signed on"), lambda c: c.signed_on),
        Column(gettext_lazy("Starts on"), lambda c: c.start_on),
        Column(gettext_lazy("Ends on"), lambda c: c.end_on),
        Column(OWNER, lambda c: str(c.owner)),
    ]


def milestone_columns(access) -> list[Column]:
    return [
        Column(gettext_lazy("Contract"), lambda m: m.contract.number),
        Column(gettext_lazy("Sequence"), lambda m: m.sequence),
        Column(gettext_lazy("Payment period"), lambda m: m.name),
        Column(gettext_lazy("Percent"), lambda m: m.percent),
        Column(gettext_lazy("Amount"), lambda m: m.amount),
        Column(gettext_lazy("Due rule"), lambda m: m.get_due_rule_display()),
        Column(gettext_lazy("Due on"), lambda m: m.due_on),
        Column(gettext_lazy("Received"), lambda m: Decimal(m.received).quantize(Decimal("0.01"))),
        Column(gettext_lazy("Status"), lambda m: _milestone_status_label(m.status)),
        Column(gettext_lazy("Retention"), lambda m: _yes_no(m.is_retention)),
    ]


def _milestone_status_label(value: str) -> str:
    from tandem.crm.choices import MilestoneStatus

    return str(MilestoneStatus(value).label)


def receipt_columns(access) -> list[Column]:
    return [
        Column(gettext_lazy("Contract"), lambda r: r.contract.number),
        Column(gettext_lazy("Payment period"), lambda r: r.milestone.name),
        Column(gettext_lazy("Received on"), lambda r: r.received_on),
        Column(gettext_lazy("Amount"), lambda r: r.amount),
        Column(gettext_lazy("Method"), lambda r: r.get_method_display()),
        Column(gettext_lazy("Bank"), lambda r: r.bank),
        Column(gettext_lazy("Voucher number"), lambda r: r.reference),
        Column(gettext_lazy("Recorded by"), lambda r: str(r.created_by)),
    ]
