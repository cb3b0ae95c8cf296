"""Forms of the import wizard: choose type and file, then map columns to fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.integrations.choices import RowDecision


class UploadForm(forms.Form):
    object_type = forms.ChoiceField(label=_("What to import"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8 or GBK) or Excel .xlsx; the first row holds the column names."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )

    def __init__(self, *args, types: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = types
        if len(types) == 1:
            self.fields["object_type"].initial = types[0][0]


class MappingForm(forms.Form):
    """One choice of field per column of the file (or "do not import")."""

    def __init__(self, *args, headers: list[str], fields: list, initial_mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— do not import —"))] + [(f.key, f"{f.label}{' *' if f.required else ''}") for f in fields]
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or column_letter(index),
                choices=choices,
                required=False,
                initial=initial_mapping.get(str(index), ""),
            )

    def mapping(self) -> dict[str, str]:
        return {name[4:]: value for name, value in self.cleaned_data.items() if value}


class DecisionsForm(forms.Form):
    default_decision = forms.ChoiceField(label=_("Rows that may already exist"), choices=RowDecision.choices)


def column_letter(index: int) -> str:
    """A B … Z AA AB …, as spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
