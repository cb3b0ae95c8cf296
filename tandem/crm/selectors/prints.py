"""What the print templates see of a contract and of a receipt: plain data only (printing seals it).

Registered with `tandem.printing.registry` in `CrmConfig.ready()`; the variables listed here are shown beside
the template editor.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.crm.choices import DueRule
from tandem.crm.models import Contract, Receipt
from tandem.printing.rmb import rmb_upper

ZERO = Decimal("0.00")
CONTRACT_VARIABLES = [
    ("contract.number", gettext_lazy("Contract number")),
    ("contract.name", gettext_lazy("Name")),
    ("contract.type", gettext_lazy("Type")),
    ("contract.amount", gettext_lazy("Contract amount")),
    ("contract.amount_in_words", gettext_lazy("Amount in Chinese capitals (人民币大写)")),
    ("contract.tax_rate", gettext_lazy("Tax rate (%)")),
    ("contract.signed_on / start_on / end_on / accepted_on", gettext_lazy("Dates (ISO; use |date)")),
    ("contract.customer_signatory / company_signatory", gettext_lazy("Signatories")),
    ("contract.received / outstanding", gettext_lazy("Received and outstanding")),
    ("contract.notes", gettext_lazy("Notes")),
    ("customer.name / address / credit_code", gettext_lazy("Customer (Party A)")),
    ("lines[]: no, product, unit, quantity, unit_price, amount", gettext_lazy("Lines of the deal")),
    ("lines_total", gettext_lazy("Total of the lines")),
    ("periods[]: sequence, name, percent, amount, amount_in_words, due, is_retention", gettext_lazy("Payment plan")),
]
RECEIPT_VARIABLES = [
    ("receipt.amount / amount_in_words", gettext_lazy("Amount received")),
    ("receipt.received_on", gettext_lazy("Received on")),
    ("receipt.method / bank / reference / notes", gettext_lazy("Method, bank, voucher number, notes")),
    ("receipt.recorded_by", gettext_lazy("Recorded by")),
    ("period.name / amount", gettext_lazy("Payment period")),
    ("contract.number / name / amount / received / outstanding", gettext_lazy("Contract")),
    ("customer.name", gettext_lazy("Customer")),
]


def _due(period) -> str:
    if period.due_rule == DueRule.ON_MILESTONE:
        return _("At “%(name)s”") % {"name": period.project_milestone}
    if period.due_rule == DueRule.AFTER_ACCEPTANCE:
        text = _("%(days)s days after acceptance") % {"days": period.days_after_acceptance}
        return f"{text} ({period.due_on.isoformat()})" if period.due_on else text
    return period.due_on.isoformat() if period.due_on else ""


def _customer(account) -> dict:
    return {"name": account.name, "address": account.address, "credit_code": account.credit_code}


def _received(contract) -> Decimal:
    return Receipt.objects.filter(contract=contract).aggregate(total=Sum("amount"))["total"] or ZERO


def _contract_head(contract) -> dict:
    received = _received(contract)
    return {
        "number": contract.number,
        "name": contract.name,
        "type": contract.get_contract_type_display(),
        "status": contract.get_status_display(),
        "amount": contract.amount,
        "amount_in_words": rmb_upper(contract.amount),
        "currency": contract.currency,
        "tax_rate": contract.tax_rate.normalize(),
        "customer_signatory": contract.customer_signatory,
        "company_signatory": str(contract.company_signatory) if contract.company_signatory_id else "",
        "signed_on": contract.signed_on,
        "start_on": contract.start_on,
        "end_on": contract.end_on,
        "accepted_on": contract.accepted_on,
        "notes": contract.notes,
        "received": received,
        "outstanding": max(contract.amount - received, ZERO),
    }


def contract_print_context(contract: Contract) -> dict:
    """The contract, its customer, the lines of its deal and its payment plan."""
    contract = Contract.objects.select_related("account", "company_signatory").get(pk=contract.pk)
    lines = []
    if contract.deal_id:
        for index, line in enumerate(contract.deal.lines.all(), start=1):
            lines.append(
                {
                    "no": index,
                    "product": line.product,
                    "unit": line.unit,
                    "quantity": line.quantity.normalize(),
                    "unit_price": line.unit_price,
                    "amount": line.amount,
                }
            )
    periods = [
        {
            "sequence": period.sequence,
            "name": period.name,
            "percent": period.percent.normalize() if period.percent is not None else None,
            "amount": period.amount,
            "amount_in_words": rmb_upper(period.amount),
            "due": _due(period),
            "is_retention": period.is_retention,
        }
        for period in contract.milestones.filter(is_void=False)
    ]
    return {
        "contract": _contract_head(contract),
        "customer": _customer(contract.account),
        "lines": lines,
        "lines_total": sum((line["amount"] for line in lines), ZERO),
        "periods": periods,
    }


def receipt_print_context(receipt: Receipt) -> dict:
    """The receipt (收款确认单), its period, its contract and customer."""
    receipt = Receipt.objects.select_related("contract__account", "milestone", "created_by").get(pk=receipt.pk)
    return {
        "receipt": {
            "amount": receipt.amount,
            "amount_in_words": rmb_upper(receipt.amount),
            "received_on": receipt.received_on,
            "method": receipt.get_method_display(),
            "bank": receipt.bank,
            "reference": receipt.reference,
            "notes": receipt.notes,
            "recorded_by": str(receipt.created_by),
        },
        "period": {"name": receipt.milestone.name, "amount": receipt.milestone.amount},
        "contract": _contract_head(receipt.contract),
        "customer": _customer(receipt.contract.account),
    }
