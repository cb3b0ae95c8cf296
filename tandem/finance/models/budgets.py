"""The budget side of the cost center: cost codes, a project's budget with its lines, transfers between lines
after the lock (budget modifications) and change orders."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel
from tandem.finance.choices import (
    BudgetStatus,
    ChangeOrderKind,
    ChangeOrderStatus,
    CostType,
    ForecastMethod,
)

MONEY = {"max_digits": 16, "decimal_places": 2}
QUANTITY = {"max_digits": 16, "decimal_places": 3}


class CostCode(TenantModel):
    """A node of the tenant's cost code tree (成本科目), e.g. 02 安装工程 › 02.03 弱电系统."""

    parent = models.ForeignKey(
        "self", on_delete=models.RESTRICT, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("cost code")
        verbose_name_plural = _("cost codes")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["tenant", "code"], name="finance_cost_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CostSettings(TenantModel):
    """The tenant's alert thresholds; one row per tenant, created on first use."""

    margin_alert_percent = models.DecimalField(
        _("margin alert below (%)"),
        max_digits=5,
        decimal_places=2,
        default=10,
        validators=[MinValueValidator(-100), MaxValueValidator(100)],
    )
    cpi_alert_below = models.DecimalField(
        _("CPI alert below"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.90"),
        validators=[MinValueValidator(0), MaxValueValidator(5)],
    )
    line_over_budget_alert = models.BooleanField(_("alert when a budget line goes over budget"), default=True)

    class Meta:
        verbose_name = _("cost settings")
        verbose_name_plural = _("cost settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="finance_cost_settings_unique")]


class ProjectBudget(TenantModel):
    """A project's budget (项目预算): its lines, the lock, and the contract value the margin is measured on."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="cost_budget", verbose_name=_("project")
    )
    status = models.CharField(_("status"), max_length=20, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT)
    # The signed contract's amount, filled by the won-deal handoff; prime change orders add to it.
    original_contract_value = models.DecimalField(_("original contract value"), default=0, **MONEY)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True, editable=False)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
        editable=False,
    )
    notes = models.TextField(_("notes"), blank=True)

    # Scoped by the project: its PM (and whoever sees the project through a share) sees its money.
    owner_field = "project__owner"
    scope_parents = ("project",)

    class Meta:
        verbose_name = _("project budget")
        verbose_name_plural = _("project budgets")
        constraints = [models.UniqueConstraint(fields=["tenant", "project"], name="finance_budget_unique_project")]

    def __str__(self) -> str:
        return str(self.project)

    @property
    def is_locked(self) -> bool:
        return self.status == BudgetStatus.LOCKED


class BudgetLine(TenantModel):
    """Cost code × cost type (optionally on a WBS task): quantity × unit price is the original budget; the
    forecast to complete is found automatically, entered as quantity × unit price, or as a lump sum."""

    budget = models.ForeignKey(ProjectBudget, on_delete=models.CASCADE, related_name="lines", verbose_name=_("budget"))
    # The budget's project, copied so the view and the scope read lines without a join.
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("project")
    )
    cost_code = models.ForeignKey(
        CostCode, on_delete=models.RESTRICT, related_name="lines", verbose_name=_("cost code")
    )
    cost_type = models.CharField(_("cost type"), max_length=20, choices=CostType.choices)
    task = models.ForeignKey(
        "projects.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("WBS task"),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantity"), default=1, validators=[MinValueValidator(0)], **QUANTITY)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_price = models.DecimalField(_("unit price"), default=0, validators=[MinValueValidator(0)], **MONEY)
    # quantity × unit price rounded to the fen (分), kept by the services.
    original_amount = models.DecimalField(_("original budget"), default=0, editable=False, **MONEY)
    forecast_method = models.CharField(
        _("forecast method"), max_length=20, choices=ForecastMethod.choices, default=ForecastMethod.AUTOMATIC
    )
    forecast_quantity = models.DecimalField(_("forecast quantity"), null=True, blank=True, **QUANTITY)
    forecast_unit_price = models.DecimalField(_("forecast unit price"), null=True, blank=True, **MONEY)
    # The manual or lump-sum forecast to complete (manual = forecast quantity × forecast unit price).
    forecast_amount = models.DecimalField(_("forecast to complete"), null=True, blank=True, **MONEY)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Scoped by the project: its PM (and whoever sees the project through a share) sees its money.
    owner_field = "project__owner"
    scope_parents = ("project",)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["sort_order", "id"]
        indexes = [
            models.Index(fields=["tenant", "project"], name="finance_line_project_idx"),
            models.Index(fields=["tenant", "cost_code"], name="finance_line_code_idx"),
        ]

    def __str__(self) -> str:
        label = self.description or self.get_cost_type_display()
        return f"{self.cost_code.code} · {label}"


class BudgetModification(TenantModel):
    """A transfer of budget from one line to another of the same project (预算调整), the only way a locked
    budget's original amounts move; it adds nothing to the total."""

    budget = models.ForeignKey(
        ProjectBudget, on_delete=models.CASCADE, related_name="modifications", verbose_name=_("budget")
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="+", verbose_name=_("project")
    )
    from_line = models.ForeignKey(
        BudgetLine, on_delete=models.RESTRICT, related_name="transfers_out", verbose_name=_("from line")
    )
    to_line = models.ForeignKey(
        BudgetLine, on_delete=models.RESTRICT, related_name="transfers_in", verbose_name=_("to line")
    )
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(0)], **MONEY)
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Scoped by the project: its PM (and whoever sees the project through a share) sees its money.
    owner_field = "project__owner"
    scope_parents = ("project",)

    class Meta:
        verbose_name = _("budget modification")
        verbose_name_plural = _("budget modifications")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="finance_modification_positive"),
            models.CheckConstraint(condition=~Q(from_line=models.F("to_line")), name="finance_modification_two_lines"),
        ]
        indexes = [models.Index(fields=["tenant", "project"], name="finance_mod_project_idx")]


