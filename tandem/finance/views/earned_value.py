"""A project's earned value: the figures with a line of explanation each, the S-curve and the monthly CPI/SPI
trend (ECharts, data from json_script), and the charts' data as CSV."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.exports import Column, export_response
from tandem.core.views import tenant_view
from tandem.finance.selectors.budget_view import PERMISSION
from tandem.finance.selectors.earned_value import project_earned_value
from tandem.finance.views.budget import project_of

# Each figure with what it says, in the order the page lists them; "ratio" figures are not money.
FIGURES = (
    ("bac", "BAC", gettext_lazy("Budget at completion: the revised budget."), False),
    ("pv", "PV", gettext_lazy("Planned value: the budget of the work the baseline schedules by today."), False),
    ("ev", "EV", gettext_lazy("Earned value: the budget of the work done (budget × percent complete)."), False),
    ("ac", "AC", gettext_lazy("Actual cost: direct costs and invoices against commitments to date."), False),
    ("cv", "CV", gettext_lazy("Cost variance = EV − AC; negative means the work done cost more than planned."), False),
    ("sv", "SV", gettext_lazy("Schedule variance = EV − PV; negative means less work done than planned."), False),
    ("cpi", "CPI", gettext_lazy("Cost performance index = EV / AC; below 1 is over cost."), True),
    ("spi", "SPI", gettext_lazy("Schedule performance index = EV / PV; below 1 is behind schedule."), True),
    (
        "eac_typical",
        "EAC",
        gettext_lazy("Estimate at completion if the rest goes at today's cost efficiency: BAC / CPI."),
        False,
    ),
    (
        "eac_atypical",
        "EAC",
        gettext_lazy("Estimate at completion if the overrun so far was a one-off: AC + (BAC − EV)."),
        False,
    ),
    (
        "eac_combined",
        "EAC",
        gettext_lazy("Estimate at completion when schedule pressure costs money too: AC + (BAC − EV) / (CPI × SPI)."),
        False,
    ),
    ("etc", "ETC", gettext_lazy("Estimate to complete = EAC − AC (with EAC = BAC / CPI)."), False),
    (
        "vac",
        "VAC",
        gettext_lazy("Variance at completion = BAC − EAC; negative means the project ends over budget."),
        False,
    ),
    (
        "tcpi",
        "TCPI",
        gettext_lazy("To-complete performance index = (BAC − EV) / (BAC − AC): the efficiency the rest needs."),
        True,
    ),
)


def _chart_data(report) -> dict:
    data = report.chart_data()
    data["labels"] = {
        "planned": _("Planned value (PV)"),
        "actual": _("Actual cost (AC)"),
        "earned": _("Earned value (EV)"),
        "cpi": "CPI",
        "spi": "SPI",
    }
    return data


@tenant_view(PERMISSION)
def earned_value_page(request, pk: int):
    project = project_of(request, pk)
    report = project_earned_value(access=request.access, project=project)
    values = report.figures.__dict__
    figures = [
        {"key": key, "abbr": abbr, "help": help_text, "ratio": ratio, "value": values[key]}
        for key, abbr, help_text, ratio in FIGURES
    ]
    context = {
        "project": project,
        "report": report,
        "figures": figures,
        "chart": _chart_data(report),
        "can_export": request.access.has_perm("finance.export_projectbudget"),
    }
    return render(request, "finance/earned_value.html", context)


@tenant_view("finance.export_projectbudget")
def earned_value_export(request, pk: int):
    """The charts' data per month: planned value, actual cost, earned value, CPI, SPI."""
    project = project_of(request, pk)
    data = project_earned_value(access=request.access, project=project).chart_data()
    trend = {t["month"]: t for t in data["trend"]}
    rows = [{**p, **{k: trend.get(p["month"], {}).get(k) for k in ("cpi", "spi")}} for p in data["curve"]]
    rows += [
        {"month": m, "planned": None, "actual": None, "earned": None, **t}
        for m, t in trend.items()
        if m not in {p["month"] for p in data["curve"]}
    ]
    rows.sort(key=lambda r: r["month"])
    columns = [
        Column(_("Month"), lambda r: r["month"]),
        Column(_("Planned value (PV)"), lambda r: r["planned"]),
        Column(_("Actual cost (AC)"), lambda r: r["actual"]),
        Column(_("Earned value (EV)"), lambda r: r["earned"]),
        Column("CPI", lambda r: r.get("cpi")),
        Column("SPI", lambda r: r.get("spi")),
    ]
    fmt = "xlsx" if request.GET.get("fmt") == "xlsx" else "csv"
    return export_response(rows, columns, basename=f"earned-value-{project.number}", fmt=fmt)
