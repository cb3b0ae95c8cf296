"""Shell pages (home, errors), health checks and the recycle bin."""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core.views.kit import paginate, tenant_view


@tenant_view()
def home(request):
    """The workbench; later modules add their cards."""
    return render(request, "core/home.html", {})


def healthz(request):
    """The process is up."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """The database and the task queue answer."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # reported, not raised: this endpoint must answer
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        from huey.contrib.djhuey import HUEY

        HUEY.pending_count()
        checks["queue"] = "ok"
    except Exception as exc:
        checks["queue"] = f"error: {exc.__class__.__name__}"
    ok = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503)


def _error(request, template: str, status: int):
    if request.path.startswith("/api/"):
        titles = {403: _("Permission denied"), 404: _("Not found"), 500: _("Server error")}
        body = {
            "type": f"urn:tandem:problem:{status}",
            "title": str(titles[status]),
            "status": status,
            "detail": str(titles[status]),
        }
        return JsonResponse(body, status=status, content_type="application/problem+json")
    return render(request, template, status=status)


def error_403(request, exception=None):
    return _error(request, "errors/403.html", 403)


def error_404(request, exception=None):
    return _error(request, "errors/404.html", 404)


def error_500(request):
    try:
        return _error(request, "errors/500.html", 500)
    except Exception:
        return HttpResponse("Server error", status=500, content_type="text/plain")


@tenant_view("core.view_recyclebin")
def recycle_bin(request):
    """Soft-deleted records of every type, newest first, with restore and purge."""
    from tandem.core.services.records import soft_delete_models

    rows = []
    for model in soft_delete_models():
        code = f"{model._meta.app_label}.view_{model._meta.model_name}"
        if not request.access.has_perm(code):
            continue
        qs = model.all_objects.filter(tenant_id=request.access.tenant_id, deleted_at__isnull=False)
        qs = qs.select_related("deleted_by").order_by("-deleted_at")[:500]
        rows.extend({"model": model, "obj": obj, "type_key": model._meta.label_lower} for obj in qs)
    rows.sort(key=lambda r: r["obj"].deleted_at, reverse=True)
    return render(request, "core/recycle_bin.html", {"page": paginate(request, rows)})


def _bin_object(request, type_key: str, pk: int):
    from django.apps import apps
    from django.http import Http404

    from tandem.core.services.records import soft_delete_models

    try:
        model = apps.get_model(type_key)
    except (LookupError, ValueError) as exc:
        raise Http404 from exc
    if model not in soft_delete_models():
        raise Http404
    obj = model.all_objects.filter(tenant_id=request.access.tenant_id, pk=pk, deleted_at__isnull=False).first()
    if obj is None:
        raise Http404
    return obj


@require_POST
@tenant_view("core.change_recyclebin")
def recycle_bin_restore(request, type_key: str, pk: int):
    from django.contrib import messages

    from tandem.core.services.records import record_restore

    record_restore(access=request.access, obj=_bin_object(request, type_key, pk))
    messages.success(request, _("Restored."))
    return redirect("core:recycle_bin")


@require_POST
@tenant_view("core.delete_recyclebin")
def recycle_bin_purge(request, type_key: str, pk: int):
    from django.contrib import messages

    from tandem.core.services.records import record_purge

    record_purge(access=request.access, obj=_bin_object(request, type_key, pk))
    messages.success(request, _("Deleted permanently."))
    return redirect("core:recycle_bin")
