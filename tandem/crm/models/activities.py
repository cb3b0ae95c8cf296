"""Follow-ups and activities (跟进记录) on accounts, contacts, leads, deals and later projects."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.models import AutomationAuthored, OwnedModel, TenantModel
from tandem.crm.choices import ActivityKind
from tandem.crm.models.common import check_same_tenant


class Activity(TenantModel, OwnedModel, AutomationAuthored):
    """A call, visit, meeting, email, WeChat message, note or task, linked to the records it concerns.

    A note an automation rule writes names the rule as its author (`automation_rule_*`), not its owner.

    The owner of any linked account, contact, lead or deal sees it (`scope_parents`), so a
    colleague's visit shows on the account owner's timeline.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=ActivityKind.choices, default=ActivityKind.NOTE)
    subject = models.CharField(_("subject"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    next_contact_on = models.DateField(_("next contact on"), null=True, blank=True)
    account = models.ForeignKey(
        "crm.Account",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=_("account"),
    )
    contact = models.ForeignKey(
        "crm.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("contact"),
    )
    lead = models.ForeignKey(
        "crm.Lead", null=True, blank=True, on_delete=models.SET_NULL, related_name="activities", verbose_name=_("lead")
    )
    deal = models.ForeignKey(
        "crm.Deal", null=True, blank=True, on_delete=models.SET_NULL, related_name="activities", verbose_name=_("deal")
    )
    # A project of the same tenant (checked by the activity services).
    project_id = models.BigIntegerField(_("project"), null=True, blank=True)

    scope_parents = ("account", "contact", "lead", "deal")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["tenant", "account", "-occurred_at"], name="crm_activity_account_idx"),
            models.Index(fields=["tenant", "deal", "-occurred_at"], name="crm_activity_deal_idx"),
            models.Index(fields=["tenant", "lead", "-occurred_at"], name="crm_activity_lead_idx"),
            models.Index(fields=["tenant", "owner", "-occurred_at"], name="crm_activity_owner_idx"),
            models.Index(fields=["tenant", "next_contact_on"], name="crm_activity_next_idx"),
        ]

    def __str__(self) -> str:
        return self.subject

    def clean(self) -> None:
        check_same_tenant(self, "account", "contact", "lead", "deal")
        if not any((self.account_id, self.contact_id, self.lead_id, self.deal_id, self.project_id)):
            raise ValidationError(_("Link the activity to an account, contact, lead, deal or project."))
        if self.kind != ActivityKind.TASK and (self.due_at or self.done):
            raise ValidationError({"due_at": _("Only tasks have a due date and a done flag.")})

    @property
    def is_overdue(self) -> bool:
        return self.kind == ActivityKind.TASK and not self.done and bool(self.due_at) and self.due_at < timezone.now()
