"""Automation: rules as data with versions, their runs, notification channels and outbound webhooks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.models import SoftDeleteModel, TenantModel


class TriggerType(models.TextChoices):
    RECORD_CREATED = "record_created", _("Record created")
    RECORD_UPDATED = "record_updated", _("Record updated")
    FIELD_CHANGED = "field_changed", _("Field changed to a value")
    RECORD_DELETED = "record_deleted", _("Record deleted")
    EVENT = "event", _("Business event")
    DATE_RELATIVE = "date_relative", _("Time relative to a date field")
    SCHEDULE = "schedule", _("Schedule")
    WEBHOOK = "webhook", _("Inbound webhook")
    MANUAL = "manual", _("Manual button")


RECORD_TRIGGERS = {
    TriggerType.RECORD_CREATED,
    TriggerType.RECORD_UPDATED,
    TriggerType.FIELD_CHANGED,
    TriggerType.RECORD_DELETED,
}
TIME_TRIGGERS = {TriggerType.DATE_RELATIVE, TriggerType.SCHEDULE}


class Rule(TenantModel, SoftDeleteModel):
    """When the trigger fires and the conditions hold, run the actions in order.

    The definition (trigger, conditions, actions) lives in versions: saving a changed definition adds a
    version, and every run records the version it used.
    """

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    # Set on the rules every tenant starts with ("won_deal_project", "lead_first_response", "task_overdue").
    key = models.CharField(max_length=50, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_("Actions run with this person's permissions; they are told when the rule is disabled."),
    )
    trigger_type = models.CharField(_("trigger"), max_length=20, choices=TriggerType.choices)
    model = models.CharField(_("record type"), max_length=60, blank=True)
    trigger = models.JSONField(_("trigger settings"), default=dict, blank=True)
    conditions = models.JSONField(_("conditions"), null=True, blank=True)
    actions = models.JSONField(_("actions"), default=list)
    version = models.PositiveIntegerField(_("version"), default=1)
    current_version = models.ForeignKey(
        "RuleVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    max_failures = models.PositiveSmallIntegerField(
        _("disable after failures in a row"), default=5, help_text=_("0 never disables the rule.")
    )
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(max_length=300, blank=True)
    # Inbound webhook: the secret URL token and the Standard Webhooks secret the sender signs with.
    webhook_token = models.CharField(max_length=64, blank=True, db_index=True)
    webhook_secret = models.CharField(max_length=100, blank=True)
    # Time triggers: the moment up to which due fires have been looked for.
    scanned_until = models.DateTimeField(null=True, blank=True)
    # Date-relative rules: the next scan also fires what was already due (each record and moment once, as ever).
    # Set when the rule is installed or enabled; that scan clears it.
    catch_up_pending = models.BooleanField(default=True, editable=False)

    class Meta:
        verbose_name = _("automation rule")
        verbose_name_plural = _("automation rules")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["tenant", "enabled", "trigger_type"], name="rule_trigger_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "key"],
                condition=~models.Q(key="") & models.Q(deleted_at__isnull=True),
                name="rule_unique_default_key",
            )
        ]

    def __str__(self) -> str:
        return self.name


class RuleVersion(TenantModel):
    """A frozen copy of a rule's definition; runs point at the version they used."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    trigger_type = models.CharField(max_length=20, choices=TriggerType.choices)
    model = models.CharField(max_length=60, blank=True)
    trigger = models.JSONField(default=dict)
    conditions = models.JSONField(null=True, blank=True)
    actions = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["rule", "-number"]
        constraints = [models.UniqueConstraint(fields=["rule", "number"], name="rule_version_unique")]

    def __str__(self) -> str:
        return f"{self.rule_id} v{self.number}"

    def definition(self) -> dict:
        return {
            "trigger_type": self.trigger_type,
            "model": self.model,
            "trigger": self.trigger,
            "conditions": self.conditions,
            "actions": self.actions,
        }


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    WAITING = "waiting", _("Waiting")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Conditions not met")
    STOPPED = "stopped", _("Stopped (loop)")


