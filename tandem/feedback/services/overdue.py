"""The service SLA sweep: tell the assignee once per request and deadline missed, and announce it once."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.core.events import emit
from tandem.feedback import events
from tandem.feedback.choices import OPEN_REQUEST_STATUSES, RequestStatus
from tandem.feedback.models import ServiceRequest

OVERDUE_NAMESPACE = uuid.UUID("5d0f6a3e-9b1c-4c7e-a2d4-3f8e61b0c915")
OVERDUE_WINDOW = timedelta(days=7)  # older misses are on the lists already; no flood after an outage
SERVICE_ROLE = "service"


def _service_members(tenant_id: int) -> list[int]:
    from tandem.accounts.models import Membership

    return list(
        Membership.objects.filter(tenant_id=tenant_id, is_active=True, roles__key=SERVICE_ROLE)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _misses(now: datetime):
    """(request, deadline kind, due) for each open request past a deadline within the window."""
    recent = now - OVERDUE_WINDOW
    base = ServiceRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES).select_related("tenant")
    for request in base.filter(first_response_at__isnull=True, response_due_at__lt=now, response_due_at__gte=recent):
        yield request, "response", request.response_due_at
    for request in base.filter(resolve_due_at__lt=now, resolve_due_at__gte=recent):
        yield request, "resolution", request.resolve_due_at


def overdue_requests_notify(*, now: datetime | None = None) -> int:
    """Notify the assignee (the service team while the request is still new) once per request and missed deadline,
    and emit feedback.request.overdue once for it. Returns the notices sent."""
    from tandem.notifications.models import Notification
    from tandem.notifications.services.notifications import notification_send

    now = now or timezone.now()
    sent = 0
    for request, kind, due in _misses(now):
        key = uuid.uuid5(OVERDUE_NAMESPACE, f"{request.tenant_id}:{request.pk}:{kind}:{due.isoformat()}")
        if request.status == RequestStatus.NEW:
            recipients = _service_members(request.tenant_id) or [request.owner_id]
        else:
            recipients = [request.owner_id]
        told = set(
            Notification.objects.filter(tenant_id=request.tenant_id, event_id=key).values_list(
                "recipient_id", flat=True
            )
        )
        with transaction.atomic(), translation.override(request.tenant.locale):
            try:
                url = reverse("feedback:request_detail", args=[request.pk])
            except NoReverseMatch:
                url = ""
            if kind == "response":
                title = _("Service request %(number)s missed its first-response time") % {"number": request.number}
            else:
                title = _("Service request %(number)s missed its resolution time") % {"number": request.number}
            body = _("%(subject)s — it was due at %(due)s.") % {
                "subject": request.subject,
                "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
            }
            for recipient in recipients:
                if recipient in told:
                    continue
                notification_send(
                    tenant_id=request.tenant_id, recipient_id=recipient, title=title, body=body, url=url, event_id=key
                )
                sent += 1
            if not told:
                emit(
                    events.REQUEST_OVERDUE,
                    tenant=request.tenant,
                    payload={
                        "request_id": request.pk,
                        "number": request.number,
                        "account_id": request.account_id,
                        "owner_id": request.owner_id,
                        "priority": request.priority,
                        "deadline": kind,
                        "due_at": due.isoformat(),
                    },
                )
    return sent
