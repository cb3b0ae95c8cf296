"""The quick follow-up form (跟进记录) shown on every record page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.crm.choices import ActivityKind

SUBJECT_LENGTH = 60


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices, initial=ActivityKind.CALL)
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    content = forms.CharField(label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    occurred_at = forms.DateTimeField(
        label=_("When"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    next_contact_on = forms.DateField(
        label=_("Next contact on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    due_at = forms.DateTimeField(
        label=_("Due"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    # The record the follow-up is about; the view looks it up within the caller's reach.
    target_type = forms.ChoiceField(
        choices=[(t, t) for t in ("account", "contact", "lead", "deal")], widget=forms.HiddenInput
    )
    target_id = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        subject = (data.get("subject") or "").strip()
        content = (data.get("content") or "").strip()
        if not subject and not content:
            self.add_error("content", _("Write what happened or give a subject."))
        elif not subject:
            first_line = content.splitlines()[0].strip()
            data["subject"] = first_line[:SUBJECT_LENGTH] + ("…" if len(first_line) > SUBJECT_LENGTH else "")
        if data.get("kind") != ActivityKind.TASK:
            data["due_at"] = None
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("kind", "subject", "content", "next_contact_on", "due_at")}
        if data.get("occurred_at"):
            fields["occurred_at"] = data["occurred_at"]
        return fields
