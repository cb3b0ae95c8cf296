"""What the project pages share: the project (404 outside the caller's scope), its tabs, chosen baseline, the
small forms a tab posts."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages

from tandem.core.errors import ApplicationError
from tandem.core.views import can, record_or_404
from tandem.projects import selectors
from tandem.projects.models import Baseline, Project, Task


def project_or_404(request, pk: int, action: str = "view") -> Project:
    """The project if the caller may `action` it; another tenant's or an out-of-scope project is a 404."""
    return record_or_404(request, selectors.project_list(access=request.access, action=action), pk)


def task_or_404(request, project: Project, task_id: int, action: str = "view") -> Task:
    """One of the project's tasks if the caller may `action` it, else a 404."""
    return record_or_404(request, selectors.task_list(access=request.access, project=project, action=action), task_id)


# The project page permissions the templates and scripts switch on (as `can.<code without "projects.">`).
PAGE_PERMISSIONS = (
    "projects.view_task",
    "projects.add_task",
    "projects.change_task",
    "projects.delete_task",
    "projects.export_task",
    "projects.add_dependency",
    "projects.delete_dependency",
    "projects.change_project",
    "projects.export_project",
    "projects.add_projecttemplate",
    "projects.view_workcalendar",
    "projects.change_workcalendar",
    "projects.view_baseline",
    "projects.add_baseline",
    "projects.delete_baseline",
)


def permissions_of(access) -> dict[str, bool]:
    """The page permissions of the caller, for templates and the Gantt script."""
    return can(access, *PAGE_PERMISSIONS)


def tab_context(request, project: Project, tab: str) -> dict:
    """What every tab's template needs: the project, which tab is open, and what the caller may do."""
    return {"project": project, "tab": tab, "can": permissions_of(request.access)}


def chosen_baseline(request, project: Project, wanted: str | None = None) -> tuple[list[Baseline], Baseline | None]:
    """The project's baselines and the one picked by `?baseline=` (default: the lowest-numbered; "0" = none)."""
    if not request.access.has_perm("projects.view_baseline"):
        return [], None
    baselines = list(selectors.baseline_list(access=request.access, project=project))
    wanted = request.GET.get("baseline", "") if wanted is None else wanted
    if wanted == "0":
        return baselines, None
    if wanted.isdigit():
        return baselines, next((b for b in baselines if b.pk == int(wanted)), None)
    return baselines, baselines[0] if baselines else None


def posted_form(request, form, *, save: Callable, message: Callable | str) -> None:
    """A small form a tab posts before the view redirects back to it: `save(cleaned_data)` calls the service,
    success flashes `message` (or `message(record)`), a bad form or a refusal flashes why."""
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return
    try:
        obj = save(form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message(obj) if callable(message) else message)
