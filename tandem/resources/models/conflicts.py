"""Over-allocation conflicts, the tenant's resource settings (score weights, warning lead time, who manages
resources) and requests for extra staff."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel
from tandem.resources.choices import ConflictStatus, StaffRequestStatus

# Weight of the customer's tier in a conflict's priority score (0–100 each; configurable per tenant).
DEFAULT_TIER_WEIGHTS = {"vip": 100, "a": 70, "b": 40, "c": 20, "": 10}
# How much each factor counts in the score (they need not add up to 100).
SCORE_FACTORS = ("tier", "priority", "float", "urgency", "overload")
DEFAULT_SCORE_WEIGHTS = {"tier": 35, "priority": 20, "float": 20, "urgency": 15, "overload": 10}


def default_tier_weights() -> dict:
    return dict(DEFAULT_TIER_WEIGHTS)


def default_score_weights() -> dict:
    return dict(DEFAULT_SCORE_WEIGHTS)


class ResourceSettings(TenantModel):
    """One per tenant: how conflicts are scored, how far ahead they are warned of, who manages resources."""

    tier_weights = models.JSONField(_("customer tier weights"), default=default_tier_weights)
    score_weights = models.JSONField(_("score weights"), default=default_score_weights)
    warning_days = models.PositiveSmallIntegerField(
        _("warn working days ahead"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("A conflict is warned of this many working days before it starts."),
    )
    horizon_weeks = models.PositiveSmallIntegerField(
        _("look ahead (weeks)"), default=26, validators=[MinValueValidator(1), MaxValueValidator(104)]
    )
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("resource managers")
    )

    class Meta:
        verbose_name = _("resource settings")
        verbose_name_plural = _("resource settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="resources_settings_one_per_tenant")]


class Conflict(TenantModel):
    """A resource loaded beyond its capacity on a run of working days, with the task most at risk.

    Kept up to date by the services whenever tasks, allocations, calendars or leave change: a conflict whose
    overload is gone is resolved, not deleted. `score` (0–100) ranks warnings; `factors` holds its parts and the
    formula shown on the warning.
    """

    resource = models.ForeignKey(
        "resources.Resource", on_delete=models.CASCADE, related_name="conflicts", verbose_name=_("resource")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    peak_load = models.PositiveIntegerField(_("peak load (%)"), default=0)
    overload_minutes = models.PositiveIntegerField(_("overload (minutes)"), default=0)
    # The task most at risk (critical, least float, most important customer) and its project.
    task = models.ForeignKey(
        "projects.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("task")
    )
    project = models.ForeignKey(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("project"),
    )
    task_ids = models.JSONField(_("tasks"), default=list)
    project_ids = models.JSONField(_("projects"), default=list)
    score = models.DecimalField(_("priority score"), max_digits=6, decimal_places=2, default=0)
    factors = models.JSONField(_("score factors"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN)
    detected_at = models.DateTimeField(_("detected at"), auto_now_add=True)
    warned_at = models.DateTimeField(_("warned at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.CharField(_("resolution"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicts")
        ordering = ["-score", "start", "id"]
        indexes = [
            models.Index(fields=["tenant", "status", "start"], name="resources_conflict_open_idx"),
            models.Index(fields=["tenant", "resource", "status"], name="resources_conflict_res_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start}–{self.end} {self.peak_load}%"


class StaffRequest(TenantModel):
    """A request for extra staff, raised from a conflict's suggestion, for the resource manager to fill."""

    number = models.CharField(_("number"), max_length=40, blank=True)
    conflict = models.ForeignKey(
        Conflict, null=True, blank=True, on_delete=models.SET_NULL, related_name="requests", verbose_name=_("conflict")
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="staff_requests", verbose_name=_("project")
    )
    task = models.ForeignKey(
        "projects.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("task")
    )
    skill = models.ForeignKey(
        "resources.Skill", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("skill")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    hours = models.DecimalField(_("hours needed"), max_digits=8, decimal_places=2, default=0)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=StaffRequestStatus.choices, default=StaffRequestStatus.OPEN
    )
    filled_by = models.ForeignKey(
        "resources.Resource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("filled by"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    owner_field = "requested_by"

    class Meta:
        verbose_name = _("staff request")
        verbose_name_plural = _("staff requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["tenant", "status"], name="resources_staffreq_status_idx")]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"
