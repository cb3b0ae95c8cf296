"""Forms of the task list: a row in edit mode, a new task or milestone."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

# Ten years of working days: the services refuse longer, the form says so first.
MAX_DAYS = Decimal(3650)


class TaskInlineForm(forms.Form):
    """One row of the task list in edit mode."""

    name = forms.CharField(label=_("Task name"), max_length=300)
    duration_days = forms.DecimalField(
        label=_("Duration (days)"), min_value=0, max_value=MAX_DAYS, decimal_places=2, required=False
    )
    percent_complete = forms.IntegerField(label=_("Percent complete"), min_value=0, max_value=100, required=False)


class TaskAddForm(forms.Form):
    name = forms.CharField(label=_("Task name"), max_length=300)
    parent = forms.TypedChoiceField(label=_("Under"), coerce=int, required=False, empty_value=None)
    duration_days = forms.DecimalField(
        label=_("Duration (days)"), min_value=0, max_value=MAX_DAYS, decimal_places=2, initial=1
    )
    is_milestone = forms.BooleanField(label=_("Milestone"), required=False)

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("Top level"))] + [
            (t.pk, f"{t.outline_number} {t.name}") for t in parents
        ]
