"""Project template pages: the templates with their versions, one template's tasks and milestones, delete one,
save a project as a template."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.views import form_page, post_action, record_or_404, rows_page, tenant_view
from tandem.projects import selectors
from tandem.projects.choices import DurationUnit
from tandem.projects.forms.templates import SaveAsTemplateForm
from tandem.projects.services.templates import PM_ROLE, template_delete, template_save_from_project
from tandem.projects.views.common import project_or_404, tab_context

ENGINEER_ROLE = "engineer"
MINUTES_PER_DAY = 480


def _template_or_404(request, pk: int, action: str = "view"):
    return record_or_404(request, selectors.template_list(access=request.access, action=action), pk)


@tenant_view("projects.view_projecttemplate")
def template_list(request):
    """Every template version, newest first under its name; the current version is the one new projects use."""
    q = request.GET.get("q", "").strip()
    return rows_page(
        request,
        rows=selectors.template_summaries(access=request.access, q=q),
        template="projects/template_list.html",
        partial="projects/partials/template_rows.html",
        rows_id="template-rows",
        context={
            "q": q,
            "can_add_project": request.access.has_perm("projects.add_project"),
            "can_delete": request.access.has_perm("projects.delete_projecttemplate"),
        },
    )


@tenant_view("projects.view_projecttemplate")
def template_detail(request, pk: int):
    """A template's tasks as a tree with offsets, durations, roles, milestones and their payment %."""
    template = _template_or_404(request, pk)
    tasks = list(selectors.template_tasks(template=template))
    levels: dict[int, int] = {}
    for task in tasks:
        levels[task.pk] = levels.get(task.parent_id, 0) + 1
        task.level = levels[task.pk]
        # Templates carry no calendar: a day is the standard 8 working hours.
        per_unit = 60 if task.duration_unit == DurationUnit.HOURS else MINUTES_PER_DAY
        task.duration_value = Decimal(task.duration) / per_unit
    names = {t.pk: t.name for t in tasks}
    links = [
        {"predecessor": names.get(link.predecessor_id), "successor": names.get(link.successor_id), "link": link}
        for link in selectors.template_links(template=template)
    ]
    milestones = [t for t in tasks if t.is_milestone]
    versions = selectors.template_list(access=request.access).filter(name=template.name)
    context = {
        "template": template,
        "tasks": tasks,
        "links": links,
        "milestones": milestones,
        "payment_total": sum((t.payment_percent or Decimal(0) for t in tasks), Decimal(0)),
        "roles": sorted({t.role for t in tasks if t.role}),
        "versions": versions.select_related("created_by"),
        "pm_role": PM_ROLE,
        "can_add_project": request.access.has_perm("projects.add_project"),
        "can_delete": request.access.has_perm("projects.delete_projecttemplate"),
    }
    return render(request, "projects/template_detail.html", context)


@require_POST
@tenant_view("projects.delete_projecttemplate")
def template_remove(request, pk: int):
    """Delete one version; when it was current, the version before it becomes current."""
    template = _template_or_404(request, pk, action="delete")
    return post_action(
        request,
        act=lambda: template_delete(access=request.access, template=template),
        message=_("Template %(name)s deleted.") % {"name": str(template)},
        success=resolve_url("projects:templates"),
        failure=resolve_url("projects:template_detail", pk=template.pk),
    )


def _assigned_people(project) -> list:
    """The PM and everyone assigned a task, with the role placeholder each becomes by default."""
    people = {project.owner_id: (project.owner, PM_ROLE)}
    for user in selectors.project_assignees(project=project):
        people.setdefault(user.pk, (user, ENGINEER_ROLE))
    return list(people.values())


@tenant_view("projects.add_projecttemplate")
def save_as_template(request, pk: int):
    """Save the project's WBS as a template: dates become offsets, people become role placeholders."""
    project = project_or_404(request, pk)
    form = SaveAsTemplateForm(request.POST or None, people=_assigned_people(project), initial={"name": project.name})
    return form_page(
        request,
        form=form,
        template="projects/save_as_template.html",
        save=lambda form: template_save_from_project(
            access=request.access,
            project=project,
            name=form.cleaned_data["name"],
            description=form.cleaned_data["description"],
            roles=form.roles(),
        ),
        message=lambda template: _("Saved as template %(name)s.") % {"name": str(template)},
        success=lambda template: reverse("projects:template_detail", args=[template.pk]),
        context=tab_context(request, project, "save_as_template"),
    )
