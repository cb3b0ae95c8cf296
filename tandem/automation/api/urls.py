"""Automation API: /api/v1/automation/…"""

from django.urls import include, path

urlpatterns = [
    path("channels/", include("tandem.automation.api.urls_channels")),
    path("webhooks/", include("tandem.automation.api.urls_webhooks")),
]
