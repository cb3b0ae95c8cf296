"""Notification channels API serializers; the webhook address and secret are write-only (shown masked)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tandem.automation.channels.services import mask_secret, mask_url
from tandem.automation.models import Channel, ChannelKind


class ChannelOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The webhook address, masked: its token is a credential.")
    secret = serializers.SerializerMethodField(help_text='Masked ("******") when a signing secret is set.')
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = Channel
        fields = [
            "id",
            "kind",
            "name",
            "url",
            "secret",
            "has_secret",
            "recipients",
            "enabled",
            "approval_cards",
            "last_sent_at",
            "last_error",
            "created_at",
            "updated_at",
        ]

    def get_url(self, obj) -> str:
        return mask_url(obj.url)

    def get_secret(self, obj) -> str:
        return mask_secret(obj.secret)

    def get_has_secret(self, obj) -> bool:
        return bool(obj.secret)


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class RecipientsField(serializers.ListField):
    """A list of addresses; the service validates each one."""

    child = serializers.CharField(max_length=254, allow_blank=True, trim_whitespace=True)


class ChannelInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ChannelKind.choices)
    name = serializers.CharField(max_length=100)
    url = serializers.CharField(
        max_length=500, required=False, allow_blank=True, write_only=True, help_text="Robot kinds: the webhook address."
    )
    secret = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        write_only=True,
        help_text='DingTalk/Feishu signing secret; on update, leave out to keep it, send "" to remove it.',
    )
    recipients = RecipientsField(required=False, max_length=100, help_text="Email kind: the addresses.")
    enabled = serializers.BooleanField(required=False)
    approval_cards = serializers.BooleanField(
        required=False, help_text="Post a card with approve/reject links whenever an approval waits for someone."
    )


class ChannelTestOutput(serializers.Serializer):
    ok = serializers.BooleanField()
    error = serializers.CharField(allow_blank=True)
    retryable = serializers.BooleanField(help_text="The failure may pass (rate limit, network); try again later.")
