"""Automation pages: rules and their builder, the run log, notification channels, webhooks."""

from django.urls import include, path

from tandem.automation.views import hooks, rules, runs

app_name = "automation"

urlpatterns = [
    path("", rules.rule_list, name="rules"),
    path("new/", rules.rule_add, name="rule_add"),
    path("dry-run/", rules.rule_dry_run, name="dry_run"),
    path("<int:pk>/", rules.rule_detail, name="rule_detail"),
    path("<int:pk>/edit/", rules.rule_edit, name="rule_edit"),
    path("<int:pk>/toggle/", rules.rule_toggle, name="rule_toggle"),
    path("<int:pk>/delete/", rules.rule_remove, name="rule_delete"),
    path("<int:pk>/run/", rules.rule_run, name="rule_run"),
    path("<int:pk>/rotate-secret/", rules.rule_rotate_secret, name="rule_rotate_secret"),
    path("record/<str:model>/<int:record_id>/", rules.record_rules, name="record_rules"),
    path("runs/", runs.run_list, name="runs"),
    path("runs/<int:pk>/", runs.run_detail, name="run_detail"),
    path("hooks/<str:token>/", hooks.receive, name="hook"),
    path("channels/", include("tandem.automation.channels.urls")),
    path("webhooks/", include("tandem.automation.webhooks.urls")),
]
