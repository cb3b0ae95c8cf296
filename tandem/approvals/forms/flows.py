"""The flow designer's form: name, description and type; the definition is the designer's JSON."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_DEFINITION = 200_000  # characters: 20 branches of 20 nodes with long member lists stay far below


class FlowForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    definition = forms.CharField(widget=forms.HiddenInput, max_length=MAX_DEFINITION)

    def clean_definition(self) -> dict:
        try:
            value = json.loads(self.cleaned_data["definition"])
        except ValueError as exc:
            raise forms.ValidationError(_("This is not valid JSON: %(error)s"), params={"error": exc}) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The definition must be a JSON object with branches."))
        return value
