"""Deal (商机) pages: list and kanban board with the forecast chart, forms with line items, the deal page,
and the stage moves (board drops, stage bar, won and lost buttons)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import can, form_page, list_page, members, paginate, record_or_404, tenant_view
from tandem.crm.choices import ActivityKind, DealStatus, DealType
from tandem.crm.filters import DealFilter
from tandem.crm.forms.activities import ActivityForm
from tandem.crm.forms.common import LoseForm, MoveForm
from tandem.crm.forms.sales import DealForm, DealLineFormSet
from tandem.crm.models import Deal
from tandem.crm.selectors import activities as activity_selectors
from tandem.crm.selectors import contracts as contract_selectors
from tandem.crm.selectors import deals as deal_selectors
from tandem.crm.selectors import timelines as timeline_selectors
from tandem.crm.services import deals as deal_services
from tandem.crm.services.pipelines import pipeline_default
from tandem.crm.templatetags.crm import totals_compact
from tandem.crm.views.common import bulk_flags

DEAL_PERMS = ("crm.add_deal", "crm.change_deal", "crm.transfer_deal", "crm.delete_deal", "crm.add_contract")


def forecast_chart(rows: list[dict], currency: str) -> dict:
    """The forecast rows in the tenant's currency as chart series: months, amount, weighted amount, count."""
    rows = [r for r in rows if r["currency"] == currency]
    return {
        "currency": currency,
        "months": [r["month"] or "" for r in rows],
        "amount": [float(r["amount"]) for r in rows],
        "weighted": [float(r["weighted"]) for r in rows],
        "deals": [r["deals"] for r in rows],
    }


@tenant_view("crm.view_deal")
def deal_list(request):
    """Deals with stage, amount, expected close and last follow-up, and the forecast of what is listed."""
    access = request.access
    qs = activity_selectors.with_last_follow_up(deal_selectors.deal_list(access=access), via="deal")
    filterset = DealFilter(request.GET, queryset=qs)
    currency = access.membership.tenant.currency
    return list_page(
        request,
        key="deals",
        template="crm/deal_list.html",
        partial="crm/partials/deal_rows.html",
        filterset=filterset,
        allowed_ordering=("number", "name", "amount", "expected_close_date", "created_at", "last_follow_up_at"),
        extra={
            "statuses": DealStatus.choices,
            "stages": deal_selectors.stage_list(access=access),
            "pipelines": deal_selectors.pipeline_list(access=access),
            "forecast": forecast_chart(deal_selectors.deal_forecast(filterset.qs), currency),
            "can": can(access, *DEAL_PERMS),
            "bulk": bulk_flags(access, "deal"),
        },
    )


def _board_pipeline(request, pipelines):
    wanted = request.GET.get("pipeline", "")
    chosen = next((p for p in pipelines if str(p.pk) == wanted), None)
    return chosen or next((p for p in pipelines if p.is_default), None) or (pipelines[0] if pipelines else None)


def _board_filter(request, params: QueryDict):
    """The board's deals: the caller's, narrowed by the page's search and owner (not by stage or status)."""
    params = params.copy()
    for key in ("stage", "status", "pipeline"):
        params.pop(key, None)
    return DealFilter(params, queryset=deal_selectors.deal_scope(access=request.access))


@tenant_view("crm.view_deal")
def deal_board(request):
    """The kanban board of one pipeline: a column per stage with count and total, cards to drag between them."""
    access = request.access
    pipeline_default(tenant=access.membership.tenant)
    pipelines = list(deal_selectors.pipeline_list(access=access))
    pipeline = _board_pipeline(request, pipelines)
    if pipeline is None:
        raise Http404
    stages = list(pipeline.stages.all())
    filterset = _board_filter(request, request.GET)
    deals = filterset.qs.filter(pipeline=pipeline)
    context = {
        "pipelines": pipelines,
        "pipeline": pipeline,
        "columns": deal_selectors.deal_board(deals, stages=stages),
        "today": timezone.localdate(),
        "query": request.GET,
        "owners": members(request),
        "forecast": forecast_chart(deal_selectors.deal_forecast(deals), access.membership.tenant.currency),
        "can": can(access, *DEAL_PERMS),
    }
    return render(request, "crm/deal_board.html", context)


@tenant_view("crm.add_deal")
def deal_create(request):
    initial = {}
    for key in ("account", "contact"):
        value = request.GET.get(key, "")
        if value.isdigit():
            initial[key] = int(value)
    return form_page(
        request,
        form=DealForm(request.POST or None, initial=initial, access=request.access),
        rows=DealLineFormSet(request.POST or None, prefix="lines"),
        template="crm/deal_form.html",
        save=lambda form, lines: deal_services.deal_create(
            access=request.access, lines=lines.lines(), **form.service_fields()
        ),
        message=lambda deal: _("Deal %(name)s created.") % {"name": deal},
        success=lambda deal: reverse("crm:deal_detail", args=[deal.pk]),
        context={"deal": None},
    )


@tenant_view("crm.change_deal")
def deal_edit(request, pk: int):
    deal = record_or_404(request, deal_selectors.deal_list(access=request.access, action="change"), pk)
    initial = [
        {"product": line.product, "quantity": line.quantity, "unit": line.unit, "unit_price": line.unit_price}
        for line in deal.lines.all()
    ]
    return form_page(
        request,
        form=DealForm(request.POST or None, instance=deal, access=request.access),
        rows=DealLineFormSet(request.POST or None, initial=initial, prefix="lines"),
        template="crm/deal_form.html",
        save=lambda form, lines: deal_services.deal_update(
            access=request.access, deal=deal, lines=lines.lines(), **form.service_fields()
        ),
        message=_("Saved."),
        success=lambda _deal: reverse("crm:deal_detail", args=[deal.pk]),
        context={"deal": deal},
    )


