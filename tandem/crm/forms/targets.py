"""Forms of the sales target (业绩目标) page: the target to set and the period shown."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Department, User
from tandem.crm.choices import TargetLevel, TargetMetric
from tandem.crm.forms.common import departments_of


def _years() -> list[tuple[int, int]]:
    this = date.today().year
    return [(y, str(y)) for y in range(this - 2, this + 3)]


MONTHS = [(0, _("Whole year"))] + [(m, str(m)) for m in range(1, 13)]


class TargetForm(forms.Form):
    level = forms.ChoiceField(label=_("For"), choices=TargetLevel.choices)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    user = forms.ModelChoiceField(label=_("Person"), queryset=User.objects.none(), required=False)
    metric = forms.ChoiceField(label=_("Measure"), choices=TargetMetric.choices)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_years)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=MONTHS)
    amount = forms.DecimalField(label=_("Target amount"), min_value=0, max_digits=16, decimal_places=2)

    def __init__(self, *args, access, members, departments: set[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = departments_of(access.tenant_id)
        self.fields["department"].queryset = choices if departments is None else choices.filter(pk__in=departments)
        self.fields["user"].queryset = members


class PeriodForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=_years, required=False)
    month = forms.TypedChoiceField(label=_("Month"), coerce=int, choices=MONTHS, required=False)
