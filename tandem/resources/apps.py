from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "tandem.resources"
    label = "resources"
    verbose_name = _("Resources")

    def ready(self) -> None:
        import tandem.resources.demo  # noqa: F401  (registers the demo loader)
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
            [
                NavItem(
                    _("Resources"), "resources:resource_list", "person-badge", "resources.view_resource", weight=10
                ),
                NavItem(_("Utilisation"), "resources:utilisation", "grid-3x3", "resources.view_allocation", weight=20),
                NavItem(_("Skills"), "resources:skill_list", "stars", "resources.view_skill", weight=60),
            ],
        )

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
        from tandem.audit.services.audit import register_record_listener
        from tandem.core import demo, panels
        from tandem.core.events import on
        from tandem.core.navigation import NavItem, register_section
        from tandem.crm import events as crm_events
        from tandem.feedback import events as feedback_events
        from tandem.projects import events as project_events
        from tandem.resources.services import priority as priority_services
        from tandem.resources.views import leveling as leveling_views

        # The recommended priority follows the customer's value: contracts, answers, requests, receipts, tier.
        on(
            crm_events.CONTRACT_SIGNED,
            crm_events.RECEIPT_RECORDED,
            feedback_events.RESPONSE_SUBMITTED,
            feedback_events.REQUEST_CREATED,
            feedback_events.REQUEST_STATUS_CHANGED,
        )(priority_services.on_input_event)
        on(project_events.PROJECT_CREATED, project_events.PROJECT_UPDATED)(priority_services.on_project_event)
        register_record_listener(priority_services.on_record_changed)
        # The demo projects get their recommended priority once the customers' health is in (feedback is 40).
        demo.register(46, "project priorities")(priority_services.demo_priorities)
        register_section(
            "resources",
            _("Resources"),
            32,
            [
                NavItem(
                    _("Leveling"),
                    "resources:leveling_home",
                    "distribute-horizontal",
                    "resources.add_levelingproposal",
                    60,
                )
            ],
        )
        # The priority with its formula, overriding it, and leveling the project, on the project page.
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

        # MS Project resources and assignments.
        from tandem.projects.services.mspdi import register_mspdi_extension
        from tandem.resources.services.mspdi import mspdi_export_resources, mspdi_import_resources

        register_mspdi_extension("resources", importer=mspdi_import_resources, exporter=mspdi_export_resources)
