"""Pages: the project list and export, a project's overview tab with status updates, its iCalendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.calendars.workdays import Workdays
from tandem.core.views import can, rows_page, tenant_view
from tandem.projects import selectors
from tandem.projects.choices import Health, ProjectStatus, TaskStatus
from tandem.projects.delays import delay_warnings
from tandem.projects.forms.projects import StatusUpdateForm
from tandem.projects.ical import project_ics
from tandem.projects.services.projects import project_status_update_add
from tandem.projects.views.common import chosen_baseline, posted_form, project_or_404, tab_context
from tandem.projects.views.schedule import finish_day, schedule_rows


@tenant_view("projects.view_project")
def project_list(request):
    """Projects the member can see, with filters."""
    filters = {k: request.GET.get(k, "") for k in ("q", "status", "health")}
    return rows_page(
        request,
        rows=selectors.project_list(access=request.access, filters=filters),
        template="projects/project_list.html",
        partial="projects/partials/project_rows.html",
        rows_id="project-rows",
        context={
            "filters": filters,
            "statuses": ProjectStatus.choices,
            "healths": Health.choices,
            "can": can(request.access, "projects.add_project", "projects.import_project", "projects.export_project"),
        },
    )


@tenant_view("projects.export_project")
def project_export(request):
    """The filtered project list as CSV or Excel."""
    from tandem.core.exports import Column, export_response

    filters = {k: request.GET.get(k, "") for k in ("q", "status", "health")}
    rows = selectors.project_list(access=request.access, filters=filters)
    columns = [
        Column(_("Number"), lambda p: p.number),
        Column(_("Code"), lambda p: p.code),
        Column(_("Project name"), lambda p: p.name),
        Column(_("Project manager"), lambda p: str(p.owner)),
        Column(_("Status"), lambda p: p.get_status_display()),
        Column(_("Health"), lambda p: p.get_health_display()),
        Column(_("Start"), lambda p: p.start_date),
        Column(_("Scheduled finish"), lambda p: p.scheduled_finish),
        Column(_("Contract finish"), lambda p: p.contract_finish),
    ]
    fmt = "xlsx" if request.GET.get("fmt") == "xlsx" else "csv"
    return export_response(rows, columns, basename="projects", fmt=fmt)


@tenant_view("projects.view_project")
def project_detail(request, pk: int):
    """The overview tab: key dates against the contract, milestones, delay warnings, health and its history."""
    project = project_or_404(request, pk)
    access = request.access
    context = tab_context(request, project, "overview")
    rows, baseline = [], None
    if context["can"]["view_task"]:
        tasks = list(selectors.task_list(access=access, project=project))
        _baselines, baseline = chosen_baseline(request, project)
        rows = schedule_rows(project=project, tasks=tasks, workdays=Workdays(project.calendar), baseline=baseline)
    context.update(
        {
            "summary": overview_summary(project, rows),
            "milestones": [r for r in rows if r.task.is_milestone],
            "baseline": baseline,
            "warnings": delay_warnings(projects=[project]),
            "updates": list(selectors.status_updates(project=project)[:20]),
            "update_form": StatusUpdateForm(initial={"health": project.health, "date": timezone.localdate()}),
            "holiday_gap": _holiday_gap(project),
            "customer": selectors.project_customer(access=access, project=project),
            "budget_visible": access.field_rule(project.budget_rule) != "hidden",
        }
    )
    return render(request, "projects/project_overview.html", context)


def overview_summary(project, rows) -> dict:
    """Progress weighted by duration, finish against contract and baseline, critical work left."""
    leaves = [r for r in rows if not r.task.is_summary]
    weight = sum(r.task.duration for r in leaves)
    if weight:
        progress = sum(r.task.duration * r.task.percent_complete for r in leaves) / weight
    else:
        progress = sum(r.task.percent_complete for r in leaves) / len(leaves) if leaves else 0
    finish = finish_day(project.scheduled_finish)
    baseline_finishes = [r.baseline_finish for r in rows if r.baseline_finish]
    baseline_finish = max(baseline_finishes) if baseline_finishes else None
    contract_slip = (finish - project.contract_finish).days if finish and project.contract_finish else None
    return {
        "progress": round(progress),
        "tasks": len(leaves),
        "done": sum(1 for r in leaves if r.status == TaskStatus.DONE),
        "critical_open": sum(1 for r in leaves if r.task.is_critical and r.status != TaskStatus.DONE),
        "finish": finish,
        "baseline_finish": baseline_finish,
        "contract_slip": contract_slip,
        "contract_spare": -contract_slip if contract_slip is not None and contract_slip <= 0 else None,
        "baseline_slip": (finish - baseline_finish).days if finish and baseline_finish else None,
    }


@require_POST
@tenant_view("projects.change_project")
def status_update_add(request, pk: int):
    """A dated status note from the overview; the project's health becomes the note's."""
    project = project_or_404(request, pk, action="change")
    posted_form(
        request,
        StatusUpdateForm(request.POST),
        save=lambda data: project_status_update_add(access=request.access, project=project, **data),
        message=_("Status update saved."),
    )
    return redirect("projects:detail", pk=project.pk)


def _holiday_gap(project) -> dict | None:
    """The years the schedule reaches that the project calendar holds no public holidays for (neither from the
    holiday library nor imported from a file)."""
    from tandem.calendars import selectors as calendar_selectors
    from tandem.calendars.holidays import year_spans

    start, finish = project.scheduled_start, project.scheduled_finish
    if finish is None:
        return None
    first = min(project.start_date.year, timezone.localtime(start).year if start else project.start_date.year)
    coverage = calendar_selectors.holiday_coverage(calendar=project.calendar)
    missing = coverage.missing(first, finish_day(finish).year)
    if not missing:
        return None
    return {
        "calendar": project.calendar,
        "covered": coverage.text,
        "missing": year_spans(missing),
        "count": len(missing),
    }


def calendar_feed(request, pk: int):
    """The project's tasks and milestones as iCalendar: with a signed `token` for calendar apps, else signed in."""
    from tandem.projects.services.feeds import calendar_feed_access

    token = request.GET.get("token", "")
    if token:
        access = calendar_feed_access(token, project_id=pk)
        if access is None:
            raise Http404
    else:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        access = getattr(request, "access", None)
        if access is None:
            raise Http404
    if not (access.has_perm("projects.view_project") and access.has_perm("projects.view_task")):
        raise Http404
    project = selectors.project_get(access=access, pk=pk)
    if project is None:
        raise Http404
    tasks = selectors.task_list(access=access, project=project)
    body = project_ics(project, list(tasks), host=request.get_host().split(":")[0] or "tandem")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{project.number}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@tenant_view("projects.view_project")
def calendar_subscribe(request, pk: int):
    """Your private iCalendar link for the project's tasks and milestones (for Outlook, Apple or DingTalk
    calendars); creating or resetting it is a POST, resetting revokes the old link."""
    from django.urls import reverse

    from tandem.projects.services import feeds

    project = project_or_404(request, pk)
    if request.method == "POST":
        rotate = request.POST.get("rotate") == "1"
        feeds.calendar_feed_token(access=request.access, project=project, rotate=rotate)
        messages.success(
            request, _("A new link was made; the old one no longer works.") if rotate else _("Link ready.")
        )
        return redirect("projects:calendar_subscribe", pk=project.pk)
    url = None
    if selectors.has_calendar_feed(access=request.access, project=project):
        token = feeds.calendar_feed_token(access=request.access, project=project)
        url = request.build_absolute_uri(
            f"{reverse('projects:calendar_feed', kwargs={'pk': project.pk})}?token={token}"
        )
    return render(
        request, "projects/calendar_subscribe.html", {**tab_context(request, project, "overview"), "url": url}
    )
