"""Outbound webhook pages, at /automation/webhooks/ (namespace "automation")."""

from django.urls import path

from tandem.automation.views import webhooks

urlpatterns = [
    path("", webhooks.endpoint_list, name="webhooks"),
    path("new/", webhooks.endpoint_add, name="webhook_add"),
    path("<int:pk>/", webhooks.endpoint_detail, name="webhook_detail"),
    path("<int:pk>/edit/", webhooks.endpoint_edit, name="webhook_edit"),
    path("<int:pk>/delete/", webhooks.endpoint_delete, name="webhook_delete"),
    path("<int:pk>/secret/", webhooks.endpoint_secret, name="webhook_secret"),
    path("<int:pk>/rotate/", webhooks.endpoint_rotate, name="webhook_rotate"),
    path("<int:pk>/test/", webhooks.endpoint_test, name="webhook_test"),
    path("<int:pk>/deliveries/<int:delivery_id>/replay/", webhooks.delivery_replay, name="webhook_replay"),
]
