"""Shell pages (home, errors) and health checks."""

from __future__ import annotations

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tandem.core.views.kit import tenant_view


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
