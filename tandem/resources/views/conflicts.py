"""Conflict pages (资源冲突): the list ranked by score, one conflict with its overload days, tasks and score,
dismissing it, the tenant's resource settings with "refresh now", and the home panel of warnings."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.errors import ApplicationError
from tandem.core.views import can, form_page, record_or_404, rows_page, tenant_view
from tandem.resources.choices import ConflictStatus, SuggestionKind
from tandem.resources.forms.conflicts import FACTOR_LABELS, TIER_LABELS, DismissForm, ResourceSettingsForm
from tandem.resources.models import Conflict, Resource
from tandem.resources.selectors import conflicts as selectors
from tandem.resources.services import conflict_actions
from tandem.resources.services.conflicts import resource_settings

PERMS = ("resources.change_conflict", "resources.change_resourcesettings")


def _source(request):
    return Conflict.objects.filter(tenant_id=request.access.tenant_id).select_related("resource", "task", "project")


def _decorate(conflicts, today):
    for c in conflicts:
        c.days_until = selectors.days_until(c, today)
        c.critical = selectors.is_critical(c)
        c.tier = (c.factors or {}).get("tier", "")
        c.float_days = (c.factors or {}).get("float_days")
    return conflicts


@tenant_view("resources.view_conflict")
def conflict_list(request):
    """Conflicts, highest score first; open ones unless another status is asked for."""
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = ConflictStatus.OPEN
    filterset = selectors.ConflictFilter(params, queryset=_source(request))
    rows = filterset.qs.order_by("-score", "start", "id")
    today = selectors.today_for(request.access.tenant_id)
    context = {
        "statuses": ConflictStatus.choices,
        "tiers": list(TIER_LABELS.items())[:-1],
        "resources": Resource.objects.filter(tenant_id=request.access.tenant_id).order_by("name"),
        "status": params["status"],
        "can": can(request.access, *PERMS),
    }
    return rows_page(
        request,
        rows=rows,
        template="resources/conflicts/list.html",
        partial="resources/conflicts/partials/rows.html",
        context=lambda page: {**context, "rows": _decorate(list(page.object_list), today)},
    )


@tenant_view("resources.view_conflict")
def conflict_detail(request, pk: int):
    """One conflict: the days over capacity, the tasks behind them across projects, the score worked out."""
    conflict = record_or_404(request, _source(request), pk)
    today = selectors.today_for(request.access.tenant_id)
    _decorate([conflict], today)
    days = selectors.overload_days(conflict)
    tasks = selectors.involved_tasks(conflict)
    names = {t.pk: t for t in tasks}
    for day in days:
        day.rows = [(names.get(task_id), minutes) for task_id, minutes in day.tasks]
    parts = selectors.score_parts(conflict)
    for part in parts:
        part["label"] = FACTOR_LABELS.get(part["key"], part["key"])
    context = {
        "conflict": conflict,
        "days": days,
        "tasks": tasks,
        "parts": parts,
        "explained": selectors.score_explained(conflict),
        "tier_label": TIER_LABELS.get(conflict.tier, conflict.tier),
        "dismiss_form": DismissForm(),
        "resolution": _resolution(conflict.resolution),
        "can": can(request.access, *PERMS),
    }
    return render(request, "resources/conflicts/detail.html", context)


def _resolution(stored: str) -> str:
    """How a conflict ended, in words: the refresh stores "ended" or "cleared", a suggestion "<kind>: <title>",
    a dismissal the reason as typed."""
    if stored == "ended":
        return _("its days are over")
    if stored == "cleared":
        return _("the overload is gone")
    kind, separator, title = stored.partition(": ")
    if separator and kind in SuggestionKind.values:
        return _("Applied: %(title)s.") % {"title": title}
    return stored


@require_POST
@tenant_view("resources.change_conflict")
def conflict_dismiss(request, pk: int):
    conflict = record_or_404(request, _source(request), pk, action="change")
    form = DismissForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("Say why the conflict is dismissed."), errors=form.errors)
        conflict_actions.conflict_dismiss(access=request.access, conflict=conflict, reason=form.cleaned_data["reason"])
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Conflict dismissed."))
    return redirect("resources:conflict_detail", pk=conflict.pk)


@tenant_view("resources.change_resourcesettings")
def settings_page(request):
    """Warning lead time, look-ahead, tier and score weights, resource managers; saving rescores every conflict."""
    access = request.access
    form = ResourceSettingsForm(request.POST or None, access=access, instance=resource_settings(access.tenant_id))
    return form_page(
        request,
        form=form,
        template="resources/conflicts/settings.html",
        save=lambda form: conflict_actions.resource_settings_update(access=access, **form.service_fields()),
        message=_("Saved; the conflicts were scored again."),
        success=reverse("resources:settings"),
    )


@require_POST
@tenant_view("resources.change_resourcesettings")
def refresh_now(request):
    result = conflict_actions.conflicts_refresh_now(access=request.access)
    messages.success(
        request,
        _("Conflicts refreshed: %(open)s open, %(new)s new, %(resolved)s resolved.")
        % {"open": len(result.open), "new": len(result.opened), "resolved": len(result.resolved)},
    )
    return redirect("resources:settings")


def home_panel(request, _obj) -> dict | None:
    """The home workbench: the open conflicts already warned of that the user answers for."""
    rows = selectors.home_conflicts(tenant_id=request.access.tenant_id, user_id=request.user.pk)
    if not rows:
        return None
    return {"conflicts": _decorate(rows, selectors.today_for(request.access.tenant_id))}
