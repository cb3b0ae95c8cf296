"""Tasks (WBS items and milestones) and the dependencies between them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel
from tandem.projects.choices import ConstraintType, DurationUnit, LinkType, TaskKind, TaskType


class Task(TenantModel):
    """One WBS item: a summary (has children), a piece of work or a milestone; stores its schedule."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="tasks", verbose_name=_("project")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("parent task")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    # Maintained by the services from the tree: "1", "1.2", "1.2.3".
    outline_number = models.CharField(_("WBS code"), max_length=60, blank=True, editable=False)
    outline_level = models.PositiveSmallIntegerField(_("outline level"), default=1, editable=False)
    is_summary = models.BooleanField(_("summary task"), default=False, editable=False)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices, default=TaskKind.NORMAL)
    is_milestone = models.BooleanField(_("milestone"), default=False)
    duration = models.PositiveIntegerField(_("duration (working minutes)"), default=480)
    duration_unit = models.CharField(
        _("duration unit"), max_length=10, choices=DurationUnit.choices, default=DurationUnit.DAYS
    )
    # xgettext:no-python-format
    percent_complete = models.PositiveSmallIntegerField(_("% complete"), default=0, validators=[MaxValueValidator(100)])
    actual_start = models.DateTimeField(_("actual start"), null=True, blank=True)
    actual_finish = models.DateTimeField(_("actual finish"), null=True, blank=True)
    # Adding people to an effort-driven task keeps its work and shortens it; a fixed-duration task keeps its dates.
    task_type = models.CharField(
        _("task type"), max_length=20, choices=TaskType.choices, default=TaskType.FIXED_DURATION
    )
    # The people on the task: kept in step with the allocations of resources linked to members.
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_tasks", verbose_name=_("assignees")
    )
    constraint_type = models.CharField(
        _("constraint"), max_length=4, choices=ConstraintType.choices, default=ConstraintType.ASAP
    )
    constraint_date = models.DateTimeField(_("constraint date"), null=True, blank=True)
    calendar = models.ForeignKey(
        "calendars.WorkCalendar",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("work calendar"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # A milestone's share of the contract value, to be tied to a contract payment milestone.
    payment_percent = models.DecimalField(_("payment %"), max_digits=5, decimal_places=2, null=True, blank=True)
    payment_milestone_id = models.BigIntegerField(_("contract payment milestone"), null=True, blank=True)
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    external_uid = models.BigIntegerField(_("MS Project UID"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    # Results of the last scheduling run (the CPM engine); never edited by hand.
    early_start = models.DateTimeField(_("early start"), null=True, blank=True, editable=False)
    early_finish = models.DateTimeField(_("early finish"), null=True, blank=True, editable=False)
    late_start = models.DateTimeField(_("late start"), null=True, blank=True, editable=False)
    late_finish = models.DateTimeField(_("late finish"), null=True, blank=True, editable=False)
    total_float = models.IntegerField(_("total float (working minutes)"), null=True, blank=True, editable=False)
    free_float = models.IntegerField(_("free float (working minutes)"), null=True, blank=True, editable=False)
    is_critical = models.BooleanField(_("critical"), default=False, editable=False)
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True, editable=False)

    owner_field = "created_by"
    scope_parents = ("project",)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["project", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent_complete__lte=100), name="projects_task_percent_range"),
            models.CheckConstraint(
                condition=Q(constraint_type__in=["ASAP", "ALAP"]) | Q(constraint_date__isnull=False),
                name="projects_task_constraint_date",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="projects_task_not_own_parent"),
        ]
        indexes = [
            models.Index(fields=["tenant", "project", "sort_order"], name="projects_task_order_idx"),
            models.Index(fields=["tenant", "project", "parent"], name="projects_task_parent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.outline_number} {self.name}".strip()

    @property
    def is_complete(self) -> bool:
        return self.percent_complete >= 100 or self.actual_finish is not None


class Dependency(TenantModel):
    """A link between two tasks of one project: FS/SS/FF/SF with a lag (negative = lead)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="dependencies", verbose_name=_("project")
    )
    predecessor = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="successor_links", verbose_name=_("predecessor")
    )
    successor = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="predecessor_links", verbose_name=_("successor")
    )
    type = models.CharField(_("type"), max_length=2, choices=LinkType.choices, default=LinkType.FS)
    lag = models.IntegerField(_("lag (working minutes)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    owner_field = "created_by"
    scope_parents = ("project",)

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "predecessor", "successor"], name="projects_dependency_unique_pair"
            ),
            models.CheckConstraint(condition=~Q(predecessor=F("successor")), name="projects_dependency_not_self"),
        ]
        indexes = [models.Index(fields=["tenant", "project"], name="projects_dep_project_idx")]

    def __str__(self) -> str:
        return f"{self.predecessor_id} {self.type} {self.successor_id}"
