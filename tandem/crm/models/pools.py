"""Public customer pools (公海池): where unowned accounts wait, the recall rules per tier, and the moves in and out."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel
from tandem.crm.choices import AccountTier, PoolMoveKind, Region
from tandem.crm.models.common import check_same_tenant


class Pool(TenantModel):
    """A public customer pool (公海池): accounts without an owner wait here until someone claims them.

    An owned account also belongs to a pool (its `pool`, else the pool of its region, else the default
    pool): that pool's rules decide when the account is recalled, and it is where the account goes back.
    """

    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    is_default = models.BooleanField(
        _("default pool"), default=False, help_text=_("Accounts of no other pool follow this pool's rules.")
    )
    department = models.ForeignKey(
        "accounts.Department",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("department"),
        help_text=_("Only members of this department and its sub-departments see this pool; empty means everyone."),
    )
    regions = models.JSONField(
        _("regions"), default=list, blank=True, help_text=_("Accounts of these regions belong to this pool.")
    )
    daily_claim_limit = models.PositiveSmallIntegerField(
        _("claims per member per day"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    reclaim_after_days = models.PositiveSmallIntegerField(_("previous owner may claim again after (days)"), default=7)
    won_customers_exempt = models.BooleanField(_("customers with a won deal are never recalled"), default=True)
    open_deals_exempt = models.BooleanField(_("accounts with open deals are never recalled"), default=True)

    class Meta:
        verbose_name = _("customer pool")
        verbose_name_plural = _("customer pools")
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="crm_pool_unique_name"),
            models.UniqueConstraint(fields=["tenant"], condition=Q(is_default=True), name="crm_pool_one_default"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_same_tenant(self, "department")
        if not isinstance(self.regions, list) or any(r not in Region.values for r in self.regions):
            raise ValidationError({"regions": _("Choose regions from the list.")})


class PoolRule(TenantModel):
    """When an owned account of one tier goes back to its pool: N days without a follow-up, or M days without a
    won deal; the owner is reminded K days before. A rule without a tier covers every tier without its own."""

    pool = models.ForeignKey(Pool, on_delete=models.CASCADE, related_name="rules", verbose_name=_("pool"))
    tier = models.CharField(_("tier"), max_length=10, choices=AccountTier.choices, blank=True)
    no_follow_up_days = models.PositiveSmallIntegerField(_("days without a follow-up"), null=True, blank=True)
    no_won_deal_days = models.PositiveSmallIntegerField(_("days without a won deal"), null=True, blank=True)
    reminder_days = models.PositiveSmallIntegerField(_("remind days before"), default=3)

    class Meta:
        verbose_name = _("recall rule")
        verbose_name_plural = _("recall rules")
        ordering = ["pool_id", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "pool", "tier"], name="crm_pool_rule_unique_tier"),
            models.CheckConstraint(
                condition=Q(no_follow_up_days__isnull=False) | Q(no_won_deal_days__isnull=False),
                name="crm_pool_rule_has_a_limit",
            ),
            models.CheckConstraint(
                condition=(Q(no_follow_up_days__isnull=True) | Q(no_follow_up_days__gt=0))
                & (Q(no_won_deal_days__isnull=True) | Q(no_won_deal_days__gt=0)),
                name="crm_pool_rule_days_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool_id}:{self.tier or '*'}"

    def clean(self) -> None:
        check_same_tenant(self, "pool")
        if self.no_follow_up_days is None and self.no_won_deal_days is None:
            raise ValidationError(_("Give the days without a follow-up, the days without a won deal, or both."))
        shortest = min(d for d in (self.no_follow_up_days, self.no_won_deal_days) if d is not None)
        if self.reminder_days >= shortest:
            raise ValidationError({"reminder_days": _("The reminder must come before the recall.")})


class PoolMove(TenantModel):
    """One move of an account between a pool and an owner: claimed, assigned, released or recalled.

    The moves give the daily claim count and the previous owner's cool-down; each is also audited on the
    account, which puts it on the account's timeline.
    """

    account = models.ForeignKey(
        "crm.Account", on_delete=models.CASCADE, related_name="pool_moves", verbose_name=_("account")
    )
    pool = models.ForeignKey(
        Pool, null=True, blank=True, on_delete=models.SET_NULL, related_name="moves", verbose_name=_("pool")
    )
    kind = models.CharField(_("move"), max_length=10, choices=PoolMoveKind.choices)
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("previous owner"),
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("new owner"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("actor"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pool move")
        verbose_name_plural = _("pool moves")
        indexes = [
            models.Index(fields=["tenant", "to_user", "kind", "created_at"], name="crm_poolmove_claims_idx"),
            models.Index(fields=["tenant", "account", "-created_at"], name="crm_poolmove_account_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.account_id}"
