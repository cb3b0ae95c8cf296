"""List filters of the resources app: the resource list (page, API) and the leave list (API)."""

from __future__ import annotations

import django_filters as df
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.resources.choices import LeaveKind, ResourceKind
from tandem.resources.models import Leave, Resource

MAX_ID = 2**63 - 1


def _id(field_name: str, label, method=None) -> df.NumberFilter:
    """A filter on a record id; values no id can have are refused rather than sent to the database."""
    extra = {"method": method} if method else {"field_name": field_name}
    return df.NumberFilter(label=label, min_value=1, max_value=MAX_ID, decimal_places=0, **extra)


class ResourceFilter(df.FilterSet):
    search = df.CharFilter(method="filter_search", label=_("Search"), max_length=100)
    kind = df.ChoiceFilter(choices=ResourceKind.choices, label=_("Kind"))
    department = _id("department_id", _("Department"))
    skill = _id("skill", _("Skill"), method="filter_skill")
    min_level = df.NumberFilter(method="filter_min_level", label=_("Lowest level"), min_value=1, max_value=5)
    active = df.BooleanFilter(field_name="is_active", label=_("Active"))
    member = _id("user_id", _("Member"))

    class Meta:
        model = Resource
        fields: list[str] = []

    def filter_search(self, queryset, _name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))

    def filter_skill(self, queryset, _name, value):
        level = self.form.cleaned_data.get("min_level") or 1
        return queryset.filter(skill_levels__skill_id=value, skill_levels__level__gte=level).distinct()

    def filter_min_level(self, queryset, _name, value):
        return queryset  # read by filter_skill: a level means nothing without the skill


class LeaveFilter(df.FilterSet):
    resource = _id("resource_id", _("Resource"))
    kind = df.ChoiceFilter(choices=LeaveKind.choices, label=_("Kind"))
    after = df.DateFilter(field_name="end", lookup_expr="gte", label=_("From"))
    before = df.DateFilter(field_name="start", lookup_expr="lte", label=_("To"))

    class Meta:
        model = Leave
        fields: list[str] = []
