"""A leveling proposal: the resource-constrained schedule of one project or several, to accept or discard."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel
from tandem.resources.choices import ProposalStatus


class LevelingProposal(TenantModel):
    """The result of leveling `project_ids`: per task the start and finish before and after, which tasks moved
    and why, each project's finish before and after, and what could not be kept (violations). Accepting it
    writes the new dates as constraints in one transaction, provided the schedule has not changed since."""

    project_ids = models.JSONField(_("projects"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED
    )
    budget = models.PositiveIntegerField(_("schedules generated"), default=1000)
    result = models.JSONField(_("result"), default=dict)
    # What the schedule looked like when it was leveled: accepting refuses a proposal gone stale.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    owner_field = "created_by"

    class Meta:
        verbose_name = _("leveling proposal")
        verbose_name_plural = _("leveling proposals")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"
