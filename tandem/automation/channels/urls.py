"""Notification channel pages, at /automation/channels/ (namespace "automation")."""

from django.urls import path

from tandem.automation.channels import views

urlpatterns = [
    path("", views.channel_list, name="channels"),
    path("new/", views.channel_add, name="channel_add"),
    path("<int:pk>/", views.channel_edit, name="channel_edit"),
    path("<int:pk>/delete/", views.channel_delete, name="channel_delete"),
    path("<int:pk>/test/", views.channel_test, name="channel_test"),
]
