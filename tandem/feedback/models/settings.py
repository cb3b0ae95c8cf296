"""A tenant's feedback settings: survey timing, the service-request SLA and the health-score weights."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel

# Working hours to the first response and to resolution, per priority (the tenant's work calendar).
DEFAULT_SLA = {
    "urgent": [2, 8],
    "high": [4, 24],
    "normal": [8, 40],
    "low": [16, 80],
}
# The factors of the account health score and their default weights (they need not add up to 100).
HEALTH_FACTORS = ("nps", "requests", "receivables", "recency", "delay")
DEFAULT_WEIGHTS = {"nps": 30, "requests": 20, "receivables": 20, "recency": 15, "delay": 15}


def default_sla() -> dict:
    return {key: list(value) for key, value in DEFAULT_SLA.items()}


def default_weights() -> dict:
    return dict(DEFAULT_WEIGHTS)


class FeedbackSettings(TenantModel):
    """One per tenant: how surveys are paced, the service-request SLA and how the health score is weighted."""

    quiet_days = models.PositiveSmallIntegerField(
        _("quiet period (days)"),
        default=90,
        validators=[MaxValueValidator(730)],
        help_text=_("A contact is not surveyed again within this many days."),
    )
    expiry_days = models.PositiveSmallIntegerField(
        _("survey link valid for (days)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder after (days)"),
        default=3,
        validators=[MaxValueValidator(60)],
        help_text=_("One reminder when the survey is unanswered after this many days; 0 sends none."),
    )
    sla = models.JSONField(_("service SLA (working hours)"), default=default_sla)
    health_weights = models.JSONField(_("health score weights"), default=default_weights)

    class Meta:
        verbose_name = _("feedback settings")
        verbose_name_plural = _("feedback settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="feedback_settings_one_per_tenant")]


class HealthScore(TenantModel):
    """An account's health (0–100) and the factors behind it, recomputed when one of its inputs changes."""

    # Data scope through the account: a salesperson sees the health of their own customers.
    owner_field = "account__owner"

    account = models.OneToOneField(
        "crm.Account", on_delete=models.CASCADE, related_name="health", verbose_name=_("account")
    )
    score = models.PositiveSmallIntegerField(_("health score"), validators=[MaxValueValidator(100)])
    # [{"key": "nps", "value": 40.0, "points": 0.7, "weight": 30, "detail": "…"}, …]
    factors = models.JSONField(_("factors"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("health score")
        verbose_name_plural = _("health scores")
        indexes = [models.Index(fields=["tenant", "score"], name="feedback_health_score_idx")]
