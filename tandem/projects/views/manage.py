"""Project set-up pages: create and edit a project, start one from a template, import and export MS Project XML."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.calendars.services.calendars import calendar_default
from tandem.core.errors import ApplicationError
from tandem.core.views import form_errors_from, form_page, tenant_view
from tandem.projects import selectors
from tandem.projects.choices import ProjectStatus
from tandem.projects.forms.projects import MspdiImportForm, ProjectForm
from tandem.projects.forms.templates import FromTemplateForm
from tandem.projects.services.mspdi import project_export_mspdi, project_import_mspdi
from tandem.projects.services.projects import project_create, project_update
from tandem.projects.services.templates import template_instantiate
from tandem.projects.views.common import project_or_404, tab_context


def _new_project_initial(request) -> dict:
    return {
        "owner": request.access.user_id,
        "start_date": timezone.localdate(),
        # The default calendar comes from the calendars service, which takes the tenant (not a read of ours).
        "calendar": calendar_default(tenant_id=request.access.tenant_id).pk,
        "status": ProjectStatus.PLANNING,
    }


def _with_link_errors(create):
    try:
        return create()
    except ApplicationError as exc:
        raise ProjectForm.on_fields(exc) from exc


@tenant_view("projects.add_project")
def project_add(request):
    """A new project: the caller is its PM unless another member is chosen."""
    return form_page(
        request,
        form=ProjectForm(request.POST or None, access=request.access, initial=_new_project_initial(request)),
        template="projects/project_form.html",
        save=lambda form: _with_link_errors(lambda: project_create(access=request.access, **form.service_fields())),
        message=lambda project: _("Project %(number)s created.") % {"number": project.number},
        success=lambda project: reverse("projects:detail", args=[project.pk]),
    )


@tenant_view("projects.change_project")
def project_edit(request, pk: int):
    """Change a project's fields, PM, team, calendar or status; the schedule follows."""
    project = project_or_404(request, pk, action="change")

    def save(form):
        try:
            return project_update(access=request.access, project=project, **form.service_fields(changed_only=True))
        except ApplicationError as exc:
            # The service may have changed the instance before refusing; the page shows the stored project.
            project.refresh_from_db()
            raise ProjectForm.on_fields(exc) from exc

    form = ProjectForm(request.POST or None, access=request.access, project=project)
    return form_page(
        request,
        form=form,
        template="projects/project_form.html",
        save=save,
        message=_("Project saved."),
        success=reverse("projects:detail", args=[project.pk]),
        context={**tab_context(request, project, "edit"), "completion": _completion_context(form, project)},
    )


def _completion_context(form, project) -> dict | None:
    """How much work is open, for the warning shown when the status is set to completed; None when it cannot be."""
    if "completion_reason" not in form.fields:
        return None
    open_count, total = selectors.task_counts(project=project)
    chosen = form["status"].value() == ProjectStatus.COMPLETED
    return {"open": open_count, "total": total, "done": total - open_count, "shown": chosen and open_count > 0}


@tenant_view("projects.add_project")
def project_from_template(request):
    """A new project from a template: the template's dates counted from the start, its roles given to people."""
    access = request.access
    templates = selectors.template_list(access=access, current_only=True)
    wanted = (request.POST or request.GET).get("template", "")
    template = templates.filter(pk=int(wanted)).first() if wanted.isdigit() else None
    initial = {**_new_project_initial(request), "template": template.pk if template else None}
    if template is not None:
        initial["name"] = template.name
    roles = selectors.template_roles(template=template)
    return form_page(
        request,
        form=FromTemplateForm(request.POST or None, access=access, roles=roles, initial=initial),
        template="projects/project_from_template.html",
        save=lambda form: template_instantiate(access=access, **form.service_fields()),
        message=lambda project: _("Project %(number)s created from the template.") % {"number": project.number},
        success=lambda project: reverse("projects:gantt", args=[project.pk]),
        # `exists` is passed uncalled: the template asks only when it renders, so a saved form pays no query.
        context={"template": template, "has_templates": templates.exists},
    )


@tenant_view("projects.import_project")
def project_import(request):
    """Upload an MS Project XML (MSPDI) file: a new project with its WBS, links and calendars, or nothing at all."""
    form = MspdiImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = project_import_mspdi(
                access=request.access, upload=data["file"], name=data["name"], code=data["code"]
            )
        except ApplicationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(
                request,
                _("Imported %(name)s as project %(number)s.") % {"name": project.name, "number": project.number},
            )
            adjusted = project.import_warnings
            if adjusted:
                shown = "; ".join(adjusted[:5]) + (" …" if len(adjusted) > 5 else "")
                messages.warning(
                    request,
                    ngettext(
                        "%(n)d thing in the file was adjusted on import: %(list)s",
                        "%(n)d things in the file were adjusted on import: %(list)s",
                        len(adjusted),
                    )
                    % {"n": len(adjusted), "list": shown},
                )
            return redirect("projects:gantt", pk=project.pk)
    return render(request, "projects/project_import.html", {"form": form})


@tenant_view("projects.export_project")
def project_export(request, pk: int):
    """The project as Microsoft Project XML, for those who plan in MS Project."""
    project = project_or_404(request, pk)
    try:
        body = project_export_mspdi(access=request.access, project=project)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("projects:detail", pk=project.pk)
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{project.number}.xml"'
    return response
