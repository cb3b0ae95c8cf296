"""Forms of the change order and commitment pages: a header form and a formset of lines on budget lines. They
parse input; the services validate and write (their `lines[i]` errors land on the i-th row kept)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.crm.forms.common import ParseOnlyModelForm
from tandem.finance.models import BudgetLine, ChangeOrder, Commitment, CostRecord

MAX_LINES = 200
EXTRA_ROWS = 3


class ChangeOrderForm(ParseOnlyModelForm):
    class Meta:
        model = ChangeOrder
        fields = ["kind", "title", "reason", "contract_amount"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 2})}


class CommitmentForm(ParseOnlyModelForm):
    class Meta:
        model = Commitment
        fields = ["kind", "title", "vendor", "retention_percent", "signed_on", "description"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "signed_on": forms.DateInput(attrs={"type": "date"}),
        }


class _LineForm(forms.Form):
    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    description = forms.CharField(label=_("Description"), max_length=300, required=False)

    def __init__(self, *args, budget_lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        if budget_lines is not None:
            self.fields["budget_line"].queryset = budget_lines


class ChangeOrderLineForm(_LineForm):
    amount = forms.DecimalField(label=_("Amount"), max_digits=16, decimal_places=2)

    def has_changed(self):
        return any(str(self[name].value() or "").strip() for name in ("budget_line", "amount"))


class CommitmentLineForm(_LineForm):
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=16, decimal_places=3, min_value=0, initial=1)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    unit_price = forms.DecimalField(label=_("Unit price"), max_digits=16, decimal_places=2, min_value=0)

    def has_changed(self):
        return any(str(self[name].value() or "").strip() for name in ("budget_line", "unit_price"))


class BaseLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict]:
        """The lines kept, in order, as the services take them."""
        return [
            {k: v for k, v in form.cleaned_data.items() if k != "DELETE"}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def line_formset(form_class, data, *, budget_lines, initial=None):
    formset_class = forms.formset_factory(
        form_class,
        formset=BaseLineFormSet,
        extra=EXTRA_ROWS,
        can_delete=True,
        max_num=MAX_LINES,
        validate_max=True,
    )
    return formset_class(data, initial=initial, prefix="lines", form_kwargs={"budget_lines": budget_lines})


class CostRecordForm(ParseOnlyModelForm):
    """A direct cost or an invoice against one of the project's commitments."""

    class Meta:
        model = CostRecord
        fields = ["kind", "budget_line", "commitment", "date", "amount", "vendor", "reference", "description"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, budget_lines, commitments, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = budget_lines
        self.fields["commitment"].queryset = commitments
        self.fields["commitment"].required = False
        self.fields["commitment"].help_text = _("Only for an invoice against a commitment.")
        if editing:
            for name in ("kind", "commitment"):
                self.fields[name].disabled = True
