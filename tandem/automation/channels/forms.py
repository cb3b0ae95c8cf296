"""The channel form: parses input for the channel services, which do the checking per kind."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.automation.channels.services import mask_url
from tandem.automation.models import ChannelKind


class ChannelForm(forms.Form):
    """Create or edit a channel; on edit a blank address or secret keeps the stored one (both are write-only)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ChannelKind.choices)
    name = forms.CharField(label=_("Channel name"), max_length=100)
    url = forms.CharField(label=_("Webhook address"), max_length=500, required=False)
    secret = forms.CharField(
        label=_("Signing secret"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    clear_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)
    recipients = forms.CharField(
        label=_("Email addresses"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One address a line (commas work too)."),
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)
    approval_cards = forms.BooleanField(
        label=_("Post approval cards here"),
        required=False,
        help_text=_("A card with approve and reject buttons whenever an approval waits for someone in this group."),
    )

    def __init__(self, *args, channel=None, **kwargs):
        self.channel = channel
        if channel is not None:
            kwargs.setdefault(
                "initial",
                {
                    "kind": channel.kind,
                    "name": channel.name,
                    "recipients": "\n".join(channel.recipients),
                    "enabled": channel.enabled,
                    "approval_cards": channel.approval_cards,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["x-model"] = "kind"
        if channel is None:
            del self.fields["clear_secret"]
        else:
            self.fields["url"].widget.attrs["placeholder"] = _("Unchanged (%(url)s)") % {"url": mask_url(channel.url)}
            if channel.secret:
                self.fields["secret"].widget.attrs["placeholder"] = _("Unchanged (set)")

    def service_fields(self) -> dict:
        """Keyword arguments for channel_create / channel_update; on edit, blank write-only fields keep theirs."""
        data = self.cleaned_data
        fields = {
            "kind": data["kind"],
            "name": data["name"],
            "url": data["url"].strip(),
            "secret": data["secret"].strip(),
            "recipients": data["recipients"],
            "enabled": data["enabled"],
            "approval_cards": data["approval_cards"],
        }
        if self.channel is not None:
            if not fields["url"]:
                fields["url"] = None
            if data.get("clear_secret"):
                fields["secret"] = ""
            elif not fields["secret"]:
                fields["secret"] = None
        return fields
