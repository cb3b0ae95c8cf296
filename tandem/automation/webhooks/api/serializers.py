"""Outbound webhooks API serializers: endpoints (the secret only in the create and rotation answers), the delivery
log with every attempt, and the event types one can subscribe to."""

from __future__ import annotations

from rest_framework import serializers

from tandem.automation.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


class EndpointOutput(serializers.ModelSerializer):
    rotating_until = serializers.DateTimeField(
        source="previous_secret_expires_at",
        allow_null=True,
        help_text="While set, messages are also signed with the previous secret, until then.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "description", "event_types", "enabled", "rotating_until", "created_at", "updated_at"]


class EndpointWithSecretOutput(EndpointOutput):
    secret = serializers.CharField(help_text="The whsec_ signing secret; shown only here, keep it safe.")

    class Meta(EndpointOutput.Meta):
        fields = [*EndpointOutput.Meta.fields, "secret"]


class EndpointInput(serializers.Serializer):
    url = serializers.CharField(max_length=500, help_text="An http:// or https:// URL that receives POSTs.")
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=120),
        allow_empty=False,
        max_length=100,
        help_text='Event names from /event-types/, "*" for all, or "<prefix>.*" such as "crm.*".',
    )
    enabled = serializers.BooleanField(required=False, default=True)


class RotateInput(serializers.Serializer):
    overlap_hours = serializers.IntegerField(
        min_value=0,
        max_value=168,
        required=False,
        default=24,
        help_text="How long the old secret keeps signing next to the new one (0: stop at once).",
    )


class AttemptOutput(serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ["number", "created_at", "status_code", "response_excerpt", "error", "duration_ms"]


class DeliveryOutput(serializers.ModelSerializer):
    status = serializers.CharField(help_text="pending, retrying, succeeded or failed.")
    attempt_log = AttemptOutput(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "event_id",
            "event_name",
            "message_id",
            "payload",
            "status",
            "attempts",
            "next_attempt_at",
            "replay_of",
            "created_at",
            "attempt_log",
        ]


class EventTypeOutput(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    wildcard = serializers.BooleanField()
