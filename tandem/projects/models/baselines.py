"""Baselines: up to ten saved copies of a project's schedule to measure slippage against."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel

MAX_BASELINES = 10


class Baseline(TenantModel):
    """A named snapshot (基线) of a project's task dates, numbered 1..10."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="baselines", verbose_name=_("project")
    )
    number = models.PositiveSmallIntegerField(
        _("number"), validators=[MinValueValidator(1), MaxValueValidator(MAX_BASELINES)]
    )
    name = models.CharField(_("name"), max_length=100)
    taken_at = models.DateTimeField(_("taken at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    owner_field = "created_by"
    scope_parents = ("project",)

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "project", "number"], name="projects_baseline_unique_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=MAX_BASELINES), name="projects_baseline_number_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class BaselineTask(TenantModel):
    """One task's dates and duration as they stood when the baseline was taken."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("baseline"))
    task = models.ForeignKey(
        "projects.Task", on_delete=models.CASCADE, related_name="baseline_rows", verbose_name=_("task")
    )
    start = models.DateTimeField(_("start"), null=True)
    finish = models.DateTimeField(_("finish"), null=True)
    duration = models.PositiveIntegerField(_("duration (working minutes)"))

    class Meta:
        verbose_name = _("baseline task")
        verbose_name_plural = _("baseline tasks")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "baseline", "task"], name="projects_baseline_task_unique")
        ]
        indexes = [models.Index(fields=["tenant", "task"], name="projects_baseline_task_idx")]
