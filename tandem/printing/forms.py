"""Forms of the print pages: the template editor and the print settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.printing.models import PrintSettings, PrintTemplate
from tandem.printing.render import MAX_TEMPLATE_CHARS
from tandem.printing.services.settings import IMAGE_FIELDS, SETTINGS_FIELDS

IMAGE_ACCEPT = "image/png,image/jpeg,image/gif,image/webp"


class PrintTemplateForm(forms.ModelForm):
    body = forms.CharField(
        label=_("Template (HTML)"),
        max_length=MAX_TEMPLATE_CHARS,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 28, "spellcheck": "false", "class": "font-monospace small"}),
    )
    record = forms.TypedChoiceField(label=_("Preview with"), required=False, coerce=int, empty_value=None)

    class Meta:
        model = PrintTemplate
        fields = ["name", "language", "body"]
        widgets = {"language": forms.Select(choices=[("zh-hans", "简体中文"), ("en", "English")])}

    def __init__(self, *args, records=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record"].choices = [("", _("Sample data"))] + [(pk, label) for pk, label in records]

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "language", "body")}


class PrintSettingsForm(forms.ModelForm):
    class Meta:
        model = PrintSettings
        fields = [*SETTINGS_FIELDS, *IMAGE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in IMAGE_FIELDS:
            self.fields[name] = forms.FileField(
                label=self.fields[name].label,
                required=False,
                help_text=_("PNG, JPEG, GIF or WebP, at most 1 MB."),
                widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
            )

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}

    def images(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in IMAGE_FIELDS if self.cleaned_data.get(name)}

    def cleared(self) -> tuple:
        # ClearableFileInput answers False for "clear" ticked.
        return tuple(name for name in IMAGE_FIELDS if self.cleaned_data.get(name) is False)
