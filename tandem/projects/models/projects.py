"""Projects (项目), their dated status updates, and the calendar-feed keys of their members."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import OwnedModel, SoftDeleteModel, TenantModel
from tandem.projects.choices import Health, ProjectStatus


class Project(TenantModel, OwnedModel, SoftDeleteModel):
    """A delivery project; `owner` is its project manager (项目经理)."""

    number = models.CharField(_("number"), max_length=40, editable=False)
    code = models.CharField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Links to CRM records, as plain ids (the projects app does not depend on the CRM tables); the services
    # check that they are the tenant's and belong together.
    account_id = models.BigIntegerField(_("account"), null=True, blank=True)
    deal_id = models.BigIntegerField(_("deal"), null=True, blank=True)
    contract_id = models.BigIntegerField(_("contract"), null=True, blank=True)
    contact_ids = models.JSONField(_("customer contacts"), default=list, blank=True)
    budget = models.DecimalField(_("budget"), max_digits=16, decimal_places=2, null=True, blank=True)
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="project_teams", verbose_name=_("team")
    )
    # 0–1000 like MS Project; recommended from the customer's value unless set by hand with a reason.
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=500, validators=[MinValueValidator(0), MaxValueValidator(1000)]
    )
    priority_overridden = models.BooleanField(_("priority set by hand"), default=False)
    priority_reason = models.CharField(_("priority reason"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"))
    # When work may begin on the start date; empty = the calendar's first working time that day.
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    planned_finish = models.DateField(_("planned finish"), null=True, blank=True)
    contract_finish = models.DateField(_("contract finish date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ProjectStatus.choices, default=ProjectStatus.PLANNING)
    health = models.CharField(_("health"), max_length=20, choices=Health.choices, default=Health.ON_TRACK)
    calendar = models.ForeignKey(
        "calendars.WorkCalendar", on_delete=models.PROTECT, related_name="projects", verbose_name=_("work calendar")
    )
    status_date = models.DateField(_("status date"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    # Stored results of the last scheduling run.
    scheduled_start = models.DateTimeField(_("scheduled start"), null=True, blank=True, editable=False)
    scheduled_finish = models.DateTimeField(_("scheduled finish"), null=True, blank=True, editable=False)
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True, editable=False)

    # The field rule the budget is under ("cost and budget"; sales roles hide it).
    budget_rule = "projects.project.cost"

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], name="projects_project_unique_number"),
            models.UniqueConstraint(
                fields=["tenant", "code"],
                condition=Q(deleted_at__isnull=True) & ~Q(code=""),
                name="projects_project_unique_code",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "status"], name="projects_project_status_idx"),
            models.Index(fields=["tenant", "owner"], name="projects_project_owner_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code or self.number} {self.name}"


class ProjectStatusUpdate(TenantModel):
    """A dated note on a project's health (周报/状态更新); the list is its history."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="status_updates", verbose_name=_("project")
    )
    date = models.DateField(_("date"))
    health = models.CharField(_("health"), max_length=20, choices=Health.choices)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )

    owner_field = "author"
    scope_parents = ("project",)

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["tenant", "project", "date"], name="projects_status_update_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_health_display()}"


class CalendarFeedKey(TenantModel):
    """The secret a member's iCalendar feed URL of one project is signed with; rotating it revokes the URL."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+", verbose_name=_("project"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("member")
    )
    salt = models.CharField(_("secret"), max_length=64)

    class Meta:
        verbose_name = _("calendar feed key")
        verbose_name_plural = _("calendar feed keys")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "project", "user"], name="projects_feed_key_unique"),
        ]
