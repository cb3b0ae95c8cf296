"""The notification list and the bell."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.views import paginate, tenant_view
from tandem.notifications.models import Notification
from tandem.notifications.services import notification_mark_read


def _inbox(request):
    return Notification.objects.filter(tenant_id=request.access.tenant_id, recipient_id=request.access.user_id)


@tenant_view()
def notification_list(request):
    return render(request, "notifications/list.html", {"page": paginate(request, _inbox(request).order_by("-id"))})


@tenant_view()
def bell(request):
    items = list(_inbox(request).filter(read_at__isnull=True).order_by("-id")[:8])
    return render(request, "notifications/partials/bell.html", {"items": items})


@require_POST
@tenant_view()
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notification_mark_read(tenant_id=request.access.tenant_id, user_id=request.access.user_id, ids=ids)
    return redirect(
        request.POST.get("next") if (request.POST.get("next") or "").startswith("/") else "notifications:list"
    )
