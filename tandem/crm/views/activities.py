"""The quick follow-up (跟进记录) posted from any record page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import record_or_404, safe_next, service_errors, tenant_view
from tandem.crm.choices import ActivityKind
from tandem.crm.forms.activities import ActivityForm
from tandem.crm.models import Account, Contact, Deal, Lead
from tandem.crm.services import activities as activity_services

TARGETS = {
    "account": (Account, "crm:account_detail"),
    "contact": (Contact, "crm:contact_detail"),
    "lead": (Lead, "crm:lead_detail"),
    "deal": (Deal, "crm:deal_detail"),
}


@require_POST
@tenant_view("crm.add_activity")
def activity_create(request):
    """Log a call, visit, message or note (or plan a task) on a record the caller can see."""
    form = ActivityForm(request.POST)
    if form.is_valid():
        target_type = form.cleaned_data["target_type"]
        model, detail = TARGETS[target_type]
        target = record_or_404(request, model, form.cleaned_data["target_id"])
        try:
            activity_services.activity_create(access=request.access, **{target_type: target}, **form.service_fields())
        except ApplicationError as exc:
            service_errors(exc, form)
        else:
            messages.success(request, _("Follow-up recorded."))
            target_url = safe_next(request, reverse(detail, kwargs={"pk": target.pk}))
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target_url
                return response
            return redirect(target_url)
    context = {"activity_form": form, "activity_kinds": ActivityKind, "next": request.POST.get("next", "")}
    status = 200 if request.htmx else 400
    return render(request, "crm/partials/activity_form.html", context, status=status)
