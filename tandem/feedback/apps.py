from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "tandem.feedback"
    label = "feedback"
    verbose_name = _("Customer feedback")

    def ready(self) -> None:
        from tandem.audit.services.audit import register_record_listener
        from tandem.core import panels, permissions
        from tandem.core.events import on
        from tandem.core.navigation import NavItem, register_section
        from tandem.crm import events as crm_events
        from tandem.crm.selectors.timelines import register_account_changes
        from tandem.crm.templatetags.crm import register_status_choices
        from tandem.feedback import demo  # noqa: F401  (registers the demo loader)
        from tandem.feedback import events as feedback_events
        from tandem.feedback.choices import RequestStatus
        from tandem.feedback.selectors.timelines import account_changes
        from tandem.feedback.services import health, recovery
        from tandem.feedback.views import insights, requests, surveys
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
        permissions.register_type("feedback", "healthscore", _("Health score"), actions=("view",))
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
        # The account's health, with the factors behind it, on the account page.
        panels.register(
            "crm.account",
            panels.Panel(
                "health",
                "feedback/partials/health.html",
                insights.health_panel,
                "feedback.view_healthscore",
                order=10,
                placement="side",
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
                NavItem(_("NPS"), "feedback:nps", "graph-up", "feedback.view_surveyresponse", weight=30),
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
        register_section(
            "settings",
            _("Settings"),
            90,
            [
                NavItem(
                    _("Customer feedback"), "feedback:settings", "chat-heart", "feedback.change_feedbacksettings", 50
                )
            ],
        )
        # The health score is recomputed when one of its inputs changes: through the domain events where there is
        # one, and through the audited write for follow-ups and payment plans (they emit none).
        on(
            feedback_events.RESPONSE_SUBMITTED,
            feedback_events.REQUEST_CREATED,
            feedback_events.REQUEST_STATUS_CHANGED,
            crm_events.ACCOUNT_CREATED,
            crm_events.CONTRACT_SIGNED,
            crm_events.RECEIPT_RECORDED,
            project_events.PROJECT_CREATED,
            project_events.PROJECT_UPDATED,
            project_events.PROJECT_STATUS_CHANGED,
            project_events.PROJECT_COMPLETED,
            project_events.PROJECT_DELETED,
            project_events.TASK_CREATED,
            project_events.TASK_UPDATED,
            project_events.TASK_COMPLETED,
            project_events.TASK_DELETED,
        )(health.on_input_event)
        register_record_listener(health.on_record_changed)
