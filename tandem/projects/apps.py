from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "tandem.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from tandem.calendars import usage
        from tandem.core import permissions
        from tandem.core.events import on
        from tandem.core.navigation import NavItem, register_section
        from tandem.crm import events as crm_events
        from tandem.projects import demo  # noqa: F401  (registers the demo loader)
        from tandem.projects.services import contracts, scheduling

        # Projects schedule on work calendars: a calendar they use stays, and its changes reschedule them.
        usage.register(
            usage.CalendarUse(
                in_use=scheduling.calendar_in_use,
                working_time_changed=scheduling.projects_reschedule_for_calendar,
                people_moved=scheduling.projects_reschedule_for_people,
                counted="projects",
            )
        )

        # A contract signed after its deal's project exists links itself to the project.
        on(crm_events.CONTRACT_SIGNED)(contracts.on_contract_signed)

        permissions.register_type(
            "projects",
            "project",
            _("Project"),
            # `cost` is held for the cost centre's budget and actuals; sales roles hide it already.
            fields={"cost": _("Cost and budget"), "contract_finish": _("Contract finish date")},
        )
        # A project's team reads the project and its schedule whatever their roles (the salesperson who won it).
        permissions.register_member_grant(
            ("projects.view_project", "projects.view_task", "projects.view_dependency"),
            _on_a_project_team,
        )
        _register_comments()
        permissions.register_type(
            "projects", "task", _("Task"), actions=("view", "add", "change", "delete", "import", "export")
        )
        permissions.register_type(
            "projects", "dependency", _("Task dependency"), actions=("view", "add", "change", "delete")
        )
        permissions.register_type("projects", "baseline", _("Baseline"), actions=("view", "add", "delete"))
        permissions.register_type(
            "projects", "projecttemplate", _("Project template"), actions=("view", "add", "change", "delete")
        )
        register_section(
            "projects",
            _("Projects"),
            30,
            [
                NavItem(_("Projects"), "projects:list", "kanban", "projects.view_project", 10),
                NavItem(_("Delay warnings"), "projects:warnings", "exclamation-triangle", "projects.view_project", 20),
                NavItem(_("Project templates"), "projects:templates", "files", "projects.view_projecttemplate", 30),
                NavItem(_("Work calendars"), "projects:calendars", "calendar-week", "projects.view_workcalendar", 40),
            ],
        )


def _on_a_project_team(tenant_id: int, user_id: int) -> bool:
    from tandem.projects.models import Project

    return Project.team.through.objects.filter(
        user_id=user_id, project__tenant_id=tenant_id, project__deleted_at__isnull=True
    ).exists()


def _register_comments() -> None:
    """Comments on the project page: its team and whoever may view the project talk there."""
    from django.urls import reverse

    from tandem.comments.registry import Commentable, register
    from tandem.comments.views import record_panel
    from tandem.core import panels
    from tandem.projects import selectors

    register(
        Commentable(
            type_key="projects.project",
            permission="projects.view_project",
            records=lambda access: selectors.project_list(access=access),
            url=lambda project: reverse("projects:detail", args=[project.pk]),
        )
    )
    panels.register(
        "projects.project",
        panels.Panel("comments", "comments/partials/panel.html", record_panel("projects.project"), order=90),
    )
