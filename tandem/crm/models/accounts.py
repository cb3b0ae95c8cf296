"""Customer companies (客户), their contacts (联系人) and the tenant's CRM settings."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import OwnedModel, SoftDeleteModel, TenantModel
from tandem.crm.choices import AccountTier, ContactLanguage, Industry, Region
from tandem.crm.models.common import check_same_tenant
from tandem.crm.validators import validate_credit_code, validate_phone

# What a person writes about a customer company: the account form, the account services and the API take it
# from here.
ACCOUNT_DETAILS = (
    "name",
    "credit_code",
    "tier",
    "industry",
    "region",
    "province",
    "city",
    "address",
    "website",
    "tags",
    "notes",
)
# Everything a person edits on an account: its details, its parent company and the risk flag (风险客户).
ACCOUNT_FIELDS = (*ACCOUNT_DETAILS, "parent", "risk_flag", "risk_reason", "risk_owner", "risk_expires_on")

MAX_TAGS = 20
MAX_TAG_LENGTH = 30


class CrmSettings(TenantModel):
    """Per-tenant CRM settings, such as the first-response SLA for new leads."""

    lead_response_hours = models.PositiveSmallIntegerField(
        _("lead first-response time (hours)"), default=24, help_text=_("A new lead is overdue after this many hours.")
    )
    max_owned_accounts = models.PositiveIntegerField(
        _("accounts one member may own"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    max_locked_accounts = models.PositiveIntegerField(
        _("accounts one member may lock"), null=True, blank=True, help_text=_("Empty means no limit.")
    )
    forgotten_after_days = models.PositiveSmallIntegerField(_("forgotten after (days without a follow-up)"), default=30)

    class Meta:
        verbose_name = _("CRM settings")
        verbose_name_plural = _("CRM settings")
        constraints = [models.UniqueConstraint(fields=["tenant"], name="crm_settings_unique_tenant")]

    def __str__(self) -> str:
        return str(_("CRM settings"))


class Account(TenantModel, OwnedModel, SoftDeleteModel):
    """A customer company (客户) with its tier, region, risk flag and last follow-up.

    An account without an owner sits in its public pool (公海): data scopes match owners, so only members
    who see everything reach it through the account lists; everyone else sees it through the pool pages.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    tier = models.CharField(_("tier"), max_length=10, choices=AccountTier.choices, default=AccountTier.C)
    industry = models.CharField(_("industry"), max_length=30, choices=Industry.choices, blank=True)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    province = models.CharField(_("province"), max_length=30, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("parent account"),
    )
    risk_flag = models.BooleanField(_("high risk"), default=False)
    risk_reason = models.CharField(_("risk reason"), max_length=300, blank=True)
    risk_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("risk owner"),
    )
    risk_expires_on = models.DateField(_("risk flag expires on"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last follow-up"), null=True, blank=True)
    last_activity_summary = models.CharField(_("last follow-up summary"), max_length=200, blank=True)
    pool = models.ForeignKey(
        "crm.Pool", null=True, blank=True, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("pool")
    )
    locked = models.BooleanField(_("locked"), default=False, help_text=_("Locked accounts are never recalled."))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        indexes = [
            models.Index(fields=["tenant", "owner"], name="crm_account_owner_idx"),
            models.Index(fields=["tenant", "name"], name="crm_account_name_idx"),
            models.Index(fields=["tenant", "credit_code"], name="crm_account_credit_idx"),
            models.Index(fields=["tenant", "last_activity_at"], name="crm_account_activity_idx"),
            models.Index(fields=["tenant", "pool", "owner"], name="crm_account_pool_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(pool__isnull=False), name="crm_account_owner_or_pool"
            ),
            models.CheckConstraint(condition=Q(locked=False) | Q(owner__isnull=False), name="crm_account_locked_owned"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        check_same_tenant(self, "parent", "pool")
        errors = {}
        if self.parent_id is not None and self.parent_id == self.pk:
            errors["parent"] = _("An account cannot be its own parent.")
        if not isinstance(self.tags, list) or not all(isinstance(t, str) for t in self.tags):
            errors["tags"] = _("Tags are a list of words.")
        elif len(self.tags) > MAX_TAGS or any(len(t) > MAX_TAG_LENGTH for t in self.tags):
            errors["tags"] = _("At most %(n)d tags of at most %(len)d characters each.") % {
                "n": MAX_TAGS,
                "len": MAX_TAG_LENGTH,
            }
        if self.risk_flag and not self.risk_reason.strip():
            errors["risk_reason"] = _("Say why the account is at risk.")
        if errors:
            raise ValidationError(errors)


class Contact(TenantModel, OwnedModel, SoftDeleteModel):
    """A person at one or more customer companies (联系人)."""

    name = models.CharField(_("full name"), max_length=100)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile phone"), max_length=30, blank=True, validators=[validate_phone])
    phone = models.CharField(_("office phone"), max_length=30, blank=True, validators=[validate_phone])
    email = models.EmailField(_("email"), blank=True)
    wechat = models.CharField(_("WeChat ID"), max_length=50, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=ContactLanguage.choices,
        blank=True,
        help_text=_("Surveys and links go out in this language; empty means the organisation's language."),
    )
    notes = models.TextField(_("notes"), blank=True)
    accounts = models.ManyToManyField(
        Account, through="AccountContact", related_name="contacts", blank=True, verbose_name=_("accounts")
    )

    sensitive_fields = {"mobile": "phone", "phone": "phone", "email": "default", "wechat": "default"}
    scope_parents = ("accounts",)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["tenant", "owner"], name="crm_contact_owner_idx"),
            models.Index(fields=["tenant", "mobile"], name="crm_contact_mobile_idx"),
            models.Index(fields=["tenant", "email"], name="crm_contact_email_idx"),
        ]

    def __str__(self) -> str:
        return self.name


class AccountContact(TenantModel):
    """A contact's place at an account; at most one primary contact (首要联系人) per account."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="contact_links", verbose_name=_("account")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="account_links", verbose_name=_("contact")
    )
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("account contact")
        verbose_name_plural = _("account contacts")
        constraints = [
            models.UniqueConstraint(fields=["tenant", "account", "contact"], name="crm_account_contact_unique"),
            models.UniqueConstraint(
                fields=["tenant", "account"], condition=Q(is_primary=True), name="crm_account_one_primary_contact"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} @ {self.account_id}"
