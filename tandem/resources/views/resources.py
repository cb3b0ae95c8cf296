"""Resource pages: the list of people and crews, a resource's page (skills, leave, allocations), its form, the
skills page and the leave form."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.models import Department
from tandem.core.errors import ApplicationError
from tandem.core.views import can, form_page, ordered, post_action, record_or_404, rows_page, saved_filters, tenant_view
from tandem.core.views.kit import form_errors_from
from tandem.resources.choices import ResourceKind
from tandem.resources.filters import ResourceFilter
from tandem.resources.forms.resources import LeaveForm, ResourceForm, SkillForm, skill_rows
from tandem.resources.models import Skill
from tandem.resources.selectors import resources as selectors
from tandem.resources.services import resources as services

PERMS = (
    "resources.add_resource",
    "resources.change_resource",
    "resources.export_resource",
    "resources.view_skill",
    "resources.add_skill",
    "resources.change_skill",
    "resources.delete_skill",
    "resources.view_leave",
    "resources.add_leave",
    "resources.change_leave",
    "resources.delete_leave",
    "resources.view_allocation",
)
ORDERING = ("name", "code", "kind", "headcount", "cost_rate", "bill_rate")


def _set_capacity(request, page) -> None:
    """The hours a day of the resources shown, set on each row (three queries for the page)."""
    page.object_list = list(page.object_list)
    hours = selectors.capacity_hours(request.access.tenant_id, page.object_list)
    for resource in page.object_list:
        resource.capacity = hours.get(resource.pk)


@tenant_view("resources.view_resource")
def resource_list(request):
    """People and crews with kind, department, skills and hours a day; search, filter by kind, department, skill."""
    access = request.access
    filterset = ResourceFilter(request.GET, queryset=selectors.resource_list(access=access), request=request)
    tenant_id = access.tenant_id
    context = {
        "filters": filterset.form.cleaned_data if filterset.is_valid() else {},
        "list_key": "resources",
        "saved_filters": saved_filters(request, "resources"),
        "kinds": ResourceKind.choices,
        "departments": Department.objects.for_tenant(tenant_id).order_by("name"),
        "skills": Skill.objects.for_tenant(tenant_id).order_by("name"),
        "can": can(access, *PERMS),
    }

    def page_context(page) -> dict:
        _set_capacity(request, page)
        return context

    return rows_page(
        request,
        rows=ordered(request, filterset.qs, ORDERING),
        template="resources/resources/list.html",
        partial="resources/resources/partials/rows.html",
        context=page_context,
    )


@tenant_view("resources.view_resource")
def resource_detail(request, pk: int):
    """One resource: its facts and capacity, skills with levels, leave, and the work allocated to it."""
    access = request.access
    resource = record_or_404(request, selectors.resource_list(access=access), pk)
    resource.capacity = selectors.capacity_hours(access.tenant_id, [resource]).get(resource.pk)
    context = {
        "item": resource,
        "leaves": list(selectors.leave_of(resource)) if access.has_perm("resources.view_leave") else [],
        "allocations": selectors.allocations_of(access=access, resource=resource)
        if access.has_perm("resources.view_allocation")
        else [],
        "can": can(access, *PERMS),
    }
    return render(request, "resources/resources/detail.html", context)


def _resource_form(request, *, resource=None):
    access = request.access
    form = ResourceForm(request.POST or None, instance=resource, access=access)
    rows = skill_rows(request.POST or None, access=access, resource=resource)

    def save(form, rows):
        fields = dict(form.cleaned_data)
        if resource is None:
            return services.resource_create(access=access, skills=rows.skill_levels(), **fields)
        return services.resource_update(access=access, resource=resource, skills=rows.skill_levels(), **fields)

    return form_page(
        request,
        form=form,
        rows=rows,
        template="resources/resources/form.html",
        save=save,
        message=(lambda item: _("Resource %(name)s added.") % {"name": item.name}) if resource is None else _("Saved."),
        success=lambda item: reverse("resources:resource_detail", args=[item.pk]),
        context={"item": resource},
    )


@tenant_view("resources.add_resource")
def resource_create(request):
    return _resource_form(request)


@tenant_view("resources.change_resource")
def resource_update(request, pk: int):
    resource = record_or_404(request, selectors.resource_list(access=request.access, action="change"), pk)
    return _resource_form(request, resource=resource)


@require_POST
@tenant_view("resources.change_resource")
def resource_deactivate(request, pk: int):
    """Take the resource off new work; it keeps its history (reactivate it from its form)."""
    resource = record_or_404(request, selectors.resource_list(access=request.access, action="change"), pk)
    return post_action(
        request,
        act=lambda: services.resource_deactivate(access=request.access, resource=resource),
        message=_("%(name)s deactivated.") % {"name": resource.name},
        success=reverse("resources:resource_detail", args=[resource.pk]),
    )


# --- skills --------------------------------------------------------------------------------------------------


@tenant_view("resources.view_skill")
def skill_list(request):
    """The tenant's skills with how many resources have each; add one in place."""
    access = request.access
    form = SkillForm(request.POST or None) if access.has_perm("resources.add_skill") else None
    if request.method == "POST":
        if form is None:
            return redirect("resources:skill_list")
        if form.is_valid():
            try:
                skill = services.skill_create(access=access, **form.cleaned_data)
            except ApplicationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Skill %(name)s added.") % {"name": skill.name})
                return redirect("resources:skill_list")
    return rows_page(
        request,
        rows=selectors.skill_list(access=access),
        template="resources/resources/skills.html",
        partial="resources/resources/partials/skill_rows.html",
        context={"form": form, "can": can(access, *PERMS)},
    )


