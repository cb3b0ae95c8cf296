"""Pages of the sales workbench (销售工作台), sales targets (业绩目标) and lead first-response times."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import form_errors_from, tenant_view
from tandem.crm import selectors_sales, selectors_workbench
from tandem.crm.choices import TargetMetric
from tandem.crm.forms_pools import PeriodForm, TargetForm
from tandem.crm.services import targets as target_services
from tandem.crm.views_pools import members_in_reach


def _chart_data(data: dict) -> dict:
    """What the charts draw, as JSON for `json_script` (the page's script reads it; no inline code)."""
    gauges = [
        {
            "label": str(t.user or t.department or _("Company")),
            "metric": t.get_metric_display(),
            "period": str(t.year) if t.month == 0 else f"{t.year}-{t.month:02d}",
            "percent": float(t.percent) if t.percent is not None else 0.0,
        }
        for t in data["targets"][:4]
    ]
    return {
        "funnel": [
            {"name": row["stage"], "value": row["deals"], "amount": float(row["amount"])} for row in data["funnel"]
        ],
        "gauges": gauges,
        "labels": {"deals": _("Deals"), "amount": _("Amount")},
    }


@tenant_view("crm.view_account")
def workbench(request):
    """The signed-in member's workbench: funnel, target gauges, team ranking, customers needing care."""
    data = selectors_workbench.workbench(access=request.access)
    context = {
        **data,
        "chart": _chart_data(data),
        "can_targets": request.access.has_perm("crm.view_salestarget"),
        "can_leads": request.access.has_perm("crm.view_lead"),
    }
    return render(request, "crm/workbench.html", context)


@tenant_view("crm.view_salestarget")
def target_list(request):
    """Targets of one year (or month) with their progress; managers set targets for those below them."""
    access = request.access
    today = timezone.localdate()
    period = PeriodForm(request.GET or None, initial={"year": today.year})
    year, month = today.year, None
    if period.is_valid():
        year = period.cleaned_data.get("year") or today.year
        month = period.cleaned_data.get("month")
    users, departments = target_services.target_subjects(access)
    can_set = users is None or bool(users) or bool(departments)
    members = members_in_reach(access)
    if users is not None:
        members = members.filter(pk__in=users)
    form = TargetForm(
        request.POST or None,
        tenant_id=access.tenant_id,
        members=members,
        departments=departments,
        initial={"year": year, "month": month or today.month, "metric": TargetMetric.CONTRACTS},
    )
    if request.method == "POST":
        if not can_set:
            raise Http404
        if form.is_valid():
            try:
                target_services.target_set(access=access, **form.cleaned_data)
            except ApplicationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Target saved."))
                return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    targets = selectors_sales.target_list(access=access).filter(year=year)
    if month is not None:
        targets = targets.filter(month=month)
    context = {
        "targets": selectors_sales.targets_with_progress(targets, tenant_id=access.tenant_id),
        "period": period,
        "year": year,
        "form": form if can_set else None,
        "can_delete": access.has_perm("crm.delete_salestarget"),
    }
    return render(request, "crm/target_list.html", context)


@require_POST
@tenant_view("crm.delete_salestarget")
def target_delete(request, pk: int):
    target = selectors_sales.target_list(access=request.access).filter(pk=pk).first()
    if target is None:
        raise Http404
    try:
        target_services.target_delete(access=request.access, target=target)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Target removed."))
    return redirect(f"{reverse('crm:targets')}?year={target.year}")


@tenant_view("crm.view_lead")
def response_times(request):
    """First-response times of leads per owner and per month, in working hours (managers see their team)."""
    today = timezone.localdate()
    since = (today.replace(day=1) - timedelta(days=150)).replace(day=1)
    data = selectors_sales.response_times(access=request.access, since=since, until=today)
    return render(request, "crm/workbench_response_times.html", data)
