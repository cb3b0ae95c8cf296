from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "tandem.feedback"
    label = "feedback"
    verbose_name = _("Customer feedback")

    def ready(self) -> None:
        from tandem.core import panels, permissions
        from tandem.core.navigation import NavItem, register_section
        from tandem.feedback.views import surveys

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
        register_section(
            "service",
            _("Customer service"),
            35,
            [
                NavItem(_("Surveys"), "feedback:survey_list", "clipboard-check", "feedback.view_survey", weight=40),
                NavItem(
                    _("Survey templates"),
                    "feedback:template_list",
                    "ui-checks",
                    "feedback.view_surveytemplate",
                    weight=50,
                ),
            ],
        )
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
