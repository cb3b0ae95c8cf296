"""Leads (线索): prospects not yet qualified into an account and a deal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.models import OwnedModel, SoftDeleteModel, TenantModel
from tandem.crm.choices import Industry, LeadSource, LeadStatus, Region
from tandem.crm.models.common import MONEY
from tandem.crm.validators import validate_phone

# What a person writes about a prospect: the lead form, the lead services and the API take it from here.
LEAD_DETAILS = (
    "company",
    "contact_name",
    "title",
    "phone",
    "email",
    "wechat",
    "source",
    "status",
    "industry",
    "region",
    "province",
    "city",
    "address",
    "estimated_amount",
    "description",
)
# Everything a person edits on a lead: its details and, for a lost one, why.
LEAD_FIELDS = (*LEAD_DETAILS, "lost_reason")


class Lead(TenantModel, OwnedModel, SoftDeleteModel):
    """A prospect with a source, a status and a first-response deadline; converts into account + contact + deal."""

    company = models.CharField(_("company"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    email = models.EmailField(_("email"), blank=True)
    wechat = models.CharField(_("WeChat ID"), max_length=50, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=LeadSource.choices, default=LeadSource.OTHER)
    status = models.CharField(_("status"), max_length=20, choices=LeadStatus.choices, default=LeadStatus.NEW)
    industry = models.CharField(_("industry"), max_length=30, choices=Industry.choices, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    province = models.CharField(_("province"), max_length=30, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    estimated_amount = models.DecimalField(_("estimated amount"), null=True, blank=True, **MONEY)
    description = models.TextField(_("requirements"), blank=True)
    response_due_at = models.DateTimeField(_("respond by"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    lost_reason = models.CharField(_("reason lost"), max_length=300, blank=True)
    converted_at = models.DateTimeField(_("converted at"), null=True, blank=True)
    converted_account = models.ForeignKey(
        "crm.Account",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_leads",
        verbose_name=_("converted to account"),
    )
    converted_contact = models.ForeignKey(
        "crm.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_leads",
        verbose_name=_("converted to contact"),
    )
    converted_deal = models.ForeignKey(
        "crm.Deal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_leads",
        verbose_name=_("converted to deal"),
    )

    sensitive_fields = {"phone": "phone", "email": "default", "wechat": "default"}

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            models.Index(fields=["tenant", "owner", "status"], name="crm_lead_owner_idx"),
            models.Index(fields=["tenant", "status", "response_due_at"], name="crm_lead_due_idx"),
            models.Index(fields=["tenant", "phone"], name="crm_lead_phone_idx"),
        ]

    def __str__(self) -> str:
        return self.company or self.contact_name

    def clean(self) -> None:
        if not self.company.strip() and not self.contact_name.strip():
            raise ValidationError({"company": _("Give the company or the contact person.")})
        if self.status == LeadStatus.LOST and not self.lost_reason.strip():
            raise ValidationError({"lost_reason": _("Say why the lead was lost.")})

    @property
    def response_seconds(self) -> int | None:
        """How long the first response took, in seconds (None until someone responded)."""
        if self.first_response_at is None:
            return None
        return max(0, int((self.first_response_at - self.created_at).total_seconds()))

    @property
    def is_response_overdue(self) -> bool:
        """Nobody has responded and the deadline has passed (or passed before the first response)."""
        if self.response_due_at is None:
            return False
        if self.first_response_at is None:
            return self.status == LeadStatus.NEW and timezone.now() > self.response_due_at
        return self.first_response_at > self.response_due_at
