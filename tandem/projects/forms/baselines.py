"""The form of the baselines tab: save the schedule as the next baseline or over a chosen one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.projects.models import MAX_BASELINES


class BaselineSaveForm(forms.Form):
    name = forms.CharField(label=_("Baseline name"), max_length=100, required=False)
    number = forms.TypedChoiceField(
        label=_("Save as"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", _("Next free number"))]
        + [(n, _("Baseline %(n)d") % {"n": n}) for n in range(1, MAX_BASELINES + 1)],
        help_text=_("Saving over a number replaces that baseline, as Microsoft Project does."),
    )
