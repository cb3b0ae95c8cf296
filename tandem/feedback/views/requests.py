"""Service request (客服工单) pages: the list, the board by status, the request page, its forms and buttons,
and the open requests on the account and project pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import can, form_page, list_page, members, paginate, record_or_404, tenant_view
from tandem.crm.models import Account
from tandem.crm.selectors.timelines import timeline_load
from tandem.feedback.choices import RequestCategory, RequestChannel, RequestPriority, RequestStatus
from tandem.feedback.filters import ServiceRequestFilter
from tandem.feedback.forms.requests import AssignForm, ServiceRequestForm, TransitionForm
from tandem.feedback.selectors import requests as request_selectors
from tandem.feedback.services import requests as request_services
from tandem.projects.models import Project

PERMS = (
    "feedback.add_servicerequest",
    "feedback.change_servicerequest",
    "feedback.delete_servicerequest",
    "feedback.export_servicerequest",
    "core.view_attachment",
    "core.add_attachment",
)
ORDERING = ("number", "subject", "priority", "status", "opened_at", "response_due_at", "resolve_due_at")


def _choices() -> dict:
    return {
        "statuses": RequestStatus.choices,
        "priorities": RequestPriority.choices,
        "categories": RequestCategory.choices,
        "channels": RequestChannel.choices,
    }


def _filter_account(request):
    """The account the list is narrowed to, for its name in the filter bar."""
    value = request.GET.get("account", "")
    return Account.objects.restrict(request.access).filter(pk=value).first() if value.isdigit() else None


@tenant_view("feedback.view_servicerequest")
def request_list(request):
    """Service requests with their priority, assignee and both SLA deadlines; late ones stand out."""
    access = request.access
    filterset = ServiceRequestFilter(
        request.GET, queryset=request_selectors.request_list(access=access), request=request
    )
    return list_page(
        request,
        key="service_requests",
        template="feedback/requests/list.html",
        partial="feedback/requests/partials/rows.html",
        filterset=filterset,
        allowed_ordering=ORDERING,
        extra={**_choices(), "can": can(access, *PERMS), "filter_account": _filter_account(request)},
    )


@tenant_view("feedback.view_servicerequest")
def request_board(request):
    """The requests in one column per status; dropping a card on another column moves it on."""
    access = request.access
    params = request.GET.copy()
    params.pop("status", None)
    filterset = ServiceRequestFilter(params, queryset=request_selectors.request_list(access=access), request=request)
    context = {
        **_choices(),
        "columns": request_selectors.request_board(filterset.qs),
        "query": request.GET,
        "owners": members(request),
        "can": can(access, *PERMS),
    }
    return render(request, "feedback/requests/board.html", context)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
@tenant_view("feedback.change_servicerequest")
def request_transition(request, pk: int):
    """Move a request to another status: a board drop (JSON) or a button on its page (back to the page)."""
    service_request = record_or_404(request, request_selectors.request_list(access=request.access, action="change"), pk)
    form = TransitionForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("Unknown status."), errors=form.errors)
        service_request = request_services.request_transition(
            access=request.access,
            request=service_request,
            status=form.cleaned_data["status"],
            resolution=form.cleaned_data["resolution"],
        )
    except ApplicationError as exc:
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": str(exc.message), "errors": exc.errors or {}}, status=400)
        messages.error(request, exc.message)
        return redirect("feedback:request_detail", pk=pk)
    message = _("%(number)s: %(status)s.") % {
        "number": service_request.number,
        "status": service_request.get_status_display(),
    }
    if not _wants_json(request):
        messages.success(request, message)
        return redirect("feedback:request_detail", pk=pk)
    # The card is drawn again as the board shows it (its deadline may have stopped, its badge changed).
    card = request_selectors.request_list(access=request.access).filter(pk=pk).first()
    html = render_to_string("feedback/requests/partials/card.html", {"item": card}, request) if card else ""
    return JsonResponse({"ok": True, "message": message, "status": service_request.status, "card": html})


@tenant_view("feedback.view_servicerequest")
def request_detail(request, pk: int):
    """One request: what it is about, its SLA clock, who has it, the next steps and its history."""
    access = request.access
    service_request = record_or_404(request, request_selectors.request_list(access=access), pk)
    page = paginate(request, request_selectors.request_timeline(access=access, request=service_request), per_page=20)
    team = list(members(request))
    next_statuses = [
        (value, label)
        for value, label in RequestStatus.choices
        if value in request_services.TRANSITIONS[service_request.status]
    ]
    context = {
        "item": service_request,
        "page": page,
        "timeline": timeline_load(page.object_list),
        "next_statuses": next_statuses,
        "assign_form": AssignForm(initial={"owner": service_request.owner_id}, access=access),
        "members_json": {user.pk: str(user) for user in team},
        "can": can(access, *PERMS),
    }
    return render(request, "feedback/requests/detail.html", context)


def _prefill(request) -> dict:
    """`?account=` and `?project=` from an account or project page (a project brings its account)."""
    initial = {}
    account = request.GET.get("account", "")
    project = request.GET.get("project", "")
    if project.isdigit():
        found = Project.objects.restrict(request.access).filter(pk=project).first()
        if found is not None:
            initial["project"] = found.pk
            if found.account_id:
                initial["account"] = found.account_id
    if account.isdigit() and "account" not in initial:
        initial["account"] = int(account)
    return initial


@tenant_view("feedback.add_servicerequest")
def request_create(request):
    form = ServiceRequestForm(request.POST or None, initial=_prefill(request), access=request.access)
    return form_page(
        request,
        form=form,
        template="feedback/requests/form.html",
        save=lambda form: request_services.request_create(access=request.access, **form.service_fields()),
        message=lambda item: _("Service request %(number)s opened.") % {"number": item.number},
        success=lambda item: reverse("feedback:request_detail", args=[item.pk]),
    )


@tenant_view("feedback.change_servicerequest")
def request_update(request, pk: int):
    service_request = record_or_404(request, request_selectors.request_list(access=request.access, action="change"), pk)
    form = ServiceRequestForm(request.POST or None, instance=service_request, access=request.access)
    return form_page(
        request,
        form=form,
        template="feedback/requests/form.html",
        save=lambda form: request_services.request_update(
            access=request.access, request=service_request, **form.service_fields()
        ),
        message=_("Saved."),
        success=reverse("feedback:request_detail", args=[service_request.pk]),
        context={"item": service_request},
    )


@tenant_view("feedback.view_servicerequest")
def request_form_projects(request):
    """The project choices of the form for the account just picked (the form reloads them with HTMX)."""
    account = request.GET.get("account", "")
    form = ServiceRequestForm(initial={"account": account if account.isdigit() else None}, access=request.access)
    return render(request, "feedback/requests/partials/project_field.html", {"form": form})


@require_POST
@tenant_view("feedback.change_servicerequest")
def request_assign(request, pk: int):
    """Give the request to a member of the team."""
    service_request = record_or_404(request, request_selectors.request_list(access=request.access, action="change"), pk)
    form = AssignForm(request.POST, access=request.access)
    if not form.is_valid():
        messages.error(request, _("Choose an active member."))
        return redirect("feedback:request_detail", pk=pk)
    try:
        request_services.request_assign(
            access=request.access, request=service_request, owner=form.cleaned_data["owner"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Assigned to %(name)s.") % {"name": form.cleaned_data["owner"]})
    return redirect("feedback:request_detail", pk=pk)


@require_POST
@tenant_view("feedback.delete_servicerequest")
def request_delete(request, pk: int):
    """Move the request to the recycle bin."""
    service_request = record_or_404(request, request_selectors.request_list(access=request.access, action="delete"), pk)
    try:
        request_services.request_delete(access=request.access, request=service_request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("feedback:request_detail", pk=pk)
    messages.success(request, _("%(number)s moved to the recycle bin.") % {"number": service_request.number})
    return redirect("feedback:request_list")


def account_panel(request, account) -> dict | None:
    """The account's open requests on its page, with a new one prefilled with the account."""
    rows, count = request_selectors.open_requests_of(access=request.access, account=account)
    return {
        "requests": rows,
        "open_count": count,
        "new_url": f"{reverse('feedback:request_create')}?account={account.pk}",
        "list_url": f"{reverse('feedback:request_list')}?account={account.pk}&open=true",
        "can_add": request.access.has_perm("feedback.add_servicerequest"),
        "hide_account": True,
    }


def project_panel(request, project) -> dict | None:
    """The project's open requests on its page, with a new one prefilled with the project and its account."""
    rows, count = request_selectors.open_requests_of(access=request.access, project=project)
    return {
        "requests": rows,
        "open_count": count,
        "new_url": f"{reverse('feedback:request_create')}?project={project.pk}" if project.account_id else "",
        "list_url": f"{reverse('feedback:request_list')}?project={project.pk}&open=true",
        "can_add": request.access.has_perm("feedback.add_servicerequest"),
        "hide_account": False,
    }
