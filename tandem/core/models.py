"""Base models every tenant-owned record builds on, plus platform tables owned by core."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core import context
from tandem.core.permissions import permission_code
from tandem.core.scopes import Access, DataScope


class TenantQuerySet(models.QuerySet):
    """Querysets that know the tenant and the caller's data scope."""

    def for_tenant(self, tenant) -> TenantQuerySet:
        tenant_id = tenant if isinstance(tenant, int) else tenant.pk
        return self.filter(tenant_id=tenant_id)

    def restrict(self, access: Access, action: str = "view") -> TenantQuerySet:
        """Rows of the caller's tenant the caller may `action`, applying the data scope and shares."""
        model = self.model
        qs = self.for_tenant(access.tenant_id)
        scope = access.scope_for(permission_code(model, action))
        owner_field = getattr(model, "owner_field", None)
        shared = _shared_ids(model, access, write=action != "view")
        if scope is None:
            # No role grants the action; records shared with the caller stay reachable.
            return qs.filter(pk__in=shared) if owner_field else qs.none()
        if owner_field is None or scope == DataScope.ALL:
            return qs
        owner_ids = access.visible_owner_ids(scope)
        if owner_ids is None:
            return qs
        condition = Q(**{f"{owner_field}__in": owner_ids}) | Q(pk__in=shared)
        # A record's owner also sees the records under it (an account's contacts, deals...).
        for parent in getattr(model, "scope_parents", ()):
            parent_model = model._meta.get_field(parent).related_model
            parent_owner = getattr(parent_model, "owner_field", "owner")
            condition |= Q(**{f"{parent}__{parent_owner}__in": owner_ids})
            condition |= Q(**{f"{parent}__in": _shared_ids(parent_model, access, write=False)})
        return qs.filter(condition)


def _shared_ids(model, access: Access, *, write: bool):
    shares = RecordShare.objects.filter(
        tenant_id=access.tenant_id,
        content_type=ContentType.objects.get_for_model(model),
        user_id=access.user_id,
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    if write:
        shares = shares.filter(level=RecordShare.Level.WRITE)
    return shares.values("object_id")


class TenantManager(models.Manager.from_queryset(TenantQuerySet)):
    def get_queryset(self):
        if issubclass(self.model, SoftDeleteModel):
            # TenantModel's `objects` comes first in the documented base order and would shadow
            # SoftDeleteModel's, so it hides the recycle bin itself.
            return SoftDeleteQuerySet(self.model, using=self._db, hints=self._hints).alive()
        return super().get_queryset()


class TenantModel(models.Model):
    """A row owned by one tenant; `tenant` leads its keys and indexes."""

    tenant = models.ForeignKey("accounts.Tenant", on_delete=models.CASCADE, related_name="+", db_index=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = TenantManager()

    # Field labels whose values are masked in audit rows and on display (e.g. {"phone": "phone"}).
    sensitive_fields: dict[str, str] = {}

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        """Each field's own validation, plus sane values: plausible dates, visible names (core.validators)."""
        from tandem.core.validators import sane_value_errors

        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for name, found in sane_value_errors(self, exclude).items():
            if name not in errors:  # one message a field: its own validation speaks first
                errors[name] = found
        if errors:
            raise ValidationError(errors)


class SoftDeleteQuerySet(TenantQuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)


class AliveManager(models.Manager.from_queryset(SoftDeleteQuerySet)):
    """Default manager: hides soft-deleted rows."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class SoftDeleteModel(models.Model):
    """Deleted rows go to the recycle bin (回收站) and can be restored until purged."""

    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = AliveManager()
    all_objects = models.Manager.from_queryset(SoftDeleteQuerySet)()

    class Meta:
        abstract = True


class OwnedModel(models.Model):
    """A record with an owner (负责人); the data scope ladder applies to it."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    owner_field = "owner"

    class Meta:
        abstract = True


class AutomationAuthored(models.Model):
    """A row an automation rule may write: it names the rule as its author, beside the person whose permissions
    the rule used (see `tandem.core.context`)."""

    automation_rule_id = models.BigIntegerField(_("automation rule"), null=True, blank=True, editable=False)
    automation_rule_name = models.CharField(_("automation rule name"), max_length=200, blank=True, editable=False)

    class Meta:
        abstract = True

    def stamp_automation(self) -> None:
        """Name the running rule as the author, when a rule's run is writing this row."""
        ctx = context.current()
        if ctx.automation_rule_id is not None:
            self.automation_rule_id = ctx.automation_rule_id
            self.automation_rule_name = ctx.automation_rule_name[:200]

    @property
    def automation_label(self) -> str:
        """ "Automation: <rule name>" in the reader's language, or "" for a person's write."""
        if self.automation_rule_id is None:
            return ""
        return _("Automation: %(rule)s") % {"rule": self.automation_rule_name or f"#{self.automation_rule_id}"}


class RecordShare(TenantModel):
    """Access to one record shared with a named colleague (相关团队)."""

    class Level(models.TextChoices):
        READ = "read", _("Read")
        WRITE = "write", _("Read and write")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="record_shares")
    level = models.CharField(_("access"), max_length=8, choices=Level.choices, default=Level.READ)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "content_type", "object_id", "user"], name="record_share_unique")
        ]
        indexes = [models.Index(fields=["tenant", "user", "content_type"], name="record_share_user_idx")]


