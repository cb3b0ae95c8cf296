"""Commitments (合同承诺): subcontracts and purchase orders whose lines fall on budget lines."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel
from tandem.finance.choices import CommitmentKind, CommitmentStatus
from tandem.finance.models.budgets import MONEY, QUANTITY, BudgetLine


class Commitment(TenantModel):
    """A subcontract (分包合同) or purchase order (采购订单) with a vendor; approved ones count as committed cost,
    those out for signature or submitted as pending cost."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="commitments", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CommitmentKind.choices)
    number = models.CharField(_("number"), max_length=40, editable=False)
    title = models.CharField(_("title"), max_length=200)
    vendor = models.CharField(_("vendor"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.DRAFT
    )
    retention_percent = models.DecimalField(
        _("retention (%)"),
        max_digits=5,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    owner_field = "project__owner"
    scope_parents = ("project",)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["tenant", "number"], name="finance_commitment_number")]
        indexes = [models.Index(fields=["tenant", "project", "status"], name="finance_commitment_project_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CommitmentLine(TenantModel):
    """A commitment's quantity × unit price on one budget line."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="lines", verbose_name=_("commitment")
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.RESTRICT, related_name="commitment_lines", verbose_name=_("budget line")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantity"), default=1, validators=[MinValueValidator(0)], **QUANTITY)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_price = models.DecimalField(_("unit price"), default=0, validators=[MinValueValidator(0)], **MONEY)
    amount = models.DecimalField(_("amount"), default=0, editable=False, **MONEY)

    owner_field = "commitment__project__owner"

    class Meta:
        verbose_name = _("commitment line")
        verbose_name_plural = _("commitment lines")
        ordering = ["id"]
        indexes = [models.Index(fields=["tenant", "budget_line"], name="finance_commitment_line_idx")]
