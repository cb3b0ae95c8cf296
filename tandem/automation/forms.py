"""The rule builder's form: the rule's name and settings, and its definition as one JSON field."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.automation.services.rules import DEFINITION

EMPTY_DEFINITION = {"trigger_type": "event", "model": "crm.deal", "trigger": {}, "conditions": None, "actions": []}


class RuleForm(forms.Form):
    """Parses the builder's POST; the definition itself is validated by the rule service."""

    name = forms.CharField(label=_("Rule name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.TypedChoiceField(label=_("Runs as"), coerce=int, required=False, empty_value=None)
    max_failures = forms.IntegerField(
        label=_("Disable after failures in a row"),
        min_value=0,
        max_value=100,
        initial=5,
        help_text=_("0 never disables the rule."),
    )
    definition = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—"), *((m.user_id, str(m.user)) for m in members)]
        self.fields["owner"].help_text = _(
            "Actions run with this person's permissions; they are told when the rule is disabled."
        )

    def clean_definition(self) -> dict:
        raw = self.cleaned_data.get("definition") or ""
        try:
            value = json.loads(raw) if raw.strip() else {}
        except ValueError as exc:
            raise forms.ValidationError(_("The rule's JSON is not valid.")) from exc
        if not isinstance(value, dict):
            raise forms.ValidationError(_("The rule's JSON must be an object."))
        return {name: value.get(name) for name in DEFINITION}

    def service_fields(self) -> dict:
        data = self.cleaned_data
        definition = data["definition"]
        return {
            "name": data["name"],
            "description": data.get("description") or "",
            "owner": data.get("owner"),
            "max_failures": data["max_failures"],
            "trigger_type": definition.get("trigger_type") or "",
            "model": definition.get("model") or "",
            "trigger": definition.get("trigger") or {},
            "conditions": definition.get("conditions") or None,
            "actions": definition.get("actions") or [],
        }
