"""Outbound webhooks API, at /api/v1/automation/webhooks/: endpoints at the root, deliveries, event types."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from tandem.automation.webhooks.api.views import WebhookDeliveryViewSet, WebhookEndpointViewSet, WebhookEventTypesView

router = SimpleRouter()
router.register("deliveries", WebhookDeliveryViewSet, basename="automation-webhookdelivery")
router.register("", WebhookEndpointViewSet, basename="automation-webhookendpoint")

urlpatterns = [
    path("event-types/", WebhookEventTypesView.as_view(), name="automation-webhook-event-types"),
    *router.urls,
]
