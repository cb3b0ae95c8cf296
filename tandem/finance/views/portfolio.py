"""Every visible project's money on one page (the portfolio): revised budget, ECAC, over/under, contract value,
margin % and CPI; sortable, filterable, exportable."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tandem.core.exports import Column, export_response
from tandem.core.views import rows_page, tenant_view
from tandem.finance.selectors.budget_view import PERMISSION, PORTFOLIO_ORDERING, portfolio
from tandem.projects.choices import ProjectStatus


def _filters(request) -> dict:
    return {k: request.GET.get(k, "").replace("\x00", "").strip() for k in ("q", "status", "ordering")}


@tenant_view(PERMISSION)
def portfolio_page(request):
    filters = _filters(request)
    rows = portfolio(access=request.access, filters=filters)
    return rows_page(
        request,
        rows=rows,
        template="finance/portfolio.html",
        partial="finance/partials/portfolio_rows.html",
        rows_id="portfolio-rows",
        context={
            "filters": filters,
            "statuses": ProjectStatus.choices,
            "orderings": PORTFOLIO_ORDERING,
            "can_export": request.access.has_perm("finance.export_projectbudget"),
        },
    )


@tenant_view("finance.export_projectbudget")
def portfolio_export(request):
    rows = portfolio(access=request.access, filters=_filters(request))
    columns = [
        Column(_("Number"), lambda r: r.project.number),
        Column(_("Project name"), lambda r: r.project.name),
        Column(_("Project manager"), lambda r: str(r.project.owner)),
        Column(_("Revised budget"), lambda r: r.total.revised),
        Column(_("Estimated cost at completion"), lambda r: r.total.ecac),
        Column(_("Projected over/under"), lambda r: r.total.over_under),
        Column(_("Revised contract value"), lambda r: r.margin.contract_value),
        Column(pgettext("amount", "Margin"), lambda r: r.margin.amount),
        Column(_("Margin %"), lambda r: r.margin.percent),
        Column("CPI", lambda r: r.cpi),
    ]
    fmt = "xlsx" if request.GET.get("fmt") == "xlsx" else "csv"
    return export_response(rows, columns, basename="cost-portfolio", fmt=fmt)
