"""The notification list and the bell."""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.views import paginate, safe_next, tenant_view
from tandem.notifications import selectors
from tandem.notifications.services.notifications import notification_mark_read


@tenant_view()
def notification_list(request):
    page = paginate(request, selectors.notification_list(access=request.access))
    return render(request, "notifications/list.html", {"page": page})


@tenant_view()
def bell(request):
    items = selectors.notification_unread(access=request.access)
    return render(request, "notifications/partials/bell.html", {"items": items})


@require_POST
@tenant_view()
def mark_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    notification_mark_read(access=request.access, ids=ids)
    return redirect(safe_next(request, "notifications:list"))
