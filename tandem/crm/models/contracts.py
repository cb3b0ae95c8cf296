"""Contracts (合同), their payment plans (回款计划) and receipts (回款)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import OwnedModel, SoftDeleteModel, TenantManager, TenantModel, TenantQuerySet
from tandem.crm.choices import ContractStatus, ContractType, DueRule, MilestoneStatus, PaymentMethod
from tandem.crm.models.common import MONEY, check_same_tenant

ZERO = Decimal("0.00")
# What a person sets on a contract: the contract form and the contract services take the list from here.
CONTRACT_FIELDS = (
    "name",
    "account",
    "deal",
    "contract_type",
    "amount",
    "currency",
    "tax_rate",
    "customer_signatory",
    "company_signatory",
    "signed_on",
    "start_on",
    "end_on",
    "accepted_on",
    "notes",
)
# What a person sets on a payment period (回款计划的一期): the plan editor, the contract services and the API
# take the list from here.
PERIOD_FIELDS = (
    "name",
    "percent",
    "amount",
    "due_rule",
    "due_on",
    "days_after_acceptance",
    "project_milestone",
    "reminder_days",
    "is_retention",
    "is_void",
)


class Contract(TenantModel, OwnedModel, SoftDeleteModel):
    """A signed agreement with a customer: amount, tax, signatories, dates and a payment plan."""

    number = models.CharField(_("number"), max_length=40, blank=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    account = models.ForeignKey(
        "crm.Account", on_delete=models.CASCADE, related_name="contracts", verbose_name=_("account")
    )
    deal = models.ForeignKey(
        "crm.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts", verbose_name=_("deal")
    )
    contract_type = models.CharField(
        _("type"), max_length=20, choices=ContractType.choices, default=ContractType.CONSTRUCTION
    )
    status = models.CharField(_("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT)
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    tax_rate = models.DecimalField(
        _("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("9.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    customer_signatory = models.CharField(_("customer signatory"), max_length=100, blank=True)
    company_signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("our signatory"),
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    start_on = models.DateField(_("starts on"), null=True, blank=True)
    end_on = models.DateField(_("ends on"), null=True, blank=True)
    accepted_on = models.DateField(
        _("accepted on"), null=True, blank=True, help_text=_("Final acceptance; dates periods due after acceptance.")
    )
    notes = models.TextField(_("notes"), blank=True)

    scope_parents = ("account",)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [
            models.Index(fields=["tenant", "owner", "status"], name="crm_contract_owner_idx"),
            models.Index(fields=["tenant", "account"], name="crm_contract_account_idx"),
            models.Index(fields=["tenant", "end_on"], name="crm_contract_end_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "number"], condition=~Q(number=""), name="crm_contract_number"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="crm_contract_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(start_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="crm_contract_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    def clean(self) -> None:
        check_same_tenant(self, "account", "deal")
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("The end date is before the start date.")})
        if self.deal_id and self.account_id and self.deal.account_id != self.account_id:
            raise ValidationError({"deal": _("The deal belongs to another account.")})


class ContractPartQuerySet(TenantQuerySet):
    """Payment periods and receipts are visible to whoever sees their contract (however they see it)."""

    def restrict(self, access, action: str = "view"):
        meta = self.model._meta
        qs = self.for_tenant(access.tenant_id)
        if access.scope_for(f"{meta.app_label}.{action}_{meta.model_name}") is None:
            return qs.none()
        return qs.filter(contract__in=Contract.objects.restrict(access).values("pk"))


class ContractPartManager(TenantManager.from_queryset(ContractPartQuerySet)):
    pass


class PaymentMilestone(TenantModel):
    """One period of a contract's payment plan: a share of the amount, due by a rule."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("contract")
    )
    sequence = models.PositiveSmallIntegerField(_("sequence"), default=1)
    name = models.CharField(_("name"), max_length=100)
    percent = models.DecimalField(
        _("percent"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **MONEY)
    due_rule = models.CharField(_("due rule"), max_length=30, choices=DueRule.choices, default=DueRule.ON_DATE)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    days_after_acceptance = models.PositiveSmallIntegerField(_("days after acceptance"), null=True, blank=True)
    project_milestone = models.CharField(_("project milestone"), max_length=200, blank=True)
    reminder_days = models.PositiveSmallIntegerField(_("remind days ahead"), default=7)
    is_retention = models.BooleanField(_("retention"), default=False)
    is_void = models.BooleanField(_("void"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    objects = ContractPartManager()

    class Meta:
        verbose_name = _("payment milestone")
        verbose_name_plural = _("payment milestones")
        ordering = ["contract_id", "sequence", "id"]
        indexes = [models.Index(fields=["tenant", "due_on"], name="crm_milestone_due_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="crm_milestone_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_same_tenant(self, "contract")
        if self.due_rule == DueRule.ON_DATE and self.due_on is None:
            raise ValidationError({"due_on": _("Give the date this period is due.")})
        if self.due_rule == DueRule.AFTER_ACCEPTANCE and self.days_after_acceptance is None:
            raise ValidationError({"days_after_acceptance": _("Give the number of days after acceptance.")})
        if self.due_rule == DueRule.ON_MILESTONE and not self.project_milestone.strip():
            raise ValidationError({"project_milestone": _("Name the project milestone this period is due on.")})

    def due_date_for(self, accepted_on: date | None) -> date | None:
        """The due date this period's rule gives, once the facts it depends on are known."""
        if self.due_rule == DueRule.AFTER_ACCEPTANCE and accepted_on and self.days_after_acceptance is not None:
            return accepted_on + timedelta(days=self.days_after_acceptance)
        return self.due_on


def milestone_status(*, amount: Decimal, received: Decimal, due_on: date | None, is_void: bool, today: date) -> str:
    """Void, received in full, overdue (due and not fully received), partly received, or pending."""
    if is_void:
        return MilestoneStatus.VOID
    if received >= amount:
        return MilestoneStatus.RECEIVED
    if due_on is not None and due_on < today:
        return MilestoneStatus.OVERDUE
    if received > ZERO:
        return MilestoneStatus.PARTLY_RECEIVED
    return MilestoneStatus.PENDING


class Receipt(TenantModel):
    """Money received (回款) against one period of a contract's payment plan."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("contract")
    )
    milestone = models.ForeignKey(
        PaymentMilestone, on_delete=models.CASCADE, related_name="receipts", verbose_name=_("payment milestone")
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount"), **MONEY)
    method = models.CharField(
        _("method"), max_length=20, choices=PaymentMethod.choices, default=PaymentMethod.BANK_TRANSFER
    )
    bank = models.CharField(_("bank"), max_length=100, blank=True)
    reference = models.CharField(_("voucher number"), max_length=100, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    objects = ContractPartManager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["tenant", "contract"], name="crm_receipt_contract_idx"),
            models.Index(fields=["tenant", "received_on"], name="crm_receipt_date_idx"),
        ]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="crm_receipt_amount_positive")]

    def __str__(self) -> str:
        return f"{self.received_on} {self.amount}"

    def clean(self) -> None:
        check_same_tenant(self, "contract", "milestone")
        if self.milestone_id and self.contract_id and self.milestone.contract_id != self.contract_id:
            raise ValidationError({"milestone": _("The period belongs to another contract.")})
