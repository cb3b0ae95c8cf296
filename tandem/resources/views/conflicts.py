"""Conflict pages (资源冲突): the ranked list, one conflict with its overload days and score, the settings."""

from __future__ import annotations

from django.shortcuts import render

from tandem.core.views import record_or_404, tenant_view
from tandem.resources.models import Conflict


@tenant_view("resources.view_conflict")
def conflict_list(request):
    return render(request, "resources/conflicts/list.html", {})


@tenant_view("resources.view_conflict")
def conflict_detail(request, pk: int):
    conflict = record_or_404(request, Conflict, pk)
    return render(request, "resources/conflicts/detail.html", {"conflict": conflict})


@tenant_view("resources.change_conflict")
def conflict_dismiss(request, pk: int):
    raise NotImplementedError


@tenant_view("resources.change_resourcesettings")
def settings_page(request):
    raise NotImplementedError


@tenant_view("resources.change_resourcesettings")
def refresh_now(request):
    raise NotImplementedError