class SavedFilter(TenantModel):
    """A list's filters kept under a name by one user (保存的筛选), to come back to with one click."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    list_key = models.CharField(_("list"), max_length=40)
    name = models.CharField(_("name"), max_length=40)
    query = models.CharField(_("filters"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "user", "list_key", "name"], name="saved_filter_unique_name")
        ]
        indexes = [models.Index(fields=["tenant", "user", "list_key"], name="saved_filter_list_idx")]

    def __str__(self) -> str:
        return self.name


class NumberingRule(TenantModel):
    """How records of one type are numbered: prefix + date + gap-free sequence, e.g. HT-20261127-0001."""

    class Reset(models.TextChoices):
        DAILY = "daily", _("Daily")
        MONTHLY = "monthly", _("Monthly")
        YEARLY = "yearly", _("Yearly")
        NEVER = "never", _("Never")

    object_type = models.CharField(_("object type"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=20)
    reset = models.CharField(_("reset"), max_length=10, choices=Reset.choices, default=Reset.DAILY)
    padding = models.PositiveSmallIntegerField(_("digits"), default=4)
    separator = models.CharField(_("separator"), max_length=3, default="-", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "object_type"], name="numbering_rule_unique")]


class NumberSequence(TenantModel):
    """The last number issued for one (object type, period); locked while a number is drawn."""

    object_type = models.CharField(max_length=100)
    period = models.CharField(max_length=8, blank=True)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "object_type", "period"], name="number_sequence_unique")
        ]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"attachments/{instance.tenant_id}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{filename}"


class Attachment(TenantModel):
    """A file attached to any record."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=400)
    name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    mime_type = models.CharField(_("MIME type"), max_length=120)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["tenant", "content_type", "object_id"], name="attachment_record_idx")]

    def __str__(self) -> str:
        return self.name


class OutboxEvent(models.Model):
    """A domain event written in the same transaction as the change it describes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey("accounts.Tenant", null=True, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=120)
    payload = models.JSONField(default=dict)
    actor_id = models.BigIntegerField(null=True)
    request_id = models.CharField(max_length=64, blank=True)
    depth = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["dispatched_at", "created_at"], name="outbox_pending_idx")]

    def __str__(self) -> str:
        return f"{self.name} {self.id}"


class EventHandling(models.Model):
    """Marks that one handler has applied one event; written in the handler's own transaction."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="handlings")
    handler = models.CharField(max_length=200)
    handled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "handler"], name="event_handling_unique")]


class IdempotencyKey(TenantModel):
    """A POST answered once per (tenant, user, key); a retry gets the stored answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "user", "key"], name="idempotency_key_unique")]
