from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "tandem.resources"
    label = "resources"
    verbose_name = _("Resources")

    def ready(self) -> None:
        from tandem.core import permissions

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
        from tandem.core.navigation import NavItem, register_section

        register_section(
            "resources",
            _("Resources"),
            32,
            [NavItem(_("Utilisation"), "resources:utilisation", "grid-3x3", "resources.view_allocation", weight=20)],
        )

        # Allocations: task assignees and durations.

        # Conflicts: incremental refresh and warnings.

        # Suggestions and staff requests.

        # Leveling and priority.

        # MS Project resources and assignments.
