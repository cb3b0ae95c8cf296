"""Forms of the budget pages: they parse input; the budget services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.crm.forms.common import ParseOnlyModelForm
from tandem.finance.models import BudgetLine, CostCode, CostSettings, ProjectBudget, TemplateBudgetLine
from tandem.projects.models import TemplateTask

FORECAST_FIELDS = ["forecast_method", "forecast_quantity", "forecast_unit_price", "forecast_amount"]


class BudgetLineForm(ParseOnlyModelForm):
    """A line of a draft budget: cost code × cost type (on a WBS task), quantity × unit price, the forecast."""

    class Meta:
        model = BudgetLine
        fields = ["cost_code", "cost_type", "task", "description", "quantity", "unit", "unit_price", *FORECAST_FIELDS]

    def __init__(self, *args, access, project, **kwargs):
        from tandem.projects.selectors import task_list

        super().__init__(*args, **kwargs)
        codes = CostCode.objects.for_tenant(access.tenant_id).filter(is_active=True)
        if self.instance.cost_code_id:
            codes = codes | CostCode.objects.for_tenant(access.tenant_id).filter(pk=self.instance.cost_code_id)
        self.fields["cost_code"].queryset = codes.order_by("code")
        self.fields["task"].queryset = task_list(access=access, project=project)
        self.fields["task"].required = False
        self.fields["task"].empty_label = _("No task (the whole project)")


class LockedLineForm(ParseOnlyModelForm):
    """What a locked budget's line may still change: its description and forecast."""

    class Meta:
        model = BudgetLine
        fields = ["description", *FORECAST_FIELDS]

    def __init__(self, *args, access=None, project=None, **kwargs):
        super().__init__(*args, **kwargs)


class ContractValueForm(ParseOnlyModelForm):
    class Meta:
        model = ProjectBudget
        fields = ["original_contract_value", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class ModificationForm(forms.Form):
    """A transfer between two lines of a locked budget."""

    from_line = forms.ModelChoiceField(label=_("From line"), queryset=BudgetLine.objects.none())
    to_line = forms.ModelChoiceField(label=_("To line"), queryset=BudgetLine.objects.none())
    amount = forms.DecimalField(label=_("Amount"), max_digits=16, decimal_places=2, min_value=0)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_line"].queryset = lines
        self.fields["to_line"].queryset = lines


class CostCodeForm(ParseOnlyModelForm):
    class Meta:
        model = CostCode
        fields = ["parent", "code", "name", "sort_order", "is_active"]

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        parents = CostCode.objects.for_tenant(access.tenant_id).order_by("code")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = False


class CostSettingsForm(ParseOnlyModelForm):
    class Meta:
        model = CostSettings
        fields = ["margin_alert_percent", "cpi_alert_below", "line_over_budget_alert"]


class TemplateBudgetLineForm(ParseOnlyModelForm):
    """A default budget line of a project template (on one of its tasks, or the whole project)."""

    class Meta:
        model = TemplateBudgetLine
        fields = ["cost_code", "cost_type", "template_task", "description", "quantity", "unit", "unit_price"]

    def __init__(self, *args, access, template, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cost_code"].queryset = (
            CostCode.objects.for_tenant(access.tenant_id).filter(is_active=True).order_by("code")
        )
        self.fields["template_task"].queryset = TemplateTask.objects.for_tenant(access.tenant_id).filter(
            template=template
        )
        self.fields["template_task"].required = False
        self.fields["template_task"].empty_label = _("No task (the whole project)")
