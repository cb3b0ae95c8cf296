"""The cost center's record pages: change orders, commitments (lists and details with their lines), cost records
(list with filters), the cost code tree and the alert thresholds."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.views import can, form_page, ordered, post_action, record_or_404, rows_page, saved_filters, tenant_view
from tandem.finance.choices import (
    EDITABLE_COMMITMENT_STATUSES,
    FLOWS,
    ChangeOrderKind,
    ChangeOrderStatus,
    CommitmentKind,
    CommitmentStatus,
    CostKind,
)
from tandem.finance.filters import ChangeOrderFilter, CommitmentFilter, CostRecordFilter
from tandem.finance.forms.budgets import CostCodeForm, CostSettingsForm
from tandem.finance.models import CostCode
from tandem.finance.selectors import records as selectors
from tandem.finance.services import cost_codes as code_services
from tandem.finance.services.alerts import cost_settings_for
from tandem.finance.services.settings import cost_settings_update


def _list(request, *, key, filterset, ordering, template, partial, rows_id, extra):
    context = {
        "filters": filterset.form.cleaned_data if filterset.is_valid() else {},
        "list_key": key,
        "saved_filters": saved_filters(request, key),
        **extra,
    }
    return rows_page(
        request,
        rows=ordered(request, filterset.qs, ordering),
        template=template,
        partial=partial,
        rows_id=rows_id,
        context=context,
    )


@tenant_view("finance.view_changeorder")
def change_order_list(request):
    filterset = ChangeOrderFilter(request.GET, queryset=selectors.change_order_list(access=request.access))
    return _list(
        request,
        key="finance.changeorders",
        filterset=filterset,
        ordering=("number", "created_at", "contract_amount", "lines_total", "status"),
        template="finance/records/change_orders.html",
        partial="finance/records/partials/change_order_rows.html",
        rows_id="change-order-rows",
        extra={"statuses": ChangeOrderStatus.choices, "kinds": ChangeOrderKind.choices},
    )


@tenant_view("finance.view_changeorder")
def change_order_detail(request, pk: int):
    change_order = record_or_404(request, selectors.change_order_list(access=request.access), pk)
    from tandem.approvals.choices import ApprovalStatus
    from tandem.approvals.selectors.approvals import approval_for

    approval = approval_for(tenant_id=change_order.tenant_id, object_type="finance.changeorder", object_id=pk)
    context = {
        "change_order": change_order,
        "approval_running": approval is not None and approval.status == ApprovalStatus.PENDING,
        "lines": selectors.change_order_lines(change_order),
        "can": can(request.access, "finance.change_changeorder", "finance.approve_changeorder"),
    }
    return render(request, "finance/records/change_order_detail.html", context)


@tenant_view("finance.view_commitment")
def commitment_list(request):
    filterset = CommitmentFilter(request.GET, queryset=selectors.commitment_list(access=request.access))
    return _list(
        request,
        key="finance.commitments",
        filterset=filterset,
        ordering=("number", "vendor", "created_at", "lines_total", "invoiced", "status"),
        template="finance/records/commitments.html",
        partial="finance/records/partials/commitment_rows.html",
        rows_id="commitment-rows",
        extra={"statuses": CommitmentStatus.choices, "kinds": CommitmentKind.choices},
    )


@tenant_view("finance.view_commitment")
def commitment_detail(request, pk: int):
    commitment = record_or_404(request, selectors.commitment_list(access=request.access), pk)
    moves = [CommitmentStatus(s) for s in FLOWS[commitment.kind].get(commitment.status, ())]
    context = {
        "commitment": commitment,
        "lines": selectors.commitment_lines(commitment),
        "moves": moves,
        "editable": commitment.status in EDITABLE_COMMITMENT_STATUSES,
        "can": can(request.access, "finance.change_commitment", "finance.approve_commitment"),
    }
    return render(request, "finance/records/commitment_detail.html", context)


@tenant_view("finance.view_costrecord")
def cost_record_list(request):
    filterset = CostRecordFilter(request.GET, queryset=selectors.cost_record_list(access=request.access))
    return _list(
        request,
        key="finance.costrecords",
        filterset=filterset,
        ordering=("date", "amount", "vendor", "kind"),
        template="finance/records/cost_records.html",
        partial="finance/records/partials/cost_record_rows.html",
        rows_id="cost-record-rows",
        extra={
            "kinds": CostKind.choices,
            "can": can(request.access, "finance.change_costrecord", "finance.delete_costrecord"),
        },
    )


@tenant_view("finance.view_costcode")
def cost_code_tree(request):
    nodes = selectors.cost_code_tree(access=request.access)
    context = {
        "nodes": nodes,
        "can": can(
            request.access,
            "finance.add_costcode",
            "finance.change_costcode",
            "finance.delete_costcode",
            "finance.import_costcode",
        ),
    }
    return render(request, "finance/records/cost_codes.html", context)


@tenant_view("finance.view_costsettings")
def cost_settings(request):
    """The thresholds: a form for whoever may change them (a POST without the permission is refused), else read."""
    row = cost_settings_for(request.access.tenant_id)
    editable = request.access.has_perm("finance.change_costsettings")
    if not editable:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "finance/records/settings.html", {"settings": row, "editable": False})
    return form_page(
        request,
        form=CostSettingsForm(request.POST or None, instance=row),
        template="finance/records/settings.html",
        save=lambda f: cost_settings_update(access=request.access, **f.cleaned_data),
        message=_("Cost alert thresholds saved."),
        success=reverse("finance:settings"),
        context={"settings": row, "editable": True},
    )


def _codes_url() -> str:
    return reverse("finance:cost_code_tree")


@tenant_view("finance.add_costcode")
def cost_code_create(request):
    return form_page(
        request,
        form=CostCodeForm(request.POST or None, access=request.access),
        template="finance/records/cost_code_form.html",
        save=lambda f: code_services.cost_code_create(access=request.access, **f.cleaned_data),
        message=_("Cost code saved."),
        success=_codes_url(),
        context={"title": _("New cost code")},
    )


@tenant_view("finance.change_costcode")
def cost_code_update(request, pk: int):
    code = record_or_404(request, CostCode, pk, "change")
    form = CostCodeForm(request.POST or None, instance=code, access=request.access)
    # The service takes the record as `code`, so the code itself is not renamed here (lines refer to it anyway).
    form.fields["code"].disabled = True
    return form_page(
        request,
        form=form,
        template="finance/records/cost_code_form.html",
        save=lambda f: code_services.cost_code_update(
            access=request.access, code=code, **{k: v for k, v in f.cleaned_data.items() if k != "code"}
        ),
        message=_("Cost code saved."),
        success=_codes_url(),
        context={"title": str(code)},
    )


@require_POST
@tenant_view("finance.delete_costcode")
def cost_code_delete(request, pk: int):
    code = record_or_404(request, CostCode, pk, "delete")
    return post_action(
        request,
        act=lambda: code_services.cost_code_delete(access=request.access, code=code),
        message=_("Cost code deleted."),
        success=_codes_url(),
    )
