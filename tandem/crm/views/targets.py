"""The sales targets (业绩目标) page: targets of a period with their progress; managers set targets for those
below them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import form_errors_from, post_action, record_or_404, tenant_view
from tandem.crm.choices import TargetMetric
from tandem.crm.forms.targets import PeriodForm, TargetForm
from tandem.crm.selectors import sales as sales_selectors
from tandem.crm.selectors.accounts import members_in_reach
from tandem.crm.services import targets as target_services


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
        access=access,
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
    context = {
        "targets": sales_selectors.period_targets(access=access, year=year, month=month),
        "period": period,
        "year": year,
        "form": form if can_set else None,
        "can_delete": access.has_perm("crm.delete_salestarget"),
    }
    return render(request, "crm/target_list.html", context)


@require_POST
@tenant_view("crm.delete_salestarget")
def target_delete(request, pk: int):
    target = record_or_404(request, sales_selectors.target_list(access=request.access), pk)
    return post_action(
        request,
        act=lambda: target_services.target_delete(access=request.access, target=target),
        message=_("Target removed."),
        success=f"{reverse('crm:targets')}?year={target.year}",
    )
