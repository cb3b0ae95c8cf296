"""Project templates (项目模板): tasks with relative dates and role placeholders, versioned."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel
from tandem.projects.choices import DurationUnit, LinkType, TaskKind, TemplateSource


class ProjectTemplate(TenantModel):
    """One version of a template; editing makes a new version and the newest is current."""

    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    source = models.CharField(_("source"), max_length=20, choices=TemplateSource.choices)
    source_project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("source project"),
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("project template")
        verbose_name_plural = _("project templates")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name", "version"], name="projects_template_unique_version"),
            models.UniqueConstraint(
                fields=["tenant", "name"], condition=Q(is_current=True), name="projects_template_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class TemplateTask(TenantModel):
    """A task of a template: offset in working days from the project start, duration, role placeholder."""

    template = models.ForeignKey(
        ProjectTemplate, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("project template")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("parent task")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=TaskKind.choices, default=TaskKind.NORMAL)
    is_milestone = models.BooleanField(_("milestone"), default=False)
    offset_days = models.IntegerField(_("offset (working days from start)"), default=0)
    duration = models.PositiveIntegerField(_("duration (working minutes)"), default=480)
    duration_unit = models.CharField(
        _("duration unit"), max_length=10, choices=DurationUnit.choices, default=DurationUnit.DAYS
    )
    role = models.CharField(_("role placeholder"), max_length=50, blank=True)
    payment_percent = models.DecimalField(_("payment %"), max_digits=5, decimal_places=2, null=True, blank=True)
    checklist = models.JSONField(_("checklist"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("template task")
        verbose_name_plural = _("template tasks")
        ordering = ["template", "sort_order", "id"]
        indexes = [models.Index(fields=["tenant", "template", "sort_order"], name="projects_tpl_task_order_idx")]

    def __str__(self) -> str:
        return self.name


class TemplateLink(TenantModel):
    """A dependency between two tasks of a template."""

    template = models.ForeignKey(
        ProjectTemplate, on_delete=models.CASCADE, related_name="links", verbose_name=_("project template")
    )
    predecessor = models.ForeignKey(
        TemplateTask, on_delete=models.CASCADE, related_name="+", verbose_name=_("predecessor")
    )
    successor = models.ForeignKey(TemplateTask, on_delete=models.CASCADE, related_name="+", verbose_name=_("successor"))
    type = models.CharField(_("type"), max_length=2, choices=LinkType.choices, default=LinkType.FS)
    lag = models.IntegerField(_("lag (working minutes)"), default=0)

    class Meta:
        verbose_name = _("template dependency")
        verbose_name_plural = _("template dependencies")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "predecessor", "successor"], name="projects_tpl_link_unique"),
            models.CheckConstraint(condition=~Q(predecessor=F("successor")), name="projects_tpl_link_not_self"),
        ]
