"""Outbound webhook pages, at /automation/webhooks/ (namespace "automation")."""

from django.urls import path

from tandem.automation.webhooks import views

urlpatterns = [
    path("", views.endpoint_list, name="webhooks"),
    path("new/", views.endpoint_add, name="webhook_add"),
    path("<int:pk>/", views.endpoint_detail, name="webhook_detail"),
    path("<int:pk>/edit/", views.endpoint_edit, name="webhook_edit"),
    path("<int:pk>/delete/", views.endpoint_delete, name="webhook_delete"),
    path("<int:pk>/secret/", views.endpoint_secret, name="webhook_secret"),
    path("<int:pk>/rotate/", views.endpoint_rotate, name="webhook_rotate"),
    path("<int:pk>/test/", views.endpoint_test, name="webhook_test"),
    path("<int:pk>/deliveries/<int:delivery_id>/replay/", views.delivery_replay, name="webhook_replay"),
]
