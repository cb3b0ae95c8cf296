from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "tandem.feedback"
    label = "feedback"
    verbose_name = _("Customer feedback")

    def ready(self) -> None:
        from tandem.core import panels, permissions
        from tandem.core.navigation import NavItem, register_section
        from tandem.crm.templatetags.crm import register_status_choices
        from tandem.feedback.choices import RequestStatus
        from tandem.feedback.views import requests, surveys

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
        # The open service requests of the account or project, and opening one for it.
        panels.register(
            "crm.account",
            panels.Panel(
                "service_requests",
                "feedback/requests/partials/panel.html",
                requests.account_panel,
                "feedback.view_servicerequest",
                order=30,
                placement="main",
            ),
        )
        panels.register(
            "projects.project",
            panels.Panel(
                "service_requests",
                "feedback/requests/partials/panel.html",
                requests.project_panel,
                "feedback.view_servicerequest",
                order=30,
            ),
        )
        # A request's timeline names its status moves in words.
        register_status_choices("feedback.servicerequest", RequestStatus)
        register_section(
            "service",
            _("Customer service"),
            35,
            [
                NavItem(
                    _("Service requests"), "feedback:request_list", "headset", "feedback.view_servicerequest", weight=10
                ),
                NavItem(
                    _("Request board"), "feedback:request_board", "kanban", "feedback.view_servicerequest", weight=20
                ),
            ],
        )