@tenant_view("resources.change_skill")
def skill_update(request, pk: int):
    skill = record_or_404(request, Skill, pk, action="change")
    return form_page(
        request,
        form=SkillForm(request.POST or None, instance=skill),
        template="resources/resources/skill_form.html",
        save=lambda form: services.skill_update(access=request.access, skill=skill, **form.cleaned_data),
        message=_("Saved."),
        success=reverse("resources:skill_list"),
        context={"item": skill},
    )


@require_POST
@tenant_view("resources.delete_skill")
def skill_delete(request, pk: int):
    skill = record_or_404(request, Skill, pk, action="delete")
    return post_action(
        request,
        act=lambda: services.skill_delete(access=request.access, skill=skill),
        message=_("Skill %(name)s deleted.") % {"name": skill.name},
        success=reverse("resources:skill_list"),
    )


# --- leave ---------------------------------------------------------------------------------------------------


@tenant_view("resources.add_leave")
def leave_create(request, pk: int):
    """Record leave of a resource from its page."""
    resource = record_or_404(request, selectors.resource_list(access=request.access), pk)
    return form_page(
        request,
        form=LeaveForm(request.POST or None),
        template="resources/resources/leave_form.html",
        save=lambda form: services.leave_create(access=request.access, resource=resource, **form.cleaned_data),
        message=_("Leave recorded."),
        success=reverse("resources:resource_detail", args=[resource.pk]),
        context={"resource": resource},
    )


@tenant_view("resources.change_leave")
def leave_update(request, pk: int):
    leave = record_or_404(request, selectors.leave_list(access=request.access, action="change"), pk)
    return form_page(
        request,
        form=LeaveForm(request.POST or None, instance=leave),
        template="resources/resources/leave_form.html",
        save=lambda form: services.leave_update(access=request.access, leave=leave, **form.cleaned_data),
        message=_("Saved."),
        success=reverse("resources:resource_detail", args=[leave.resource_id]),
        context={"resource": leave.resource, "item": leave},
    )


@require_POST
@tenant_view("resources.delete_leave")
def leave_delete(request, pk: int):
    leave = record_or_404(request, selectors.leave_list(access=request.access, action="delete"), pk)
    return post_action(
        request,
        act=lambda: services.leave_delete(access=request.access, leave=leave),
        message=_("Leave deleted."),
        success=reverse("resources:resource_detail", args=[leave.resource_id]),
    )
