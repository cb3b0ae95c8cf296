"""Contract (合同) forms with the payment plan (回款计划) editor, and the receipt (回款) form."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.crm.choices import DueRule
from tandem.crm.forms.common import MemberChoiceField, ParseOnlyModelForm, limit_members
from tandem.crm.models import Contract, PaymentMilestone, Receipt
from tandem.crm.models.contracts import CONTRACT_FIELDS, PERIOD_FIELDS

MAX_PERIODS = 24
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractForm(ParseOnlyModelForm):
    company_signatory = MemberChoiceField(label=_("Our signatory"), required=False)

    class Meta:
        model = Contract
        # The page makes a contract from a deal: its account, the deal and the currency come from there.
        fields = [name for name in CONTRACT_FIELDS if name not in ("account", "deal", "currency")]
        widgets = {
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0", "data-contract-amount": ""}),
            "signed_on": DATE,
            "start_on": DATE,
            "end_on": DATE,
            "accepted_on": DATE,
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        limit_members(self, access.tenant_id)


class PeriodForm(ParseOnlyModelForm):
    """One period of the payment plan: a percent of the contract amount or a fixed amount, due by a rule."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = PaymentMilestone
        fields = list(PERIOD_FIELDS)
        widgets = {
            "percent": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100", "data-period-percent": ""}),
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0", "data-period-amount": ""}),
            "due_rule": forms.Select(attrs={"data-period-rule": ""}),
            "due_on": DATE,
            "is_void": forms.CheckboxInput(attrs={"data-period-void": ""}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = False

    def has_changed(self):
        # An added period left without a name, percent or amount is blank, whatever its defaults say.
        return any(str(self[name].value() or "").strip() for name in ("name", "percent", "amount"))

    def clean(self):
        data = super().clean()
        if data.get("percent") is None and data.get("amount") is None and not self.errors:
            self.add_error("percent", _("Give a percent or an amount."))
        return data


class BasePeriodFormSet(forms.BaseFormSet):
    def periods(self) -> list[dict]:
        """The periods kept, in order, as the service takes them (an id keeps an existing period)."""
        periods = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            period = {k: v for k, v in data.items() if k not in ("DELETE", "id")}
            if data.get("id"):
                period["id"] = data["id"]
            periods.append(period)
        return periods


PeriodFormSet = forms.formset_factory(
    PeriodForm, formset=BasePeriodFormSet, extra=0, can_delete=True, max_num=MAX_PERIODS, validate_max=True
)


def default_periods() -> list[dict]:
    """A plan engineering contracts often start from: 30% advance, 60% progress, 7% on acceptance, 3% retention."""
    today = timezone.localdate()
    return [
        {"name": gettext("Advance payment"), "percent": Decimal("30"), "due_rule": DueRule.ON_DATE,
         "due_on": today + timedelta(days=15), "reminder_days": 7},
        {"name": gettext("Progress payment"), "percent": Decimal("60"), "due_rule": DueRule.ON_MILESTONE,
         "project_milestone": gettext("Main works complete"), "reminder_days": 7},
        {"name": gettext("Acceptance payment"), "percent": Decimal("7"), "due_rule": DueRule.AFTER_ACCEPTANCE,
         "days_after_acceptance": 30, "reminder_days": 7},
        {"name": gettext("Retention"), "percent": Decimal("3"), "due_rule": DueRule.AFTER_ACCEPTANCE,
         "days_after_acceptance": 365, "reminder_days": 30, "is_retention": True},
    ]  # fmt: skip


class ReceiptForm(ParseOnlyModelForm):
    milestone = forms.ModelChoiceField(label=_("Payment period"), queryset=PaymentMilestone.objects.none())

    class Meta:
        model = Receipt
        fields = ["milestone", "amount", "received_on", "method", "bank", "reference", "notes"]
        widgets = {
            "received_on": DATE,
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"}),
        }

    def __init__(self, *args, milestones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = milestones
        self.fields["milestone"].label_from_instance = lambda m: f"{m.sequence}. {m.name} · {m.amount:,.2f}"
        self.initial.setdefault("received_on", timezone.localdate())

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "milestone"}
