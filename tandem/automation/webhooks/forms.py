"""The endpoint form: parses input for the webhook services, which validate the URL and the event types."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from tandem.automation.webhooks.events import KNOWN_EVENT_TYPES, wildcard_choices


class EndpointForm(forms.Form):
    """Parses the endpoint form; the service validates the URL and the event types."""

    url = forms.CharField(
        label=gettext_lazy("URL"),
        max_length=500,
        help_text=gettext_lazy("An http:// or https:// address of your system that accepts POST requests."),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200, required=False)
    event_types = forms.MultipleChoiceField(
        label=gettext_lazy("Event types"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one event type.")},
    )
    enabled = forms.BooleanField(label=gettext_lazy("Enabled"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = [*wildcard_choices(), *KNOWN_EVENT_TYPES]

    def wildcards(self):
        names = {name for name, _label in wildcard_choices()}
        return [box for box in self["event_types"] if box.data["value"] in names]

    def event_boxes(self):
        names = {name for name, _label in wildcard_choices()}
        return [box for box in self["event_types"] if box.data["value"] not in names]
