"""Reading conflicts: the list's filters, a conflict's score explained, its overload days and tasks, the home
panel's warnings for a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import django_filters

from tandem.projects.models import Project, Task
from tandem.resources.choices import ConflictStatus
from tandem.resources.models import Conflict, ResourceSettings
from tandem.resources.selectors.loads import resource_loads
from tandem.resources.services.conflicts import local_today
from tandem.scheduling.engine.loads import overloads

FACTOR_KEYS = ("tier", "priority", "float", "urgency", "overload")


def conflict_list(*, access, status: str | None = ConflictStatus.OPEN):
    qs = Conflict.objects.filter(tenant_id=access.tenant_id).select_related("resource", "task", "project")
    return qs.filter(status=status) if status else qs


def involving_project(queryset, project_id):
    """Conflicts with a task of the project among their tasks (read in Python: JSON lists, both databases)."""
    try:
        project_id = int(project_id)
    except (TypeError, ValueError):
        return queryset.none()
    ids = [pk for pk, projects in queryset.values_list("pk", "project_ids") if project_id in (projects or ())]
    return queryset.filter(pk__in=ids)


def with_tier(queryset, tier: str):
    return queryset.filter(factors__tier=tier)


def is_critical(conflict: Conflict) -> bool:
    slack = (conflict.factors or {}).get("float_days")
    return slack is not None and slack <= 0


def score_parts(conflict: Conflict) -> list[dict]:
    factors = conflict.factors or {}
    weights, parts = factors.get("weights") or {}, factors.get("parts") or {}
    total = sum(max(0.0, float(weights.get(k, 0))) for k in FACTOR_KEYS) or 1
    out = []
    for key in FACTOR_KEYS:
        weight, value = float(weights.get(key, 0)), float(parts.get(key, 0))
        out.append({"key": key, "weight": weight, "value": value, "points": round(weight * value * 100 / total, 2)})
    return out


def score_explained(conflict: Conflict) -> str:
    """score = (35×1.00 + 20×0.50 + …) / 100 × 100 = 88.95"""
    parts = score_parts(conflict)
    if not (conflict.factors or {}).get("parts"):
        return f"score = {conflict.score}"
    total = sum(max(0.0, p["weight"]) for p in parts) or 1
    terms = " + ".join(f"{p['weight']:g}×{p['value']:.2f}" for p in parts)
    return f"score = ({terms}) / {total:g} × 100 = {float(conflict.score):.2f}"


def days_until(conflict: Conflict, today: date) -> int:
    return (conflict.start - today).days


@dataclass
class OverloadDay:
    day: date
    load: int  # minutes booked
    capacity: int  # minutes
    tasks: list[tuple[int, int]]  # (task id, minutes)

    @property
    def percent(self) -> int:
        return 999 if self.capacity <= 0 else round(self.load * 100 / self.capacity)


def overload_days(conflict: Conflict) -> list[OverloadDay]:
    """The conflict's overloaded days as the loads are now: load and capacity, and the tasks behind each."""
    loads = resource_loads(conflict.tenant_id, conflict.start, conflict.end, [conflict.resource_id])
    pk = conflict.resource_id
    if pk not in loads.capacity:
        return []
    behind = loads.behind.get(pk, {})
    runs = overloads(loads.load.get(pk, {}), behind, loads.capacity[pk])
    return [
        OverloadDay(day, load, capacity, list(behind.get(day, ()))) for run in runs for day, load, capacity in run.days
    ]


def involved_tasks(conflict: Conflict) -> list[Task]:
    """The tasks loading the resource in the conflict, across projects, most at risk first."""
    tasks = list(
        Task.objects.filter(tenant_id=conflict.tenant_id, pk__in=conflict.task_ids or []).select_related("project")
    )
    return sorted(tasks, key=lambda t: (t.pk != conflict.task_id, t.total_float is None, t.total_float or 0, t.pk))


def home_conflicts(*, tenant_id: int, user_id: int, limit: int = 5) -> list[Conflict]:
    """The open, warned conflicts a person answers for: the PM of a project involved, or a resource manager
    (who sees them all); highest score first."""
    qs = Conflict.objects.filter(tenant_id=tenant_id, status=ConflictStatus.OPEN, warned_at__isnull=False)
    qs = qs.select_related("resource", "task", "project")
    manager = ResourceSettings.objects.filter(tenant_id=tenant_id, managers=user_id).exists()
    if not manager:
        mine = set(Project.objects.filter(tenant_id=tenant_id, owner_id=user_id).values_list("pk", flat=True))
        if not mine:
            return []
        ids = [pk for pk, projects in qs.values_list("pk", "project_ids") if mine & set(projects or ())]
        qs = qs.filter(pk__in=ids)
    return list(qs.order_by("-score", "start", "id")[:limit])


def today_for(tenant_id: int) -> date:
    return local_today(tenant_id)


class ConflictFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ConflictStatus.choices)
    resource = django_filters.NumberFilter(field_name="resource_id")
    project = django_filters.NumberFilter(method="filter_project", help_text="Conflicts involving this project.")
    tier = django_filters.CharFilter(method="filter_tier", help_text="The customer tier of the task most at risk.")

    class Meta:
        model = Conflict
        fields = ["status", "resource", "project", "tier"]

    def filter_project(self, queryset, name, value):
        return involving_project(queryset, value)

    def filter_tier(self, queryset, name, value):
        return with_tier(queryset, value)
