"""Forms of the project pages: they parse input; the services decide."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.projects.choices import Health
from tandem.projects.models import MAX_BASELINES

# Ten years of working days: the services refuse longer, the form says so first.
MAX_DAYS = Decimal(3650)


class StatusUpdateForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    health = forms.ChoiceField(label=_("Health"), choices=Health.choices)
    text = forms.CharField(
        label=_("What happened, what is next"), max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"date": timezone.localdate()})
        super().__init__(*args, **kwargs)


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


class BaselineSaveForm(forms.Form):
    name = forms.CharField(label=_("Baseline name"), max_length=100, required=False)
    number = forms.TypedChoiceField(
        label=_("Save as"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("Next free number"))]
        + [(n, _("Baseline %(n)d") % {"n": n}) for n in range(1, MAX_BASELINES + 1)],
    )
