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

        # Conflicts: incremental refresh and warnings.
        from tandem.calendars import usage as calendar_usage
        from tandem.core.events import on as on_event
        from tandem.projects import events as project_events
        from tandem.resources import events as resource_events
        from tandem.resources import handlers as conflict_handlers
        from tandem.resources.services import warnings as conflict_warnings

        on_event(
            project_events.TASK_CREATED,
            project_events.TASK_UPDATED,
            project_events.TASK_MOVED,
            project_events.TASK_COMPLETED,
            project_events.TASK_DELETED,
            project_events.PROJECT_UPDATED,
            project_events.PROJECT_STATUS_CHANGED,
            project_events.PROJECT_COMPLETED,
            project_events.PROJECT_DELETED,
            project_events.PROJECT_IMPORTED,
        )(conflict_handlers.on_project_event)
        on_event(resource_events.ALLOCATION_CHANGED)(conflict_handlers.on_allocation_changed)
        on_event(resource_events.LEAVE_CHANGED)(conflict_handlers.on_leave_changed)
        on_event(resource_events.CONFLICT_DETECTED)(conflict_warnings.on_conflict_detected)
        calendar_usage.register(
            calendar_usage.CalendarUse(
                in_use=conflict_handlers.calendar_in_use,
                working_time_changed=conflict_handlers.on_working_time_changed,
                people_moved=conflict_handlers.on_people_moved,
            )
        )
        from tandem.core import panels
        from tandem.core.navigation import NavItem, register_section
        from tandem.resources.views import conflicts as conflict_views

        # The home workbench: open conflicts already warned of, for their PM and the resource managers.
        panels.register(
            "core.home",
            panels.Panel(
                "resource_conflicts",
                "resources/conflicts/partials/home.html",
                conflict_views.home_panel,
                "resources.view_conflict",
                order=15,
            ),
        )
        register_section(
            "resources",
            _("Resources"),
            32,
            [NavItem(_("Conflicts"), "resources:conflict_list", "exclamation-triangle", "resources.view_conflict", 30)],
        )
        register_section(
            "settings",
            _("Settings"),
            90,
            [
                NavItem(
                    _("Resource conflicts"),
                    "resources:settings",
                    "people",
                    "resources.change_resourcesettings",
                    55,
                )
            ],
        )

        # Suggestions and staff requests.

        # Leveling and priority.

        # MS Project resources and assignments.