@tenant_view("crm.view_deal")
def deal_detail(request, pk: int):
    """One deal: the stage bar, won and lost, line items, contracts, follow-ups and changes."""
    access = request.access
    deal = record_or_404(request, deal_selectors.deal_list(access=access), pk)
    stages = list(deal.pipeline.stages.order_by("order", "id"))
    page = paginate(request, timeline_selectors.deal_timeline(access=access, deal=deal), per_page=20)
    contracts = (
        contract_selectors.contract_list(access=access).filter(deal=deal)
        if access.has_perm("crm.view_contract")
        else []
    )
    context = {
        "deal": deal_selectors.deal_card(deal, deal.stage),
        "stages": stages,
        "contracts": contracts,
        "projects": deal_selectors.delivery_projects(access=access, deal=deal),
        "page": page,
        "timeline": timeline_selectors.timeline_load(page.object_list),
        "activity_form": ActivityForm(initial={"target_type": "deal", "target_id": deal.pk}),
        "activity_kinds": ActivityKind,
        "deal_types": DealType,
        "can": can(access, *DEAL_PERMS, "crm.add_activity"),
    }
    return render(request, "crm/deal_detail.html", context)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _refused(request, deal, message: str, errors: dict | None = None, status: int = 400):
    if _wants_json(request):
        return JsonResponse({"ok": False, "message": str(message), "errors": errors or {}}, status=status)
    messages.error(request, message)
    return redirect("crm:deal_detail", pk=deal.pk)


def _moved(request, deal, message: str, old_stage_id: int):
    """After a move: the board gets the redrawn card and the two columns' new counts and totals."""
    if not _wants_json(request):
        messages.success(request, message)
        return redirect("crm:deal_detail", pk=deal.pk)
    deal = deal_selectors.deal_card(deal, deal.stage)
    filterset = _board_filter(request, QueryDict(request.POST.get("board", "")[:500]))
    stage_ids = list(dict.fromkeys([old_stage_id, deal.stage_id]))
    totals = deal_selectors.stage_totals(filterset.qs.filter(pipeline_id=deal.pipeline_id), stage_ids=stage_ids)
    columns = {str(pk): {"count": c["count"], "total": totals_compact(c["totals"])} for pk, c in totals.items()}
    card = render_to_string("crm/partials/deal_card.html", {"deal": deal, "today": timezone.localdate()}, request)
    return JsonResponse({"ok": True, "message": str(message), "status": deal.status, "card": card, "columns": columns})


@require_POST
@tenant_view("crm.change_deal")
def deal_move(request, pk: int):
    """Move a deal to another stage: a kanban drop or a click on the stage bar; won and lost stages close it."""
    deal = record_or_404(
        request, deal_selectors.deal_scope(access=request.access, action="change").select_related("stage"), pk
    )
    form = MoveForm(request.POST, access=request.access)
    if not form.is_valid():
        return _refused(request, deal, _("Choose a stage of this deal's pipeline."), form.errors)
    stage, old_stage_id = form.cleaned_data["stage"], deal.stage_id
    try:
        deal = deal_services.deal_move_stage(
            access=request.access, deal=deal, stage=stage, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as exc:
        return _refused(request, deal, exc.message, exc.errors)
    if deal.status == DealStatus.WON:
        message = _("Deal won. Next: the contract and its payment plan.")
    elif deal.status == DealStatus.LOST:
        message = _("Deal marked lost.")
    else:
        message = _("Moved to %(stage)s.") % {"stage": stage.name}
    return _moved(request, deal, message, old_stage_id)


@require_POST
@tenant_view("crm.change_deal")
def deal_win(request, pk: int):
    """Mark a deal won (crm.deal.won once; winning a won deal changes nothing)."""
    deal = record_or_404(request, Deal, pk, "change")
    try:
        deal = deal_services.deal_mark_won(
            access=request.access, deal=deal, reason=request.POST.get("reason", "")[:300]
        )
    except ApplicationError as exc:
        return _refused(request, deal, exc.message, exc.errors)
    messages.success(request, _("Deal won. Next: the contract and its payment plan."))
    return redirect("crm:deal_detail", pk=deal.pk)


@require_POST
@tenant_view("crm.change_deal")
def deal_lose(request, pk: int):
    """Mark a deal lost, with the reason."""
    deal = record_or_404(request, Deal, pk, "change")
    form = LoseForm(request.POST)
    if not form.is_valid():
        return _refused(request, deal, _("Say why the deal was lost."), form.errors)
    try:
        deal_services.deal_mark_lost(access=request.access, deal=deal, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        return _refused(request, deal, exc.message, exc.errors)
    messages.success(request, _("Deal marked lost."))
    return redirect("crm:deal_detail", pk=deal.pk)


@tenant_view("crm.view_deal")
def lookup_deals(request):
    """Deals matching `?q=` (name or number), optionally of one account (`?account=`), for the pickers on forms."""
    account = request.GET.get("account", "")
    deals = deal_selectors.deal_lookup(
        access=request.access,
        q=request.GET.get("q", "").strip()[:100],
        account_id=int(account) if account.isdigit() else None,
    )
    rows = [
        {"id": d.pk, "label": str(d), "hint": " · ".join(filter(None, [d.account.name, d.stage.name]))} for d in deals
    ]
    return JsonResponse({"results": rows})
