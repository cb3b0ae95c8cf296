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
        from tandem.core.navigation import NavItem, register_section

        register_section(
            "resources",
            _("Resources"),
            32,
            [
                NavItem(
                    _("Resources"), "resources:resource_list", "person-badge", "resources.view_resource", weight=10
                ),
                NavItem(_("Skills"), "resources:skill_list", "stars", "resources.view_skill", weight=60),
            ],
        )

        # Allocations: task assignees and durations.
        from tandem.projects.services import tasks as task_services
        from tandem.resources.services import allocations

        task_services.register_assignees_listener(allocations.task_assignees_changed)
        task_services.register_duration_listener(allocations.task_duration_changed)

        # Conflicts: incremental refresh and warnings.

        # Suggestions and staff requests.

        # Leveling and priority.

        # MS Project resources and assignments.
        from tandem.projects.services.mspdi import register_mspdi_extension
        from tandem.resources.services.mspdi import mspdi_export_resources, mspdi_import_resources

        register_mspdi_extension("resources", importer=mspdi_import_resources, exporter=mspdi_export_resources)
