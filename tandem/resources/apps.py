from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "tandem.resources"
    label = "resources"
    verbose_name = _("Resources")

    def ready(self) -> None:
        from tandem.core import permissions
        from tandem.resources import demo  # noqa: F401  (registers the demo loader)

        permissions.register_type(
            "resources", "resource", _("Resource"), actions=("view", "add", "change", "delete", "export")
        )
        permissions.register_type("resources", "skill", _("Skill"), actions=("view", "add", "change", "delete"))
        permissions.register_type("resources", "leave", _("Leave"), actions=("view", "add", "change", "delete"))
        permissions.register_type(
            "resources", "allocation", _("Allocation"), actions=("view", "add", "change", "delete", "export")
        )
        permissions.register_type("resources", "conflict", _("Conflict"), actions=("view", "change"))
        permissions.register_type("resources", "staffrequest", _("Staff request"), actions=("view", "add", "change"))
        permissions.register_type(
            "resources", "levelingproposal", _("Leveling proposal"), actions=("view", "add", "change")
        )
        permissions.register_type("resources", "resourcesettings", _("Resource settings"), actions=("view", "change"))

        # Navigation and panels.

        # Allocations: task assignees and durations.
        from tandem.projects.services import tasks as task_services
        from tandem.resources.services import allocations

        task_services.register_assignees_listener(allocations.task_assignees_changed)
        task_services.register_duration_listener(allocations.task_duration_changed)

        # Conflicts: incremental refresh and warnings.

        # Suggestions and staff requests.
        from tandem.core import panels
        from tandem.core.navigation import NavItem, register_section
        from tandem.resources.views import suggestions

        panels.register(
            "resources.conflict",
            panels.Panel(
                "suggestions",
                "resources/suggestions/panel.html",
                suggestions.conflict_panel,
                "resources.view_conflict",
                order=10,
            ),
        )
        register_section(
            "resources",
            _("Resources"),
            32,
            [
                NavItem(
                    _("Staff requests"),
                    "resources:staff_request_list",
                    "person-plus",
                    "resources.view_staffrequest",
                    weight=40,
                )
            ],
        )

        # Leveling and priority.

        # MS Project resources and assignments.