class ChangeOrder(TenantModel):
    """A change order (变更单): lines that add to (or take from) budget lines; a prime-contract change also changes
    the contract value. Pending while its approval runs, approved once."""

    budget = models.ForeignKey(
        ProjectBudget, on_delete=models.CASCADE, related_name="change_orders", verbose_name=_("budget")
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="change_orders", verbose_name=_("project")
    )
    number = models.CharField(_("number"), max_length=40, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=ChangeOrderKind.choices, default=ChangeOrderKind.PRIME)
    title = models.CharField(_("title"), max_length=200)
    reason = models.TextField(_("reason"), blank=True)
    # What the customer pays more (or less) for a prime-contract change; 0 for a budget change.
    contract_amount = models.DecimalField(_("contract value change"), default=0, **MONEY)
    status = models.CharField(
        _("status"), max_length=20, choices=ChangeOrderStatus.choices, default=ChangeOrderStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # Scoped by the project: its PM (and whoever sees the project through a share) sees its money.
    owner_field = "project__owner"
    scope_parents = ("project",)

    class Meta:
        verbose_name = _("change order")
        verbose_name_plural = _("change orders")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["tenant", "number"], name="finance_change_order_number")]
        indexes = [models.Index(fields=["tenant", "project", "status"], name="finance_co_project_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class ChangeOrderLine(TenantModel):
    """A change order's amount on one budget line (negative for a deduction)."""

    change_order = models.ForeignKey(
        ChangeOrder, on_delete=models.CASCADE, related_name="lines", verbose_name=_("change order")
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.RESTRICT, related_name="change_lines", verbose_name=_("budget line")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)

    owner_field = "change_order__project__owner"

    class Meta:
        verbose_name = _("change order line")
        verbose_name_plural = _("change order lines")
        ordering = ["id"]
        indexes = [models.Index(fields=["tenant", "budget_line"], name="finance_co_line_idx")]


class TemplateBudgetLine(TenantModel):
    """A default budget line of a project template; a project made from the template starts its budget with
    these lines (on the task made from `template_task`, when there is one)."""

    template = models.ForeignKey(
        "projects.ProjectTemplate", on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("template")
    )
    template_task = models.ForeignKey(
        "projects.TemplateTask",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("template task"),
    )
    cost_code = models.ForeignKey(CostCode, on_delete=models.RESTRICT, related_name="+", verbose_name=_("cost code"))
    cost_type = models.CharField(_("cost type"), max_length=20, choices=CostType.choices)
    description = models.CharField(_("description"), max_length=300, blank=True)
    quantity = models.DecimalField(_("quantity"), default=1, validators=[MinValueValidator(0)], **QUANTITY)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_price = models.DecimalField(_("unit price"), default=0, validators=[MinValueValidator(0)], **MONEY)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("template budget line")
        verbose_name_plural = _("template budget lines")
        ordering = ["sort_order", "id"]
        indexes = [models.Index(fields=["tenant", "template"], name="finance_tpl_line_idx")]
