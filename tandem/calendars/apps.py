from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "tandem.calendars"
    label = "calendars"
    verbose_name = _("Work calendars")

    def ready(self) -> None:
        from tandem.core import permissions

        # The key the type had in the projects app: roles store its codes (`projects.view_workcalendar`).
        permissions.register_type(
            "projects", "workcalendar", _("Work calendar"), actions=("view", "add", "change", "delete")
        )
