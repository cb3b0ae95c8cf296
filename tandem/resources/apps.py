from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "tandem.resources"
    label = "resources"
    verbose_name = _("Resources")

    def ready(self) -> None:
        import tandem.resources.demo  # noqa: F401  (registers the demo loader)
        from tandem.audit.services.audit import register_record_listener
        from tandem.calendars import usage as calendar_usage
        from tandem.core import demo, panels, permissions
        from tandem.core.events import on
        from tandem.core.navigation import NavItem, register_section
        from tandem.crm import events as crm_events
        from tandem.feedback import events as feedback_events
        from tandem.projects import events as project_events
        from tandem.projects.services import tasks as task_services
        from tandem.projects.services.mspdi import register_mspdi_extension
        from tandem.resources import events, handlers
        from tandem.resources.services import allocations, mspdi, priority, warnings
        from tandem.resources.views import allocations as allocation_views
        from tandem.resources.views import conflicts as conflict_views
        from tandem.resources.views import leveling as leveling_views
        from tandem.resources.views import suggestions as suggestion_views

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

        register_section(
            "resources",
            _("Resources"),
            32,
            [
                NavItem(
                    _("Resources"), "resources:resource_list", "person-badge", "resources.view_resource", weight=10
                ),
                NavItem(_("Utilisation"), "resources:utilisation", "grid-3x3", "resources.view_allocation", weight=20),
                NavItem(
                    _("Conflicts"),
                    "resources:conflict_list",
                    "exclamation-triangle",
                    "resources.view_conflict",
                    weight=30,
                ),
                NavItem(
                    _("Staff requests"),
                    "resources:staff_request_list",
                    "person-plus",
                    "resources.view_staffrequest",
                    weight=40,
                ),
                NavItem(
                    _("Leveling"),
                    "resources:leveling_home",
                    "distribute-horizontal",
                    "resources.add_levelingproposal",
                    weight=50,
                ),
                NavItem(_("Skills"), "resources:skill_list", "stars", "resources.view_skill", weight=60),
            ],
        )
        register_section(
            "settings",
            _("Settings"),
            90,
            [NavItem(_("Resource conflicts"), "resources:settings", "people", "resources.change_resourcesettings", 55)],
        )

        # Task assignees are the allocations of the members' resources; work follows the task's duration.
        task_services.register_assignees_listener(allocations.task_assignees_changed)
        task_services.register_duration_listener(allocations.task_duration_changed)
        task_services.register_bulk_assignees_listener(allocations.tasks_assigned_in_bulk)

        # Conflicts are refreshed for the resources a change touches, and warned of once.
        on(
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
        )(handlers.on_project_event)
        on(events.ALLOCATION_CHANGED)(handlers.on_allocation_changed)
        on(events.LEAVE_CHANGED)(handlers.on_leave_changed)
        on(events.CONFLICT_DETECTED)(warnings.on_conflict_detected)
        calendar_usage.register(
            calendar_usage.CalendarUse(
                in_use=handlers.calendar_in_use,
                working_time_changed=handlers.on_working_time_changed,
                people_moved=handlers.on_people_moved,
            )
        )

        # The recommended priority follows the customer's value: contracts, answers, requests, receipts, tier.
        on(
            crm_events.CONTRACT_SIGNED,
            crm_events.RECEIPT_RECORDED,
            feedback_events.RESPONSE_SUBMITTED,
            feedback_events.REQUEST_CREATED,
            feedback_events.REQUEST_STATUS_CHANGED,
        )(priority.on_input_event)
        on(project_events.PROJECT_CREATED, project_events.PROJECT_UPDATED)(priority.on_project_event)
        register_record_listener(priority.on_record_changed)
        # The demo projects get their recommended priority once the customers' health is in (feedback is 40).
        demo.register(46, "project priorities")(priority.demo_priorities)

        register_mspdi_extension(
            "resources", importer=mspdi.mspdi_import_resources, exporter=mspdi.mspdi_export_resources
        )

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
        # A conflict's suggestions, each with its effect on the projects' finish dates, applied with one click.
        panels.register(
            "resources.conflict",
            panels.Panel(
                "suggestions",
                "resources/suggestions/panel.html",
                suggestion_views.conflict_panel,
                "resources.view_conflict",
                order=10,
            ),
        )
        # On the project page: its priority with the formula (override, level the project), and its allocations.
        panels.register(
            "projects.project",
            panels.Panel(
                "priority",
                "resources/leveling/partials/priority_panel.html",
                leveling_views.priority_panel,
                "projects.view_project",
                order=15,
            ),
        )
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
