from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "tandem.feedback"
    label = "feedback"
    verbose_name = _("Customer feedback")

    def ready(self) -> None:
        from tandem.core import panels, permissions
        from tandem.core.events import on
        from tandem.crm import events as crm_events
        from tandem.crm.selectors.timelines import register_account_changes
        from tandem.feedback import demo  # noqa: F401  (registers the demo loader)
        from tandem.feedback.selectors.timelines import account_changes
        from tandem.feedback.services import recovery
        from tandem.feedback.views import surveys
        from tandem.projects import events as project_events

        # A recovery closes on its own once the review task is done and the customer was followed up.
        on(project_events.TASK_COMPLETED)(recovery.on_review_task_completed)
        on(crm_events.FOLLOW_UP_LOGGED)(recovery.on_follow_up_logged)
        # Answers, recoveries and service requests belong to the account's history.
        register_account_changes(account_changes)

        permissions.register_type(
            "feedback",
            "surveytemplate",
            _("Survey template"),
            actions=("view", "add", "change", "delete"),
        )
        # Adding a survey is sending it.
        permissions.register_type("feedback", "survey", _("Survey"), actions=("view", "add", "export"))
        permissions.register_type("feedback", "surveyresponse", _("Survey response"), actions=("view", "export"))
        permissions.register_type("feedback", "recovery", _("Detractor recovery"), actions=("view", "change"))
        permissions.register_type(
            "feedback",
            "servicerequest",
            _("Service request"),
            actions=("view", "add", "change", "delete", "export"),
        )
        permissions.register_type("feedback", "feedbacksettings", _("Feedback settings"), actions=("view", "change"))
        # The latest surveys and answers, and sending one by hand, on the account and project pages.
        panels.register(
            "crm.account",
            panels.Panel(
                "satisfaction",
                "feedback/partials/satisfaction.html",
                surveys.account_panel,
                "feedback.view_survey",
                order=20,
                placement="side",
            ),
        )
        # The home workbench keeps every open recovery in sight until it is closed.
        panels.register(
            "core.home",
            panels.Panel(
                "recoveries",
                "feedback/partials/home_recoveries.html",
                surveys.home_recoveries,
                "feedback.view_recovery",
                order=10,
            ),
        )
        panels.register(
            "projects.project",
            panels.Panel(
                "satisfaction",
                "feedback/partials/satisfaction.html",
                surveys.project_panel,
                "feedback.view_survey",
                order=20,
            ),
        )
