"""Forms of the feedback pages: the survey template editor and the bulk send. They parse; services decide."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.feedback.choices import SurveyChannel, SurveyLanguage
from tandem.feedback.models import SurveyTemplate
from tandem.feedback.services.batches import BULK_CHANNELS

TEXT_FIELDS = ("name", "language", "intro", "nps_question", "comment_label", "thank_you", "colour")


class SurveyTemplateForm(forms.Form):
    name = forms.CharField(label=_("Template name"), max_length=100)
    language = forms.ChoiceField(label=_("Language"), choices=SurveyLanguage.choices)
    intro = forms.CharField(
        label=_("Introduction"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    nps_question = forms.CharField(label=_("Recommendation question (0–10)"), max_length=300)
    comment_label = forms.CharField(label=_("Comment prompt"), max_length=300)
    thank_you = forms.CharField(label=_("Thank-you text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    colour = forms.CharField(label=_("Colour"), max_length=7, widget=forms.TextInput(attrs={"type": "color"}))
    logo = forms.FileField(label=_("Logo"), required=False, help_text=_("PNG, JPEG, GIF or WebP, at most 1 MB."))
    questions = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, instance: SurveyTemplate | None = None, **kwargs):
        if instance is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                **{name: getattr(instance, name) for name in TEXT_FIELDS},
                "questions": json.dumps(instance.questions or [], ensure_ascii=False),
            }
        super().__init__(*args, **kwargs)
        self.fields["logo"].widget.attrs["accept"] = "image/png,image/jpeg,image/gif,image/webp"

    def clean_questions(self):
        raw = self.cleaned_data.get("questions") or "[]"
        try:
            value = json.loads(raw)
        except ValueError:
            raise forms.ValidationError(_("The questions could not be read; reload the page.")) from None
        return value

    def questions_initial(self) -> list:
        """The questions the editor starts from: what was posted (to keep a refused edit), else the template's."""
        raw = self.data.get("questions") if self.is_bound else self.initial.get("questions")
        try:
            value = json.loads(raw or "[]")
        except ValueError:
            return []
        return value if isinstance(value, list) else []

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {**{name: data[name] for name in TEXT_FIELDS}, "questions": data["questions"]}


class BulkSendForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Survey template"), queryset=SurveyTemplate.objects.none())
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c.value, c.label) for c in SurveyChannel if c in BULK_CHANNELS],
        initial=SurveyChannel.EMAIL,
    )

    def __init__(self, *args, tenant_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        templates = SurveyTemplate.objects.filter(tenant_id=tenant_id).order_by("language", "-is_default", "name")
        self.fields["template"].queryset = templates
        default = templates.filter(is_default=True).first() or templates.first()
        if default is not None:
            self.fields["template"].initial = default.pk
            self.fields["template"].empty_label = None
        self.fields["template"].label_from_instance = lambda t: f"{t.name} · {t.get_language_display()}"
