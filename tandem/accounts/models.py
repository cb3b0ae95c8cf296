"""Tenants, users, departments, memberships, roles and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _

from tandem.accounts.choices import PasswordProfile
from tandem.core.models import TenantModel
from tandem.core.scopes import DataScope


def validate_timezone(value: str) -> None:
    import zoneinfo

    from django.core.exceptions import ValidationError

    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("Unknown time zone, e.g. Asia/Shanghai.")) from exc


slug_validator = RegexValidator(r"^[a-z0-9][a-z0-9-]{1,48}$", _("Use 2–49 lowercase letters, digits or hyphens."))


class Tenant(models.Model):
    """An organisation; its data is invisible to every other tenant."""

    slug = models.CharField(_("slug"), max_length=50, unique=True, validators=[slug_validator])
    name = models.CharField(_("name"), max_length=200)
    locale = models.CharField(
        _("language"), max_length=10, default="zh-hans", choices=[("zh-hans", "简体中文"), ("en", "English")]
    )
    timezone = models.CharField(_("time zone"), max_length=60, default="Asia/Shanghai", validators=[validate_timezone])
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="CNY",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code, e.g. CNY."))],
    )
    password_profile = models.CharField(
        _("password policy"), max_length=20, choices=PasswordProfile.choices, default=PasswordProfile.CN_MLPS3
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=now, editable=False)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in; belongs to one or more tenants through memberships."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=30, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    preferred_language = models.CharField(_("language"), max_length=10, blank=True)

    sensitive_fields = {"phone": "phone", "password": "secret"}

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Department(TenantModel):
    """A node of the tenant's organisation tree, with a head."""

    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    head = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("head")
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "parent", "name"], name="department_unique_name"),
            models.UniqueConstraint(
                fields=["tenant", "name"], condition=models.Q(parent__isnull=True), name="department_unique_root_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(TenantModel):
    """A set of permission codes with a data scope and field rules, per tenant."""

    key = models.CharField(_("key"), max_length=50)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    permissions = models.JSONField(_("permissions"), default=list, blank=True)
    data_scope = models.CharField(_("data scope"), max_length=20, choices=DataScope.choices, default=DataScope.OWN)
    field_rules = models.JSONField(_("field rules"), default=dict, blank=True)
    is_system = models.BooleanField(_("built-in"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["tenant", "key"], name="role_unique_key")]

    def __str__(self) -> str:
        return self.name


class Membership(TenantModel):
    """A user's place in one tenant: department, manager and roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("department"),
    )
    manager = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("manager")
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="memberships", verbose_name=_("roles"))
    title = models.CharField(_("job title"), max_length=100, blank=True)
    skills = models.JSONField(
        _("skills"), default=list, blank=True, help_text=_("e.g. 弱电, 暖通; rules assign work by skill.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [models.UniqueConstraint(fields=["tenant", "user"], name="membership_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.tenant_id}"


class ApiToken(TenantModel):
    """A bearer token for the API; only its SHA-256 is stored, the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class PasswordHistory(models.Model):
    """Earlier password hashes, so a policy can refuse reuse."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history", verbose_name=_("user"))
    password = models.CharField(_("password"), max_length=200)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("earlier password")
        verbose_name_plural = _("earlier passwords")
        ordering = ["-created_at"]


class LoginFailure(models.Model):
    """A failed sign-in, counted per (username, IP) for the lockout rule."""

    username = models.CharField(_("username"), max_length=150, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")


class Lockout(models.Model):
    """A (username, IP) pair refused sign-in until `until`."""

    username = models.CharField(_("username"), max_length=150)
    ip = models.GenericIPAddressField(_("IP address"), null=True)
    until = models.DateTimeField(_("locked until"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("lockout")
        verbose_name_plural = _("lockouts")
        indexes = [models.Index(fields=["username", "ip", "until"], name="lockout_lookup_idx")]
