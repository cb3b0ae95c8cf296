"""The recycle bin page (回收站): soft-deleted records of every type, with restore and purge."""

from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.views import paginate, tenant_view
from tandem.records.selectors import binned, binned_models, soft_delete_models
from tandem.records.services.recycle_bin import record_purge, record_restore


@tenant_view("core.view_recyclebin")
def recycle_bin(request):
    """Soft-deleted records of every type, newest first, with restore and purge."""
    rows = []
    for model in binned_models(request.access):
        qs = binned(request.access, model).select_related("deleted_by").order_by("-deleted_at")[:500]
        rows.extend({"model": model, "obj": obj, "type_key": model._meta.label_lower} for obj in qs)
    rows.sort(key=lambda r: r["obj"].deleted_at, reverse=True)
    return render(request, "records/recycle_bin.html", {"page": paginate(request, rows)})


def _bin_object(request, type_key: str, pk: int):
    try:
        model = apps.get_model(type_key)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    if model not in soft_delete_models():
        raise Http404
    obj = binned(request.access, model).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


@require_POST
@tenant_view("core.change_recyclebin")
def recycle_bin_restore(request, type_key: str, pk: int):
    record_restore(access=request.access, obj=_bin_object(request, type_key, pk))
    messages.success(request, _("Restored."))
    return redirect("core:recycle_bin")


@require_POST
@tenant_view("core.delete_recyclebin")
def recycle_bin_purge(request, type_key: str, pk: int):
    record_purge(access=request.access, obj=_bin_object(request, type_key, pk))
    messages.success(request, _("Deleted permanently."))
    return redirect("core:recycle_bin")
