"""A task's allocations (资源分配): who works on it at what units, the work that comes of it, and for an
effort-driven task what adding or removing a person does to its duration."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import can, form_page, post_action, record_or_404, tenant_view
from tandem.projects.choices import TaskType
from tandem.projects.models import Task
from tandem.resources.forms.allocations import AllocationAddForm, AllocationUnitsForm, resource_details
from tandem.resources.models import Allocation
from tandem.resources.services import allocations as services

PERMISSIONS = ("resources.add_allocation", "resources.change_allocation", "resources.delete_allocation")


def _days(minutes: int | None, day: int) -> Decimal:
    return (Decimal(minutes or 0) / Decimal(day or 480)).quantize(Decimal("0.1"))


def _context(request, task: Task) -> dict:
    day = services.minutes_per_day(task)
    rows = list(
        Allocation.objects.filter(task=task)
        .select_related("resource")
        .prefetch_related("resource__skill_levels__skill")
        .order_by("resource__name", "id")
    )
    effort = task.task_type == TaskType.EFFORT_DRIVEN
    total_work = sum(a.work for a in rows)
    rates = {a.pk: services.rate(a, day) for a in rows}
    lines = []
    for allocation in rows:
        without = None
        if effort and len(rows) > 1 and total_work:
            others = [r for pk, r in rates.items() if pk != allocation.pk]
            without = services.effort_duration(total_work, others)
        lines.append(
            {
                "allocation": allocation,
                "details": resource_details(allocation.resource),
                "work_hours": (Decimal(allocation.work) / 60).quantize(Decimal("0.1")),
                "without_days": _days(without, day) if without is not None else None,
            }
        )
    one_more = None
    if effort and rows and total_work:
        one_more = services.effort_duration(total_work, [*rates.values(), Decimal(1)])
    return {
        "task": task,
        "project": task.project,
        "lines": lines,
        "effort": effort,
        "allocatable": not (task.is_summary or task.is_milestone),
        "duration_days": _days(task.duration, day),
        "total_work_hours": (Decimal(total_work) / 60).quantize(Decimal("0.1")),
        "one_more_days": _days(one_more, day) if one_more is not None else None,
        "can": can(request.access, *PERMISSIONS, "projects.change_task"),
    }


def _page(task: Task) -> str:
    return reverse("resources:task_allocations", args=[task.pk])


@tenant_view("resources.view_allocation")
def task_allocations(request, task_id: int):
    """GET: the task's allocations with an add form; POST: add a resource."""
    posted = request.method == "POST"
    if posted and not request.access.has_perm("resources.add_allocation"):
        raise PermissionDenied("resources.add_allocation")
    # The model, not a queryset: record_or_404 restricts it to the caller's tenant and data scope.
    task = record_or_404(request, Task, task_id, "change" if posted else "view")
    taken = Allocation.objects.filter(task=task).values_list("resource_id", flat=True)
    form = AllocationAddForm(request.POST or None, tenant_id=request.access.tenant_id, taken=taken)

    def save(form):
        data = form.cleaned_data
        return services.allocation_create(
            actor=request.access,
            task=task,
            resource=data["resource"],
            units=data.get("units"),
            hours_per_day=data.get("hours_per_day"),
        )

    return form_page(
        request,
        form=form,
        template="resources/allocations/task.html",
        save=save,
        success=_page(task),
        message=lambda a: _("%(resource)s allocated.") % {"resource": a.resource.name},
        context=_context(request, task),
        invalid_status=400,
    )


@require_POST
@tenant_view("resources.change_allocation")
def allocation_update(request, pk: int):
    allocation = record_or_404(request, Allocation, pk, "change")
    form = AllocationUnitsForm(request.POST)
    back = _page(allocation.task)
    if not form.is_valid():
        messages.error(request, _("Give the units as a number between 0 and the resource's headcount × 100."))
        return redirect(back)
    data = form.cleaned_data
    if data.get("hours_per_day") is not None:
        fields = {"hours_per_day": data["hours_per_day"]}
    elif data.get("units") is not None:
        fields = {"units": data["units"], "hours_per_day": None}
    else:
        messages.error(request, _("Give the units or the hours per day."))
        return redirect(back)
    return post_action(
        request,
        act=lambda: services.allocation_update(actor=request.access, allocation=allocation, **fields),
        message=_("Allocation changed."),
        success=back,
    )


@require_POST
@tenant_view("resources.delete_allocation")
def allocation_delete(request, pk: int):
    allocation = record_or_404(request, Allocation, pk, "delete")
    back = _page(allocation.task)
    name = allocation.resource.name
    try:
        services.allocation_delete(actor=request.access, allocation=allocation)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(resource)s taken off the task.") % {"resource": name})
    return redirect(back)


PANEL_ROWS = 12


def project_panel(request, project) -> dict | None:
    """On the project page: the tasks still to do with the resources allocated to them, each a link to its
    allocations page; nothing for a project without tasks to allocate."""
    tasks = list(
        Task.objects.filter(project=project, is_summary=False, is_milestone=False, actual_finish__isnull=True)
        .order_by("sort_order", "id")
        .prefetch_related("allocations__resource")[: PANEL_ROWS + 1]
    )
    if not tasks:
        return None
    more = len(tasks) > PANEL_ROWS
    rows = [
        {
            "task": task,
            "allocations": sorted(task.allocations.all(), key=lambda a: a.resource.name),
        }
        for task in tasks[:PANEL_ROWS]
    ]
    return {"allocation_rows": rows, "allocation_more": more}
