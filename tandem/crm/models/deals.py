"""Pipelines with ordered stages, deals (商机) and their line items."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import OwnedModel, SoftDeleteModel, TenantModel
from tandem.crm.choices import DealStatus, DealType, LeadSource
from tandem.crm.models.common import MONEY, check_same_tenant


class Pipeline(TenantModel):
    """A sales process: an ordered list of stages; each tenant has one default pipeline."""

    name = models.CharField(_("name"), max_length=100)
    is_default = models.BooleanField(_("default"), default=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("pipeline")
        verbose_name_plural = _("pipelines")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="crm_pipeline_unique_name"),
            models.UniqueConstraint(fields=["tenant"], condition=Q(is_default=True), name="crm_pipeline_one_default"),
        ]

    def __str__(self) -> str:
        return self.name


class Stage(TenantModel):
    """One step of a pipeline with its win probability and the days after which a deal in it goes stale."""

    pipeline = models.ForeignKey(Pipeline, on_delete=models.CASCADE, related_name="stages", verbose_name=_("pipeline"))
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    probability = models.PositiveSmallIntegerField(
        _("probability (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    rotting_days = models.PositiveSmallIntegerField(
        _("stale after (days)"), null=True, blank=True, help_text=_("A deal left this long in the stage is stale.")
    )
    is_won = models.BooleanField(_("won stage"), default=False)
    is_lost = models.BooleanField(_("lost stage"), default=False)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["pipeline_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "pipeline", "name"], name="crm_stage_unique_name"),
            models.CheckConstraint(condition=Q(probability__lte=100), name="crm_stage_probability_range"),
            models.CheckConstraint(condition=~(Q(is_won=True) & Q(is_lost=True)), name="crm_stage_won_or_lost"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def status(self) -> str:
        """The deal status a deal in this stage has."""
        if self.is_won:
            return DealStatus.WON
        if self.is_lost:
            return DealStatus.LOST
        return DealStatus.OPEN


class Deal(TenantModel, OwnedModel, SoftDeleteModel):
    """An opportunity (商机) with an account, a stage of a pipeline, an amount and an expected close date."""

    number = models.CharField(_("number"), max_length=40, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    account = models.ForeignKey(
        "crm.Account", on_delete=models.CASCADE, related_name="deals", verbose_name=_("account")
    )
    contact = models.ForeignKey(
        "crm.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deals",
        verbose_name=_("contact"),
    )
    pipeline = models.ForeignKey(Pipeline, on_delete=models.PROTECT, related_name="deals", verbose_name=_("pipeline"))
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="deals", verbose_name=_("stage"))
    status = models.CharField(_("status"), max_length=10, choices=DealStatus.choices, default=DealStatus.OPEN)
    amount = models.DecimalField(_("amount"), default=Decimal("0"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    expected_close_date = models.DateField(_("expected close date"), null=True, blank=True)
    deal_type = models.CharField(_("deal type"), max_length=20, choices=DealType.choices, default=DealType.OTHER)
    source = models.CharField(_("source"), max_length=20, choices=LeadSource.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    stage_changed_at = models.DateTimeField(_("in stage since"), null=True, blank=True)
    won_at = models.DateTimeField(_("won at"), null=True, blank=True)
    lost_at = models.DateTimeField(_("lost at"), null=True, blank=True)
    close_reason = models.CharField(_("reason won or lost"), max_length=300, blank=True)

    scope_parents = ("account",)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        indexes = [
            models.Index(fields=["tenant", "owner", "status"], name="crm_deal_owner_idx"),
            # A stage's deals by amount; a stage's count, totals and forecast read from this index alone.
            models.Index(
                fields=["tenant", "stage", "amount", "id"],
                include=["pipeline", "status", "currency", "expected_close_date"],
                condition=Q(deleted_at__isnull=True),
                name="crm_deal_stage_amount_idx",
            ),
            # A stage's most recently moved deals, read backwards: the kanban cards.
            models.Index(
                fields=["tenant", "stage", "stage_changed_at", "id"],
                condition=Q(deleted_at__isnull=True),
                name="crm_deal_stage_recent_idx",
            ),
            models.Index(fields=["tenant", "status", "expected_close_date"], name="crm_deal_close_idx"),
            models.Index(fields=["tenant", "account"], name="crm_deal_account_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], condition=~Q(number=""), name="crm_deal_number"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="crm_deal_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    def clean(self) -> None:
        check_same_tenant(self, "account", "contact", "pipeline", "stage")
        if self.stage_id and self.pipeline_id and self.stage.pipeline_id != self.pipeline_id:
            raise ValidationError({"stage": _("The stage belongs to another pipeline.")})


class DealLine(TenantModel):
    """A product or service line of a deal: quantity × unit price."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="lines", verbose_name=_("deal"))
    product = models.CharField(_("product"), max_length=200)
    quantity = models.DecimalField(
        _("quantity"), max_digits=14, decimal_places=3, default=Decimal("1"), validators=[MinValueValidator(0)]
    )
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_price = models.DecimalField(_("unit price"), validators=[MinValueValidator(0)], **MONEY)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("deal line")
        verbose_name_plural = _("deal lines")
        ordering = ["deal_id", "sort_order", "id"]

    def __str__(self) -> str:
        return self.product

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))
