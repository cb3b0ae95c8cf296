"""Forms of the resource, skill and leave pages: they parse input; the services validate and write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Department
from tandem.calendars.models import WorkCalendar
from tandem.crm.forms.common import MemberChoiceField, ParseOnlyModelForm
from tandem.resources.models import Leave, Resource, Skill
from tandem.resources.services.resources import SkillLevel

LEVELS = [(n, str(n)) for n in range(1, 6)]
MAX_SKILLS = 50


class ResourceForm(ParseOnlyModelForm):
    user = MemberChoiceField(label=_("Member"), required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    calendar = forms.ModelChoiceField(label=_("Work calendar"), queryset=WorkCalendar.objects.none(), required=False)

    class Meta:
        model = Resource
        fields = [
            "kind",
            "name",
            "code",
            "user",
            "department",
            "headcount",
            "hours_per_day",
            "calendar",
            "cost_rate",
            "bill_rate",
            "is_active",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].for_tenant(access.tenant_id)
        if self.instance.user_id:
            # A member who has left stays selectable on the resource that is theirs.
            self.fields["user"].queryset = self.fields["user"].queryset | type(self.instance.user).objects.filter(
                pk=self.instance.user_id
            )
        self.fields["user"].empty_label = _("Not a member (or a crew)")
        self.fields["user"].help_text = _("A member is linked to at most one resource.")
        self.fields["department"].queryset = Department.objects.for_tenant(access.tenant_id).order_by("name")
        self.fields["department"].empty_label = _("No department")
        self.fields["calendar"].queryset = WorkCalendar.objects.for_tenant(access.tenant_id)
        self.fields["calendar"].empty_label = _("The member's or the tenant's calendar")


class SkillLevelForm(forms.Form):
    skill = forms.ModelChoiceField(label=_("Skill"), queryset=Skill.objects.none())
    level = forms.TypedChoiceField(label=_("Level"), choices=LEVELS, coerce=int, initial=3)

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = Skill.objects.for_tenant(access.tenant_id).order_by("name")


class BaseSkillLevelFormSet(forms.BaseFormSet):
    def skill_levels(self) -> list[SkillLevel]:
        """The lines kept, in order, as the service takes them."""
        return [
            SkillLevel(form.cleaned_data["skill"], form.cleaned_data["level"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


SkillLevelFormSet = forms.formset_factory(
    SkillLevelForm,
    formset=BaseSkillLevelFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_SKILLS,
    validate_max=True,
)


def skill_rows(data, *, access, resource: Resource | None = None) -> BaseSkillLevelFormSet:
    """The skills formset of the resource form: the resource's skills, or one empty line for a new resource."""
    initial = None
    if data is None:
        initial = [{"skill": r.skill_id, "level": r.level} for r in resource.skill_levels.all()] if resource else []
    formset = SkillLevelFormSet(data, initial=initial, prefix="skills", form_kwargs={"access": access})
    if data is None and not initial:
        formset.extra = 1
    return formset


class SkillForm(ParseOnlyModelForm):
    class Meta:
        model = Skill
        fields = ["name", "description"]


class LeaveForm(ParseOnlyModelForm):
    class Meta:
        model = Leave
        fields = ["kind", "start", "end", "hours_off", "note"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
