"""The suggestions of a conflict: the panel on the conflict page (and a page of its own), applying one with a
click; the staff request list where the resource managers fill or decline them."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import can, post_action, record_or_404, rows_page, safe_next, tenant_view
from tandem.resources.choices import StaffRequestStatus
from tandem.resources.models import Conflict, Resource, StaffRequest
from tandem.resources.services import staff_requests as request_services
from tandem.resources.services import suggestions as services

PERMS = ("resources.change_conflict", "resources.change_staffrequest", "resources.add_staffrequest")


def _context(request, conflict: Conflict, *, notice: str = "", error: str = "") -> dict:
    return {
        "conflict": conflict,
        "suggestions": services.conflict_suggestions(access=request.access, conflict=conflict),
        "can_apply": request.access.has_perm("resources.change_conflict"),
        "notice": notice,
        "error": error,
    }


def conflict_panel(request, conflict) -> dict | None:
    """The panel's context on the conflict page (slot "resources.conflict")."""
    return _context(request, conflict)


@tenant_view("resources.view_conflict")
def conflict_suggestions(request, pk: int):
    """The suggestions alone (HTMX reloads the panel), or as a page of their own."""
    conflict = record_or_404(request, Conflict, pk)
    context = _context(request, conflict)
    if request.htmx:
        return render(request, "resources/suggestions/panel.html", context)
    return render(request, "resources/suggestions/page.html", context)


@require_POST
@tenant_view("resources.change_conflict")
def suggestion_apply(request, pk: int):
    """Apply one suggestion; HTMX gets the panel again with what happened (and the page reloads when it was applied),
    a plain form goes back."""
    conflict = record_or_404(request, Conflict, pk, action="change")
    notice = error = ""
    try:
        applied = services.suggestion_apply(
            access=request.access,
            conflict=conflict,
            key=request.POST.get("key", ""),
            fingerprint=request.POST.get("fingerprint", ""),
        )
    except ApplicationError as exc:
        error = str(exc.message)
    else:
        conflict = applied.conflict
        notice = _("Applied: %(title)s.") % {"title": applied.suggestion.title}
        if applied.resolved:
            notice = _("%(notice)s The conflict is resolved.") % {"notice": notice}
    if request.htmx:
        response = render(
            request, "resources/suggestions/panel.html", _context(request, conflict, notice=notice, error=error)
        )
        if not error:
            # The change moved loads, dates and maybe the conflict's status, shown around the panel too: the page
            # is loaded again, and says what was done.
            messages.success(request, notice)
            response["HX-Refresh"] = "true"
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(safe_next(request, reverse("resources:conflict_suggestions", args=[conflict.pk])))


@tenant_view("resources.view_staffrequest")
def staff_request_list(request):
    """Staff requests, open ones first; the resource managers fill or decline them here."""
    rows = StaffRequest.objects.restrict(request.access).select_related(
        "project", "task", "skill", "filled_by", "requested_by", "conflict"
    )
    status = request.GET.get("status", "open")
    if status in StaffRequestStatus.values:
        rows = rows.filter(status=status)
    context = {
        "statuses": StaffRequestStatus.choices,
        "status": status,
        "resources": Resource.objects.filter(tenant_id=request.access.tenant_id, is_active=True),
        "can": can(request.access, *PERMS),
    }
    return rows_page(
        request,
        rows=rows.order_by("-created_at", "-id"),
        template="resources/suggestions/requests.html",
        partial="resources/suggestions/partials/request_rows.html",
        context=context,
    )


@require_POST
@tenant_view("resources.change_staffrequest")
def staff_request_fulfil(request, pk: int):
    item = record_or_404(request, StaffRequest, pk, action="change")
    value = request.POST.get("resource", "")
    resource = (
        Resource.objects.filter(tenant_id=request.access.tenant_id, pk=value).first() if value.isdigit() else None
    )
    return post_action(
        request,
        act=lambda: request_services.staff_request_fulfil(
            access=request.access, request=item, resource=resource, note=request.POST.get("note", "")
        ),
        message=_("Staff request %(number)s fulfilled.") % {"number": item.number},
        success=reverse("resources:staff_request_list"),
    )


@require_POST
@tenant_view("resources.change_staffrequest")
def staff_request_decline(request, pk: int):
    item = record_or_404(request, StaffRequest, pk, action="change")
    return post_action(
        request,
        act=lambda: request_services.staff_request_decline(
            access=request.access, request=item, note=request.POST.get("note", "")
        ),
        message=_("Staff request %(number)s declined.") % {"number": item.number},
        success=reverse("resources:staff_request_list"),
    )


# This slice's pages, included by `tandem.resources.urls` (same namespace).
