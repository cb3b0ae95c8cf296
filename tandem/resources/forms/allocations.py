"""Forms of a task's allocations page: add a resource, change its units."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.resources.choices import ResourceKind
from tandem.resources.models import Resource


def resource_details(resource: Resource) -> str:
    """A crew's size and the resource's skills with their levels: "×6 · 强电施工 3, 综合布线 3"."""
    parts = [f"×{resource.headcount}"] if resource.kind == ResourceKind.CREW else []
    skills = ", ".join(f"{level.skill.name} {level.level}" for level in resource.skill_levels.all())
    if skills:
        parts.append(skills)
    return " · ".join(parts)


def resource_label(resource: Resource) -> str:
    """The resource as the picker shows it: name, crew size, skills with their levels."""
    details = resource_details(resource)
    return f"{resource.name} · {details}" if details else resource.name


class ResourceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return resource_label(obj)


class AllocationAddForm(forms.Form):
    resource = ResourceChoice(queryset=Resource.objects.none(), label=_("Resource"), empty_label=None)
    units = forms.DecimalField(
        label=_("Units (%)"),
        min_value=Decimal(0),
        max_value=Decimal(50000),
        decimal_places=2,
        required=False,
        help_text=_("100 = full time; a crew of 5 works up to 500."),
    )
    hours_per_day = forms.DecimalField(
        label=_("Hours per day"),
        min_value=Decimal(0),
        max_value=Decimal(12000),
        decimal_places=2,
        required=False,
        help_text=_("Instead of units: fixed hours each working day."),
    )

    def __init__(self, *args, tenant_id: int, taken=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = (
            Resource.objects.filter(tenant_id=tenant_id, is_active=True)
            .exclude(pk__in=list(taken))
            .prefetch_related("skill_levels__skill")
            .order_by("kind", "name")
        )


class AllocationUnitsForm(forms.Form):
    units = forms.DecimalField(
        label=_("Units (%)"), min_value=Decimal(0), max_value=Decimal(50000), decimal_places=2, required=False
    )
    hours_per_day = forms.DecimalField(
        label=_("Hours per day"), min_value=Decimal(0), max_value=Decimal(12000), decimal_places=2, required=False
    )
