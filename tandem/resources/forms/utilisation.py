"""The filter bar of the utilisation heatmap and the range of the resource timeline."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Department
from tandem.projects.models import Project
from tandem.resources.choices import ResourceKind
from tandem.resources.models import Skill
from tandem.resources.selectors.utilisation import default_range, range_errors, weeks_between

GROUP_CHOICES = [("department", _("By department")), ("skill", _("By skill")), ("none", _("No grouping"))]


class RangeForm(forms.Form):
    """From and to (ISO dates); a bad or over-long range falls back to the default twelve weeks."""

    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, data, *, today: date | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.today = today or timezone.localdate()
        if not self.is_bound:
            self.initial.update(zip(("start", "end"), default_range(self.today), strict=True))
        for name in self.fields:
            self.fields[name].widget.attrs.setdefault("class", "form-control form-control-sm")

    def clean(self):
        data = super().clean()
        first, last = data.get("start"), data.get("end")
        if first or last:
            first, last = default_range(self.today, first, last)
            for field, messages in range_errors(first, last).items():
                self.add_error("end" if field == "to" else field, messages)
        return data

    def period(self) -> tuple[date, date]:
        """The range asked for, or the default one when the form has errors."""
        if not self.is_valid():
            return default_range(self.today)
        return default_range(self.today, self.cleaned_data.get("start"), self.cleaned_data.get("end"))

    def shifted(self, weeks: int) -> dict[str, str]:
        """The query of the same span of weeks moved by `weeks` (negative: back)."""
        first, last = self.period()
        span = len(weeks_between(first, last))
        first = first - timedelta(days=first.weekday()) + timedelta(weeks=weeks * span)
        return {"start": first.isoformat(), "end": (first + timedelta(weeks=span, days=-1)).isoformat()}


class UtilisationFilterForm(RangeForm):
    group = forms.ChoiceField(label=_("Group"), choices=GROUP_CHOICES, required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    skill = forms.ModelChoiceField(label=_("Skill"), queryset=Skill.objects.none(), required=False)
    project = forms.ModelChoiceField(label=_("Project"), queryset=Project.objects.none(), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("All kinds")), *ResourceKind.choices], required=False)
    search = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, data, *, access, **kwargs):
        super().__init__(data, **kwargs)
        tenant_id = access.tenant_id
        self.fields["department"].queryset = Department.objects.filter(tenant_id=tenant_id)
        self.fields["skill"].queryset = Skill.objects.filter(tenant_id=tenant_id)
        self.fields["project"].queryset = (
            Project.objects.restrict(access, "view").filter(deleted_at__isnull=True).order_by("-start_date", "-id")
        )
        self.fields["department"].empty_label = _("All departments")
        self.fields["skill"].empty_label = _("All skills")
        self.fields["project"].empty_label = _("All projects")
        self.fields["search"].widget.attrs["placeholder"] = _("Name or code")
        for name in ("group", "department", "skill", "project", "kind"):
            self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> dict:
        """The selector's keyword arguments; a field in error is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "group": data.get("group") or "department",
            "department": data["department"].pk if data.get("department") else None,
            "skill": data["skill"].pk if data.get("skill") else None,
            "project": data["project"].pk if data.get("project") else None,
            "kind": data.get("kind") or "",
            "search": (data.get("search") or "").strip(),
        }
