from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "tandem.feedback"
    label = "feedback"
    verbose_name = _("Customer feedback")

    def ready(self) -> None:
        from tandem.core import permissions

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
