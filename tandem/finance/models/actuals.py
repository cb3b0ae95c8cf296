"""Actual costs (实际成本) and the monthly snapshots and alerts the budget view keeps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel
from tandem.finance.choices import CostAlertKind, CostKind
from tandem.finance.models.budgets import MONEY, BudgetLine
from tandem.finance.models.commitments import Commitment


class CostRecord(TenantModel):
    """One actual cost on a budget line: an expense or supplier invoice outside any commitment (direct cost), an
    invoice against a commitment, or labor posted from a day-work ticket. A posting from another record carries
    its source, and a source posts once."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="cost_records", verbose_name=_("project")
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.RESTRICT, related_name="cost_records", verbose_name=_("budget line")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CostKind.choices)
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="invoices",
        verbose_name=_("commitment"),
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    vendor = models.CharField(_("vendor"), max_length=200, blank=True)
    reference = models.CharField(_("invoice / voucher number"), max_length=60, blank=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    # A posting from another app's record ("labor.ticket", 42): unique, so a retried posting is refused.
    source_type = models.CharField(_("source"), max_length=40, blank=True, editable=False)
    source_id = models.BigIntegerField(_("source id"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    owner_field = "project__owner"
    scope_parents = ("project",)

    class Meta:
        verbose_name = _("cost record")
        verbose_name_plural = _("cost records")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "source_type", "source_id"],
                condition=~Q(source_type=""),
                name="finance_cost_record_source_once",
            ),
            models.CheckConstraint(
                condition=Q(kind=CostKind.COMMITMENT_INVOICE, commitment__isnull=False)
                | (~Q(kind=CostKind.COMMITMENT_INVOICE) & Q(commitment__isnull=True)),
                name="finance_cost_record_commitment_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "project", "date"], name="finance_cost_project_date_idx"),
            models.Index(fields=["tenant", "budget_line"], name="finance_cost_line_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.amount}"


class CostSnapshot(TenantModel):
    """A project's budget-view totals and earned-value figures at the end of a month (the trend and S-curve)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="cost_snapshots", verbose_name=_("project")
    )
    month = models.DateField(_("month"))  # the first day of the month
    totals = models.JSONField(_("totals"), default=dict)  # column → amount as a string
    earned_value = models.JSONField(_("earned value"), default=dict)  # PV, EV, AC, CPI… as strings
    taken_at = models.DateTimeField(_("taken at"))

    owner_field = "project__owner"
    scope_parents = ("project",)

    class Meta:
        verbose_name = _("cost snapshot")
        verbose_name_plural = _("cost snapshots")
        ordering = ["project_id", "month"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "project", "month"], name="finance_snapshot_unique_month")
        ]


class CostAlert(TenantModel):
    """An open or closed cost alert of a project: a line over budget, the margin below the threshold, CPI low.
    At most one open alert per project, kind and line; it closes when the condition no longer holds."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="cost_alerts", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=CostAlertKind.choices)
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
        verbose_name=_("budget line"),
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    threshold = models.DecimalField(_("threshold"), max_digits=18, decimal_places=4)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    owner_field = "project__owner"
    scope_parents = ("project",)

    class Meta:
        verbose_name = _("cost alert")
        verbose_name_plural = _("cost alerts")
        ordering = ["-opened_at", "-id"]
        constraints = [
            # A project-wide alert has no line: the constraint reads it as line 0.
            models.UniqueConstraint(
                "tenant",
                "project",
                "kind",
                Coalesce("budget_line", Value(0)),
                condition=Q(closed_at__isnull=True),
                name="finance_alert_one_open",
            )
        ]
        indexes = [models.Index(fields=["tenant", "project", "closed_at"], name="finance_alert_project_idx")]
