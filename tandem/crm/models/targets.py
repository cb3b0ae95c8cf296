"""Sales targets (业绩目标) for the company, a department or a person, by month or by year."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel
from tandem.crm.choices import TargetLevel, TargetMetric
from tandem.crm.models.common import MONEY, check_same_tenant

WHOLE_YEAR = 0


class SalesTarget(TenantModel):
    """An amount of contracts signed or money received to reach in one month (or one whole year, month 0)."""

    level = models.CharField(_("for"), max_length=12, choices=TargetLevel.choices)
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("department"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("person"),
    )
    metric = models.CharField(_("measure"), max_length=12, choices=TargetMetric.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(
        _("month"), default=WHOLE_YEAR, validators=[MaxValueValidator(12)], help_text=_("0 means the whole year.")
    )
    amount = models.DecimalField(_("target amount"), validators=[MinValueValidator(0)], **MONEY)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("set by"),
    )

    class Meta:
        verbose_name = _("sales target")
        verbose_name_plural = _("sales targets")
        ordering = ["year", "month", "level", "id"]
        indexes = [models.Index(fields=["tenant", "year", "month"], name="crm_target_period_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(level=TargetLevel.COMPANY) & Q(department__isnull=True) & Q(user__isnull=True))
                | (Q(level=TargetLevel.DEPARTMENT) & Q(department__isnull=False) & Q(user__isnull=True))
                | (Q(level=TargetLevel.PERSON) & Q(department__isnull=True) & Q(user__isnull=False)),
                name="crm_target_subject_matches_level",
            ),
            models.CheckConstraint(condition=Q(month__lte=12), name="crm_target_month_valid"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="crm_target_amount_not_negative"),
            models.UniqueConstraint(
                fields=["tenant", "metric", "year", "month"],
                condition=Q(level=TargetLevel.COMPANY),
                name="crm_target_unique_company",
            ),
            models.UniqueConstraint(
                fields=["tenant", "department", "metric", "year", "month"],
                condition=Q(level=TargetLevel.DEPARTMENT),
                name="crm_target_unique_department",
            ),
            models.UniqueConstraint(
                fields=["tenant", "user", "metric", "year", "month"],
                condition=Q(level=TargetLevel.PERSON),
                name="crm_target_unique_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.metric} {self.year}-{self.month:02d}"

    def clean(self) -> None:
        check_same_tenant(self, "department")
        if self.level == TargetLevel.DEPARTMENT and self.department_id is None:
            raise ValidationError({"department": _("Choose the department.")})
        if self.level == TargetLevel.PERSON and self.user_id is None:
            raise ValidationError({"user": _("Choose the person.")})
