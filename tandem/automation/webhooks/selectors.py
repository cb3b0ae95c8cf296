"""Reads of outbound webhooks, already scoped to the caller's tenant and permission."""

from __future__ import annotations

from django.db.models import Count, Max, Prefetch, Q

from tandem.automation.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoint_list(*, access, action: str = "view"):
    """The tenant's endpoints the caller may ``action``, with delivery counts for the list."""
    return (
        WebhookEndpoint.objects.restrict(access, action)
        .annotate(
            delivery_count=Count("deliveries"),
            failed_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
            last_delivery_at=Max("deliveries__created_at"),
        )
        .order_by("id")
    )


def delivery_list(*, access, endpoint: WebhookEndpoint | None = None, action: str = "view"):
    """Deliveries of the endpoints the caller may ``action`` (newest first), each with its attempts."""
    endpoints = WebhookEndpoint.objects.restrict(access, action)
    qs = (
        WebhookDelivery.objects.for_tenant(access.tenant_id)
        .filter(endpoint__in=endpoints)
        .select_related("endpoint")
        .prefetch_related(Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number")))
        .order_by("-created_at", "-id")
    )
    return qs.filter(endpoint=endpoint) if endpoint is not None else qs