class Run(TenantModel):
    """One firing of one rule version: what triggered it, whether the conditions held, what each action did."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="runs")
    version = models.ForeignKey(RuleVersion, on_delete=models.PROTECT, related_name="runs")
    trigger_type = models.CharField(max_length=20, choices=TriggerType.choices)
    event_id = models.UUIDField(null=True, blank=True)
    event_name = models.CharField(max_length=120, blank=True)
    record_model = models.CharField(max_length=60, blank=True)
    record_id = models.CharField(max_length=40, blank=True)
    record_repr = models.CharField(max_length=200, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    # One run per (version, record, moment): the unique key that makes time triggers fire once.
    dedup_key = models.CharField(max_length=200)
    depth = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED)
    condition_result = models.BooleanField(null=True)
    condition_trace = models.JSONField(null=True, blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("rule run")
        verbose_name_plural = _("rule runs")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["tenant", "rule", "-created_at"], name="run_rule_idx"),
            models.Index(fields=["tenant", "status"], name="run_status_idx"),
        ]
        constraints = [models.UniqueConstraint(fields=["version", "dedup_key"], name="run_once_per_key")]

    def __str__(self) -> str:
        return f"{self.rule_id} #{self.pk}"


class ActionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    RETRYING = "retrying", _("Retrying")
    WAITING = "waiting", _("Waiting")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class ActionRun(TenantModel):
    """One action of one run, with its attempts, outcome and error."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="steps")
    index = models.PositiveSmallIntegerField()
    action = models.CharField(max_length=60)
    params = models.JSONField(default=dict, blank=True)
    continue_on_failure = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=ActionStatus.choices, default=ActionStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["run", "index"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="action_due_idx")]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="action_run_unique")]

    def __str__(self) -> str:
        return f"{self.run_id}.{self.index} {self.action}"


class AssignmentCursor(TenantModel):
    """Where a round-robin assignment stopped last, per rule and action."""

    key = models.CharField(max_length=100)
    last_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tenant", "key"], name="assignment_cursor_unique")]


class ChannelKind(models.TextChoices):
    DINGTALK = "dingtalk", _("DingTalk group robot")
    WECOM = "wecom", _("WeCom group robot")
    FEISHU = "feishu", _("Feishu/Lark bot")
    SLACK = "slack", _("Slack incoming webhook")
    EMAIL = "email", _("Email list")


class Channel(TenantModel):
    """A place a tenant's notifications can go besides the bell: an IM group robot or an email list."""

    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("webhook address"), max_length=500, blank=True)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    recipients = models.JSONField(_("email addresses"), default=list, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    approval_cards = models.BooleanField(
        _("approval cards"),
        default=False,
        help_text=_("Post a card with approve and reject buttons here whenever an approval waits for someone."),
    )
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("notification channel")
        verbose_name_plural = _("notification channels")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="channel_unique_name")]

    def __str__(self) -> str:
        return self.name


class ChannelMessage(TenantModel):
    """One message sent (or tried) to a channel, kept for the delivery log; one per (channel, key)."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="messages")
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=20, default="pending")
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["channel", "key"], name="channel_message_once")]


class WebhookEndpoint(TenantModel):
    """An integrator's URL that receives the event types it subscribes to, signed per Standard Webhooks."""

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("event types"), default=list)
    enabled = models.BooleanField(_("enabled"), default=True)
    secret = models.CharField(max_length=100)
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RETRYING = "retrying", _("Retrying")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(TenantModel):
    """One event sent to one endpoint, tried until delivered or the ~3-day schedule runs out."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(null=True, blank=True)
    event_name = models.CharField(max_length=120)
    message_id = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    replay_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replays")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "event_id"],
                condition=models.Q(replay_of__isnull=True, event_id__isnull=False),
                name="delivery_once_per_event",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_name} → {self.endpoint_id}"


class WebhookAttempt(TenantModel):
    """One HTTP attempt of a delivery: when, the answer's status and an excerpt, or the error."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=1000, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
