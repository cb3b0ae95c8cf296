"""Approval flows (审批流) and their immutable versions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel


class Flow(TenantModel):
    """The approval flow of one object type (e.g. contracts); at most one active flow per type and tenant.

    The definition lives on its versions: saving a new definition adds a version and points `current_version` at
    it, while a running approval keeps the version it started on.
    """

    object_type = models.CharField(_("object type"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    current_version = models.ForeignKey(
        "approvals.FlowVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("current version"),
    )

    class Meta:
        verbose_name = _("approval flow")
        verbose_name_plural = _("approval flows")
        ordering = ["object_type", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "object_type"],
                condition=models.Q(is_active=True),
                name="approvals_flow_one_active_per_type",
                violation_error_message=_("Another active flow already exists for this type."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class FlowVersion(TenantModel):
    """One saved definition of a flow (JSON, see `approvals.definition`); never changed once written."""

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="versions", verbose_name=_("flow"))
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("flow version")
        verbose_name_plural = _("flow versions")
        ordering = ["flow", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "flow", "number"], name="approvals_flowversion_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.flow_id} v{self.number}"

    def save(self, *args, **kwargs):
        # Running approvals read their version's definition: a change is a new version, never an edit.
        if not self._state.adding:
            raise ValueError("A flow version is immutable; save a new version instead.")
        super().save(*args, **kwargs)
