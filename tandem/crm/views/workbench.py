"""Pages of the sales workbench (销售工作台) and the lead first-response times."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.core.views import tenant_view
from tandem.crm.selectors import sales as sales_selectors
from tandem.crm.selectors import workbench as workbench_selectors


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
    data = workbench_selectors.workbench(access=request.access)
    context = {
        **data,
        "chart": _chart_data(data),
        "can_targets": request.access.has_perm("crm.view_salestarget"),
        "can_leads": request.access.has_perm("crm.view_lead"),
    }
    return render(request, "crm/workbench.html", context)


@tenant_view("crm.view_lead")
def response_times(request):
    """First-response times of leads per owner and per month, in working hours (managers see their team)."""
    since, until = sales_selectors.response_window({}, timezone.localdate())
    data = sales_selectors.response_times(access=request.access, since=since, until=until)
    return render(request, "crm/workbench_response_times.html", data)
