"""Notification channel pages, at /automation/channels/ (namespace "automation")."""

from django.urls import path

from tandem.automation.views import channels

urlpatterns = [
    path("", channels.channel_list, name="channels"),
    path("new/", channels.channel_add, name="channel_add"),
    path("<int:pk>/", channels.channel_edit, name="channel_edit"),
    path("<int:pk>/delete/", channels.channel_delete, name="channel_delete"),
    path("<int:pk>/test/", channels.channel_test, name="channel_test"),
]
