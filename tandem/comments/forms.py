"""The comment box: text and files; the service checks everything else."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.comments.models import BODY_MAX_LENGTH


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Write a comment; type @ to mention a colleague")}),
    )
    files = MultipleFileField(label=_("Files"), required=False)


class CommentEditForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
