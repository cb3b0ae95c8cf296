"""Print templates (打印模板), a tenant's print settings (letterhead, logo, 公章, signature) and the print history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import TenantModel

MAX_TEMPLATE_CHARS = 100_000


def image_path(instance, filename: str) -> str:
    return f"printing/{instance.tenant_id}/{filename}"


class PrintTemplate(TenantModel):
    """An HTML template (sandboxed Django syntax) that prints one object type, e.g. the contract, to PDF.

    `shipped_key` names the default it started from (`contract`), so "reset" can restore it; blank for a
    template an admin wrote from nothing.
    """

    object_type = models.CharField(_("object type"), max_length=60)
    name = models.CharField(_("name"), max_length=100)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    body = models.TextField(_("template"))
    is_default = models.BooleanField(_("default for its type"), default=False)
    shipped_key = models.CharField(_("shipped default"), max_length=60, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("print template")
        verbose_name_plural = _("print templates")
        ordering = ["object_type", "-is_default", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "object_type", "name"], name="printing_template_name_unique"),
            models.UniqueConstraint(
                fields=["tenant", "object_type"], condition=Q(is_default=True), name="printing_one_default_per_type"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PrintSettings(TenantModel):
    """One per tenant: the letterhead every print shows, the logo, the company seal and a handwritten signature."""

    company_name = models.CharField(_("company name on prints"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    tax_id = models.CharField(_("unified social credit code"), max_length=40, blank=True)
    bank_name = models.CharField(_("bank"), max_length=200, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=60, blank=True)
    logo = models.FileField(_("logo"), upload_to=image_path, max_length=300, blank=True)
    stamp = models.FileField(_("company seal (公章)"), upload_to=image_path, max_length=300, blank=True)
    signature = models.FileField(_("handwritten signature"), upload_to=image_path, max_length=300, blank=True)
    signatory_name = models.CharField(_("signatory"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("print settings")
        verbose_name_plural = _("print settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="printing_settings_one_per_tenant")]

    def __str__(self) -> str:
        return self.company_name or str(_("Print settings"))


class PrintLog(TenantModel):
    """One print: who printed which record with which template, and when (the audit log has it too)."""

    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("record"), max_length=40)
    object_repr = models.CharField(_("printed record"), max_length=200)
    template = models.ForeignKey(
        PrintTemplate, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("template")
    )
    template_name = models.CharField(_("template name"), max_length=100)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("printed by")
    )
    printed_at = models.DateTimeField(_("printed at"), auto_now_add=True)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)

    class Meta:
        verbose_name = _("print record")
        verbose_name_plural = _("print history")
        ordering = ["-printed_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "object_type", "object_id"], name="printing_log_object_idx"),
            models.Index(fields=["tenant", "printed_at"], name="printing_log_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.object_repr} · {self.template_name}"
