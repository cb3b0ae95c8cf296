"""Forms of the template pages: start a project from a template, save a project as one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.calendars import selectors as calendar_selectors
from tandem.projects import selectors
from tandem.projects.forms.common import date_input, members_of
from tandem.projects.services.templates import PM_ROLE


class FromTemplateForm(forms.Form):
    """A new project from a template; each role placeholder of the template gets a person."""

    template = forms.ModelChoiceField(label=_("Template"), queryset=None)
    name = forms.CharField(label=_("Project name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=40, required=False)
    start_date = forms.DateField(label=_("Start date"), widget=date_input())
    owner = forms.ModelChoiceField(label=_("Project manager"), queryset=None)
    calendar = forms.ModelChoiceField(label=_("Work calendar"), queryset=None)

    def __init__(self, *args, access, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        members = members_of(access)
        self.fields["template"].queryset = selectors.template_list(access=access, current_only=True)
        self.fields["owner"].queryset = members
        self.fields["calendar"].queryset = calendar_selectors.calendar_list(access=access)
        self.roles = [r for r in roles if r and r != PM_ROLE]
        for index, role in enumerate(self.roles):
            self.fields[f"role_{index}"] = forms.ModelChoiceField(
                label=role,
                queryset=members,
                required=False,
                empty_label=_("Leave unassigned"),
            )

    def role_fields(self):
        return [self[f"role_{index}"] for index in range(len(self.roles))]

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        roles = {role: data.pop(f"role_{index}") for index, role in enumerate(self.roles)}
        data["roles"] = {role: person for role, person in roles.items() if person is not None}
        return data


class SaveAsTemplateForm(forms.Form):
    """Name the template; each person assigned in the project becomes a role placeholder."""

    name = forms.CharField(label=_("Template name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people = list(people)
        for person, role in self.people:
            self.fields[f"role_{person.pk}"] = forms.SlugField(
                label=str(person), max_length=50, initial=role, allow_unicode=True
            )

    def role_fields(self):
        return [self[f"role_{person.pk}"] for person, _role in self.people]

    def roles(self) -> dict[int, str]:
        return {person.pk: self.cleaned_data[f"role_{person.pk}"] for person, _role in self.people}
