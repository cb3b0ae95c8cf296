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

        # Allocations: task assignees and durations.
        from tandem.projects.services import tasks as task_services
        from tandem.resources.services import allocations

        task_services.register_assignees_listener(allocations.task_assignees_changed)
        task_services.register_duration_listener(allocations.task_duration_changed)
        task_services.register_bulk_assignees_listener(allocations.tasks_assigned_in_bulk)
        from tandem.core import panels
        from tandem.resources.views import allocations as allocation_views

        panels.register(
            "projects.project",
            panels.Panel(
                "allocations",
                "resources/allocations/project_panel.html",
                allocation_views.project_panel,
                "resources.view_allocation",
                order=40,
            ),
        )

        # Conflicts: incremental refresh and warnings.

        # Suggestions and staff requests.

        # Leveling and priority.

        # MS Project resources and assignments.
