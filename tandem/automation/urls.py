"""Automation pages: rules, run log, notification channels, webhooks."""

from django.urls import include, path

from tandem.automation.views import rules

app_name = "automation"

urlpatterns = [
    path("", rules.rule_list, name="rules"),
    path("runs/", rules.run_list, name="runs"),
    path("channels/", include("tandem.automation.urls_channels")),
    path("webhooks/", include("tandem.automation.urls_webhooks")),
]
