"""Lead (线索) and deal (商机) forms: lead details and conversion, deal details with line items."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.crm.choices import DealType, DedupDecision, LeadStatus
from tandem.crm.forms.common import (
    MemberChoiceField,
    ParseOnlyModelForm,
    account_picker,
    contact_picker,
    drop_guarded_fields,
    limit_members,
)
from tandem.crm.models import Account, Contact, Deal, DealLine, Lead, Stage
from tandem.crm.models.common import MONEY
from tandem.crm.models.leads import LEAD_FIELDS
from tandem.crm.validators import validate_phone

MAX_LINES = 100
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def open_stages(tenant_id: int):
    """Stages a deal can be created in, pipeline by pipeline."""
    return (
        Stage.objects.for_tenant(tenant_id)
        .filter(is_won=False, is_lost=False)
        .select_related("pipeline")
        .order_by("-pipeline__is_default", "pipeline__sort_order", "pipeline_id", "order")
    )


class StageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.pipeline.name} · {obj.name} ({obj.probability}%)"


class LeadForm(ParseOnlyModelForm):
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False, validators=[validate_phone])
    owner = MemberChoiceField(label=pgettext_lazy("record owner", "Owner"), required=False)

    class Meta:
        model = Lead
        fields = list(LEAD_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [c for c in LeadStatus.choices if c[0] != LeadStatus.CONVERTED]
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        drop_guarded_fields(self, access, Lead)
        if self.instance.pk:
            del self.fields["owner"]
        else:
            limit_members(self, access.tenant_id)
            self.initial.setdefault("owner", access.user_id)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        if not data.get("owner"):
            data.pop("owner", None)
        return data


class LeadConvertForm(forms.Form):
    """What a conversion makes: which account (new, or an existing one linked or merged into) and the deal."""

    decision = forms.ChoiceField(label=_("Account"), choices=DedupDecision.choices, widget=forms.RadioSelect)
    account = forms.ModelChoiceField(
        label=_("Existing account"), queryset=Account.objects.none(), required=False, widget=account_picker()
    )
    create_deal = forms.BooleanField(label=_("Create a deal"), required=False, initial=True)
    deal_name = forms.CharField(label=_("Deal name"), max_length=200, required=False)
    amount = forms.DecimalField(label=_("Amount"), required=False, min_value=0, **MONEY)
    stage = StageChoiceField(label=_("Stage"), queryset=Stage.objects.none(), required=False)
    expected_close_date = forms.DateField(label=_("Expected close date"), required=False, widget=DATE)
    deal_type = forms.ChoiceField(label=_("Deal type"), choices=DealType.choices, initial=DealType.OTHER)

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.restrict(access)
        self.fields["stage"].queryset = open_stages(access.tenant_id)
        self.fields["stage"].empty_label = _("First stage of the default pipeline")

    def clean(self):
        data = super().clean()
        if data.get("decision") in (DedupDecision.LINK, DedupDecision.MERGE) and not data.get("account"):
            self.add_error("account", _("Choose the existing account to link or merge into."))
        return data

    def deal_fields(self) -> dict:
        data = self.cleaned_data
        fields = {"deal_type": data["deal_type"]}
        for name in ("amount", "expected_close_date", "stage"):
            if data.get(name) is not None:
                fields[name] = data[name]
        if data.get("deal_name"):
            fields["name"] = data["deal_name"]
        return fields


class DealForm(ParseOnlyModelForm):
    account = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none(), widget=account_picker())
    contact = forms.ModelChoiceField(
        label=_("Contact"),
        queryset=Contact.objects.none(),
        required=False,
        widget=contact_picker(attrs={"data-picker-depends": "id_account"}),
    )
    stage = StageChoiceField(label=_("Stage"), queryset=Stage.objects.none(), required=False)
    owner = MemberChoiceField(label=pgettext_lazy("record owner", "Owner"), required=False)

    class Meta:
        model = Deal
        fields = [
            "name",
            "account",
            "contact",
            "amount",
            "expected_close_date",
            "deal_type",
            "source",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "expected_close_date": DATE,
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0", "data-deal-amount": ""}),
        }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = Account.objects.restrict(access)
        self.fields["contact"].queryset = Contact.objects.restrict(access)
        if self.instance.pk:
            del self.fields["owner"]
            del self.fields["stage"]  # stages change on the board or the stage bar
        else:
            limit_members(self, access.tenant_id)
            self.initial.setdefault("owner", access.user_id)
            self.fields["stage"].queryset = open_stages(access.tenant_id)
            self.fields["stage"].empty_label = _("First stage of the default pipeline")
        self.fields["amount"].required = False
        self.fields["amount"].help_text = _("With line items, the amount is their total.")

    def service_fields(self) -> dict:
        optional = ("owner", "stage", "amount")
        return {k: v for k, v in self.cleaned_data.items() if v is not None or k not in optional}


class DealLineForm(ParseOnlyModelForm):
    class Meta:
        model = DealLine
        fields = ["product", "quantity", "unit", "unit_price"]
        widgets = {
            "quantity": forms.NumberInput(attrs={"step": "any", "min": "0", "data-line-quantity": ""}),
            "unit_price": forms.NumberInput(attrs={"step": "0.01", "min": "0", "data-line-price": ""}),
        }

    def has_changed(self):
        # An added row left without a product or a price is blank, whatever its default quantity says.
        return any(str(self[name].value() or "").strip() for name in ("product", "unit_price"))


class BaseDealLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The lines kept, in order, as the service takes them."""
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


DealLineFormSet = forms.formset_factory(
    DealLineForm,
    formset=BaseDealLineFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_LINES,
    validate_max=True,
)
