"""Allocations (分配): a resource on a task with units, and the work that comes of it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel


class Allocation(TenantModel):
    """Resource × task. `units` is the share of the resource's day in percent (100 = full time; a crew of 5 at
    500 % is the whole crew), or `hours_per_day` fixes the hours instead. `work` is the planned work in minutes:
    units × the task's working time, kept by the services; an effort-driven task keeps its total work when
    people are added, so its duration shrinks."""

    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.PROTECT, related_name="allocations", verbose_name=_("resource")
    )
    task = models.ForeignKey(
        "projects.Task", on_delete=models.CASCADE, related_name="allocations", verbose_name=_("task")
    )
    # The task's project, copied so loads across projects are read without a join.
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="allocations", verbose_name=_("project")
    )
    units = models.DecimalField(
        _("units (%)"),
        max_digits=7,
        decimal_places=2,
        default=100,
        validators=[MinValueValidator(0), MaxValueValidator(100000)],
    )
    hours_per_day = models.DecimalField(
        _("hours per day"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(24 * 500)],
    )
    work = models.PositiveIntegerField(_("work (minutes)"), default=0)
    external_uid = models.BigIntegerField(_("MS Project UID"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_parents = ("project",)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["task_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "task", "resource"], name="resources_allocation_unique"),
            models.CheckConstraint(condition=Q(units__gte=0), name="resources_allocation_units"),
        ]
        indexes = [
            models.Index(fields=["tenant", "resource"], name="resources_alloc_resource_idx"),
            models.Index(fields=["tenant", "project"], name="resources_alloc_project_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} @ {self.task_id} {self.units}%"
